#include "bindings/pair_iterable.h"

#include "bindings/exception_context.h"
#include "bindings/generated_code_support.h"
#include "bindings/per_isolate_data.h"

namespace switchboard::bindings {
namespace {

// A default iterator object's kind (§3.7.10.1).
enum class IteratorKind : int32_t { kKey = 0, kValue = 1, kKeyValue = 2 };

// A default iterator object's internal slots [[target]], [[kind]] and [[index]], kept as
// private properties (script cannot see them; the object has no internal fields, so it can
// never pass for a wrapper).
constexpr char kTargetSlot[] = "PairIterator.target";
constexpr char kKindSlot[] = "PairIterator.kind";
constexpr char kIndexSlot[] = "PairIterator.index";
// Set on a context's iterator prototype object once its [[Prototype]] is %IteratorPrototype%.
constexpr char kPrototypeReadySlot[] = "PairIterator.prototypeReady";

v8::Local<v8::String> Name(v8::Isolate* isolate, const char* name) {
  return v8::String::NewFromUtf8(isolate, name, v8::NewStringType::kInternalized).ToLocalChecked();
}

v8::Local<v8::Private> Slot(v8::Isolate* isolate, const char* name) {
  return PerIsolateData::Ensure(isolate).PrivateSymbol(name);
}

const PairIterableInfo& InfoFrom(const v8::FunctionCallbackInfo<v8::Value>& info) {
  return *static_cast<const PairIterableInfo*>(info.Data().As<v8::External>()->Value());
}

void ThrowIllegalInvocation(v8::Isolate* isolate) {
  isolate->ThrowException(
      v8::Exception::TypeError(v8::String::NewFromUtf8Literal(isolate, "Illegal invocation")));
}

// ECMA-262 CreateIterResultObject(value, done).
v8::Local<v8::Object> IterResult(v8::Local<v8::Context> context, v8::Local<v8::Value> value,
                                 bool done) {
  v8::Isolate* isolate = context->GetIsolate();
  v8::Local<v8::Object> result = v8::Object::New(isolate);
  result->CreateDataProperty(context, Name(isolate, "value"), value).Check();
  result->CreateDataProperty(context, Name(isolate, "done"), v8::Boolean::New(isolate, done))
      .Check();
  return result;
}

// §3.7.10.1 %<Interface>IteratorPrototype%.next().
void IteratorNext(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  const PairIterableInfo& iterable = InfoFrom(info);
  // Steps 3-5: the signature made sure the receiver is a default iterator object for the
  // interface.
  v8::Local<v8::Object> iterator = info.Holder();
  v8::Local<v8::Value> target;
  v8::Local<v8::Value> kind;
  v8::Local<v8::Value> index_value;
  if (!iterator->GetPrivate(context, Slot(isolate, kTargetSlot)).ToLocal(&target) ||
      !iterator->GetPrivate(context, Slot(isolate, kKindSlot)).ToLocal(&kind) ||
      !iterator->GetPrivate(context, Slot(isolate, kIndexSlot)).ToLocal(&index_value)) {
    return;
  }
  ScriptWrappable* object =
      target->IsObject() ? ScriptWrappable::FromWrapper(target.As<v8::Object>()) : nullptr;
  if (!object || !index_value->IsNumber() || !kind->IsInt32()) {
    ThrowIllegalInvocation(isolate);
    return;
  }
  // 6.-10. The pairs as they are now: past the end, done.
  const auto index = static_cast<size_t>(index_value.As<v8::Number>()->Value());
  if (index >= iterable.size(*object)) {
    info.GetReturnValue().Set(IterResult(context, v8::Undefined(isolate), true));
    return;
  }
  // 11.-13. The pair at index; the index moves on; the result for the kind.
  v8::Local<v8::Value> key;
  v8::Local<v8::Value> value;
  if (!iterable.pair_at(isolate, *object, index, key, value)) return;
  if (iterator
          ->SetPrivate(context, Slot(isolate, kIndexSlot),
                       v8::Number::New(isolate, static_cast<double>(index + 1)))
          .IsNothing()) {
    return;
  }
  v8::Local<v8::Value> result;
  switch (static_cast<IteratorKind>(kind.As<v8::Int32>()->Value())) {
    case IteratorKind::kKey:
      result = key;
      break;
    case IteratorKind::kValue:
      result = value;
      break;
    case IteratorKind::kKeyValue: {
      v8::Local<v8::Value> elements[] = {key, value};
      result = v8::Array::New(isolate, elements, 2);
      break;
    }
  }
  info.GetReturnValue().Set(IterResult(context, result, false));
}

// The iterator prototype's template, one per interface and isolate: its instances are the
// default iterator objects, its prototype object the iterator prototype object.
v8::Local<v8::FunctionTemplate> IteratorTemplate(v8::Isolate* isolate,
                                                 const PairIterableInfo& iterable) {
  PerIsolateData& data = PerIsolateData::Ensure(isolate);
  v8::Local<v8::FunctionTemplate> found = data.FindTemplate(&iterable);
  if (!found.IsEmpty()) return found;
  v8::Local<v8::FunctionTemplate> iterator_template =
      v8::FunctionTemplate::New(isolate, &IllegalConstructor);
  iterator_template->SetClassName(Name(isolate, iterable.iterator_name));
  v8::Local<v8::ObjectTemplate> prototype = iterator_template->PrototypeTemplate();
  // `next`: writable, enumerable, configurable; length 0; only for this interface's iterators.
  v8::Local<v8::FunctionTemplate> next = v8::FunctionTemplate::New(
      isolate, &IteratorNext, v8::External::New(isolate, const_cast<PairIterableInfo*>(&iterable)),
      v8::Signature::New(isolate, iterator_template), 0, v8::ConstructorBehavior::kThrow);
  next->SetClassName(Name(isolate, "next"));
  prototype->Set(Name(isolate, "next"), next, v8::None);
  // The class string: "<Interface> Iterator", non-writable, non-enumerable, configurable.
  prototype->Set(v8::Symbol::GetToStringTag(isolate), Name(isolate, iterable.iterator_name),
                 static_cast<v8::PropertyAttribute>(v8::ReadOnly | v8::DontEnum));
  data.StoreTemplate(&iterable, iterator_template);
  return iterator_template;
}

// Makes the context's iterator prototype object what §3.7.10.1 says, once per context and
// before any script can see it: [[Prototype]] %IteratorPrototype%, no `constructor`.
bool PrepareIteratorPrototype(v8::Local<v8::Context> context,
                              v8::Local<v8::FunctionTemplate> iterator_template) {
  v8::Isolate* isolate = context->GetIsolate();
  v8::Local<v8::Function> constructor;
  v8::Local<v8::Value> prototype;
  if (!iterator_template->GetFunction(context).ToLocal(&constructor) ||
      !constructor->Get(context, Name(isolate, "prototype")).ToLocal(&prototype) ||
      !prototype->IsObject()) {
    return false;
  }
  v8::Local<v8::Object> prototype_object = prototype.As<v8::Object>();
  v8::Local<v8::Private> ready = Slot(isolate, kPrototypeReadySlot);
  v8::Maybe<bool> is_ready = prototype_object->HasPrivate(context, ready);
  if (is_ready.IsNothing()) return false;
  if (is_ready.FromJust()) return true;
  // %IteratorPrototype%, read from a V8 intrinsic (script cannot have replaced it).
  v8::Local<v8::ObjectTemplate> intrinsics = v8::ObjectTemplate::New(isolate);
  intrinsics->SetIntrinsicDataProperty(Name(isolate, "iteratorPrototype"), v8::kIteratorPrototype);
  v8::Local<v8::Object> intrinsics_object;
  v8::Local<v8::Value> iterator_prototype;
  return intrinsics->NewInstance(context).ToLocal(&intrinsics_object) &&
         intrinsics_object->Get(context, Name(isolate, "iteratorPrototype"))
             .ToLocal(&iterator_prototype) &&
         prototype_object->Delete(context, Name(isolate, "constructor")).IsJust() &&
         prototype_object->SetPrototype(context, iterator_prototype).IsJust() &&
         prototype_object->SetPrivate(context, ready, v8::True(isolate)).IsJust();
}

// §3.7.9.1-3 entries, keys, values: a new default iterator object for this, index 0.
void CreateIterator(const v8::FunctionCallbackInfo<v8::Value>& info, IteratorKind kind) {
  v8::Isolate* isolate = info.GetIsolate();
  v8::Local<v8::Object> target = info.Holder();
  if (!ScriptWrappable::FromWrapper(target)) {
    ThrowIllegalInvocation(isolate);
    return;
  }
  // The iterator prototype of the target's realm.
  v8::Local<v8::Context> context =
      target->GetCreationContext().FromMaybe(isolate->GetCurrentContext());
  v8::Local<v8::FunctionTemplate> iterator_template = IteratorTemplate(isolate, InfoFrom(info));
  v8::Local<v8::Object> iterator;
  if (!PrepareIteratorPrototype(context, iterator_template) ||
      !iterator_template->InstanceTemplate()->NewInstance(context).ToLocal(&iterator) ||
      iterator->SetPrivate(context, Slot(isolate, kTargetSlot), target).IsNothing() ||
      iterator
          ->SetPrivate(context, Slot(isolate, kKindSlot),
                       v8::Integer::New(isolate, static_cast<int32_t>(kind)))
          .IsNothing() ||
      iterator->SetPrivate(context, Slot(isolate, kIndexSlot), v8::Number::New(isolate, 0))
          .IsNothing()) {
    return;
  }
  info.GetReturnValue().Set(iterator);
}

void Entries(const v8::FunctionCallbackInfo<v8::Value>& info) {
  CreateIterator(info, IteratorKind::kKeyValue);
}
void Keys(const v8::FunctionCallbackInfo<v8::Value>& info) {
  CreateIterator(info, IteratorKind::kKey);
}
void Values(const v8::FunctionCallbackInfo<v8::Value>& info) {
  CreateIterator(info, IteratorKind::kValue);
}

// §3.7.9.4 forEach(callback, thisArg): the callback with (value, key, this) for each pair,
// re-reading the pairs after each call.
void ForEach(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  const PairIterableInfo& iterable = InfoFrom(info);
  v8::Local<v8::Object> holder = info.Holder();
  ScriptWrappable* object = ScriptWrappable::FromWrapper(holder);
  if (!object) {
    ThrowIllegalInvocation(isolate);
    return;
  }
  // 4. callback converted to a Function.
  if (info.Length() < 1 || !info[0]->IsFunction()) {
    ExceptionContext(isolate, ExceptionContext::Kind::kOperation, iterable.interface_name,
                     "forEach")
        .ForArgument(1)
        .ThrowNotOfType("Function");
    return;
  }
  v8::Local<v8::Function> callback = info[0].As<v8::Function>();
  v8::Local<v8::Value> this_arg = info[1];  // undefined when not given
  // 7.-8. While i < the current size: invoke, rethrowing, then look at the pairs again.
  for (size_t index = 0; index < iterable.size(*object); ++index) {
    v8::HandleScope scope(isolate);
    v8::Local<v8::Value> key;
    v8::Local<v8::Value> value;
    if (!iterable.pair_at(isolate, *object, index, key, value)) return;
    v8::Local<v8::Value> arguments[] = {value, key, holder};
    if (callback->Call(context, this_arg, 3, arguments).IsEmpty()) return;
  }
}

}  // namespace

void InstallPairIterable(v8::Isolate* isolate, v8::Local<v8::FunctionTemplate> interface_template,
                         v8::Local<v8::Signature> signature, const PairIterableInfo& info) {
  v8::Local<v8::External> data = v8::External::New(isolate, const_cast<PairIterableInfo*>(&info));
  v8::Local<v8::ObjectTemplate> prototype = interface_template->PrototypeTemplate();
  // Operations: writable, enumerable, configurable; brand-checked by the signature.
  const auto add = [&](const char* name, v8::FunctionCallback callback, int length) {
    v8::Local<v8::FunctionTemplate> method = v8::FunctionTemplate::New(
        isolate, callback, data, signature, length, v8::ConstructorBehavior::kThrow);
    method->SetClassName(Name(isolate, name));
    prototype->Set(Name(isolate, name), method, v8::None);
    return method;
  };
  v8::Local<v8::FunctionTemplate> entries = add("entries", &Entries, 0);
  add("keys", &Keys, 0);
  add("values", &Values, 0);
  add("forEach", &ForEach, 1);
  // §3.7.9: @@iterator is the same function object as entries (one template, instantiated once
  // per context); writable, non-enumerable, configurable.
  prototype->Set(v8::Symbol::GetIterator(isolate), entries, v8::DontEnum);
}

}  // namespace switchboard::bindings
