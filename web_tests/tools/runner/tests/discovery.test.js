'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const test = require('node:test');

const {baselinePathFor, discoverTests, isTestFile, parseDirectives} = require('../discovery');

function makeTree(files) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'discovery-test-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), {recursive: true});
    fs.writeFileSync(path.join(root, name), text);
  }
  return root;
}

test('tests are .html and .js files outside excluded directories, sorted by name', (t) => {
  const root = makeTree({
    'b/second.html': '',
    'b/second-expected.txt': '',
    'a/first.js': '',
    'a/no-baseline-yet.js': '',
    'a/notes.md': '',
    'a/data.json': '',
    'a/resources/helper.js': '',
    'resources/harness.js': '',
    'servers/reference/test_client.js': '',
    'tools/runner/main.js': '',
    'fixtures/broken/broken.js': '',
    'results/old.html': '',
    '.hidden/x.js': '',
    'a/.dotfile.js': '',
  });
  t.after(() => fs.rmSync(root, {recursive: true}));
  const tests = discoverTests(root, root);
  assert.deepEqual(tests.map((entry) => entry.name), ['a/first.js', 'a/no-baseline-yet.js', 'b/second.html']);
  assert.equal(tests[2].baselinePath, path.join(root, 'b/second-expected.txt'));
  // An excluded directory can still be the tests directory itself (the broken-baseline fixture).
  assert.deepEqual(discoverTests(root, path.join(root, 'fixtures')).map((entry) => entry.name),
                   ['fixtures/broken/broken.js']);
  assert.deepEqual(discoverTests(root, root, (name) => /^b\//.test(name)).map((entry) => entry.name),
                   ['b/second.html']);
});

test('baseline names', () => {
  assert.equal(baselinePathFor('/x/foo.html'), '/x/foo-expected.txt');
  assert.equal(baselinePathFor('/x/foo.bar.js'), '/x/foo.bar-expected.txt');
  assert.ok(isTestFile('a.html') && isTestFile('a.js'));
  assert.ok(!isTestFile('a-expected.txt') && !isTestFile('a.mjs') && !isTestFile('.a.js'));
});

test('directives in JS and HTML comments', () => {
  assert.deepEqual(parseDirectives('// web-test: timeout=30 isolated-server\nconsole.log(1)'),
                   {directives: {'timeout': 30, 'isolated-server': true}, errors: []});
  assert.deepEqual(parseDirectives('<!doctype html>\n<!-- web-test: isolated-server -->'),
                   {directives: {'isolated-server': true}, errors: []});
  assert.deepEqual(parseDirectives('/* web-test: timeout=2.5 */'), {directives: {timeout: 2.5}, errors: []});
  assert.deepEqual(parseDirectives('// web-test: timeout=abc retries=3').errors,
                   ['bad timeout "abc"', 'unknown directive "retries"']);
  const late = `${'\n'.repeat(25)}// web-test: timeout=30`;
  assert.deepEqual(parseDirectives(late).directives, {}, 'only the first 20 lines count');
});
