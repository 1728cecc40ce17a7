#include "net/set_cookie_parser.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <limits>
#include <utility>

#include "base/ascii.h"

namespace switchboard {
namespace {

using std::chrono::seconds;

// RFC 6265bis (parsing Set-Cookie): a longer attribute value is ignored.
constexpr size_t kMaxAttributeValueBytes = 1024;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// RFC 6265 WSP: SP / HTAB.
bool IsWhiteSpace(char c) { return c == ' ' || c == '\t'; }

// RFC 6265bis (parsing Set-Cookie, first step): %x00-08 / %x0A-1F / %x7F, the CTLs other than HTAB.
bool IsControlOtherThanTab(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return (byte <= 0x1F && byte != '\t') || byte == 0x7F;
}

// --- RFC 6265 §5.1.1 date parsing ---------------------------------------------------------------

// delimiter = %x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E
bool IsDateDelimiter(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte == 0x09 || (byte >= 0x20 && byte <= 0x2F) || (byte >= 0x3B && byte <= 0x40) ||
         (byte >= 0x5B && byte <= 0x60) || (byte >= 0x7B && byte <= 0x7E);
}

// `min*maxDIGIT ( non-digit *OCTET )`: the leading digits of `token`, if there are between
// `min_digits` and `max_digits` of them.
std::optional<int> LeadingNumber(std::string_view token, size_t min_digits, size_t max_digits) {
  size_t digits = 0;
  while (digits < token.size() && IsDigit(token[digits])) ++digits;
  if (digits < min_digits || digits > max_digits) return std::nullopt;
  int number = 0;
  for (size_t i = 0; i < digits; ++i) number = number * 10 + (token[i] - '0');
  return number;
}

// time = hms-time ( non-digit *OCTET ); hms-time = time-field ":" time-field ":" time-field;
// time-field = 1*2DIGIT.
std::optional<std::array<int, 3>> MatchTime(std::string_view token) {
  std::array<int, 3> fields{};
  size_t position = 0;
  for (size_t field = 0; field < fields.size(); ++field) {
    size_t digits = 0;
    int number = 0;
    while (position < token.size() && digits < 2 && IsDigit(token[position])) {
      number = number * 10 + (token[position] - '0');
      ++position;
      ++digits;
    }
    if (digits == 0) return std::nullopt;
    fields[field] = number;
    if (field + 1 < fields.size()) {
      if (position >= token.size() || token[position] != ':') return std::nullopt;
      ++position;
    }
  }
  if (position < token.size() && IsDigit(token[position])) return std::nullopt;
  return fields;
}

// month = ( "jan" / ... / "dec" ) *OCTET, case-insensitive. 1-12, or nullopt.
std::optional<unsigned> MatchMonth(std::string_view token) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  if (token.size() < 3) return std::nullopt;
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (EqualsIgnoringAsciiCase(token.substr(0, 3), kMonths[i]))
      return static_cast<unsigned>(i + 1);
  }
  return std::nullopt;
}

// --- RFC 6265 §5.2 attribute processing ---------------------------------------------------------

// §5.2.2: the Max-Age value in seconds, saturated; nullopt to ignore the attribute.
std::optional<int64_t> ParseMaxAge(std::string_view value) {
  // 1. The first character must be a DIGIT or "-"; 2. the rest DIGITs.
  if (value.empty() || (!IsDigit(value.front()) && value.front() != '-')) return std::nullopt;
  const bool negative = value.front() == '-';
  const std::string_view digits = negative ? value.substr(1) : value;
  if (digits.empty() || !std::all_of(digits.begin(), digits.end(), IsDigit)) return std::nullopt;
  // 3. Convert (saturating: anything beyond 400 days is capped later anyway).
  constexpr int64_t kSaturated = std::numeric_limits<int64_t>::max() / 10;
  int64_t number = 0;
  for (char c : digits) {
    number = number >= kSaturated ? kSaturated : number * 10 + (c - '0');
  }
  return negative ? -number : number;
}

