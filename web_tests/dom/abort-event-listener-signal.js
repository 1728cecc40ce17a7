// addEventListener's `signal` option (DOM §2.7 "add an event listener"): an aborted signal
// adds nothing; aborting removes the listener (before the signal's own abort event); one
// signal removes many listeners; removing the listener by hand first is harmless; the
// option's type is checked.

function section(title) {
  console.log(`-- ${title}`);
}

section('abort removes the listener');
{
  const target = new EventTarget();
  const controller = new AbortController();
  let calls = 0;
  target.addEventListener('ping', () => ++calls, { signal: controller.signal });
  target.dispatchEvent(new Event('ping'));
  controller.abort();
  target.dispatchEvent(new Event('ping'));
  console.log(`calls=${calls}`);
}

section('an aborted signal adds nothing');
{
  const target = new EventTarget();
  target.addEventListener('ping', () => console.log('must not run'), { signal: AbortSignal.abort() });
  target.dispatchEvent(new Event('ping'));
  console.log('nothing ran');
}

section('one signal, many listeners and targets');
{
  const controller = new AbortController();
  const targets = [new EventTarget(), new EventTarget()];
  let calls = 0;
  for (const target of targets) {
    target.addEventListener('a', () => ++calls, { signal: controller.signal });
    target.addEventListener('b', () => ++calls, { signal: controller.signal, once: true });
    target.addEventListener('a', { handleEvent() { ++calls; } }, { signal: controller.signal, capture: true });
  }
  for (const target of targets) {
    target.dispatchEvent(new Event('a'));
    target.dispatchEvent(new Event('b'));
  }
  console.log(`before abort: calls=${calls}`);
  controller.abort();
  for (const target of targets) {
    target.dispatchEvent(new Event('a'));
    target.dispatchEvent(new Event('b'));
  }
  console.log(`after abort: calls=${calls}`);
}

section('removed listeners are gone before the abort event');
{
  const target = new EventTarget();
  const controller = new AbortController();
  target.addEventListener('ping', () => console.log('must not run'), { signal: controller.signal });
  controller.signal.onabort = () => {
    target.dispatchEvent(new Event('ping'));
    console.log('abort event: the ping listener was removed already');
  };
  controller.abort();
}

section('aborting during dispatch: a listener later in the list does not run');
{
  const target = new EventTarget();
  const controller = new AbortController();
  target.addEventListener('ping', () => {
    console.log('first aborts');
    controller.abort();
  });
  target.addEventListener('ping', () => console.log('second must not run'), { signal: controller.signal });
  target.dispatchEvent(new Event('ping'));
}

section('removed by hand, then added again without a signal');
{
  const target = new EventTarget();
  const controller = new AbortController();
  const listener = () => console.log('listener runs after abort');
  target.addEventListener('ping', listener, { signal: controller.signal });
  target.removeEventListener('ping', listener);
  target.addEventListener('ping', listener);
  controller.abort();
  target.dispatchEvent(new Event('ping'));
}

section('the option is an AbortSignal');
for (const signal of [null, 'signal', {}, new EventTarget()]) {
  try {
    new EventTarget().addEventListener('ping', () => {}, { signal });
    console.log('no exception');
  } catch (e) {
    console.log(`${e.name}: ${e.message}`);
  }
}
{
  const target = new EventTarget();
  target.addEventListener('ping', () => console.log('undefined signal: listener added'), { signal: undefined });
  target.dispatchEvent(new Event('ping'));
}
