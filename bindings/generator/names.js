'use strict';
// Name conversions between WebIDL identifiers and the C++ the generator writes.

// "EventTarget" → "event_target", "DOMException" → "dom_exception", "isTrusted" → "is_trusted".
function snakeCase(name) {
  return name
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

// "addEventListener" → "AddEventListener".
function upperCamelCase(name) {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

// "CAPTURING_PHASE" → "kCapturingPhase".
function constantName(name) {
  return 'k' + name.toLowerCase().split('_').filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}

// The implementation's getter and setter of an attribute: type(), set_return_value().
function getterName(attribute) {
  return snakeCase(attribute);
}
function setterName(attribute) {
  return 'set_' + snakeCase(attribute);
}

// The implementation's method for an operation: AddEventListener().
function methodName(operation) {
  return upperCamelCase(operation);
}

// Generated file names for one .idl file: Event.idl → v8_event.h / v8_event.cc.
function generatedBaseName(idlStem) {
  return 'v8_' + snakeCase(idlStem);
}

// A C++ identifier for a local variable named after an IDL identifier.
const kCppKeywords = new Set(['default', 'delete', 'new', 'class', 'namespace', 'operator',
  'template', 'this', 'union', 'register', 'private', 'public', 'protected', 'int', 'long',
  'short', 'char', 'bool', 'double', 'float', 'signed', 'unsigned', 'void', 'auto', 'const']);
function variableName(name) {
  const snake = snakeCase(name);
  return kCppKeywords.has(snake) ? snake + '_value' : snake;
}

module.exports = {
  snakeCase, upperCamelCase, constantName, getterName, setterName, methodName,
  generatedBaseName, variableName,
};
