'use strict';
// Type conversion: what an IDL type is in C++ (the implementation's type and the bindings'
// tag type), and the C++ that converts a value of it to C++ or to JavaScript.

const { GeneratorError } = require('./errors');

const kIntegerTags = {
  'byte': ['IDLByte', 'int8_t'],
  'octet': ['IDLOctet', 'uint8_t'],
  'short': ['IDLShort', 'int16_t'],
  'unsigned short': ['IDLUnsignedShort', 'uint16_t'],
  'long': ['IDLLong', 'int32_t'],
  'unsigned long': ['IDLUnsignedLong', 'uint32_t'],
  'long long': ['IDLLongLong', 'int64_t'],
  'unsigned long long': ['IDLUnsignedLongLong', 'uint64_t'],
};
const kFloatTags = {
  'float': ['IDLFloat', 'float'],
  'unrestricted float': ['IDLUnrestrictedFloat', 'float'],
  'double': ['IDLDouble', 'double'],
  'unrestricted double': ['IDLUnrestrictedDouble', 'double'],
};

// Buffer source types (WebIDL §3.2.26): the tag's kind, and the type's name in messages.
// BufferSource is WebIDL's own typedef (ArrayBufferView or ArrayBuffer).
const kBufferSourceKinds = {
  'ArrayBuffer': 'kArrayBuffer',
  'ArrayBufferView': 'kArrayBufferView',
  'BufferSource': 'kBufferSource',
  'Uint8Array': 'kUint8Array',
};

function hasExtAttr(extAttrs, name) {
  return (extAttrs || []).some((attribute) => attribute.name === name);
}

// Resolves a webidl2 type to a descriptor:
//   { kind, idlName, tag, cppType, nullable, inner, members, definitionName }
// kind: undefined any object boolean integer float string interface dictionary
//       callback-function callback-interface sequence union nullable
// `extAttrs`: extended attributes on the argument/member ([EnforceRange], [Clamp]).
// `dependencies`: a Set receiving the names of the definitions the type refers to.
function resolveType(model, idlType, extAttrs, dependencies) {
  const allExtAttrs = [...(extAttrs || []), ...(idlType.extAttrs || [])];
  let type;
  if (idlType.union) {
    const members = idlType.idlType.map((member) => resolveType(model, member, [], dependencies));
    type = {
      kind: 'union',
      idlName: '(' + members.map((member) => member.idlName).join(' or ') + ')',
      members,
      cppType: `std::variant<${members.map((member) => member.cppType).join(', ')}>`,
      tag: null,
      functionName: 'Convert' + members.map(unionMemberName).join('Or'),
    };
  } else if (idlType.generic === 'sequence') {
    const inner = resolveType(model, idlType.idlType[0], [], dependencies);
    type = {
      kind: 'sequence',
      idlName: `sequence<${inner.idlName}>`,
      inner,
      cppType: `std::vector<${inner.cppType}>`,
      tag: `bindings::IDLSequence<${requireTag(inner)}>`,
    };
  } else if (idlType.generic === 'record') {
    // WebIDL §3.2.23: record<K, V> with K a string type; in C++ the entries in order.
    const key = resolveType(model, idlType.idlType[0], [], dependencies);
    const inner = resolveType(model, idlType.idlType[1], [], dependencies);
    if (key.kind !== 'string') throw new GeneratorError(`record<${key.idlName}, …>: the key type must be DOMString or USVString`);
    type = {
      kind: 'record',
      idlName: `record<${key.idlName}, ${inner.idlName}>`,
      key,
      inner,
      cppType: `std::vector<std::pair<${key.cppType}, ${inner.cppType}>>`,
      tag: `bindings::IDLRecord<${key.tag}, ${requireTag(inner)}>`,
    };
  } else if (idlType.generic) {
    throw new GeneratorError(`${idlType.generic}<> types are not supported yet`);
  } else {
    type = resolveNamedType(model, idlType.idlType, allExtAttrs, dependencies);
  }
  if (idlType.nullable) type = makeNullable(type);
  return type;
}

