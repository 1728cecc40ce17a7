'use strict';
// Interfaces (WebIDL §3.7): the interface object's template — constructor, constants,
// attributes, operations — with V8<Interface>::CreateInterfaceTemplate, and the definition of
// the implementation's `wrapper_type_info` that ties the class to it. The members of included
// interface mixins (§2.5) are the interface's own. A [Global] interface (§3.7.5, §3.7.6) puts
// its regular attributes and operations on the global object itself, not on its prototype,
// and has no constructor. Stringifiers (stringifier.js) add toString(); `iterable<K, V>`
// (iterable.js) the pair iterator.

const { GeneratorError } = require('./errors');
const names = require('./names');
const { generateAttribute } = require('./attribute');
const { generateConstant } = require('./constant');
const { generateConstructor } = require('./constructor');
const { generateIterable } = require('./iterable');
const { generateOperation } = require('./operation');
const { generateStringifier } = require('./stringifier');

const kSupportedExtendedAttributes = new Set(['Exposed', 'Global', 'LegacyUnforgeable', 'Serializable']);

function isExposedOnWindow(definition) {
  const exposed = definition.extAttrs.find((attribute) => attribute.name === 'Exposed');
  if (!exposed || !exposed.rhs) return false;
  if (exposed.rhs.type === '*') return true;
  const values = Array.isArray(exposed.rhs.value) ? exposed.rhs.value.map((item) => item.value) : [exposed.rhs.value];
  return values.includes('Window') || values.includes('*');
}

function generateInterface(model, file, definition, dependencies) {
  for (const extAttr of definition.extAttrs) {
    if (!kSupportedExtendedAttributes.has(extAttr.name)) {
      throw new GeneratorError(`${file}: [${extAttr.name}] on interface ${definition.name} is not supported yet`);
    }
  }
  const isGlobal = definition.extAttrs.some((attribute) => attribute.name === 'Global');
  const implementation = model.implementationName(definition.name);
  const localNamespace = `${names.snakeCase(definition.name)}_interface`;
  const v8Class = `V8${definition.name}`;
  const staticChecks = [
    `static_assert(std::derived_from<Implementation, bindings::ScriptWrappable>,`,
    `              "${file}: ${implementation} must derive from bindings::ScriptWrappable");`,
    'static_assert(std::is_same_v<decltype(&Implementation::GetWrapperTypeInfo),',
    '                             const bindings::WrapperTypeInfo* (Implementation::*)() const>,',
    `              "${file}: ${implementation} must use DECLARE_WRAPPER_TYPE_INFO()");`,
  ];
  let parentTypeInfo = 'nullptr';
  if (definition.inheritance) {
    const parent = model.lookup(definition.inheritance);
    if (!parent || parent.definition.type !== 'interface') {
      throw new GeneratorError(`${file}: ${definition.name} inherits from unknown interface '${definition.inheritance}'`);
    }
    dependencies.add(definition.inheritance);
    const parentImplementation = model.implementationName(definition.inheritance);
    staticChecks.push(`static_assert(std::derived_from<Implementation, ${parentImplementation}>,`,
      `              "${file}: ${implementation} must derive from ${parentImplementation}");`);
    parentTypeInfo = `&${model.qualifiedName(definition.inheritance)}::wrapper_type_info`;
  }

  const code = [];
  const registrations = [];
  const seen = new Set();
  let constructorLength = 0;
  let hasConstructor = false;
  // The interface's own members, then those of its mixins (named by their own file in messages).
  const members = [
    ...definition.members.map((member) => ({ member, memberFile: file })),
    ...model.includedMixins(definition).flatMap((mixin) => {
      const mixinFile = model.lookup(mixin.name).file.relativePath;
      return mixin.members.map((member) => ({ member, memberFile: mixinFile }));
    }),
  ];
  for (const { member, memberFile } of members) {
    if (member.name) {
      if (seen.has(member.name)) throw new GeneratorError(`${memberFile}: overloaded '${definition.name}.${member.name}' is not supported yet`);
      seen.add(member.name);
    }
    let generated;
    switch (member.type) {
      case 'constructor':
        if (hasConstructor) throw new GeneratorError(`${file}: overloaded constructors are not supported yet`);
        if (isGlobal) throw new GeneratorError(`${file}: [Global] interface ${definition.name} cannot have a constructor`);
        hasConstructor = true;
        generated = generateConstructor(model, definition.name, file, member, dependencies);
        constructorLength = generated.length;
        break;
      case 'const':
        generated = generateConstant(model, definition.name, memberFile, member);
        staticChecks.push(...generated.staticChecks);
        registrations.push(generated.registration);
        continue;
      case 'attribute':
        generated = generateAttribute(model, definition, memberFile, member, dependencies, { isGlobal });
        break;
      case 'operation':
        // A bare `stringifier;` has only the toString() below.
        generated = member.special === 'stringifier' ? { code: [] }
          : generateOperation(model, definition.name, memberFile, member, dependencies, { isGlobal });
        break;
      case 'iterable':
        generated = generateIterable(model, definition, memberFile, member, dependencies);
        break;
      default:
        throw new GeneratorError(`${memberFile}: ${member.type} members are not supported yet`);
    }
    if (generated.code.length) code.push('', ...generated.code);
    if (generated.registration) registrations.push(generated.registration);
    if (member.special === 'stringifier') {
      if (seen.has('toString')) throw new GeneratorError(`${file}: ${definition.name} has two stringifiers`);
      seen.add('toString');
      const stringifier = generateStringifier(model, definition, file, member, dependencies);
      code.push('', ...stringifier.code);
      registrations.push(stringifier.registration);
    }
  }

  const header = [
    `// interface ${definition.name}`,
    `class ${v8Class} final {`,
    ' public:',
    '  static v8::Local<v8::FunctionTemplate> CreateInterfaceTemplate(v8::Isolate* isolate);',
    '};',
  ];
  const body = [
    `namespace ${localNamespace} {`,
    '',
    `using Implementation = ${implementation};`,
    '',
    ...staticChecks,
    ...code,
    '',
    `}  // namespace ${localNamespace}`,
  ];
  const qualify = (registration) => registration.replace(/&(\w+)/g, `&${localNamespace}::$1`);
  const templateFunction = [
    `v8::Local<v8::FunctionTemplate> ${v8Class}::CreateInterfaceTemplate(v8::Isolate* isolate) {`,
    `  InterfaceTemplateBuilder builder(isolate, ${implementation}::wrapper_type_info, ${hasConstructor ? `&${localNamespace}::Constructor` : 'nullptr'}, ${constructorLength});`,
    ...registrations.map((registration) => '  ' + qualify(registration)),
    '  return builder.Build();',
    '}',
  ];
  // WebIDL §3.7.3: DOMException's prototype inherits from %Error.prototype%.
  const prototypeParent = definition.name === 'DOMException' ? 'kErrorPrototype' : 'kObjectPrototype';
  const typeInfo = [
    `const switchboard::bindings::WrapperTypeInfo ${model.qualifiedName(definition.name)}::wrapper_type_info = {`,
    `    "${definition.name}", ${parentTypeInfo}, &switchboard::bindings::${v8Class}::CreateInterfaceTemplate,`,
    `    switchboard::bindings::WrapperTypeInfo::PrototypeParent::${prototypeParent}};`,
  ];
  return { header, body, templateFunction, typeInfo, exposed: isExposedOnWindow(definition) };
}

module.exports = { generateInterface, isExposedOnWindow };
