// The `console` namespace object (console.log/info/warn/error/debug/assert/trace): formats
// its arguments the way Node.js prints them (util.format + util.inspect for primitives,
// arrays, plain objects, errors and common built-ins) and hands each line to the page.
#pragma once

#include <string>

#include <v8.h>

namespace switchboard {

// Installs `console` on the context's global object.
void InstallConsole(v8::Local<v8::Context> context);

// util.format: a format string with %s %d %i %f %j %o %O %c %% and the remaining arguments,
// each inspected (strings as they are). May run script (toString, getters); the caller is
// inside EnterScript.
std::string FormatConsoleArguments(v8::Local<v8::Context> context,
                                   const v8::FunctionCallbackInfo<v8::Value>& arguments,
                                   int first_argument = 0);

// Plain text, or ANSI colours in Node's util.inspect scheme (`colors: true`: numbers yellow,
// strings green, …), which the REPL uses on a terminal.
enum class InspectColors { kNone, kAnsi };

// util.inspect of one value (strings quoted), depth-limited like Node's default (2).
std::string Inspect(v8::Local<v8::Context> context, v8::Local<v8::Value> value,
                    InspectColors colors = InspectColors::kNone);

}  // namespace switchboard
