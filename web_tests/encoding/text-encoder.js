// TextEncoder (Encoding Standard §7.4): encoding is "utf-8"; encode() gives a new Uint8Array
// of the UTF-8 bytes, lone surrogates becoming U+FFFD (USVString); encodeInto() writes whole
// code points only and reports read in UTF-16 code units and written in bytes.

const hex = (bytes) => Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join(' ');

const encoder = new TextEncoder();
console.log(`encoding=${encoder.encoding}`);

console.log('-- encode');
for (const [name, input] of [
  ['nothing', undefined],
  ['empty', ''],
  ['ascii', 'abc'],
  ['two, three and four bytes', '\u00e9\u20ac\u{1F600}'],
  ['nul', '\0'],
  ['lone lead surrogate', 'a\uD800b'],
  ['lone trail surrogate', '\uDC00'],
  ['reversed pair', '\uDC00\uD800'],
  ['number', 12.5],
  ['null', null],
]) {
  const bytes = input === undefined ? encoder.encode() : encoder.encode(input);
  console.log(`${name}: ${bytes.constructor.name} [${hex(bytes)}]`);
}
{
  const first = encoder.encode('x');
  console.log(`a new array each time: ${first !== encoder.encode('x')}, own buffer of ${first.buffer.byteLength} byte(s)`);
}

console.log('-- encodeInto');
function into(source, size, offset = 0) {
  const buffer = new Uint8Array(size + offset + 2).fill(0xcc);
  const destination = buffer.subarray(offset, offset + size);
  const result = encoder.encodeInto(source, destination);
  console.log(`${JSON.stringify(source)} into ${size}: read=${result.read} written=${result.written} buffer=[${hex(buffer)}]`);
  return result;
}
into('abc', 8);
into('abc', 2);
into('\u20ac', 2);
into('a\u20ac', 3);
into('\u{1F600}', 3);
into('\u{1F600}', 4, 1);
into('\u{1F600}x', 5);
into('\uD800', 3);
into('', 0);
{
  const result = encoder.encodeInto('ab', new Uint8Array(4));
  console.log(`result keys: ${Object.keys(result).join(',')}, plain object: ${Object.getPrototypeOf(result) === Object.prototype}`);
}
{
  const shared = new Uint8Array(new SharedArrayBuffer(4));
  const result = encoder.encodeInto('hi', shared);
  console.log(`[AllowShared]: written=${result.written} bytes=[${hex(shared)}]`);
}

console.log('-- errors');
for (const [what, call] of [
  ['TextEncoder()', () => TextEncoder()],
  ['encodeInto without a destination', () => encoder.encodeInto('a')],
  ['encodeInto into an ArrayBuffer', () => encoder.encodeInto('a', new ArrayBuffer(4))],
  ['encodeInto into an Int8Array', () => encoder.encodeInto('a', new Int8Array(4))],
  ['encodeInto into a DataView', () => encoder.encodeInto('a', new DataView(new ArrayBuffer(4)))],
  ['encode with a throwing toString', () => encoder.encode({ toString() { throw new Error('from toString'); } })],
  ['encode on another object', () => TextEncoder.prototype.encode.call({}, 'a')],
]) {
  try {
    call();
    console.log(`${what}: no exception`);
  } catch (e) {
    console.log(`${what}: ${e.name}: ${e.message}`);
  }
}
