// AbortSignal.any() (DOM §3.2 "create a dependent abort signal"): follows every source,
// takes the first aborted source's reason at once, flattens dependent signals to their
// sources, and fires abort on the source before its dependents.

function section(title) {
  console.log(`-- ${title}`);
}

section('follows its sources');
{
  const first = new AbortController();
  const second = new AbortController();
  const any = AbortSignal.any([first.signal, second.signal]);
  console.log(`new signal: ${any !== first.signal && any !== second.signal}, aborted=${any.aborted}`);
  second.signal.onabort = () => console.log(`source abort event: dependent aborted=${any.aborted}`);
  any.onabort = (event) => console.log(`dependent abort event: isTrusted=${event.isTrusted}`);
  const reason = { which: 'second' };
  second.abort(reason);
  console.log(`reason is the source's: ${any.reason === reason}`);
  first.abort('later');
  console.log(`reason unchanged: ${any.reason === reason}`);
}

section('an already aborted source');
{
  const signal = AbortSignal.any([new AbortController().signal, AbortSignal.abort('first'), AbortSignal.abort('second')]);
  console.log(`aborted=${signal.aborted} reason=${signal.reason}`);
}

section('empty and repeated sources');
{
  console.log(`any([]) aborted=${AbortSignal.any([]).aborted}`);
  const controller = new AbortController();
  const signal = AbortSignal.any([controller.signal, controller.signal]);
  let events = 0;
  signal.addEventListener('abort', () => ++events);
  controller.abort();
  console.log(`one event for a repeated source: ${events}`);
}

section('dependent of a dependent');
{
  const controller = new AbortController();
  const outer = AbortSignal.any([AbortSignal.any([controller.signal])]);
  const order = [];
  controller.signal.addEventListener('abort', () => order.push('source'));
  outer.addEventListener('abort', () => order.push('outer'));
  controller.abort();
  console.log(`order: ${order.join(', ')}; outer reason.name=${outer.reason.name}`);
}

section('any iterable of signals');
{
  const controller = new AbortController();
  const signal = AbortSignal.any(new Set([controller.signal]));
  controller.abort();
  console.log(`from a Set: aborted=${signal.aborted}`);
}

section('errors');
for (const [what, argument] of [['nothing', undefined], ['a number', 5], ['a non-signal', [{}]], ['null inside', [null]]]) {
  try {
    if (argument === undefined) AbortSignal.any();
    else AbortSignal.any(argument);
    console.log(`${what}: no exception`);
  } catch (e) {
    console.log(`${what}: ${e.name}: ${e.message}`);
  }
}
