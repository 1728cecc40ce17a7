// A small idlharness (in the spirit of web-platform-tests' resources/idlharness.js): for every
// interface, checks the WebIDL ECMAScript binding (WebIDL §3.7) of each member listed in the
// data below, which restates idl/*.idl. Prints one line per interface, and each failure.
// Besides the regular members: `staticOperations` (on the interface object, §3.7.6),
// `stringifier` (toString, §3.7.8.2) and `iterable` (a pair iterator, §3.7.9-§3.7.10).
// A [Global] interface (`global: true`, Window) has its regular attributes and operations on the
// global object itself rather than on its prototype (WebIDL §3.7.5-§3.7.7), and no constructor.

const interfaces = [
  {
    name: 'EventTarget', parent: null, constructorLength: 0,
    create: () => new EventTarget(),
    operations: { addEventListener: 2, removeEventListener: 2, dispatchEvent: 1 },
  },
  {
    name: 'Event', parent: null, constructorLength: 1,
    create: () => new Event('x'),
    constants: { NONE: 0, CAPTURING_PHASE: 1, AT_TARGET: 2, BUBBLING_PHASE: 3 },
    attributes: {
      type: 'readonly', target: 'readonly', srcElement: 'readonly', currentTarget: 'readonly',
      eventPhase: 'readonly', cancelBubble: 'writable', bubbles: 'readonly',
      cancelable: 'readonly', returnValue: 'writable', defaultPrevented: 'readonly',
      composed: 'readonly', timeStamp: 'readonly',
    },
    unforgeable: { isTrusted: 'readonly' },
    operations: {
      composedPath: 0, stopPropagation: 0, stopImmediatePropagation: 0, preventDefault: 0,
      initEvent: 1,
    },
  },
  {
    name: 'DOMException', parent: null, constructorLength: 0, prototypeParent: Error.prototype,
    create: () => new DOMException('message', 'SyntaxError'),
    constants: {
      INDEX_SIZE_ERR: 1, DOMSTRING_SIZE_ERR: 2, HIERARCHY_REQUEST_ERR: 3, WRONG_DOCUMENT_ERR: 4,
      INVALID_CHARACTER_ERR: 5, NO_DATA_ALLOWED_ERR: 6, NO_MODIFICATION_ALLOWED_ERR: 7,
      NOT_FOUND_ERR: 8, NOT_SUPPORTED_ERR: 9, INUSE_ATTRIBUTE_ERR: 10, INVALID_STATE_ERR: 11,
      SYNTAX_ERR: 12, INVALID_MODIFICATION_ERR: 13, NAMESPACE_ERR: 14, INVALID_ACCESS_ERR: 15,
      VALIDATION_ERR: 16, TYPE_MISMATCH_ERR: 17, SECURITY_ERR: 18, NETWORK_ERR: 19,
      ABORT_ERR: 20, URL_MISMATCH_ERR: 21, QUOTA_EXCEEDED_ERR: 22, TIMEOUT_ERR: 23,
      INVALID_NODE_TYPE_ERR: 24, DATA_CLONE_ERR: 25,
    },
    attributes: { name: 'readonly', message: 'readonly', code: 'readonly' },
  },
  {
    name: 'TCPConnection', parent: 'EventTarget', constructorLength: 1,
    create: null,  // constructing one would start connecting
    constants: { CONNECTING: 0, CONNECTED: 1, CLOSED: 2 },
    attributes: {
      url: 'readonly', network: 'readonly', peer: 'readonly', readyState: 'readonly',
      bufferedAmount: 'readonly', secure: 'readonly', onopen: 'writable', onread: 'writable',
      onerror: 'writable', onclose: 'writable',
    },
    operations: { send: 1, disconnect: 0 },
  },
  {
    name: 'ConnectionReadEvent', parent: 'Event', constructorLength: 1,
    create: () => new ConnectionReadEvent('read', { data: 'd', source: 's' }),
    attributes: { data: 'readonly', source: 'readonly' },
  },
  {
    name: 'URL', parent: null, constructorLength: 1,
    create: () => new URL('https://user:pw@example.com:8080/p?q=1#h'),
    attributes: {
      href: 'writable', origin: 'readonly', protocol: 'writable', username: 'writable',
      password: 'writable', host: 'writable', hostname: 'writable', port: 'writable',
      pathname: 'writable', search: 'writable', searchParams: 'readonly', hash: 'writable',
    },
    operations: { toJSON: 0 },
    staticOperations: { parse: 1, canParse: 1 },
    stringifier: true,
  },
  {
    name: 'URLSearchParams', parent: null, constructorLength: 0,
    create: () => new URLSearchParams('a=1&b=2'),
    attributes: { size: 'readonly' },
    operations: { append: 2, delete: 1, get: 1, getAll: 1, has: 1, set: 2, sort: 0 },
    stringifier: true,
    iterable: true,
  },
  {
    name: 'CustomEvent', parent: 'Event', constructorLength: 1,
    create: () => new CustomEvent('x', { detail: 1 }),
    attributes: { detail: 'readonly' },
    operations: { initCustomEvent: 1 },
  },
  {
    name: 'AbortController', parent: null, constructorLength: 0,
    create: () => new AbortController(),
    attributes: { signal: 'readonly' },
    operations: { abort: 0 },
  },
  {
    name: 'AbortSignal', parent: 'EventTarget', constructorLength: 0,
    create: null,  // no constructor: signals come from AbortController and the static methods
    attributes: { aborted: 'readonly', reason: 'readonly', onabort: 'writable' },
    operations: { throwIfAborted: 0 },
    staticOperations: { abort: 0, timeout: 1, any: 1 },
  },
  {
    name: 'TextEncoder', parent: null, constructorLength: 0,
    create: () => new TextEncoder(),
    attributes: { encoding: 'readonly' },
    operations: { encode: 0, encodeInto: 2 },
  },
  {
    name: 'TextDecoder', parent: null, constructorLength: 0,
    create: () => new TextDecoder(),
    attributes: { encoding: 'readonly', fatal: 'readonly', ignoreBOM: 'readonly' },
    operations: { decode: 0 },
  },
  {
    name: 'Window', parent: 'EventTarget', constructorLength: 0, global: true,
    create: () => globalThis,
    attributes: {
      self: 'replaceable', onerror: 'writable', onrejectionhandled: 'writable',
      onunhandledrejection: 'writable',
    },
    unforgeable: { window: 'readonly' },
    operations: { btoa: 1, atob: 1, structuredClone: 1 },
  },
  {
    name: 'ErrorEvent', parent: 'Event', constructorLength: 1,
    create: () => new ErrorEvent('error', { message: 'm', error: 1 }),
    attributes: {
      message: 'readonly', filename: 'readonly', lineno: 'readonly', colno: 'readonly',
      error: 'readonly',
    },
  },
  {
    name: 'PromiseRejectionEvent', parent: 'Event', constructorLength: 2,
    create: () => new PromiseRejectionEvent('unhandledrejection', { promise: Promise.resolve() }),
    attributes: { promise: 'readonly', reason: 'readonly' },
  },
];

