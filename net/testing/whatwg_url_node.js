// Reads URL test cases, one a line: the input and the base (or "-" for none), each as the hex of
// its UTF-8 bytes, separated by a space. Prints one JSON line per case, in order: the href
// Node's URL gives, as a JSON string, or the bare token FAIL when it throws.
// Used by net/whatwg_url_node_diff_test.cc.
'use strict';
const fs = require('fs');

const fromHex = (hex) => Buffer.from(hex, 'hex').toString('utf8');
const lines = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter((line) => line !== '');
const output = [];
for (const line of lines) {
  const [input, base] = line.split(' ');
  try {
    const url = base === '-' ? new URL(fromHex(input)) : new URL(fromHex(input), fromHex(base));
    output.push(JSON.stringify(url.href));
  } catch (error) {
    output.push('FAIL');
  }
}
process.stdout.write(output.join('\n') + '\n');
