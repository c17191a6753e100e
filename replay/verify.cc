#include "replay/verify.h"

#include "events/envelope.h"

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

}  // namespace mentorlog::replay
