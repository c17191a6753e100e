#include "replay/verify.h"

#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstring>
#include <limits>
#include <thread>
#include <vector>

#include "events/envelope.h"
#include "events/time.h"
#include "replay/raw_log.h"
#include "replay/record_view.h"
#include "store/keys.h"

namespace mentorlog::replay {

VerifyReport VerifyLog(const store::EventStore& store, std::uint64_t from) {
  VerifyReport report;
  const store::Head head = store.GetHead();
  if (from == 0) from = 1;
  const auto fail = [&report](std::uint64_t position, std::string problem) {
    report.ok = false;
    report.bad_position = position;
    report.problem = std::move(problem);
    return false;
  };

  // The chain link into `from` is the hash stored in record from - 1.
  std::string prev(events::kZeroHash);
  if (from > 1) {
    bool found = false;
    const auto scanned =
        store.ScanRecords(from - 2, [&](std::uint64_t position, std::string_view r) {
          const auto hashes = events::CheckRecordHash(r);
          if (position != from - 1 || !hashes)
            return fail(from - 1, "record before --from unreadable");
          prev = hashes->hash;
          found = true;
          return false;
        });
    if (!scanned) fail(from - 1, scanned.error().message);
    if (!report.ok) return report;
    if (!found) {
      fail(from - 1, "no record before --from");
      return report;
    }
  }

  std::uint64_t expected = from;
  const auto scanned = store.ScanRecords(from - 1, [&](std::uint64_t position, std::string_view r) {
    if (position != expected) {
      return fail(expected, "missing event: next stored position is " + std::to_string(position));
    }
    const auto hashes = events::CheckRecordHash(r);
    if (!hashes) return fail(position, "unreadable record: " + hashes.error().message);
    if (hashes->position != position) {
      return fail(position, "record says position " + std::to_string(hashes->position));
    }
    if (hashes->computed != hashes->hash) return fail(position, "hash does not match the record");
    if (hashes->prev_hash != prev)
      return fail(position, "prev_hash does not match the previous hash");
    prev = hashes->hash;
    ++report.checked;
    report.last_position = position;
    ++expected;
    return true;
  });
  if (!scanned && report.ok) fail(expected, scanned.error().message);
  if (!report.ok) return report;
  report.last_hash = prev;
  if (report.last_position < head.position) {
    fail(report.last_position + 1,
         "log ends before the stored head " + std::to_string(head.position));
  } else if (report.last_position > head.position) {
    fail(head.position + 1, "records beyond the stored head " + std::to_string(head.position));
  } else if (head.position > 0 && report.last_position == head.position && prev != head.hash) {
    fail(head.position, "the stored head hash does not match the last record");
  }
  return report;
}

// --- VerifyStore: the chain, the stream index, heads, meta and an anchor ------

namespace {

using Cf = RawLog::Cf;

// Positions are compared between the events and the stream index in chunks of
// 2^16: each side sums a keyed 128-bit hash of every (stream, version, position)
// triple per chunk; equal sums mean equal multisets (with overwhelming
// probability: the keys are random per run, so a forger cannot aim for a
// collision). Only a chunk whose sums differ is located exactly, with point
// reads, so verification reads the log and the index sequentially once and its
// memory grows by 16 bytes per 65,536 events.
constexpr int kChunkBits = 16;

struct Sum128 {
  std::uint64_t a = 0;
  std::uint64_t b = 0;
  bool operator==(const Sum128&) const = default;
};

std::uint64_t Mix64(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

// A keyed hash of (stream, version, position): 8-byte blocks folded through a
// multiply-mix that depends on `key` at every step.
std::uint64_t TripleHash(std::uint64_t key, std::string_view stream, std::uint64_t version,
                         std::uint64_t position) {
  std::uint64_t h = Mix64(key ^ stream.size());
  std::size_t i = 0;
  for (; i + 8 <= stream.size(); i += 8) {
    std::uint64_t block;
    std::memcpy(&block, stream.data() + i, 8);
    h = Mix64(h ^ block) + key;
  }
  std::uint64_t tail = 0;
  std::memcpy(&tail, stream.data() + i, stream.size() - i);
  h = Mix64(h ^ tail) + key;
  h = Mix64(h ^ version) + key;
  return Mix64(h ^ position) ^ key;
}

class ChunkSums {
 public:
  explicit ChunkSums(std::array<std::uint64_t, 2> keys) : keys_(keys) {}

  void Add(std::string_view stream, std::uint64_t version, std::uint64_t position) {
    const std::size_t chunk = position >> kChunkBits;
    if (chunk >= sums_.size()) sums_.resize(chunk + 1);
    sums_[chunk].a += TripleHash(keys_[0], stream, version, position);
    sums_[chunk].b += TripleHash(keys_[1], stream, version, position);
  }
  void Merge(const ChunkSums& other) {
    if (other.sums_.size() > sums_.size()) sums_.resize(other.sums_.size());
    for (std::size_t c = 0; c < other.sums_.size(); ++c) {
      sums_[c].a += other.sums_[c].a;
      sums_[c].b += other.sums_[c].b;
    }
  }
  Sum128 At(std::size_t chunk) const { return chunk < sums_.size() ? sums_[chunk] : Sum128{}; }
  std::size_t Chunks() const { return sums_.size(); }

 private:
  std::array<std::uint64_t, 2> keys_;
  std::vector<Sum128> sums_;
};

std::array<std::uint64_t, 2> RandomKeys() {
  std::array<std::uint64_t, 2> keys{};
  if (RAND_bytes(reinterpret_cast<unsigned char*>(keys.data()), sizeof keys) != 1) {
    keys = {0x9e3779b97f4a7c15ULL, 0xd1b54a32d192ed03ULL};  // still exact for honest logs
  }
  return keys;
}

// The lowest-positioned problem seen so far (a problem without a position
// counts only when there is no other).
class Findings {
 public:
  void Note(std::optional<std::uint64_t> position, std::string what) {
    if (!found_ || (position && (!position_ || *position < *position_))) {
      found_ = true;
      position_ = position;
      what_ = std::move(what);
    }
  }
  void Merge(const Findings& other) {
    if (other.found_) Note(other.position_, other.what_);
  }
  bool found() const { return found_; }
  std::optional<std::uint64_t> position() const { return position_; }
  const std::string& what() const { return what_; }

 private:
  bool found_ = false;
  std::optional<std::uint64_t> position_;
  std::string what_;
};

std::string Pos(std::uint64_t p) { return std::to_string(p); }

// The index side, run on its own thread: every streams entry (versions 1..n per
// stream, sums of entries at positions >= from) and every head.
struct IndexScan {
  const RawLog* log = nullptr;
  std::uint64_t from = 1;
  ChunkSums sums;
  std::uint64_t entries = 0;
  std::uint64_t streams = 0;
  Findings findings;
  std::string io_error;

  explicit IndexScan(std::array<std::uint64_t, 2> keys) : sums(keys) {}

  void Run() {
    std::string current;
    std::uint64_t last_version = 0;
    std::uint64_t last_position = 0;
    bool have_stream = false;

    // Heads, in stream order (as the index's keys), consumed as the index walks
    // its streams. One entry per stream: small beside the index.
    std::vector<std::pair<std::string, std::uint64_t>> heads;
    const auto heads_read = log->Scan(Cf::kHeads, "", [&](std::string_view k, std::string_view v) {
      const auto version = store::keys::ParseU64(v);
      if (!version) {
        findings.Note(std::nullopt, "malformed head of stream " + std::string(k));
        heads.emplace_back(std::string(k), 0);
      } else {
        heads.emplace_back(std::string(k), *version);
      }
      return true;
    });
    if (!heads_read) {
      io_error = heads_read.error();
      return;
    }
    std::size_t next_head = 0;
    const auto end_stream = [&] {
      if (!have_stream) return;
      // Heads for streams before `current` have no events.
      while (next_head < heads.size() && heads[next_head].first < current) {
        findings.Note(std::nullopt,
                      "head for stream " + heads[next_head].first + ", which has no events");
        ++next_head;
      }
      const bool checked = last_position >= from;
      if (next_head < heads.size() && heads[next_head].first == current) {
        if (checked && heads[next_head].second != last_version) {
          findings.Note(last_position, "head of stream " + current + " says version " +
                                           std::to_string(heads[next_head].second) +
                                           ", its last event is version " +
                                           std::to_string(last_version));
        }
        ++next_head;
      } else if (checked) {
        findings.Note(last_position, "no head for stream " + current);
      }
      if (checked) ++streams;
    };

    const auto scanned = log->Scan(Cf::kStreams, "", [&](std::string_view k, std::string_view v) {
      const auto key = store::keys::ParseStreamKey(k);
      const auto position = store::keys::ParseU64(v);
      if (!key || !position) {
        findings.Note(std::nullopt, "malformed stream-index entry");
        return true;
      }
      const auto [stream, version] = *key;
      if (!have_stream || stream != current) {
        end_stream();
        current.assign(stream);
        have_stream = true;
        last_version = 0;
      }
      if (version != last_version + 1 && *position >= from) {
        findings.Note(*position, "stream " + current + ": index version " +
                                     std::to_string(version) + " follows version " +
                                     std::to_string(last_version));
      }
      last_version = version;
      last_position = *position;
      if (*position >= from) {
        sums.Add(stream, version, *position);
        ++entries;
      }
      return true;
    });
    if (!scanned) {
      io_error = scanned.error();
      return;
    }
    end_stream();
    for (; next_head < heads.size(); ++next_head) {
      findings.Note(std::nullopt,
                    "head for stream " + heads[next_head].first + ", which has no events");
    }
  }
};

// Exact check of positions [lo, hi) in both directions, with point reads: each
// event has its index entry, each index entry into the range names its event.
std::expected<void, std::string> Locate(const RawLog& log, std::uint64_t lo, std::uint64_t hi,
                                        Findings& findings) {
  for (std::uint64_t p = lo; p < hi; ++p) {
    const auto record = log.Get(Cf::kEvents, store::keys::U64(p));
    if (!record) return std::unexpected(record.error());
    if (!*record) break;  // the end of the log (a gap is the chain's finding)
    const auto view = ViewRecord(**record);
    if (!view) break;
    const auto entry = log.Get(Cf::kStreams, store::keys::StreamKey(view->stream, view->version));
    if (!entry) return std::unexpected(entry.error());
    if (!*entry) {
      findings.Note(p, "no stream-index entry for " + std::string(view->stream) + " version " +
                           std::to_string(view->version));
      break;
    }
    const auto target = store::keys::ParseU64(**entry);
    if (target != p) {
      findings.Note(p, "stream-index entry for " + std::string(view->stream) + " version " +
                           std::to_string(view->version) + " points at position " +
                           (target ? Pos(*target) : std::string("?")));
      break;
    }
  }
  std::optional<std::string> io_error;
  const auto scanned = log.Scan(Cf::kStreams, "", [&](std::string_view k, std::string_view v) {
    const auto key = store::keys::ParseStreamKey(k);
    const auto position = store::keys::ParseU64(v);
    if (!key || !position || *position < lo || *position >= hi) return true;
    const auto record = log.Get(Cf::kEvents, v);
    if (!record) {
      io_error = record.error();
      return false;
    }
    const std::string entry = std::string(key->first) + " version " + std::to_string(key->second);
    if (!*record) {
      findings.Note(*position, "stream-index entry for " + entry + " points at position " +
                                   Pos(*position) + ", which holds no event");
      return true;
    }
    const auto view = ViewRecord(**record);
    if (view && (view->stream != key->first || view->version != key->second)) {
      findings.Note(*position, "stream-index entry for " + entry + " points at position " +
                                   Pos(*position) + ", which holds " + std::string(view->stream) +
                                   " version " + std::to_string(view->version));
    }
    return true;
  });
  if (io_error) return std::unexpected(*io_error);
  if (!scanned) return std::unexpected(scanned.error());
  return {};
}

// One walk of the hash chain over positions [start, stop): gapless, each record
// readable, saying its own position, its hash its own, its prev_hash the hash
// before it, its time not before the previous one, and the anchor's hash at the
// anchor position. Stops at the first problem. Sums (stream, version, position)
// for the comparison with the stream index.
struct ChainWalk {
  ChainWalk(const RawLog& log, std::array<std::uint64_t, 2> keys,
            const std::optional<Anchor>& anchor, std::uint64_t start, std::string prev,
            std::string prev_time)
      : log(log),
        anchor(anchor),
        start(start),
        sums(keys),
        prev(std::move(prev)),
        prev_time(std::move(prev_time)) {
    report.last_position = start - 1;
  }

  void Run() {
    std::uint64_t expected = start;
    const auto fail = [&](std::uint64_t position, std::string what) {
      bad = position;
      findings.Note(position, std::move(what));
      return false;
    };
    const auto scanned =
        log.Scan(Cf::kEvents, store::keys::U64(start), [&](std::string_view k, std::string_view r) {
          const auto position = store::keys::ParseU64(k);
          if (!position) return fail(expected, "malformed event key");
          if (*position != expected) {
            if (*position >= stop && expected == stop) return false;  // this walk's end
            return fail(expected, "missing event: the next stored position is " + Pos(*position));
          }
          if (expected >= stop) return false;
          const auto view = ViewRecord(r);
          if (!view) return fail(expected, "unreadable record: " + view.error());
          if (view->position != expected) {
            return fail(expected, "the record says position " + Pos(view->position));
          }
          if (!HashMatches(r, *view)) {
            return fail(expected, "the hash does not match the record");
          }
          if (view->prev_hash != prev) {
            return fail(expected,
                        "prev_hash does not match the hash of position " + Pos(expected - 1));
          }
          if (view->time < prev_time) return fail(expected, "time goes backwards");
          if (anchor && expected == anchor->position) {
            anchor_seen = true;
            if (view->hash != anchor->hash) {
              return fail(expected,
                          "the hash at the anchor position differs from the anchor: the log was "
                          "rewritten at or before it");
            }
          }
          sums.Add(view->stream, view->version, expected);
          prev.assign(view->hash);
          prev_time.assign(view->time);
          report.last_position = expected;
          ++report.checked;
          ++expected;
          return true;
        });
    if (!scanned) io_error = scanned.error();
    // A first walk that ran out of records before its stop: the log is shorter
    // than its meta says; the meta check reports it.
  }

  const RawLog& log;
  const std::optional<Anchor>& anchor;
  const std::uint64_t start;
  std::uint64_t stop = std::numeric_limits<std::uint64_t>::max();
  ChunkSums sums;
  std::string prev;
  std::string prev_time;
  VerifyReport report;  // checked, last_position
  std::optional<std::uint64_t> bad;
  Findings findings;
  std::string io_error;
  bool anchor_seen = false;
};

}  // namespace

std::expected<Anchor, std::string> ParseAnchor(std::string_view text) {
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos) {
    return std::unexpected(std::string("an anchor is POSITION:HASH"));
  }
  Anchor anchor;
  const std::string_view number = text.substr(0, colon);
  const auto r = std::from_chars(number.data(), number.data() + number.size(), anchor.position);
  if (number.empty() || r.ec != std::errc{} || r.ptr != number.data() + number.size()) {
    return std::unexpected("the anchor's position is not a number: " + std::string(number));
  }
  const std::string_view hash = text.substr(colon + 1);
  if (hash.size() != 64) return std::unexpected(std::string("the anchor's hash is not 64 hex"));
  for (const char c : hash) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) {
      return std::unexpected(std::string("the anchor's hash is not 64 hex"));
    }
    anchor.hash.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  if (anchor.position == 0 && anchor.hash != events::kZeroHash) {
    return std::unexpected(std::string("anchor position 0 has the zero hash"));
  }
  return anchor;
}

