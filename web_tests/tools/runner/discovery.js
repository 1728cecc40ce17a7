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
const kKnownDirectives = new Set(['timeout', 'isolated-server', 'shell-args', 'env', 'base', 'servers']);

// "{name}" in shell-args, env and base: the port of the server `name` (kPortComponents).
const kPlaceholder = /\{([A-Za-z0-9_]+)\}/g;

function isTestFile(fileName) {
  return kTestExtensions.has(path.extname(fileName)) && !fileName.startsWith('.');
}

function baselinePathFor(testPath) {
  return testPath.slice(0, -path.extname(testPath).length) + '-expected.txt';
}

// Splits a directive line into [key, value] pairs: `key`, `key=value`, `key="a value"` or
// `key='a value'` (value true when there is no "=").
function directiveTokens(text) {
  const tokens = [];
  const pattern = /([^\s=]+)(?:=(?:"([^"]*)"|'([^']*)'|(\S*)))?/g;
  let match;
  while ((match = pattern.exec(text)) !== null) {
    const [, key, doubleQuoted, singleQuoted, bare] = match;
    const hasValue = match[0].length > key.length;
    tokens.push([key, hasValue ? doubleQuoted ?? singleQuoted ?? bare : true]);
  }
  return tokens;
}

// The port names a text's "{name}" placeholders use.
function placeholdersIn(text) {
  return [...String(text).matchAll(kPlaceholder)].map((match) => match[1]);
}

// Replaces every "{name}" with ports[name]; throws on an unknown name.
function expandPlaceholders(text, ports) {
  return text.replace(kPlaceholder, (whole, name) => {
    if (ports[name] === undefined) throw new Error(`no port for ${whole}`);
    return String(ports[name]);
  });
}

// Directives: "web-test: timeout=30 isolated-server" on a line among the first 20 of the file,
// e.g. "// web-test: timeout=30" or "<!-- web-test: isolated-server -->". Values may be quoted.
//   timeout=S             the shell's --timeout for this test
//   isolated-server       a reference server of its own
//   shell-args="ARG …"    extra shell arguments (split at spaces)
//   env="NAME=VALUE …"    the shell's environment (besides the runner's own, without proxy variables)
//   base=URL              load the page from URL + name instead of the shared reference server
//   servers=a,b           optional servers to start (kComponents)
// In shell-args, env and base "{name}" is the port of server `name` (kPortComponents).
function parseDirectives(text) {
  // Loaded here: environment.js pulls in the server modules, which discovery does not need.
  const {kComponents, kPortComponents} = require('./environment');
  const directives = {};
  const errors = [];
  const checkPlaceholders = (key, value) => {
    for (const name of placeholdersIn(value)) {
      if (!Object.hasOwn(kPortComponents, name)) errors.push(`unknown port {${name}} in ${key}`);
    }
  };
  for (const line of text.split('\n').slice(0, 20)) {
    const match = /\bweb-test:\s*(.*?)\s*(?:-->|\*\/)?\s*$/.exec(line);
    if (match === null) continue;
    for (const [key, value] of directiveTokens(match[1])) {
      if (!kKnownDirectives.has(key)) {
        errors.push(`unknown directive "${key}"`);
        continue;
      }
      const needsValue = key !== 'isolated-server';
      if (needsValue && (value === true || value === '')) {
        errors.push(`${key} needs a value`);
        continue;
      }
      if (!needsValue && value !== true) {
        errors.push(`${key} takes no value`);
        continue;
      }
      switch (key) {
        case 'timeout':
          if (!(Number(value) > 0)) {
            errors.push(`bad timeout "${value}"`);
            continue;
          }
          directives.timeout = Number(value);
          break;
        case 'shell-args':
          checkPlaceholders(key, value);
          directives['shell-args'] = [...(directives['shell-args'] ?? []), ...value.split(/\s+/).filter(Boolean)];
          break;
        case 'env': {
          checkPlaceholders(key, value);
          const env = directives.env ?? {};
          for (const assignment of value.split(/\s+/).filter(Boolean)) {
            const equals = assignment.indexOf('=');
            if (equals <= 0) {
              errors.push(`bad env "${assignment}" (NAME=VALUE)`);
              continue;
            }
            env[assignment.slice(0, equals)] = assignment.slice(equals + 1);
          }
          directives.env = env;
          break;
        }
        case 'base':
          checkPlaceholders(key, value);
          if (!/^https?:\/\/[^/]+\/$/.test(value)) {
            errors.push(`bad base "${value}" (http(s)://HOST:PORT/)`);
            continue;
          }
          directives.base = value;
          break;
        case 'servers': {
          const names = value.split(',').map((name) => name.trim()).filter(Boolean);
          const unknown = names.filter((name) => !kComponents.includes(name));
          if (unknown.length > 0) {
            errors.push(`unknown server${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (known: ${kComponents.join(', ')})`);
            continue;
          }
          directives.servers = [...new Set([...(directives.servers ?? []), ...names])];
          break;
        }
        default:
          directives[key] = value;
      }
    }
  }
  return {directives, errors};
}

// The optional servers (kComponents) a test needs: those it names in servers= and those whose
// ports its directives use.
function componentsFor(test) {
  const {kPortComponents} = require('./environment');
  const needed = new Set(test.directives.servers ?? []);
  const texts = [...(test.directives['shell-args'] ?? []), ...Object.values(test.directives.env ?? {}),
                 test.directives.base ?? ''];
  for (const text of texts) {
    for (const name of placeholdersIn(text)) {
      const component = kPortComponents[name];
      if (component !== undefined && component !== 'core') needed.add(component);
    }
  }
  return needed;
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

module.exports = {
  kExcludedDirectories, kKnownDirectives, isTestFile, baselinePathFor, directiveTokens, placeholdersIn, expandPlaceholders,
  parseDirectives, componentsFor, discoverTests,
};