// RFC 6265bis, The SameSite Attribute: Strict, Lax, None; any other value resets to the default.
SameSite ParseSameSite(std::string_view value) {
  if (EqualsIgnoringAsciiCase(value, "strict")) return SameSite::kStrict;
  if (EqualsIgnoringAsciiCase(value, "lax")) return SameSite::kLax;
  if (EqualsIgnoringAsciiCase(value, "none")) return SameSite::kNone;
  return SameSite::kUnspecified;
}

// §5.2 step 6 sub-step 6: one cookie-av, already split and trimmed.
void ProcessAttribute(std::string_view name, std::string_view value, ParsedSetCookie& cookie) {
  if (EqualsIgnoringAsciiCase(name, "expires")) {
    // §5.2.1: a date that fails to parse ignores the attribute.
    if (std::optional<CookieExpiry> expires = ParseCookieDate(value)) cookie.expires = *expires;
  } else if (EqualsIgnoringAsciiCase(name, "max-age")) {
    if (std::optional<int64_t> max_age = ParseMaxAge(value)) cookie.max_age = *max_age;
  } else if (EqualsIgnoringAsciiCase(name, "domain")) {
    // §5.2.3: an empty value is ignored; a leading "." is removed; lower case.
    if (value.empty()) return;
    if (value.front() == '.') value.remove_prefix(1);
    std::string domain(value);
    for (char& c : domain) c = AsciiLower(c);
    cookie.domain = std::move(domain);
  } else if (EqualsIgnoringAsciiCase(name, "path")) {
    // §5.2.4: an empty value or one not starting with "/" means the default-path.
    cookie.path = (value.empty() || value.front() != '/') ? std::string() : std::string(value);
  } else if (EqualsIgnoringAsciiCase(name, "secure")) {
    cookie.secure = true;  // §5.2.5
  } else if (EqualsIgnoringAsciiCase(name, "httponly")) {
    cookie.http_only = true;  // §5.2.6
  } else if (EqualsIgnoringAsciiCase(name, "samesite")) {
    cookie.same_site = ParseSameSite(value);
  }
  // Any other attribute is ignored.
}

}  // namespace

std::string_view TrimCookieWhiteSpace(std::string_view text) {
  while (!text.empty() && IsWhiteSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsWhiteSpace(text.back())) text.remove_suffix(1);
  return text;
}

bool HasCookieControlByte(std::string_view text) {
  return std::any_of(text.begin(), text.end(), IsControlOtherThanTab);
}

// RFC 6265 §5.1.1.
std::optional<CookieExpiry> ParseCookieDate(std::string_view cookie_date) {
  std::optional<std::array<int, 3>> time;
  std::optional<int> day_of_month;
  std::optional<unsigned> month;
  std::optional<int> year;
  // 1. Split the cookie-date into date-tokens: runs of non-delimiters.
  size_t position = 0;
  while (position < cookie_date.size()) {
    while (position < cookie_date.size() && IsDateDelimiter(cookie_date[position])) ++position;
    const size_t token_begin = position;
    while (position < cookie_date.size() && !IsDateDelimiter(cookie_date[position])) ++position;
    const std::string_view token = cookie_date.substr(token_begin, position - token_begin);
    if (token.empty()) break;
    // 2. For each date-token, the first production it matches that was not found yet.
    if (!time) {
      if ((time = MatchTime(token))) continue;  // 2.1
    }
    if (!day_of_month) {
      if ((day_of_month = LeadingNumber(token, 1, 2))) continue;  // 2.2
    }
    if (!month) {
      if ((month = MatchMonth(token))) continue;  // 2.3
    }
    if (!year) {
      if ((year = LeadingNumber(token, 2, 4))) continue;  // 2.4
    }
  }
  // 5. Abort if a production was not found (checked before steps 3 and 4 need the year).
  if (!time || !day_of_month || !month || !year) return std::nullopt;
  // 3. Two-digit years 70-99 are 1970-1999; 4. 00-69 are 2000-2069.
  if (*year >= 70 && *year <= 99) *year += 1900;
  if (*year >= 0 && *year <= 69) *year += 2000;
  // 5. Range checks.
  const auto [hour, minute, second] = *time;
  if (*day_of_month < 1 || *day_of_month > 31 || *year < 1601 || hour > 23 || minute > 59 ||
      second > 59) {
    return std::nullopt;
  }
  // 6. The date must exist (no 30 February).
  const std::chrono::year_month_day date{std::chrono::year{*year}, std::chrono::month{*month},
                                         std::chrono::day{static_cast<unsigned>(*day_of_month)}};
  if (!date.ok()) return std::nullopt;
  // 7. In UTC.
  return std::chrono::sys_days{date} + std::chrono::hours{hour} + std::chrono::minutes{minute} +
         seconds{second};
}

