// NetworkService: the network stack of one page, for every load it makes — its
// TCPConnections and its page and script loads. This is its main-thread API; it owns the IO
// thread and, on it, the NetworkServiceIo (network_service_io.h) that does the work: the
// resolver, libcurl's multi with the tunnels and the loads, every Connection, spec §3.1 (proxy
// choice) and §3.6 (one connection per endpoint past DNS at a time).
//
// Thread: constructed, used and destroyed on the main thread; its methods post to the IO
// thread and return at once.
// Ownership: the page owns it. The destructor aborts every connection (each reports
// kClosed to its sink, which must tolerate the page being gone — the engine's sink posts to
// a loop that is closing), cancels every load, shuts the IO side down and joins the thread
// with no handle left.
#pragma once

#include <memory>
#include <string>
#include <utility>

#include "net/connection.h"
#include "net/http_fetch.h"
#include "net/io_thread.h"
#include "net/net_log.h"
#include "net/network_service_io.h"

namespace switchboard {

class NetworkService {
 public:
  explicit NetworkService(NetworkSettings settings);
  ~NetworkService();
  NetworkService(const NetworkService&) = delete;
  NetworkService& operator=(const NetworkService&) = delete;

  // Once per process, before any service exists and before other threads start (libcurl's
  // global set-up); and its counterpart, after the last service is gone.
  static void InitializeProcess();
  static void ShutdownProcess();
  // The network libraries in use, e.g. "libcurl/7.88.1 OpenSSL/3.0.17 c-ares/1.18.1 libuv/1.44.2".
  static std::string LibraryVersions();

  // Connections (spec §3-§7): `sink` runs on the IO thread. These wake the IO thread at the
  // end of the calling thread's WakeUpBatch (the page's loop opens one per turn), so the
  // sends of many connections in one turn cost one wake-up.
  void Open(ConnectionId id, ConnectionOptions options, ConnectionEventSink sink);
  void Send(ConnectionId id, std::string frame_bytes);
  void Disconnect(ConnectionId id);
  void Consumed(ConnectionId id, std::size_t bytes);
  // A page or script load (http_fetch.h). `done` runs on the IO thread, once — unless the
  // load is cancelled or the service is destroyed first. Returns the load's id.
  LoadId Fetch(FetchRequest request, HttpFetcher::Callback done);
  void CancelFetch(LoadId id);

  // Null when there is no net log (it could not be opened, or none was asked for).
  const NetLog* net_log() const { return net_log_.get(); }
  // Blocks until the IO thread answers: handles open on its loop, and live connections and
  // loads.
  std::pair<int, std::size_t> CountLiveResourcesForTesting();

 private:
  template <typename Operation>
  void WithConnection(ConnectionId id, Operation operation);

  std::unique_ptr<NetLog> net_log_;  // opened before the IO thread starts, closed after it ends
  std::unique_ptr<IoThread> io_thread_;
  std::unique_ptr<NetworkServiceIo> io_;  // made on the IO thread, destroyed after it ended
  LoadId next_load_id_ = 1;
};

}  // namespace switchboard
