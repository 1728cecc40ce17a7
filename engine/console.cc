#include "engine/console.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <vector>

#include "bindings/dom_exception.h"
#include "bindings/native_value_traits.h"
#include "bindings/per_isolate_data.h"
#include "bindings/script_environment.h"
#include "bindings/script_wrappable.h"
#include "engine/exposed_interfaces.h"
#include "engine/page.h"
#include "engine/v8_strings.h"

namespace switchboard {

namespace {

using bindings::ConsoleLevel;

constexpr int kUnlimitedDepth = std::numeric_limits<int>::max();

// The util.inspect options the console methods vary (console.dir's depth, console.table's
// cells); the defaults are console.log's.
struct InspectOptions {
  int depth = 2;                    // Node's default inspect depth; kUnlimitedDepth for null
  uint32_t max_array_length = 100;  // Node's maxArrayLength
  double break_length = 80;         // Node's console breakLength
  InspectColors colors = InspectColors::kNone;
};

// The console's state in one context (counters, timers, group indentation, and the attribute
// getters the bindings installed), kept on the global object under a private symbol so that
// it lives exactly as long as the context and script never sees it.
enum class ConsoleSlot : uint32_t {
  kCounts = 0,            // Map: label → number (console.count)
  kTimers = 1,            // Map: label → start in milliseconds (console.time)
  kGroupIndentation = 2,  // Number: spaces before each line (console.group)
  kAttributeGetters = 3,  // Set: the getter functions of platform objects' attributes
  kCount = 4,
};

v8::Local<v8::Private> ConsoleStateKey(v8::Isolate* isolate) {
  return bindings::PerIsolateData::Ensure(isolate).PrivateSymbol("switchboard.console");
}

// Empty when the context has no console (InstallConsole was not called).
v8::Local<v8::Array> ConsoleState(v8::Local<v8::Context> context) {
  v8::Local<v8::Value> state;
  if (!context->Global()
           ->GetPrivate(context, ConsoleStateKey(context->GetIsolate()))
           .ToLocal(&state) ||
      !state->IsArray()) {
    return {};
  }
  return state.As<v8::Array>();
}

v8::Local<v8::Value> ConsoleStateSlot(v8::Local<v8::Context> context, ConsoleSlot slot) {
  v8::Local<v8::Array> state = ConsoleState(context);
  v8::Local<v8::Value> value;
  if (state.IsEmpty() || !state->Get(context, static_cast<uint32_t>(slot)).ToLocal(&value)) {
    return {};
  }
  return value;
}

bool IsIdentifier(std::string_view key) {
  if (key.empty()) return false;
  for (std::size_t i = 0; i < key.size(); ++i) {
    char c = key[i];
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
    bool digit = c >= '0' && c <= '9';
    if (!letter && !(digit && i > 0)) return false;
  }
  return true;
}

// Node quotes with ' unless the text holds one; then " ; then ` ; else escaped '.
std::string QuoteString(std::string_view text) {
  char quote = '\'';
  if (text.find('\'') != std::string_view::npos) {
    if (text.find('"') == std::string_view::npos) {
      quote = '"';
    } else if (text.find('`') == std::string_view::npos) {
      quote = '`';
    }
  }
  std::string out(1, quote);
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (c == quote || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (byte < 0x20 || byte == 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02X", byte);
      out += escaped;
    } else {
      out += c;
    }
  }
  out += quote;
  return out;
}

std::string FormatNumber(double number) {
  if (number == 0 && std::signbit(number)) return "-0";
  if (std::isnan(number)) return "NaN";
  if (std::isinf(number)) return number > 0 ? "Infinity" : "-Infinity";
  return {};  // The caller uses V8's own Number-to-String conversion.
}

// Node's util.inspect.styles with util.inspect.colors' codes: {open, close}.
struct Style {
  const char* open;
  const char* close;
};
constexpr Style kSpecial{"\x1b[36m", "\x1b[39m"};  // cyan
constexpr Style kNumber{"\x1b[33m", "\x1b[39m"};   // yellow: number, bigint, boolean
constexpr Style kString{"\x1b[32m", "\x1b[39m"};   // green: string, symbol
constexpr Style kUndefined{"\x1b[90m", "\x1b[39m"};
constexpr Style kNull{"\x1b[1m", "\x1b[22m"};
constexpr Style kDate{"\x1b[35m", "\x1b[39m"};
constexpr Style kRegExp{"\x1b[31m", "\x1b[39m"};

// Columns a formatted text takes on a terminal: its bytes without colour sequences.
std::size_t VisibleLength(std::string_view text) {
  std::size_t length = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\x1b' && i + 1 < text.size() && text[i + 1] == '[') {
      i = std::min(text.find('m', i), text.size() - 1);
    } else {
      ++length;
    }
  }
  return length;
}

class Inspector {
 public:
  explicit Inspector(v8::Local<v8::Context> context, InspectOptions options = {})
      : context_(context), isolate_(context->GetIsolate()), options_(options) {}

  std::string Format(v8::Local<v8::Value> value, int depth, bool top_level_string_raw) {
    if (value->IsString() && top_level_string_raw) {
      return Utf8(isolate_, value.As<v8::String>());
    }
    return FormatValue(value, depth, 0);
  }

 private:
  std::string ToText(v8::Local<v8::Value> value) {
    v8::Local<v8::String> text;
    if (!value->ToString(context_).ToLocal(&text)) return "";
    return Utf8(isolate_, text);
  }

  std::string Stylize(std::string text, Style style) const {
    if (options_.colors == InspectColors::kNone) return text;
    return style.open + text + style.close;
  }

  std::string FormatPrimitive(v8::Local<v8::Value> value) {
    if (value->IsUndefined()) return Stylize("undefined", kUndefined);
    if (value->IsNull()) return Stylize("null", kNull);
    if (value->IsString())
      return Stylize(QuoteString(Utf8(isolate_, value.As<v8::String>())), kString);
    if (value->IsNumber()) {
      std::string special = FormatNumber(value.As<v8::Number>()->Value());
      return Stylize(special.empty() ? ToText(value) : special, kNumber);
    }
    if (value->IsBigInt()) return Stylize(ToText(value) + "n", kNumber);
    if (value->IsSymbol()) {
      v8::Local<v8::Value> description = value.As<v8::Symbol>()->Description(isolate_);
      return Stylize(
          "Symbol(" + (description->IsUndefined() ? std::string() : ToText(description)) + ")",
          kString);
    }
    return Stylize(ToText(value), kNumber);  // booleans
  }

  std::string FormatKey(v8::Local<v8::Value> key) {
    if (key->IsSymbol()) return "[" + FormatPrimitive(key) + "]";
    std::string text = ToText(key);
    return IsIdentifier(text) ? text : QuoteString(text);
  }

  std::string FormatFunction(v8::Local<v8::Function> function) {
    std::string name = ToText(function->GetName());
    v8::Local<v8::String> source;
    bool is_class = false;
    if (function->FunctionProtoToString(context_).ToLocal(&source)) {
      is_class = Utf8(isolate_, source).starts_with("class");
    }
    if (is_class) {
      return Stylize(name.empty() ? "[class (anonymous)]" : "[class " + name + "]", kSpecial);
    }
    return Stylize(name.empty() ? "[Function (anonymous)]" : "[Function: " + name + "]", kSpecial);
  }

  std::string ErrorStack(v8::Local<v8::Object> error) {
    v8::Local<v8::Value> stack;
    if (error->Get(context_, V8String(isolate_, "stack")).ToLocal(&stack) && stack->IsString()) {
      return Utf8(isolate_, stack.As<v8::String>());
    }
    return "[" + ToText(error) + "]";
  }

