#include "net/curl_multi.h"

#include <cassert>
#include <cstdint>

namespace switchboard {

struct CurlMulti::SocketWatcher {
  CurlMulti* multi;
  curl_socket_t socket;
  uv_poll_t poll;
};

CurlMulti::CurlMulti(IoThread& io_thread) : io_thread_(io_thread) {
  multi_ = curl_multi_init();
  curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &CurlMulti::OnSocket);
  curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
  curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &CurlMulti::OnTimer);
  curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
  timer_ = new uv_timer_t;
  uv_timer_init(io_thread.loop(), timer_);
  timer_->data = this;
}

CurlMulti::~CurlMulti() { Shutdown(); }

void CurlMulti::Shutdown() {
  if (!multi_) return;
  while (!transfers_.empty()) Remove(transfers_.begin()->first);
  curl_multi_cleanup(multi_);  // tells OnSocket to drop any remaining socket
  multi_ = nullptr;
  uv_close(reinterpret_cast<uv_handle_t*>(timer_),
           [](uv_handle_t* handle) { delete reinterpret_cast<uv_timer_t*>(handle); });
  timer_ = nullptr;
}

CURLMcode CurlMulti::Add(CURL* easy, Done done) {
  assert(io_thread_.IsCurrent());
  if (!multi_) return CURLM_BAD_HANDLE;
  transfers_.emplace(easy, std::move(done));
  CURLMcode added = curl_multi_add_handle(multi_, easy);
  if (added != CURLM_OK) transfers_.erase(easy);
  return added;
}

void CurlMulti::Remove(CURL* easy) {
  transfers_.erase(easy);
  // Also after `done` (curl does nothing for a handle that is not in the multi).
  if (multi_) curl_multi_remove_handle(multi_, easy);
}

void CurlMulti::Perform(curl_socket_t socket, int events) {
  int running = 0;
  curl_multi_socket_action(multi_, socket, events, &running);
  CollectFinished();
}

void CurlMulti::CollectFinished() {
  int queued = 0;
  while (multi_) {
    CURLMsg* message = curl_multi_info_read(multi_, &queued);
    if (!message) break;
    if (message->msg != CURLMSG_DONE) continue;
    CURL* easy = message->easy_handle;
    CURLcode code = message->data.result;
    auto found = transfers_.find(easy);
    if (found == transfers_.end()) continue;
    Done done = std::move(found->second);
    transfers_.erase(found);
    // Still in the multi: a connect-only handle's connection would close with its removal,
    // before the caller can take the socket over.
    done(code);  // may add or remove other transfers
  }
}

int CurlMulti::OnSocket(CURL* /*easy*/, curl_socket_t socket, int what, void* user,
                        void* socket_data) {
  auto* self = static_cast<CurlMulti*>(user);
  auto* watcher = static_cast<SocketWatcher*>(socket_data);
  if (what == CURL_POLL_REMOVE) {
    if (watcher) {
      uv_close(reinterpret_cast<uv_handle_t*>(&watcher->poll),
               [](uv_handle_t* handle) { delete static_cast<SocketWatcher*>(handle->data); });
      if (self->multi_) curl_multi_assign(self->multi_, socket, nullptr);
    }
    return 0;
  }
  if (!watcher) {
    watcher = new SocketWatcher{self, socket, {}};
    uv_poll_init_socket(self->io_thread_.loop(), &watcher->poll, socket);
    watcher->poll.data = watcher;
    curl_multi_assign(self->multi_, socket, watcher);
  }
  int events = 0;
  if (what == CURL_POLL_IN || what == CURL_POLL_INOUT) events |= UV_READABLE;
  if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT) events |= UV_WRITABLE;
  uv_poll_start(&watcher->poll, events, [](uv_poll_t* poll, int status, int ready) {
    auto* ready_watcher = static_cast<SocketWatcher*>(poll->data);
    int flags = 0;
    if (status < 0) flags = CURL_CSELECT_ERR;
    if (ready & UV_READABLE) flags |= CURL_CSELECT_IN;
    if (ready & UV_WRITABLE) flags |= CURL_CSELECT_OUT;
    ready_watcher->multi->Perform(ready_watcher->socket, flags);
  });
  return 0;
}

int CurlMulti::OnTimer(CURLM* /*multi*/, long timeout_ms, void* user) {
  auto* self = static_cast<CurlMulti*>(user);
  if (!self->timer_) return 0;
  if (timeout_ms < 0) {
    uv_timer_stop(self->timer_);
    return 0;
  }
  // curl asks for 0 ms to mean "as soon as possible". Re-armed at 0 from inside the timer's
  // own callback it would run again in the same libuv timer phase and starve the polls, so
  // then it waits 1 ms.
  std::uint64_t delay = static_cast<std::uint64_t>(timeout_ms);
  if (delay == 0 && self->in_timer_callback_) delay = 1;
  uv_timer_start(
      self->timer_,
      [](uv_timer_t* timer) {
        auto* multi = static_cast<CurlMulti*>(timer->data);
        multi->in_timer_callback_ = true;
        multi->Perform(CURL_SOCKET_TIMEOUT, 0);
        multi->in_timer_callback_ = false;
      },
      delay, 0);
  return 0;
}

}  // namespace switchboard
