'use strict';
// Regular and static operations (WebIDL §3.7.6): a method on the prototype (or the interface
// object) whose `length` is the number of required arguments, converting each argument and
// calling the implementation's method of the same name in UpperCamelCase. On a [Global]
// interface a regular operation is a method of the global object itself (§3.7.6).

const { GeneratorError } = require('./errors');
const argumentsModule = require('./arguments');
const names = require('./names');
const types = require('./types');

function generateOperation(model, interfaceName, file, operation, dependencies, { isGlobal = false } = {}) {
  if (operation.special && operation.special !== 'static') {
    throw new GeneratorError(`${file}: ${operation.special} operations are not supported yet`);
  }
  const isStatic = operation.special === 'static';
  const method = names.methodName(operation.name);
  const callbackName = `${names.upperCamelCase(operation.name)}${isStatic ? 'Static' : ''}Operation`;
  const returnType = types.resolveType(model, operation.idlType, operation.extAttrs, dependencies);
  const converted = argumentsModule.convertArguments(model, operation.arguments, dependencies);
  const signature = `${argumentsModule.typeText(operation.idlType)} ${operation.name}(${argumentsModule.argumentsText(operation.arguments)})`;
  const receiver = isStatic ? 'Implementation::' : 'implementation->';
  // [CallWith=ScriptEnvironment]: the page's ScriptEnvironment comes first.
  const callWith = operation.extAttrs.find((attribute) => attribute.name === 'CallWith');
  if (callWith && callWith.rhs.value !== 'ScriptEnvironment') {
    throw new GeneratorError(`${file}: [CallWith=${callWith.rhs.value}] is not supported`);
  }
  const passes = converted.parameters.map((parameter) => parameter.pass);
  if (callWith) passes.unshift('*environment');
  const call = `${receiver}${method}(${passes.join(', ')})`;

  const body = [
    `// ${isStatic ? 'static ' : ''}${signature}`,
    `void ${callbackName}(const v8::FunctionCallbackInfo<v8::Value>& info) {`,
    '  const bindings::ExceptionContext exception_context(',
    `      info.GetIsolate(), bindings::ExceptionContext::Kind::kOperation, "${interfaceName}", "${operation.name}");`,
  ];
  if (!isStatic) {
    body.push('  auto* implementation = bindings::ImplementationFromReceiver<Implementation>(info);');
    body.push('  if (!implementation) return;');
  }
  if (converted.requiredCount > 0) {
    body.push(`  if (!bindings::CheckArgumentCount(info, exception_context, ${converted.requiredCount})) return;`);
  }
  body.push(...converted.lines.map((line) => '  ' + line));
  if (callWith) {
    body.push('  bindings::ScriptEnvironment* environment = bindings::CurrentScriptEnvironment(exception_context);');
    body.push('  if (!environment) return;');
  }
  body.push(`  bindings::CallAndSetReturnValue<${returnType.tag}>(info, exception_context, [&] { return ${call}; });`);
  body.push('}');

  const check = argumentsModule.staticCheckParameters(converted.parameters);
  const parameterTypes = converted.parameters.map((parameter) => parameter.cppType);
  if (callWith) {
    check.declarations.unshift('bindings::ScriptEnvironment& environment');
    check.uses.unshift('environment');
    parameterTypes.unshift('bindings::ScriptEnvironment&');
  }
  const staticReceiver = isStatic ? 'Implementation::' : 'implementation.';
  const staticChecks = [
    `static_assert(requires(Implementation& implementation${check.declarations.map((declaration) => ', ' + declaration).join('')}) {`,
    `  requires bindings::ImplementationResultFor<decltype(${staticReceiver}${method}(${check.uses.join(', ')})), ${returnType.tag}>;`,
    `}, "${file}: '${signature.replace(/[\\"]/g, (character) => '\\' + character)}' needs ${isStatic ? 'static ' : ''}Implementation::${method}(${parameterTypes.join(', ')}) returning ${returnType.idlName === 'undefined' ? 'void' : (returnType.resultCppType || returnType.cppType)} or ExceptionOr of it");`,
  ];
  return {
    code: [...staticChecks, '', ...body],
    registration: isStatic
      ? `builder.AddStaticOperation("${operation.name}", &${callbackName}, ${converted.requiredCount});`
      : `builder.AddOperation("${operation.name}", &${callbackName}, ${converted.requiredCount}${isGlobal ? ', bindings::InterfaceTemplateBuilder::Placement::kGlobalObject' : ''});`,
  };
}

module.exports = { generateOperation };
