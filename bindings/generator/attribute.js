'use strict';
// Attributes (WebIDL §3.7.7): an accessor property with a getter (and a setter unless readonly)
// calling the implementation's `name()` / `set_name(value)`. [LegacyUnforgeable] puts the
// accessor on each instance. `attribute EventHandler on<type>` is an HTML event handler IDL
// attribute, served by EventTarget::GetEventHandler / SetEventHandler. On a [Global] interface
// the accessor is on the global object itself (§3.7.7). A [Replaceable] readonly attribute's
// setter defines an own data property over it (§3.7.7 "attribute setter", step 5). A
// `stringifier attribute` is an attribute like any other here; stringifier.js adds its
// toString(). [SameObject] (a readonly attribute of an interface or object type): the
// implementation returns the same object each time, and its wrapper stays reachable from the
// receiver's.

const { GeneratorError } = require('./errors');
const argumentsModule = require('./arguments');
const names = require('./names');
const types = require('./types');

const kSupportedExtendedAttributes = new Set(['LegacyUnforgeable', 'Replaceable', 'EnforceRange', 'Clamp', 'SameObject']);

function generateAttribute(model, interfaceDefinition, file, attribute, dependencies, { isGlobal = false } = {}) {
  const interfaceName = interfaceDefinition.name;
  if (attribute.special && attribute.special !== 'stringifier') throw new GeneratorError(`${file}: ${attribute.special} attributes are not supported yet`);
  for (const extAttr of attribute.extAttrs) {
    if (!kSupportedExtendedAttributes.has(extAttr.name)) {
      throw new GeneratorError(`${file}: [${extAttr.name}] on ${interfaceName}.${attribute.name} is not supported yet`);
    }
  }
  const type = types.resolveType(model, attribute.idlType, attribute.extAttrs, dependencies);
  const unforgeable = types.hasExtAttr(attribute.extAttrs, 'LegacyUnforgeable') ||
    types.hasExtAttr(interfaceDefinition.extAttrs, 'LegacyUnforgeable');
  if (types.hasExtAttr(attribute.extAttrs, 'SameObject') &&
      (!attribute.readonly || !['interface', 'object'].includes(type.kind))) {
    throw new GeneratorError(`${file}: [SameObject] ${interfaceName}.${attribute.name} must be a readonly attribute of an interface or object type`);
  }
  const replaceable = types.hasExtAttr(attribute.extAttrs, 'Replaceable');
  if (replaceable && (!attribute.readonly || unforgeable)) {
    throw new GeneratorError(`${file}: [Replaceable] ${interfaceName}.${attribute.name} must be readonly and not [LegacyUnforgeable]`);
  }
  const isEventHandler = attribute.idlType.idlType === 'EventHandler' && !attribute.idlType.nullable;
  const stem = names.upperCamelCase(attribute.name);
  const declaration = `${attribute.readonly ? 'readonly ' : ''}attribute ${argumentsModule.typeText(attribute.idlType)} ${attribute.name}`;
  const code = [];

  let getterCall;
  let setterCall;
  if (isEventHandler) {
    if (!model.inheritsFrom(interfaceDefinition, 'EventTarget')) {
      throw new GeneratorError(`${file}: ${interfaceName}.${attribute.name}: EventHandler attributes need an EventTarget`);
    }
    if (!attribute.name.startsWith('on')) {
      throw new GeneratorError(`${file}: event handler attribute '${attribute.name}' must start with 'on'`);
    }
    const eventType = attribute.name.slice(2);
    getterCall = `implementation->GetEventHandler("${eventType}")`;
    setterCall = (value) => `implementation->SetEventHandler("${eventType}", ${value})`;
    code.push(`// ${declaration}: the event handler for "${eventType}" events (HTML §8.1.8.1).`);
  } else {
    const getter = names.getterName(attribute.name);
    const setter = names.setterName(attribute.name);
    getterCall = `implementation->${getter}()`;
    setterCall = (value) => `implementation->${setter}(${value})`;
    code.push(
      'static_assert(requires(Implementation& implementation) {',
      `  requires bindings::ImplementationResultFor<decltype(implementation.${getter}()), ${type.tag}>;`,
      `}, "${file}: '${declaration}' needs Implementation::${getter}() returning ${type.cppType} or ExceptionOr of it");`);
    if (!attribute.readonly) {
      code.push(
        `static_assert(requires(Implementation& implementation, ${types.parameterType(type)} value) {`,
        `  requires bindings::ImplementationResultFor<decltype(implementation.${setter}(${types.passExpression({ ...type }, 'value')})), bindings::IDLUndefined>;`,
        `}, "${file}: '${declaration}' needs Implementation::${setter}(${types.parameterType(type)})");`);
    }
    code.push('');
  }

  // A platform object returned by an attribute stays reachable from the receiver's wrapper.
  const returnsPlatformObject = type.kind === 'interface' ||
    (type.kind === 'nullable' && type.inner.kind === 'interface');
  const getterName = `${stem}AttributeGetter`;
  code.push(
    `void ${getterName}(const v8::FunctionCallbackInfo<v8::Value>& info) {`,
    '  const bindings::ExceptionContext exception_context(',
    `      info.GetIsolate(), bindings::ExceptionContext::Kind::kGetter, "${interfaceName}", "${attribute.name}");`,
    '  auto* implementation = bindings::ImplementationFromReceiver<Implementation>(info);',
    '  if (!implementation) return;');
  if (returnsPlatformObject) {
    code.push(`  bindings::CallAndSetReturnValueKeepingWrapper<${type.tag}>(`,
      `      info, exception_context, "${interfaceName}.${attribute.name}", [&] { return ${getterCall}; });`);
  } else {
    code.push(`  bindings::CallAndSetReturnValue<${type.tag}>(info, exception_context, [&] { return ${getterCall}; });`);
  }
  code.push('}');

  let setterName = 'nullptr';
  if (replaceable) {
    setterName = `&${stem}AttributeSetter`;
    code.push(
      '',
      `// [Replaceable]: assigning ${interfaceName}.${attribute.name} replaces it with an own data property.`,
      `void ${stem}AttributeSetter(const v8::FunctionCallbackInfo<v8::Value>& info) {`,
      '  const bindings::ExceptionContext exception_context(',
      `      info.GetIsolate(), bindings::ExceptionContext::Kind::kSetter, "${interfaceName}", "${attribute.name}");`,
      '  if (!bindings::ImplementationFromReceiver<Implementation>(info)) return;',
      '  if (!bindings::CheckArgumentCount(info, exception_context, 1)) return;',
      `  bindings::ReplaceAttribute(info, "${attribute.name}");`,
      '}');
  } else if (!attribute.readonly) {
    setterName = `&${stem}AttributeSetter`;
    const initializer = ['boolean', 'integer', 'float', 'interface'].includes(type.kind) ? '{}' : '';
    code.push(
      '',
      `void ${stem}AttributeSetter(const v8::FunctionCallbackInfo<v8::Value>& info) {`,
      '  const bindings::ExceptionContext exception_context(',
      `      info.GetIsolate(), bindings::ExceptionContext::Kind::kSetter, "${interfaceName}", "${attribute.name}");`,
      '  auto* implementation = bindings::ImplementationFromReceiver<Implementation>(info);',
      '  if (!implementation) return;',
      '  if (!bindings::CheckArgumentCount(info, exception_context, 1)) return;',
      `  ${type.cppType} value${initializer};`,
      `  if (!${types.convertExpression(type, 'exception_context', 'info[0]', 'value')}) return;`,
      `  bindings::CallAndSetReturnValue<bindings::IDLUndefined>(info, exception_context, [&] { return ${setterCall(types.passExpression(type, 'value'))}; });`,
      '}');
  }
  const placement = unforgeable ? ', bindings::InterfaceTemplateBuilder::Placement::kInstance'
    : isGlobal ? ', bindings::InterfaceTemplateBuilder::Placement::kGlobalObject' : '';
  return {
    code,
    registration: `builder.AddAttribute("${attribute.name}", &${getterName}, ${setterName}${placement});`,
  };
}

module.exports = { generateAttribute };
