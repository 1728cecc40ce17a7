'use strict';
// Callback functions (WebIDL §3.2.20, "invoke a callback function") and callback interfaces
// (§3.2.21, "call a user object's operation"). The implementation declares an abstract class
// of the same name deriving from bindings::CallbackFunctionBase / CallbackInterfaceBase, with
//   callback function C:   Invoke(bindings::ScriptWrappable* this_value, arguments...)
//   callback interface C:  <Operation>(bindings::ScriptWrappable* this_value, arguments...)
// returning bindings::ScriptOutcome for `undefined`, bindings::CallbackResult<T> otherwise.
// The generated V8<C> implements it; every call goes through EnterScript, which reports an
// exception to the console.

const { GeneratorError } = require('./errors');
const names = require('./names');
const types = require('./types');

function describeCall(model, idlArguments, returnIdlType, dependencies) {
  const returnType = types.resolveType(model, returnIdlType, [], dependencies);
  const parameters = idlArguments.map((argument) => {
    if (argument.optional || argument.variadic) {
      throw new GeneratorError(`optional and variadic callback arguments are not supported yet`);
    }
    const type = types.resolveType(model, argument.idlType, argument.extAttrs, dependencies);
    return { type, name: names.variableName(argument.name) };
  });
  const resultType = returnType.kind === 'undefined' ? 'bindings::ScriptOutcome'
    : `bindings::CallbackResult<${returnType.cppType}>`;
  const declaration = ['bindings::ScriptWrappable* this_value',
    ...parameters.map(({ type, name }) => `${types.callbackParameterType(type)} ${name}`)].join(', ');
  return { returnType, parameters, resultType, declaration };
}

// The statements (inside EnterCallback's lambda) that build the argument array.
function argumentLines(call) {
  if (!call.parameters.length) return ['v8::Local<v8::Value>* arguments = nullptr;', 'constexpr int argument_count = 0;'];
  return [
    'v8::Local<v8::Value> arguments[] = {',
    ...call.parameters.map(({ type, name }) => `    ${types.toV8Expression(type, 'isolate', name)},`),
    '};',
    'for (v8::Local<v8::Value> argument : arguments) {',
    '  if (argument.IsEmpty()) return false;',
    '}',
    'constexpr int argument_count = static_cast<int>(std::size(arguments));',
  ];
}

function invocationBody(call, interfaceName, functionLines) {
  const returnsValue = call.returnType.kind !== 'undefined';
  const lines = [];
  if (returnsValue) lines.push(`${call.resultType} result;`, 'result.outcome = EnterCallback([&](v8::Local<v8::Context> context) {');
  else lines.push('return EnterCallback([&](v8::Local<v8::Context> context) {');
  lines.push('  v8::Isolate* isolate = context->GetIsolate();');
  if (returnsValue) {
    lines.push('  const bindings::ExceptionContext exception_context(',
      `      isolate, bindings::ExceptionContext::Kind::kCallback, "${interfaceName}");`);
  }
  lines.push(...functionLines.map((line) => '  ' + line));
  lines.push(...argumentLines(call).map((line) => '  ' + line));
  lines.push('  v8::Local<v8::Value> return_value;',
    '  if (!function->CallAsFunction(context, receiver, argument_count, arguments).ToLocal(&return_value)) {',
    '    return false;', '  }');
  if (returnsValue) {
    lines.push(`  return ${types.convertExpression(call.returnType, 'exception_context', 'return_value', 'result.value')};`);
    lines.push('});', 'return result;');
  } else {
    lines.push('  return true;', '});');
  }
  return lines;
}

function conversionTraits(implementation, v8Class, kind, legacyTreatNonObjectAsNull, name) {
  const tagName = kind === 'function' ? 'IDLCallbackFunction' : 'IDLCallbackInterface';
  const header = [
    'template <>',
    `struct NativeValueTraits<${tagName}<${implementation}>> {`,
    `  using ImplType = RefPtr<${implementation}>;`,
    '  static bool Convert(const ExceptionContext& exception_context, v8::Local<v8::Value> value,',
    `                      RefPtr<${implementation}>& out);`,
    '};',
  ];
  const body = [
    `bool bindings::NativeValueTraits<bindings::${tagName}<${implementation}>>::Convert(`,
    '    const bindings::ExceptionContext& exception_context, v8::Local<v8::Value> value,',
    `    bindings::RefPtr<${implementation}>& out) {`,
  ];
  if (legacyTreatNonObjectAsNull) {
    body.push('  // [LegacyTreatNonObjectAsNull]: a value that is not an object is null; any object is kept.',
      '  if (!value->IsObject()) {', '    out = nullptr;', '    return true;', '  }');
  } else if (kind === 'function') {
    body.push('  if (!value->IsObject() || !value.As<v8::Object>()->IsCallable()) {',
      `    exception_context.ThrowNotOfType("${name}");`, '    return false;', '  }');
  } else {
    body.push('  if (!value->IsObject()) {', `    exception_context.ThrowNotOfType("${name}");`,
      '    return false;', '  }');
  }
  body.push(`  out = bindings::MakeRefCounted<${v8Class}>(exception_context.isolate(), value.As<v8::Object>());`,
    '  return true;', '}');
  return { header, body };
}

