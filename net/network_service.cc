#include "net/network_service.h"

#include <cassert>
#include <cstdio>
#include <future>

#include <ares.h>
#include <curl/curl.h>
#include <uv.h>

namespace switchboard {

void NetworkService::InitializeProcess() { curl_global_init(CURL_GLOBAL_DEFAULT); }

void NetworkService::ShutdownProcess() { curl_global_cleanup(); }

std::string NetworkService::LibraryVersions() {
  const curl_version_info_data* curl = curl_version_info(CURLVERSION_NOW);
  std::string versions = std::string("libcurl/") + curl->version;
  if (curl->ssl_version) versions += std::string(" ") + curl->ssl_version;
  versions += std::string(" c-ares/") + ares_version(nullptr);
  versions += std::string(" libuv/") + uv_version_string();
  return versions;
}

NetworkService::NetworkService(NetworkSettings settings) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  if (!settings.net_log_file.empty()) {
    // A log that cannot be written must not stop the page; say so once.
    Result<std::unique_ptr<NetLog>> opened =
        NetLog::OpenFile(settings.net_log_file, settings.net_log_subscriber);
    if (opened.ok()) {
      net_log_ = std::move(opened).value();
    } else {
      std::fprintf(stderr, "switchboard: %s\n", opened.error().message.c_str());
    }
  }
  if (!net_log_ && settings.net_log_subscriber.on_event) {
    net_log_ = NetLog::ForSubscriber(settings.net_log_subscriber);
  }
  io_thread_ = std::make_unique<IoThread>();
  std::promise<void> started;
  io_thread_->PostTask([&] {
    io_ = std::make_unique<NetworkServiceIo>(*io_thread_, settings, net_log_.get());
    started.set_value();
  });
  started.get_future().wait();
}

NetworkService::~NetworkService() {
  std::promise<void> stopped;
  io_thread_->PostTask([&] {
    io_->Shutdown();
    stopped.set_value();
  });
  stopped.get_future().wait();
  io_thread_.reset();  // joins; asserts that no handle is left
  io_.reset();         // no task of the IO thread can reach it any more
  net_log_.reset();    // log_end, after every connection's close event
}

void NetworkService::Open(ConnectionId id, ConnectionOptions options, ConnectionEventSink sink) {
  io_thread_->PostTask(
      [this, id, options = std::move(options), sink = std::move(sink)]() mutable {
        io_->Open(id, std::move(options), std::move(sink));
      },
      CrossThreadQueue::WakeUp::kEndOfBatch);
}

template <typename Operation>
void NetworkService::WithConnection(ConnectionId id, Operation operation) {
  io_thread_->PostTask(
      [this, id, operation = std::move(operation)]() mutable {
        io_->WithConnection(id, std::move(operation));
      },
      CrossThreadQueue::WakeUp::kEndOfBatch);
}

void NetworkService::Send(ConnectionId id, std::string frame_bytes) {
  WithConnection(id, [bytes = std::move(frame_bytes)](Connection& connection) mutable {
    connection.Send(std::move(bytes));
  });
}

void NetworkService::Disconnect(ConnectionId id) {
  WithConnection(id, [](Connection& connection) { connection.Disconnect(); });
}

void NetworkService::Consumed(ConnectionId id, std::size_t bytes) {
  WithConnection(id, [bytes](Connection& connection) { connection.Consumed(bytes); });
}

LoadId NetworkService::Fetch(FetchRequest request, HttpFetcher::Callback done) {
  LoadId id = next_load_id_++;
  io_thread_->PostTask([this, id, request = std::move(request), done = std::move(done)]() mutable {
    io_->Fetch(id, std::move(request), std::move(done));
  });
  return id;
}

void NetworkService::CancelFetch(LoadId id) {
  io_thread_->PostTask([this, id] { io_->CancelFetch(id); });
}

std::pair<int, std::size_t> NetworkService::CountLiveResourcesForTesting() {
  std::promise<std::pair<int, std::size_t>> answer;
  io_thread_->PostTask([&] {
    answer.set_value({io_thread_->CountOpenHandles(), io_->live_count()});
  });
  return answer.get_future().get();
}

}  // namespace switchboard
