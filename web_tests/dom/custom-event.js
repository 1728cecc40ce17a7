// CustomEvent (DOM §2.4): detail from the init dictionary (null by default, any value kept as
// is), the inherited Event behaviour, and the legacy initCustomEvent(), which does nothing
// while the event is being dispatched.

function section(title) {
  console.log(`-- ${title}`);
}

section('constructor');
{
  const plain = new CustomEvent('x');
  console.log(`type=${plain.type} detail=${plain.detail} bubbles=${plain.bubbles} cancelable=${plain.cancelable}`);
  console.log(`instanceof Event: ${plain instanceof Event}, isTrusted=${plain.isTrusted}`);
  const object = { answer: 42 };
  const withObject = new CustomEvent('y', { detail: object, bubbles: true, cancelable: true });
  console.log(`same object: ${withObject.detail === object}, answer=${withObject.detail.answer}`);
  console.log(`bubbles=${withObject.bubbles} cancelable=${withObject.cancelable}`);
  console.log(`undefined detail is null: ${new CustomEvent('z', { detail: undefined }).detail === null}`);
  for (const value of [0, '', false, 'text', -1.5, Symbol.for('s')]) {
    const detail = new CustomEvent('v', { detail: value }).detail;
    console.log(`detail ${String(value)} kept: ${Object.is(detail, value)}`);
  }
}

section('errors');
for (const make of [() => CustomEvent('x'), () => new CustomEvent(), () => new CustomEvent('x', 5)]) {
  try {
    make();
    console.log('no exception');
  } catch (e) {
    console.log(`${e.name}: ${e.message}`);
  }
}
{
  const init = { get detail() { throw new Error('from the detail getter'); } };
  try {
    new CustomEvent('x', init);
  } catch (e) {
    console.log(`getter exception propagates: ${e.message}`);
  }
}

section('dispatch');
{
  const target = new EventTarget();
  target.addEventListener('message', (event) => {
    console.log(`listener: detail.text=${event.detail.text} target-is-target=${event.target === target}`);
  });
  console.log(`dispatchEvent returned ${target.dispatchEvent(new CustomEvent('message', { detail: { text: 'hi' } }))}`);
}

section('initCustomEvent');
{
  const event = new CustomEvent('before', { detail: 1 });
  event.initCustomEvent('after', true, true, { n: 2 });
  console.log(`type=${event.type} bubbles=${event.bubbles} cancelable=${event.cancelable} detail.n=${event.detail.n}`);
  event.initCustomEvent('again');
  console.log(`defaults: bubbles=${event.bubbles} cancelable=${event.cancelable} detail=${event.detail}`);
  try {
    event.initCustomEvent();
  } catch (e) {
    console.log(`${e.name}: ${e.message}`);
  }
  const target = new EventTarget();
  const dispatched = new CustomEvent('during', { detail: 'original' });
  target.addEventListener('during', (inside) => {
    inside.initCustomEvent('changed', true, true, 'changed');
    console.log(`while dispatching: type=${inside.type} detail=${inside.detail}`);
  });
  target.dispatchEvent(dispatched);
  console.log(`after: type=${dispatched.type} detail=${dispatched.detail}`);
}
