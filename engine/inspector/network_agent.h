// NetworkAgent: the Chrome DevTools Protocol's Network domain of one inspector session, made
// from the page's net log (net/net_log.md) — page and script loads as requests
// (requestWillBeSent, responseReceived, loadingFinished / loadingFailed, with the net log's
// DNS, connect, TLS, send and receive times), and every TCPConnection as the WebSocket
// events DevTools shows in its Network panel (webSocketCreated, the real OPTIONS request and
// its 101, each frame in order, the §7 stage and reason of a failure, the close); and the
// bodies of finished loads for the Response tab (Network.getResponseBody).
//
// Wiring (the inspector session): give it a function that sends one CDP event (a complete
// JSON message) to the client; pass it every CDP call of the Network domain through
// HandleMethod(); and feed it the page's net log events with OnNetLogEvent(), from a
// NetLogRelay (engine/net_log_relay.h) made with capture_contents = true and set in
// PageSettings::net_log_relay before the page (or Page::Load) starts its network.
//
// Thread: main thread only (no V8). Ownership: the inspector session owns it. Callbacks:
// `send_event` runs synchronously inside OnNetLogEvent(), only while enabled
// (Network.enable … Network.disable), and never from HandleMethod().
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "net/net_log.h"

namespace switchboard::inspector {

class NetworkAgent {
 public:
  using SendEvent = std::function<void(std::string json)>;

  // The bodies of finished loads kept for Network.getResponseBody, at most.
  static constexpr std::size_t kMaxKeptBodyBytes = 64 * 1024 * 1024;

  explicit NetworkAgent(SendEvent send_event);
  NetworkAgent(const NetworkAgent&) = delete;
  NetworkAgent& operator=(const NetworkAgent&) = delete;

  // A CDP call: false when `method` is not of the Network domain (the session answers it
  // elsewhere); otherwise true with the complete response message ({"id":…,"result":…} or
  // {"id":…,"error":…}) in `response_json`.
  bool HandleMethod(int id, std::string_view method, std::string_view params_json,
                    std::string& response_json);

  // One net log event of the page, in the order the network stack logged them.
  void OnNetLogEvent(const NetLogEvent& event);

  bool enabled() const { return enabled_; }
  // The page's frame id, when the session's Page domain gives it one: requests then carry it
  // (frameId), so that DevTools files them under the page's frame.
  void SetFrameId(std::string frame_id) { frame_id_ = std::move(frame_id); }

 private:
  struct Time {
    double monotonic_seconds = 0;  // CDP MonotonicTime
    double wall_seconds = 0;       // CDP TimeSinceEpoch
  };
  struct Head {
    bool seen = false;
    int status = 0;
    std::vector<std::string> lines;  // the start line and the header fields
    std::string text;                // the head as it went over the wire, when captured
    Time time;
  };
  // One page or script load (net log "load" events).
  struct Load {
    std::string request_id;
    std::string url;         // the current hop's
    std::string type;        // "Document", "Script", "Other"
    bool announced = false;  // requestWillBeSent went out while enabled
    Time start;
    Head request;
    Head response;
    std::optional<Head> redirect_response;  // sent with the next hop's requestWillBeSent
    std::string redirect_from_url;
    // The hop's timing (CDP ResourceTiming), in monotonic seconds; 0: not seen.
    double hop_start = 0;
    double dns_start = 0, dns_end = 0, transfer_start = 0;
    double connect_ms = 0, tls_ms = 0, request_sent_ms = 0, first_byte_ms = 0;
    long long header_bytes = 0;
    std::string remote_address;
    long long remote_port = 0;
  };
  // One TCPConnection (net log "connection" events).
  struct Connection {
    std::string request_id;
    std::string url;
    bool announced = false;                // webSocketCreated went out while enabled
    bool tcpconnection_handshake = false;  // the last handshake_request was §4.1's
    Head request;
  };

  void OnLoadEvent(const NetLogEvent& event, Time time);
  void OnConnectionEvent(const NetLogEvent& event, Time time);
  void AnnounceLoad(Load& load);
  void SendResponseReceived(Load& load, Time time);
  void Send(std::string_view method, const std::string& params_json);

  // A finished load's body (net log content, which the network stack bounds), for
  // Network.getResponseBody; the oldest go first past kMaxKeptBodyBytes.
  void KeepBody(const std::string& request_id, std::string_view body);

  SendEvent send_event_;
  bool enabled_ = false;
  std::map<std::string, std::string> bodies_;  // by requestId
  std::deque<std::string> body_order_;         // requestIds, oldest first
  std::size_t kept_body_bytes_ = 0;
  std::string frame_id_;
  std::string document_url_;
  std::map<std::uint64_t, Load> loads_;
  std::map<std::uint64_t, Connection> connections_;
};

}  // namespace switchboard::inspector
