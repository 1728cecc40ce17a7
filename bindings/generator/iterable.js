'use strict';
// Iterable declarations (WebIDL §3.7.9): `iterable<K, V>` makes a pair iterator. The runtime
// (bindings/pair_iterable.h) adds entries, keys, values, forEach and @@iterator and the
// interface's iterator prototype; the generated code gives it the implementation's list of
// value pairs to iterate over, read afresh at each step:
//
//   size_t ValuePairCount() const;                  // the list's size now
//   std::pair<K, V> ValuePairAt(size_t index) const;  // or a reference to one; index < size
//
// (K and V the C++ types of the IDL types). Value iterators (`iterable<V>`, which need an
// indexed property getter) and async iterables are not supported yet.

const { GeneratorError } = require('./errors');
const argumentsModule = require('./arguments');
const types = require('./types');

function generateIterable(model, interfaceDefinition, file, iterable, dependencies) {
  const interfaceName = interfaceDefinition.name;
  if (iterable.async) throw new GeneratorError(`${file}: async iterable on ${interfaceName} is not supported yet`);
  if (iterable.idlType.length !== 2) {
    throw new GeneratorError(`${file}: value iterators (iterable<V>) on ${interfaceName} are not supported yet`);
  }
  const [keyType, valueType] = iterable.idlType.map((idlType) =>
    types.resolveType(model, idlType, idlType.extAttrs, dependencies));
  const declaration = `iterable<${iterable.idlType.map(argumentsModule.typeText).join(', ')}>`;
  const pairType = `std::pair<${keyType.cppType}, ${valueType.cppType}>`;
  const code = [
    'static_assert(requires(const Implementation& implementation, size_t index, v8::Isolate* isolate) {',
    '  { implementation.ValuePairCount() } -> std::convertible_to<size_t>;',
    `  ${types.toV8Expression(keyType, 'isolate', 'implementation.ValuePairAt(index).first')};`,
    `  ${types.toV8Expression(valueType, 'isolate', 'implementation.ValuePairAt(index).second')};`,
    `}, "${file}: '${declaration}' needs Implementation::ValuePairCount() const returning size_t and Implementation::ValuePairAt(size_t) const returning ${pairType}");`,
    '',
    `// ${declaration}: the value pairs to iterate over.`,
    'size_t ValuePairCount(bindings::ScriptWrappable& object) {',
    '  return static_cast<const Implementation&>(object).ValuePairCount();',
    '}',
    '',
    'bool ValuePairAt(v8::Isolate* isolate, bindings::ScriptWrappable& object, size_t index,',
    '                 v8::Local<v8::Value>& key, v8::Local<v8::Value>& value) {',
    '  const auto& pair = static_cast<const Implementation&>(object).ValuePairAt(index);',
    `  key = ${types.toV8Expression(keyType, 'isolate', 'pair.first')};`,
    '  if (key.IsEmpty()) return false;',
    `  value = ${types.toV8Expression(valueType, 'isolate', 'pair.second')};`,
    '  return !value.IsEmpty();',
    '}',
    '',
    'constexpr bindings::PairIterableInfo kPairIterable = {',
    `    "${interfaceName}", "${interfaceName} Iterator", &ValuePairCount, &ValuePairAt};`,
  ];
  return { code, registration: 'builder.AddPairIterable(&kPairIterable);' };
}

module.exports = { generateIterable };
