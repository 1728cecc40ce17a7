// Tests of the generated bindings and the runtime, in V8: WebIDL semantics of every construct
// (through the real interfaces and the test interfaces of idl/tests), EventTarget and Event
// behaviour, ownership and garbage collection.
#include <gtest/gtest.h>

#include "bindings/install.h"
#include "bindings/interface_template_builder.h"
#include "bindings/script_wrappable.h"
#include "bindings/string_conversions.h"
#include "bindings/testing/test_interfaces.h"
#include "bindings/testing/v8_test_environment.h"
#include "engine/exposed_interfaces.h"

namespace switchboard::bindings {
namespace {

using BindingsTest = testing::V8Test;

TEST_F(BindingsTest, InterfaceObjectsAreInstalled) {
  EXPECT_EQ(Run("log(typeof EventTarget, typeof Event, typeof DOMException)"),
            "function function function\n");
}

}  // namespace
}  // namespace switchboard::bindings

namespace switchboard::bindings {
namespace {

// --- Interface objects, prototypes, members (WebIDL §3.7) --------------------------------

TEST_F(BindingsTest, InterfaceObjectProperties) {
  EXPECT_EQ(Run(R"(
    const d = Object.getOwnPropertyDescriptor(globalThis, 'Event');
    log(d.writable, d.enumerable, d.configurable);
    log(Event.name, Event.length, EventTarget.length, DOMException.length, TestObject.length);
    const p = Object.getOwnPropertyDescriptor(Event, 'prototype');
    log(p.writable, p.enumerable, p.configurable);
    log(Object.getPrototypeOf(Event) === Function.prototype);
    log(Object.getPrototypeOf(TestEventTarget) === EventTarget);
    log(Object.getPrototypeOf(TestEventTarget.prototype) === EventTarget.prototype);
    log(Object.getPrototypeOf(DOMException.prototype) === Error.prototype);
    log(Object.prototype.toString.call(Event.prototype), String(new EventTarget()));
    const t = Object.getOwnPropertyDescriptor(Event.prototype, Symbol.toStringTag);
    log(t.value, t.writable, t.enumerable, t.configurable);
  )"),
            "true false true\n"
            "Event 1 0 0 1\n"
            "false false false\n"
            "true\ntrue\ntrue\ntrue\n"
            "[object Event] [object EventTarget]\n"
            "Event false false true\n");
}

TEST_F(BindingsTest, ConstructorsNeedNewAndIllegalConstructorThrows) {
  EXPECT_EQ(Run(R"(
    try { EventTarget(); } catch (e) { log(e.name, e.message); }
    try { new TestNonConstructible(); } catch (e) { log(e.name, e.message); }
    try { new Event(); } catch (e) { log(e.name, e.message); }
    class Sub extends EventTarget { constructor() { super(); this.x = 1; } }
    const s = new Sub();
    log(s instanceof Sub, s instanceof EventTarget, s.x, typeof s.addEventListener);
    s.addEventListener('a', () => log('sub listener'));
    s.dispatchEvent(new Event('a'));
  )"),
            "TypeError Failed to construct 'EventTarget': Please use the 'new' operator, this DOM "
            "object constructor cannot be called as a function.\n"
            "TypeError Illegal constructor\n"
            "TypeError Failed to construct 'Event': 1 argument required, but only 0 present.\n"
            "true true 1 function\n"
            "sub listener\n");
}

TEST_F(BindingsTest, ConstantsAttributesAndOperations) {
  EXPECT_EQ(Run(R"(
    for (const o of [Event, Event.prototype]) {
      const c = Object.getOwnPropertyDescriptor(o, 'AT_TARGET');
      log(c.value, c.writable, c.enumerable, c.configurable);
    }
    const a = Object.getOwnPropertyDescriptor(Event.prototype, 'type');
    log(typeof a.get, a.set, a.enumerable, a.configurable, a.get.name, a.get.length);
    const r = Object.getOwnPropertyDescriptor(Event.prototype, 'returnValue');
    log(r.set.name, r.set.length);
    const m = Object.getOwnPropertyDescriptor(EventTarget.prototype, 'addEventListener');
    log(m.writable, m.enumerable, m.configurable, m.value.name, m.value.length);
    log('prototype' in m.value);
    try { new m.value(); } catch (e) { log(e.name); }
    log(TestObject.MINUS_ONE, TestObject.prototype.HALF);
  )"),
            "2 false true false\n2 false true false\n"
            "function undefined true true get type 0\n"
            "set returnValue 1\n"
            "true true true addEventListener 2\n"
            "false\nTypeError\n-1 0.5\n");
}

TEST_F(BindingsTest, BrandChecksThrowIllegalInvocation) {
  EXPECT_EQ(Run(R"(
    const tries = [
      () => Event.prototype.type,
      () => EventTarget.prototype.dispatchEvent.call({}, new Event('x')),
      () => Object.getOwnPropertyDescriptor(Event.prototype, 'type').get.call(new EventTarget()),
      () => Object.getOwnPropertyDescriptor(new Event('x'), 'isTrusted').get.call({}),
      () => Object.create(Event.prototype).preventDefault(),
    ];
    for (const f of tries) { try { f(); log('no exception'); } catch (e) { log(e.constructor.name, e.message); } }
  )"),
            "TypeError Illegal invocation\nTypeError Illegal invocation\n"
            "TypeError Illegal invocation\nTypeError Illegal invocation\n"
            "TypeError Illegal invocation\n");
}

TEST_F(BindingsTest, LegacyUnforgeableIsOwnAccessorOnInstances) {
  EXPECT_EQ(Run(R"(
    const e = new Event('x');
    const d = Object.getOwnPropertyDescriptor(e, 'isTrusted');
    log(typeof d.get, d.set, d.enumerable, d.configurable, e.isTrusted);
    log('isTrusted' in Event.prototype);
    log(d.get === Object.getOwnPropertyDescriptor(new Event('y'), 'isTrusted').get);
    log(Object.getOwnPropertyDescriptor(new TestObject('n'), 'name').configurable);
  )"),
            "function undefined true false false\nfalse\ntrue\nfalse\n");
}

// --- Conversions (WebIDL §3.2) ---------------------------------------------------------------

TEST_F(BindingsTest, IntegerConversions) {
  EXPECT_EQ(Run(R"(
    const o = new TestObject('n');
    const set = (name, values) => log(name + ':', values.map(v => {
      try { o[name] = v; return String(o[name]); } catch (e) { return e.name; }
    }).join(' '));
    set('byteValue', [127, 128, -129, 255.9, -0.5, NaN, Infinity, '12']);
    set('octetValue', [256, -1, 1.9, 511]);
    set('shortValue', [32768, -32769]);
    set('unsignedShortValue', [65536, -1]);
    set('longValue', [2147483648, -2147483649, 4294967296 + 5]);
    set('unsignedLongValue', [-1, 4294967296]);
    set('longLongValue', [-1, 2 ** 53, 2 ** 64 + 4096, -(2 ** 63)]);
    set('unsignedLongLongValue', [-1, 2 ** 53 - 1]);
    set('enforcedLong', [5.7, -5.7, 2147483647, 2147483648, NaN, Infinity]);
    set('enforcedUnsignedLongLong', [2 ** 53 - 1, 2 ** 53, -1]);
    set('clampedOctet', [300, -5, 1.5, 2.5, 0.5, NaN]);
    set('clampedLong', [1e10, -1e10, -2.5]);
    try { o.longValue = Symbol(); } catch (e) { log(e.name); }
  )"),
            "byteValue: 127 -128 127 -1 0 0 0 12\n"
            "octetValue: 0 255 1 255\n"
            "shortValue: -32768 32767\n"
            "unsignedShortValue: 0 65535\n"
            "longValue: -2147483648 2147483647 5\n"
            "unsignedLongValue: 4294967295 0\n"
            "longLongValue: -1 9007199254740992 4096 -9223372036854776000\n"
            "unsignedLongLongValue: 18446744073709552000 9007199254740991\n"
            "enforcedLong: 5 -5 2147483647 TypeError TypeError TypeError\n"
            "enforcedUnsignedLongLong: 9007199254740991 TypeError TypeError\n"
            "clampedOctet: 255 0 2 2 0 0\n"
            "clampedLong: 2147483647 -2147483648 -2\n"
            "TypeError\n");
}

TEST_F(BindingsTest, FloatingPointBooleanStringAnyNullableConversions) {
  EXPECT_EQ(Run(R"(
    const o = new TestObject('n');
    const set = (name, values) => log(name + ':', values.map(v => {
      try { o[name] = v; return String(o[name]); } catch (e) { return e.name; }
    }).join(' '));
    set('doubleValue', [1.5, '2', NaN, Infinity, -Infinity]);
    set('unrestrictedDoubleValue', [NaN, -Infinity]);
    set('floatValue', [0.1, 3.5e38, NaN]);
    set('booleanValue', [0, 'x', {}, null]);
    set('stringValue', [null, undefined, 12, {toString() { return 'custom'; }}]);
    set('nullableString', [null, undefined, 'a']);
    set('nullableLong', [null, 7]);
    try { o.stringValue = Symbol(); } catch (e) { log(e.name); }
    o.stringValue = 'a\uD800b';
    log(o.stringValue === 'a\uD800b');
    o.usvStringValue = 'a\uD800b\uDFFF';
    log(o.usvStringValue === 'a\uFFFDb\uFFFD', o.usvStringValue.length);
    const obj = {};
    o.anyValue = obj;
    log(o.anyValue === obj, o.identity(obj) === obj);
    try { o.identity(1); } catch (e) { log(e.name, e.message); }
    o.other = o;
    log(o.other === o);
    try { o.other = {}; } catch (e) { log(e.name, e.message); }
    o.other = null;
    log(o.other);
  )"),
            "doubleValue: 1.5 2 TypeError TypeError TypeError\n"
            "unrestrictedDoubleValue: NaN -Infinity\n"
            "floatValue: 0.10000000149011612 TypeError TypeError\n"
            "booleanValue: false true true false\n"
            "stringValue: null undefined 12 custom\n"
            "nullableString: null null a\n"
            "nullableLong: null 7\n"
            "TypeError\n"
            "true\n"
            "true 4\n"
            "true true\n"
            "TypeError Failed to execute 'identity' on 'TestObject': parameter 1 is not of type "
            "'object'.\n"
            "true\n"
            "TypeError Failed to set the 'other' property on 'TestObject': The provided value is "
            "not of type 'TestObject'.\n"
            "null\n");
}

TEST_F(BindingsTest, OptionalArgumentsDefaultsSequencesAndStaticOperations) {
  EXPECT_EQ(Run(R"(
    const o = new TestObject('n');
    log(o.count, new TestObject('m', 5).count);
    log(o.add(1), o.add(1, 5), o.add(1, undefined), o.add.length);
    log(o.describe(), o.describe(undefined), o.describe(null), o.describe(3));
    log(o.join(['a', 'b']), o.join(new Set(['x', 'y']), '-'));
    try { o.join(5); } catch (e) { log(e.name, e.message); }
    log(JSON.stringify(o.range(3)), Array.isArray(o.range(0)));
    log(TestObject.twice(21), 'twice' in TestObject.prototype);
    try { o.add(); } catch (e) { log(e.message); }
  )"),
            "1 5\n3 6 3 1\nmissing missing null 3\na,b x-y\n"
            "TypeError Failed to execute 'join' on 'TestObject': parameter 1 is not iterable.\n"
            "[0,1,2] true\n42 false\n"
            "Failed to execute 'add' on 'TestObject': 1 argument required, but only 0 present.\n");
}

TEST_F(BindingsTest, DictionariesAndUnions) {
  EXPECT_EQ(Run(R"(
    const o = new TestObject('n');
    log(o.takeDictionary());
    log(o.takeDictionary(null));
    log(o.takeDictionary({parentMember: 1, flag: 1, text: 5, choice: o, nullableNumber: 3,
                          numbers: [1, 2], small: 9}));
    log(o.takeDictionary({choice: 0}));
    const order = [];
    o.takeDictionary(new Proxy({}, {get(target, key) { order.push(key); return undefined; }}));
    log(order.join(','));
    try { o.takeDictionary(5); } catch (e) { log(e.message); }
    try { o.takeDictionary({small: 300}); } catch (e) { log(e.message); }
    try { o.takeRequired({}); } catch (e) { log(e.message); }
    log(o.takeRequired({name: 'r'}));
    log(o.takeUnion(o), o.takeUnion('s'), o.takeUnion(1.5), o.takeUnion(true), o.takeUnion({}));
  )"),
            "parentMember=7 flag=false text=(none) choice=(none) nullableNumber=null numbers=0 "
            "small=1\n"
            "parentMember=7 flag=false text=(none) choice=(none) nullableNumber=null numbers=0 "
            "small=1\n"
            "parentMember=1 flag=true text=5 choice=n nullableNumber=3 numbers=2 small=9\n"
            "parentMember=7 flag=false text=(none) choice=false nullableNumber=null numbers=0 "
            "small=1\n"
            "parentMember,choice,flag,nullableNumber,numbers,small,text\n"
            "Failed to execute 'takeDictionary' on 'TestObject': parameter 1 is not of type "
            "'TestDictionary'.\n"
            "Failed to execute 'takeDictionary' on 'TestObject': Failed to read the 'small' "
            "property from 'TestDictionary': Value is outside the 'octet' value range.\n"
            "Failed to execute 'takeRequired' on 'TestObject': Failed to read the 'name' property "
            "from 'TestRequiredDictionary': Required member is undefined.\n"
            "r\n"
            "TestObject n string s double 1.500000 string true string [object Object]\n");
}

TEST_F(BindingsTest, ExceptionsBecomeTypeErrorRangeErrorOrDOMException) {
  EXPECT_EQ(Run(R"(
    const o = new TestObject('n');
    try { o.throwTypeError('bad'); } catch (e) { log(e.constructor.name, e.message); }
    try { o.throwRangeError('far'); } catch (e) { log(e.constructor.name, e.message); }
    try { o.throwDOMException('SyntaxError', 'odd'); } catch (e) {
      log(e instanceof DOMException, e instanceof Error, e.name, e.code, e.message);
      log(String(e), Object.prototype.toString.call(e));
      log(e.stack.split('\n')[0]);
    }
    try { o.throwDOMException('CustomError', 'x'); } catch (e) { log(e.name, e.code); }
  )"),
            "TypeError Failed to execute 'throwTypeError' on 'TestObject': bad\n"
            "RangeError Failed to execute 'throwRangeError' on 'TestObject': far\n"
            "true true SyntaxError 12 Failed to execute 'throwDOMException' on 'TestObject': odd\n"
            "SyntaxError: Failed to execute 'throwDOMException' on 'TestObject': odd "
            "[object DOMException]\n"
            "SyntaxError: Failed to execute 'throwDOMException' on 'TestObject': odd\n"
            "CustomError 0\n");
}

TEST_F(BindingsTest, DOMExceptionInterface) {
  EXPECT_EQ(Run(R"(
    const e = new DOMException();
    log(JSON.stringify(e.name), JSON.stringify(e.message), e.code);
    const s = new DOMException('m', 'InvalidStateError');
    log(s.name, s.message, s.code, DOMException.INVALID_STATE_ERR, s.SYNTAX_ERR);
    log(new DOMException('m', 'NotFoundError').code, new DOMException('m', 'DataCloneError').code);
    log(Object.keys(DOMException).length, DOMException.DATA_CLONE_ERR);
    log(Object.getOwnPropertyNames(e).join(), 'name' in DOMException.prototype);
  )"),
            "\"Error\" \"\" 0\n"
            "InvalidStateError m 11 11 12\n"
            "8 25\n"
            "25 25\n"
            "stack true\n");
}

// Browsers give a DOMException an Error's `stack`, whether script or the bindings made it.
TEST_F(BindingsTest, DOMExceptionHasAStackLikeAnError) {
  EXPECT_EQ(Run(R"(
    function makesOne() { return new DOMException('boom', 'AbortError'); }
    const e = makesOne();
    const d = Object.getOwnPropertyDescriptor(e, 'stack');
    log(typeof d.value, d.enumerable, d.writable, d.configurable);
    const lines = e.stack.split('\n');
    log(lines[0]);
    log(lines[1].trim().startsWith('at makesOne'));
    log(new DOMException().stack.split('\n')[0]);
    function callsTheBindings() { new TestObject('n').throwDOMException('SyntaxError', 'odd'); }
    try { callsTheBindings(); } catch (thrown) {
      log(thrown.stack.split('\n').some((line) => line.trim().startsWith('at callsTheBindings')));
    }
    class Derived extends DOMException {}
    log(new Derived('m', 'NotFoundError').stack.split('\n')[0]);
    Error.prepareStackTrace = () => { throw new Error('from prepareStackTrace'); };
    try { new DOMException('m'); log('no exception'); } catch (thrown) { log(thrown.message); }
    delete Error.prepareStackTrace;
  )"),
            "string false true true\n"
            "AbortError: boom\n"
            "true\n"
            "Error\n"
            "true\n"
            "NotFoundError: m\n"
            "from prepareStackTrace\n");
}

// --- Buffer sources (WebIDL §3.2.26), returned dictionaries --------------------------------

TEST_F(BindingsTest, BufferSourceArgumentsAndUint8ArrayResults) {
  EXPECT_EQ(Run(R"(
    const b = new TestBuffers();
    log(b.self === b.self, b.self === b);
    const buffer = new ArrayBuffer(8);
    const view = new Uint8Array(buffer, 2, 3);
    log(b.bufferSourceLength(buffer), b.bufferSourceLength(view), b.bufferSourceLength(new DataView(buffer, 1)));
    log(b.arrayBufferLength(buffer), b.viewLength(new Float64Array(2)), b.viewLength(new DataView(buffer)));
    for (const [what, call] of [
        ['view as ArrayBuffer', () => b.arrayBufferLength(view)],
        ['buffer as view', () => b.viewLength(buffer)],
        ['array', () => b.bufferSourceLength([1, 2])],
        ['string', () => b.bufferSourceLength('abc')],
        ['Int8Array as Uint8Array', () => b.reversed(new Int8Array(2))],
        ['Uint8ClampedArray as Uint8Array', () => b.reversed(new Uint8ClampedArray(2))],
        ['SharedArrayBuffer', () => b.bufferSourceLength(new SharedArrayBuffer(4))],
        ['view on a SharedArrayBuffer', () => b.bufferSourceLength(new Uint8Array(new SharedArrayBuffer(4)))],
        ['missing', () => b.viewLength()]]) {
      try { call(); log(what, 'accepted'); } catch (e) { log(what, e.constructor.name, e.message); }
    }
    log(b.sharedLength(new SharedArrayBuffer(4)), b.sharedLength(new Int16Array(new SharedArrayBuffer(8))));
    const reversed = b.reversed(new Uint8Array([1, 2, 3]));
    log(reversed instanceof Uint8Array, Array.from(reversed), reversed.buffer.byteLength, reversed.byteOffset);
    log(b.reversed(new Uint8Array(0)).length, b.reversed(new Uint8Array([9])) !== b.reversed(new Uint8Array([9])));
    const target = new Uint8Array(new SharedArrayBuffer(6), 1, 3);
    b.fill(target, 7);
    log(Array.from(new Uint8Array(target.buffer)));
  )"),
            "true true\n"
            "8 3 7\n"
            "8 16 8\n"
            "view as ArrayBuffer TypeError Failed to execute 'arrayBufferLength' on 'TestBuffers': "
            "parameter 1 is not of type 'ArrayBuffer'.\n"
            "buffer as view TypeError Failed to execute 'viewLength' on 'TestBuffers': parameter 1 "
            "is not of type 'ArrayBufferView'.\n"
            "array TypeError Failed to execute 'bufferSourceLength' on 'TestBuffers': parameter 1 "
            "is not of type '(ArrayBufferView or ArrayBuffer)'.\n"
            "string TypeError Failed to execute 'bufferSourceLength' on 'TestBuffers': parameter 1 "
            "is not of type '(ArrayBufferView or ArrayBuffer)'.\n"
            "Int8Array as Uint8Array TypeError Failed to execute 'reversed' on 'TestBuffers': "
            "parameter 1 is not of type 'Uint8Array'.\n"
            "Uint8ClampedArray as Uint8Array TypeError Failed to execute 'reversed' on "
            "'TestBuffers': parameter 1 is not of type 'Uint8Array'.\n"
            "SharedArrayBuffer TypeError Failed to execute 'bufferSourceLength' on 'TestBuffers': "
            "parameter 1 is not of type '(ArrayBufferView or ArrayBuffer)'.\n"
            "view on a SharedArrayBuffer TypeError Failed to execute 'bufferSourceLength' on "
            "'TestBuffers': parameter 1 is a view on a SharedArrayBuffer.\n"
            "missing TypeError Failed to execute 'viewLength' on 'TestBuffers': 1 argument "
            "required, but only 0 present.\n"
            "4 8\n"
            "true 3,2,1 3 0\n"
            "0 true\n"
            "0,7,7,7,0,0\n");
}

// A detached buffer, or a view on one, has no bytes (WebIDL "get a copy of the bytes").
TEST_F(BindingsTest, DetachedBuffersHaveNoBytes) {
  {
    v8::HandleScope scope(isolate());
    v8::Local<v8::Value> buffer = Evaluate(R"(
      globalThis.detached = new Uint8Array([1, 2, 3, 4]).buffer;
      globalThis.detachedView = new Uint8Array(detached, 1);
      detached
    )");
    ASSERT_TRUE(buffer->IsArrayBuffer());
    buffer.As<v8::ArrayBuffer>()->Detach();
  }
  EXPECT_EQ(Run(R"(
    const b = new TestBuffers();
    log(b.bufferSourceLength(detached), b.bufferSourceLength(detachedView),
        b.reversed(detachedView).length, b.counts(detachedView).total);
    b.fill(detachedView, 1);
    log('fill of a detached view writes nothing');
  )"),
            "0 0 0 0\nfill of a detached view writes nothing\n");
}

TEST_F(BindingsTest, ReturnedDictionariesAreNewObjectsWithPresentMembers) {
  EXPECT_EQ(Run(R"(
    const b = new TestBuffers();
    const counts = b.counts(new Uint8Array([4, 5]), 'tagged');
    log(Object.getPrototypeOf(counts) === Object.prototype, Object.keys(counts).join());
    log(counts.total, counts.first, counts.tag);
    const empty = b.counts(new Uint8Array(0));
    log(Object.keys(empty).join(), empty.tag);
    log(Object.keys(b.counts()).join(), b.counts() !== b.counts());
  )"),
            "true total,first,tag\n"
            "2 4 tagged\n"
            "total,tag null\n"
            "total,tag true\n");
}

// --- Callbacks ------------------------------------------------------------------------------

TEST_F(BindingsTest, CallbackFunctionsAndInterfaces) {
  EXPECT_EQ(Run(R"(
    const r = new TestCallbackRunner();
    log(r.callFunction(function(text, n) { return [this === r, text, n].join(' '); }, 'hi', 3));
    log(r.callFunction(() => { throw new Error('boom'); }, 'x', 1));
    log('after');
    try { r.callFunction({}, 'x', 1); } catch (e) { log(e.message); }
    log(r.callInterface({compute(v) { return v * 2 + (this.k || 0); }, k: 1}, 20));
    log(r.callInterface(v => v + 1, 1));
    log(r.callInterface({}, 1));
    log(r.callInterface({compute: 5}, 1));
    let getterCalls = 0;
    log(r.callInterface({get compute() { ++getterCalls; return v => v; }}, 9), getterCalls);
    try { r.callInterface(5, 1); } catch (e) { log(e.message); }
  )"),
            "true hi 3\n"
            "Uncaught Error: boom\n"
            "null\n"
            "after\n"
            "Failed to execute 'callFunction' on 'TestCallbackRunner': parameter 1 is not of type "
            "'TestCallback'.\n"
            "41\n2\n"
            "Uncaught TypeError: The 'compute' property is not callable.\n"
            "null\n"
            "Uncaught TypeError: The 'compute' property is not callable.\n"
            "null\n"
            "9 1\n"
            "Failed to execute 'callInterface' on 'TestCallbackRunner': parameter 1 is not of "
            "type 'TestCallbackInterface'.\n");
}

}  // namespace
}  // namespace switchboard::bindings

