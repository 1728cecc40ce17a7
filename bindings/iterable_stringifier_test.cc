// Tests of the generator's iterable<K, V> (WebIDL §3.7.9-§3.7.10), stringifiers (§3.7.8.2),
// static operations, record<K, V> (§3.2.23), sequence<sequence<T>> in a union, [SameObject]
// and toJSON, in V8 through idl/tests/TestIterable.idl.
#include <gtest/gtest.h>

#include "bindings/testing/v8_test_environment.h"

namespace switchboard::bindings {
namespace {

using IterableTest = testing::V8Test;

TEST_F(IterableTest, PairIteratorMethodsAndPrototype) {
  EXPECT_EQ(Run(R"(
    const P = TestPairIterable.prototype;
    log(P[Symbol.iterator] === P.entries, P.entries.name, P.entries.length, P.forEach.length);
    for (const name of ['entries', 'keys', 'values', 'forEach']) {
      const d = Object.getOwnPropertyDescriptor(P, name);
      log(name, d.writable, d.enumerable, d.configurable);
    }
    const i = Object.getOwnPropertyDescriptor(P, Symbol.iterator);
    log(i.writable, i.enumerable, i.configurable);
    const it = new TestPairIterable('a=1').entries();
    const proto = Object.getPrototypeOf(it);
    const iteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()));
    log(Object.getPrototypeOf(proto) === iteratorPrototype, 'constructor' in proto && proto.constructor === Object);
    log(Object.getOwnPropertyNames(proto).join(), Object.prototype.toString.call(it));
    const t = Object.getOwnPropertyDescriptor(proto, Symbol.toStringTag);
    log(t.value, t.writable, t.enumerable, t.configurable);
    const n = Object.getOwnPropertyDescriptor(proto, 'next');
    log(n.writable, n.enumerable, n.configurable, n.value.length, n.value.name);
    log(proto === Object.getPrototypeOf(new TestPairIterable().keys()));
    log(typeof it[Symbol.iterator], it[Symbol.iterator]() === it);
  )"),
            "true entries 0 1\n"
            "entries true true true\nkeys true true true\nvalues true true true\n"
            "forEach true true true\n"
            "true false true\n"
            "true true\n"
            "next [object TestPairIterable Iterator]\n"
            "TestPairIterable Iterator false false true\n"
            "true true true 0 next\n"
            "true\n"
            "function true\n");
}

TEST_F(IterableTest, IterationKindsAndBrandChecks) {
  EXPECT_EQ(Run(R"(
    const p = new TestPairIterable('a=1&b=2&a=3');
    log(JSON.stringify([...p]), JSON.stringify([...p.keys()]), JSON.stringify([...p.values()]));
    const it = p.entries();
    log(JSON.stringify(it.next()), JSON.stringify(it.next()), JSON.stringify(it.next()));
    log(JSON.stringify(it.next()));
    // Not done forever: the index is compared with the list as it is now.
    p.add('c', 4);
    log(JSON.stringify(it.next()));
    try { it.next.call({}); } catch (e) { log(e.name, e.message); }
    try { it.next.call(new TestPairIterable()); } catch (e) { log(e.name); }
    try { p.entries.call({}); } catch (e) { log(e.name, e.message); }
    try { p.forEach.call({}, () => {}); } catch (e) { log(e.name); }
    try { p.forEach(); } catch (e) { log(e.name, e.message); }
    try { p.forEach(5); } catch (e) { log(e.message); }
  )"),
            "[[\"a\",1],[\"b\",2],[\"a\",3]] [\"a\",\"b\",\"a\"] [1,2,3]\n"
            "{\"value\":[\"a\",1],\"done\":false} {\"value\":[\"b\",2],\"done\":false} "
            "{\"value\":[\"a\",3],\"done\":false}\n"
            "{\"done\":true}\n"
            "{\"value\":[\"c\",4],\"done\":false}\n"
            "TypeError Illegal invocation\n"
            "TypeError\n"
            "TypeError Illegal invocation\n"
            "TypeError\n"
            "TypeError Failed to execute 'forEach' on 'TestPairIterable': parameter 1 is not of "
            "type 'Function'.\n"
            "Failed to execute 'forEach' on 'TestPairIterable': parameter 1 is not of type "
            "'Function'.\n");
}

// Iteration is index based and live: removing the current pair skips the next one, as in
// browsers (URLSearchParams: "deleting during iteration").
TEST_F(IterableTest, IterationIsLive) {
  EXPECT_EQ(Run(R"(
    const p = new TestPairIterable('a=1&b=2&c=3&d=4');
    const seen = [];
    for (const [key] of p) { seen.push(key); if (key === 'b') p.remove('b'); }
    log(seen.join());
    const q = new TestPairIterable('a=1&b=2');
    const calls = [];
    q.forEach(function (value, key, object) {
      calls.push(key + value + (object === q) + (this === 'T' || this.valueOf() === 'T'));
      if (key === 'a') q.add('z', 9);
    }, 'T');
    log(calls.join());
    q.forEach(() => { throw new Error('thrown'); });
  )"),
            "a,b,d\n"
            "a1truetrue,b2truetrue,z9truetrue\n"
            "Uncaught Error: thrown\n");
}