function describe(descriptor) {
  if (!descriptor) return 'missing';
  const flags = ['writable', 'enumerable', 'configurable']
    .filter((flag) => flag in descriptor)
    .map((flag) => `${flag}=${descriptor[flag]}`);
  return flags.join(' ');
}

function checkInterface(spec) {
  const failures = [];
  let checks = 0;
  const check = (condition, what) => {
    ++checks;
    if (!condition) failures.push(what);
  };
  const throwsTypeError = (f, what) => {
    try {
      f();
      check(false, `${what}: no exception`);
    } catch (e) {
      check(e instanceof TypeError, `${what}: threw ${e && e.name} instead of TypeError`);
    }
  };
  const expectDescriptor = (object, key, expected, what) => {
    const descriptor = Object.getOwnPropertyDescriptor(object, key);
    check(descriptor !== undefined, `${what}: missing`);
    if (!descriptor) return undefined;
    for (const [flag, value] of Object.entries(expected)) {
      check(descriptor[flag] === value, `${what}: ${describe(descriptor)}, expected ${flag}=${value}`);
    }
    return descriptor;
  };

  const name = spec.name;
  // §3.7.1 The interface object.
  expectDescriptor(globalThis, name, { writable: true, enumerable: false, configurable: true }, `global ${name}`);
  const interfaceObject = globalThis[name];
  check(typeof interfaceObject === 'function', `${name} is a function`);
  if (typeof interfaceObject !== 'function') return { checks, failures };
  check(interfaceObject.name === name, `${name}.name is ${interfaceObject.name}`);
  check(interfaceObject.length === spec.constructorLength, `${name}.length is ${interfaceObject.length}`);
  expectDescriptor(interfaceObject, 'name', { writable: false, enumerable: false, configurable: true }, `${name}.name`);
  expectDescriptor(interfaceObject, 'length', { writable: false, enumerable: false, configurable: true }, `${name}.length`);
  const parentObject = spec.parent ? globalThis[spec.parent] : Function.prototype;
  check(Object.getPrototypeOf(interfaceObject) === parentObject, `${name}'s [[Prototype]] is not ${spec.parent || 'Function.prototype'}`);
  throwsTypeError(() => interfaceObject(), `${name}() without new`);
  expectDescriptor(interfaceObject, 'prototype', { writable: false, enumerable: false, configurable: false }, `${name}.prototype`);

  // §3.7.3 The interface prototype object.
  const prototype = interfaceObject.prototype;
  const prototypeParent = spec.prototypeParent || (spec.parent ? globalThis[spec.parent].prototype : Object.prototype);
  check(Object.getPrototypeOf(prototype) === prototypeParent, `${name}.prototype's [[Prototype]]`);
  const constructorDescriptor = expectDescriptor(prototype, 'constructor', { writable: true, enumerable: false, configurable: true }, `${name}.prototype.constructor`);
  check(constructorDescriptor && constructorDescriptor.value === interfaceObject, `${name}.prototype.constructor is ${name}`);
  const tag = expectDescriptor(prototype, Symbol.toStringTag, { writable: false, enumerable: false, configurable: true }, `${name}.prototype[@@toStringTag]`);
  check(tag && tag.value === name, `${name}.prototype[@@toStringTag] is ${tag && tag.value}`);
  check(Object.prototype.toString.call(prototype) === `[object ${name}]`, `${name}.prototype's class string`);

  // §3.7.5 Constants, on the interface object and the prototype.
  for (const [constant, value] of Object.entries(spec.constants || {})) {
    for (const [holder, holderName] of [[interfaceObject, name], [prototype, `${name}.prototype`]]) {
      const descriptor = expectDescriptor(holder, constant, { writable: false, enumerable: true, configurable: false }, `${holderName}.${constant}`);
      check(descriptor && descriptor.value === value, `${holderName}.${constant} is ${descriptor && descriptor.value}, expected ${value}`);
    }
  }

  // §3.7.7 Attributes: accessors on the prototype, with brand-checking getters.
  const checkAttribute = (holder, attribute, kind, configurable, what) => {
    const descriptor = expectDescriptor(holder, attribute, { enumerable: true, configurable }, what);
    if (!descriptor) return;
    check(typeof descriptor.get === 'function', `${what} has a getter`);
    if (typeof descriptor.get !== 'function') return;
    check(descriptor.get.name === `get ${attribute}` && descriptor.get.length === 0, `${what} getter name/length: ${descriptor.get.name}/${descriptor.get.length}`);
    if (kind === 'readonly') {
      check(descriptor.set === undefined, `${what} is readonly`);
    } else if (kind === 'replaceable') {
      // §3.7.7 [Replaceable]: a setter that defines an own data property instead.
      check(typeof descriptor.set === 'function' && descriptor.set.name === `set ${attribute}` && descriptor.set.length === 1, `${what} [Replaceable] setter`);
    } else {
      check(typeof descriptor.set === 'function' && descriptor.set.name === `set ${attribute}` && descriptor.set.length === 1, `${what} setter`);
    }
    throwsTypeError(() => descriptor.get.call({}), `${what} getter on a plain object`);
  };
  // ([Global]: on the global object, and not on the prototype.)
  const [memberHolder, holderName] = spec.global ? [globalThis, 'the global'] : [prototype, `${name}.prototype`];
  for (const [attribute, kind] of Object.entries(spec.attributes || {})) {
    checkAttribute(memberHolder, attribute, kind, true, `${holderName}.${attribute}`);
    if (spec.global) {
      check(!(attribute in prototype), `${attribute} is not on ${name}.prototype`);
    } else {
      throwsTypeError(() => prototype[attribute], `${name}.prototype.${attribute} read on the prototype`);
    }
  }

  // §3.7.6 Operations: methods on the prototype, with `length` = required arguments.
  for (const [operation, length] of Object.entries(spec.operations || {})) {
    const descriptor = expectDescriptor(memberHolder, operation, { writable: true, enumerable: true, configurable: true }, `${holderName}.${operation}`);
    if (spec.global) check(!(operation in prototype), `${operation} is not on ${name}.prototype`);
    if (!descriptor) continue;
    const method = descriptor.value;
    check(typeof method === 'function' && method.name === operation && method.length === length, `${holderName}.${operation} name/length: ${method.name}/${method.length}`);
    check(!('prototype' in method), `${holderName}.${operation} has no prototype`);
    throwsTypeError(() => method.call({}), `${holderName}.${operation} on a plain object`);
    throwsTypeError(() => new method(), `new ${holderName}.${operation}`);
  }

  // §3.7.6 Static operations: methods on the interface object, with no receiver check.
  for (const [operation, length] of Object.entries(spec.staticOperations || {})) {
    const descriptor = expectDescriptor(interfaceObject, operation, { writable: true, enumerable: true, configurable: true }, `${name}.${operation}`);
    if (!descriptor) continue;
    const method = descriptor.value;
    check(typeof method === 'function' && method.name === operation && method.length === length, `${name}.${operation} name/length: ${method.name}/${method.length}`);
    check(!(operation in prototype), `${name}.${operation} is not on the prototype`);
    check(!('prototype' in method), `${name}.${operation} has no prototype`);
    throwsTypeError(() => new method(), `new ${name}.${operation}`);
    try {
      method.call({}, ...Array(length).fill('x'));
      check(true, `${name}.${operation} needs no receiver`);
    } catch (e) {
      check(!(e instanceof TypeError && /Illegal invocation/.test(e.message)), `${name}.${operation} checked its receiver`);
    }
  }

  // §3.7.8.2 Stringifier: toString() on the prototype.
  if (spec.stringifier) {
    const descriptor = expectDescriptor(prototype, 'toString', { writable: true, enumerable: true, configurable: true }, `${name}.prototype.toString`);
    if (descriptor) {
      check(descriptor.value.name === 'toString' && descriptor.value.length === 0, `${name}.prototype.toString name/length`);
      throwsTypeError(() => descriptor.value.call({}), `${name}.prototype.toString on a plain object`);
      if (spec.create) {
        const instance = spec.create();
        check(String(instance) === instance.toString() && `${instance}` === descriptor.value.call(instance), `String() of a ${name} is its toString()`);
      }
    }
  }

  // §3.7.9 Iterable declarations: entries, keys, values, forEach, @@iterator; §3.7.10 the
  // iterator prototype.
  if (spec.iterable) {
    for (const [operation, length] of Object.entries({ entries: 0, keys: 0, values: 0, forEach: 1 })) {
      const descriptor = expectDescriptor(prototype, operation, { writable: true, enumerable: true, configurable: true }, `${name}.prototype.${operation}`);
      if (!descriptor) continue;
      check(descriptor.value.name === operation && descriptor.value.length === length, `${name}.prototype.${operation} name/length`);
      throwsTypeError(() => descriptor.value.call({}, () => {}), `${name}.prototype.${operation} on a plain object`);
    }
    const iterator = expectDescriptor(prototype, Symbol.iterator, { writable: true, enumerable: false, configurable: true }, `${name}.prototype[@@iterator]`);
    check(iterator && iterator.value === prototype.entries, `${name}.prototype[@@iterator] is entries`);
    if (spec.create) {
      const iteratorPrototype = Object.getPrototypeOf(spec.create().entries());
      const intrinsic = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()));
      check(Object.getPrototypeOf(iteratorPrototype) === intrinsic, `${name} Iterator's [[Prototype]] is %IteratorPrototype%`);
      check(iteratorPrototype === Object.getPrototypeOf(spec.create().keys()), `one ${name} Iterator prototype`);
      const iteratorTag = expectDescriptor(iteratorPrototype, Symbol.toStringTag, { writable: false, enumerable: false, configurable: true }, `${name} Iterator[@@toStringTag]`);
      check(iteratorTag && iteratorTag.value === `${name} Iterator`, `${name} Iterator's class string`);
      const next = expectDescriptor(iteratorPrototype, 'next', { writable: true, enumerable: true, configurable: true }, `${name} Iterator.next`);
      check(next && next.value.name === 'next' && next.value.length === 0, `${name} Iterator.next name/length`);
      if (next) throwsTypeError(() => next.value.call({}), `${name} Iterator.next on a plain object`);
      check(!Object.prototype.hasOwnProperty.call(iteratorPrototype, 'constructor'), `${name} Iterator has no own constructor`);
    }
  }

  // Instances: [[Prototype]], class string, [LegacyUnforgeable] own accessors.
  if (spec.create) {
    const instance = spec.create();
    check(Object.getPrototypeOf(instance) === prototype, `an instance's [[Prototype]] is ${name}.prototype`);
    check(Object.prototype.toString.call(instance) === `[object ${name}]`, `an instance's class string`);
    for (let ancestor = spec.parent; ancestor; ancestor = interfaces.find((i) => i.name === ancestor).parent) {
      check(instance instanceof globalThis[ancestor], `an instance is an ${ancestor}`);
    }
    for (const [attribute, kind] of Object.entries(spec.unforgeable || {})) {
      checkAttribute(instance, attribute, kind, false, `${name} instance's own ${attribute}`);
      check(!(attribute in prototype), `${attribute} is not on ${name}.prototype`);
    }
  } else {
    throwsTypeError(() => interfaceObject.call({}), `${name}() called on an object`);
  }
  // A [Global] interface has no constructor; its one instance is the global object.
  if (spec.global) throwsTypeError(() => new interfaceObject(), `new ${name}()`);
  return { checks, failures };
}

