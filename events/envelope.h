#pragma once

#include <cstdint>
#include <expected>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "events/data_view.h"
#include "events/time.h"

namespace mentorlog::events {

// Who caused an event. Events the system appends itself use {"system", "system"}.
struct Actor {
  std::string id;
  std::string role;  // admin | mentor | mentee | auditor | system

  bool operator==(const Actor&) const = default;
};

// The event envelope of API.md, the one shape an event has everywhere: in the
// store, over HTTP and WebSocket, in replay and export.
struct Envelope {
  std::uint64_t position = 0;  // global, 1-based, gapless
  std::string stream;          // "<aggregate>-<id>"
  std::uint64_t version = 0;   // within the stream, 1-based, gapless
  std::string type;            // past-tense fact, e.g. "MeetingScheduled"
  int schema = 1;              // version of `data`'s shape for this type
  std::string id;              // UUID
  TimeMs time = 0;             // recorded time; never decreases along positions
  Actor actor;
  std::string command_id;
  std::string correlation_id;
  std::string causation_id;
  // The event's data as a tree. Empty when decoded with DataForm::kText (a
  // replay's folds read data_text instead, through Data()).
  nlohmann::json data = nlohmann::json::object();
  std::string prev_hash;  // 64 lowercase hex digits; zeros before position 1
  std::string hash;       // SHA-256 of the canonical envelope without `hash`

  // `data` as JSON text (as stored: RFC 8785) with the index of its members,
  // set by Seal and by DecodeRecord. What folds read, through Data().
  std::string data_text;
  DataIndex data_index;

  // The data as text for the tolerant readers of events/data_fields.h.
  DataView Data() const { return DataView(data_text, data_index); }

  // Sets data_text (and its index) to `text`, the JSON text of `data`.
  void SetDataText(std::string text);
  // Sets `data` and its canonical text (envelopes made by hand: tests, tools).
  // Throws as CanonicalJson does.
  void SetData(nlohmann::json value);

  // Compares every field but data_text and its index, which only spell `data`
  // (two spellings of the same data compare equal).
  bool operator==(const Envelope& other) const;
};

// How much of `data` DecodeRecord builds: kTree both the tree and the text,
// kText the text only (a replay's folds, which read the text).
enum class DataForm { kTree, kText };

// prev_hash of position 1.
inline constexpr std::string_view kZeroHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// Why bytes are not a valid stored record.
struct DecodeError {
  std::string message;
};

// Sets `e.hash` from every other field and returns the stored record: the RFC 8785
// canonical JSON of the whole envelope. Throws std::domain_error (or nlohmann's
// type_error for invalid UTF-8) when `e.data` holds what JCS cannot represent;
// callers validate data before it reaches the store.
std::string Seal(Envelope& e);

// As Seal, with `canonical_data` already the RFC 8785 form of `e.data`, so a
// caller can canonicalise on its own thread before the chain is extended.
std::string Seal(Envelope& e, std::string_view canonical_data);

// Parses a stored record (or an export line) back into an Envelope. Any corrupt,
// truncated or incomplete input gives a DecodeError, never a crash. Does not check
// the hash; see CheckRecordHash.
std::expected<Envelope, DecodeError> DecodeRecord(std::string_view record,
                                                  DataForm form = DataForm::kTree);

// The parts of a record an auditor checks, found by one linear scan of the bytes
// without building a JSON tree (the fast path of `verify`).
struct RecordHashes {
  std::string prev_hash;
  std::string hash;      // as stored in the record
  std::string computed;  // SHA-256 of the record without its `hash` member
  std::uint64_t position = 0;
};

// Splits out `hash`, recomputes it over the rest of the bytes and reads
// `prev_hash` and `position`. Errors if the record is not a JSON object holding
// those members at the top level.
std::expected<RecordHashes, DecodeError> CheckRecordHash(std::string_view record);

// Lowercase hex SHA-256 of `bytes`.
std::string Sha256Hex(std::string_view bytes);

// Lowercase hex SHA-256 of the concatenation of `parts`, without copying them
// together: how a record is hashed without its own `hash` member.
std::string Sha256Hex(std::initializer_list<std::string_view> parts);

// A version 4 UUID from OpenSSL's CSPRNG ("xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx").
std::string NewUuid();

}  // namespace mentorlog::events