std::expected<VerifyReport, std::string> VerifyStore(const std::filesystem::path& dir,
                                                     const VerifyOptions& options) {
  const std::uint64_t from = std::max<std::uint64_t>(options.from, 1);
  if (options.anchor && from > 1) {
    return std::unexpected(std::string("--anchor checks the whole prefix; it excludes --from"));
  }
  auto opened = RawLog::OpenReadOnly(dir);
  if (!opened) return std::unexpected(opened.error());
  const RawLog& log = **opened;

  // Meta, as the store would read it on open.
  const auto meta = [&](const char* name) { return log.Get(Cf::kMeta, name); };
  const auto format = meta(store::keys::kFormatVersion);
  const auto meta_position = meta(store::keys::kLastPosition);
  const auto meta_hash = meta(store::keys::kLastHash);
  const auto meta_time = meta(store::keys::kLastTime);
  if (!format || !meta_position || !meta_hash || !meta_time) {
    return std::unexpected("cannot read the meta record of " + dir.string());
  }

  VerifyReport report;
  Findings findings;
  if (*format && store::keys::ParseU64(**format) != store::keys::kCurrentFormat) {
    findings.Note(std::nullopt, "unknown format in the meta record");
  }

  // The index side runs beside the chain walk (the machine has two cores).
  const auto keys = RandomKeys();
  IndexScan index(keys);
  index.log = &log;
  index.from = from;
  std::thread index_thread([&index] { index.Run(); });

  // The chain from `from` on: the record before it gives the first link.
  std::string prev(events::kZeroHash);
  std::string prev_time;
  std::optional<std::uint64_t> chain_bad;
  if (from > 1) {
    const auto before = log.Get(Cf::kEvents, store::keys::U64(from - 1));
    std::expected<RecordView, std::string> view = std::unexpected(std::string());
    if (!before) {
      index_thread.join();
      return std::unexpected(before.error());
    } else if (!*before || !(view = ViewRecord(**before))) {
      chain_bad = from - 1;
      findings.Note(from - 1, "the record before --from is missing or unreadable");
    } else {
      prev.assign(view->hash);
      prev_time.assign(view->time);
    }
  }
  // Two walks when the log is long, each on its own core: [from, mid) and
  // [mid, end). The second starts from the hash stored in record mid - 1,
  // which the first walk proves is that record's own hash.
  ChainWalk first(log, keys, options.anchor, from, prev, prev_time);
  std::optional<ChainWalk> second;
  const std::uint64_t stored_last =
      *meta_position ? store::keys::ParseU64(**meta_position).value_or(0) : 0;
  if (!chain_bad && stored_last >= from &&
      stored_last - from + 1 >= std::max<std::uint64_t>(options.parallel_min_events, 2)) {
    const std::uint64_t mid = from + (stored_last - from + 1) / 2;
    const auto link = log.Get(Cf::kEvents, store::keys::U64(mid - 1));
    if (link && *link) {
      if (const auto view = ViewRecord(**link)) {
        second.emplace(log, keys, options.anchor, mid, std::string(view->hash),
                       std::string(view->time));
        first.stop = mid;
      }
    }
  }
  if (!chain_bad) {
    std::thread second_thread([&second] {
      if (second) second->Run();
    });
    first.Run();
    second_thread.join();
  }
  std::string io_error = first.io_error;
  if (second && io_error.empty() && !first.bad) io_error = second->io_error;
  VerifyReport& chain = first.report;
  if (!chain_bad) {
    chain_bad = first.bad;
    findings.Merge(first.findings);
    if (second && !first.bad) {
      chain_bad = second->bad;
      findings.Merge(second->findings);
      first.sums.Merge(second->sums);
      chain.checked += second->report.checked;
      if (second->report.last_position > 0) {
        chain.last_position = second->report.last_position;
        first.prev = second->prev;
        first.prev_time = second->prev_time;
      }
      first.anchor_seen = first.anchor_seen || second->anchor_seen;
    }
  }
  report.checked = chain.checked;
  report.last_position = chain_bad ? chain.last_position : std::max(chain.last_position, from - 1);
  prev = first.prev;
  prev_time = first.prev_time;
  const bool anchor_seen = first.anchor_seen || (options.anchor && options.anchor->position == 0);
  ChunkSums& event_sums = first.sums;
  index_thread.join();
  if (!io_error.empty()) return std::unexpected(io_error);
  if (!index.io_error.empty()) return std::unexpected(index.io_error);
  findings.Merge(index.findings);
  report.index_entries = index.entries;
  report.streams = index.streams;
  report.last_hash = prev;

  if (!chain_bad) {
    // The stored head against the last record.
    const std::uint64_t last = report.last_position;
    const std::uint64_t stored =
        *meta_position ? store::keys::ParseU64(**meta_position).value_or(0) : 0;
    if (stored > last) {
      findings.Note(last + 1, "the log ends before the stored head " + Pos(stored));
    } else if (stored < last) {
      findings.Note(stored + 1, "records beyond the stored head " + Pos(stored));
    } else if (last > 0) {
      if (!*meta_hash || **meta_hash != prev) {
        findings.Note(last, "the stored head hash does not match the last record");
      }
      const auto time = events::ParseTime(prev_time);
      if (!*meta_time || !time ||
          store::keys::ParseU64(**meta_time) != static_cast<std::uint64_t>(*time)) {
        findings.Note(last, "the stored head time does not match the last record");
      }
    }
    if (options.anchor && !anchor_seen) {
      findings.Note(last + 1, "the log ends at position " + Pos(last) +
                                  ", before the anchor position " + Pos(options.anchor->position) +
                                  ": it was truncated");
    }
  }

  // Events against the index, chunk by chunk, below where the chain stopped.
  const std::uint64_t limit = chain_bad ? *chain_bad : report.last_position + 1;
  const std::size_t chunks = std::max(event_sums.Chunks(), index.sums.Chunks());
  for (std::size_t c = from >> kChunkBits; c < chunks; ++c) {
    const std::uint64_t lo = std::max<std::uint64_t>(std::uint64_t{c} << kChunkBits, from);
    const std::uint64_t hi = std::uint64_t{c + 1} << kChunkBits;
    if (lo >= limit && chain_bad) break;  // nothing verified to compare with
    if ((!chain_bad || hi <= limit) && event_sums.At(c) == index.sums.At(c)) continue;
    // A partial chunk (the chain stopped inside it) or a mismatch: check exactly.
    if (auto located = Locate(log, lo, chain_bad ? std::min(hi, limit) : hi, findings); !located) {
      return std::unexpected(located.error());
    }
    if (findings.found() && findings.position() && *findings.position() < hi) break;
  }

  if (findings.found()) {
    report.ok = false;
    report.bad_position = findings.position();
    report.problem = findings.what();
  }
  return report;
}

int VerifyExitCode(const std::expected<VerifyReport, std::string>& result) {
  if (!result) return 2;
  return result->ok ? 0 : 1;
}

std::string FormatVerifyReport(const VerifyReport& r) {
  if (!r.ok) {
    return "TAMPERED at position " +
           (r.bad_position ? std::to_string(*r.bad_position) : std::string("-")) + ": " + r.problem;
  }
  return "OK " + std::to_string(r.checked) + " events, " + std::to_string(r.index_entries) +
         " index entries, " + std::to_string(r.streams) + " streams checked; head " +
         std::to_string(r.last_position) + " " + r.last_hash;
}

}  // namespace mentorlog::replay
