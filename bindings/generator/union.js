'use strict';
// Union types (WebIDL §3.2.24 "ES to union"): a conversion function per union, trying the
// member types in the order the algorithm prescribes. The implementation receives a
// std::variant of the member types, in IDL order.

const { GeneratorError } = require('./errors');
const types = require('./types');

function generateUnionConverter(unionType) {
  const members = unionType.members;
  const indexOf = (predicate) => members.findIndex(predicate);
  for (const member of members) {
    if (member.kind === 'nullable' || member.kind === 'undefined' || member.kind === 'any') {
      throw new GeneratorError(`${unionType.idlName}: ${member.idlName} in a union is not supported yet`);
    }
  }
  const lines = [
    `// ${unionType.idlName}`,
    `bool ${unionType.functionName}(const bindings::ExceptionContext& exception_context,`,
    `    v8::Local<v8::Value> value, ${unionType.cppType}& out) {`,
  ];
  const convertTo = (index, indent) => {
    const member = members[index];
    const initializer = ['boolean', 'integer', 'float', 'interface'].includes(member.kind) ? '{}' : '';
    return [
      `${indent}${member.cppType} converted${initializer};`,
      `${indent}if (!${types.convertExpression(member, 'exception_context', 'value', 'converted')}) return false;`,
      `${indent}out.emplace<${index}>(std::move(converted));`,
      `${indent}return true;`,
    ];
  };
  const dictionary = indexOf((member) => member.kind === 'dictionary');
  // Step 4: undefined and null go to a dictionary type.
  if (dictionary >= 0) {
    lines.push('  if (value->IsNullOrUndefined()) {', ...convertTo(dictionary, '    '), '  }');
  }
  // Step 5: a platform object goes to an interface type it implements.
  members.forEach((member, index) => {
    if (member.kind !== 'interface') return;
    const implementation = member.tag.replace(/^bindings::IDLInterface<(.*)>$/, '$1');
    lines.push(`  if (bindings::IsWrapperOf(exception_context.isolate(), value, ${implementation}::wrapper_type_info)) {`,
      ...convertTo(index, '    '), '  }');
  });
  // Step 11: other objects go to a sequence, callback function, dictionary, record, callback
  // interface or object type (a union has at most one of dictionary and record).
  const sequence = indexOf((member) => member.kind === 'sequence');
  const callbackFunction = indexOf((member) => member.kind === 'callback-function');
  const objectLike = ['dictionary', 'record', 'callback-interface', 'object']
    .map((kind) => indexOf((member) => member.kind === kind)).find((index) => index >= 0) ?? -1;
  if (sequence >= 0 || callbackFunction >= 0 || objectLike >= 0) {
    lines.push('  if (value->IsObject()) {');
    if (sequence >= 0) {
      // GetMethod(V, @@iterator), read once and used to create the sequence.
      const member = members[sequence];
      lines.push('    v8::Local<v8::Value> iterator_method;',
        '    if (!value.As<v8::Object>()->Get(exception_context.context(), v8::Symbol::GetIterator(exception_context.isolate())).ToLocal(&iterator_method)) return false;',
        '    if (!iterator_method->IsNullOrUndefined()) {',
        `      ${member.cppType} converted;`,
        `      if (!bindings::NativeValueTraits<${member.tag}>::ConvertFromMethod(exception_context, value.As<v8::Object>(), iterator_method, converted)) return false;`,
        `      out.emplace<${sequence}>(std::move(converted));`,
        '      return true;',
        '    }');
    }
    if (callbackFunction >= 0) {
      lines.push('    if (value.As<v8::Object>()->IsCallable()) {', ...convertTo(callbackFunction, '      '), '    }');
    }
    if (objectLike >= 0) lines.push(...convertTo(objectLike, '    '));
    lines.push('  }');
  }
  const boolean = indexOf((member) => member.kind === 'boolean');
  const numeric = indexOf((member) => member.kind === 'integer' || member.kind === 'float');
  const string = indexOf((member) => member.kind === 'string');
  // Steps 12-13: a boolean or a number goes to that type when the union has it.
  if (boolean >= 0) lines.push('  if (value->IsBoolean()) {', ...convertTo(boolean, '    '), '  }');
  if (numeric >= 0) lines.push('  if (value->IsNumber()) {', ...convertTo(numeric, '    '), '  }');
  // Steps 15-17: otherwise a string type, then a numeric type, then boolean.
  const fallback = string >= 0 ? string : numeric >= 0 ? numeric : boolean;
  if (fallback >= 0) {
    lines.push(...convertTo(fallback, '  '));
  } else {
    lines.push(`  exception_context.ThrowNotOfType("${unionType.idlName}");`, '  return false;');
  }
  lines.push('}');
  return lines;
}

module.exports = { generateUnionConverter };
