'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const test = require('node:test');

const {
  baselinePathFor, componentsFor, directiveTokens, discoverTests, expandPlaceholders, isTestFile, parseDirectives,
} = require('../discovery');

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

test('directive values may be quoted; shell-args and env split at spaces', () => {
  assert.deepEqual(directiveTokens(`a b=1 c="x y" d='p q' e=`), [['a', true], ['b', '1'], ['c', 'x y'], ['d', 'p q'], ['e', '']]);
  const {directives, errors} = parseDirectives(
      '<!-- web-test: shell-args="--proxy http://u:p@127.0.0.1:{tinyproxy}" env="http_proxy=http://127.0.0.1:{closed} ' +
      'no_proxy=127.0.0.1,.example.test" base=http://127.0.0.1:{nginx}/ servers=tls,nginx timeout=30 -->');
  assert.deepEqual(errors, []);
  assert.deepEqual(directives, {
    'shell-args': ['--proxy', 'http://u:p@127.0.0.1:{tinyproxy}'],
    'env': {http_proxy: 'http://127.0.0.1:{closed}', no_proxy: '127.0.0.1,.example.test'},
    'base': 'http://127.0.0.1:{nginx}/',
    'servers': ['tls', 'nginx'],
    'timeout': 30,
  });
});

test('bad new directives are errors', () => {
  assert.deepEqual(parseDirectives('// web-test: servers=tinyproxy,apache').errors,
                   ['unknown server apache (known: tinyproxy, squid, nginx, tls)']);
  assert.deepEqual(parseDirectives('// web-test: shell-args="--proxy http://127.0.0.1:{nosuch}"').errors,
                   ['unknown port {nosuch} in shell-args']);
  assert.deepEqual(parseDirectives('// web-test: env="JUSTANAME" base=ftp://x/ shell-args').errors,
                   ['bad env "JUSTANAME" (NAME=VALUE)', 'bad base "ftp://x/" (http(s)://HOST:PORT/)', 'shell-args needs a value']);
  assert.deepEqual(parseDirectives('// web-test: isolated-server=1').errors, ['isolated-server takes no value']);
});

test('the optional servers a test needs: servers= and the placeholders it uses', () => {
  const needs = (text) => [...componentsFor({directives: parseDirectives(text).directives})].sort();
  assert.deepEqual(needs('// web-test: timeout=3'), []);
  assert.deepEqual(needs('// web-test: servers=tls'), ['tls']);
  assert.deepEqual(needs('// web-test: shell-args="--proxy http://127.0.0.1:{squid}" env="A={closed}"'), ['squid']);
  assert.deepEqual(needs('// web-test: base=https://127.0.0.1:{https}/ env="P=http://x:{tinyproxy}"'), ['tinyproxy']);
  assert.deepEqual(needs('// web-test: base=http://127.0.0.1:{nginx}/ servers=tls'), ['nginx', 'tls']);
  assert.equal(expandPlaceholders('http://127.0.0.1:{nginx}/{nginx}', {nginx: 8080}), 'http://127.0.0.1:8080/8080');
  assert.throws(() => expandPlaceholders('{squid}', {}), /no port for \{squid\}/);
});
