#!/usr/bin/env node
'use strict';
// The WebIDL → V8 bindings generator. Run by CMake at build time (bindings/CMakeLists.txt):
//
//   node generate.js --source-root DIR --output DIR --include-prefix PREFIX
//                    --list-function NAME [--clang-format PATH]
//                    --idl A.idl ... [--import B.idl ... --import-include-prefix PREFIX]
//   node generate.js --list-outputs --idl A.idl ... --list-function NAME
//
// --idl files are generated; --import files only provide definitions (their generated headers
// are included from --import-include-prefix). An output is written only when its text
// changed, so that touching one .idl rebuilds only what depends on it.

const childProcess = require('child_process');
const fs = require('fs');
const path = require('path');
const { GeneratorError } = require('./errors');
const { Model } = require('./model');
const names = require('./names');
const { generateFile, generateInterfaceList } = require('./file');

function parseArguments(argv) {
  const options = { idl: [], import: [], clangFormat: null, listOutputs: false };
  let list = null;
  for (let index = 0; index < argv.length; ++index) {
    const argument = argv[index];
    const value = () => {
      if (index + 1 >= argv.length) throw new GeneratorError(`${argument} needs a value`);
      return argv[++index];
    };
    switch (argument) {
      case '--source-root': options.sourceRoot = path.resolve(value()); break;
      case '--output': options.output = path.resolve(value()); break;
      case '--include-prefix': options.includePrefix = value(); break;
      case '--import-include-prefix': options.importIncludePrefix = value(); break;
      case '--list-function': options.listFunction = value(); break;
      case '--clang-format': options.clangFormat = value(); break;
      case '--list-outputs': options.listOutputs = true; break;
      case '--idl': list = options.idl; break;
      case '--import': list = options.import; break;
      default:
        if (argument.startsWith('--') || !list) throw new GeneratorError(`unknown argument ${argument}`);
        list.push(path.resolve(argument));
    }
  }
  return options;
}

// Formats C++ with the repository's .clang-format, when clang-format is available.
function format(text, fileName, options) {
  if (!options.clangFormat) return text;
  return childProcess.execFileSync(options.clangFormat, [
    '--style=file', `--assume-filename=${path.join(options.sourceRoot, 'bindings', 'generated', fileName)}`,
  ], { input: text, encoding: 'utf8' });
}

// Returns [{ name, text }] for every output.
function generate(options) {
  const model = new Model([
    ...options.idl.map((file) => ({ path: file, generate: true })),
    ...options.import.map((file) => ({ path: file, generate: false })),
  ], options.sourceRoot);
  const includePrefixFor = (file) => (file.generate ? options.includePrefix : options.importIncludePrefix);
  const generatedFiles = model.files.filter((file) => file.generate);
  const outputs = [];
  for (const file of generatedFiles) outputs.push(...generateFile(model, file, { includePrefixFor }));
  outputs.push(generateInterfaceList(model, generatedFiles, options.listFunction));
  return outputs.map(({ name, text }) => ({ name, text: format(text, name, options) }));
}

function outputNames(options) {
  return [
    ...options.idl.flatMap((file) => {
      const base = names.generatedBaseName(path.basename(file, '.idl'));
      return [`${base}.h`, `${base}.cc`];
    }),
    `v8_${names.snakeCase(options.listFunction)}.cc`,
  ];
}

function writeIfChanged(filePath, text) {
  if (fs.existsSync(filePath) && fs.readFileSync(filePath, 'utf8') === text) return false;
  fs.mkdirSync(path.dirname(filePath), { recursive: true });
  fs.writeFileSync(filePath, text);
  return true;
}

function main() {
  const options = parseArguments(process.argv.slice(2));
  if (options.listOutputs) {
    process.stdout.write(outputNames(options).join(';'));
    return;
  }
  for (const { name, text } of generate(options)) writeIfChanged(path.join(options.output, name), text);
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    if (!(error instanceof GeneratorError)) throw error;
    process.stderr.write(`generate.js: error: ${error.message}\n`);
    process.exit(1);
  }
}

module.exports = { generate, outputNames, parseArguments };
