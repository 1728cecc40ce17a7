// Finding the web tests and reading their directives (README.md "Writing a test").
//
// A test is a .html or .js file under the tests directory, outside the directories named in
// kExcludedDirectories (at any depth) and outside dot-directories. Its baseline is the file
// beside it with "-expected.txt" in place of the extension. Helper scripts therefore live in a
// "resources" directory.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const kExcludedDirectories = new Set(['resources', 'servers', 'tools', 'fixtures', 'results', 'node_modules']);
const kTestExtensions = new Set(['.html', '.js']);
const kKnownDirectives = new Set(['timeout', 'isolated-server']);

function isTestFile(fileName) {
  return kTestExtensions.has(path.extname(fileName)) && !fileName.startsWith('.');
}

function baselinePathFor(testPath) {
  return testPath.slice(0, -path.extname(testPath).length) + '-expected.txt';
}

// Directives: "web-test: timeout=30 isolated-server" on a line among the first 20 of the file,
// e.g. "// web-test: timeout=30" or "<!-- web-test: isolated-server -->".
function parseDirectives(text) {
  const directives = {};
  const errors = [];
  for (const line of text.split('\n').slice(0, 20)) {
    const match = /\bweb-test:\s*(.*?)\s*(?:-->|\*\/)?\s*$/.exec(line);
    if (match === null) continue;
    for (const token of match[1].split(/\s+/).filter(Boolean)) {
      const [key, ...rest] = token.split('=');
      const value = rest.length === 0 ? true : rest.join('=');
      if (!kKnownDirectives.has(key)) {
        errors.push(`unknown directive "${key}"`);
        continue;
      }
      if (key === 'timeout' && !(Number(value) > 0)) {
        errors.push(`bad timeout "${value}"`);
        continue;
      }
      directives[key] = key === 'timeout' ? Number(value) : value;
    }
  }
  return {directives, errors};
}

// Every test under `testsDirectory`, sorted by name; `name` is the path relative to `rootDirectory`
// with '/' separators (the URL path the test is served under).
function discoverTests(rootDirectory, testsDirectory, select = null) {
  const tests = [];
  const walk = (directory) => {
    const entries = fs.readdirSync(directory, {withFileTypes: true})
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const fullPath = path.join(directory, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.') && !kExcludedDirectories.has(entry.name)) walk(fullPath);
      } else if (entry.isFile() && isTestFile(entry.name)) {
        const name = path.relative(rootDirectory, fullPath).split(path.sep).join('/');
        if (select !== null && !select(name)) continue;
        const {directives, errors} = parseDirectives(fs.readFileSync(fullPath, 'utf8'));
        tests.push({name, path: fullPath, baselinePath: baselinePathFor(fullPath), directives, directiveErrors: errors});
      }
    }
  };
  walk(testsDirectory);
  return tests.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

module.exports = {kExcludedDirectories, isTestFile, baselinePathFor, parseDirectives, discoverTests};
