// Switchboard's embedding API: one include for everything.
// Threading: one thread, the Engine's, creates and runs the pages; a few calls are for any
// thread (Page::PostTask, Terminate, TerminateScript, PollFd). Each header says which, at its
// top; builds without NDEBUG abort on a page's-thread call made from another thread.
//
//   switchboard::embed::Engine engine;                     // once per process
//   auto page = switchboard::embed::Page::Create({.url = "http://localhost:8080/"});
//   page->SetConsoleHandler([](auto level, std::string_view text) { ... });
//   page->DefineFunction("hostName", [](auto) { return std::string("embedder"); });
//   page->Evaluate("new TCPConnection('/echo').onopen = ...");
//   page->RunUntilIdle();
#pragma once

#include "switchboard/engine.h"
#include "switchboard/page.h"
#include "switchboard/value.h"
#include "switchboard/version.h"
