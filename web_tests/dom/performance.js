// High Resolution Time: `performance` on the global (§6, [Replaceable]), now() (§4.3) on the
// clock Event.timeStamp uses, monotonic and coarsened to 100 µs, and timeOrigin (§4.2) as Unix
// milliseconds, so timeOrigin + now() is the wall clock.

function section(title) {
  console.log(`-- ${title}`);
}

section('the object');
console.log(`performance instanceof Performance: ${performance instanceof Performance}`);
console.log(`instanceof EventTarget: ${performance instanceof EventTarget}`);
console.log(`same object each time: ${performance === self.performance}`);
console.log(`new Performance() throws: ${(() => { try { new Performance(); return false; } catch (e) { return e instanceof TypeError; } })()}`);
console.log(`now() on another object throws: ${(() => { try { performance.now.call({}); return false; } catch (e) { return e instanceof TypeError; } })()}`);

section('now()');
const first = performance.now();
console.log(`a number >= 0: ${typeof first === 'number' && first >= 0}`);
let previous = first;
let monotonic = true;
let coarsened = true;
while (performance.now() - first < 5) {
  const now = performance.now();
  if (now < previous) monotonic = false;
  if (Math.abs(now * 10 - Math.round(now * 10)) > 1e-6) coarsened = false;
  previous = now;
}
console.log(`monotonic: ${monotonic}, multiples of 0.1 ms: ${coarsened}`);
const event = new Event('x');
console.log(`Event.timeStamp on the same clock: ${event.timeStamp >= first && event.timeStamp <= performance.now()}`);

section('timeOrigin');
console.log(`timeOrigin + now() is the wall clock: ${Math.abs(performance.timeOrigin + performance.now() - Date.now()) < 1000}`);
console.log(`timeOrigin before the first script: ${performance.timeOrigin <= Date.now() - first + 1}`);

section('[Replaceable]');
performance = 'replaced';
console.log(`assigning replaces it: ${performance}`);
