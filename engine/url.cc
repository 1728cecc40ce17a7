// URL Standard §6.1 "URL class" and §6.2 "URLSearchParams class".
#include "engine/url.h"

#include <algorithm>

namespace switchboard {
namespace {

// §6.1 "API URL parser": base first (its failure is the URL's), then url against it.
WhatwgUrlResult ApiUrlParse(const std::string& url, const std::optional<std::string>& base) {
  if (base) return WhatwgUrl::Parse(url, std::string_view(*base));
  return WhatwgUrl::Parse(url);
}

// A scalar value string (well-formed UTF-8) as UTF-16 code units, for sorting.
std::u16string ToUtf16(std::string_view utf8) {
  std::u16string output;
  for (size_t index = 0; index < utf8.size();) {
    const auto lead = static_cast<unsigned char>(utf8[index]);
    const size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    char32_t code_point = length == 1 ? lead : lead & (0x3F >> (length - 1));
    for (size_t next = 1; next < length && index + next < utf8.size(); ++next) {
      code_point = (code_point << 6) | (static_cast<unsigned char>(utf8[index + next]) & 0x3F);
    }
    index += length;
    if (code_point >= 0x10000) {
      code_point -= 0x10000;
      output += static_cast<char16_t>(0xD800 + (code_point >> 10));
      output += static_cast<char16_t>(0xDC00 + (code_point & 0x3FF));
    } else {
      output += static_cast<char16_t>(code_point);
    }
  }
  return output;
}

}  // namespace

// --- URL -----------------------------------------------------------------------------------

URL::URL(WhatwgUrl url) : url_(std::move(url)) {
  // "Initialize": the query object, with the URL's query (or the empty string).
  query_object_ = URLSearchParams::CreateForUrl(url_.query().value_or(""), *this);
}

URL::~URL() { query_object_->DetachFromUrl(); }

bindings::ExceptionOr<bindings::RefPtr<URL>> URL::Create(const std::string& url,
                                                         const std::optional<std::string>& base) {
  // 1.-2. The API URL parser; failure throws a TypeError.
  WhatwgUrlResult parsed = ApiUrlParse(url, base);
  if (!parsed.ok()) return bindings::Exception::TypeError("Invalid URL");
  // 3. Initialize this with parsedURL.
  return bindings::RefPtr<URL>(new URL(std::move(parsed).value()));
}

bindings::RefPtr<URL> URL::Parse(const std::string& url, const std::optional<std::string>& base) {
  WhatwgUrlResult parsed = ApiUrlParse(url, base);
  if (!parsed.ok()) return nullptr;
  return bindings::RefPtr<URL>(new URL(std::move(parsed).value()));
}

bool URL::CanParse(const std::string& url, const std::optional<std::string>& base) {
  return ApiUrlParse(url, base).ok();
}

// The href setter: 1.-2. parse, a failure is a TypeError; 3.-6. the URL and its query
// object's list.
bindings::ExceptionOr<void> URL::set_href(const std::string& value) {
  if (!url_.set_href(value).ok()) return bindings::Exception::TypeError("Invalid URL");
  query_object_->SetListFromQuery(url_.query());
  return {};
}

// The search setter: the URL's query, then the list from the given value (not the encoded
// query): empty for the empty string, else the value without one leading "?", parsed.
void URL::set_search(const std::string& value) {
  url_.set_search(value);
  std::string_view input = value;
  if (input.empty()) {
    query_object_->SetListFromQuery(std::nullopt);
    return;
  }
  if (input.front() == '?') input.remove_prefix(1);
  query_object_->SetListFromQuery(input);
}

// --- URLSearchParams -----------------------------------------------------------------------

bindings::ExceptionOr<bindings::RefPtr<URLSearchParams>> URLSearchParams::Create(const Init& init) {
  bindings::RefPtr<URLSearchParams> query(new URLSearchParams());
  if (const auto* sequences = std::get_if<0>(&init)) {
    // "Initialize", a sequence: each inner sequence must be a pair.
    for (const std::vector<std::string>& pair : *sequences) {
      if (pair.size() != 2) {
        return bindings::Exception::TypeError(
            "Sequence initializer must only contain pair elements.");
      }
      query->list_.emplace_back(pair[0], pair[1]);
    }
  } else if (const auto* record = std::get_if<1>(&init)) {
    // A record: each name → value, in order.
    query->list_ = *record;
  } else {
    // A string, without one leading "?" (the constructor's step 1), parsed.
    std::string_view string = std::get<2>(init);
    if (string.starts_with('?')) string.remove_prefix(1);
    query->list_ = ParseFormUrlencoded(string);
  }
  return query;
}

bindings::RefPtr<URLSearchParams> URLSearchParams::CreateForUrl(std::string_view query,
                                                                URL& url_object) {
  bindings::RefPtr<URLSearchParams> params(new URLSearchParams());
  params->list_ = ParseFormUrlencoded(query);
  params->url_object_ = &url_object;
  return params;
}

void URLSearchParams::SetListFromQuery(std::optional<std::string_view> query) {
  list_ = query ? ParseFormUrlencoded(*query) : FormUrlencodedList();
}

void URLSearchParams::Update() {
  // 1. If query's URL object is null, then return.
  if (!url_object_) return;
  // 2.-4. Its query: the serialized list, or null for the empty string.
  std::string serialized = SerializeFormUrlencoded(list_);
  url_object_->SetQueryFromSearchParams(serialized.empty() ? std::nullopt
                                                           : std::optional(std::move(serialized)));
}

void URLSearchParams::Append(const std::string& name, const std::string& value) {
  list_.emplace_back(name, value);
  Update();
}

void URLSearchParams::Delete(const std::string& name, const std::optional<std::string>& value) {
  std::erase_if(list_, [&](const auto& tuple) {
    return tuple.first == name && (!value || tuple.second == *value);
  });
  Update();
}

std::optional<std::string> URLSearchParams::Get(const std::string& name) const {
  const auto found = std::find_if(list_.begin(), list_.end(),
                                  [&](const auto& tuple) { return tuple.first == name; });
  if (found == list_.end()) return std::nullopt;
  return found->second;
}

std::vector<std::string> URLSearchParams::GetAll(const std::string& name) const {
  std::vector<std::string> values;
  for (const auto& [tuple_name, tuple_value] : list_) {
    if (tuple_name == name) values.push_back(tuple_value);
  }
  return values;
}

bool URLSearchParams::Has(const std::string& name, const std::optional<std::string>& value) const {
  return std::any_of(list_.begin(), list_.end(), [&](const auto& tuple) {
    return tuple.first == name && (!value || tuple.second == *value);
  });
}

void URLSearchParams::Set(const std::string& name, const std::string& value) {
  // 1. The first tuple named name gets value; the others named name go.
  bool found = false;
  std::erase_if(list_, [&](auto& tuple) {
    if (tuple.first != name) return false;
    if (found) return true;
    found = true;
    tuple.second = value;
    return false;
  });
  // 2. Otherwise, append.
  if (!found) list_.emplace_back(name, value);
  Update();
}

void URLSearchParams::Sort() {
  // Stable, by name in UTF-16 code units ("code unit less than").
  std::vector<std::pair<std::u16string, size_t>> keys;
  keys.reserve(list_.size());
  for (size_t index = 0; index < list_.size(); ++index) {
    keys.emplace_back(ToUtf16(list_[index].first), index);
  }
  std::stable_sort(keys.begin(), keys.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  FormUrlencodedList sorted;
  sorted.reserve(list_.size());
  for (const auto& key : keys) sorted.push_back(std::move(list_[key.second]));
  list_ = std::move(sorted);
  Update();
}

}  // namespace switchboard
