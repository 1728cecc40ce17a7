'use strict';
// The constructor (WebIDL §3.7.1): `new` is required, the arguments are converted, and
// Implementation::Create(...) — with the page's ScriptEnvironment first under
// [CallWith=ScriptEnvironment] — returns the object that becomes `this`'s implementation.

const { GeneratorError } = require('./errors');
const argumentsModule = require('./arguments');

function generateConstructor(model, interfaceName, file, constructor, dependencies) {
  const converted = argumentsModule.convertArguments(model, constructor.arguments, dependencies);
  const callWith = constructor.extAttrs.find((attribute) => attribute.name === 'CallWith');
  if (callWith && callWith.rhs.value !== 'ScriptEnvironment') {
    throw new GeneratorError(`${file}: [CallWith=${callWith.rhs.value}] is not supported`);
  }
  const callArguments = converted.parameters.map((parameter) => parameter.pass);
  if (callWith) callArguments.unshift('*environment');
  const body = [
    `// constructor(${argumentsModule.argumentsText(constructor.arguments)})`,
    'void Constructor(const v8::FunctionCallbackInfo<v8::Value>& info) {',
    '  const bindings::ExceptionContext exception_context(',
    `      info.GetIsolate(), bindings::ExceptionContext::Kind::kConstructor, "${interfaceName}");`,
    '  if (!bindings::CheckConstructCall(info, exception_context)) return;',
  ];
  if (converted.requiredCount > 0) {
    body.push(`  if (!bindings::CheckArgumentCount(info, exception_context, ${converted.requiredCount})) return;`);
  }
  body.push(...converted.lines.map((line) => '  ' + line));
  if (callWith) {
    body.push('  bindings::ScriptEnvironment* environment = bindings::CurrentScriptEnvironment(exception_context);');
    body.push('  if (!environment) return;');
  }
  body.push(`  bindings::ConstructAndAssociate<Implementation>(info, exception_context, [&] { return Implementation::Create(${callArguments.join(', ')}); });`);
  body.push('}');

  const check = argumentsModule.staticCheckParameters(converted.parameters);
  const declarations = [...check.declarations];
  const uses = [...check.uses];
  const parameterTypes = converted.parameters.map((parameter) => parameter.cppType);
  if (callWith) {
    declarations.unshift('bindings::ScriptEnvironment& environment');
    uses.unshift('environment');
    parameterTypes.unshift('bindings::ScriptEnvironment&');
  }
  const staticChecks = [
    `static_assert(requires(${declarations.join(', ')}) {`,
    `  requires bindings::ConstructorResultFor<decltype(Implementation::Create(${uses.join(', ')})), Implementation>;`,
    `}, "${file}: the constructor needs static Implementation::Create(${parameterTypes.join(', ')}) returning RefPtr<Implementation> or ExceptionOr of it");`,
  ];
  return { code: [...staticChecks, '', ...body], length: converted.requiredCount };
}

module.exports = { generateConstructor };
