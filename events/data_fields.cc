#include "events/data_fields.h"

#include <charconv>
#include <cstring>

namespace mentorlog::events::field {

using Json = nlohmann::json;

std::string Str(const Json& d, std::string_view key) {
  const auto it = d.find(key);
  return it != d.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string_view View(const Json& d, std::string_view key) {
  const auto it = d.find(key);
  return it != d.end() && it->is_string() ? std::string_view(it->get_ref<const std::string&>())
                                          : std::string_view();
}

std::optional<std::string> OptStr(const Json& d, std::string_view key) {
  const auto it = d.find(key);
  if (it == d.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

std::int64_t Int(const Json& d, std::string_view key, std::int64_t fallback) {
  const auto it = d.find(key);
  return it != d.end() && it->is_number_integer() ? it->get<std::int64_t>() : fallback;
}

double Num(const Json& d, std::string_view key, double fallback) {
  const auto it = d.find(key);
  return it != d.end() && it->is_number() ? it->get<double>() : fallback;
}

bool Bool(const Json& d, std::string_view key) {
  const auto it = d.find(key);
  return it != d.end() && it->is_boolean() && it->get<bool>();
}

TimeMs Time(const Json& d, std::string_view key) { return ParseTime(View(d, key)).value_or(0); }

Days Date(const Json& d, std::string_view key) { return ParseDate(View(d, key)).value_or(0); }

std::vector<std::string> Strings(const Json& d, std::string_view key) {
  std::vector<std::string> out;
  const auto it = d.find(key);
  if (it == d.end() || !it->is_array()) return out;
  for (const Json& v : *it) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

// --- over text --------------------------------------------------------------------

std::optional<std::string_view> PlainString(std::string_view raw) {
  if (raw.size() < 2 || raw.front() != '"' || raw.back() != '"') return std::nullopt;
  const std::string_view inner = raw.substr(1, raw.size() - 2);
  if (std::memchr(inner.data(), '\\', inner.size()) != nullptr) return std::nullopt;
  return inner;
}

namespace {

bool IsNumber(std::string_view raw) {
  return !raw.empty() && (raw.front() == '-' || (raw.front() >= '0' && raw.front() <= '9'));
}

}  // namespace

std::optional<std::string> StringOf(std::string_view raw) {
  if (raw.empty() || raw.front() != '"') return std::nullopt;
  if (const auto plain = PlainString(raw)) return std::string(*plain);
  const Json j = ToJson(raw);  // escapes: rare in data, left to the full parser
  if (!j.is_string()) return std::nullopt;
  return j.get<std::string>();
}

std::string Str(DataView d, std::string_view key) { return StringOf(d.Raw(key)).value_or(""); }

std::string_view View(DataView d, std::string_view key) {
  return PlainString(d.Raw(key)).value_or(std::string_view());
}

std::optional<std::string> OptStr(DataView d, std::string_view key) { return StringOf(d.Raw(key)); }

std::int64_t Int(DataView d, std::string_view key, std::int64_t fallback) {
  const std::string_view raw = d.Raw(key);
  if (!IsNumber(raw)) return fallback;
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), value);
  return ec == std::errc{} && end == raw.data() + raw.size() ? value : fallback;
}

double Num(DataView d, std::string_view key, double fallback) {
  const std::string_view raw = d.Raw(key);
  if (!IsNumber(raw)) return fallback;
  double value = 0;
  const auto [end, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), value);
  return ec == std::errc{} && end == raw.data() + raw.size() ? value : fallback;
}

bool Bool(DataView d, std::string_view key) { return d.Raw(key) == "true"; }

TimeMs Time(DataView d, std::string_view key) { return ParseTime(View(d, key)).value_or(0); }

Days Date(DataView d, std::string_view key) { return ParseDate(View(d, key)).value_or(0); }

std::vector<std::string> Strings(DataView d, std::string_view key) {
  std::vector<std::string> out;
  const std::string_view array = d.Raw(key);
  if (array.empty() || array.front() != '[') return out;
  ForEachJsonElement(array, [&](std::string_view element) {
    if (auto s = StringOf(element)) out.push_back(std::move(*s));
  });
  return out;
}

std::string_view Object(DataView d, std::string_view key) {
  const std::string_view raw = d.Raw(key);
  return !raw.empty() && raw.front() == '{' ? raw : std::string_view();
}

Json ToJson(std::string_view raw) {
  Json j = Json::parse(raw, nullptr, /*allow_exceptions=*/false);
  return j.is_discarded() ? Json() : j;
}

}  // namespace mentorlog::events::field
