// The engine's [Exposed=Window] interfaces (TCPConnection, ConnectionReadEvent, Event,
// EventTarget, Window, ErrorEvent, PromiseRejectionEvent), generated from idl/ into the
// engine's library (bindings/generated/v8_exposed_interfaces.cc, engine/CMakeLists.txt). A
// page installs them with bindings::InstallInterfaces(), after the bindings runtime's own
// (DOMException).
//
// Thread: any (a constant list).
#pragma once

#include <span>

#include "bindings/wrapper_type_info.h"

namespace switchboard::bindings {

std::span<const WrapperTypeInfo* const> ExposedInterfaces();

}  // namespace switchboard::bindings