function resolveNamedType(model, name, extAttrs, dependencies) {
  if (name === 'undefined') {
    return { kind: 'undefined', idlName: name, tag: 'bindings::IDLUndefined', cppType: 'void' };
  }
  if (name === 'any' || name === 'object') {
    return {
      kind: name, idlName: name, cppType: 'bindings::ScriptValue',
      tag: name === 'any' ? 'bindings::IDLAny' : 'bindings::IDLObject',
    };
  }
  if (name === 'boolean') {
    return { kind: 'boolean', idlName: name, tag: 'bindings::IDLBoolean', cppType: 'bool' };
  }
  if (kIntegerTags[name]) {
    const [tagName, cppType] = kIntegerTags[name];
    let tag = `bindings::${tagName}`;
    if (hasExtAttr(extAttrs, 'EnforceRange')) tag = `bindings::IDLEnforceRange<${tag}>`;
    else if (hasExtAttr(extAttrs, 'Clamp')) tag = `bindings::IDLClamp<${tag}>`;
    return { kind: 'integer', idlName: name, tag, cppType };
  }
  if (kFloatTags[name]) {
    const [tagName, cppType] = kFloatTags[name];
    return { kind: 'float', idlName: name, tag: `bindings::${tagName}`, cppType };
  }
  if (name === 'DOMString' || name === 'USVString') {
    return { kind: 'string', idlName: name, tag: `bindings::IDL${name}`, cppType: 'std::string' };
  }
  if (kBufferSourceKinds[name]) {
    // [AllowShared]: a SharedArrayBuffer (or a view on one) is accepted too.
    const shared = hasExtAttr(extAttrs, 'AllowShared') ? 'kAllowed' : 'kRejected';
    return {
      kind: 'buffer-source', idlName: name,
      tag: `bindings::IDLBufferSourceType<bindings::BufferSourceKind::${kBufferSourceKinds[name]}, bindings::SharedBuffers::${shared}>`,
      // Arguments are the bytes, kept valid for the call; a returned Uint8Array is a vector.
      cppType: 'bindings::BufferSourceBytes',
      resultCppType: 'std::vector<uint8_t>',
    };
  }
  const entry = model.lookup(name);
  if (!entry) throw new GeneratorError(`unknown type '${name}'`);
  const definition = entry.definition;
  if (definition.type === 'typedef') {
    return resolveType(model, definition.idlType, extAttrs, dependencies);
  }
  dependencies.add(name);
  const implementation = model.implementationName(name);
  switch (definition.type) {
    case 'interface':
      return {
        kind: 'interface', idlName: name, definitionName: name,
        tag: `bindings::IDLInterface<${implementation}>`, cppType: `${implementation}*`,
      };
    case 'dictionary':
      return {
        kind: 'dictionary', idlName: name, definitionName: name,
        tag: `bindings::IDLDictionary<${implementation}>`, cppType: implementation,
      };
    case 'callback':
      return {
        kind: 'callback-function', idlName: name, definitionName: name,
        tag: `bindings::IDLCallbackFunction<${implementation}>`,
        cppType: `bindings::RefPtr<${implementation}>`,
      };
    case 'callback interface':
      return {
        kind: 'callback-interface', idlName: name, definitionName: name,
        tag: `bindings::IDLCallbackInterface<${implementation}>`,
        cppType: `bindings::RefPtr<${implementation}>`,
      };
    default:
      throw new GeneratorError(`${definition.type} types ('${name}') are not supported yet`);
  }
}

function makeNullable(inner) {
  if (inner.kind === 'union') throw new GeneratorError('nullable unions are not supported yet');
  const nullableByItself = inner.cppType.endsWith('*') || inner.cppType.startsWith('bindings::RefPtr<');
  return {
    kind: 'nullable',
    idlName: inner.idlName + '?',
    inner,
    cppType: nullableByItself ? inner.cppType : `std::optional<${inner.cppType}>`,
    tag: `bindings::IDLNullable<${requireTag(inner)}>`,
  };
}

function requireTag(type) {
  if (!type.tag) throw new GeneratorError(`${type.idlName} cannot be nested here yet`);
  return type.tag;
}

function unionMemberName(member) {
  const name = member.kind === 'sequence' ? 'Sequence' + unionMemberName(member.inner)
    : member.kind === 'record' ? 'Record' + unionMemberName(member.key) + unionMemberName(member.inner)
    : member.idlName;
  return name.split(/\s+/).map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('');
}

