// A .js test: the shell runs the file alone (no harness; .html tests load it). Its console
// lines are its output.
console.log('a .js test runs without the harness');
console.log('location.pathname = ' + location.pathname);
setTimeout(() => console.log('timers run; the shell exits when nothing is pending'), 10);
queueMicrotask(() => console.log('microtasks run before timers'));
