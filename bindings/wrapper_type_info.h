// WrapperTypeInfo: what the bindings know about one WebIDL interface at run time. One constant
// per interface, defined by the generated code as the implementation class's static
// `wrapper_type_info` member (see DECLARE_WRAPPER_TYPE_INFO in script_wrappable.h).
#pragma once

#include <v8.h>

namespace switchboard::bindings {

// The wrapper's internal fields (style rule 9: a named enum for internal fields).
enum class WrapperField : int {
  kTypeInfo = 0,        // const WrapperTypeInfo*
  kImplementation = 1,  // ScriptWrappable*
  kCount = 2,
};

struct WrapperTypeInfo {
  // What the interface prototype object's [[Prototype]] is when there is no parent interface.
  enum class PrototypeParent { kObjectPrototype, kErrorPrototype };

  const char* interface_name;
  const WrapperTypeInfo* parent;  // the inherited interface, or nullptr
  // Builds the interface object's template (called once per isolate; the result is cached in
  // PerIsolateData).
  v8::Local<v8::FunctionTemplate> (*create_interface_template)(v8::Isolate* isolate);
  PrototypeParent prototype_parent;

  bool IsSubclassOf(const WrapperTypeInfo& other) const {
    for (const WrapperTypeInfo* info = this; info; info = info->parent) {
      if (info == &other) return true;
    }
    return false;
  }
};

}  // namespace switchboard::bindings
