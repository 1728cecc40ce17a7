// V8's own API next to Switchboard's, for embedders who need more than DefineFunction: the
// page's v8::Isolate and v8::Context (Page::isolate(), Page::context()).
//
// Thread: V8's rules — the page's isolate is entered on the page's thread for the page's
// lifetime: use it (handles, scopes, script) only there. From another thread only what V8
// allows from any thread (v8::Isolate::TerminateExecution; prefer Page::TerminateScript).
//
// V8 here is Debian's libnode108 (V8 10.2, Node.js 18), which Switchboard installs with
// itself: its headers under include/switchboard/v8/, libnode.so.108 under lib/switchboard/.
// With CMake, link Switchboard::v8 (it brings both); with pkg-config, add
// -I${includedir}/switchboard/v8 ${libdir}/switchboard/libnode.so.108
// -Wl,-rpath,${libdir}/switchboard. That build has pointer compression off: never define
// V8_COMPRESS_POINTERS.
#pragma once

#include <v8.h>

#include "switchboard/switchboard.h"
