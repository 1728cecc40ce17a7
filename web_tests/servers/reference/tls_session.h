// TlsContext and TlsSession: the server side of TLS (OpenSSL) over memory BIOs, used by https
// listeners and by the RFC 2817 upgrade (spec §4.3) on a clear connection. Pure byte
// transformation: ciphertext in, plaintext out, and back; the Connection moves the bytes.
//
// Thread: the server's loop thread. Ownership: the Server owns the TlsContext and outlives
// every Connection; each Connection owns its TlsSession.
#pragma once

#include <openssl/ssl.h>

#include <memory>
#include <string>
#include <string_view>

namespace switchboard::reference_server {

class TlsContext {
 public:
  // Loads a PEM certificate chain and private key; nullptr and `error` set on failure.
  static std::unique_ptr<TlsContext> Create(const std::string& certificate_file,
                                            const std::string& private_key_file,
                                            std::string& error);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  SSL_CTX* get() const { return context_; }

 private:
  explicit TlsContext(SSL_CTX* context) : context_(context) {}
  SSL_CTX* context_;
};

class TlsSession {
 public:
  explicit TlsSession(const TlsContext& context);
  ~TlsSession();
  TlsSession(const TlsSession&) = delete;
  TlsSession& operator=(const TlsSession&) = delete;

  struct Output {
    std::string plaintext;           // application data received
    std::string ciphertext_to_send;  // handshake records, alerts, queued application data
    bool failed = false;             // the session is unusable; close the connection
    bool peer_closed = false;        // close_notify received
    std::string error;               // when failed
  };
  // Feeds bytes read from the socket.
  Output ReceiveCiphertext(std::string_view ciphertext);
  // Encrypts application data. Before the handshake finished it is queued and comes out of a
  // later ReceiveCiphertext as ciphertext_to_send.
  std::string Encrypt(std::string_view plaintext);
  // A close_notify alert to send before FIN.
  std::string CloseNotify();

  bool handshake_finished() const { return handshake_finished_; }

 private:
  std::string DrainCiphertext();

  SSL* ssl_ = nullptr;
  BIO* network_in_ = nullptr;   // ciphertext from the socket, owned by ssl_
  BIO* network_out_ = nullptr;  // ciphertext for the socket, owned by ssl_
  bool handshake_finished_ = false;
  std::string plaintext_before_handshake_;
};

}  // namespace switchboard::reference_server
