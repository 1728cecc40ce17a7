'use strict';
// Dictionaries (WebIDL §3.2.19): the implementation declares a struct of the same name whose
// members are the IDL members in snake_case — T for members with a default or `required`,
// std::optional<T> otherwise. Inherited members are converted first, then the dictionary's
// own in lexicographic order; undefined and null convert to all-defaults.

const names = require('./names');
const types = require('./types');

function generateDictionary(model, file, dictionary, dependencies) {
  const implementation = model.implementationName(dictionary.name);
  const traits = `bindings::NativeValueTraits<bindings::IDLDictionary<${implementation}>>`;
  const header = [
    `// dictionary ${dictionary.name}`,
    'template <>',
    `struct NativeValueTraits<IDLDictionary<${implementation}>> {`,
    `  using ImplType = ${implementation};`,
    '  static bool Convert(const ExceptionContext& exception_context, v8::Local<v8::Value> value,',
    `                      ${implementation}& out);`,
    '};',
  ];

  const staticChecks = [];
  const body = [
    `// dictionary ${dictionary.name}${dictionary.inheritance ? ' : ' + dictionary.inheritance : ''}`,
    `bool ${traits}::Convert(const bindings::ExceptionContext& exception_context,`,
    `    v8::Local<v8::Value> value, ${implementation}& out) {`,
  ];
  // The type check first, so that a non-object is "not of type" this dictionary, not its parent.
  body.push(
    '  v8::Local<v8::Object> object;',
    `  if (!bindings::GetDictionaryObject(exception_context, value, "${dictionary.name}", object)) return false;`);
  if (dictionary.inheritance) {
    const parent = types.resolveType(model, { idlType: dictionary.inheritance, extAttrs: [] }, [], dependencies);
    staticChecks.push(
      `static_assert(std::derived_from<${implementation}, ${model.implementationName(dictionary.inheritance)}>,`,
      `              "${file}: struct ${dictionary.name} must derive from ${dictionary.inheritance}");`);
    body.push('  // Inherited members first.');
    body.push(`  if (!${types.convertExpression(parent, 'exception_context', 'value', 'out')}) return false;`);
  }
  const members = [...dictionary.members].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (members.length) body.push('  v8::Local<v8::Value> member;');
  for (const member of members) {
    const type = types.resolveType(model, member.idlType, member.extAttrs, dependencies);
    const field = names.snakeCase(member.name);
    const context = `exception_context.ForDictionaryMember("${dictionary.name}", "${member.name}")`;
    const defaultExpression = member.default ? types.defaultValueExpression(type, member.default) : undefined;
    const declared = member.required || member.default ? type.cppType : `std::optional<${type.cppType}>`;
    staticChecks.push(
      `static_assert(std::is_same_v<decltype(${implementation}::${field}), ${declared}>,`,
      `              "${file}: dictionary ${dictionary.name} needs member '${declared} ${field}'");`);
    const idlText = `${member.required ? 'required ' : ''}${type.idlName} ${member.name}` +
      (member.default ? ` = ${types.defaultValueText(member.default)}` : '');
    body.push(`  // ${idlText}`);
    body.push(`  if (!bindings::GetDictionaryMember(exception_context, object, "${member.name}", member)) return false;`);
    if (member.default && defaultExpression === null) {
      // {} or []: converting undefined gives the default.
      body.push(`  if (!${types.convertExpression(type, context, 'member', `out.${field}`)}) return false;`);
    } else if (member.default || member.required) {
      body.push('  if (member->IsUndefined()) {');
      if (member.required) {
        body.push(`    ${context}.ThrowTypeError("Required member is undefined.");`, '    return false;');
      } else {
        body.push(`    out.${field} = ${defaultExpression};`);
      }
      body.push(`  } else if (!${types.convertExpression(type, context, 'member', `out.${field}`)}) {`,
        '    return false;', '  }');
    } else {
      const initializer = ['boolean', 'integer', 'float', 'interface'].includes(type.kind) ? '{}' : '';
      body.push('  if (member->IsUndefined()) {', `    out.${field}.reset();`, '  } else {',
        `    ${type.cppType} converted${initializer};`,
        `    if (!${types.convertExpression(type, context, 'member', 'converted')}) return false;`,
        `    out.${field} = std::move(converted);`, '  }');
    }
  }
  body.push('  return true;', '}');
  return { header, staticChecks, body };
}

module.exports = { generateDictionary };
