// Value: what crosses between page script and an embedder's C++ functions — undefined,
// null, booleans, numbers and strings. Other script values (objects, arrays, functions,
// symbols, bigints) arrive as a string: their JSON text when JSON.stringify gives one,
// String(value) otherwise.
//
// Thread: a Value is a plain C++ value (no handle into the page): any thread may make, copy and
// destroy one. A Function is called on the page's thread only, by the page.
#pragma once

#include <functional>
#include <span>
#include <stdexcept>
#include <string>
#include <variant>

namespace switchboard::embed {

struct Undefined {
  bool operator==(const Undefined&) const = default;
};
struct Null {
  bool operator==(const Null&) const = default;
};

using Value = std::variant<Undefined, Null, bool, double, std::string>;

// A C++ function callable from script (Page::DefineFunction). Runs on the page's thread,
// inside the script that called it. Throwing ScriptError (or any std::exception) throws an
// Error with its message into that script.
using Function = std::function<Value(std::span<const Value> arguments)>;

class ScriptError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Errors of the API itself: a page that cannot be loaded, a cookie jar that cannot be read.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace switchboard::embed