  // Node's groupArrayElements: more than six short entries are laid out in columns.
  std::vector<std::string> GroupArrayElements(const std::vector<std::string>& output,
                                              bool has_more_items, bool all_numbers,
                                              int indentation) {
    constexpr std::size_t kSeparatorSpace = 2;
    std::size_t output_length = output.size() - (has_more_items ? 1 : 0);
    std::size_t total_length = 0;
    std::size_t max_length = 0;
    for (std::size_t i = 0; i < output_length; ++i) {
      total_length += VisibleLength(output[i]) + kSeparatorSpace;
      max_length = std::max(max_length, VisibleLength(output[i]));
    }
    double actual_max = static_cast<double>(max_length + kSeparatorSpace);
    if (!(actual_max * 3 + indentation < options_.break_length &&
          (static_cast<double>(total_length) / actual_max > 5 || max_length <= 6))) {
      return output;
    }
    double average_bias = std::sqrt(actual_max - static_cast<double>(total_length) /
                                                     static_cast<double>(output.size()));
    double biased_max = std::max(actual_max - 3 - average_bias, 1.0);
    double columns = std::min(
        {std::round(std::sqrt(2.5 * biased_max * static_cast<double>(output_length)) / biased_max),
         std::floor((options_.break_length - indentation) / actual_max), 3.0 * 4, 15.0});
    if (columns <= 1) return output;
    auto column_count = static_cast<std::size_t>(columns);
    std::vector<std::size_t> max_line_length;
    for (std::size_t i = 0; i < column_count; ++i) {
      std::size_t line_length = 0;
      for (std::size_t j = i; j < output_length; j += column_count) {
        line_length = std::max(line_length, VisibleLength(output[j]));
      }
      max_line_length.push_back(line_length + kSeparatorSpace);
    }
    auto pad = [&](std::string text, std::size_t width) {
      if (VisibleLength(text) >= width) return text;
      std::string padding(width - VisibleLength(text), ' ');
      return all_numbers ? padding + text : text + padding;
    };
    std::vector<std::string> grouped;
    for (std::size_t i = 0; i < output_length; i += column_count) {
      std::size_t max = std::min(i + column_count, output_length);
      std::string line;
      std::size_t j = i;
      for (; j < max - 1; ++j) line += pad(output[j] + ", ", max_line_length[j - i]);
      line += all_numbers ? pad(output[j], max_line_length[j - i] - kSeparatorSpace) : output[j];
      grouped.push_back(line);
    }
    if (has_more_items) grouped.push_back(output.back());
    return grouped;
  }

  // Node's reduceToSingleString (compact mode 3, breakLength 80).
  std::string Reduce(const std::string& base, std::vector<std::string> output, const char* open,
                     const char* close, int depth, int indentation, bool is_array,
                     bool has_more_items, bool all_numbers) {
    std::string prefix = base.empty() ? std::string() : base + " ";
    if (output.empty()) return prefix + open + close;
    std::size_t entries = output.size();
    if (is_array && entries > 6) {
      output = GroupArrayElements(output, has_more_items, all_numbers, indentation);
    }
    if (current_depth_ - depth < 3 && entries == output.size()) {
      std::size_t start = output.size() + static_cast<std::size_t>(indentation) +
                          std::strlen(open) + base.size() + 10;
      std::size_t total = output.size() + start;
      bool below = static_cast<double>(total + output.size()) <= options_.break_length;
      for (std::size_t i = 0; below && i < output.size(); ++i) {
        total += VisibleLength(output[i]);
        below = static_cast<double>(total) <= options_.break_length;
      }
      if (below && base.find('\n') == std::string::npos) {
        std::string joined;
        for (std::size_t i = 0; i < output.size(); ++i) joined += (i ? ", " : "") + output[i];
        if (joined.find('\n') == std::string::npos)
          return prefix + open + " " + joined + " " + close;
      }
    }
    std::string line_start = "\n" + std::string(static_cast<std::size_t>(indentation), ' ');
    std::string out = prefix + open + line_start + "  ";
    for (std::size_t i = 0; i < output.size(); ++i) {
      if (i) out += "," + line_start + "  ";
      out += output[i];
    }
    return out + line_start + close;
  }

  void AppendOwnProperties(v8::Local<v8::Object> object, int depth, int indentation,
                           std::vector<std::string>& entries, bool skip_indices) {
    v8::Local<v8::Array> keys;
    if (!object
             ->GetPropertyNames(context_, v8::KeyCollectionMode::kOwnOnly,
                                static_cast<v8::PropertyFilter>(v8::ONLY_ENUMERABLE),
                                v8::IndexFilter::kIncludeIndices,
                                v8::KeyConversionMode::kConvertToString)
             .ToLocal(&keys)) {
      return;
    }
    for (uint32_t i = 0; i < keys->Length(); ++i) {
      v8::Local<v8::Value> key;
      if (!keys->Get(context_, i).ToLocal(&key)) continue;
      if (skip_indices && key->IsString()) {
        uint32_t index;
        std::string text = ToText(key);
        if (!text.empty() && std::sscanf(text.c_str(), "%u", &index) == 1 &&
            std::to_string(index) == text) {
          continue;
        }
      }
      v8::Local<v8::Value> descriptor_value;
      std::string rendered;
      if (object->GetOwnPropertyDescriptor(context_, key.As<v8::Name>())
              .ToLocal(&descriptor_value) &&
          descriptor_value->IsObject()) {
        auto descriptor = descriptor_value.As<v8::Object>();
        v8::Local<v8::Value> getter, setter;
        bool has_getter = descriptor->Get(context_, V8String(isolate_, "get")).ToLocal(&getter) &&
                          !getter->IsUndefined();
        bool has_setter = descriptor->Get(context_, V8String(isolate_, "set")).ToLocal(&setter) &&
                          !setter->IsUndefined();
        if (has_getter || has_setter) {
          rendered = Stylize(has_getter && has_setter ? "[Getter/Setter]"
                             : has_getter             ? "[Getter]"
                                                      : "[Setter]",
                             kSpecial);
        }
      }
      if (rendered.empty()) {
        v8::Local<v8::Value> property;
        if (!object->Get(context_, key).ToLocal(&property)) continue;
        rendered = FormatValue(property, depth + 1, indentation + 2);
      }
      entries.push_back(FormatKey(key) + ": " + rendered);
    }
    // Symbol-keyed own enumerable properties.
    v8::Local<v8::Array> symbols;
    if (object
            ->GetPropertyNames(
                context_, v8::KeyCollectionMode::kOwnOnly,
                static_cast<v8::PropertyFilter>(v8::ONLY_ENUMERABLE | v8::SKIP_STRINGS),
                v8::IndexFilter::kSkipIndices)
            .ToLocal(&symbols)) {
      for (uint32_t i = 0; i < symbols->Length(); ++i) {
        v8::Local<v8::Value> key, property;
        if (!symbols->Get(context_, i).ToLocal(&key) ||
            !object->Get(context_, key).ToLocal(&property)) {
          continue;
        }
        entries.push_back(FormatKey(key) + ": " +
                          FormatValue(property, depth + 1, indentation + 2));
      }
    }
  }