namespace switchboard::bindings {
namespace {

// --- EventTarget and Event (DOM §2) ----------------------------------------------------------

TEST_F(BindingsTest, ListenerOrderCaptureAtTargetOnceAndDuplicates) {
  EXPECT_EQ(Run(R"(
    const t = new EventTarget();
    const f = e => log('f', e.eventPhase, e.currentTarget === t, e.target === t);
    t.addEventListener('x', f);
    t.addEventListener('x', f);           // duplicate: ignored
    t.addEventListener('x', f, true);     // capture: a different listener, runs first
    t.addEventListener('x', () => log('once'), {once: true});
    t.addEventListener('x', {handleEvent(e) { log('object', this !== t); }});
    t.addEventListener('y', () => log('wrong type'));
    log(t.dispatchEvent(new Event('x')));
    t.dispatchEvent(new Event('x'));
    t.removeEventListener('x', f, {capture: true});
    t.removeEventListener('x', f);
    t.dispatchEvent(new Event('x'));
  )"),
            "f 2 true true\nf 2 true true\nonce\nobject true\ntrue\n"
            "f 2 true true\nf 2 true true\nobject true\n"
            "object true\n");
}

TEST_F(BindingsTest, RemovalAndAdditionDuringDispatch) {
  EXPECT_EQ(Run(R"(
    const t = new EventTarget();
    const b = () => log('b');
    t.addEventListener('x', () => { log('a'); t.removeEventListener('x', b);
                                    t.addEventListener('x', () => log('added')); });
    t.addEventListener('x', b);
    t.addEventListener('x', () => log('c'));
    t.dispatchEvent(new Event('x'));
    log('--');
    t.dispatchEvent(new Event('x'));
  )"),
            "a\nc\n--\na\nc\nadded\n");
}

TEST_F(BindingsTest, ListenerExceptionsAreReportedAndDispatchGoesOn) {
  EXPECT_EQ(Run(R"(
    const t = new EventTarget();
    t.addEventListener('x', () => { throw new Error('first'); });
    t.addEventListener('x', {handleEvent: 5});
    t.addEventListener('x', () => log('still runs'));
    log('returned', t.dispatchEvent(new Event('x')));
  )"),
            "Uncaught Error: first\n"
            "Uncaught TypeError: The 'handleEvent' property is not callable.\n"
            "still runs\nreturned true\n");
}

TEST_F(BindingsTest, CancelationStopPropagationAndPassive) {
  EXPECT_EQ(Run(R"(
    const t = new EventTarget();
    t.addEventListener('x', e => { e.preventDefault(); log('passive', e.defaultPrevented); },
                       {passive: true});
    t.addEventListener('x', e => { e.preventDefault(); log('active', e.defaultPrevented); });
    t.addEventListener('x', e => { e.stopImmediatePropagation(); });
    t.addEventListener('x', e => log('not reached'));
    log(t.dispatchEvent(new Event('x', {cancelable: true})));
    log(t.dispatchEvent(new Event('x')));
    const e = new Event('y', {cancelable: true});
    e.returnValue = false;
    log(e.defaultPrevented, e.returnValue, e.cancelBubble);
    e.cancelBubble = true;
    log(e.cancelBubble);
    t.addEventListener('y', () => log('stopped before dispatch still runs? no'));
    t.dispatchEvent(e);
    log(e.cancelBubble, e.eventPhase, e.currentTarget, e.target === t, e.composedPath().length);
  )"),
            "passive false\nactive true\nfalse\n"
            "passive false\nactive false\ntrue\n"
            "true false false\ntrue\n"
            "false 0 null true 0\n");
}

TEST_F(BindingsTest, DispatchStateAndInvalidStateError) {
  EXPECT_EQ(Run(R"(
    const t = new EventTarget();
    const e = new Event('x', {bubbles: true});
    t.addEventListener('x', ev => {
      log(ev.eventPhase === Event.AT_TARGET, ev.composedPath()[0] === t, ev.isTrusted);
      try { t.dispatchEvent(ev); } catch (ex) { log(ex.name, ex.code, ex instanceof DOMException); }
      ev.initEvent('ignored');
      log(ev.type);
    }, true);
    log(e.timeStamp >= 0, e.bubbles, e.cancelable, e.composed, e.srcElement);
    t.dispatchEvent(e);
    e.initEvent('z', false, true);
    log(e.type, e.bubbles, e.cancelable, e.target);
    try { t.dispatchEvent({}); } catch (ex) { log(ex.message); }
    try { t.dispatchEvent(); } catch (ex) { log(ex.message); }
  )"),
            "true true false false null\n"
            "true true false\nInvalidStateError 11 true\nx\n"
            "z false true null\n"
            "Failed to execute 'dispatchEvent' on 'EventTarget': parameter 1 is not of type "
            "'Event'.\n"
            "Failed to execute 'dispatchEvent' on 'EventTarget': 1 argument required, but only 0 "
            "present.\n");
}

TEST_F(BindingsTest, EventHandlerAttributes) {
  EXPECT_EQ(Run(R"(
    const t = new TestEventTarget();
    t.addEventListener('foo', () => log('listener 1'));
    t.onfoo = () => log('handler A');
    t.addEventListener('foo', () => log('listener 2'));
    t.fire('foo');
    log('-- changing the value keeps the position');
    t.onfoo = function(e) { log('handler B', this === t, e.isTrusted); };
    t.fire('foo');
    log('-- null removes it; a new value goes last');
    t.onfoo = null;
    t.fire('foo');
    t.onfoo = () => log('handler C');
    t.fire('foo');
    log('-- values');
    const f = () => false;
    t.onbar = f;
    log(t.onbar === f, t.fire('bar', true), t.fire('bar', false));
    t.onbar = 5;
    log(t.onbar);
    const object = {};
    t.onbar = object;
    log(t.onbar === object, t.fire('bar', true));
    t.onbar = () => { throw new Error('in handler'); };
    log(t.fire('bar', true));
    log(Object.getOwnPropertyDescriptor(TestEventTarget.prototype, 'onfoo').set.name);
  )"),
            "listener 1\nhandler A\nlistener 2\n"
            "-- changing the value keeps the position\n"
            "listener 1\nhandler B true true\nlistener 2\n"
            "-- null removes it; a new value goes last\n"
            "listener 1\nlistener 2\n"
            "listener 1\nlistener 2\nhandler C\n"
            "-- values\n"
            "true false true\n"
            "null\n"
            "true true\n"
            "Uncaught Error: in handler\ntrue\n"
            "set onfoo\n");
}

// --- Ownership and garbage collection ------------------------------------------------------

TEST_F(BindingsTest, WrapperIdentityAndCollection) {
  size_t before = ScriptWrappable::LiveObjectCountForTesting();
  // In a block: top-level `const`s of a script would live on in the global lexical scope.
  Run(R"({
    globalThis.e = new Event('x');
    const t = new EventTarget();
    t.expando = 'kept';
    t.addEventListener('x', () => log('listener kept'));
    t.dispatchEvent(e);
    log(e.target === e.target);
    for (let i = 0; i < 100; ++i) new EventTarget().addEventListener('x', function() { this; });
  })");
  CollectGarbage();
  EXPECT_EQ(ScriptWrappable::LiveObjectCountForTesting(), before + 2);  // e and its target
  EXPECT_EQ(Run("log(e.target.expando); e.target.dispatchEvent(new Event('x'));"),
            "kept\nlistener kept\n");
  Run("delete globalThis.e;");
  CollectGarbage();
  EXPECT_EQ(ScriptWrappable::LiveObjectCountForTesting(), before);
}

TEST_F(BindingsTest, PendingActivityKeepsWrapperAndListenersAlive) {
  size_t before = ScriptWrappable::LiveObjectCountForTesting();
  RefPtr<testing::TestEventTarget> target;
  {
    v8::HandleScope scope(isolate());
    v8::Local<v8::Value> value = Evaluate(R"(
      (() => {
        const t = new TestEventTarget();
        t.active = true;
        t.addEventListener('ping', () => log('ping heard'));
        t.onping = () => log('onping heard');
        return t;
      })()
    )");
    target = static_cast<testing::TestEventTarget*>(
        ScriptWrappable::FromWrapper(value.As<v8::Object>()));
  }
  CollectGarbage();
  environment_.lines.clear();
  target->Fire(environment_, "ping", false);
  EXPECT_EQ(environment_.lines, (std::vector<std::string>{"ping heard"}));
  // Without pending activity the wrapper goes, and with it the listeners; the C++ object
  // lives on while C++ holds it.
  target->set_active(false);
  CollectGarbage();
  EXPECT_FALSE(target->HasWrapper());
  environment_.lines.clear();
  target->Fire(environment_, "ping", false);
  EXPECT_TRUE(environment_.lines.empty());
  target.reset();
  EXPECT_EQ(ScriptWrappable::LiveObjectCountForTesting(), before);
}

TEST_F(BindingsTest, RetainedCallbacksLiveAsLongAsTheirOwner) {
  EXPECT_EQ(Run(R"(
    globalThis.r = new TestCallbackRunner();
    r.store(function() { log('stored callback', this === r); });
  )"),
            "");
  CollectGarbage();
  EXPECT_EQ(Run("r.callStored(); r.store(null); r.callStored();"), "stored callback true\n");
}

TEST_F(BindingsTest, DisposeBindingsReleasesEverything) {
  size_t before = ScriptWrappable::LiveObjectCountForTesting();
  Run(R"(
    globalThis.keep = [];
    for (let i = 0; i < 10; ++i) {
      const t = new TestEventTarget();
      t.active = true;
      t.addEventListener('x', () => t);  // a cycle through the listener
      keep.push(new Event('x'), t);
    }
  )");
  EXPECT_EQ(ScriptWrappable::LiveObjectCountForTesting(), before + 20);
  // TearDown disposes the bindings and the isolate; V8Test checks nothing is left then.
}

}  // namespace
}  // namespace switchboard::bindings

