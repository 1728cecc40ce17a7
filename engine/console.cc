#include "engine/console.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <vector>

#include "bindings/script_environment.h"
#include "engine/page.h"
#include "engine/v8_strings.h"

namespace switchboard {

namespace {

using bindings::ConsoleLevel;

constexpr int kMaxDepth = 2;         // Node's default inspect depth.
constexpr double kBreakLength = 80;  // Node's console breakLength
constexpr uint32_t kMaxArrayItems = 100;

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
  explicit Inspector(v8::Local<v8::Context> context, InspectColors colors = InspectColors::kNone)
      : context_(context), isolate_(context->GetIsolate()), colors_(colors) {}

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
    if (colors_ == InspectColors::kNone) return text;
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
    if (!(actual_max * 3 + indentation < kBreakLength &&
          (static_cast<double>(total_length) / actual_max > 5 || max_length <= 6))) {
      return output;
    }
    double average_bias = std::sqrt(actual_max - static_cast<double>(total_length) /
                                                     static_cast<double>(output.size()));
    double biased_max = std::max(actual_max - 3 - average_bias, 1.0);
    double columns = std::min(
        {std::round(std::sqrt(2.5 * biased_max * static_cast<double>(output_length)) / biased_max),
         std::floor((kBreakLength - indentation) / actual_max), 3.0 * 4, 15.0});
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
      bool below = total + output.size() <= kBreakLength;
      for (std::size_t i = 0; below && i < output.size(); ++i) {
        total += VisibleLength(output[i]);
        below = total <= kBreakLength;
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

  std::string FormatValue(v8::Local<v8::Value> value, int depth, int indentation) {
    if (!value->IsObject()) return FormatPrimitive(value);
    auto object = value.As<v8::Object>();
    if (value->IsFunction()) return FormatFunction(value.As<v8::Function>());
    if (value->IsNativeError()) return ErrorStack(object);
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
    if (depth > kMaxDepth) {
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
      uint32_t shown = std::min(array->Length(), kMaxArrayItems);
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
  InspectColors colors_;
  std::vector<v8::Local<v8::Object>> stack_;
  std::vector<int> circular_;
  int circular_count_ = 0;
  int current_depth_ = 0;  // Node's ctx.currentDepth: the depth most recently formatted
};

void Print(const v8::FunctionCallbackInfo<v8::Value>& info, ConsoleLevel level) {
  v8::Local<v8::Context> context = info.GetIsolate()->GetCurrentContext();
  std::string line = FormatConsoleArguments(context, info);
  if (auto* environment = bindings::ScriptEnvironment::From(context)) {
    environment->PrintToConsole(level, line);
  }
}

void Assert(const v8::FunctionCallbackInfo<v8::Value>& info) {
  if (info.Length() > 0 && info[0]->BooleanValue(info.GetIsolate())) return;
  v8::Local<v8::Context> context = info.GetIsolate()->GetCurrentContext();
  std::string line = "Assertion failed";
  if (info.Length() > 1) line += ": " + FormatConsoleArguments(context, info, 1);
  if (auto* environment = bindings::ScriptEnvironment::From(context)) {
    environment->PrintToConsole(ConsoleLevel::kError, line);
  }
}

void Trace(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  std::string line = "Trace";
  if (info.Length() > 0) line += ": " + FormatConsoleArguments(context, info);
  v8::Local<v8::StackTrace> trace = v8::StackTrace::CurrentStackTrace(isolate, 10);
  for (int i = 0; i < trace->GetFrameCount(); ++i) {
    v8::Local<v8::StackFrame> frame = trace->GetFrame(isolate, i);
    std::string function = Utf8(isolate, frame->GetFunctionName());
    std::string where = Utf8(isolate, frame->GetScriptName()) + ":" +
                        std::to_string(frame->GetLineNumber()) + ":" +
                        std::to_string(frame->GetColumn());
    line += "\n    at " + (function.empty() ? where : function + " (" + where + ")");
  }
  if (auto* environment = bindings::ScriptEnvironment::From(context)) {
    environment->PrintToConsole(ConsoleLevel::kError, line);
  }
}

template <ConsoleLevel level>
void PrintAt(const v8::FunctionCallbackInfo<v8::Value>& info) {
  Print(info, level);
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

}  // namespace

std::string Inspect(v8::Local<v8::Context> context, v8::Local<v8::Value> value,
                    InspectColors colors) {
  return Inspector(context, colors).Format(value, 0, /*top_level_string_raw=*/false);
}

// Node's util.format (https://nodejs.org/api/util.html#utilformatformat-args).
std::string FormatConsoleArguments(v8::Local<v8::Context> context,
                                   const v8::FunctionCallbackInfo<v8::Value>& arguments,
                                   int first_argument) {
  v8::Isolate* isolate = context->GetIsolate();
  std::string out;
  int next = first_argument;
  if (next < arguments.Length() && arguments[next]->IsString()) {
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
          next >= arguments.Length()) {
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
  for (int i = next; i < arguments.Length(); ++i) {
    if (!out.empty() || i > first_argument) out += ' ';
    out += inspector.Format(arguments[i], 0, /*top_level_string_raw=*/true);
  }
  return out;
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
  define("log", &PrintAndReportToInspector<&PrintAt<ConsoleLevel::kLog>>);
  define("info", &PrintAndReportToInspector<&PrintAt<ConsoleLevel::kInfo>>);
  define("warn", &PrintAndReportToInspector<&PrintAt<ConsoleLevel::kWarn>>);
  define("error", &PrintAndReportToInspector<&PrintAt<ConsoleLevel::kError>>);
  define("debug", &PrintAndReportToInspector<&PrintAt<ConsoleLevel::kDebug>>);
  define("assert", &PrintAndReportToInspector<&Assert>);
  define("trace", &PrintAndReportToInspector<&Trace>);
  // Like every namespace object: writable, non-enumerable, configurable on the global.
  context->Global()
      ->DefineOwnProperty(context, V8String(isolate, "console"), console, v8::DontEnum)
      .Check();
}

}  // namespace switchboard
