// The `console` namespace object (the Console Standard, https://console.spec.whatwg.org/:
// log/info/debug/warn/error/dir/dirxml/table/trace/assert/clear, count/countReset,
// group/groupCollapsed/groupEnd, time/timeLog/timeEnd): formats its arguments the way Node.js
// prints them (util.format + util.inspect for primitives, arrays, plain objects, errors and
// common built-ins; platform objects with their IDL attributes, as Chrome's console) and hands
// each line to the page at its level: warn/error/assert/trace and misuse warnings ("Warning:
// Count for 'x' does not exist") at kWarn/kError, which the shell writes to stderr.
//
// Thread: main thread (V8). State (counters, timers, group indentation) lives in the context.
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

// util.inspect of one value (strings quoted), depth-limited like Node's default (2). Objects
// the bindings made (TCPConnection, Event, URL…) show their attributes; only getters the
// bindings installed are called, never one defined by script.
std::string Inspect(v8::Local<v8::Context> context, v8::Local<v8::Value> value,
                    InspectColors colors = InspectColors::kNone);

}  // namespace switchboard