// --- [Global] interfaces and interface mixins (WebIDL §3.7.5-§3.7.7, §2.5) -------------

namespace switchboard::bindings {
namespace {

// A second context in the fixture's isolate whose global object is a TestGlobalScope.
class GlobalInterfaceTest : public testing::V8Test {
 protected:
  void SetUp() override {
    V8Test::SetUp();
    global_ = testing::TestGlobalScope::Create();
    v8::Local<v8::Context> global_context = v8::Context::New(
        isolate(), nullptr,
        GlobalObjectTemplate(isolate(), testing::TestGlobalScope::wrapper_type_info));
    global_context_.Reset(isolate(), global_context);
    environment_.AttachTo(global_context);
    BindGlobalObject(global_context, *global_);
    InstallInterfaces(global_context, ExposedInterfaces());
    InstallInterfaceObject(global_context, testing::TestGlobalScope::wrapper_type_info);
    v8::Context::Scope scope(global_context);
    // `log` from the fixture's context works here too (same isolate, same environment).
    v8::Local<v8::Value> log =
        context()
            ->Global()
            ->Get(context(), v8::String::NewFromUtf8Literal(isolate(), "log"))
            .ToLocalChecked();
    global_context->Global()
        ->Set(global_context, v8::String::NewFromUtf8Literal(isolate(), "log"), log)
        .Check();
  }
  void TearDown() override {
    global_ = nullptr;  // the global's wrapper keeps it until DisposeBindings
    global_context_.Reset();
    V8Test::TearDown();
  }

