// Pair iterators (WebIDL §3.7.9 "Iterable declarations", §3.7.10 "Iterator prototype objects")
// for an interface declaring `iterable<K, V>`: entries, keys, values and forEach on the
// interface prototype (with @@iterator the same function object as entries), and a
// per-interface iterator prototype, "<Interface> Iterator", whose [[Prototype]] is
// %IteratorPrototype% and which has `next`.
//
// Iteration is live and index based, as the standard has it: each `next` (and each forEach
// step) asks the object for its current number of value pairs and the pair at the iterator's
// index, so pairs removed or added meanwhile are seen as browsers see them.
//
// Thread: main thread. The generated code of an interface defines one PairIterableInfo (static
// storage) and registers it with InterfaceTemplateBuilder::AddPairIterable.
#pragma once

#include <cstddef>

#include <v8.h>

#include "bindings/script_wrappable.h"

namespace switchboard::bindings {

struct PairIterableInfo {
  const char* interface_name;  // for messages: "URLSearchParams"
  const char* iterator_name;   // the iterator prototype's class string: "URLSearchParams Iterator"
  // The size of the object's list of value pairs to iterate over, now.
  size_t (*size)(ScriptWrappable& object);
  // The pair at `index` (< size), converted to script values; false when V8 threw.
  bool (*pair_at)(v8::Isolate* isolate, ScriptWrappable& object, size_t index,
                  v8::Local<v8::Value>& key, v8::Local<v8::Value>& value);
};

// Adds entries, keys, values, forEach and @@iterator to `interface_template`'s prototype, their
// receivers checked by `signature` (the interface's).
void InstallPairIterable(v8::Isolate* isolate, v8::Local<v8::FunctionTemplate> interface_template,
                         v8::Local<v8::Signature> signature, const PairIterableInfo& info);

}  // namespace switchboard::bindings
