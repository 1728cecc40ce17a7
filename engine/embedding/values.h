// The engine side of switchboard/value.h (issue 18, Values): the link between a page and the
// Handles it gave out, and the conversions between script values and Value.
//
// Thread: a PageLink is made and closed on its page's thread. `alive` may be read anywhere;
// `mutex` guards the slot sets and every cross-thread use of the page (PostTaskFromAnyThread),
// so that nothing reaches the page once Close() has run.
// Ownership: the embedding Page owns its PageLink's life (Close() before the engine's page
// goes); Handles and resolvers share the PageLink so that they can tell it has gone.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_set>
#include <vector>

#include <v8.h>

#include "switchboard/value.h"

namespace switchboard {
class Page;
}  // namespace switchboard

namespace switchboard::embed::values {

struct PageLink {
  explicit PageLink(switchboard::Page& page);

  // Page thread: releases every script value the page's Handles hold (before the isolate
  // goes); later Handle calls throw Error, resolvers do nothing.
  void Close();
  // Throws Error unless the page lives and this is its thread; `what` names the call.
  void CheckUsable(const char* what) const;
  bool OnPageThread() const { return std::this_thread::get_id() == thread; }

  // A new v8::Global slot for `value` (page thread; also releases orphaned slots).
  v8::Global<v8::Value>* Keep(v8::Local<v8::Value> value);
  // The owner of `slot` is gone (any thread): released now on the page's thread, by the page's
  // thread later otherwise, or by Close().
  void Release(v8::Global<v8::Value>* slot);

  // Any thread: queues `task` on the page's thread; false when the page is gone.
  bool PostTask(std::function<void()> task);

  switchboard::Page* const page;  // valid while `alive`
  v8::Isolate* const isolate;
  const std::thread::id thread;
  std::atomic<bool> alive = true;

 private:
  std::mutex mutex_;
  std::unordered_set<v8::Global<v8::Value>*> live_;  // every slot not yet released
  std::vector<v8::Global<v8::Value>*> orphans_;      // released off the page's thread
};

// Script value → Value (objects as Handles of `link`'s page). Inside a HandleScope, in the
// context.
Value ToValue(const std::shared_ptr<PageLink>& link, v8::Local<v8::Context> context,
              v8::Local<v8::Value> value);
// Value → script value. Throws Error for what cannot cross (a malformed BigInt, a Handle of
// another page or of a page that is gone). Inside a HandleScope, in the context.
v8::Local<v8::Value> ToV8(const PageLink& link, v8::Local<v8::Context> context, const Value& value);
// Throws Error, on any thread, for what ToV8 would refuse.
void CheckCrossable(const PageLink& link, const Value& value);

// Page thread: a Handle of `value` (an object or symbol) / a new pending promise.
Handle MakeHandle(const std::shared_ptr<PageLink>& link, v8::Local<v8::Value> value);
PromiseResolver NewPromise(const std::shared_ptr<PageLink>& link);
// The Handle's script value, after CheckUsable (Error otherwise) and a check that it belongs
// to `link`'s page.
v8::Local<v8::Value> Unwrap(const PageLink& link, const Handle& handle, const char* what);

}  // namespace switchboard::embed::values
