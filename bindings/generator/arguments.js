'use strict';
// Arguments of an operation or constructor: WebIDL §3.7.6 overload resolution for a single
// overload (argument count check) and the conversion of each argument, optional ones and
// their default values included.

const { GeneratorError } = require('./errors');
const names = require('./names');
const types = require('./types');

const kScalarKinds = ['boolean', 'integer', 'float', 'interface'];

// Returns { lines, requiredCount, parameters: [{ cppType, pass }] }.
function convertArguments(model, idlArguments, dependencies) {
  const lines = [];
  const parameters = [];
  let requiredCount = 0;
  idlArguments.forEach((argument, index) => {
    if (argument.variadic) throw new GeneratorError(`variadic argument '${argument.name}' is not supported yet`);
    const type = types.resolveType(model, argument.idlType, argument.extAttrs, dependencies);
    const variable = names.variableName(argument.name);
    const value = `info[${index}]`;
    const context = `exception_context.ForArgument(${index + 1})`;
    const initializer = kScalarKinds.includes(type.kind) ? '{}' : '';
    if (!argument.optional) requiredCount = index + 1;
    if (!argument.optional || (argument.default && types.defaultValueExpression(type, argument.default) === null)) {
      // Required, or defaulting to {} / [] which is what converting undefined gives.
      const comment = argument.default ? ` = ${types.defaultValueText(argument.default)}` : '';
      lines.push(`// ${argument.optional ? 'optional ' : ''}${type.idlName} ${argument.name}${comment}`);
      lines.push(`${type.cppType} ${variable}${initializer};`);
      lines.push(`if (!${types.convertExpression(type, context, value, variable)}) return;`);
      parameters.push({ cppType: types.parameterType(type), pass: types.passExpression(type, variable) });
    } else if (argument.default) {
      const defaultValue = types.defaultValueExpression(type, argument.default);
      lines.push(`// optional ${type.idlName} ${argument.name} = ${types.defaultValueText(argument.default)}`);
      lines.push(`${type.cppType} ${variable} = ${defaultValue};`);
      lines.push(`if (!${value}->IsUndefined() && !${types.convertExpression(type, context, value, variable)}) return;`);
      parameters.push({ cppType: types.parameterType(type), pass: types.passExpression(type, variable) });
    } else {
      // Optional without a default: std::optional, empty when the argument is undefined.
      lines.push(`// optional ${type.idlName} ${argument.name}`);
      lines.push(`std::optional<${type.cppType}> ${variable};`);
      lines.push(`if (!${value}->IsUndefined()) {`);
      lines.push(`  ${type.cppType} converted${initializer};`);
      lines.push(`  if (!${types.convertExpression(type, context, value, 'converted')}) return;`);
      lines.push(`  ${variable} = std::move(converted);`);
      lines.push('}');
      parameters.push({ cppType: `std::optional<${type.cppType}>`, pass: `std::move(${variable})` });
    }
  });
  return { lines, requiredCount, parameters };
}

// The IDL text of an argument list, for comments.
function argumentsText(idlArguments) {
  return idlArguments.map((argument) => {
    const type = typeText(argument.idlType);
    const defaultText = argument.default ? ` = ${types.defaultValueText(argument.default)}` : '';
    return `${argument.optional ? 'optional ' : ''}${type} ${argument.name}${defaultText}`;
  }).join(', ');
}

function typeText(idlType) {
  if (idlType.union) return '(' + idlType.idlType.map(typeText).join(' or ') + ')' + (idlType.nullable ? '?' : '');
  if (idlType.generic) return `${idlType.generic}<${idlType.idlType.map(typeText).join(', ')}>` + (idlType.nullable ? '?' : '');
  return idlType.idlType + (idlType.nullable ? '?' : '');
}

// The requires-expression parameters and call arguments of a static check.
function staticCheckParameters(parameters) {
  return {
    declarations: parameters.map((parameter, index) => `${parameter.cppType} argument${index}`),
    uses: parameters.map((parameter, index) => (parameter.cppType.endsWith('&') ? `argument${index}` : `std::move(argument${index})`)),
  };
}

module.exports = { convertArguments, argumentsText, typeText, staticCheckParameters };
