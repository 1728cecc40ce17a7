// CurlMulti: one libcurl multi handle driven by the IO thread's libuv loop — curl's socket
// callback maps to one uv_poll_t per socket, its timer callback to one uv_timer_t. Every
// libcurl transfer of the network service runs here: the tunnels of TCPConnections
// (tunnel.h, connect-only) and page and script loads (http_fetch.h), so both share one
// connection cache, one timer and one set of polls.
//
// Thread: IO thread only. Ownership: owned by the NetworkService; the users (TunnelConnector,
// HttpFetcher) remove their handles before Shutdown(), which closes the loop handles.
// Callbacks: each Add()'s `done` runs once, from a libuv callback (never inside Add()), after
// curl finished the transfer — with the handle still in the multi (a connect-only handle keeps
// its connection until removed): the caller Remove()s it before curl_easy_cleanup(), always.
// Remove() before `done` means no callback.
#pragma once

#include <functional>
#include <map>

#include <curl/curl.h>
#include <uv.h>

#include "net/io_thread.h"

namespace switchboard {

class CurlMulti {
 public:
  using Done = std::function<void(CURLcode)>;

  explicit CurlMulti(IoThread& io_thread);
  ~CurlMulti();
  CurlMulti(const CurlMulti&) = delete;
  CurlMulti& operator=(const CurlMulti&) = delete;

  // Starts a configured easy handle (the caller keeps ownership). On failure `done` is not
  // kept and the error is returned.
  CURLMcode Add(CURL* easy, Done done);
  // Takes a handle back, finished or not (before it finished, its `done` never runs).
  void Remove(CURL* easy);
  // Ends every transfer without callbacks and closes the loop handles.
  void Shutdown();

  IoThread& io_thread() { return io_thread_; }
  std::size_t active_transfers() const { return transfers_.size(); }

 private:
  struct SocketWatcher;

  void Perform(curl_socket_t socket, int events);
  void CollectFinished();
  static int OnSocket(CURL* easy, curl_socket_t socket, int what, void* user, void* socket_data);
  static int OnTimer(CURLM* multi, long timeout_ms, void* user);

  IoThread& io_thread_;
  CURLM* multi_ = nullptr;
  uv_timer_t* timer_ = nullptr;
  std::map<CURL*, Done> transfers_;
  bool in_timer_callback_ = false;
};

}  // namespace switchboard
