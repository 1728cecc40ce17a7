// Values of the embedding API (switchboard/value.h, issue 18): Handles on script values,
// the conversions between Value and script, and promises settled from any thread.
#include "engine/embedding/values.h"

#include <charconv>
#include <cstdint>
#include <string>
#include <utility>

#include "engine/console.h"
#include "engine/page.h"
#include "engine/v8_strings.h"

namespace switchboard::embed {

struct Handle::State {
  State(std::shared_ptr<values::PageLink> owner, v8::Global<v8::Value>* kept, Kind of)
      : link(std::move(owner)), slot(kept), kind(of) {}
  ~State() { link->Release(slot); }
  State(const State&) = delete;
  State& operator=(const State&) = delete;

  const std::shared_ptr<values::PageLink> link;
  v8::Global<v8::Value>* const slot;
  const Kind kind;
};

struct PromiseResolver::State {
  explicit State(Handle made) : promise(std::move(made)) {}
  // Dropped unsettled: the promise stays pending and stops keeping the loop alive.
  ~State() {
    if (settled.exchange(true)) return;
    const std::shared_ptr<values::PageLink>& link = HandleLink();
    if (!link->alive) return;
    if (link->OnPageThread()) {
      link->page->event_loop().ReleasePendingActivity();
    } else {
      switchboard::Page* page = link->page;
      link->PostTask([page] { page->event_loop().ReleasePendingActivity(); });
    }
  }
  State(const State&) = delete;
  State& operator=(const State&) = delete;

  const std::shared_ptr<values::PageLink>& HandleLink() const;

  const Handle promise;  // the promise is its own resolver (v8::Promise::Resolver)
  std::atomic<bool> settled = false;
};

// What values.cc needs of Handle's and PromiseResolver's insides.
struct HandleAccess {
  static Handle Make(std::shared_ptr<Handle::State> state) { return Handle(std::move(state)); }
  static const Handle::State* Of(const Handle& handle) { return handle.state_.get(); }
  static PromiseResolver Make(std::shared_ptr<PromiseResolver::State> state) {
    return PromiseResolver(std::move(state));
  }
  static const std::shared_ptr<PromiseResolver::State>& Of(const PromiseResolver& resolver) {
    return resolver.state_;
  }
};

const std::shared_ptr<values::PageLink>& PromiseResolver::State::HandleLink() const {
  return HandleAccess::Of(promise)->link;
}

namespace {

constexpr std::uint32_t kMaxArrayElements = 1u << 24;
constexpr int kMaxDepth = 1000;

// The decimal digits of a BigInt as 64-bit words, least significant first; false if malformed.
bool ParseDecimal(std::string_view text, bool& negative, std::vector<std::uint64_t>& words) {
  negative = !text.empty() && text.front() == '-';
  if (negative) text.remove_prefix(1);
  if (text.empty()) return false;
  std::vector<std::uint32_t> limbs;  // base 2^32, least significant first
  for (char digit : text) {
    if (digit < '0' || digit > '9') return false;
    std::uint64_t carry = static_cast<std::uint64_t>(digit - '0');
    for (std::uint32_t& limb : limbs) {
      std::uint64_t product = static_cast<std::uint64_t>(limb) * 10 + carry;
      limb = static_cast<std::uint32_t>(product);
      carry = product >> 32;
    }
    if (carry != 0) limbs.push_back(static_cast<std::uint32_t>(carry));
  }
  words.clear();
  for (std::size_t i = 0; i < limbs.size(); i += 2) {
    std::uint64_t high = i + 1 < limbs.size() ? limbs[i + 1] : 0;
    words.push_back(high << 32 | limbs[i]);
  }
  if (words.empty()) words.push_back(0);
  return true;
}

Handle::Kind KindOf(v8::Local<v8::Value> value) {
  if (value->IsArray()) return Handle::Kind::kArray;
  if (value->IsFunction()) return Handle::Kind::kFunction;
  if (value->IsPromise()) return Handle::Kind::kPromise;
  if (value->IsSymbol()) return Handle::Kind::kSymbol;
  return Handle::Kind::kObject;
}

// A script exception as ScriptError's message ("TypeError: boom"), or termination.
[[noreturn]] void ThrowScriptError(v8::Local<v8::Context> context, const v8::TryCatch& caught) {
  v8::Isolate* isolate = context->GetIsolate();
  if (caught.HasTerminated() || isolate->IsExecutionTerminating() || !caught.HasCaught()) {
    throw ScriptError("script was terminated");
  }
  v8::TryCatch inner(isolate);
  v8::Local<v8::String> text;
  if (caught.Exception()->ToDetailString(context).ToLocal(&text)) {
    throw ScriptError(Utf8(isolate, text));
  }
  throw ScriptError("script threw an exception that has no description");
}

// Everything a Handle call on the page's thread needs: the checks, the scopes, the value.
class Entered {
 public:
  Entered(const Handle::State* state, const char* what)
      : link_(Checked(state, what)),
        handle_scope_(link_.isolate),
        context_(link_.page->context()),
        context_scope_(context_),
        try_catch_(link_.isolate),
        value_(state->slot->Get(link_.isolate)) {}