TEST_F(IterableTest, StringifiersStaticOperationsSameObjectAndToJSON) {
  EXPECT_EQ(Run(R"(
    const p = new TestPairIterable([['x', '1'], ['y', '2']]);
    log(String(p), p + '', `${p}`, p.toString === TestPairIterable.prototype.toString);
    const d = Object.getOwnPropertyDescriptor(TestPairIterable.prototype, 'toString');
    log(d.writable, d.enumerable, d.configurable, d.value.length);
    try { d.value.call({}); } catch (e) { log(e.name, e.message); }
    const s = new TestStringifierAttribute('v1');
    log(String(s), s.value, JSON.stringify(s), JSON.stringify({s}));
    s.value = 'v2';
    log(`${s}`, 'toString' in TestStringifierAttribute.prototype);
    log(s.pairs === s.pairs, s.pairs instanceof TestPairIterable);
    s.pairs.expando = 7;
    log(s.pairs.expando);
    const f = TestPairIterable.fromText;
    log(f('k=5').size, String(f('k=5')), f('nope'), f.length, f.name, 'fromText' in TestPairIterable.prototype);
    const fd = Object.getOwnPropertyDescriptor(TestPairIterable, 'fromText');
    log(fd.writable, fd.enumerable, fd.configurable);
  )"),
            "x=1&y=2 x=1&y=2 x=1&y=2 true\n"
            "true true true 0\n"
            "TypeError Illegal invocation\n"
            "v1 v1 \"json:v1\" {\"s\":\"json:v1\"}\n"
            "v2 true\n"
            "true true\n"
            "7\n"
            "1 k=5 null 1 fromText false\n"
            "true true true\n");
}

TEST_F(IterableTest, UnionWithSequencesRecordsAndAStringDefault) {
  EXPECT_EQ(Run(R"(
    log(String(new TestPairIterable()), String(new TestPairIterable(undefined)));
    log(String(new TestPairIterable({b: 2, a: 1, 7: 0})));
    log(String(new TestPairIterable(new Map([['m', '3']]))));
    log(String(new TestPairIterable([new Set(['s', '4'])])));
    try { new TestPairIterable([['only one']]); } catch (e) { log(e.name, e.message); }
    try { new TestPairIterable([5]); } catch (e) { log(e.name, e.message); }
    try { new TestPairIterable('x'); } catch (e) { log(e.message); }
    // Only own enumerable string keys, in [[OwnPropertyKeys]] order, each read once.
    const base = {inherited: 1};
    const o = Object.create(base);
    o.own = 5;
    Object.defineProperty(o, 'hidden', {value: 6, enumerable: false});
    log(String(new TestPairIterable(o)));
    const order = [];
    const proxy = new Proxy({k: 1, j: 2}, {
      ownKeys(target) { order.push('ownKeys'); return Reflect.ownKeys(target); },
      getOwnPropertyDescriptor(target, key) { order.push('gOPD ' + key); return Reflect.getOwnPropertyDescriptor(target, key); },
      get(target, key) { order.push('get ' + String(key)); return Reflect.get(target, key); },
    });
    log(String(new TestPairIterable(proxy)));
    log(order.join(', '));
    try { new TestPairIterable({[Symbol('s')]: 1}); } catch (e) { log(e.name); }
    // GetMethod(V, @@iterator) once: a getter is called once; null means "not iterable".
    let reads = 0;
    const counted = {get [Symbol.iterator]() { ++reads; return [['i', '5']][Symbol.iterator].bind([['i', '5']]); }};
    log(String(new TestPairIterable(counted)), reads);
    log(String(new TestPairIterable(Object.defineProperty({n: 6}, Symbol.iterator, {value: null}))));
    log(new TestPairIterable(Object.defineProperty({a: 2}, Symbol('s'), {value: 1})).size);
    const p = new TestPairIterable();
    log(p.takeRecord({x: 1.5, y: '2'}), p.takeRecord({}));
    try { p.takeRecord(5); } catch (e) { log(e.message); }
    try { p.takeRecord({x: 'nan'}); } catch (e) { log(e.message); }
    // A USVString key with a lone surrogate converts to U+FFFD: the later value wins, in place.
    log(String(new TestPairIterable({'\uD800': 1, b: 2, '\uDC00': 3})).replace('\uFFFD', 'R'));
  )"),
            " \n"
            "7=0&b=2&a=1\n"
            "m=3\n"
            "s=4\n"
            "TypeError Failed to construct 'TestPairIterable': A pair needs exactly two items.\n"
            "TypeError Failed to construct 'TestPairIterable': parameter 1 is not iterable.\n"
            "Failed to construct 'TestPairIterable': Not 'key=number' pairs.\n"
            "own=5\n"
            "k=1&j=2\n"
            "get Symbol(Symbol.iterator), ownKeys, gOPD k, get k, gOPD j, get j\n"
            "TypeError\n"
            "i=5 1\n"
            "n=6\n"
            "1\n"
            "x:1.5,y:2 \n"
            "Failed to execute 'takeRecord' on 'TestPairIterable': parameter 1 is not an object.\n"
            "Failed to execute 'takeRecord' on 'TestPairIterable': The provided double value is "
            "non-finite.\n"
            "R=3&b=2\n");
}

}  // namespace
}  // namespace switchboard::bindings