for (const spec of interfaces) {
  if (typeof globalThis[spec.name] !== 'function') {
    console.log(`FAIL ${spec.name}: not defined`);
    continue;
  }
  const { checks, failures } = checkInterface(spec);
  console.log(`${failures.length ? 'FAIL' : 'PASS'} ${spec.name}: ${checks - failures.length}/${checks} checks`);
  for (const failure of failures) console.log(`  ${failure}`);
}

// Exception types: TypeError for conversions and brand checks, DOMException for state errors.
const expectThrow = (what, f, expected) => {
  try {
    f();
    console.log(`FAIL ${what}: no exception`);
  } catch (e) {
    const actual = e instanceof DOMException ? `DOMException ${e.name} ${e.code}` : e.constructor.name;
    console.log(`${actual === expected ? 'PASS' : 'FAIL'} ${what}: ${actual}`);
  }
};
expectThrow('new Event() without a type', () => new Event(), 'TypeError');
expectThrow('dispatchEvent(non-Event)', () => new EventTarget().dispatchEvent({}), 'TypeError');
expectThrow('addEventListener with a non-object listener', () => new EventTarget().addEventListener('x', 5), 'TypeError');
expectThrow('Event with a non-object init', () => new Event('x', 5), 'TypeError');
expectThrow('getter on the wrong object', () => Object.getOwnPropertyDescriptor(Event.prototype, 'type').get.call(new EventTarget()), 'TypeError');
expectThrow('method on the wrong object', () => EventTarget.prototype.addEventListener.call(new Event('x'), 'x', null), 'TypeError');
expectThrow('re-dispatching an event being dispatched', () => {
  const target = new EventTarget();
  const event = new Event('x');
  let caught = null;
  target.addEventListener('x', () => {
    try { target.dispatchEvent(event); } catch (e) { caught = e; }
  });
  target.dispatchEvent(event);
  throw caught;
}, 'DOMException InvalidStateError 11');
expectThrow('new Window()', () => new Window(), 'TypeError');
expectThrow('PromiseRejectionEvent without a promise', () => new PromiseRejectionEvent('x', {}), 'TypeError');
expectThrow('atob of a string that is not base64', () => atob('*'), 'DOMException InvalidCharacterError 5');
expectThrow('btoa of a string beyond Latin-1', () => btoa('\u0100'), 'DOMException InvalidCharacterError 5');
expectThrow('structuredClone of a function', () => structuredClone(() => {}), 'DOMException DataCloneError 25');
const domException = new DOMException('a message', 'NotFoundError');
console.log(`DOMException: ${domException.name} ${domException.message} ${domException.code} ` +
            `${domException instanceof Error} ${String(domException)}`);
