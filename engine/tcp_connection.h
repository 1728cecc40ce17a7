// TCPConnection (spec §1): the script object. Constructor steps §2; readyState, events and
// send/disconnect per §6-§8. The network work happens on the IO thread (net/Connection);
// this object hears about it through PageNetwork, one task per network event.
//
// Thread: main thread. Ownership: reference counted. While the connection is not closed,
// the object holds a reference to itself (PageNetwork refers to it by raw pointer), and its
// wrapper stays alive while it has listeners (HasPendingActivity, spec §8), so a page that
// drops its reference still gets its events. Page teardown detaches it without events.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "bindings/exception_or.h"
#include "engine/dom/event_target.h"
#include "engine/page_network.h"

namespace switchboard {

class Page;

// dictionary TCPConnectionInit
struct TCPConnectionInit {
  bool secure = false;
};

class TCPConnection final : public dom::EventTarget, public ConnectionClient {
 public:
  DECLARE_WRAPPER_TYPE_INFO()

  static constexpr uint16_t kConnecting = 0;
  static constexpr uint16_t kConnected = 1;
  static constexpr uint16_t kClosed = 2;

  // constructor(USVString url, optional TCPConnectionInit init = {})
  static bindings::ExceptionOr<bindings::RefPtr<TCPConnection>> Create(
      bindings::ScriptEnvironment& environment, const std::string& url,
      const TCPConnectionInit& init);

  const std::string& url() const { return url_; }
  const std::string& network() const { return network_; }
  const std::string& peer() const { return peer_; }
  uint16_t ready_state() const { return ready_state_; }
  uint64_t buffered_amount() const { return buffered_amount_; }
  bool secure() const { return secure_; }

  bindings::ExceptionOr<void> Send(const std::string& data);
  void Disconnect();

  // dom::EventTarget / bindings::ScriptWrappable
  bool HasPendingActivity() const override;

  // ConnectionClient
  void OnOpen(const std::string& peer, bool secure) override;
  void OnRead(std::string text, bool is_ascii) override;
  void OnWritten(std::size_t bytes) override;
  void OnClosed(bool failed_before_open) override;
  void OnPageClosing() override;

 private:
  TCPConnection(Page& page, std::string url, std::string network);
  ~TCPConnection() override;

  void Fire(const char* type);

  Page* page_;  // null once the page is closing
  std::string url_;
  std::string network_;
  std::string peer_;
  uint16_t ready_state_ = kConnecting;
  uint64_t buffered_amount_ = 0;
  bool secure_ = false;
  std::optional<ConnectionId> connection_id_;  // while PageNetwork knows the connection
  bool close_pending_ = false;  // `error` fired, `close` is queued (§7: both, in that order)
  bindings::RefPtr<TCPConnection> self_reference_;
};

}  // namespace switchboard