  // An object the IDL-generated bindings made (TCPConnection, Event, URL, the global
  // object…): a wrapper whose implementation's interface brand-checks it (HasInstance on the
  // interface's template, which script cannot forge).
  const bindings::WrapperTypeInfo* PlatformObjectType(v8::Local<v8::Object> object) {
    if (object->IsProxy()) return nullptr;
    bindings::ScriptWrappable* implementation = bindings::ScriptWrappable::FromWrapper(object);
    if (!implementation) return nullptr;
    const bindings::WrapperTypeInfo* type_info = implementation->GetWrapperTypeInfo();
    if (!bindings::IsWrapperOf(isolate_, object, *type_info)) return nullptr;
    return type_info;
  }

  bool IsPlatformObject(v8::Local<v8::Object> object) { return PlatformObjectType(object); }

  // DOMException (WebIDL §3.14.1): its prototype chain ends in Error.prototype; printed as
  // errors are, by its stack.
  bool IsErrorPlatformObject(v8::Local<v8::Object> object) {
    const bindings::WrapperTypeInfo* type_info = PlatformObjectType(object);
    while (type_info && type_info->parent) type_info = type_info->parent;
    return type_info && type_info->prototype_parent ==
                            bindings::WrapperTypeInfo::PrototypeParent::kErrorPrototype;
  }

  // Whether `getter` is one the bindings installed (snapshotted by InstallConsole before any
  // script ran): only those are called, so that formatting never runs a user-defined getter.
  bool IsAttributeGetter(v8::Local<v8::Value> getter) {
    if (!getter->IsFunction()) return false;
    if (attribute_getters_.IsEmpty()) {
      v8::Local<v8::Value> getters = ConsoleStateSlot(context_, ConsoleSlot::kAttributeGetters);
      if (getters.IsEmpty() || !getters->IsSet()) return false;
      attribute_getters_ = getters.As<v8::Set>();
    }
    return attribute_getters_->Has(context_, getter).FromMaybe(false);
  }

  // Chrome's console shows a platform object's IDL attributes: its own properties (the
  // [LegacyUnforgeable] attributes, and what script added), then the attributes of each
  // interface prototype object up the chain, most derived first; methods and constants are
  // left out. A getter runs only when the bindings installed it; any other accessor reads
  // [Getter] as for ordinary objects.
  void AppendPlatformObjectAttributes(v8::Local<v8::Object> object, int depth, int indentation,
                                      std::vector<std::string>& entries) {
    v8::Local<v8::Value> object_prototype = v8::Object::New(isolate_)->GetPrototype();
    std::set<std::string> seen;
    v8::Local<v8::Object> holder = object;
    for (bool own = true;; own = false) {
      if (holder->IsProxy()) break;
      v8::Local<v8::Array> keys;
      if (!holder
               ->GetPropertyNames(
                   context_, v8::KeyCollectionMode::kOwnOnly,
                   static_cast<v8::PropertyFilter>(v8::ONLY_ENUMERABLE | v8::SKIP_SYMBOLS),
                   v8::IndexFilter::kIncludeIndices, v8::KeyConversionMode::kConvertToString)
               .ToLocal(&keys)) {
        return;
      }
      // Every own name shadows the same name further up, enumerable or not.
      std::set<std::string> own_names;
      v8::Local<v8::Array> all_keys;
      if (holder
              ->GetOwnPropertyNames(context_, v8::SKIP_SYMBOLS,
                                    v8::KeyConversionMode::kConvertToString)
              .ToLocal(&all_keys)) {
        for (uint32_t i = 0; i < all_keys->Length(); ++i) {
          v8::Local<v8::Value> key;
          if (all_keys->Get(context_, i).ToLocal(&key) && key->IsString()) {
            own_names.insert(Utf8(isolate_, key.As<v8::String>()));
          }
        }
      }
      std::set<std::string> shadowed = seen;
      seen.insert(own_names.begin(), own_names.end());
      for (uint32_t i = 0; i < keys->Length() && !terminated_; ++i) {
        v8::Local<v8::Value> key;
        if (!keys->Get(context_, i).ToLocal(&key) || !key->IsString()) continue;
        if (shadowed.contains(Utf8(isolate_, key.As<v8::String>()))) continue;
        v8::Local<v8::Value> descriptor_value;
        if (!holder->GetOwnPropertyDescriptor(context_, key.As<v8::Name>())
                 .ToLocal(&descriptor_value) ||
            !descriptor_value->IsObject()) {
          continue;
        }
        auto descriptor = descriptor_value.As<v8::Object>();
        v8::Local<v8::Value> getter, setter, data;
        bool is_accessor =
            descriptor->HasOwnProperty(context_, V8String(isolate_, "get")).FromMaybe(false);
        if (!is_accessor) {
          // A data property: on the object itself it is script's own; on a prototype it is
          // a method or a constant.
          if (!own || !descriptor->Get(context_, V8String(isolate_, "value")).ToLocal(&data)) {
            continue;
          }
          entries.push_back(FormatKey(key) + ": " + FormatValue(data, depth + 1, indentation + 2));
          continue;
        }
        if (!descriptor->Get(context_, V8String(isolate_, "get")).ToLocal(&getter) ||
            !descriptor->Get(context_, V8String(isolate_, "set")).ToLocal(&setter)) {
          continue;
        }
        std::string rendered;
        if (IsAttributeGetter(getter)) {
          v8::TryCatch try_catch(isolate_);
          v8::Local<v8::Value> attribute;
          if (getter.As<v8::Function>()->Call(context_, object, 0, nullptr).ToLocal(&attribute)) {
            rendered = FormatValue(attribute, depth + 1, indentation + 2);
          } else if (try_catch.HasTerminated()) {
            terminated_ = true;
            try_catch.ReThrow();
            return;
          } else {
            rendered = "[Getter]";
          }
        } else if (getter->IsUndefined()) {
          if (setter->IsUndefined()) continue;
          rendered = "[Setter]";
        } else {
          rendered = setter->IsUndefined() ? "[Getter]" : "[Getter/Setter]";
        }
        entries.push_back(FormatKey(key) + ": " + rendered);
      }
      v8::Local<v8::Value> next = holder->GetPrototype();
      if (!next->IsObject() || next->StrictEquals(object_prototype)) break;
      holder = next.As<v8::Object>();
    }
  }

