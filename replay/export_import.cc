#include "replay/export_import.h"

#include <system_error>
#include <unordered_map>

#include "events/envelope.h"
#include "replay/raw_log.h"
#include "replay/replay.h"
#include "store/keys.h"

namespace mentorlog::replay {
namespace {

using Cf = RawLog::Cf;

// Flush the import's WriteBatch when it holds this much.
constexpr std::size_t kImportBatchBytes = std::size_t{8} << 20;

std::unexpected<ImportError> Refuse(std::uint64_t line, std::string message) {
  return std::unexpected(ImportError{line, std::move(message)});
}

// Builds the log in `tmp`; the caller renames or removes it.
std::expected<ImportReport, ImportError> ImportInto(std::istream& in,
                                                    const std::filesystem::path& tmp,
                                                    const ImportOptions& options) {
  auto created = RawLog::CreateNew(tmp);
  if (!created) return Refuse(0, created.error());
  RawLog& log = **created;

  ImportReport report;
  std::unordered_map<std::string, std::uint64_t> versions;  // stream -> last version
  std::string prev(events::kZeroHash);
  events::TimeMs prev_time = 0;
  std::optional<std::string> anchor_hash;
  std::string line;
  std::uint64_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    const std::string at = "line " + std::to_string(n) + ": ";
    if (line.empty()) return Refuse(n, at + "empty line");
    auto e = events::DecodeRecord(line);
    if (!e) return Refuse(n, at + "not an event envelope: " + e.error().message);
    if (e->position != n) {
      return Refuse(n, at + "position " + std::to_string(e->position) + " where " +
                           std::to_string(n) +
                           " was expected: a line was removed, duplicated or reordered");
    }
    if (e->prev_hash != prev) {
      return Refuse(n, at + "prev_hash is not the hash of line " + std::to_string(n - 1) +
                           ": the chain is broken");
    }
    events::Envelope resealed = *e;
    std::string canonical;
    try {
      canonical = events::Seal(resealed);
    } catch (const std::exception& ex) {
      return Refuse(n, at + "cannot be canonicalised: " + ex.what());
    }
    if (resealed.hash != e->hash) {
      return Refuse(n, at + "the hash does not match the line's contents: the line was altered");
    }
    if (canonical != line) return Refuse(n, at + "not in canonical (RFC 8785) form");
    if (!store::IsValidStreamName(e->stream)) {
      return Refuse(n, at + "invalid stream name " + e->stream);
    }
    std::uint64_t& version = versions[e->stream];
    if (e->version != version + 1) {
      return Refuse(n, at + "version " + std::to_string(e->version) + " of stream " + e->stream +
                           " where " + std::to_string(version + 1) + " was expected");
    }
    if (e->time < prev_time) return Refuse(n, at + "time goes backwards");
    version = e->version;
    prev = e->hash;
    prev_time = e->time;
    if (options.anchor && options.anchor->position == n) anchor_hash = e->hash;

    log.Put(Cf::kEvents, store::keys::U64(n), line);
    log.Put(Cf::kStreams, store::keys::StreamKey(e->stream, e->version), store::keys::U64(n));
    if (log.BufferedBytes() >= kImportBatchBytes) {
      if (auto flushed = log.Flush(); !flushed) return Refuse(n, at + flushed.error());
    }
  }
  if (in.bad()) return Refuse(n + 1, "cannot read the input");
  if (options.anchor && options.anchor->position > 0) {
    if (!anchor_hash) {
      return Refuse(0, "the import ends at position " + std::to_string(n) +
                           ", before the anchor position " +
                           std::to_string(options.anchor->position));
    }
    if (*anchor_hash != options.anchor->hash) {
      return Refuse(options.anchor->position,
                    "line " + std::to_string(options.anchor->position) +
                        ": the hash differs from the anchor: the log was rewritten");
    }
  }
  for (const auto& [stream, version] : versions) {
    log.Put(Cf::kHeads, stream, store::keys::U64(version));
  }
  log.Put(Cf::kMeta, store::keys::kFormatVersion, store::keys::U64(store::keys::kCurrentFormat));
  if (n > 0) {
    log.Put(Cf::kMeta, store::keys::kLastPosition, store::keys::U64(n));
    log.Put(Cf::kMeta, store::keys::kLastHash, prev);
    log.Put(Cf::kMeta, store::keys::kLastTime,
            store::keys::U64(static_cast<std::uint64_t>(prev_time)));
  }
  if (auto flushed = log.Flush(); !flushed) return Refuse(0, flushed.error());
  // Table files, not a WAL to replay, so the first open of the new log is fast.
  if (auto flushed = log.FlushMemtables(); !flushed) return Refuse(0, flushed.error());
  report.events = n;
  report.streams = versions.size();
  report.last_hash = prev;
  return report;
}

}  // namespace

std::expected<std::uint64_t, std::string> Export(const store::EventStore& store,
                                                 std::ostream& out) {
  // Every record from 1 to the head, and a gap is an error, not a skip.
  std::uint64_t expected = 1;
  return WriteRecordLines(
      store, 0, store.GetHead().position,
      [&expected](std::uint64_t position, std::string_view, std::string& problem) {
        if (position != expected) {
          problem = "the log has no event at position " + std::to_string(expected);
          return false;
        }
        ++expected;
        return true;
      },
      out);
}

std::expected<ImportReport, ImportError> Import(std::istream& in, const std::filesystem::path& dir,
                                                const ImportOptions& options) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path target = fs::absolute(dir, ec);
  if (ec) return Refuse(0, "bad directory " + dir.string() + ": " + ec.message());
  if (fs::exists(target, ec)) {
    if (!fs::is_directory(target, ec) || !fs::is_empty(target, ec)) {
      return Refuse(0, target.string() + " is not an empty directory; import only into a new one");
    }
  }
  fs::create_directories(target.parent_path(), ec);
  if (ec) return Refuse(0, "cannot create " + target.parent_path().string() + ": " + ec.message());
  // A sibling, so the final rename stays on one filesystem and is atomic.
  const fs::path tmp =
      target.parent_path() / ("." + target.filename().string() + ".import-" + events::NewUuid());
  auto imported = ImportInto(in, tmp, options);
  if (imported) {
    fs::rename(tmp, target, ec);  // replaces `target` when it is an empty directory
    if (ec) imported = Refuse(0, "cannot move the import into place: " + ec.message());
  }
  if (!imported) fs::remove_all(tmp, ec);
  return imported;
}

}  // namespace mentorlog::replay