// RFC 6265 §5.2, with RFC 6265bis's control-byte and size limits.
std::optional<ParsedSetCookie> ParseSetCookie(std::string_view set_cookie_string,
                                              SetCookieOutcome* rejection) {
  auto reject = [rejection](SetCookieOutcome why) -> std::optional<ParsedSetCookie> {
    if (rejection != nullptr) *rejection = why;
    return std::nullopt;
  };
  // 6265bis, first step: a control character other than HTAB ignores the whole string.
  if (HasCookieControlByte(set_cookie_string)) {
    return reject(SetCookieOutcome::kIgnoredControlCharacter);
  }
  // 1. The name-value-pair is everything up to the first ";"; the rest are attributes.
  const size_t semicolon = set_cookie_string.find(';');
  const std::string_view name_value_pair = set_cookie_string.substr(0, semicolon);
  std::string_view unparsed_attributes = semicolon == std::string_view::npos
                                             ? std::string_view()
                                             : set_cookie_string.substr(semicolon);
  // 2. No "=": ignore the set-cookie-string.
  const size_t equals = name_value_pair.find('=');
  if (equals == std::string_view::npos) return reject(SetCookieOutcome::kIgnoredSyntax);
  // 3-4. Name and value around the first "=", without leading and trailing WSP.
  const std::string_view name = TrimCookieWhiteSpace(name_value_pair.substr(0, equals));
  const std::string_view value = TrimCookieWhiteSpace(name_value_pair.substr(equals + 1));
  // 5. An empty name: ignore.
  if (name.empty()) return reject(SetCookieOutcome::kIgnoredSyntax);
  // 6265bis: name and value together at most 4096 bytes.
  if (name.size() + value.size() > kMaxCookieNameAndValueBytes) {
    return reject(SetCookieOutcome::kIgnoredTooLarge);
  }
  ParsedSetCookie cookie;
  cookie.name = name;
  cookie.value = value;
  // 6. The cookie-attribute-list, one cookie-av at a time.
  while (!unparsed_attributes.empty()) {
    // 6.1. Discard the leading ";". 6.2. The cookie-av runs to the next ";".
    unparsed_attributes.remove_prefix(1);
    const size_t next = unparsed_attributes.find(';');
    const std::string_view cookie_av = unparsed_attributes.substr(0, next);
    unparsed_attributes =
        next == std::string_view::npos ? std::string_view() : unparsed_attributes.substr(next);
    // 6.3-6.5. Name and value around the first "=" (a missing "=" means an empty value),
    //          without leading and trailing WSP.
    const size_t av_equals = cookie_av.find('=');
    const std::string_view attribute_name = TrimCookieWhiteSpace(cookie_av.substr(0, av_equals));
    const std::string_view attribute_value =
        av_equals == std::string_view::npos ? std::string_view()
                                            : TrimCookieWhiteSpace(cookie_av.substr(av_equals + 1));
    // 6265bis: an over-long attribute value is ignored.
    if (attribute_value.size() > kMaxAttributeValueBytes) continue;
    // 6.6. Process the attribute (§5.2.1-§5.2.6).
    ProcessAttribute(attribute_name, attribute_value, cookie);
  }
  return cookie;
}

}  // namespace switchboard
