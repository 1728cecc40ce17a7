// EventTarget and Event behaviour (DOM §2.7-§2.9): listener order with capture at the target,
// duplicates, once, passive, removal and addition during dispatch, stopImmediatePropagation,
// cancelation, the dispatch state, and event handler attributes (HTML §8.1.8.1) — the order
// of a handler among listeners, which it keeps while its value changes.

function section(title) {
  console.log(`-- ${title}`);
}

section('order: capture listeners first at the target, duplicates ignored');
{
  const target = new EventTarget();
  const log = (label) => (event) => console.log(`${label} phase=${event.eventPhase}`);
  const bubble = log('bubble');
  target.addEventListener('x', bubble);
  target.addEventListener('x', bubble);
  target.addEventListener('x', log('capture'), true);
  target.addEventListener('x', { handleEvent(event) { console.log(`object this-is-listener=${this.handleEvent !== undefined}`); } });
  console.log(`dispatchEvent returned ${target.dispatchEvent(new Event('x'))}`);
}

section('once');
{
  const target = new EventTarget();
  target.addEventListener('x', () => console.log('once listener'), { once: true });
  target.addEventListener('x', () => console.log('every time'));
  target.dispatchEvent(new Event('x'));
  target.dispatchEvent(new Event('x'));
}

section('removal and addition during dispatch');
{
  const target = new EventTarget();
  const second = () => console.log('second (removed, must not run)');
  target.addEventListener('x', () => {
    console.log('first');
    target.removeEventListener('x', second);
    target.addEventListener('x', () => console.log('added during dispatch'));
  });
  target.addEventListener('x', second);
  target.addEventListener('x', () => console.log('third'));
  target.dispatchEvent(new Event('x'));
  console.log('second dispatch:');
  target.dispatchEvent(new Event('x'));
}

section('stopImmediatePropagation and cancelation');
{
  const target = new EventTarget();
  target.addEventListener('x', (event) => { event.preventDefault(); console.log(`passive: defaultPrevented=${event.defaultPrevented}`); }, { passive: true });
  target.addEventListener('x', (event) => { event.preventDefault(); console.log(`defaultPrevented=${event.defaultPrevented}`); });
  target.addEventListener('x', (event) => event.stopImmediatePropagation());
  target.addEventListener('x', () => console.log('after stopImmediatePropagation (must not run)'));
  console.log(`cancelable: dispatchEvent returned ${target.dispatchEvent(new Event('x', { cancelable: true }))}`);
  console.log(`not cancelable: dispatchEvent returned ${target.dispatchEvent(new Event('x'))}`);
}

section('dispatch state');
{
  const target = new EventTarget();
  const event = new Event('x', { bubbles: true });
  target.addEventListener('x', (e) => {
    console.log(`during: target=${e.target === target} currentTarget=${e.currentTarget === target} ` +
                `phase=${e.eventPhase} path=${e.composedPath().length} isTrusted=${e.isTrusted}`);
  });
  target.dispatchEvent(event);
  console.log(`after: target=${event.target === target} currentTarget=${event.currentTarget} ` +
              `phase=${event.eventPhase} path=${event.composedPath().length}`);
}

section('event handler attributes keep their place among listeners');
if (typeof TCPConnection === 'function') {
  // Synthetic events only; the connection is closed before it can connect.
  const connection = new TCPConnection('http://127.0.0.1:65535/');
  connection.addEventListener('open', () => console.log('listener 1'));
  connection.onopen = () => console.log('handler A');
  connection.addEventListener('open', () => console.log('listener 2'));
  connection.dispatchEvent(new Event('open'));
  console.log('(value changed)');
  connection.onopen = function () { console.log(`handler B this=${this === connection}`); };
  connection.dispatchEvent(new Event('open'));
  console.log('(set to null, then to a new value: it goes last)');
  connection.onopen = null;
  connection.onopen = () => console.log('handler C');
  connection.dispatchEvent(new Event('open'));
  connection.onopen = 5;
  console.log(`non-callable value reads back as ${connection.onopen}`);
  const handler = () => false;
  connection.onerror = handler;
  console.log(`returning false cancels: ${!connection.dispatchEvent(new Event('error', { cancelable: true }))}, ` +
              `reads back: ${connection.onerror === handler}`);
  connection.onerror = null;
  connection.disconnect();
}