function generateCallbackFunction(model, file, callback, dependencies) {
  const implementation = model.implementationName(callback.name);
  const v8Class = `V8${callback.name}`;
  const legacy = types.hasExtAttr(callback.extAttrs, 'LegacyTreatNonObjectAsNull');
  const call = describeCall(model, callback.arguments, callback.idlType, dependencies);
  const traits = conversionTraits(implementation, v8Class, 'function', legacy, callback.name);
  const header = [
    `// callback ${callback.name}`,
    `class ${v8Class} final : public ${implementation} {`,
    ' public:',
    `  ${v8Class}(v8::Isolate* isolate, v8::Local<v8::Object> callback_object)`,
    `      : ${implementation}(isolate, callback_object) {}`,
    `  ${call.resultType} Invoke(${call.declaration}) override;`,
    '};',
    '',
    ...traits.header,
  ];
  const functionLines = [
    'v8::Local<v8::Object> function = CallbackObject();',
    'if (!function->IsCallable()) {',
  ];
  if (legacy && call.returnType.kind !== 'undefined') {
    functionLines.push('  // [LegacyTreatNonObjectAsNull]: an object that is not callable returns undefined.',
      `  return ${types.convertExpression(call.returnType, 'exception_context', 'v8::Undefined(isolate)', 'result.value')};`);
  } else if (legacy) {
    functionLines.push('  return true;  // [LegacyTreatNonObjectAsNull]: nothing to call');
  } else {
    functionLines.push('  isolate->ThrowException(v8::Exception::TypeError(',
      '      v8::String::NewFromUtf8Literal(isolate, "The callback is not callable.")));', '  return false;');
  }
  functionLines.push('}', 'v8::Local<v8::Value> receiver = bindings::ThisValueToV8(isolate, this_value);',
    'if (receiver.IsEmpty()) return false;');
  const body = [
    `static_assert(std::derived_from<${implementation}, bindings::CallbackFunctionBase> && std::is_abstract_v<${implementation}>,`,
    `              "${file}: ${callback.name} must be an abstract class deriving from bindings::CallbackFunctionBase");`,
    '',
    `// callback ${callback.name} = ${call.returnType.idlName} (...): WebIDL "invoke a callback function".`,
    `${call.resultType} ${v8Class}::Invoke(${call.declaration}) {`,
    ...invocationBody(call, callback.name, functionLines).map((line) => '  ' + line),
    '}',
    '',
    ...traits.body,
  ];
  return { header, body };
}

function generateCallbackInterface(model, file, callbackInterface, dependencies) {
  const operations = callbackInterface.members.filter((member) => member.type === 'operation');
  if (operations.length !== 1 || callbackInterface.members.length !== 1) {
    throw new GeneratorError(`${file}: callback interface ${callbackInterface.name} must have exactly one operation`);
  }
  const operation = operations[0];
  const implementation = model.implementationName(callbackInterface.name);
  const v8Class = `V8${callbackInterface.name}`;
  const method = names.methodName(operation.name);
  const call = describeCall(model, operation.arguments, operation.idlType, dependencies);
  const traits = conversionTraits(implementation, v8Class, 'interface', false, callbackInterface.name);
  const header = [
    `// callback interface ${callbackInterface.name}`,
    `class ${v8Class} final : public ${implementation} {`,
    ' public:',
    `  ${v8Class}(v8::Isolate* isolate, v8::Local<v8::Object> callback_object)`,
    `      : ${implementation}(isolate, callback_object) {}`,
    `  ${call.resultType} ${method}(${call.declaration}) override;`,
    '};',
    '',
    ...traits.header,
  ];
  const functionLines = [
    'v8::Local<v8::Value> this_argument = bindings::ThisValueToV8(isolate, this_value);',
    'if (this_argument.IsEmpty()) return false;',
    'v8::Local<v8::Object> function;',
    'v8::Local<v8::Value> receiver;',
    `if (!GetUserObjectOperation(context, "${operation.name}", this_argument, function, receiver)) {`,
    '  return false;',
    '}',
  ];
  const body = [
    `static_assert(std::derived_from<${implementation}, bindings::CallbackInterfaceBase> && std::is_abstract_v<${implementation}>,`,
    `              "${file}: ${callbackInterface.name} must be an abstract class deriving from bindings::CallbackInterfaceBase");`,
    '',
    `// ${callbackInterface.name}.${operation.name}: WebIDL "call a user object's operation".`,
    `${call.resultType} ${v8Class}::${method}(${call.declaration}) {`,
    ...invocationBody(call, callbackInterface.name, functionLines).map((line) => '  ' + line),
    '}',
    '',
    ...traits.body,
  ];
  return { header, body };
}

module.exports = { generateCallbackFunction, generateCallbackInterface };
