#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "store/rocksdb_event_store.h"

namespace mentorlog::testing {

// An event of about `payload` bytes of data for `stream`.
inline store::NewEvent MakeEvent(std::string stream, std::string type = "MeetingScheduled",
                                 nlohmann::json data = nlohmann::json::object()) {
  store::NewEvent e;
  e.stream = std::move(stream);
  e.type = std::move(type);
  e.data = std::move(data);
  e.actor = {"M-7", "mentor"};
  e.command_id = "cmd";
  e.correlation_id = "corr";
  return e;
}

inline store::AppendRequest MakeAppend(std::string stream, store::ExpectedVersion expected = {},
                                       nlohmann::json data = nlohmann::json::object()) {
  store::AppendRequest r;
  r.events.push_back(MakeEvent(std::move(stream), "MeetingScheduled", std::move(data)));
  r.expected = expected;
  return r;
}

inline std::unique_ptr<store::RocksDbEventStore> OpenStore(const std::filesystem::path& dir,
                                                           store::StoreOptions options = {}) {
  auto opened = store::RocksDbEventStore::Open(dir, std::move(options));
  if (!opened) {
    ADD_FAILURE() << opened.error().message;
    return nullptr;
  }
  return std::move(*opened);
}

}  // namespace mentorlog::testing
