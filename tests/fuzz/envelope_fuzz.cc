// Fuzzes the two readers of stored bytes: DecodeRecord (every read of the log)
// and CheckRecordHash (the fast path of `verify`), on arbitrary bytes as a
// corrupt disk, a hostile export file or a tampered record would present them.
//
// Invariants beyond "no crash, no leak, no UB":
// - a record DecodeRecord accepts can be sealed again (the server re-seals what
//   it reads, e.g. GET /v1/streams) unless its data holds a number JCS cannot
//   (std::domain_error, as documented), and the sealed bytes are a fixed point:
//   they decode to an envelope that seals to the same bytes and hash;
// - on sealed bytes CheckRecordHash agrees with Seal: the stored and computed
//   hashes match, and position and prev_hash are the envelope's;
// - when both readers accept the same bytes they read the same position, and
//   the same hashes when those are written without escapes;
// - DecodeRecord's two paths agree: whatever the simdjson path answers, the
//   nlohmann reference answers equally (same envelope, same data text);
// - the data as text (what folds read) reads as the data tree does, member by
//   member, and the member scanner survives any bytes.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>

#include "events/data_fields.h"
#include "events/envelope.h"
#include "events/record_decoder.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace mentorlog::events;
  const std::string_view record(reinterpret_cast<const char*>(data), size);
  const auto decoded = DecodeRecord(record);
  const auto fast = CheckRecordHash(record);
  if (!decoded) {
    FUZZ_CHECK(!decoded.error().message.empty(), "a decode error says why");
  }
  if (!fast) {
    FUZZ_CHECK(!fast.error().message.empty(), "a hash check error says why");
  }
  if (decoded && fast) {
    FUZZ_CHECK(fast->position == decoded->position, "both readers read the same position");
    if (fast->prev_hash.find('\\') == std::string::npos) {
      FUZZ_CHECK(fast->prev_hash == decoded->prev_hash, "both readers read the same prev_hash");
    }
    if (fast->hash.find('\\') == std::string::npos) {
      FUZZ_CHECK(fast->hash == decoded->hash, "both readers read the same hash");
    }
  }
  if (const auto simd = internal::DecodeRecordSimd(record)) {
    const auto reference = internal::DecodeRecordDom(record);
    FUZZ_CHECK(reference.has_value(), "the reference decodes what the simdjson path does");
    FUZZ_CHECK(*simd == *reference && simd->data.dump() == reference->data.dump(),
               "both decode paths give the same envelope");
    FUZZ_CHECK(simd->data_text == reference->data_text, "both decode paths give the same text");
  }
  {
    const IndexedObject any(record);  // arbitrary bytes as an object's text
    (void)field::Int(any.View(), "position");
    (void)field::Strings(any.View(), "data");
  }
  if (!decoded) return 0;

  // Folds read the text; each member reads as it does from the tree.
  const DataView text = decoded->Data();
  for (const auto& [key, value] : decoded->data.items()) {
    FUZZ_CHECK(text.Has(key), "every member of the tree is found in the text");
    FUZZ_CHECK(field::Str(text, key) == field::Str(decoded->data, key), "Str agrees");
    FUZZ_CHECK(field::Bool(text, key) == field::Bool(decoded->data, key), "Bool agrees");
    FUZZ_CHECK(field::Strings(text, key) == field::Strings(decoded->data, key), "Strings agrees");
    if (value.is_number_integer() &&
        (!value.is_number_unsigned() ||
         value.get<std::uint64_t>() <= std::numeric_limits<std::int64_t>::max())) {
      FUZZ_CHECK(field::Int(text, key) == field::Int(decoded->data, key), "Int agrees");
    }
    if (value.is_number() && std::isfinite(value.get<double>())) {
      FUZZ_CHECK(field::Num(text, key) == field::Num(decoded->data, key), "Num agrees");
    }
  }

  Envelope sealed = *decoded;
  std::string bytes;
  try {
    bytes = Seal(sealed);
  } catch (const std::domain_error&) {
    // Data JCS cannot hold (an integer beyond 2^53): valid JSON, so DecodeRecord
    // takes it, but no store holds such a record, as Seal refused it on append
    // and import refuses it too.
    return 0;
  }
  const auto check = CheckRecordHash(bytes);
  FUZZ_CHECK(check.has_value(), "sealed bytes pass the hash check's parser");
  FUZZ_CHECK(check->hash == sealed.hash && check->computed == sealed.hash,
             "the fast path recomputes Seal's hash");
  FUZZ_CHECK(check->position == sealed.position && check->prev_hash == sealed.prev_hash,
             "the fast path reads Seal's position and prev_hash");
  const auto again = DecodeRecord(bytes);
  FUZZ_CHECK(again.has_value(), "sealed bytes decode");
  Envelope resealed = *again;
  FUZZ_CHECK(Seal(resealed) == bytes && resealed.hash == sealed.hash,
             "sealed bytes are a fixed point of decode + seal");
  return 0;
}
