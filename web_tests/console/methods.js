// The console's methods as Node prints them (issue 17), and which stream each line goes to:
// log/info/debug/dir/dirxml/table/count/group to stdout; warn/error/assert/trace and the
// misuse warnings to stderr. The runner captures both as one text in the order written, so the
// baseline shows them interleaved exactly as a terminal would.
console.log('log: %s %d %o', 'text', 42, {a: [1, 'x']});
console.error('error after log');
console.info('info');
console.warn('warn between info and debug');
console.debug('debug');
console.dir({a: {b: {c: {d: 1}}}}, {depth: 0});
console.dir({a: {b: {c: {d: 1}}}}, {depth: null});
console.dirxml('dirxml', {x: 1});
console.count();
console.count('clicks');
console.count();
console.countReset('clicks');
console.count('clicks');
console.countReset('never counted');
console.assert(1 === 1, 'not printed');
console.assert(false, 'assertion with %s', 'format', 2);
console.group('group %d', 1);
console.log('indented\nevery line');
console.groupCollapsed();
console.error('indented error');
console.table([{name: 'a', size: 1}, {name: 'b', size: 22, extra: true}]);
console.groupEnd();
console.groupEnd();
console.groupEnd();
console.log('not indented');
console.table({row1: {c: 1, d: 2}, row2: {c: 2}}, ['c']);
console.table(new Map([['key', {value: 1}]]));
console.timeEnd('never started');
function traced() {
  console.trace('from %s', 'traced');
}
traced();
console.log('last line');
