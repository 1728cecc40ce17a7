// TextDecoder streaming (Encoding Standard §7.2, `stream: true`): a partial sequence waits for
// the next call; the last call without `stream` flushes it (as U+FFFD); a BOM split across
// calls is still dropped; and every split of the same bytes gives the same text.

const codes = (text) => Array.from(text, (c) => c.codePointAt(0).toString(16).padStart(4, '0')).join(' ');

const input = new Uint8Array([0xef, 0xbb, 0xbf, 0x41, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80, 0xed, 0xa0, 0x80, 0x42]);
const whole = new TextDecoder().decode(input);
console.log(`whole: ${codes(whole)}`);
let same = 0;
for (let split = 0; split <= input.length; ++split) {
  const decoder = new TextDecoder();
  const text = decoder.decode(input.subarray(0, split), { stream: true }) + decoder.decode(input.subarray(split));
  if (text === whole) ++same;
  else console.log(`split at ${split}: ${codes(text)}`);
}
console.log(`same text at ${same} of ${input.length + 1} splits`);
{
  const decoder = new TextDecoder();
  let text = '';
  for (const byte of input) text += decoder.decode(new Uint8Array([byte]), { stream: true });
  text += decoder.decode();
  console.log(`byte by byte: ${text === whole}`);
}

console.log('-- a partial sequence');
{
  const decoder = new TextDecoder();
  console.log(`first two bytes of a euro sign: ${JSON.stringify(decoder.decode(new Uint8Array([0xe2, 0x82]), { stream: true }))}`);
  console.log(`the last byte: ${codes(decoder.decode(new Uint8Array([0xac]), { stream: true }))}`);
  decoder.decode(new Uint8Array([0xf0, 0x9f]), { stream: true });
  console.log(`flushed at the end: ${codes(decoder.decode())}`);
  console.log(`then a fresh start: ${codes(decoder.decode(new Uint8Array([0x41])))}`);
}

console.log('-- fatal while streaming');
{
  const decoder = new TextDecoder('utf-8', { fatal: true });
  console.log(`partial: ${JSON.stringify(decoder.decode(new Uint8Array([0xf0, 0x9f]), { stream: true }))}`);
  try {
    decoder.decode();
  } catch (e) {
    console.log(`flushing a partial sequence: ${e.name}`);
  }
  console.log(`afterwards: ${decoder.decode(new Uint8Array([0x6f, 0x6b]))}`);
}
