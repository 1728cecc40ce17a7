// AbortController and AbortSignal (DOM §3.1-§3.2): the signal, abort() with and without a
// reason, the abort event (trusted, once, after the abort algorithms), AbortSignal.abort(),
// throwIfAborted(), and bad arguments. (A throwing abort listener is reported like any
// listener's exception: the shell would count it as uncaught, so bindings/ tests it.)

function section(title) {
  console.log(`-- ${title}`);
}

section('controller and signal');
{
  const controller = new AbortController();
  const { signal } = controller;
  console.log(`[SameObject]: ${signal === controller.signal}`);
  console.log(`signal instanceof EventTarget: ${signal instanceof EventTarget}`);
  console.log(`aborted=${signal.aborted} reason=${signal.reason} onabort=${signal.onabort}`);
  let events = 0;
  signal.onabort = (event) => {
    ++events;
    console.log(`onabort: type=${event.type} isTrusted=${event.isTrusted} bubbles=${event.bubbles} cancelable=${event.cancelable} currentTarget-is-signal=${event.currentTarget === signal}`);
    console.log(`  inside the event: aborted=${signal.aborted} reason.name=${signal.reason.name}`);
  };
  controller.abort();
  controller.abort('second call does nothing');
  console.log(`events=${events}`);
  const reason = signal.reason;
  console.log(`reason: ${reason instanceof DOMException} name=${reason.name} code=${reason.code} message=${reason.message}`);
  console.log(`reason.stack is a string: ${typeof reason.stack === 'string'}, first line: ${reason.stack.split('\n')[0]}`);
}

section('abort(reason)');
{
  for (const reason of ['text', 0, null, false, { custom: true }]) {
    const controller = new AbortController();
    controller.abort(reason);
    console.log(`abort(${JSON.stringify(reason)}): reason kept=${Object.is(controller.signal.reason, reason)}`);
  }
  const controller = new AbortController();
  controller.abort(undefined);
  console.log(`abort(undefined): reason.name=${controller.signal.reason.name}`);
}

section('AbortSignal.abort()');
{
  const signal = AbortSignal.abort();
  console.log(`aborted=${signal.aborted} reason.name=${signal.reason.name}`);
  const reason = new RangeError('mine');
  console.log(`with a reason: ${AbortSignal.abort(reason).reason === reason}`);
  console.log(`each call a new signal: ${AbortSignal.abort() !== AbortSignal.abort()}`);
}

section('throwIfAborted()');
{
  new AbortController().signal.throwIfAborted();
  console.log('not aborted: no exception');
  const reason = { thrown: 'as is' };
  try {
    AbortSignal.abort(reason).throwIfAborted();
  } catch (e) {
    console.log(`throws the reason itself: ${e === reason}`);
  }
  try {
    AbortSignal.abort().throwIfAborted();
  } catch (e) {
    console.log(`default: ${e.name}`);
  }
}

section('errors');
for (const [what, make] of [
  ['new AbortSignal()', () => new AbortSignal()],
  ['AbortController()', () => AbortController()],
  ['aborted on another object', () => Object.getOwnPropertyDescriptor(AbortSignal.prototype, 'aborted').get.call({})],
  ['abort() on another object', () => AbortController.prototype.abort.call(new EventTarget())],
]) {
  try {
    make();
    console.log(`${what}: no exception`);
  } catch (e) {
    console.log(`${what}: ${e.name}: ${e.message}`);
  }
}
