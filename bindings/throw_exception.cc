// ThrowException (declared in generated_code_support.h): turns an implementation's Exception
// into the thrown TypeError, RangeError, DOMException or script value. Lives in
// switchboard_bindings because it needs the DOMException implementation and its generated
// wrapper.
#include <string>

#include "bindings/dom_exception.h"
#include "bindings/generated_code_support.h"
#include "bindings/script_value.h"

namespace switchboard::bindings {

void ThrowException(const ExceptionContext& context, const Exception& exception) {
  switch (exception.kind()) {
    case Exception::Kind::kTypeError:
      context.ThrowTypeError(exception.message());
      return;
    case Exception::Kind::kRangeError:
      context.ThrowRangeError(exception.message());
      return;
    case Exception::Kind::kScriptValue:
      context.isolate()->ThrowException(exception.value()->Get(context.isolate()));
      return;
    case Exception::Kind::kDOMException:
      break;
  }
  v8::Local<v8::Object> wrapper = NewDOMExceptionWrapper(context.isolate(), exception.name(),
                                                         context.Message(exception.message()));
  if (wrapper.IsEmpty()) return;  // V8 threw already
  context.isolate()->ThrowException(wrapper);
}

}  // namespace switchboard::bindings

namespace switchboard::bindings {

// Browsers give a DOMException the `stack` of an Error created where it was created (WebIDL
// leaves it to the implementation): an own, non-enumerable string property whose first line
// names the DOMException instead of "Error".
bool AttachErrorStack(v8::Isolate* isolate, v8::Local<v8::Object> wrapper, const std::string& name,
                      const std::string& message) {
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::Local<v8::Value> error = v8::Exception::Error(ToV8String(isolate, message));
  v8::Local<v8::Value> stack;
  v8::Local<v8::String> stack_name = v8::String::NewFromUtf8Literal(isolate, "stack");
  if (!error->IsObject() || !error.As<v8::Object>()->Get(context, stack_name).ToLocal(&stack)) {
    return false;  // V8 threw (Error.prepareStackTrace may be script's)
  }
  if (!stack->IsString()) return true;
  std::string text = FromV8String(isolate, stack.As<v8::String>(), StringConversion::kDOMString);
  if (text.starts_with("Error")) text = name + text.substr(5);
  return !wrapper->DefineOwnProperty(context, stack_name, ToV8String(isolate, text), v8::DontEnum)
              .IsNothing();
}

v8::Local<v8::Object> NewDOMExceptionWrapper(v8::Isolate* isolate, const std::string& name,
                                             const std::string& message) {
  RefPtr<DOMException> dom_exception = DOMException::Create(message, name);
  v8::Local<v8::Object> wrapper = dom_exception->GetOrCreateWrapper(isolate);
  if (wrapper.IsEmpty() || !AttachErrorStack(isolate, wrapper, name, message)) return {};
  return wrapper;
}

}  // namespace switchboard::bindings