  std::string RunInGlobal(std::string_view source) {
    environment_.lines.clear();
    v8::Local<v8::Context> global_context = global_context_.Get(isolate());
    EnterScript(global_context, [&] {
      v8::Local<v8::Script> script;
      v8::Local<v8::Value> result;
      return v8::Script::Compile(global_context, ToV8String(isolate(), source)).ToLocal(&script) &&
             script->Run(global_context).ToLocal(&result);
    });
    std::string output;
    for (const std::string& line : environment_.lines) output += line + "\n";
    return output;
  }

  RefPtr<testing::TestGlobalScope> global_;
  v8::Global<v8::Context> global_context_;
};

TEST_F(GlobalInterfaceTest, GlobalObjectIsAnInstanceWithoutConstructor) {
  EXPECT_EQ(RunInGlobal(R"(
    log(Object.getPrototypeOf(globalThis) === TestGlobalScope.prototype);
    log(Object.getPrototypeOf(TestGlobalScope.prototype) === EventTarget.prototype);
    log(globalThis instanceof EventTarget, String(globalThis));
    try { new TestGlobalScope(); } catch (e) { log(e.name, e.message); }
    try { TestGlobalScope(); } catch (e) { log(e.name, e.message); }
  )"),
            "true\ntrue\ntrue [object TestGlobalScope]\n"
            "TypeError Illegal constructor\nTypeError Illegal constructor\n");
}

TEST_F(GlobalInterfaceTest, RegularMembersAreOwnPropertiesOfTheGlobal) {
  EXPECT_EQ(RunInGlobal(R"(
    const own = (name) => Object.getOwnPropertyDescriptor(globalThis, name);
    for (const name of ['counter', 'increment', 'ontick', 'mixinName', 'echo', 'replaceableSelf',
                        'unforgeableSelf']) {
      log(name, own(name) !== undefined, name in TestGlobalScope.prototype);
    }
    const counter = own('counter');
    log(typeof counter.get, typeof counter.set, counter.enumerable, counter.configurable);
    const increment = own('increment');
    log(typeof increment.value, increment.writable, increment.enumerable,
        increment.configurable, increment.value.length);
    log(own('unforgeableSelf').configurable, own('replaceableSelf').configurable);
    // Constants stay on the interface object and its prototype.
    log(TestGlobalScope.MIXIN_CONSTANT, TestGlobalScope.prototype.MIXIN_CONSTANT,
        own('MIXIN_CONSTANT') === undefined);
  )"),
            "counter true false\nincrement true false\nontick true false\n"
            "mixinName true false\necho true false\nreplaceableSelf true false\n"
            "unforgeableSelf true false\n"
            "function function true true\n"
            "function true true true 0\n"
            "false true\n"
            "7 7 true\n");
}

TEST_F(GlobalInterfaceTest, MembersWorkWithAnyReceiverForm) {
  EXPECT_EQ(RunInGlobal(R"(
    counter = 5;
    log(counter, increment(), globalThis.increment(2), (function () {
      'use strict';
      return increment(3);  // undefined this: the global
    })());
    log(unforgeableSelf === globalThis, replaceableSelf === globalThis, echo('hi'), mixinName);
    try { increment.call({}); } catch (e) { log(e.name, e.message); }
    try { Object.getOwnPropertyDescriptor(globalThis, 'counter').get.call(new EventTarget()); }
    catch (e) { log(e.name, e.message); }
  )"),
            "5 6 8 11\n"
            "true true hi TestGlobalMixin\n"
            "TypeError Illegal invocation\nTypeError Illegal invocation\n");
  EXPECT_EQ(global_->counter(), 11);
}

TEST_F(GlobalInterfaceTest, ReplaceableAndUnforgeable) {
  EXPECT_EQ(RunInGlobal(R"(
    replaceableSelf = 42;
    const d = Object.getOwnPropertyDescriptor(globalThis, 'replaceableSelf');
    log(d.value, d.writable, d.enumerable, d.configurable);
    log(delete globalThis.unforgeableSelf, unforgeableSelf === globalThis);
    try { Object.defineProperty(globalThis, 'unforgeableSelf', { value: 1 }); }
    catch (e) { log(e.name); }
  )"),
            "42 true true true\nfalse true\nTypeError\n");
}

TEST_F(GlobalInterfaceTest, GlobalIsAnEventTarget) {
  EXPECT_EQ(RunInGlobal(R"(
    addEventListener('tick', function (event) {
      log('listener', this === globalThis, event.target === globalThis,
          event.currentTarget === unforgeableSelf);
    });
    ontick = function () { log('handler', this === globalThis); };
    log(dispatchEvent(new Event('tick')));
  )"),
            "listener true true true\nhandler true\ntrue\n");
}

TEST_F(GlobalInterfaceTest, ListenersOnTheGlobalSurviveGarbageCollection) {
  EXPECT_EQ(RunInGlobal(R"(
    addEventListener('tick', function () { log('listener survived', this === globalThis); });
    ontick = () => log('handler survived');
  )"),
            "");
  CollectGarbage();
  EXPECT_EQ(RunInGlobal("dispatchEvent(new Event('tick'));"),
            "listener survived true\nhandler survived\n");
}

}  // namespace
}  // namespace switchboard::bindings
