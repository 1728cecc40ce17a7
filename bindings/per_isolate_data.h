// PerIsolateData: the bindings' state for one isolate — the interface templates, the private
// symbols, and the registry of every wrapper and callback still attached to V8 (so that
// DisposeBindings can cut them loose before the isolate goes).
//
// Thread: main thread only. Ownership: created on first use (InstallInterfaces) and stored in
// the isolate's data slot kIsolateDataSlot (the engine uses no isolate data slot); deleted by
// DisposeBindings(isolate), which the page calls before disposing the isolate.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <v8.h>

#include "bindings/wrapper_type_info.h"

namespace switchboard::bindings {

class CallbackBase;
class ScriptWrappable;

class PerIsolateData {
 public:
  static constexpr uint32_t kIsolateDataSlot = 0;

  static PerIsolateData* From(v8::Isolate* isolate);
  static PerIsolateData& Ensure(v8::Isolate* isolate);
  // Releases every wrapper's reference and every callback's script object, then deletes the
  // data. Implementation objects still held by C++ survive, detached from V8.
  static void Dispose(v8::Isolate* isolate);

  PerIsolateData(const PerIsolateData&) = delete;
  PerIsolateData& operator=(const PerIsolateData&) = delete;

  // The interface's FunctionTemplate, built once per isolate.
  v8::Local<v8::FunctionTemplate> InterfaceTemplate(const WrapperTypeInfo& type_info);
  // The accessors an interface puts on each instance ([LegacyUnforgeable] attributes, its
  // own and its ancestors'): V8's Inherit() does not carry instance-template properties to
  // derived templates, so each derived interface installs its ancestors' again.
  struct InstanceAccessor {
    std::string name;
    v8::Global<v8::FunctionTemplate> getter;
    v8::Global<v8::FunctionTemplate> setter;
  };
  std::vector<InstanceAccessor>& InstanceAccessors(const WrapperTypeInfo& type_info) {
    return instance_accessors_[&type_info];
  }
  // Other templates built once per isolate, under a key of the caller's (an iterable
  // interface's iterator prototype, under its PairIterableInfo). Empty when none is stored.
  v8::Local<v8::FunctionTemplate> FindTemplate(const void* key);
  void StoreTemplate(const void* key, v8::Local<v8::FunctionTemplate> function_template);
  // A private symbol with the given description, one per isolate and name.
  v8::Local<v8::Private> PrivateSymbol(const char* name);

  void RegisterWrappable(ScriptWrappable* wrappable) { wrappables_.insert(wrappable); }
  void UnregisterWrappable(ScriptWrappable* wrappable) { wrappables_.erase(wrappable); }
  void RegisterCallback(CallbackBase* callback) { callbacks_.insert(callback); }
  void UnregisterCallback(CallbackBase* callback) { callbacks_.erase(callback); }

 private:
  explicit PerIsolateData(v8::Isolate* isolate) : isolate_(isolate) {}
  ~PerIsolateData() = default;

  v8::Isolate* isolate_;
  std::unordered_map<const WrapperTypeInfo*, v8::Global<v8::FunctionTemplate>> templates_;
  std::unordered_map<const void*, v8::Global<v8::FunctionTemplate>> other_templates_;
  std::unordered_map<std::string, v8::Global<v8::Private>> private_symbols_;
  std::unordered_map<const WrapperTypeInfo*, std::vector<InstanceAccessor>> instance_accessors_;
  std::unordered_set<ScriptWrappable*> wrappables_;
  std::unordered_set<CallbackBase*> callbacks_;
};

}  // namespace switchboard::bindings