// A C++ boolean expression converting `value` into the variable `out`, throwing on failure.
function convertExpression(type, context, value, out) {
  if (type.kind === 'union') return `${type.functionName}(${context}, ${value}, ${out})`;
  return `bindings::NativeValueTraits<${requireTag(type)}>::Convert(${context}, ${value}, ${out})`;
}

// A C++ expression converting the C++ `expression` to a v8::Local<v8::Value>.
function toV8Expression(type, isolate, expression) {
  if (type.kind === 'union') {
    throw new GeneratorError(`returning ${type.idlName} to script is not supported yet`);
  }
  return `bindings::ToV8Traits<${requireTag(type)}>::ToV8(${isolate}, ${expression})`;
}

// How a converted argument variable is passed to the implementation.
function passExpression(type, variable) {
  if (type.kind === 'interface') return `*${variable}`;
  if (['boolean', 'integer', 'float'].includes(type.kind)) return variable;
  return `std::move(${variable})`;
}

// The C++ parameter type with which the implementation receives a converted argument, as
// used in the generated static checks.
function parameterType(type) {
  if (type.kind === 'interface') return type.cppType.replace(/\*$/, '&');
  return type.cppType;
}

// The parameter type of a callback's C++ method for an argument of this type.
function callbackParameterType(type) {
  if (type.kind === 'interface') return type.cppType.replace(/\*$/, '&');
  if (['boolean', 'integer', 'float'].includes(type.kind)) return type.cppType;
  if (type.kind === 'nullable' && type.inner.kind === 'interface') return type.cppType;
  if (type.kind === 'dictionary' || type.kind === 'union') {
    throw new GeneratorError(`passing ${type.idlName} to a callback is not supported yet`);
  }
  return `const ${type.cppType}&`;
}

// Which member of a union an IDL default value is a value of.
function unionMemberForDefault(type, defaultValue) {
  const kinds = {
    string: ['string'], number: ['integer', 'float'], boolean: ['boolean'], Infinity: ['float'],
    NaN: ['float'], sequence: ['sequence'], dictionary: ['dictionary'],
  }[defaultValue.type] || [];
  const index = type.members.findIndex((member) => kinds.includes(member.kind));
  if (index < 0) throw new GeneratorError(`default value ${defaultValueText(defaultValue)} is not a value of ${type.idlName}`);
  return index;
}

// The C++ of an IDL default value for `type`; null for `{}`, whose conversion from undefined
// gives the default.
function defaultValueExpression(type, defaultValue) {
  if (type.kind === 'union') {
    // The member the value belongs to, chosen explicitly: `init = ""` is the string member.
    const index = unionMemberForDefault(type, defaultValue);
    const member = defaultValueExpression(type.members[index], defaultValue);
    return member === null ? null : `${type.cppType}(std::in_place_index<${index}>, ${member})`;
  }
  switch (defaultValue.type) {
    case 'dictionary':
      return null;
    case 'sequence':
      return '{}';
    case 'null':
      // `any x = null`: the conversion context's isolate makes the value.
      if (type.kind === 'any') return 'bindings::ScriptValue::Null(exception_context.isolate())';
      return type.kind === 'nullable' && type.inner.kind !== 'interface' ? 'std::nullopt' : 'nullptr';
    case 'boolean':
      return defaultValue.value ? 'true' : 'false';
    case 'number':
      return defaultValue.value;
    case 'string':
      return JSON.stringify(defaultValue.value);
    case 'Infinity':
      return `${defaultValue.negative ? '-' : ''}std::numeric_limits<double>::infinity()`;
    case 'NaN':
      return 'std::numeric_limits<double>::quiet_NaN()';
    default:
      throw new GeneratorError(`default value ${JSON.stringify(defaultValue)} is not supported`);
  }
}

// The IDL text of a default value, for comments.
function defaultValueText(defaultValue) {
  switch (defaultValue.type) {
    case 'dictionary': return '{}';
    case 'sequence': return '[]';
    case 'null': return 'null';
    case 'string': return JSON.stringify(defaultValue.value);
    case 'boolean': return String(defaultValue.value);
    default: return String(defaultValue.value ?? defaultValue.type);
  }
}

module.exports = {
  resolveType, convertExpression, toV8Expression, passExpression, parameterType,
  callbackParameterType, defaultValueExpression, defaultValueText, hasExtAttr,
};
