// Value: what crosses between page script and the embedder's C++ — undefined, null, booleans,
// numbers, strings and BigInts by value; objects, arrays, functions, promises and symbols as
// a Handle on the script value itself; and C++ containers (Array, Dictionary) that become
// new script arrays and objects when they cross into script.
//
// Script to C++ (Evaluate's value, DefineFunction's arguments, Handle::Get, …):
//   undefined → Undefined   null → Null   boolean → bool   number → double
//   string → std::string (UTF-8)   bigint → BigInt (its decimal digits, never rounded)
//   object, array, function, promise, symbol → Handle (the same script value, not a copy)
// C++ to script (DefineFunction's result, DefineValue, Handle::Set, Page::Call's arguments,
// PromiseResolver::Resolve, …): the same in reverse, plus
//   Array → a new script array; Dictionary → a new plain object with those own properties
//   in that order (nested containers become nested arrays and objects).
// A Handle copied out of script stays a Handle: Handle::ToArray/ToDictionary copy one level
// into containers, Handle::ToContainers every level (see there).
//
// Thread: Value, Array, Dictionary and BigInt are plain C++ values, usable anywhere. A Handle
// may be copied, moved and destroyed on any thread, and its kind() and alive() read from any
// thread; everything else it does runs on its page's thread only. A PromiseResolver's Resolve
// and Reject may be called from any thread; promise() only on its page's thread.
// Ownership and lifetime: a Handle keeps its script value alive (a v8::Global inside) while
// the Handle or a copy of it exists and its page lives. Destroying the Page releases every
// script value its handles hold; afterwards each call on such a Handle throws Error ("… its
// page is gone"), and so does any call on another thread ("… not on its page's thread") —
// neither ever touches V8. A Handle belongs to one page: giving it to another page's
// calls throws Error.
#pragma once

#include <concepts>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "switchboard/export.h"

namespace switchboard::embed {

struct Undefined {
  bool operator==(const Undefined&) const = default;
};
struct Null {
  bool operator==(const Null&) const = default;
};

// A script BigInt as its decimal digits: an optional '-' then at least one digit ("10",
// "-123456789012345678901234567890"), arbitrary size. Going into script, anything else
// throws Error.
struct BigInt {
  std::string decimal;
  bool operator==(const BigInt&) const = default;
  // The value when it fits in an int64_t; nullopt otherwise (or when `decimal` is malformed).
  SWITCHBOARD_EXPORT std::optional<std::int64_t> ToInt64() const;
  static BigInt FromInt64(std::int64_t value) { return BigInt{std::to_string(value)}; }
};

class Value;
class Handle;

// A C++ array: becomes a new script array when it crosses into script.
using Array = std::vector<Value>;
// A C++ object: own properties in order; becomes a new plain script object when it crosses
// into script (a later duplicate key wins). From a std::map: Dictionary(map.begin(), map.end()).
using Dictionary = std::vector<std::pair<std::string, Value>>;

// A script object, array, function, promise or symbol, tied to the page it came from (see the
// top of this file for threads and lifetime). Copies refer to the same script value. A
// default-constructed Handle refers to nothing: its calls throw Error.
class SWITCHBOARD_EXPORT Handle {
 public:
  enum class Kind { kObject, kArray, kFunction, kPromise, kSymbol };
  enum class PromiseState { kPending, kFulfilled, kRejected };

  Handle() = default;

  // Any thread. What the script value is (kObject for anything not listed: errors, dates,
  // maps, …). Throws Error for an empty Handle.
  Kind kind() const;
  // Any thread. Whether the Handle refers to a value and its page still exists.
  bool alive() const;

  // Page thread. The property `key` (or `index`), as script's value[key] would read it
  // (getters run). A script exception there throws ScriptError with its description.
  Value Get(std::string_view key) const;
  Value Get(std::uint32_t index) const;
  // Page thread. value[key] = `value` (setters run; ScriptError as for Get).
  void Set(std::string_view key, const Value& value) const;
  void Set(std::uint32_t index, const Value& value) const;
  // Page thread. Object.keys(value): own enumerable string keys, in script's order.
  std::vector<std::string> Keys() const;