  std::string FormatValue(v8::Local<v8::Value> value, int depth, int indentation) {
    if (terminated_) return {};
    // As Node (showProxy off): a proxy prints as its target, and none of its traps run.
    while (value->IsProxy()) value = value.As<v8::Proxy>()->GetTarget();
    if (!value->IsObject()) return FormatPrimitive(value);
    auto object = value.As<v8::Object>();
    if (value->IsFunction()) return FormatFunction(value.As<v8::Function>());
    if (value->IsNativeError() || IsErrorPlatformObject(object)) return ErrorStack(object);
    if (value->IsDate() || value->IsRegExp()) {
      if (value->IsDate()) {
        v8::Local<v8::Value> iso;
        v8::Local<v8::Value> to_iso;
        if (object->Get(context_, V8String(isolate_, "toISOString")).ToLocal(&to_iso) &&
            to_iso->IsFunction() &&
            to_iso.As<v8::Function>()->Call(context_, object, 0, nullptr).ToLocal(&iso)) {
          return Stylize(ToText(iso), kDate);
        }
        return Stylize("Invalid Date", kDate);
      }
      return Stylize(ToText(value), kRegExp);
    }
    for (std::size_t i = 0; i < stack_.size(); ++i) {
      if (stack_[i]->StrictEquals(object)) {
        int& reference = circular_[i];
        if (reference == 0) reference = ++circular_count_;
        return Stylize("[Circular *" + std::to_string(reference) + "]", kSpecial);
      }
    }
    std::string constructor = ToText(object->GetConstructorName());
    if (value->IsPromise()) {
      auto promise = value.As<v8::Promise>();
      std::string state;
      switch (promise->State()) {
        case v8::Promise::kPending:
          state = "<pending>";
          break;
        case v8::Promise::kFulfilled:
          state = FormatValue(promise->Result(), depth + 1, indentation + 2);
          break;
        case v8::Promise::kRejected:
          state = "<rejected> " + FormatValue(promise->Result(), depth + 1, indentation + 2);
          break;
      }
      return "Promise { " + state + " }";
    }
    if (depth > options_.depth) {
      if (value->IsArray()) return Stylize("[Array]", kSpecial);
      return Stylize("[" + (constructor.empty() ? std::string("Object") : constructor) + "]",
                     kSpecial);
    }

    stack_.push_back(object);
    circular_.push_back(0);
    current_depth_ = depth;
    bool is_array = false;
    bool has_more_items = false;
    bool all_numbers = true;
    std::vector<std::string> entries;
    std::string start;
    const char* open = "{";
    const char* close = "}";
    if (value->IsArray()) {
      auto array = value.As<v8::Array>();
      open = "[";
      close = "]";
      is_array = true;
      if (constructor != "Array") start = constructor + "(" + std::to_string(array->Length()) + ")";
      uint32_t shown = std::min(array->Length(), options_.max_array_length);
      uint32_t holes = 0;
      auto flush_holes = [&] {
        if (holes)
          entries.push_back("<" + std::to_string(holes) + " empty item" + (holes > 1 ? "s>" : ">"));
        holes = 0;
      };
      for (uint32_t i = 0; i < shown; ++i) {
        v8::Maybe<bool> has = array->HasOwnProperty(context_, i);
        if (has.IsNothing()) break;
        if (!has.FromJust()) {
          ++holes;
          continue;
        }
        flush_holes();
        v8::Local<v8::Value> element;
        if (!array->Get(context_, i).ToLocal(&element)) break;
        if (!element->IsNumber() && !element->IsBigInt()) all_numbers = false;
        entries.push_back(FormatValue(element, depth + 1, indentation + 2));
      }
      flush_holes();
      if (holes) all_numbers = false;
      if (array->Length() > shown) {
        has_more_items = true;
        uint32_t more = array->Length() - shown;
        entries.push_back("... " + std::to_string(more) + " more item" + (more > 1 ? "s" : ""));
      }
      std::size_t element_count = entries.size();
      AppendOwnProperties(object, depth, indentation, entries, /*skip_indices=*/true);
      if (entries.size() != element_count) all_numbers = false;
    } else if (value->IsMap() || value->IsSet()) {
      bool is_map = value->IsMap();
      v8::Local<v8::Array> flat =
          is_map ? value.As<v8::Map>()->AsArray() : value.As<v8::Set>()->AsArray();
      uint32_t step = is_map ? 2 : 1;
      start = constructor + "(" + std::to_string(flat->Length() / step) + ")";
      for (uint32_t i = 0; i + step - 1 < flat->Length(); i += step) {
        v8::Local<v8::Value> first, second;
        if (!flat->Get(context_, i).ToLocal(&first)) break;
        std::string entry = FormatValue(first, depth + 1, indentation + 2);
        if (is_map) {
          if (!flat->Get(context_, i + 1).ToLocal(&second)) break;
          entry += " => " + FormatValue(second, depth + 1, indentation + 2);
        }
        entries.push_back(entry);
      }
    } else if (IsPlatformObject(object)) {
      start = constructor;
      AppendPlatformObjectAttributes(object, depth, indentation, entries);
    } else {
      v8::Local<v8::Value> prototype = object->GetPrototype();
      if (prototype->IsNull()) {
        start = "[Object: null prototype]";
      } else if (!constructor.empty() && constructor != "Object") {
        start = constructor;
      }
      AppendOwnProperties(object, depth, indentation, entries, /*skip_indices=*/false);
    }
    int reference = circular_.back();
    stack_.pop_back();
    circular_.pop_back();
    std::string result = Reduce(start, std::move(entries), open, close, depth, indentation,
                                is_array, has_more_items, all_numbers);
    if (reference) result = "<ref *" + std::to_string(reference) + "> " + result;
    return result;
  }

