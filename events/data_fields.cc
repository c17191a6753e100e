#include "events/data_fields.h"

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

}  // namespace mentorlog::events::field
