// TlsClient: one TLS client session over memory BIOs (architecture.md layer 5) — bytes in,
// bytes out, no sockets. The Connection feeds it the ciphertext it reads and writes the
// ciphertext it produces; used for https: (spec §3 step 4) and after an RFC 2817 upgrade
// (§4.3). TLS 1.2 or newer, SNI = host, the chain verified against the system store or the
// configured CA file, and the host name (or IP address) checked against the certificate.
//
// Thread: IO thread (any single thread; not thread-safe). Ownership: owned by its Connection;
// the SSL_CTX it is made from is shared and reference counted by OpenSSL.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "net/result.h"

struct ssl_ctx_st;
struct ssl_st;

namespace switchboard {

// The SSL_CTX shared by a page's connections (one CA configuration).
class TlsContext {
 public:
  // `ca_file` empty: the system's trust store.
  static Result<std::shared_ptr<TlsContext>> Create(const std::string& ca_file);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;
  ssl_ctx_st* get() const { return context_; }

 private:
  explicit TlsContext(ssl_ctx_st* context) : context_(context) {}
  ssl_ctx_st* context_;
};

class TlsClient {
 public:
  enum class HandshakeStatus { kInProgress, kDone };

  // `host`: the URL's host (a name gets SNI and a DNS-name check; an IP literal an IP check).
  static Result<std::unique_ptr<TlsClient>> Create(std::shared_ptr<TlsContext> context,
                                                   const std::string& host);
  ~TlsClient();
  TlsClient(const TlsClient&) = delete;
  TlsClient& operator=(const TlsClient&) = delete;

  // Ciphertext read from the socket.
  void ReceiveCiphertext(std::string_view bytes);
  // Advances the handshake with what has been received. Errors are Stage::kTls with the
  // certificate verification reason when that is what failed.
  Result<HandshakeStatus> Handshake();
  // Decrypts what has been received into `plaintext` (appends). A clean close_notify from
  // the peer sets peer_closed().
  Result<Ok> ReadPlaintext(std::string& plaintext);
  // Encrypts `plaintext` for sending (available from TakeCiphertext).
  Result<Ok> WritePlaintext(std::string_view plaintext);
  // Queues a close_notify alert.
  void Shutdown();
  // The ciphertext to send now (moves it out).
  std::string TakeCiphertext();

  bool peer_closed() const { return peer_closed_; }
  // "TLSv1.3 TLS_AES_256_GCM_SHA384" once the handshake is done (net log, diagnostics).
  std::string Description() const;
  // For the net log, once the handshake is done (or has failed): the protocol version and
  // cipher ("" before they are agreed), the peer certificate's subject and issuer in
  // RFC 2253 form ("" without a certificate), and the chain verification result.
  std::string Version() const;
  std::string Cipher() const;
  std::string PeerCertificateSubject() const;
  std::string PeerCertificateIssuer() const;
  std::string VerificationResult() const;

 private:
  TlsClient(std::shared_ptr<TlsContext> context, ssl_st* ssl);
  Error ErrorFor(int result, std::string_view operation);

  std::shared_ptr<TlsContext> context_;
  ssl_st* ssl_;
  bool peer_closed_ = false;
};

}  // namespace switchboard
