'use strict';
// The model: every definition of every .idl file, parsed with webidl2, with the [bindings]
// pragmas of its file (the implementation's C++ namespace and headers).
//
//   // [bindings] namespace switchboard::dom
//   // [bindings] include engine/dom/event.h

const fs = require('fs');
const path = require('path');
const webidl2 = require('webidl2');
const { GeneratorError } = require('./errors');

function readPragmas(text, relativePath) {
  const pragmas = { namespace: null, includes: [] };
  for (const line of text.split('\n')) {
    const match = /^\s*\/\/\s*\[bindings\]\s+(\w+)\s+(\S+)\s*$/.exec(line);
    if (!match) continue;
    if (match[1] === 'namespace') pragmas.namespace = match[2];
    else if (match[1] === 'include') pragmas.includes.push(match[2]);
    else throw new GeneratorError(`${relativePath}: unknown [bindings] pragma '${match[1]}'`);
  }
  if (!pragmas.namespace) {
    throw new GeneratorError(`${relativePath}: missing '// [bindings] namespace <C++ namespace>'`);
  }
  return pragmas;
}

class Model {
  // `files`: [{ path, generate }]; `sourceRoot`: for the relative names in generated headers.
  constructor(files, sourceRoot) {
    this.files = [];
    this.definitions = new Map();  // name → { definition, file }
    this.includes = new Map();  // interface name → [mixin name] (WebIDL §2.5 includes statements)
    for (const { path: filePath, generate } of files) {
      const text = fs.readFileSync(filePath, 'utf8');
      const relativePath = path.relative(sourceRoot, filePath).split(path.sep).join('/');
      let ast;
      try {
        ast = webidl2.parse(text, { sourceName: relativePath });
      } catch (error) {
        throw new GeneratorError(`${relativePath}: ${error.message}`);
      }
      const file = {
        relativePath,
        stem: path.basename(filePath, '.idl'),
        generate,
        pragmas: readPragmas(text, relativePath),
        definitions: ast,
      };
      this.files.push(file);
      for (const definition of ast) {
        if (definition.partial || definition.type === 'namespace') {
          throw new GeneratorError(
            `${relativePath}: ${definition.type} ${definition.name || ''} is not supported yet`);
        }
        if (definition.type === 'includes') {
          if (!this.includes.has(definition.target)) this.includes.set(definition.target, []);
          this.includes.get(definition.target).push(definition.includes);
          continue;
        }
        if (this.definitions.has(definition.name)) {
          throw new GeneratorError(`${relativePath}: '${definition.name}' is defined twice`);
        }
        this.definitions.set(definition.name, { definition, file });
      }
    }
  }

  lookup(name) {
    return this.definitions.get(name);
  }

  // Whether script receives values of this dictionary (an operation or attribute returns it,
  // or a returned dictionary inherits from it): only those get a C++ → script conversion.
  isReturnedDictionary(name) {
    if (!this.returnedDictionaries) {
      this.returnedDictionaries = new Set();
      const add = (dictionaryName) => {
        const entry = this.lookup(dictionaryName);
        if (!entry || entry.definition.type !== 'dictionary') return;
        this.returnedDictionaries.add(dictionaryName);
        if (entry.definition.inheritance) add(entry.definition.inheritance);
      };
      for (const { definition } of this.definitions.values()) {
        if (definition.type !== 'interface') continue;
        for (const member of definition.members) {
          if ((member.type === 'operation' || member.type === 'attribute') && member.idlType &&
              !member.idlType.union && !member.idlType.generic) {
            add(member.idlType.idlType);
          }
        }
      }
    }
    return this.returnedDictionaries.has(name);
  }

  // The interface mixins an interface includes (WebIDL §2.5), in the order of the includes
  // statements, each checked to be a mixin.
  includedMixins(interfaceDefinition) {
    return (this.includes.get(interfaceDefinition.name) || []).map((mixinName) => {
      const entry = this.lookup(mixinName);
      if (!entry || entry.definition.type !== 'interface mixin') {
        throw new GeneratorError(
          `${interfaceDefinition.name} includes '${mixinName}', which is not an interface mixin`);
      }
      return entry.definition;
    });
  }

  // The C++ name of an implementation type relative to namespace switchboard::bindings, where
  // the generated code lives: switchboard::dom::Event → dom::Event.
  implementationName(name) {
    const qualified = this.qualifiedName(name);
    return qualified.startsWith('switchboard::') ? qualified.slice('switchboard::'.length) : qualified;
  }

  // The fully qualified C++ name of an implementation type: switchboard::dom::Event.
  qualifiedName(name) {
    return `${this.lookup(name).file.pragmas.namespace}::${name}`;
  }

  // The interface's ancestors, nearest first.
  ancestors(interfaceDefinition) {
    const result = [];
    let current = interfaceDefinition;
    while (current.inheritance) {
      const parent = this.lookup(current.inheritance);
      if (!parent) throw new GeneratorError(`unknown parent interface '${current.inheritance}'`);
      result.push(parent.definition);
      current = parent.definition;
    }
    return result;
  }

  inheritsFrom(interfaceDefinition, ancestorName) {
    return this.ancestors(interfaceDefinition).some((ancestor) => ancestor.name === ancestorName);
  }
}

module.exports = { Model };
