// TextDecoder (Encoding Standard §7.2), UTF-8 only: labels, fatal and replacement modes with
// U+FFFD for each maximal subpart, the BOM, buffer source arguments, and errors.

const codes = (text) => Array.from(text, (c) => c.codePointAt(0).toString(16).padStart(4, '0')).join(' ');
const bytes = (...values) => new Uint8Array(values);

console.log('-- labels');
for (const label of ['utf-8', 'UTF-8', 'utf8', ' \t\n\f\rUtF8\r\n', 'unicode-1-1-utf-8', 'unicode11utf8', 'unicode20utf8', 'x-unicode20utf8']) {
  console.log(`${JSON.stringify(label)}: encoding=${new TextDecoder(label).encoding}`);
}
for (const label of ['latin1', 'utf-16le', 'replacement', 'utf-8\v', 'utf 8', '', 'utf-8\0', null]) {
  try {
    new TextDecoder(label);
    console.log(`${JSON.stringify(label)}: no exception`);
  } catch (e) {
    console.log(`${JSON.stringify(label)}: ${e.name}: ${JSON.stringify(e.message)}`);
  }
}
{
  const decoder = new TextDecoder();
  console.log(`defaults: encoding=${decoder.encoding} fatal=${decoder.fatal} ignoreBOM=${decoder.ignoreBOM}`);
  const options = new TextDecoder(undefined, { fatal: 1, ignoreBOM: 'yes' });
  console.log(`options: encoding=${options.encoding} fatal=${options.fatal} ignoreBOM=${options.ignoreBOM}`);
}

console.log('-- decoding');
{
  const decoder = new TextDecoder();
  console.log(`nothing: ${JSON.stringify(decoder.decode())}`);
  console.log(`undefined: ${JSON.stringify(decoder.decode(undefined))}`);
  console.log(`text: ${decoder.decode(bytes(0x68, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80))}`);
  const buffer = bytes(0x20, 0x41, 0x42, 0x43, 0x20).buffer;
  console.log(`ArrayBuffer: ${JSON.stringify(decoder.decode(buffer))}`);
  console.log(`DataView: ${JSON.stringify(decoder.decode(new DataView(buffer, 1, 3)))}`);
  console.log(`Uint16Array: ${JSON.stringify(decoder.decode(new Uint16Array([0x4241])))}`);
  console.log(`subarray: ${JSON.stringify(decoder.decode(new Uint8Array(buffer).subarray(2, 3)))}`);
  const shared = new Uint8Array(new SharedArrayBuffer(2));
  shared.set([0x4f, 0x4b]);
  console.log(`[AllowShared] view: ${decoder.decode(shared)}, buffer: ${decoder.decode(shared.buffer)}`);
}

console.log('-- replacement: one U+FFFD per maximal subpart');
for (const [name, input] of [
  ['overlong', [0xc0, 0xaf]],
  ['overlong three bytes', [0xe0, 0x80, 0xaf]],
  ['surrogate', [0xed, 0xa0, 0x80]],
  ['above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
  ['truncated then ascii', [0xe2, 0x82, 0x41]],
  ['truncated at the end', [0x41, 0xf0, 0x9f, 0x98]],
  ['stray continuation', [0x80, 0x41]],
  ['invalid bytes', [0xfe, 0xff]],
  ['unicode table 3-11', [0x61, 0xf1, 0x80, 0x80, 0xe1, 0x80, 0xc2, 0x62, 0x80, 0x63, 0x80, 0xbf, 0x64]],
]) {
  console.log(`${name}: ${codes(new TextDecoder().decode(new Uint8Array(input)))}`);
}

console.log('-- fatal');
{
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (const input of [[0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe2, 0x82]]) {
    try {
      decoder.decode(new Uint8Array(input));
      console.log('no exception');
    } catch (e) {
      console.log(`${e.name}: ${e.message}`);
    }
  }
  console.log(`valid after errors: ${decoder.decode(bytes(0x6f, 0x6b))}`);
}

console.log('-- BOM');
{
  const withBom = bytes(0xef, 0xbb, 0xbf, 0x41, 0xef, 0xbb, 0xbf);
  console.log(`dropped once: ${codes(new TextDecoder().decode(withBom))}`);
  console.log(`ignoreBOM keeps it: ${codes(new TextDecoder('utf-8', { ignoreBOM: true }).decode(withBom))}`);
  const decoder = new TextDecoder();
  console.log(`each non-streaming call starts afresh: ${codes(decoder.decode(withBom))} / ${codes(decoder.decode(withBom))}`);
  console.log(`only at the start: ${codes(decoder.decode(bytes(0x41, 0xef, 0xbb, 0xbf)))}`);
}

console.log('-- errors');
for (const [what, call] of [
  ['TextDecoder()', () => TextDecoder()],
  ['decode a string', () => new TextDecoder().decode('abc')],
  ['decode a plain object', () => new TextDecoder().decode({ length: 1, 0: 65 })],
  ['decode null', () => new TextDecoder().decode(null)],
  ['bad options', () => new TextDecoder().decode(bytes(0x41), 5)],
  ['options getter throws', () => new TextDecoder('utf-8', { get fatal() { throw new Error('from fatal'); } })],
  ['decode on another object', () => TextDecoder.prototype.decode.call(new TextEncoder())],
]) {
  try {
    const result = call();
    console.log(`${what}: no exception (${JSON.stringify(result)})`);
  } catch (e) {
    console.log(`${what}: ${e.name}: ${e.message}`);
  }
}
