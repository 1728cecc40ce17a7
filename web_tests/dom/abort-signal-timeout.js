// AbortSignal.timeout() (DOM §3.2): aborts with a "TimeoutError" DOMException through the
// page's timers, after timers started earlier with a shorter delay; [EnforceRange] on its
// argument. A pending timeout keeps the page alive while the signal (or one depending on it)
// has abort listeners: this page ends only after its listeners ran, and the 10-minute timeout
// nobody listens to does not hold it (the runner's timeout would fail the test).

console.log(`AbortSignal.timeout.length=${AbortSignal.timeout.length}`);
for (const value of [-1, NaN, Infinity, 2 ** 53]) {
  try {
    AbortSignal.timeout(value);
    console.log(`timeout(${value}): no exception`);
  } catch (e) {
    console.log(`timeout(${value}): ${e.name}: ${e.message}`);
  }
}

const unheard = AbortSignal.timeout(600000);
console.log(`unheard: aborted=${unheard.aborted}`);

const started = Date.now();
const signal = AbortSignal.timeout(30);
console.log(`aborted at first: ${signal.aborted}`);
setTimeout(() => console.log(`setTimeout(10) runs first: signal aborted=${signal.aborted}`), 10);
signal.addEventListener('abort', (event) => {
  console.log(`abort event: isTrusted=${event.isTrusted} aborted=${signal.aborted}`);
  console.log(`reason: ${signal.reason instanceof DOMException} name=${signal.reason.name} code=${signal.reason.code} message=${signal.reason.message}`);
  console.log(`waited at least 30 ms: ${Date.now() - started >= 29}`);
});

// A dependent signal's listener keeps its source's timeout pending too.
const dependent = AbortSignal.any([AbortSignal.timeout(40)]);
dependent.onabort = () => console.log(`dependent of a timeout: reason.name=${dependent.reason.name}`);

const zero = AbortSignal.timeout(0);
zero.onabort = () => console.log('timeout(0) fires too, after the current script');
console.log('end of script');
