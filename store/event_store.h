#pragma once

#include <cstdint>
#include <expected>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "events/envelope.h"

namespace mentorlog::store {

// Named error codes; each maps one-to-one onto an API.md error code.
enum class StoreErrorCode {
  kVersionMismatch,      // version_mismatch: expected_version did not hold
  kIdempotencyMismatch,  // idempotency_mismatch: same key, different request
  kUnavailable,          // unavailable: cannot write (failed write, read-only open)
  kInvalidArgument,      // invalid_argument: a limit or format rule broken
};

// API.md's wire name of `code`, e.g. "version_mismatch".
std::string_view StoreErrorCodeName(StoreErrorCode code);

struct StoreError {
  StoreErrorCode code;
  std::string message;
  // For kVersionMismatch: the stream's actual version (0 = no stream).
  std::uint64_t actual_version = 0;
};

// What an append expects of its primary stream (the stream of its first event).
struct AnyVersion {};  // no check
struct NoStream {};    // the stream must not exist yet
struct ExactVersion {  // the stream's last version must be `version`
  std::uint64_t version;
};
using ExpectedVersion = std::variant<AnyVersion, NoStream, ExactVersion>;

// One event to append. The store fills position, version, time, prev_hash and
// hash; `id` is generated when empty.
struct NewEvent {
  std::string stream;
  std::string type;
  int schema = 1;
  nlohmann::json data = nlohmann::json::object();
  events::Actor actor;
  std::string id;
  std::string command_id;
  std::string correlation_id;
  std::string causation_id;
};

// A retry key. `key` is the caller's scoped key (for HTTP: the token's `sub` and
// the Idempotency-Key); `fingerprint` identifies the request body, so the same
// key with a different body is refused rather than answered with another result.
struct Idempotency {
  std::string key;
  std::string fingerprint;
};

struct AppendRequest {
  std::vector<NewEvent> events;  // 1 or more; may span streams
  ExpectedVersion expected = AnyVersion{};
  std::optional<Idempotency> idempotency;
};

// Where one appended event landed.
struct AppendedEvent {
  std::uint64_t position;
  std::string stream;
  std::uint64_t version;
  std::string type;

  bool operator==(const AppendedEvent&) const = default;
};

struct AppendResult {
  std::uint64_t first_position = 0;
  std::uint64_t last_position = 0;
  std::string command_id;  // of the first event
  std::vector<AppendedEvent> events;
  bool replayed = false;  // true when answered from an earlier append's idempotency record

  bool operator==(const AppendResult&) const = default;
};

// What the store remembers of a successful append that carried an idempotency key.
struct IdempotencyRecord {
  std::string fingerprint;
  AppendResult result;
};

// The end of the log.
struct Head {
  std::uint64_t position = 0;                         // 0 for an empty log
  std::string hash = std::string(events::kZeroHash);  // hash of the last event
  events::TimeMs time = 0;                            // recorded time of the last event
};

using AppendOutcome = std::expected<AppendResult, StoreError>;

// An immutable batch of committed events, shared by every consumer without copies.
using CommittedBatch = std::shared_ptr<const std::vector<events::Envelope>>;

// Called with each committed batch of events, in position order, each event
// exactly once, on the store's writer thread after the batch is durable and
// before its appends are acknowledged. Must not block for long or call Append.
using CommitHook = std::function<void(CommittedBatch committed)>;

// The event log. All methods are thread-safe.
class EventStore {
 public:
  virtual ~EventStore() = default;

  // Appends `request.events` atomically: all become durable with consecutive
  // positions, or none do. Blocks until the events are durable (when durability
  // is `sync`) or the append is refused. Errors:
  //  - kInvalidArgument: no events, a bad stream id or type, data not an object,
  //    an event over 1 MiB or a batch over 16 MiB; nothing appended;
  //  - kVersionMismatch: `expected` does not hold for the first event's stream;
  //  - kIdempotencyMismatch: the key was used with another fingerprint;
  //  - kUnavailable: the store cannot write (a write failed earlier, or read-only).
  // With `idempotency` set and the key already used with the same fingerprint,
  // returns the first append's result with `replayed = true` and appends nothing.
  virtual std::expected<AppendResult, StoreError> Append(AppendRequest request) = 0;

  // As Append, but returns at once and calls `done` (on the writer thread) when
  // the append is durable or refused. `done` must not block or call Append.
  virtual void AppendAsync(AppendRequest request,
                           std::function<void(std::expected<AppendResult, StoreError>)> done) = 0;

  // Up to `limit` committed events with position > `after`, in position order,
  // their data decoded as `form` says (kText for folds, which read only the text).
  // Errors: kUnavailable if a stored record cannot be read or decoded.
  virtual std::expected<std::vector<events::Envelope>, StoreError> ReadAll(
      std::uint64_t after, size_t limit, events::DataForm form = events::DataForm::kTree) const = 0;

  // Up to `limit` events of `stream` with version >= `from_version`, in order.
  virtual std::expected<std::vector<events::Envelope>, StoreError> ReadStream(
      std::string_view stream, std::uint64_t from_version, size_t limit) const = 0;

  // The committed event at `position` (a point read, for views that keep
  // positions). Errors: kInvalidArgument for 0 or a position past the head;
  // kUnavailable if the record cannot be read or decoded.
  virtual std::expected<events::Envelope, StoreError> ReadAt(std::uint64_t position) const = 0;

  // Calls `visit(position, record)` for each stored record with position >
  // `after`, in order, with the raw canonical bytes; stops early when `visit`
  // returns false. Memory stays constant however long the log is.
  virtual std::expected<void, StoreError> ScanRecords(
      std::uint64_t after,
      const std::function<bool(std::uint64_t position, std::string_view record)>& visit) const = 0;

  // The last committed position, hash and time.
  virtual Head GetHead() const = 0;

  // The last version of `stream`, 0 when it has no events.
  virtual std::uint64_t StreamVersion(std::string_view stream) const = 0;

  // The record of a durable append made with idempotency key `key`, if any.
  // Appends still on their way to disk are not seen.
  virtual std::optional<IdempotencyRecord> FindIdempotency(std::string_view key) const = 0;
};

// True when `stream` is "<aggregate>-<id>": a lowercase aggregate name and an
// id matching [A-Za-z0-9][A-Za-z0-9._:-]{0,63}.
bool IsValidStreamName(std::string_view stream);

}  // namespace mentorlog::store
