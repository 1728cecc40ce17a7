// InterfaceTemplateBuilder: builds an interface's v8::FunctionTemplate with the property
// attributes WebIDL §3.7 prescribes, so that generated code only lists the members.
//
//   interface object     name, length; `prototype` non-writable; [[Prototype]] = parent's
//   constants            on interface object and prototype: non-writable, enumerable,
//   non-configurable attributes           accessors on the prototype: enumerable, configurable;
//   readonly → no setter [LegacyUnforgeable]  accessors on each instance: enumerable,
//   non-configurable operations           methods on the prototype: writable, enumerable,
//   configurable; not constructors
//   [Global] members     attributes and operations on the global object itself, configurable
//   @@toStringTag        on the prototype: the interface name, non-writable, non-enumerable
// Members get a v8::Signature, so V8 itself throws "Illegal invocation" for a wrong receiver.
#pragma once

#include <v8.h>

#include "bindings/pair_iterable.h"
#include "bindings/wrapper_type_info.h"

namespace switchboard::bindings {

class InterfaceTemplateBuilder {
 public:
  // kPrototype: the interface prototype object. kInstance: each instance, non-configurable
  // ([LegacyUnforgeable]). kGlobalObject: the global object of a [Global] interface,
  // configurable like a prototype member (WebIDL §3.7.5-§3.7.7).
  enum class Placement { kPrototype, kInstance, kGlobalObject };

  // `constructor` is nullptr for an interface without a constructor ("Illegal constructor").
  InterfaceTemplateBuilder(v8::Isolate* isolate, const WrapperTypeInfo& type_info,
                           v8::FunctionCallback constructor, int constructor_length);

  void AddConstant(const char* name, double value);
  // `setter` is nullptr for a readonly attribute.
  void AddAttribute(const char* name, v8::FunctionCallback getter, v8::FunctionCallback setter,
                    Placement placement = Placement::kPrototype);
  void AddOperation(const char* name, v8::FunctionCallback callback, int length,
                    Placement placement = Placement::kPrototype);
  void AddStaticOperation(const char* name, v8::FunctionCallback callback, int length);
  // `iterable<K, V>` (WebIDL §3.7.9): entries, keys, values, forEach and @@iterator, with the
  // interface's own iterator prototype (bindings/pair_iterable.h). `info` has static storage.
  void AddPairIterable(const PairIterableInfo* info);

  v8::Local<v8::FunctionTemplate> Build() { return interface_template_; }

 private:
  v8::Local<v8::String> Name(const char* name) const;

  v8::Isolate* isolate_;
  const WrapperTypeInfo& type_info_;
  v8::Local<v8::FunctionTemplate> interface_template_;
  v8::Local<v8::Signature> signature_;
};

// Defines the interface object of `type_info` on the context's global object (writable,
// non-enumerable, configurable) and links its [[Prototype]]s (WebIDL §3.7.1, §3.7.3).
bool InstallInterfaceObject(v8::Local<v8::Context> context, const WrapperTypeInfo& type_info);

}  // namespace switchboard::bindings
