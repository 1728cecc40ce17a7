'use strict';
// Constants (WebIDL §3.7.5): a data property on the interface object and on the prototype,
// checked against the implementation's own constant of the same name (kCapturingPhase).

const names = require('./names');
const types = require('./types');

function generateConstant(model, interfaceName, file, constant) {
  const cppName = names.constantName(constant.name);
  const type = types.resolveType(model, constant.idlType, constant.extAttrs, new Set());
  const value = types.defaultValueExpression(type, constant.value);
  return {
    staticChecks: [
      `static_assert(static_cast<${type.cppType}>(Implementation::${cppName}) == ${value},`,
      `              "${file}: ${interfaceName}.${constant.name} must be Implementation::${cppName} = ${value}");`,
    ],
    registration: `builder.AddConstant("${constant.name}", ${value});`,
  };
}

module.exports = { generateConstant };