  v8::Local<v8::Context> context_;
  v8::Isolate* isolate_;
  InspectOptions options_;
  v8::Local<v8::Set> attribute_getters_;  // looked up at the first platform object
  bool terminated_ = false;               // a getter was terminated: format nothing more
  std::vector<v8::Local<v8::Object>> stack_;
  std::vector<int> circular_;
  int circular_count_ = 0;
  int current_depth_ = 0;  // Node's ctx.currentDepth: the depth most recently formatted
};

using Arguments = std::vector<v8::Local<v8::Value>>;

Arguments ArgumentsOf(const v8::FunctionCallbackInfo<v8::Value>& info, int first) {
  Arguments arguments;
  for (int i = first; i < info.Length(); ++i) arguments.push_back(info[i]);
  return arguments;
}

// Node's util.format (https://nodejs.org/api/util.html#utilformatformat-args).
std::string FormatArguments(v8::Local<v8::Context> context,
                            std::span<const v8::Local<v8::Value>> arguments) {
  v8::Isolate* isolate = context->GetIsolate();
  std::string out;
  std::size_t next = 0;
  if (next < arguments.size() && arguments[next]->IsString()) {
    std::string format = Utf8(isolate, arguments[next].As<v8::String>());
    ++next;
    for (std::size_t i = 0; i < format.size(); ++i) {
      if (format[i] != '%' || i + 1 == format.size()) {
        out += format[i];
        continue;
      }
      char directive = format[i + 1];
      if (directive == '%') {
        out += '%';
        ++i;
        continue;
      }
      if (std::string_view("sdifjoOc").find(directive) == std::string_view::npos ||
          next >= arguments.size()) {
        out += format[i];
        continue;
      }
      v8::Local<v8::Value> argument = arguments[next++];
      ++i;
      switch (directive) {
        case 's':
          out += argument->IsString() ? Utf8(isolate, argument.As<v8::String>())
                                      : Inspect(context, argument);
          break;
        case 'd':
        case 'i':
        case 'f': {
          double number = 0;
          if (argument->IsBigInt()) {
            out += Inspect(context, argument);
            break;
          }
          if (!argument->NumberValue(context).To(&number)) break;
          if (directive == 'i') number = std::trunc(number);
          out += Inspect(context, v8::Number::New(isolate, number));
          break;
        }
        case 'j': {
          v8::Local<v8::String> json;
          out += v8::JSON::Stringify(context, argument).ToLocal(&json) ? Utf8(isolate, json)
                                                                       : "undefined";
          break;
        }
        case 'o':
        case 'O':
          out += Inspect(context, argument);
          break;
        case 'c':
          break;  // CSS has no meaning on a terminal.
      }
    }
  }
  Inspector inspector(context);
  for (std::size_t i = next; i < arguments.size(); ++i) {
    if (!out.empty() || i > 0) out += ' ';
    out += inspector.Format(arguments[i], 0, /*top_level_string_raw=*/true);
  }
  return out;
}

int GroupIndentation(v8::Local<v8::Context> context) {
  v8::Local<v8::Value> indentation = ConsoleStateSlot(context, ConsoleSlot::kGroupIndentation);
  if (indentation.IsEmpty() || !indentation->IsInt32()) return 0;
  return indentation.As<v8::Int32>()->Value();
}

void SetGroupIndentation(v8::Local<v8::Context> context, int indentation) {
  v8::Local<v8::Array> state = ConsoleState(context);
  if (state.IsEmpty()) return;
  state
      ->CreateDataProperty(context, static_cast<uint32_t>(ConsoleSlot::kGroupIndentation),
                           v8::Integer::New(context->GetIsolate(), std::max(indentation, 0)))
      .Check();
}

void PrintLine(v8::Local<v8::Context> context, ConsoleLevel level, const std::string& line) {
  if (auto* environment = bindings::ScriptEnvironment::From(context)) {
    environment->PrintToConsole(level, line);
  }
}

// Node's kWriteToConsole: inside console.group() every line of the message is indented.
void Emit(v8::Local<v8::Context> context, ConsoleLevel level, const std::string& message) {
  int indentation = GroupIndentation(context);
  if (indentation == 0) return PrintLine(context, level, message);
  std::string prefix(static_cast<std::size_t>(indentation), ' ');
  std::string indented = prefix;
  for (char c : message) {
    indented += c;
    if (c == '\n') indented += prefix;
  }
  PrintLine(context, level, indented);
}

// Node reports misuse (an unknown label, a timer started twice) as a process warning on
// standard error; the shell has no process id to put before it.
void EmitWarning(v8::Local<v8::Context> context, const std::string& text) {
  PrintLine(context, ConsoleLevel::kWarn, "Warning: " + text);
}

void Print(const v8::FunctionCallbackInfo<v8::Value>& info, ConsoleLevel level) {
  v8::Local<v8::Context> context = info.GetIsolate()->GetCurrentContext();
  Emit(context, level, FormatArguments(context, ArgumentsOf(info, 0)));
}

template <ConsoleLevel level>
void PrintAt(const v8::FunctionCallbackInfo<v8::Value>& info) {
  Print(info, level);
}

// Console Standard §1.1.1 assert(condition, ...data), as Node words it: the first datum
// becomes "Assertion failed: <datum>" and stays the format string.
void Assert(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  if (info.Length() > 0 && info[0]->BooleanValue(isolate)) return;
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  Arguments arguments = ArgumentsOf(info, 1);
  if (arguments.empty()) {
    arguments.push_back(V8String(isolate, "Assertion failed"));
  } else {
    v8::Local<v8::String> first;
    if (!arguments[0]->ToString(context).ToLocal(&first)) return;  // a Symbol: TypeError
    arguments[0] = V8String(isolate, "Assertion failed: " + Utf8(isolate, first));
  }
  Emit(context, ConsoleLevel::kWarn, FormatArguments(context, arguments));
}

void Trace(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  std::string line = "Trace";
  if (info.Length() > 0) line += ": " + FormatArguments(context, ArgumentsOf(info, 0));
  v8::Local<v8::StackTrace> trace = v8::StackTrace::CurrentStackTrace(isolate, 10);
  for (int i = 0; i < trace->GetFrameCount(); ++i) {
    v8::Local<v8::StackFrame> frame = trace->GetFrame(isolate, i);
    // Top-level code has no function name, eval'd code no script name (empty handles).
    v8::Local<v8::String> function_name = frame->GetFunctionName();
    v8::Local<v8::String> script_name = frame->GetScriptName();
    std::string function = function_name.IsEmpty() ? "" : Utf8(isolate, function_name);
    std::string where = (script_name.IsEmpty() ? "<anonymous>" : Utf8(isolate, script_name)) + ":" +
                        std::to_string(frame->GetLineNumber()) + ":" +
                        std::to_string(frame->GetColumn());
    line += "\n    at " + (function.empty() ? where : function + " (" + where + ")");
  }
  Emit(context, ConsoleLevel::kError, line);
}

// Console Standard §1.1.2 dir(item, options): util.inspect of the item alone, with Node's
// options.depth (a number, or null for no limit).
void Dir(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  InspectOptions options;
  if (info.Length() > 1 && info[1]->IsObject()) {
    v8::Local<v8::Value> depth;
    if (!info[1].As<v8::Object>()->Get(context, V8String(isolate, "depth")).ToLocal(&depth)) {
      return;
    }
    if (depth->IsNull()) {
      options.depth = kUnlimitedDepth;
    } else if (depth->IsNumber() && !std::isnan(depth.As<v8::Number>()->Value())) {
      double value = std::floor(depth.As<v8::Number>()->Value());
      options.depth =
          value >= kUnlimitedDepth ? kUnlimitedDepth : static_cast<int>(std::max(value, -1.0));
    }
  }
  v8::Local<v8::Value> item = info.Length() > 0 ? info[0] : v8::Undefined(isolate).As<v8::Value>();
  Emit(context, ConsoleLevel::kLog,
       Inspector(context, options).Format(item, 0, /*top_level_string_raw=*/false));
}

// The label of count/countReset/time/timeLog/timeEnd: `${label}`, "default" when omitted.
// Empty when converting it threw.
std::optional<std::string> Label(const v8::FunctionCallbackInfo<v8::Value>& info) {
  if (info.Length() == 0 || info[0]->IsUndefined()) return "default";
  v8::Local<v8::String> text;
  if (!info[0]->ToString(info.GetIsolate()->GetCurrentContext()).ToLocal(&text)) return {};
  return Utf8(info.GetIsolate(), text);
}

v8::Local<v8::Map> StateMap(v8::Local<v8::Context> context, ConsoleSlot slot) {
  v8::Local<v8::Value> map = ConsoleStateSlot(context, slot);
  return !map.IsEmpty() && map->IsMap() ? map.As<v8::Map>() : v8::Local<v8::Map>();
}

// Console Standard §1.2.1 count(label) and §1.2.2 countReset(label).
void Count(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  std::optional<std::string> label = Label(info);
  v8::Local<v8::Map> counts = StateMap(context, ConsoleSlot::kCounts);
  if (!label || counts.IsEmpty()) return;
  v8::Local<v8::String> key = V8String(isolate, *label);
  v8::Local<v8::Value> previous;
  double count = 1;
  if (counts->Get(context, key).ToLocal(&previous) && previous->IsNumber()) {
    count += previous.As<v8::Number>()->Value();
  }
  if (counts->Set(context, key, v8::Number::New(isolate, count)).IsEmpty()) return;
  Emit(context, ConsoleLevel::kLog,
       *label + ": " + Inspect(context, v8::Number::New(isolate, count)));
}

void CountReset(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Local<v8::Context> context = info.GetIsolate()->GetCurrentContext();
  std::optional<std::string> label = Label(info);
  v8::Local<v8::Map> counts = StateMap(context, ConsoleSlot::kCounts);
  if (!label || counts.IsEmpty()) return;
  if (!counts->Delete(context, V8String(info.GetIsolate(), *label)).FromMaybe(false)) {
    EmitWarning(context, "Count for '" + *label + "' does not exist");
  }
}

double NowMilliseconds() {
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Node's formatTime: "1.234ms" (at most three decimals, trailing zeros dropped), "1.234s",
// "1:02.345 (m:ss.mmm)", "1:02:03.456 (h:mm:ss.mmm)".
std::string FormatDuration(double milliseconds) {
  constexpr double kSecond = 1000, kMinute = 60 * kSecond, kHour = 60 * kMinute;
  char text[64];
  if (milliseconds < kSecond) {
    std::snprintf(text, sizeof text, "%.3f", milliseconds);
    std::string fixed = text;
    fixed.erase(fixed.find_last_not_of('0') + 1);
    if (fixed.back() == '.') fixed.pop_back();
    return fixed + "ms";
  }
  long long hours = 0, minutes = 0;
  double rest = milliseconds;
  if (rest >= kMinute) {
    if (rest >= kHour) {
      hours = static_cast<long long>(std::floor(rest / kHour));
      rest = std::fmod(rest, kHour);
    }
    minutes = static_cast<long long>(std::floor(rest / kMinute));
    rest = std::fmod(rest, kMinute);
  }
  double seconds = rest / kSecond;
  if (hours == 0 && minutes == 0) {
    std::snprintf(text, sizeof text, "%.3fs", seconds);
    return text;
  }
  std::snprintf(text, sizeof text, "%06.3f", seconds);  // "ss.mmm"
  std::string clock =
      hours ? std::to_string(hours) + ":" + (minutes < 10 ? "0" : "") + std::to_string(minutes)
            : std::to_string(minutes);
  return clock + ":" + text + (hours ? " (h:mm:ss.mmm)" : " (m:ss.mmm)");
}

// Console Standard §1.4 timers: time(label), timeLog(label, ...data), timeEnd(label).
void Time(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  std::optional<std::string> label = Label(info);
  v8::Local<v8::Map> timers = StateMap(context, ConsoleSlot::kTimers);
  if (!label || timers.IsEmpty()) return;
  v8::Local<v8::String> key = V8String(isolate, *label);
  if (timers->Has(context, key).FromMaybe(false)) {
    EmitWarning(context, "Label '" + *label + "' already exists for console.time()");
    return;
  }
  v8::Local<v8::Map> ignored;
  if (!timers->Set(context, key, v8::Number::New(isolate, NowMilliseconds())).ToLocal(&ignored)) {
    return;
  }
}

enum class TimerEnd { kKeep, kEnd };

void LogTimer(const v8::FunctionCallbackInfo<v8::Value>& info, TimerEnd end, const char* method) {
  v8::Isolate* isolate = info.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  std::optional<std::string> label = Label(info);
  v8::Local<v8::Map> timers = StateMap(context, ConsoleSlot::kTimers);
  if (!label || timers.IsEmpty()) return;
  v8::Local<v8::String> key = V8String(isolate, *label);
  v8::Local<v8::Value> start;
  if (!timers->Has(context, key).FromMaybe(false) || !timers->Get(context, key).ToLocal(&start) ||
      !start->IsNumber()) {
    EmitWarning(context, "No such label '" + *label + "' for console." + method + "()");
    return;
  }
  std::string duration = FormatDuration(NowMilliseconds() - start.As<v8::Number>()->Value());
  if (end == TimerEnd::kEnd && timers->Delete(context, key).IsNothing()) return;
  // util.format('%s: %s', label, duration, ...data), as Node logs it.
  Arguments arguments = {V8String(isolate, "%s: %s"), key, V8String(isolate, duration)};
  if (end == TimerEnd::kKeep) {
    for (int i = 1; i < info.Length(); ++i) arguments.push_back(info[i]);
  }
  Emit(context, ConsoleLevel::kLog, FormatArguments(context, arguments));
}

void TimeLog(const v8::FunctionCallbackInfo<v8::Value>& info) {
  LogTimer(info, TimerEnd::kKeep, "timeLog");
}

void TimeEnd(const v8::FunctionCallbackInfo<v8::Value>& info) {
  LogTimer(info, TimerEnd::kEnd, "timeEnd");
}

// Console Standard §1.3 grouping: group(...data) and groupCollapsed(...data) print their data
// (when any) and indent what follows by two spaces, as Node does; groupEnd() undoes one.
constexpr int kGroupIndentationWidth = 2;

void Group(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Local<v8::Context> context = info.GetIsolate()->GetCurrentContext();
  if (info.Length() > 0) Print(info, ConsoleLevel::kLog);
  SetGroupIndentation(context, GroupIndentation(context) + kGroupIndentationWidth);
}

void GroupEnd(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Local<v8::Context> context = info.GetIsolate()->GetCurrentContext();
  SetGroupIndentation(context, GroupIndentation(context) - kGroupIndentationWidth);
}

// Console Standard §1.1.1 clear(): empties the group stack. (A terminal is not cleared: the
// shell's output is usually a file or a pipe, where Node does nothing either.)
void Clear(const v8::FunctionCallbackInfo<v8::Value>& info) {
  SetGroupIndentation(info.GetIsolate()->GetCurrentContext(), 0);
}

// --- console.table (Node's lib/internal/console/constructor.js and cli_table.js) ------------

// Node's getStringWidth: columns a cell takes on a terminal (East Asian wide characters two,
// combining marks none).
std::size_t StringWidth(std::string_view text) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < text.size();) {
    auto byte = static_cast<unsigned char>(text[i]);
    std::size_t length = byte < 0x80 ? 1 : byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4;
    char32_t code = length == 1 ? byte : byte & (0x3F >> (length - 1));
    for (std::size_t j = 1; j < length && i + j < text.size(); ++j) {
      code = (code << 6) | (static_cast<unsigned char>(text[i + j]) & 0x3F);
    }
    i += length;
    bool zero_width = (code >= 0x300 && code <= 0x36F) || (code >= 0x200B && code <= 0x200F) ||
                      (code >= 0x20D0 && code <= 0x20FF) || (code >= 0xFE00 && code <= 0xFE0F) ||
                      (code >= 0xFE20 && code <= 0xFE2F);
    bool full_width =
        code >= 0x1100 &&
        (code <= 0x115F || code == 0x2329 || code == 0x232A ||
         (code >= 0x2E80 && code <= 0x3247 && code != 0x303F) ||
         (code >= 0x3250 && code <= 0x4DBF) || (code >= 0x4E00 && code <= 0xA4C6) ||
         (code >= 0xA960 && code <= 0xA97C) || (code >= 0xAC00 && code <= 0xD7A3) ||
         (code >= 0xF900 && code <= 0xFAFF) || (code >= 0xFE10 && code <= 0xFE19) ||
         (code >= 0xFE30 && code <= 0xFE6B) || (code >= 0xFF01 && code <= 0xFF60) ||
         (code >= 0xFFE0 && code <= 0xFFE6) || (code >= 0x1B000 && code <= 0x1B001) ||
         (code >= 0x1F200 && code <= 0x1F251) || (code >= 0x1F300 && code <= 0x1F64F) ||
         (code >= 0x20000 && code <= 0x3FFFD));
    width += zero_width ? 0 : full_width ? 2 : 1;
  }
  return width;
}

