// SWITCHBOARD_EXPORT marks the embedding API's symbols; libswitchboard.so exports nothing
// else (its engine, V8 glue and network code are internal).
// Thread: a macro only; nothing here runs.
#pragma once

#define SWITCHBOARD_EXPORT __attribute__((visibility("default")))
