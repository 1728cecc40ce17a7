#include "web_tests/servers/reference/tls_session.h"

#include <openssl/err.h>

#include <array>

namespace switchboard::reference_server {

namespace {

std::string TakeOpenSslErrors() {
  std::string errors;
  for (unsigned long code = ERR_get_error(); code != 0; code = ERR_get_error()) {
    std::array<char, 256> text{};
    ERR_error_string_n(code, text.data(), text.size());
    if (!errors.empty()) errors += "; ";
    errors += text.data();
  }
  return errors.empty() ? std::string("unknown TLS error") : errors;
}

}  // namespace

std::unique_ptr<TlsContext> TlsContext::Create(const std::string& certificate_file,
                                               const std::string& private_key_file,
                                               std::string& error) {
  SSL_CTX* context = SSL_CTX_new(TLS_server_method());
  if (context == nullptr) {
    error = TakeOpenSslErrors();
    return nullptr;
  }
  std::unique_ptr<TlsContext> result(new TlsContext(context));
  // Spec §3 step 4: TLS 1.2 or newer.
  SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
  if (SSL_CTX_use_certificate_chain_file(context, certificate_file.c_str()) != 1 ||
      SSL_CTX_use_PrivateKey_file(context, private_key_file.c_str(), SSL_FILETYPE_PEM) != 1 ||
      SSL_CTX_check_private_key(context) != 1) {
    error = TakeOpenSslErrors();
    return nullptr;
  }
  return result;
}

TlsContext::~TlsContext() { SSL_CTX_free(context_); }

TlsSession::TlsSession(const TlsContext& context) : ssl_(SSL_new(context.get())) {
  network_in_ = BIO_new(BIO_s_mem());
  network_out_ = BIO_new(BIO_s_mem());
  BIO_set_mem_eof_return(network_in_, -1);  // "no data yet", not end of file
  SSL_set_bio(ssl_, network_in_, network_out_);
  SSL_set_accept_state(ssl_);
}

TlsSession::~TlsSession() { SSL_free(ssl_); }

std::string TlsSession::DrainCiphertext() {
  std::string ciphertext;
  std::array<char, 16 * 1024> chunk{};
  for (;;) {
    const int read = BIO_read(network_out_, chunk.data(), static_cast<int>(chunk.size()));
    if (read <= 0) break;
    ciphertext.append(chunk.data(), static_cast<std::size_t>(read));
  }
  return ciphertext;
}

TlsSession::Output TlsSession::ReceiveCiphertext(std::string_view ciphertext) {
  Output output;
  if (!ciphertext.empty() &&
      BIO_write(network_in_, ciphertext.data(), static_cast<int>(ciphertext.size())) <= 0) {
    output.failed = true;
    output.error = "BIO_write failed";
    return output;
  }
  if (!handshake_finished_) {
    const int result = SSL_do_handshake(ssl_);
    if (result == 1) {
      handshake_finished_ = true;
    } else {
      const int error = SSL_get_error(ssl_, result);
      if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) {
        output.failed = true;
        output.error = TakeOpenSslErrors();
        output.ciphertext_to_send = DrainCiphertext();  // the alert, if any
        return output;
      }
    }
    if (handshake_finished_ && !plaintext_before_handshake_.empty()) {
      const std::string queued = std::move(plaintext_before_handshake_);
      plaintext_before_handshake_.clear();
      output.ciphertext_to_send += Encrypt(queued);  // drains the handshake records first
    }
  }
  if (handshake_finished_) {
    std::array<char, 16 * 1024> chunk{};
    for (;;) {
      const int read = SSL_read(ssl_, chunk.data(), static_cast<int>(chunk.size()));
      if (read > 0) {
        output.plaintext.append(chunk.data(), static_cast<std::size_t>(read));
        continue;
      }
      const int error = SSL_get_error(ssl_, read);
      if (error == SSL_ERROR_ZERO_RETURN) {
        output.peer_closed = true;
      } else if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) {
        output.failed = true;
        output.error = TakeOpenSslErrors();
      }
      break;
    }
  }
  output.ciphertext_to_send += DrainCiphertext();
  return output;
}

std::string TlsSession::Encrypt(std::string_view plaintext) {
  if (!handshake_finished_) {
    plaintext_before_handshake_.append(plaintext);
    return {};
  }
  while (!plaintext.empty()) {
    const int written = SSL_write(ssl_, plaintext.data(), static_cast<int>(plaintext.size()));
    if (written <= 0) break;  // memory BIOs never block; a failure shows on the next read
    plaintext.remove_prefix(static_cast<std::size_t>(written));
  }
  return DrainCiphertext();
}

std::string TlsSession::CloseNotify() {
  if (handshake_finished_) SSL_shutdown(ssl_);
  return DrainCiphertext();
}

}  // namespace switchboard::reference_server