using TableColumn = std::vector<std::optional<std::string>>;  // a missing cell is blank

std::string RenderTable(const std::vector<std::string>& head,
                        const std::vector<TableColumn>& columns) {
  std::vector<std::size_t> widths;
  std::size_t rows = 0;
  for (std::size_t i = 0; i < head.size(); ++i) {
    widths.push_back(StringWidth(head[i]));
    rows = std::max(rows, columns[i].size());
  }
  auto cell = [&](std::size_t column, std::size_t row) -> std::string {
    return row < columns[column].size() && columns[column][row] ? *columns[column][row] : "";
  };
  for (std::size_t i = 0; i < head.size(); ++i) {
    for (std::size_t j = 0; j < rows; ++j) widths[i] = std::max(widths[i], StringWidth(cell(i, j)));
  }
  auto render_row = [&](const std::vector<std::string>& row) {
    std::string out = "│ ";
    for (std::size_t i = 0; i < row.size(); ++i) {
      out += row[i] + std::string(widths[i] - StringWidth(row[i]), ' ');
      if (i + 1 != row.size()) out += " │ ";
    }
    return out + " │";
  };
  auto divider = [&](const char* left, const char* middle, const char* right) {
    std::string out = left;
    for (std::size_t i = 0; i < widths.size(); ++i) {
      if (i) out += middle;
      for (std::size_t k = 0; k < widths[i] + 2; ++k) out += "─";
    }
    return out + right;
  };
  std::string result =
      divider("┌", "┬", "┐") + "\n" + render_row(head) + "\n" + divider("├", "┼", "┤") + "\n";
  for (std::size_t j = 0; j < rows; ++j) {
    std::vector<std::string> row;
    for (std::size_t i = 0; i < head.size(); ++i) row.push_back(cell(i, j));
    result += render_row(row) + "\n";
  }
  return result + divider("└", "┴", "┘");
}

