#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "events/time.h"
#include "replay/raw_log.h"
#include "store/rocksdb_event_store.h"
#include "tests/store/store_test_support.h"

namespace mentorlog::testing {

// The known log of the replay tests: `count` events, one per append, at times
// kKnownLogStart + 1 s, + 2 s, ... (one per position). Event i (0-based) is in
// stream "student-S-<i % 3>", has type "LeaveRequested" when i % 4 == 0 and
// "MeetingScheduled" otherwise, and actor "M-1" for even i, "S-1" for odd i.
inline const events::TimeMs kKnownLogStart = *events::ParseTime("2026-11-23T08:00:00Z");

inline events::TimeMs KnownTime(std::uint64_t position) {
  return kKnownLogStart + static_cast<events::TimeMs>(position) * 1000;
}

inline store::AppendRequest KnownAppend(int i) {
  store::NewEvent e;
  e.stream = "student-S-" + std::to_string(i % 3);
  e.type = i % 4 == 0 ? "LeaveRequested" : "MeetingScheduled";
  e.data = {{"note", "event " + std::to_string(i)}, {"nested", {{"stream", "not-a-top-level"}}}};
  e.actor = i % 2 == 0 ? events::Actor{"M-1", "mentor"} : events::Actor{"S-1", "mentee"};
  e.command_id = "cmd-" + std::to_string(i);
  e.correlation_id = "corr-" + std::to_string(i);
  store::AppendRequest r;
  r.events.push_back(std::move(e));
  return r;
}

// Appends events first..first+count-1 of the known log to the store in `dir`.
inline void AppendKnown(const std::filesystem::path& dir, int first, int count) {
  store::StoreOptions options;
  options.durability = store::Durability::kNone;
  options.clock = [t = std::make_shared<std::uint64_t>(first)] { return KnownTime(++*t); };
  auto store = OpenStore(dir, options);
  ASSERT_NE(store, nullptr);
  for (int i = first; i < first + count; ++i) {
    const auto appended = store->Append(KnownAppend(i));
    ASSERT_TRUE(appended.has_value()) << appended.error().message;
  }
}

inline std::unique_ptr<store::RocksDbEventStore> OpenReadOnly(const std::filesystem::path& dir) {
  store::StoreOptions options;
  options.read_only = true;
  return OpenStore(dir, options);
}

// Every stored record, in position order.
inline std::vector<std::string> Records(const std::filesystem::path& dir) {
  std::vector<std::string> out;
  auto store = OpenReadOnly(dir);
  if (!store) return out;
  EXPECT_TRUE(store
                  ->ScanRecords(0,
                                [&](std::uint64_t, std::string_view r) {
                                  out.emplace_back(r);
                                  return true;
                                })
                  .has_value());
  return out;
}

// Every entry of one column family, key -> value.
inline std::map<std::string, std::string> Dump(const std::filesystem::path& dir,
                                               replay::RawLog::Cf cf) {
  std::map<std::string, std::string> out;
  auto log = replay::RawLog::OpenReadOnly(dir);
  EXPECT_TRUE(log.has_value()) << log.error();
  if (!log) return out;
  EXPECT_TRUE((*log)
                  ->Scan(cf, "",
                         [&](std::string_view k, std::string_view v) {
                           out.emplace(k, v);
                           return true;
                         })
                  .has_value());
  return out;
}

}  // namespace mentorlog::testing
