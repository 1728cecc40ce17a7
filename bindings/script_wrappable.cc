#include "bindings/script_wrappable.h"

#include <algorithm>
#include <cassert>

#include "bindings/callback.h"
#include "bindings/per_isolate_data.h"

namespace switchboard::bindings {

namespace {

size_t g_live_object_count = 0;

// The private property on a wrapper holding the script objects of its retained callbacks.
constexpr char kScriptReferencesName[] = "switchboard:script-references";

// Tells V8 about memory a wrapper keeps alive outside its heap (`sign` +1 when the wrapper
// appears, -1 when it goes). A decrease only updates a counter, so it is safe in a weak
// callback.
void ReportExternalMemory(v8::Isolate* isolate, size_t bytes, int sign) {
  if (bytes == 0 || isolate == nullptr) return;
  isolate->AdjustAmountOfExternalAllocatedMemory(sign * static_cast<int64_t>(bytes));
}

}  // namespace

ScriptWrappable::ScriptWrappable() { ++g_live_object_count; }

ScriptWrappable::~ScriptWrappable() {
  --g_live_object_count;
  // A wrapper holds a reference, so an object with a wrapper is never destroyed.
  assert(wrapper_.IsEmpty());
}

size_t ScriptWrappable::LiveObjectCountForTesting() { return g_live_object_count; }

v8::Local<v8::Object> ScriptWrappable::GetOrCreateWrapper(v8::Isolate* isolate) {
  if (!wrapper_.IsEmpty()) return wrapper_.Get(isolate);
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::Local<v8::FunctionTemplate> interface_template =
      PerIsolateData::Ensure(isolate).InterfaceTemplate(*GetWrapperTypeInfo());
  v8::Local<v8::Object> wrapper;
  if (!interface_template->InstanceTemplate()->NewInstance(context).ToLocal(&wrapper)) return {};
  AssociateWithWrapper(isolate, wrapper);
  return wrapper;
}

void ScriptWrappable::AssociateWithWrapper(v8::Isolate* isolate, v8::Local<v8::Object> wrapper) {
  assert(wrapper_.IsEmpty());
  isolate_ = isolate;
  wrapper->SetAlignedPointerInInternalField(static_cast<int>(WrapperField::kTypeInfo),
                                            const_cast<WrapperTypeInfo*>(GetWrapperTypeInfo()));
  wrapper->SetAlignedPointerInInternalField(static_cast<int>(WrapperField::kImplementation), this);
  wrapper_.Reset(isolate, wrapper);
  wrapper_is_strong_ = true;
  Ref();  // the wrapper's reference, released when the wrapper is collected
  ReportExternalMemory(isolate, ExternalMemoryBytes(), +1);
  PerIsolateData::Ensure(isolate).RegisterWrappable(this);

  // Callbacks retained while there was no wrapper (or by a collected earlier wrapper) now
  // hang off this one.
  std::erase_if(retained_callbacks_,
                [](const RefPtr<CallbackBase>& callback) { return !callback->IsAlive(); });
  if (!retained_callbacks_.empty()) {
    v8::Local<v8::Context> context = isolate->GetCurrentContext();
    v8::Local<v8::Array> references = ScriptReferenceArray(context, /*create=*/true);
    uint32_t index = 0;
    for (const RefPtr<CallbackBase>& callback : retained_callbacks_) {
      if (references.IsEmpty() ||
          references->Set(context, index++, callback->CallbackObject()).IsNothing()) {
        continue;  // stays strong: a leak at worst, never a dangling listener
      }
      callback->MakeWeak();
    }
  }
  SetWrapperStrength();
}

ScriptWrappable* ScriptWrappable::FromWrapper(v8::Local<v8::Object> object) {
  if (object->InternalFieldCount() < static_cast<int>(WrapperField::kCount)) return nullptr;
  return static_cast<ScriptWrappable*>(
      object->GetAlignedPointerFromInternalField(static_cast<int>(WrapperField::kImplementation)));
}

void ScriptWrappable::UpdatePendingActivity() {
  if (!wrapper_.IsEmpty()) SetWrapperStrength();
}

void ScriptWrappable::SetWrapperStrength() {
  bool strong = HasPendingActivity();
  if (strong == wrapper_is_strong_) return;
  if (strong) {
    wrapper_.ClearWeak();
  } else {
    wrapper_.SetWeak(this, &ScriptWrappable::WrapperCollected, v8::WeakCallbackType::kParameter);
  }
  wrapper_is_strong_ = strong;
}

// First-pass weak callback: only handles may be reset here, and releasing the reference may
// delete this object, whose destructor resets nothing but handles (callbacks' Globals).
void ScriptWrappable::WrapperCollected(const v8::WeakCallbackInfo<ScriptWrappable>& info) {
  ScriptWrappable* self = info.GetParameter();
  self->wrapper_.Reset();
  self->wrapper_is_strong_ = false;
  if (PerIsolateData* data = PerIsolateData::From(self->isolate_)) {
    data->UnregisterWrappable(self);
  }
  ReportExternalMemory(self->isolate_, self->ExternalMemoryBytes(), -1);
  self->isolate_ = nullptr;
  self->Unref();
}

void ScriptWrappable::DetachFromIsolate() {
  if (wrapper_.IsEmpty()) return;
  wrapper_.Reset();
  wrapper_is_strong_ = false;
  ReportExternalMemory(isolate_, ExternalMemoryBytes(), -1);
  isolate_ = nullptr;
  Unref();
}

v8::Local<v8::Array> ScriptWrappable::ScriptReferenceArray(v8::Local<v8::Context> context,
                                                           bool create) {
  v8::Local<v8::Object> wrapper = wrapper_.Get(isolate_);
  v8::Local<v8::Private> key =
      PerIsolateData::Ensure(isolate_).PrivateSymbol(kScriptReferencesName);
  v8::Local<v8::Value> value;
  if (!wrapper->GetPrivate(context, key).ToLocal(&value)) return {};
  if (value->IsArray()) return value.As<v8::Array>();
  if (!create) return {};
  v8::Local<v8::Array> references = v8::Array::New(isolate_);
  if (wrapper->SetPrivate(context, key, references).IsNothing()) return {};
  return references;
}

void ScriptWrappable::RetainScriptReference(CallbackBase& callback) {
  retained_callbacks_.push_back(RefPtr<CallbackBase>(&callback));
  if (wrapper_.IsEmpty() || !callback.IsAlive()) return;
  v8::HandleScope handle_scope(isolate_);
  v8::Local<v8::Context> context;
  if (!wrapper_.Get(isolate_)->GetCreationContext().ToLocal(&context)) return;
  v8::Local<v8::Array> references = ScriptReferenceArray(context, /*create=*/true);
  if (references.IsEmpty() ||
      references->Set(context, references->Length(), callback.CallbackObject()).IsNothing()) {
    return;
  }
  callback.MakeWeak();
}

void ScriptWrappable::ReleaseScriptReference(CallbackBase& callback) {
  auto found = std::find_if(
      retained_callbacks_.begin(), retained_callbacks_.end(),
      [&](const RefPtr<CallbackBase>& retained) { return retained.get() == &callback; });
  if (found == retained_callbacks_.end()) return;
  RefPtr<CallbackBase> keep_alive = std::move(*found);
  retained_callbacks_.erase(found);
  if (wrapper_.IsEmpty() || !callback.IsAlive()) return;
  v8::HandleScope handle_scope(isolate_);
  v8::Local<v8::Context> context;
  if (!wrapper_.Get(isolate_)->GetCreationContext().ToLocal(&context)) return;
  v8::Local<v8::Array> references = ScriptReferenceArray(context, /*create=*/false);
  if (references.IsEmpty()) return;
  v8::Local<v8::Object> object = callback.CallbackObject();
  uint32_t length = references->Length();
  for (uint32_t index = 0; index < length; ++index) {
    v8::Local<v8::Value> element;
    if (!references->Get(context, index).ToLocal(&element)) return;
    if (!element->StrictEquals(object)) continue;
    // Move the last element into the hole and shorten the array by one.
    v8::Local<v8::Value> last;
    if (!references->Get(context, length - 1).ToLocal(&last) ||
        references->Set(context, index, last).IsNothing()) {
      return;
    }
    v8::Local<v8::String> length_name =
        v8::String::NewFromUtf8Literal(isolate_, "length", v8::NewStringType::kInternalized);
    references->Set(context, length_name, v8::Integer::NewFromUnsigned(isolate_, length - 1))
        .Check();
    return;
  }
}

}  // namespace switchboard::bindings
