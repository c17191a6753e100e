#include "events/envelope.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <memory>
#include <stdexcept>

#include "events/canonical_json.h"
#include "events/record_decoder.h"

namespace mentorlog::events {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void AppendHex(const unsigned char* bytes, size_t n, std::string& out) {
  for (size_t i = 0; i < n; ++i) {
    out.push_back(kHex[bytes[i] >> 4]);
    out.push_back(kHex[bytes[i] & 0xf]);
  }
}

void AppendUint(std::uint64_t v, std::string& out) {
  char buf[24];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, res.ptr);
}

void Member(std::string_view name, std::string_view value, std::string& out) {
  out.push_back('"');
  out += name;
  out += "\":";
  AppendCanonicalString(value, out);
}

std::string_view Unquote(std::string_view raw) {
  if (raw.size() >= 2 && raw.front() == '"' && raw.back() == '"')
    return raw.substr(1, raw.size() - 2);
  return {};
}

}  // namespace

std::string Sha256Hex(std::string_view bytes) { return Sha256Hex({bytes}); }

std::string Sha256Hex(std::initializer_list<std::string_view> parts) {
  // OpenSSL 3's one-shot SHA256() looks the digest up by name (EVP_MD_fetch)
  // and makes a context on every call, about half its cost for a record: fetch
  // once, and keep one context per thread.
  struct ContextFree {
    void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
  };
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  thread_local const std::unique_ptr<EVP_MD_CTX, ContextFree> ctx(EVP_MD_CTX_new());
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  unsigned int size = 0;
  bool ok =
      sha256 != nullptr && ctx != nullptr && EVP_DigestInit_ex2(ctx.get(), sha256, nullptr) == 1;
  for (const std::string_view part : parts) {
    ok = ok && EVP_DigestUpdate(ctx.get(), part.data(), part.size()) == 1;
  }
  if (!ok || EVP_DigestFinal_ex(ctx.get(), digest.data(), &size) != 1 || size != digest.size()) {
    throw std::runtime_error("OpenSSL SHA-256 failed");
  }
  std::string out;
  out.reserve(64);
  AppendHex(digest.data(), digest.size(), out);
  return out;
}

std::string NewUuid() {
  // One RAND_bytes call per 256 UUIDs: the same CSPRNG output, drawn in bulk
  // (a call per UUID was 2-3 % of the server's CPU under command load).
  constexpr size_t kBatch = 256;
  thread_local std::array<unsigned char, 16 * kBatch> pool{};
  thread_local size_t used = kBatch;
  if (used == kBatch) {
    if (RAND_bytes(pool.data(), static_cast<int>(pool.size())) != 1) {
      throw std::runtime_error("OpenSSL RAND_bytes failed");
    }
    used = 0;
  }
  std::array<unsigned char, 16> b{};
  std::copy_n(pool.begin() + static_cast<std::ptrdiff_t>(16 * used), b.size(), b.begin());
  std::fill_n(pool.begin() + static_cast<std::ptrdiff_t>(16 * used), b.size(), 0);
  ++used;
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    AppendHex(&b[i], 1, out);
  }
  return out;
}

void Envelope::SetDataText(std::string text) {
  data_text = std::move(text);
  data_index = DataIndex(data_text);
}

void Envelope::SetData(nlohmann::json value) {
  data = std::move(value);
  SetDataText(CanonicalJson(data));
}

bool Envelope::operator==(const Envelope& o) const {
  return position == o.position && stream == o.stream && version == o.version && type == o.type &&
         schema == o.schema && id == o.id && time == o.time && actor == o.actor &&
         command_id == o.command_id && correlation_id == o.correlation_id &&
         causation_id == o.causation_id && data == o.data && prev_hash == o.prev_hash &&
         hash == o.hash;
}

std::string Seal(Envelope& e) { return Seal(e, CanonicalJson(e.data)); }

std::string Seal(Envelope& e, std::string_view canonical_data) {
  // Members in JCS order (all names are ASCII): actor, causation_id, command_id,
  // correlation_id, data, hash, id, position, prev_hash, schema, stream, time,
  // type, version. `hash` is spliced in between `head` and `tail`.
  std::string head;
  head.reserve(512);
  head += "{\"actor\":{";
  Member("id", e.actor.id, head);
  head.push_back(',');
  Member("role", e.actor.role, head);
  head += "},";
  Member("causation_id", e.causation_id, head);
  head.push_back(',');
  Member("command_id", e.command_id, head);
  head.push_back(',');
  Member("correlation_id", e.correlation_id, head);
  head += ",\"data\":";
  head += canonical_data;
  head.push_back(',');

  std::string tail;
  tail.reserve(256);
  Member("id", e.id, tail);
  tail += ",\"position\":";
  AppendUint(e.position, tail);
  tail.push_back(',');
  Member("prev_hash", e.prev_hash, tail);
  tail += ",\"schema\":";
  AppendUint(static_cast<std::uint64_t>(e.schema), tail);
  tail.push_back(',');
  Member("stream", e.stream, tail);
  tail.push_back(',');
  Member("time", FormatTime(e.time), tail);
  tail.push_back(',');
  Member("type", e.type, tail);
  tail += ",\"version\":";
  AppendUint(e.version, tail);
  tail.push_back('}');

  const size_t head_size = head.size();
  head += tail;  // the canonical envelope without `hash`
  e.hash = Sha256Hex(head);
  e.SetDataText(std::string(canonical_data));
  std::string record;
  record.reserve(head.size() + 76);
  record.append(head, 0, head_size);
  record += "\"hash\":\"";
  record += e.hash;
  record += "\",";
  record += tail;
  return record;
}

std::expected<Envelope, DecodeError> DecodeRecord(std::string_view record, DataForm form) {
  if (auto fast = internal::DecodeRecordSimd(record, form)) return std::move(*fast);
  return internal::DecodeRecordDom(record, form);
}

std::expected<RecordHashes, DecodeError> CheckRecordHash(std::string_view s) {
  const auto bad = [](const char* why) { return std::unexpected(DecodeError{why}); };
  if (s.empty() || s.front() != '{') return bad("not a JSON object");
  std::string_view hash_raw, prev_raw, position_raw;
  size_t hash_begin = 0, hash_end = 0;  // member span to cut, comma included
  const bool whole = ForEachJsonMember(
      s, [&](std::string_view name, std::string_view value, size_t member_begin, size_t value_end) {
        if (name == "hash") {
          hash_raw = value;
          hash_begin = member_begin;
          hash_end = value_end + (s[value_end] == ',' ? 1 : 0);
          if (s[value_end] != ',') hash_begin -= 1;  // last member: cut the comma before it
        } else if (name == "prev_hash") {
          prev_raw = value;
        } else if (name == "position") {
          position_raw = value;
        }
        return true;
      });
  if (!whole) return bad("not a well-formed JSON object");
  if (hash_raw.empty() || prev_raw.empty() || position_raw.empty()) {
    return bad("hash, prev_hash or position missing");
  }
  RecordHashes out;
  out.hash = std::string(Unquote(hash_raw));
  out.prev_hash = std::string(Unquote(prev_raw));
  const auto res =
      std::from_chars(position_raw.data(), position_raw.data() + position_raw.size(), out.position);
  if (res.ec != std::errc{} || res.ptr != position_raw.data() + position_raw.size()) {
    return bad("position is not an unsigned integer");
  }
  out.computed = Sha256Hex({s.substr(0, hash_begin), s.substr(hash_end)});
  return out;
}

}  // namespace mentorlog::events