  v8::Isolate* isolate() const { return link_.isolate; }
  v8::Local<v8::Context> context() const { return context_; }
  v8::Local<v8::Value> value() const { return value_; }
  v8::Local<v8::Object> object(const char* what) const {
    if (!value_->IsObject()) throw Error(std::string(what) + ": the Handle is not an object");
    return value_.As<v8::Object>();
  }
  [[noreturn]] void Fail() const { ThrowScriptError(context_, try_catch_); }

 private:
  static values::PageLink& Checked(const Handle::State* state, const char* what) {
    if (!state) throw Error(std::string(what) + ": the Handle is empty");
    state->link->CheckUsable(what);
    return *state->link;
  }

  values::PageLink& link_;
  v8::HandleScope handle_scope_;
  v8::Local<v8::Context> context_;
  v8::Context::Scope context_scope_;
  v8::TryCatch try_catch_;
  v8::Local<v8::Value> value_;
};

Value ToContainersOf(const std::shared_ptr<values::PageLink>& link, v8::Local<v8::Context> context,
                     v8::Local<v8::Value> value, std::vector<v8::Local<v8::Object>>& path,
                     const Entered& entered);

// Object.keys(object): own enumerable string keys, indices first, as strings.
v8::Local<v8::Array> OwnKeys(v8::Local<v8::Context> context, v8::Local<v8::Object> object,
                             const Entered& entered) {
  v8::Local<v8::Array> keys;
  if (!object
           ->GetOwnPropertyNames(
               context, static_cast<v8::PropertyFilter>(v8::ONLY_ENUMERABLE | v8::SKIP_SYMBOLS),
               v8::KeyConversionMode::kConvertToString)
           .ToLocal(&keys)) {
    entered.Fail();
  }
  return keys;
}

Array ArrayOf(const std::shared_ptr<values::PageLink>& link, v8::Local<v8::Context> context,
              v8::Local<v8::Object> object, const Entered& entered,
              std::vector<v8::Local<v8::Object>>* path) {
  v8::Isolate* isolate = context->GetIsolate();
  v8::Local<v8::Value> length_value;
  std::uint32_t length = 0;
  if (!object->Get(context, V8String(isolate, "length")).ToLocal(&length_value) ||
      !length_value->Uint32Value(context).To(&length)) {
    entered.Fail();
  }
  if (length > kMaxArrayElements) {
    throw Error("Handle::ToArray: more than " + std::to_string(kMaxArrayElements) + " elements");
  }
  Array elements;
  elements.reserve(length);
  for (std::uint32_t i = 0; i < length; ++i) {
    v8::Local<v8::Value> element;
    if (!object->Get(context, i).ToLocal(&element)) entered.Fail();
    elements.push_back(path ? ToContainersOf(link, context, element, *path, entered)
                            : values::ToValue(link, context, element));
  }
  return elements;
}

Dictionary DictionaryOf(const std::shared_ptr<values::PageLink>& link,
                        v8::Local<v8::Context> context, v8::Local<v8::Object> object,
                        const Entered& entered, std::vector<v8::Local<v8::Object>>* path) {
  v8::Isolate* isolate = context->GetIsolate();
  v8::Local<v8::Array> keys = OwnKeys(context, object, entered);
  Dictionary entries;
  entries.reserve(keys->Length());
  for (std::uint32_t i = 0; i < keys->Length(); ++i) {
    v8::Local<v8::Value> key, property;
    if (!keys->Get(context, i).ToLocal(&key) || !object->Get(context, key).ToLocal(&property)) {
      entered.Fail();
    }
    entries.emplace_back(Utf8(isolate, key.As<v8::String>()),
                         path ? ToContainersOf(link, context, property, *path, entered)
                              : values::ToValue(link, context, property));
  }
  return entries;
}

Value ToContainersOf(const std::shared_ptr<values::PageLink>& link, v8::Local<v8::Context> context,
                     v8::Local<v8::Value> value, std::vector<v8::Local<v8::Object>>& path,
                     const Entered& entered) {
  if (!value->IsObject() || value->IsFunction() || value->IsPromise()) {
    return values::ToValue(link, context, value);
  }
  v8::Local<v8::Object> object = value.As<v8::Object>();
  for (v8::Local<v8::Object> outer : path) {
    if (outer->StrictEquals(object))
      throw Error("Handle::ToContainers: the object contains itself");
  }
  if (path.size() >= kMaxDepth) {
    throw Error("Handle::ToContainers: nested deeper than " + std::to_string(kMaxDepth) +
                " levels");
  }
  path.push_back(object);
  Value result = value->IsArray() ? Value(ArrayOf(link, context, object, entered, &path))
                                  : Value(DictionaryOf(link, context, object, entered, &path));
  path.pop_back();
  return result;
}

}  // namespace

// ---------------------------------------------------------------------------------------
// BigInt

std::optional<std::int64_t> BigInt::ToInt64() const {
  std::int64_t value = 0;
  const char* end = decimal.data() + decimal.size();
  auto [stop, error] = std::from_chars(decimal.data(), end, value);
  if (error != std::errc() || stop != end) return std::nullopt;
  return value;
}

// ---------------------------------------------------------------------------------------
// PageLink

namespace values {

PageLink::PageLink(switchboard::Page& of)
    : page(&of), isolate(of.isolate()), thread(std::this_thread::get_id()) {}

void PageLink::Close() {
  std::lock_guard lock(mutex_);
  alive = false;
  for (v8::Global<v8::Value>* slot : live_) slot->Reset();
  live_.clear();
  // Their Handles are gone; the others delete their own slots later (an empty v8::Global's
  // destructor does not touch V8, on any thread).
  for (v8::Global<v8::Value>* slot : orphans_) delete slot;
  orphans_.clear();
}

void PageLink::CheckUsable(const char* what) const {
  if (!alive) throw Error(std::string(what) + ": the Handle's page is gone");
  if (!OnPageThread()) {
    throw Error(std::string(what) + ": called on a thread that is not its page's thread");
  }
}

v8::Global<v8::Value>* PageLink::Keep(v8::Local<v8::Value> value) {
  // Script that runs while the page is torn down gets no more Handles.
  if (!alive) throw Error("a Handle cannot be made: its page is going away");
  auto* slot = new v8::Global<v8::Value>(isolate, value);
  std::lock_guard lock(mutex_);
  for (v8::Global<v8::Value>* orphan : orphans_) {
    live_.erase(orphan);
    delete orphan;  // on the page's thread: v8::Global's destructor resets it
  }
  orphans_.clear();
  live_.insert(slot);
  return slot;
}

void PageLink::Release(v8::Global<v8::Value>* slot) {
  std::lock_guard lock(mutex_);
  if (!alive) {
    delete slot;  // Close() has reset it: nothing of V8 is touched
  } else if (OnPageThread()) {
    live_.erase(slot);
    delete slot;  // v8::Global's destructor resets it
  } else {
    orphans_.push_back(slot);  // not empty: only the page's thread may reset it
  }
}

bool PageLink::PostTask(std::function<void()> task) {
  std::lock_guard lock(mutex_);
  if (!alive) return false;
  page->event_loop().PostTaskFromAnyThread(std::move(task));
  return true;
}

// ---------------------------------------------------------------------------------------
// Conversions

Value ToValue(const std::shared_ptr<PageLink>& link, v8::Local<v8::Context> context,
              v8::Local<v8::Value> value) {
  v8::Isolate* isolate = context->GetIsolate();
  if (value->IsUndefined()) return Undefined{};
  if (value->IsNull()) return Null{};
  if (value->IsBoolean()) return value->BooleanValue(isolate);
  if (value->IsNumber()) return value.As<v8::Number>()->Value();
  if (value->IsString()) return Utf8(isolate, value.As<v8::String>());
  if (value->IsBigInt()) {
    v8::TryCatch try_catch(isolate);
    v8::Local<v8::String> digits;
    if (value->ToString(context).ToLocal(&digits)) return BigInt{Utf8(isolate, digits)};
    return BigInt{"0"};  // only when terminating
  }
  return MakeHandle(link, value);
}

v8::Local<v8::Value> Unwrap(const PageLink& link, const Handle& handle, const char* what) {
  const Handle::State* state = HandleAccess::Of(handle);
  if (!state) throw Error(std::string(what) + ": the Handle is empty");
  state->link->CheckUsable(what);
  if (state->link.get() != &link) throw Error(std::string(what) + ": the Handle is another page's");
  return state->slot->Get(link.isolate);
}

v8::Local<v8::Value> ToV8(const PageLink& link, v8::Local<v8::Context> context,
                          const Value& value) {
  v8::Isolate* isolate = link.isolate;
  struct Visitor {
    const PageLink& link;
    v8::Local<v8::Context> context;
    v8::Isolate* isolate;
    v8::Local<v8::Value> operator()(const Undefined&) const { return v8::Undefined(isolate); }
    v8::Local<v8::Value> operator()(const Null&) const { return v8::Null(isolate); }
    v8::Local<v8::Value> operator()(bool flag) const { return v8::Boolean::New(isolate, flag); }
    v8::Local<v8::Value> operator()(double number) const {
      return v8::Number::New(isolate, number);
    }
    v8::Local<v8::Value> operator()(const std::string& text) const {
      return V8String(isolate, text);
    }
    v8::Local<v8::Value> operator()(const BigInt& big) const {
      bool negative = false;
      std::vector<std::uint64_t> words;
      if (!ParseDecimal(big.decimal, negative, words)) {
        throw Error("BigInt \"" + big.decimal + "\" is not an optional '-' and decimal digits");
      }
      v8::Local<v8::BigInt> result;
      if (!v8::BigInt::NewFromWords(context, negative ? 1 : 0, static_cast<int>(words.size()),
                                    words.data())
               .ToLocal(&result)) {
        throw Error("BigInt \"" + big.decimal + "\" is too large for script");
      }
      return result;
    }
    v8::Local<v8::Value> operator()(const Handle& handle) const {
      return Unwrap(link, handle, "a Handle given to script");
    }
    v8::Local<v8::Value> operator()(const Array& elements) const {
      v8::Local<v8::Array> array = v8::Array::New(isolate, static_cast<int>(elements.size()));
      for (std::size_t i = 0; i < elements.size(); ++i) {
        v8::Local<v8::Value> element = ToV8(link, context, elements[i]);
        if (array->CreateDataProperty(context, static_cast<std::uint32_t>(i), element)
                .IsNothing()) {
          throw Error("an Array cannot cross into script now: script is terminated");
        }
      }
      return array;
    }
    v8::Local<v8::Value> operator()(const Dictionary& entries) const {
      v8::Local<v8::Object> object = v8::Object::New(isolate);
      for (const auto& [key, property] : entries) {
        v8::Local<v8::Value> converted = ToV8(link, context, property);
        if (object->CreateDataProperty(context, V8String(isolate, key), converted).IsNothing()) {
          throw Error("a Dictionary cannot cross into script now: script is terminated");
        }
      }
      return object;
    }
  };
  return std::visit(Visitor{link, context, isolate}, value);
}

void CheckCrossable(const PageLink& link, const Value& value) {
  if (const auto* big = std::get_if<BigInt>(&value)) {
    bool negative = false;
    std::vector<std::uint64_t> words;
    if (!ParseDecimal(big->decimal, negative, words)) {
      throw Error("BigInt \"" + big->decimal + "\" is not an optional '-' and decimal digits");
    }
  } else if (const auto* handle = std::get_if<Handle>(&value)) {
    const Handle::State* state = HandleAccess::Of(*handle);
    if (!state) throw Error("an empty Handle cannot be given to script");
    if (state->link.get() != &link) throw Error("a Handle of another page was given to script");
  } else if (const auto* elements = std::get_if<Array>(&value)) {
    for (const Value& element : *elements) CheckCrossable(link, element);
  } else if (const auto* entries = std::get_if<Dictionary>(&value)) {
    for (const auto& entry : *entries) CheckCrossable(link, entry.second);
  }
}

Handle MakeHandle(const std::shared_ptr<PageLink>& link, v8::Local<v8::Value> value) {
  return HandleAccess::Make(
      std::make_shared<Handle::State>(link, link->Keep(value), KindOf(value)));
}

PromiseResolver NewPromise(const std::shared_ptr<PageLink>& link) {
  link->CheckUsable("Page::NewPromise");
  v8::HandleScope handle_scope(link->isolate);
  v8::Local<v8::Context> context = link->page->context();
  v8::Local<v8::Promise::Resolver> resolver;
  if (!v8::Promise::Resolver::New(context).ToLocal(&resolver)) {
    throw Error("Page::NewPromise: script is terminated");
  }
  auto state = std::make_shared<PromiseResolver::State>(MakeHandle(link, resolver->GetPromise()));
  link->page->event_loop().AddPendingActivity();
  return HandleAccess::Make(std::move(state));
}

}  // namespace values

// ---------------------------------------------------------------------------------------
// Handle

Handle::Kind Handle::kind() const {
  if (!state_) throw Error("Handle::kind: the Handle is empty");
  return state_->kind;
}

bool Handle::alive() const { return state_ && state_->link->alive; }

Value Handle::Get(std::string_view key) const {
  Entered entered(state_.get(), "Handle::Get");
  v8::Local<v8::Value> property;
  if (!entered.object("Handle::Get")
           ->Get(entered.context(), V8String(entered.isolate(), key))
           .ToLocal(&property)) {
    entered.Fail();
  }
  return values::ToValue(state_->link, entered.context(), property);
}

Value Handle::Get(std::uint32_t index) const {
  Entered entered(state_.get(), "Handle::Get");
  v8::Local<v8::Value> property;
  if (!entered.object("Handle::Get")->Get(entered.context(), index).ToLocal(&property)) {
    entered.Fail();
  }
  return values::ToValue(state_->link, entered.context(), property);
}

void Handle::Set(std::string_view key, const Value& value) const {
  Entered entered(state_.get(), "Handle::Set");
  v8::Local<v8::Object> object = entered.object("Handle::Set");
  v8::Local<v8::Value> converted = values::ToV8(*state_->link, entered.context(), value);
  if (object->Set(entered.context(), V8String(entered.isolate(), key), converted).IsNothing()) {
    entered.Fail();
  }
}

void Handle::Set(std::uint32_t index, const Value& value) const {
  Entered entered(state_.get(), "Handle::Set");
  v8::Local<v8::Object> object = entered.object("Handle::Set");
  v8::Local<v8::Value> converted = values::ToV8(*state_->link, entered.context(), value);
  if (object->Set(entered.context(), index, converted).IsNothing()) entered.Fail();
}

std::vector<std::string> Handle::Keys() const {
  Entered entered(state_.get(), "Handle::Keys");
  v8::Local<v8::Array> names = OwnKeys(entered.context(), entered.object("Handle::Keys"), entered);
  std::vector<std::string> keys;
  keys.reserve(names->Length());
  for (std::uint32_t i = 0; i < names->Length(); ++i) {
    v8::Local<v8::Value> key;
    if (!names->Get(entered.context(), i).ToLocal(&key)) entered.Fail();
    keys.push_back(Utf8(entered.isolate(), key.As<v8::String>()));
  }
  return keys;
}

Array Handle::ToArray() const {
  Entered entered(state_.get(), "Handle::ToArray");
  return ArrayOf(state_->link, entered.context(), entered.object("Handle::ToArray"), entered,
                 nullptr);
}

Dictionary Handle::ToDictionary() const {
  Entered entered(state_.get(), "Handle::ToDictionary");
  return DictionaryOf(state_->link, entered.context(), entered.object("Handle::ToDictionary"),
                      entered, nullptr);
}

Value Handle::ToContainers() const {
  Entered entered(state_.get(), "Handle::ToContainers");
  std::vector<v8::Local<v8::Object>> path;
  return ToContainersOf(state_->link, entered.context(), entered.value(), path, entered);
}

std::optional<std::string> Handle::ToJson() const {
  Entered entered(state_.get(), "Handle::ToJson");
  if (state_->kind == Kind::kFunction || state_->kind == Kind::kSymbol) return std::nullopt;
  v8::Local<v8::String> text;
  if (!v8::JSON::Stringify(entered.context(), entered.value()).ToLocal(&text)) entered.Fail();
  std::string json = Utf8(entered.isolate(), text);
  // JSON.stringify's undefined (a toJSON that returns undefined) comes back as its String().
  if (json == "undefined") return std::nullopt;
  return json;
}

std::string Handle::Inspect() const {
  Entered entered(state_.get(), "Handle::Inspect");
  return switchboard::Inspect(entered.context(), entered.value());
}

Handle::PromiseState Handle::promise_state() const {
  Entered entered(state_.get(), "Handle::promise_state");
  if (state_->kind != Kind::kPromise) throw Error("Handle::promise_state: not a promise");
  switch (entered.value().As<v8::Promise>()->State()) {
    case v8::Promise::kPending:
      return PromiseState::kPending;
    case v8::Promise::kFulfilled:
      return PromiseState::kFulfilled;
    case v8::Promise::kRejected:
      return PromiseState::kRejected;
  }
  return PromiseState::kPending;
}

Value Handle::promise_result() const {
  Entered entered(state_.get(), "Handle::promise_result");
  if (state_->kind != Kind::kPromise) throw Error("Handle::promise_result: not a promise");
  v8::Local<v8::Promise> promise = entered.value().As<v8::Promise>();
  if (promise->State() == v8::Promise::kPending) return Undefined{};
  return values::ToValue(state_->link, entered.context(), promise->Result());
}

bool Handle::operator==(const Handle& other) const {
  if (state_ == other.state_) return true;
  if (!state_ || !other.state_ || state_->link != other.state_->link) return false;
  if (!state_->link->alive) return false;
  state_->link->CheckUsable("Handle::operator==");
  v8::Isolate* isolate = state_->link->isolate;
  v8::HandleScope handle_scope(isolate);
  return state_->slot->Get(isolate)->StrictEquals(other.state_->slot->Get(isolate));
}

// ---------------------------------------------------------------------------------------
// PromiseResolver

Handle PromiseResolver::promise() const {
  if (!state_) throw Error("PromiseResolver::promise: the resolver is empty");
  state_->HandleLink()->CheckUsable("PromiseResolver::promise");
  return state_->promise;
}

namespace {

bool Settle(const std::shared_ptr<PromiseResolver::State>& state, bool fulfil, Value value) {
  if (!state) return false;
  const std::shared_ptr<values::PageLink>& link = state->HandleLink();
  values::CheckCrossable(*link, value);
  if (!link->alive || state->settled.exchange(true)) return false;
  return link->PostTask([state, fulfil, value = std::move(value)] {
    values::PageLink& on = *state->HandleLink();
    switchboard::Page& page = *on.page;
    page.event_loop().ReleasePendingActivity();
    v8::HandleScope handle_scope(on.isolate);
    v8::Local<v8::Context> context = page.context();
    v8::Context::Scope context_scope(context);
    v8::TryCatch try_catch(on.isolate);
    // The task runs on the page's thread while the page lives: Unwrap cannot fail here.
    v8::Local<v8::Promise::Resolver> resolver =
        values::Unwrap(on, state->promise, "PromiseResolver").As<v8::Promise::Resolver>();
    bool rejects = !fulfil;
    v8::Local<v8::Value> settled_with;
    try {
      settled_with = values::ToV8(on, context, value);
    } catch (const Error& error) {  // cannot happen: Resolve checked `value` (CheckCrossable)
      settled_with = v8::Exception::Error(V8String(on.isolate, error.what()));
      rejects = true;
    }
    // Fails only when script is terminated: the promise is then past caring.
    v8::Maybe<bool> done = rejects ? resolver->Reject(context, settled_with)
                                   : resolver->Resolve(context, settled_with);
    static_cast<void>(done);
  });
}

}  // namespace

bool PromiseResolver::Resolve(Value value) const { return Settle(state_, true, std::move(value)); }
bool PromiseResolver::Reject(Value reason) const {
  return Settle(state_, false, std::move(reason));
}

}  // namespace switchboard::embed
