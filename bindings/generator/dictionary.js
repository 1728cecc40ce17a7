'use strict';
// Dictionaries (WebIDL §3.2.19): the implementation declares a struct of the same name whose
// members are the IDL members in snake_case — T for members with a default or `required`,
// std::optional<T> otherwise. Inherited members are converted first, then the dictionary's
// own in lexicographic order; undefined and null convert to all-defaults. A dictionary that
// script receives (an operation returns it) also converts back to a new object (§3.2.19,
// "converting an IDL dictionary value to an ECMAScript value"), members present only.

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
  if (model.isReturnedDictionary(dictionary.name)) {
    generateToV8(model, dictionary, implementation, members, header, body, dependencies);
  }
  return { header, staticChecks, body };
}

function generateToV8(model, dictionary, implementation, members, header, body, dependencies) {
  header.push('',
    'template <>',
    `struct ToV8Traits<IDLDictionary<${implementation}>> {`,
    `  static v8::Local<v8::Value> ToV8(v8::Isolate* isolate, const ${implementation}& value);`,
    '};');
  const traits = `bindings::ToV8Traits<bindings::IDLDictionary<${implementation}>>`;
  body.push('',
    `// dictionary ${dictionary.name} → a new object`,
    `v8::Local<v8::Value> ${traits}::ToV8(v8::Isolate* isolate, const ${implementation}& value) {`,
    '  v8::Local<v8::Context> context = isolate->GetCurrentContext();');
  if (dictionary.inheritance) {
    const parentImplementation = model.implementationName(dictionary.inheritance);
    body.push(
      '  // Inherited members first, on the object the parent makes.',
      `  v8::Local<v8::Value> parent = bindings::ToV8Traits<bindings::IDLDictionary<${parentImplementation}>>::ToV8(`,
      `      isolate, static_cast<const ${parentImplementation}&>(value));`,
      '  if (parent.IsEmpty()) return {};',
      '  v8::Local<v8::Object> object = parent.As<v8::Object>();');
  } else {
    body.push('  v8::Local<v8::Object> object = v8::Object::New(isolate);');
  }
  body.push('  v8::Local<v8::Value> member;');
  for (const member of members) {
    const type = types.resolveType(model, member.idlType, member.extAttrs, dependencies);
    const field = names.snakeCase(member.name);
    const present = member.required || member.default;
    const source = present ? `value.${field}` : `*value.${field}`;
    body.push(`  // ${type.idlName} ${member.name}`);
    if (!present) body.push(`  if (value.${field}) {`);
    const indent = present ? '  ' : '    ';
    body.push(
      `${indent}member = ${types.toV8Expression(type, 'isolate', source)};`,
      `${indent}if (member.IsEmpty() ||`,
      `${indent}    object->CreateDataProperty(context, v8::String::NewFromUtf8Literal(isolate, "${member.name}"), member).IsNothing()) {`,
      `${indent}  return {};`,
      `${indent}}`);
    if (!present) body.push('  }');
  }
  body.push('  return object;', '}');
}

module.exports = { generateDictionary };
