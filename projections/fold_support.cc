#include "projections/fold_support.h"

#include <charconv>

namespace mentorlog::projections {

ViewError InvalidArgument(std::string message, std::string field) {
  return {"invalid_argument", std::move(message), std::move(field)};
}
ViewError Forbidden(std::string message, std::string field) {
  return {"forbidden", std::move(message), std::move(field)};
}
ViewError NotFound(std::string message, std::string field) {
  return {"not_found", std::move(message), std::move(field)};
}
ViewError Unavailable(std::string message) { return {"unavailable", std::move(message), ""}; }

namespace internal {

namespace {

// The text of a raw JSON string: pointing into `raw`, or into `decoded` when
// it holds an escape; nullopt for any other value.
std::optional<std::string_view> TextOf(std::string_view raw, std::string& decoded) {
  if (const auto plain = events::field::PlainString(raw)) return plain;
  auto text = events::field::StringOf(raw);
  if (!text) return std::nullopt;
  decoded = std::move(*text);
  return decoded;
}

// The symbol of a raw JSON string (empty for any other value).
Symbol SymbolOf(std::string_view raw) {
  std::string decoded;
  const auto text = TextOf(raw, decoded);
  return text ? Symbol(*text) : Symbol();
}

std::optional<std::size_t> ParseSize(const std::string& text) {
  std::size_t value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

}  // namespace

Symbol Sym(events::DataView d, std::string_view key) { return SymbolOf(d.Raw(key)); }

std::optional<Symbol> FindSym(events::DataView d, std::string_view key) {
  std::string decoded;
  const auto text = TextOf(d.Raw(key), decoded);
  return text ? Symbol::Find(*text) : std::nullopt;
}

std::vector<Symbol> Syms(events::DataView d, std::string_view key) {
  std::vector<Symbol> out;
  const std::string_view array = d.Raw(key);
  if (array.empty() || array.front() != '[') return out;
  events::ForEachJsonElement(array, [&](std::string_view element) {
    if (element.front() == '"') out.push_back(SymbolOf(element));
  });
  return out;
}

std::expected<Paging, ViewError> ParsePaging(const ViewRequest& r) {
  Paging p;
  if (const auto limit = Param(r, "limit")) {
    const auto v = ParseSize(*limit);
    if (!v || *v == 0 || *v > kMaxLimit) {
      return std::unexpected(InvalidArgument("limit must be an integer from 1 to 1000", "limit"));
    }
    p.limit = *v;
  }
  if (const auto offset = Param(r, "offset")) {
    const auto v = ParseSize(*offset);
    if (!v) return std::unexpected(InvalidArgument("offset must be an integer >= 0", "offset"));
    p.offset = *v;
  }
  return p;
}

Json PageOf(Json items, std::size_t total, const Paging& paging) {
  const std::size_t next = paging.offset + paging.limit;
  return {{"items", std::move(items)},
          {"total", total},
          {"offset", paging.offset},
          {"limit", paging.limit},
          {"next_offset", next < total ? Json(next) : Json()}};
}

std::optional<std::string> Param(const ViewRequest& r, std::string_view name) {
  const auto it = r.params.find(std::string(name));
  if (it == r.params.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

std::expected<std::optional<events::TimeMs>, ViewError> TimeParam(const ViewRequest& r,
                                                                  std::string_view name) {
  const auto text = Param(r, name);
  if (!text) return std::optional<events::TimeMs>();
  const auto t = events::ParseTime(*text);
  if (!t) {
    return std::unexpected(
        InvalidArgument(std::string(name) + " must be an RFC 3339 time", std::string(name)));
  }
  return std::optional<events::TimeMs>(*t);
}

bool ReadsAll(const ViewRequest& r) {
  return r.reader.role == "admin" || r.reader.role == "auditor";
}
bool IsMentor(const ViewRequest& r) { return r.reader.role == "mentor"; }
bool IsMentee(const ViewRequest& r) { return r.reader.role == "mentee"; }

double Percentage(std::int64_t attended, std::int64_t held) {
  if (held <= 0) return 0;
  return static_cast<double>(attended * 10'000 / held) / 100.0;
}

int AlertBand(std::int64_t attended, std::int64_t held) {
  if (held < 10) return 0;
  for (const int level : {40, 50, 60}) {
    if (attended * 100 < static_cast<std::int64_t>(level) * held) return level;
  }
  return 0;
}

Json TimeOrNull(events::TimeMs t) { return t == 0 ? Json() : Json(events::FormatTime(t)); }
Json DateOrNull(events::Days d) { return d == 0 ? Json() : Json(events::FormatDate(d)); }
Json StrOrNull(const std::string& s) { return s.empty() ? Json() : Json(s); }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace internal
}  // namespace mentorlog::projections
