#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace mentorlog::events {

// Appends the RFC 8785 (JSON Canonicalization Scheme) form of `value` to `out`:
// object members sorted by the UTF-16 code units of their names, no insignificant
// whitespace, strings escaped minimally, numbers in ECMAScript shortest form.
// Throws nlohmann::json::type_error if a string is not valid UTF-8 and
// std::domain_error for a non-finite number (JCS has no form for NaN/Infinity).
void AppendCanonicalJson(const nlohmann::json& value, std::string& out);

// Returns the RFC 8785 form of `value`. Same failures as AppendCanonicalJson.
std::string CanonicalJson(const nlohmann::json& value);

// Appends `s` as a JCS string literal (quotes included). `s` must be valid UTF-8.
void AppendCanonicalString(std::string_view s, std::string& out);

// Appends the ECMAScript Number::toString form of `d` (finite), as JCS requires.
void AppendCanonicalNumber(double d, std::string& out);

}  // namespace mentorlog::events
