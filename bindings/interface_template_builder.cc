#include "bindings/interface_template_builder.h"

#include <string>

#include "bindings/generated_code_support.h"
#include "bindings/pair_iterable.h"
#include "bindings/per_isolate_data.h"

namespace switchboard::bindings {

InterfaceTemplateBuilder::InterfaceTemplateBuilder(v8::Isolate* isolate,
                                                   const WrapperTypeInfo& type_info,
                                                   v8::FunctionCallback constructor,
                                                   int constructor_length)
    : isolate_(isolate), type_info_(type_info) {
  interface_template_ = v8::FunctionTemplate::New(
      isolate, constructor ? constructor : &IllegalConstructor, v8::Local<v8::Value>(),
      v8::Local<v8::Signature>(), constructor_length);
  interface_template_->SetClassName(Name(type_info.interface_name));
  interface_template_->ReadOnlyPrototype();
  interface_template_->InstanceTemplate()->SetInternalFieldCount(
      static_cast<int>(WrapperField::kCount));
  if (type_info.parent) {
    PerIsolateData& data = PerIsolateData::Ensure(isolate);
    interface_template_->Inherit(data.InterfaceTemplate(*type_info.parent));
    // WebIDL §3.7.6 step 4: unforgeable members of every inherited interface live on the
    // instance too; V8 does not copy instance-template properties through Inherit().
    std::vector<PerIsolateData::InstanceAccessor>& own = data.InstanceAccessors(type_info);
    for (const auto& inherited : data.InstanceAccessors(*type_info.parent)) {
      v8::Local<v8::FunctionTemplate> getter = inherited.getter.Get(isolate);
      v8::Local<v8::FunctionTemplate> setter = inherited.setter.IsEmpty()
                                                   ? v8::Local<v8::FunctionTemplate>()
                                                   : inherited.setter.Get(isolate);
      interface_template_->InstanceTemplate()->SetAccessorProperty(Name(inherited.name.c_str()),
                                                                   getter, setter, v8::DontDelete);
      own.push_back({inherited.name, v8::Global<v8::FunctionTemplate>(isolate, getter),
                     setter.IsEmpty() ? v8::Global<v8::FunctionTemplate>()
                                      : v8::Global<v8::FunctionTemplate>(isolate, setter)});
    }
  }
  signature_ = v8::Signature::New(isolate, interface_template_);
  interface_template_->PrototypeTemplate()->Set(
      v8::Symbol::GetToStringTag(isolate), Name(type_info.interface_name),
      static_cast<v8::PropertyAttribute>(v8::ReadOnly | v8::DontEnum));
}

v8::Local<v8::String> InterfaceTemplateBuilder::Name(const char* name) const {
  return v8::String::NewFromUtf8(isolate_, name, v8::NewStringType::kInternalized).ToLocalChecked();
}

void InterfaceTemplateBuilder::AddConstant(const char* name, double value) {
  auto attributes = static_cast<v8::PropertyAttribute>(v8::ReadOnly | v8::DontDelete);
  v8::Local<v8::Number> number = v8::Number::New(isolate_, value);
  interface_template_->Set(Name(name), number, attributes);
  interface_template_->PrototypeTemplate()->Set(Name(name), number, attributes);
}

void InterfaceTemplateBuilder::AddAttribute(const char* name, v8::FunctionCallback getter,
                                            v8::FunctionCallback setter, Placement placement) {
  v8::Local<v8::FunctionTemplate> getter_template = v8::FunctionTemplate::New(
      isolate_, getter, v8::Local<v8::Value>(), signature_, 0, v8::ConstructorBehavior::kThrow);
  getter_template->SetClassName(Name(("get " + std::string(name)).c_str()));
  v8::Local<v8::FunctionTemplate> setter_template;
  if (setter) {
    setter_template = v8::FunctionTemplate::New(isolate_, setter, v8::Local<v8::Value>(),
                                                signature_, 1, v8::ConstructorBehavior::kThrow);
    setter_template->SetClassName(Name(("set " + std::string(name)).c_str()));
  }
  if (placement == Placement::kInstance) {
    interface_template_->InstanceTemplate()->SetAccessorProperty(Name(name), getter_template,
                                                                 setter_template, v8::DontDelete);
    PerIsolateData::Ensure(isolate_)
        .InstanceAccessors(type_info_)
        .push_back({name, v8::Global<v8::FunctionTemplate>(isolate_, getter_template),
                    setter_template.IsEmpty()
                        ? v8::Global<v8::FunctionTemplate>()
                        : v8::Global<v8::FunctionTemplate>(isolate_, setter_template)});
  } else if (placement == Placement::kGlobalObject) {
    interface_template_->InstanceTemplate()->SetAccessorProperty(Name(name), getter_template,
                                                                 setter_template, v8::None);
  } else {
    interface_template_->PrototypeTemplate()->SetAccessorProperty(Name(name), getter_template,
                                                                  setter_template, v8::None);
  }
}

void InterfaceTemplateBuilder::AddOperation(const char* name, v8::FunctionCallback callback,
                                            int length, Placement placement) {
  v8::Local<v8::FunctionTemplate> operation =
      v8::FunctionTemplate::New(isolate_, callback, v8::Local<v8::Value>(), signature_, length,
                                v8::ConstructorBehavior::kThrow);
  operation->SetClassName(Name(name));
  if (placement == Placement::kPrototype) {
    interface_template_->PrototypeTemplate()->Set(Name(name), operation, v8::None);
  } else {
    interface_template_->InstanceTemplate()->Set(
        Name(name), operation, placement == Placement::kInstance ? v8::DontDelete : v8::None);
  }
}

void InterfaceTemplateBuilder::AddStaticOperation(const char* name, v8::FunctionCallback callback,
                                                  int length) {
  v8::Local<v8::FunctionTemplate> operation = v8::FunctionTemplate::New(
      isolate_, callback, v8::Local<v8::Value>(), v8::Local<v8::Signature>(), length,
      v8::ConstructorBehavior::kThrow);
  operation->SetClassName(Name(name));
  interface_template_->Set(Name(name), operation, v8::None);
}

void InterfaceTemplateBuilder::AddPairIterable(const PairIterableInfo* info) {
  InstallPairIterable(isolate_, interface_template_, signature_, *info);
}

bool InstallInterfaceObject(v8::Local<v8::Context> context, const WrapperTypeInfo& type_info) {
  v8::Isolate* isolate = context->GetIsolate();
  PerIsolateData& data = PerIsolateData::Ensure(isolate);
  v8::Local<v8::Function> interface_object;
  if (!data.InterfaceTemplate(type_info)->GetFunction(context).ToLocal(&interface_object)) {
    return false;
  }
  if (type_info.parent) {
    // §3.7.1: the interface object's [[Prototype]] is the parent's interface object. (V8's
    // Inherit() links only the prototype objects.)
    v8::Local<v8::Function> parent_object;
    if (!data.InterfaceTemplate(*type_info.parent)->GetFunction(context).ToLocal(&parent_object) ||
        interface_object->SetPrototype(context, parent_object).IsNothing()) {
      return false;
    }
  } else if (type_info.prototype_parent == WrapperTypeInfo::PrototypeParent::kErrorPrototype) {
    // §3.7.3: DOMException's interface prototype object inherits from %Error.prototype%.
    v8::Local<v8::String> prototype_name = v8::String::NewFromUtf8Literal(isolate, "prototype");
    v8::Local<v8::Value> prototype;
    v8::Local<v8::Value> error_constructor;
    v8::Local<v8::Value> error_prototype;
    if (!interface_object->Get(context, prototype_name).ToLocal(&prototype) ||
        !context->Global()
             ->Get(context, v8::String::NewFromUtf8Literal(isolate, "Error"))
             .ToLocal(&error_constructor) ||
        !error_constructor->IsObject() ||
        !error_constructor.As<v8::Object>()
             ->Get(context, prototype_name)
             .ToLocal(&error_prototype) ||
        !prototype->IsObject() ||
        prototype.As<v8::Object>()->SetPrototype(context, error_prototype).IsNothing()) {
      return false;
    }
  }
  v8::Local<v8::String> name =
      v8::String::NewFromUtf8(isolate, type_info.interface_name, v8::NewStringType::kInternalized)
          .ToLocalChecked();
  return !context->Global()
              ->DefineOwnProperty(context, name, interface_object, v8::DontEnum)
              .IsNothing();
}

}  // namespace switchboard::bindings