  // Page thread. One level copied into a container; nested objects stay Handles.
  //   ToArray: elements 0 … length-1 of an array (or any object with a length);
  //   ToDictionary: the properties Keys() names, in that order.
  Array ToArray() const;
  Dictionary ToDictionary() const;
  // Page thread. Every level: arrays become Array and other objects (not functions,
  // promises or symbols, which stay Handles) Dictionary, recursively. An object that
  // contains itself throws Error; so does nesting deeper than 1000 levels.
  Value ToContainers() const;

  // Page thread. JSON.stringify of the value (what Evaluate returned for objects before
  // Handles existed); nullopt when JSON has no text for it (a function, a symbol).
  // JSON.stringify's exceptions (a cycle, a BigInt inside) throw ScriptError.
  std::optional<std::string> ToJson() const;
  // Page thread. How Node's util.inspect shows it ("{ a: 1 }", "[Function: f]").
  std::string Inspect() const;

  // Page thread, kind() == kPromise (Error otherwise). Its state, and its value or reason
  // (Undefined while pending).
  PromiseState promise_state() const;
  Value promise_result() const;

  // Whether both refer to the same script value (script's ===). Two empty Handles are equal;
  // Handles whose page is gone are equal only to their own copies. Page thread for handles
  // made separately (Error otherwise).
  bool operator==(const Handle& other) const;

  struct State;  // the engine's; not part of the API

 private:
  explicit Handle(std::shared_ptr<State> state) : state_(std::move(state)) {}
  std::shared_ptr<State> state_;
  friend struct HandleAccess;
};

using ValueVariant =
    std::variant<Undefined, Null, bool, double, std::string, BigInt, Handle, Array, Dictionary>;

// A std::variant (std::get, std::holds_alternative and std::visit work on it), with integer
// and C-string conversions added: an integer (not bool or a character type) becomes a
// double (exact up to 2^53).
class Value : public ValueVariant {
 public:
  using ValueVariant::ValueVariant;
  using ValueVariant::operator=;
  Value() = default;
  template <std::integral Integer>
  requires(!std::same_as<Integer, bool> && !std::same_as<Integer, char> &&
           !std::same_as<Integer, wchar_t> && !std::same_as<Integer, char8_t> &&
           !std::same_as<Integer, char16_t> && !std::same_as<Integer, char32_t>)
      Value(Integer number)
      : ValueVariant(static_cast<double>(number)) {}
  Value(const char* text) : ValueVariant(std::string(text)) {}
};

// A C++ function callable from script (Page::DefineFunction). Runs on the page's thread,
// inside the script that called it. Its result may be any Value: a container (a new script
// array or object), a Handle it kept (a callback, an object), or the promise of a
// PromiseResolver (Page::NewPromise) that the embedder settles later. Throwing ScriptError
// (or any std::exception) throws an Error with its message into that script.
using Function = std::function<Value(std::span<const Value> arguments)>;

// Settles one script promise, later, from any thread (made by Page::NewPromise). Copies
// share the promise. While it is neither settled nor destroyed (every copy), the promise
// keeps the page's loop from going idle, like an open connection: RunUntilIdle waits for it.
class SWITCHBOARD_EXPORT PromiseResolver {
 public:
  PromiseResolver() = default;

  // Page thread. The promise, to return from a DefineFunction callback or pass to script.
  Handle promise() const;
  // Any thread. Queues a task on the page's thread that fulfils (Resolve) or rejects
  // (Reject) the promise with `value` (a Handle in it must belong to the same page;
  // Reject(std::string) rejects with that string — make an Error in script if you want
  // one). Returns true when queued; false, doing nothing, when the page is gone, the
  // promise was already settled through this resolver, or the resolver is empty. Throws
  // Error (on the calling thread) for a value that cannot cross (a malformed BigInt, a
  // Handle of another page). Dropping every copy unsettled leaves the promise pending and
  // stops it keeping the loop alive.
  bool Resolve(Value value) const;
  bool Reject(Value reason) const;

  struct State;  // the engine's; not part of the API

 private:
  explicit PromiseResolver(std::shared_ptr<State> state) : state_(std::move(state)) {}
  std::shared_ptr<State> state_;
  friend struct HandleAccess;
};

class ScriptError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Errors of the API itself: a page that cannot be loaded, a cookie jar that cannot be read,
// a Handle used after its page is gone or on the wrong thread.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace switchboard::embed
