#include "engine/tcp_connection.h"

#include "engine/connection_read_event.h"
#include "engine/page.h"
#include "net/framer.h"
#include "net/url.h"

namespace switchboard {

namespace {

bindings::Exception ToException(const UrlError& error) {
  return error.kind == UrlErrorKind::kSyntax ? bindings::Exception::SyntaxError(error.message)
                                             : bindings::Exception::SecurityError(error.message);
}

}  // namespace

// §2 Constructor steps.
bindings::ExceptionOr<bindings::RefPtr<TCPConnection>> TCPConnection::Create(
    bindings::ScriptEnvironment& environment, const std::string& url,
    const TCPConnectionInit& init) {
  Page& page = static_cast<Page&>(environment);
  // 1-2. Parse against the document's base URL; SyntaxError / SecurityError (bad port).
  UrlResult parsed = ParseConnectionUrl(url, page.url().href);
  if (!parsed.ok()) return ToException(parsed.error());
  const ConnectionUrl& connection_url = parsed.value();
  // 3. Mixed content.
  Origin document_origin = page.document_origin();
  if (std::optional<UrlError> mixed =
          CheckMixedContent(document_origin, connection_url,
                            init.secure ? SecureOption::kRequested : SecureOption::kNotRequested)) {
    return ToException(*mixed);
  }
  // §3.6: a page holds at most the configured number of connections.
  if (!page.network().CanOpen()) {
    return bindings::Exception::SecurityError(
        "this page already holds " + std::to_string(page.settings().limits.max_connections) +
        " connections");
  }
  // 4. network, peer, readyState; start connecting in the background.
  bindings::RefPtr<TCPConnection> connection(
      new TCPConnection(page, connection_url.href, connection_url.Network()));
  ConnectionRequest request{connection_url, document_origin,
                            init.secure ? SecureOption::kRequested : SecureOption::kNotRequested};
  connection->connection_id_ = page.network().Open(request, *connection);
  connection->self_reference_ = connection;
  return connection;
}

TCPConnection::TCPConnection(Page& page, std::string url, std::string network)
    : page_(&page), url_(std::move(url)), network_(std::move(network)) {}

TCPConnection::~TCPConnection() = default;

// §8: kept alive while it can still fire events that someone listens to.
bool TCPConnection::HasPendingActivity() const {
  return (connection_id_.has_value() || close_pending_) && HasEventListeners();
}

// §6 send().
bindings::ExceptionOr<void> TCPConnection::Send(const std::string& data) {
  if (ready_state_ == kConnecting) {
    return bindings::Exception::InvalidStateError("the connection is not open yet");
  }
  if (ready_state_ == kClosed || !page_ || !connection_id_) return {};
  // `data` is a USVString: lone surrogates already became U+FFFD; the framer replaces
  // U+0000 and U+0017.
  buffered_amount_ += page_->network().Send(*connection_id_, data);
  return {};
}

// §7 disconnect().
void TCPConnection::Disconnect() {
  if (ready_state_ == kClosed) return;
  ready_state_ = kClosed;
  if (page_ && connection_id_) page_->network().Disconnect(*connection_id_);
}

void TCPConnection::Fire(const char* type) {
  if (!page_) return;
  FireEvent(*page_, type);
}

// §3 step 5.
void TCPConnection::OnOpen(const std::string& peer, bool secure) {
  if (ready_state_ != kConnecting) return;  // disconnect() came first
  ready_state_ = kConnected;
  peer_ = peer;
  secure_ = secure;  // §1: true once the connection runs over TLS
  Fire("open");
}

// §6: a `read` event per frame.
void TCPConnection::OnRead(std::string text, bool is_ascii) {
  if (ready_state_ != kConnected || !page_) return;
  bindings::RefPtr<ConnectionReadEvent> event =
      ConnectionReadEvent::CreateForFrame(*page_, std::move(text), is_ascii, peer_);
  FireEvent(*event);
}

void TCPConnection::OnWritten(std::size_t bytes) {
  buffered_amount_ -= std::min<uint64_t>(bytes, buffered_amount_);
}

// §7: `error` (before open only) then `close`, the last event, exactly once.
void TCPConnection::OnClosed(bool failed_before_open) {
  ready_state_ = kClosed;
  connection_id_.reset();
  bindings::RefPtr<TCPConnection> keep_alive = std::move(self_reference_);
  if (failed_before_open) {
    Fire("error");
    if (page_) {
      // `close` is its own task, after the microtasks of `error`; until it has fired the
      // wrapper (which holds the listeners) must survive a collection (§8).
      close_pending_ = true;
      page_->event_loop().PostTask([keep_alive] {
        keep_alive->Fire("close");
        keep_alive->close_pending_ = false;
        keep_alive->UpdatePendingActivity();
      });
    }
  } else {
    Fire("close");
  }
  UpdatePendingActivity();
}

void TCPConnection::OnPageClosing() {
  page_ = nullptr;
  ready_state_ = kClosed;
  connection_id_.reset();
  close_pending_ = false;
  self_reference_ = nullptr;  // may delete this object: nothing may follow
}

}  // namespace switchboard