// Object.keys(value).
std::vector<v8::Local<v8::String>> OwnKeys(v8::Local<v8::Context> context,
                                           v8::Local<v8::Object> object) {
  std::vector<v8::Local<v8::String>> keys;
  v8::Local<v8::Array> names;
  if (!object
           ->GetOwnPropertyNames(
               context, static_cast<v8::PropertyFilter>(v8::ONLY_ENUMERABLE | v8::SKIP_SYMBOLS),
               v8::KeyConversionMode::kConvertToString)
           .ToLocal(&names)) {
    return keys;
  }
  for (uint32_t i = 0; i < names->Length(); ++i) {
    v8::Local<v8::Value> name;
    if (names->Get(context, i).ToLocal(&name) && name->IsString()) {
      keys.push_back(name.As<v8::String>());
    }
  }
  return keys;
}

// Console Standard §1.1.2 table(tabularData, properties), laid out as Node lays it out.
void Table(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  std::optional<std::vector<v8::Local<v8::String>>> properties;
  if (info.Length() > 1 && !info[1]->IsUndefined()) {
    if (!info[1]->IsArray()) {
      isolate->ThrowException(v8::Exception::TypeError(
          V8String(isolate, "The \"properties\" argument must be an instance of Array")));
      return;
    }
    auto array = info[1].As<v8::Array>();
    properties.emplace();
    for (uint32_t i = 0; i < array->Length(); ++i) {
      v8::Local<v8::Value> element;
      v8::Local<v8::String> name;
      if (!array->Get(context, i).ToLocal(&element) || !element->ToString(context).ToLocal(&name)) {
        return;
      }
      properties->push_back(name);
    }
  }
  v8::Local<v8::Value> data = info.Length() > 0 ? info[0] : v8::Undefined(isolate).As<v8::Value>();
  if (!data->IsObject() || data->IsFunction()) {
    Arguments only_data = {data};
    Emit(context, ConsoleLevel::kLog, FormatArguments(context, only_data));
    return;
  }
  // Cells: objects with more than two keys shrink to [Object], arrays show three elements.
  auto inspect_cell = [&](v8::Local<v8::Value> value) {
    InspectOptions options{
        .depth = 0, .max_array_length = 3, .break_length = std::numeric_limits<double>::infinity()};
    if (value->IsObject() && !value->IsFunction() && !value->IsArray() &&
        OwnKeys(context, value.As<v8::Object>()).size() > 2) {
      options.depth = -1;
    }
    return Inspector(context, options).Format(value, 0, /*top_level_string_raw=*/false);
  };
  auto index_column = [&](std::size_t length) {
    TableColumn column;
    for (std::size_t i = 0; i < length; ++i) column.push_back(std::to_string(i));
    return column;
  };

  if (data->IsMap() || data->IsSet()) {
    bool is_map = data->IsMap();
    v8::Local<v8::Array> flat =
        is_map ? data.As<v8::Map>()->AsArray() : data.As<v8::Set>()->AsArray();
    uint32_t step = is_map ? 2 : 1;
    TableColumn keys, values;
    for (uint32_t i = 0; i + step - 1 < flat->Length(); i += step) {
      v8::Local<v8::Value> first, second;
      if (!flat->Get(context, i).ToLocal(&first)) return;
      if (is_map) {
        if (!flat->Get(context, i + 1).ToLocal(&second)) return;
        keys.push_back(inspect_cell(first));
        values.push_back(inspect_cell(second));
      } else {
        values.push_back(inspect_cell(first));
      }
    }
    std::size_t length = values.size();
    if (is_map) {
      Emit(context, ConsoleLevel::kLog,
           RenderTable({"(iteration index)", "Key", "Values"},
                       {index_column(length), keys, values}));
    } else {
      Emit(context, ConsoleLevel::kLog,
           RenderTable({"(iteration index)", "Values"}, {index_column(length), values}));
    }
    return;
  }

  auto tabular = data.As<v8::Object>();
  std::vector<v8::Local<v8::String>> index_keys = OwnKeys(context, tabular);
  // Node collects columns in an object with a null prototype: its keys come out as any
  // object's do (integer-like ones first, ascending), so ours are ordered by one too.
  v8::Local<v8::Object> column_order =
      v8::Object::New(isolate, v8::Null(isolate), nullptr, nullptr, 0);
  std::map<std::string, TableColumn> columns_by_key;
  TableColumn values(index_keys.size());
  bool has_primitives = false;
  for (std::size_t i = 0; i < index_keys.size(); ++i) {
    v8::Local<v8::Value> item;
    if (!tabular->Get(context, index_keys[i]).ToLocal(&item)) return;
    bool primitive = !item->IsObject();
    if (!properties && primitive) {
      has_primitives = true;
      values[i] = inspect_cell(item);
      continue;
    }
    std::vector<v8::Local<v8::String>> keys =
        properties ? *properties : OwnKeys(context, item.As<v8::Object>());
    for (v8::Local<v8::String> key : keys) {
      if (column_order->Set(context, key, v8::True(isolate)).IsNothing()) return;
      TableColumn& column = columns_by_key[Utf8(isolate, key)];
      column.resize(i + 1);
      bool has = !primitive && item.As<v8::Object>()->HasOwnProperty(context, key).FromMaybe(false);
      v8::Local<v8::Value> cell;
      if (!has) {
        column[i] = "";
      } else if (item.As<v8::Object>()->Get(context, key).ToLocal(&cell)) {
        column[i] = inspect_cell(cell);
      } else {
        return;
      }
    }
  }
  std::vector<std::string> head = {"(index)"};
  std::vector<TableColumn> columns;
  TableColumn index;
  for (v8::Local<v8::String> key : index_keys) index.push_back(Utf8(isolate, key));
  columns.push_back(std::move(index));
  for (v8::Local<v8::String> key : OwnKeys(context, column_order)) {
    std::string name = Utf8(isolate, key);
    head.push_back(name);
    columns.push_back(columns_by_key[name]);
  }
  if (has_primitives) {
    head.push_back("Values");
    columns.push_back(std::move(values));
  }
  Emit(context, ConsoleLevel::kLog, RenderTable(head, columns));
}

// DevTools (issue 16): V8's own console method of the same name (the function's data) reports
// the call to the inspector, which sends Runtime.consoleAPICalled with the arguments as
// objects and the caller's stack. Called first: V8's builtins run no script, ours may throw.
template <v8::FunctionCallback print>
void PrintAndReportToInspector(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Local<v8::Context> context = info.GetIsolate()->GetCurrentContext();
  Page* page = Page::From(context);
  if (page && page->inspector() && info.Data()->IsFunction()) {
    std::vector<v8::Local<v8::Value>> arguments;
    arguments.reserve(static_cast<std::size_t>(info.Length()));
    for (int i = 0; i < info.Length(); ++i) arguments.push_back(info[i]);
    v8::Local<v8::Value> ignored;
    if (!info.Data()
             .As<v8::Function>()
             ->Call(context, info.This(), info.Length(), arguments.data())
             .ToLocal(&ignored)) {
      return;  // terminated: let the exception go on
    }
  }
  print(info);
}

