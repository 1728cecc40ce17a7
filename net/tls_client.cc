#include "net/tls_client.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "net/url.h"

namespace switchboard {

namespace {

// The reason of the most recent OpenSSL error on this thread, and the queue cleared.
std::string OpenSslReason() {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown TLS error";
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return text;
}

}  // namespace

Result<std::shared_ptr<TlsContext>> TlsContext::Create(const std::string& ca_file) {
  SSL_CTX* context = SSL_CTX_new(TLS_client_method());
  if (!context) return Error{Stage::kTls, "cannot create a TLS context: " + OpenSslReason()};
  // §3 step 4: TLS 1.2 or newer, peer verified.
  SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
  SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nullptr);
  int loaded = ca_file.empty() ? SSL_CTX_set_default_verify_paths(context)
                               : SSL_CTX_load_verify_locations(context, ca_file.c_str(), nullptr);
  if (loaded != 1) {
    std::string reason = OpenSslReason();
    SSL_CTX_free(context);
    return Error{Stage::kTls, (ca_file.empty() ? std::string("cannot load the system's CA store")
                                               : "cannot load CA file '" + ca_file + "'") +
                                  ": " + reason};
  }
  return std::shared_ptr<TlsContext>(new TlsContext(context));
}

TlsContext::~TlsContext() { SSL_CTX_free(context_); }

Result<std::unique_ptr<TlsClient>> TlsClient::Create(std::shared_ptr<TlsContext> context,
                                                     const std::string& host) {
  SSL* ssl = SSL_new(context->get());
  if (!ssl) return Error{Stage::kTls, "cannot create a TLS session: " + OpenSslReason()};
  std::unique_ptr<TlsClient> client(new TlsClient(std::move(context), ssl));
  // Memory BIOs: the socket is the Connection's business.
  SSL_set_bio(ssl, BIO_new(BIO_s_mem()), BIO_new(BIO_s_mem()));
  SSL_set_connect_state(ssl);
  if (HostIsIpAddress(host)) {
    X509_VERIFY_PARAM* parameters = SSL_get0_param(ssl);
    if (X509_VERIFY_PARAM_set1_ip_asc(parameters, host.c_str()) != 1) {
      return Error{Stage::kTls, "cannot verify against IP address " + host};
    }
  } else {
    // SNI (virtual hosting, seed ISSUE.8) and the name the certificate must carry.
    // SSL_set_tlsext_host_name() without the C cast its macro hides.
    SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
             const_cast<char*>(host.c_str()));
    SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    if (SSL_set1_host(ssl, host.c_str()) != 1) {
      return Error{Stage::kTls, "cannot verify against host " + host};
    }
  }
  return client;
}

TlsClient::TlsClient(std::shared_ptr<TlsContext> context, ssl_st* ssl)
    : context_(std::move(context)), ssl_(ssl) {}

TlsClient::~TlsClient() { SSL_free(ssl_); }

void TlsClient::ReceiveCiphertext(std::string_view bytes) {
  BIO_write(SSL_get_rbio(ssl_), bytes.data(), static_cast<int>(bytes.size()));
}

Error TlsClient::ErrorFor(int result, std::string_view operation) {
  int error = SSL_get_error(ssl_, result);
  long verification = SSL_get_verify_result(ssl_);
  if (verification != X509_V_OK) {
    ERR_clear_error();
    return Error{Stage::kTls, "certificate verification failed: " +
                                  std::string(X509_verify_cert_error_string(verification))};
  }
  if (error == SSL_ERROR_SYSCALL || error == SSL_ERROR_SSL) {
    return Error{Stage::kTls, std::string(operation) + " failed: " + OpenSslReason()};
  }
  return Error{Stage::kTls, std::string(operation) + " failed (" + std::to_string(error) + ")"};
}

Result<TlsClient::HandshakeStatus> TlsClient::Handshake() {
  int result = SSL_do_handshake(ssl_);
  if (result == 1) return HandshakeStatus::kDone;
  int error = SSL_get_error(ssl_, result);
  if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) {
    return HandshakeStatus::kInProgress;
  }
  return ErrorFor(result, "TLS handshake");
}

Result<Ok> TlsClient::ReadPlaintext(std::string& plaintext) {
  char buffer[16 * 1024];
  while (true) {
    int count = SSL_read(ssl_, buffer, sizeof buffer);
    if (count > 0) {
      plaintext.append(buffer, static_cast<std::size_t>(count));
      continue;
    }
    int error = SSL_get_error(ssl_, count);
    if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) return Ok{};
    if (error == SSL_ERROR_ZERO_RETURN) {
      peer_closed_ = true;
      return Ok{};
    }
    return ErrorFor(count, "TLS read");
  }
}

Result<Ok> TlsClient::WritePlaintext(std::string_view plaintext) {
  while (!plaintext.empty()) {
    int written = SSL_write(ssl_, plaintext.data(), static_cast<int>(plaintext.size()));
    if (written <= 0) return ErrorFor(written, "TLS write");
    plaintext.remove_prefix(static_cast<std::size_t>(written));
  }
  return Ok{};
}

void TlsClient::Shutdown() {
  SSL_shutdown(ssl_);
  ERR_clear_error();
}

std::string TlsClient::TakeCiphertext() {
  BIO* output = SSL_get_wbio(ssl_);
  std::string ciphertext(static_cast<std::size_t>(BIO_ctrl_pending(output)), '\0');
  if (!ciphertext.empty()) {
    int read = BIO_read(output, ciphertext.data(), static_cast<int>(ciphertext.size()));
    ciphertext.resize(read > 0 ? static_cast<std::size_t>(read) : 0);
  }
  return ciphertext;
}

namespace {

std::string NameText(X509_NAME* name) {
  if (!name) return "";
  BIO* memory = BIO_new(BIO_s_mem());
  X509_NAME_print_ex(memory, name, 0, XN_FLAG_RFC2253);
  char* data = nullptr;
  long length = BIO_get_mem_data(memory, &data);
  std::string text(data, length > 0 ? static_cast<std::size_t>(length) : 0);
  BIO_free(memory);
  return text;
}

}  // namespace

std::string TlsClient::Version() const {
  return SSL_is_init_finished(ssl_) ? SSL_get_version(ssl_) : "";
}

std::string TlsClient::Cipher() const {
  const char* name = SSL_get_cipher_name(ssl_);
  return SSL_is_init_finished(ssl_) && name ? name : "";
}

std::string TlsClient::PeerCertificateSubject() const {
  X509* certificate = SSL_get0_peer_certificate(ssl_);
  return certificate ? NameText(X509_get_subject_name(certificate)) : "";
}

std::string TlsClient::PeerCertificateIssuer() const {
  X509* certificate = SSL_get0_peer_certificate(ssl_);
  return certificate ? NameText(X509_get_issuer_name(certificate)) : "";
}

std::string TlsClient::VerificationResult() const {
  return X509_verify_cert_error_string(SSL_get_verify_result(ssl_));
}

std::string TlsClient::Description() const {
  return std::string(SSL_get_version(ssl_)) + " " + SSL_get_cipher_name(ssl_);
}

}  // namespace switchboard
