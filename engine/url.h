// URL and URLSearchParams (URL Standard §6), the script API over net/'s WhatwgUrl and the
// application/x-www-form-urlencoded list (net/form_urlencoded.h).
//
// Thread: main thread. Ownership: reference counted like every ScriptWrappable. A URL owns
// its query object (the URLSearchParams that searchParams returns, [SameObject]); the query
// object points back to its URL without owning it, and the URL cuts that pointer when it goes,
// so no reference cycle keeps either alive. Each keeps the other in sync as §6 says: the URL's
// href and search setters set the list; the list's update steps set the URL's query.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "bindings/exception_or.h"
#include "bindings/ref_counted.h"
#include "bindings/script_wrappable.h"
#include "net/form_urlencoded.h"
#include "net/whatwg_url.h"

namespace switchboard {

class URLSearchParams;

class URL final : public bindings::ScriptWrappable {
 public:
  DECLARE_WRAPPER_TYPE_INFO()

  // constructor(url, optional base): the API URL parser; failure is a TypeError.
  static bindings::ExceptionOr<bindings::RefPtr<URL>> Create(
      const std::string& url, const std::optional<std::string>& base);
  // static parse(url, optional base): null instead of the TypeError.
  static bindings::RefPtr<URL> Parse(const std::string& url,
                                     const std::optional<std::string>& base);
  // static canParse(url, optional base).
  static bool CanParse(const std::string& url, const std::optional<std::string>& base);

  ~URL() override;

  std::string href() const { return url_.href(); }
  bindings::ExceptionOr<void> set_href(const std::string& value);
  std::string origin() const { return url_.origin().Serialize(); }
  std::string protocol() const { return url_.protocol(); }
  void set_protocol(const std::string& value) { url_.set_protocol(value); }
  std::string username() const { return url_.username(); }
  void set_username(const std::string& value) { url_.set_username(value); }
  std::string password() const { return url_.password(); }
  void set_password(const std::string& value) { url_.set_password(value); }
  std::string host() const { return url_.host(); }
  void set_host(const std::string& value) { url_.set_host(value); }
  std::string hostname() const { return url_.hostname(); }
  void set_hostname(const std::string& value) { url_.set_hostname(value); }
  std::string port() const { return url_.port(); }
  void set_port(const std::string& value) { url_.set_port(value); }
  std::string pathname() const { return url_.pathname(); }
  void set_pathname(const std::string& value) { url_.set_pathname(value); }
  std::string search() const { return url_.search(); }
  void set_search(const std::string& value);
  URLSearchParams* search_params() const { return query_object_.get(); }
  std::string hash() const { return url_.hash(); }
  void set_hash(const std::string& value) { url_.set_hash(value); }
  std::string ToJSON() const { return url_.href(); }

  const WhatwgUrl& url() const { return url_; }
  // URLSearchParams' update steps: the serialized list, or null for an empty one.
  void SetQueryFromSearchParams(std::optional<std::string> query) {
    url_.SetQuery(std::move(query));
  }

 private:
  // "Initialize a URL object" with a URL record.
  explicit URL(WhatwgUrl url);

  WhatwgUrl url_;
  bindings::RefPtr<URLSearchParams> query_object_;
};

class URLSearchParams final : public bindings::ScriptWrappable {
 public:
  DECLARE_WRAPPER_TYPE_INFO()

  using Init = std::variant<std::vector<std::vector<std::string>>,
                            std::vector<std::pair<std::string, std::string>>, std::string>;
  // constructor(optional init = ""): pairs (each exactly two items, else a TypeError), a
  // record, or a query string (one leading "?" ignored).
  static bindings::ExceptionOr<bindings::RefPtr<URLSearchParams>> Create(const Init& init);
  // A URL's query object, initialized with `query` and updating `url_object`'s query.
  static bindings::RefPtr<URLSearchParams> CreateForUrl(std::string_view query, URL& url_object);

  uint32_t size() const { return static_cast<uint32_t>(list_.size()); }
  void Append(const std::string& name, const std::string& value);
  void Delete(const std::string& name, const std::optional<std::string>& value);
  std::optional<std::string> Get(const std::string& name) const;
  std::vector<std::string> GetAll(const std::string& name) const;
  bool Has(const std::string& name, const std::optional<std::string>& value) const;
  void Set(const std::string& name, const std::string& value);
  // Stable, by name, comparing UTF-16 code units as JavaScript does.
  void Sort();
  // The stringification behavior: the list, application/x-www-form-urlencoded serialized.
  std::string ToString() const { return SerializeFormUrlencoded(list_); }

  // iterable<USVString, USVString>: the value pairs to iterate over.
  size_t ValuePairCount() const { return list_.size(); }
  const std::pair<std::string, std::string>& ValuePairAt(size_t index) const {
    return list_[index];
  }

  // For the URL: "set the list to the result of parsing" `query` (empty list for null), and
  // its going away.
  void SetListFromQuery(std::optional<std::string_view> query);
  void DetachFromUrl() { url_object_ = nullptr; }

 private:
  URLSearchParams() = default;

  // "Update" steps: the URL object's query becomes the serialized list (null when empty).
  void Update();

  FormUrlencodedList list_;
  URL* url_object_ = nullptr;  // not owned: the URL owns this object and detaches it
};

}  // namespace switchboard