// The getters of every platform object attribute (the interfaces' prototype objects, their
// [LegacyUnforgeable] instance attributes, the global object's own), taken before any script
// runs: console formatting calls only these (see Inspector::IsAttributeGetter).
v8::Local<v8::Set> SnapshotAttributeGetters(v8::Local<v8::Context> context) {
  v8::Isolate* isolate = context->GetIsolate();
  v8::Local<v8::Set> getters = v8::Set::New(isolate);
  auto add = [&](v8::Local<v8::Value> getter) {
    v8::Local<v8::Set> ignored;
    if (getter->IsFunction() && !getters->Add(context, getter).ToLocal(&ignored)) return;
  };
  auto add_accessors_of = [&](v8::Local<v8::Object> holder) {
    v8::Local<v8::Array> names;
    if (!holder
             ->GetOwnPropertyNames(
                 context, static_cast<v8::PropertyFilter>(v8::ALL_PROPERTIES | v8::SKIP_SYMBOLS))
             .ToLocal(&names)) {
      return;
    }
    for (uint32_t i = 0; i < names->Length(); ++i) {
      v8::Local<v8::Value> name, descriptor, getter;
      if (names->Get(context, i).ToLocal(&name) && name->IsName() &&
          holder->GetOwnPropertyDescriptor(context, name.As<v8::Name>()).ToLocal(&descriptor) &&
          descriptor->IsObject() &&
          descriptor.As<v8::Object>()->Get(context, V8String(isolate, "get")).ToLocal(&getter)) {
        add(getter);
      }
    }
  };
  bindings::PerIsolateData& data = bindings::PerIsolateData::Ensure(isolate);
  std::vector<const bindings::WrapperTypeInfo*> interfaces(bindings::ExposedInterfaces().begin(),
                                                           bindings::ExposedInterfaces().end());
  interfaces.push_back(&bindings::DOMException::wrapper_type_info);
  std::set<const bindings::WrapperTypeInfo*> done;
  for (const bindings::WrapperTypeInfo* type : interfaces) {
    for (; type && done.insert(type).second; type = type->parent) {
      v8::Local<v8::Function> interface_object;
      v8::Local<v8::Value> prototype;
      if (data.InterfaceTemplate(*type)->GetFunction(context).ToLocal(&interface_object) &&
          interface_object->Get(context, V8String(isolate, "prototype")).ToLocal(&prototype) &&
          prototype->IsObject()) {
        add_accessors_of(prototype.As<v8::Object>());
      }
      for (const auto& accessor : data.InstanceAccessors(*type)) {
        v8::Local<v8::Function> getter;
        if (!accessor.getter.IsEmpty() &&
            accessor.getter.Get(isolate)->GetFunction(context).ToLocal(&getter)) {
          add(getter);
        }
      }
    }
  }
  add_accessors_of(context->Global());
  return getters;
}

}  // namespace

std::string Inspect(v8::Local<v8::Context> context, v8::Local<v8::Value> value,
                    InspectColors colors) {
  InspectOptions options;
  options.colors = colors;
  return Inspector(context, options).Format(value, 0, /*top_level_string_raw=*/false);
}

std::string FormatConsoleArguments(v8::Local<v8::Context> context,
                                   const v8::FunctionCallbackInfo<v8::Value>& arguments,
                                   int first_argument) {
  return FormatArguments(context, ArgumentsOf(arguments, first_argument));
}

void InstallConsole(v8::Local<v8::Context> context) {
  v8::Isolate* isolate = context->GetIsolate();
  v8::Local<v8::Object> console = v8::Object::New(isolate);
  // V8's builtin console (every context has one), which ours replaces but calls when the page
  // is inspected.
  v8::Local<v8::Value> builtin_console;
  if (!context->Global()->Get(context, V8String(isolate, "console")).ToLocal(&builtin_console) ||
      !builtin_console->IsObject()) {
    builtin_console = v8::Undefined(isolate);
  }
  v8::Local<v8::Array> state = v8::Array::New(isolate, static_cast<int>(ConsoleSlot::kCount));
  auto set_slot = [&](ConsoleSlot slot, v8::Local<v8::Value> value) {
    state->CreateDataProperty(context, static_cast<uint32_t>(slot), value).Check();
  };
  set_slot(ConsoleSlot::kCounts, v8::Map::New(isolate));
  set_slot(ConsoleSlot::kTimers, v8::Map::New(isolate));
  set_slot(ConsoleSlot::kGroupIndentation, v8::Integer::New(isolate, 0));
  set_slot(ConsoleSlot::kAttributeGetters, SnapshotAttributeGetters(context));
  context->Global()->SetPrivate(context, ConsoleStateKey(isolate), state).Check();

  auto define = [&](const char* name, v8::FunctionCallback callback) {
    v8::Local<v8::Value> builtin = v8::Undefined(isolate);
    if (builtin_console->IsObject() && !builtin_console.As<v8::Object>()
                                            ->Get(context, V8String(isolate, name))
                                            .ToLocal(&builtin)) {
      builtin = v8::Undefined(isolate);
    }
    v8::Local<v8::Function> function;
    if (!v8::Function::New(context, callback, builtin, 0, v8::ConstructorBehavior::kThrow)
             .ToLocal(&function)) {
      return;
    }
    function->SetName(V8String(isolate, name));
    console->CreateDataProperty(context, V8String(isolate, name), function).Check();
  };
  // Console Standard §1.1 logging: log/info/debug/dir/dirxml/table to standard output,
  // error/warn/trace/assert to standard error (the page's ConsoleSink decides by level).
  define("log", &PrintAndReportToInspector<&PrintAt<ConsoleLevel::kLog>>);
  define("info", &PrintAndReportToInspector<&PrintAt<ConsoleLevel::kInfo>>);
  define("warn", &PrintAndReportToInspector<&PrintAt<ConsoleLevel::kWarn>>);
  define("error", &PrintAndReportToInspector<&PrintAt<ConsoleLevel::kError>>);
  define("debug", &PrintAndReportToInspector<&PrintAt<ConsoleLevel::kDebug>>);
  define("assert", &PrintAndReportToInspector<&Assert>);
  define("trace", &PrintAndReportToInspector<&Trace>);
  define("dir", &PrintAndReportToInspector<&Dir>);
  define("dirxml", &PrintAndReportToInspector<&PrintAt<ConsoleLevel::kLog>>);
  define("table", &PrintAndReportToInspector<&Table>);
  define("clear", &PrintAndReportToInspector<&Clear>);
  // §1.2 counting, §1.3 grouping, §1.4 timing.
  define("count", &PrintAndReportToInspector<&Count>);
  define("countReset", &PrintAndReportToInspector<&CountReset>);
  define("group", &PrintAndReportToInspector<&Group>);
  define("groupCollapsed", &PrintAndReportToInspector<&Group>);
  define("groupEnd", &PrintAndReportToInspector<&GroupEnd>);
  define("time", &PrintAndReportToInspector<&Time>);
  define("timeLog", &PrintAndReportToInspector<&TimeLog>);
  define("timeEnd", &PrintAndReportToInspector<&TimeEnd>);
  // Like every namespace object: writable, non-enumerable, configurable on the global.
  context->Global()
      ->DefineOwnProperty(context, V8String(isolate, "console"), console, v8::DontEnum)
      .Check();
}

}  // namespace switchboard
