// ThrowException (declared in generated_code_support.h): turns an implementation's Exception
// into the thrown TypeError, RangeError or DOMException. Lives in switchboard_bindings because
// it needs the DOMException implementation and its generated wrapper.
#include <string>

#include "bindings/dom_exception.h"
#include "bindings/generated_code_support.h"

namespace switchboard::bindings {

void ThrowException(const ExceptionContext& context, const Exception& exception) {
  switch (exception.kind()) {
    case Exception::Kind::kTypeError:
      context.ThrowTypeError(exception.message());
      return;
    case Exception::Kind::kRangeError:
      context.ThrowRangeError(exception.message());
      return;
    case Exception::Kind::kDOMException:
      break;
  }
  v8::Isolate* isolate = context.isolate();
  v8::Local<v8::Context> v8_context = context.context();
  std::string message = context.Message(exception.message());
  RefPtr<DOMException> dom_exception = DOMException::Create(message, exception.name());
  v8::Local<v8::Object> wrapper = dom_exception->GetOrCreateWrapper(isolate);
  if (wrapper.IsEmpty()) return;  // V8 threw already
  // Give it the stack of an Error created here, as browsers do, so reports say where it came
  // from.
  v8::Local<v8::Value> error = v8::Exception::Error(ToV8String(isolate, message));
  v8::Local<v8::Value> stack;
  if (error->IsObject() &&
      error.As<v8::Object>()
          ->Get(v8_context, v8::String::NewFromUtf8Literal(isolate, "stack"))
          .ToLocal(&stack) &&
      stack->IsString()) {
    std::string text = FromV8String(isolate, stack.As<v8::String>(), StringConversion::kDOMString);
    if (text.starts_with("Error")) text = exception.name() + text.substr(5);
    if (wrapper
            ->DefineOwnProperty(v8_context, v8::String::NewFromUtf8Literal(isolate, "stack"),
                                ToV8String(isolate, text), v8::DontEnum)
            .IsNothing()) {
      return;  // V8 threw already
    }
  }
  isolate->ThrowException(wrapper);
}

}  // namespace switchboard::bindings
