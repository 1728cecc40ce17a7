#!/usr/bin/env node
'use strict';
// Golden tests of the generator: idl/tests/*.idl (with idl/*.idl imported) must generate
// exactly idl/tests/expected/*. Run by ctest; after an intended change of the output, run
//
//   node bindings/generator/golden_test.js --update-golden
//
// and review the diff of idl/tests/expected/.

const fs = require('fs');
const path = require('path');
const { GeneratorError } = require('./errors');
const { generate } = require('./generate');

function firstDifference(expected, actual) {
  const expectedLines = expected.split('\n');
  const actualLines = actual.split('\n');
  for (let index = 0; index < Math.max(expectedLines.length, actualLines.length); ++index) {
    if (expectedLines[index] !== actualLines[index]) {
      return `line ${index + 1}:\n  expected: ${expectedLines[index]}\n  actual:   ${actualLines[index]}`;
    }
  }
  return 'no difference';
}

function main() {
  const argv = process.argv.slice(2);
  const update = argv.includes('--update-golden');
  const clangFormatIndex = argv.indexOf('--clang-format');
  const sourceRoot = path.resolve(__dirname, '..', '..');
  const testsDirectory = path.join(sourceRoot, 'idl', 'tests');
  const expectedDirectory = path.join(testsDirectory, 'expected');
  const idlFiles = (directory) => fs.readdirSync(directory).filter((name) => name.endsWith('.idl'))
    .sort().map((name) => path.join(directory, name));
  const outputs = generate({
    sourceRoot,
    idl: idlFiles(testsDirectory),
    import: idlFiles(path.join(sourceRoot, 'idl')),
    includePrefix: 'bindings/generated/tests',
    importIncludePrefix: 'bindings/generated',
    listFunction: 'TestExposedInterfaces',
    clangFormat: clangFormatIndex >= 0 ? argv[clangFormatIndex + 1] : 'clang-format',
  });

  if (update) {
    fs.rmSync(expectedDirectory, { recursive: true, force: true });
    fs.mkdirSync(expectedDirectory, { recursive: true });
    for (const { name, text } of outputs) fs.writeFileSync(path.join(expectedDirectory, name), text);
    console.log(`golden_test: wrote ${outputs.length} files to ${path.relative(sourceRoot, expectedDirectory)}`);
    return 0;
  }
  let failures = 0;
  const expectedNames = new Set(fs.existsSync(expectedDirectory) ? fs.readdirSync(expectedDirectory) : []);
  for (const { name, text } of outputs) {
    if (!expectedNames.has(name)) {
      console.log(`FAIL ${name}: generated but not in idl/tests/expected/`);
      ++failures;
      continue;
    }
    expectedNames.delete(name);
    const expected = fs.readFileSync(path.join(expectedDirectory, name), 'utf8');
    if (expected === text) {
      console.log(`ok   ${name}`);
    } else {
      console.log(`FAIL ${name}: differs at ${firstDifference(expected, text)}`);
      ++failures;
    }
  }
  for (const name of expectedNames) {
    console.log(`FAIL ${name}: expected but no longer generated`);
    ++failures;
  }
  if (failures) console.log(`golden_test: ${failures} failure(s); run with --update-golden if intended`);
  return failures ? 1 : 0;
}

try {
  process.exit(main());
} catch (error) {
  if (!(error instanceof GeneratorError)) throw error;
  process.stderr.write(`golden_test.js: error: ${error.message}\n`);
  process.exit(1);
}
