#include "store/rocksdb_event_store.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "events/canonical_json.h"
#include "events/data_fields.h"
#include "replay/verify.h"
#include "store/keys.h"
#include "tests/store/store_test_support.h"
#include "tests/support/temp_dir.h"

namespace mentorlog::store {
namespace {

using testing::MakeAppend;
using testing::MakeEvent;
using testing::OpenStore;
using testing::TempDir;

TEST(RocksDbEventStoreTest, AppendAssignsPositionsVersionsAndChain) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  AppendRequest request = MakeAppend("meeting-MT-9");
  request.events.push_back(MakeEvent("meeting-MT-9", "MeetingAccepted"));
  request.events.push_back(MakeEvent("student-S-1", "StudentEnrolled"));
  const auto result = store->Append(request);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->first_position, 1u);
  EXPECT_EQ(result->last_position, 3u);
  EXPECT_EQ(result->command_id, "cmd");
  EXPECT_EQ(result->events, (std::vector<AppendedEvent>{{1, "meeting-MT-9", 1, "MeetingScheduled"},
                                                        {2, "meeting-MT-9", 2, "MeetingAccepted"},
                                                        {3, "student-S-1", 1, "StudentEnrolled"}}));
  const auto all = store->ReadAll(0, 100);
  ASSERT_TRUE(all.has_value());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].prev_hash, events::kZeroHash);
  EXPECT_EQ((*all)[1].prev_hash, (*all)[0].hash);
  EXPECT_EQ((*all)[2].prev_hash, (*all)[1].hash);
  EXPECT_EQ(store->GetHead().hash, (*all)[2].hash);
  EXPECT_EQ(store->StreamVersion("meeting-MT-9"), 2u);
  EXPECT_EQ(store->StreamVersion("student-S-1"), 1u);
  EXPECT_EQ(store->StreamVersion("student-S-2"), 0u);
  EXPECT_EQ((*all)[0].id.size(), 36u);
}

// Guarantee 2: one total order, gapless, under concurrent appenders; and group
// commit: concurrent appends share fsyncs.
TEST(RocksDbEventStoreTest, PositionsAreGaplessUnderEightConcurrentAppenders) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  constexpr int kThreads = 8;
  constexpr int kPerThread = 250;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int n = 0; n < kPerThread; ++n) {
        const auto r = store->Append(
            MakeAppend("student-T" + std::to_string(t), {}, {{"thread", t}, {"seq", n}}));
        ASSERT_TRUE(r.has_value()) << r.error().message;
      }
    });
  }
  for (auto& t : threads) t.join();
  const auto all = store->ReadAll(0, 10'000);
  ASSERT_TRUE(all.has_value());
  ASSERT_EQ(all->size(), size_t{kThreads * kPerThread});
  std::map<std::string, std::uint64_t> versions;
  for (size_t i = 0; i < all->size(); ++i) {
    const auto& e = (*all)[i];
    EXPECT_EQ(e.position, i + 1);
    EXPECT_EQ(e.version, ++versions[e.stream]) << e.stream;
    EXPECT_EQ(e.data["seq"], e.version - 1);  // each appender's events keep its order
    if (i > 0) {
      EXPECT_GE(e.time, (*all)[i - 1].time);
    }
  }
  const WriterStats stats = store->Stats();
  EXPECT_EQ(stats.events, size_t{kThreads * kPerThread});
  EXPECT_LT(stats.commits, stats.appends) << "concurrent appends never shared a commit";
  EXPECT_TRUE(replay::VerifyLog(*store).ok);
}

// Guarantee 1: durable before acknowledged. Every acknowledged commit was
// fsync'd (kill -9 alone cannot show this: the page cache survives a process).
TEST(RocksDbEventStoreTest, EveryAcknowledgedCommitIsFsyncedFirst) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(store->Append(MakeAppend("student-S-1")).has_value());
  const WriterStats synced = store->Stats();
  EXPECT_EQ(synced.commits, 20u);
  EXPECT_GE(synced.wal_syncs, synced.commits);

  TempDir unsynced_dir;
  StoreOptions options;
  options.durability = Durability::kNone;
  auto unsynced = OpenStore(unsynced_dir.path(), options);
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(unsynced->Append(MakeAppend("student-S-1")).has_value());
  }
  EXPECT_EQ(unsynced->Stats().wal_syncs, 0u);
}

// Guarantee 3: optimistic concurrency.
TEST(RocksDbEventStoreTest, ExactlyOneWinnerAmongRacingAppendsWithTheSameExpectedVersion) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  ASSERT_TRUE(store->Append(MakeAppend("meeting-MT-1")).has_value());
  constexpr int kRacers = 16;
  std::atomic<int> winners = 0, mismatches = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < kRacers; ++t) {
    threads.emplace_back([&] {
      const auto r = store->Append(MakeAppend("meeting-MT-1", ExactVersion{1}));
      if (r) {
        ++winners;
      } else if (r.error().code == StoreErrorCode::kVersionMismatch) {
        ++mismatches;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(winners.load(), 1);
  EXPECT_EQ(mismatches.load(), kRacers - 1);
  EXPECT_EQ(store->StreamVersion("meeting-MT-1"), 2u);
  EXPECT_EQ(store->GetHead().position, 2u);
}

TEST(RocksDbEventStoreTest, NoStreamAndExactVersionAreChecked) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  ASSERT_TRUE(store->Append(MakeAppend("leave-L-1", NoStream{})).has_value());
  const auto again = store->Append(MakeAppend("leave-L-1", NoStream{}));
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, StoreErrorCode::kVersionMismatch);
  EXPECT_EQ(again.error().actual_version, 1u);
  const auto stale = store->Append(MakeAppend("leave-L-1", ExactVersion{0}));
  ASSERT_FALSE(stale.has_value());
  EXPECT_EQ(StoreErrorCodeName(stale.error().code), "version_mismatch");
  EXPECT_TRUE(store->Append(MakeAppend("leave-L-1", ExactVersion{1})).has_value());
  EXPECT_EQ(store->GetHead().position, 2u);
}

// Guarantee 4: idempotency.
TEST(RocksDbEventStoreTest, IdempotentRetryReturnsTheFirstResultAndAppendsNothing) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  AppendRequest request = MakeAppend("meeting-MT-9");
  request.idempotency = Idempotency{"M-7\nkey-1", "body-a"};
  const auto first = store->Append(request);
  ASSERT_TRUE(first.has_value());
  EXPECT_FALSE(first->replayed);
  const Head head = store->GetHead();

  const auto retry = store->Append(request);
  ASSERT_TRUE(retry.has_value());
  EXPECT_TRUE(retry->replayed);
  EXPECT_EQ(retry->events, first->events);
  EXPECT_EQ(retry->last_position, first->last_position);
  EXPECT_EQ(store->GetHead().position, head.position);

  // Still remembered after a restart: the key is stored with the events.
  store.reset();
  store = OpenStore(dir.path());
  const auto after_restart = store->Append(request);
  ASSERT_TRUE(after_restart.has_value());
  EXPECT_EQ(after_restart->events, first->events);
  EXPECT_EQ(store->GetHead().position, head.position);
}

TEST(RocksDbEventStoreTest, SameKeyWithAnotherBodyIsAnIdempotencyMismatch) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  AppendRequest request = MakeAppend("meeting-MT-9");
  request.idempotency = Idempotency{"M-7\nkey-1", "body-a"};
  ASSERT_TRUE(store->Append(request).has_value());
  request.idempotency->fingerprint = "body-b";
  const auto other = store->Append(request);
  ASSERT_FALSE(other.has_value());
  EXPECT_EQ(other.error().code, StoreErrorCode::kIdempotencyMismatch);
  EXPECT_EQ(store->GetHead().position, 1u);
}

TEST(RocksDbEventStoreTest, ConcurrentRetriesOfOneKeyAppendOnce) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  std::vector<std::thread> threads;
  std::mutex mu;
  std::set<std::uint64_t> positions;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&] {
      AppendRequest request = MakeAppend("meeting-MT-9");
      request.idempotency = Idempotency{"M-7\nsame", "body"};
      const auto r = store->Append(request);
      ASSERT_TRUE(r.has_value());
      std::lock_guard lock(mu);
      positions.insert(r->last_position);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(positions, std::set<std::uint64_t>{1});
  EXPECT_EQ(store->GetHead().position, 1u);
}

// Guarantee 8 (the part a clean restart shows): the meta record restores the end.
TEST(RocksDbEventStoreTest, ReopeningRestoresHeadsLastPositionAndHash) {
  TempDir dir;
  Head before;
  {
    auto store = OpenStore(dir.path());
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(store->Append(MakeAppend("student-S-1")).has_value());
    before = store->GetHead();
  }
  auto store = OpenStore(dir.path());
  const Head after = store->GetHead();
  EXPECT_EQ(after.position, before.position);
  EXPECT_EQ(after.hash, before.hash);
  EXPECT_EQ(after.time, before.time);
  EXPECT_EQ(store->StreamVersion("student-S-1"), 5u);
  const auto next = store->Append(MakeAppend("student-S-1", ExactVersion{5}));
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->first_position, 6u);
  const auto read = store->ReadAll(5, 10);
  ASSERT_TRUE(read.has_value());
  ASSERT_EQ(read->size(), 1u);
  EXPECT_EQ((*read)[0].prev_hash, before.hash);
  EXPECT_EQ((*read)[0].version, 6u);
  EXPECT_TRUE(replay::VerifyLog(*store).ok);
}

TEST(RocksDbEventStoreTest, RefusesBadInputAndWritesNothing) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  const auto refused = [&](AppendRequest request) {
    const auto r = store->Append(std::move(request));
    EXPECT_FALSE(r.has_value());
    if (!r) {
      EXPECT_EQ(r.error().code, StoreErrorCode::kInvalidArgument) << r.error().message;
    }
  };
  refused(AppendRequest{});
  for (const std::string& stream : std::vector<std::string>{
           "", "student", "-S-1", "Student-S-1", "student-", "student-S 1", "student-S/1",
           "student-" + std::string(65, 'a'), "student-.x", "student-S-1\n"}) {
    refused(MakeAppend(stream));
  }
  AppendRequest bad_type = MakeAppend("student-S-1");
  bad_type.events[0].type = "not a type";
  refused(bad_type);
  refused(MakeAppend("student-S-1", {}, nlohmann::json::array()));
  refused(MakeAppend("student-S-1", {}, {{"text", std::string(1 << 20, 'x')}}));
  refused(MakeAppend("student-S-1", {}, {{"text", "bad \xff utf-8"}}));
  AppendRequest no_actor = MakeAppend("student-S-1");
  no_actor.events[0].actor = {};
  refused(no_actor);
  AppendRequest huge;
  for (int i = 0; i < 20; ++i) {
    huge.events.push_back(
        MakeEvent("student-S-1", "StudentEnrolled", {{"text", std::string(900'000, 'x')}}));
  }
  refused(std::move(huge));
  // A mix where one event is too big appends none of the request.
  AppendRequest mixed = MakeAppend("student-S-1");
  mixed.events.push_back(
      MakeEvent("student-S-1", "StudentEnrolled", {{"text", std::string(1 << 20, 'x')}}));
  refused(std::move(mixed));
  EXPECT_EQ(store->GetHead().position, 0u);
  EXPECT_EQ(store->StreamVersion("student-S-1"), 0u);
  EXPECT_TRUE(store->Append(MakeAppend("student-S-1")).has_value());
}

TEST(RocksDbEventStoreTest, RecordedTimeNeverGoesBackwards) {
  TempDir dir;
  std::atomic<events::TimeMs> now = 1'000'000;
  StoreOptions options;
  options.clock = [&now] { return now.load(); };
  auto store = OpenStore(dir.path(), options);
  ASSERT_TRUE(store->Append(MakeAppend("student-S-1")).has_value());
  now = 500;  // the wall clock steps back
  ASSERT_TRUE(store->Append(MakeAppend("student-S-1")).has_value());
  now = 2'000'000;
  ASSERT_TRUE(store->Append(MakeAppend("student-S-1")).has_value());
  const auto all = store->ReadAll(0, 10);
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ((*all)[0].time, 1'000'000);
  EXPECT_EQ((*all)[1].time, 1'000'000);
  EXPECT_EQ((*all)[2].time, 2'000'000);
}

// A failed sync stays failed: the tail is uncertain, so nothing more is acknowledged.
TEST(RocksDbEventStoreTest, AfterAFailedWriteEveryAppendIsRefusedUntilReopened) {
  TempDir dir;
  std::atomic<bool> fail = false;
  StoreOptions options;
  options.inject_write_failure = [&fail] { return fail.load(); };
  auto store = OpenStore(dir.path(), options);
  ASSERT_TRUE(store->Append(MakeAppend("student-S-1")).has_value());
  fail = true;
  const auto failed = store->Append(MakeAppend("student-S-1"));
  ASSERT_FALSE(failed.has_value());
  EXPECT_EQ(failed.error().code, StoreErrorCode::kUnavailable);
  fail = false;
  const auto later = store->Append(MakeAppend("student-S-2"));
  ASSERT_FALSE(later.has_value());
  EXPECT_EQ(later.error().code, StoreErrorCode::kUnavailable);
  EXPECT_TRUE(store->Failed());
  // Reads keep working.
  const auto read = store->ReadAll(0, 10);
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->size(), 1u);

  store.reset();
  store = OpenStore(dir.path());
  EXPECT_EQ(store->GetHead().position, 1u);
  const auto after = store->Append(MakeAppend("student-S-1"));
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->first_position, 2u);
  EXPECT_TRUE(replay::VerifyLog(*store).ok);
}

// Guarantee 5 at the store: the hook sees committed events in order, once.
TEST(RocksDbEventStoreTest, CommitHookSeesEveryEventOnceInPositionOrder) {
  TempDir dir;
  std::vector<std::uint64_t> seen;  // written only on the writer thread
  StoreOptions options;
  options.commit_hook = [&seen](CommittedBatch committed) {
    for (const auto& e : *committed) seen.push_back(e.position);
  };
  auto store = OpenStore(dir.path(), options);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int n = 0; n < 100; ++n) {
        AppendRequest r = MakeAppend("student-T" + std::to_string(t), NoStream{});
        if (n > 0) r.expected = ExactVersion{static_cast<std::uint64_t>(n)};
        ASSERT_TRUE(store->Append(r).has_value());
        // A refused append never reaches the hook.
        EXPECT_FALSE(store->Append(MakeAppend("student-T" + std::to_string(t), NoStream{})));
      }
    });
  }
  for (auto& t : threads) t.join();
  store.reset();  // joins the writer
  ASSERT_EQ(seen.size(), 400u);
  for (size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], i + 1);
}

TEST(RocksDbEventStoreTest, ReadStreamReturnsOneStreamFromAVersion) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(store->Append(MakeAppend("student-S-1", {}, {{"n", i}})).has_value());
    ASSERT_TRUE(store->Append(MakeAppend("student-S-10", {}, {{"n", i}})).has_value());
  }
  const auto stream = store->ReadStream("student-S-1", 3, 2);
  ASSERT_TRUE(stream.has_value());
  ASSERT_EQ(stream->size(), 2u);
  EXPECT_EQ((*stream)[0].version, 3u);
  EXPECT_EQ((*stream)[0].data["n"], 2);
  EXPECT_EQ((*stream)[1].version, 4u);
  EXPECT_EQ((*stream)[1].stream, "student-S-1");
  const auto none = store->ReadStream("student-S-2", 1, 10);
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->empty());
  const auto page = store->ReadAll(3, 4);
  ASSERT_TRUE(page.has_value());
  ASSERT_EQ(page->size(), 4u);
  EXPECT_EQ(page->front().position, 4u);
}

TEST(RocksDbEventStoreTest, ReadAtReturnsTheEventAtAPositionAndRefusesOthers) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(store->Append(MakeAppend("student-S-" + std::to_string(i), {}, {{"n", i}})));
  }
  const auto second = store->ReadAt(2);
  ASSERT_TRUE(second.has_value()) << second.error().message;
  EXPECT_EQ(second->position, 2u);
  EXPECT_EQ(second->stream, "student-S-1");
  EXPECT_EQ(second->data["n"], 1);
  EXPECT_EQ(*second, store->ReadAll(1, 1)->front());
  EXPECT_EQ(store->ReadAt(0).error().code, StoreErrorCode::kInvalidArgument);
  EXPECT_EQ(store->ReadAt(4).error().code, StoreErrorCode::kInvalidArgument);
}

TEST(RocksDbEventStoreTest, ReadOnlyOpenReadsButNeverWrites) {
  TempDir dir;
  auto writer = OpenStore(dir.path());
  ASSERT_TRUE(writer->Append(MakeAppend("student-S-1")).has_value());
  StoreOptions options;
  options.read_only = true;
  auto reader = OpenStore(dir.path(), options);  // while the writer holds the lock
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->GetHead().position, 1u);
  const auto r = reader->Append(MakeAppend("student-S-2"));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, StoreErrorCode::kUnavailable);
  EXPECT_TRUE(replay::VerifyLog(*reader).ok);

  StoreOptions missing;
  missing.read_only = true;
  EXPECT_FALSE(RocksDbEventStore::Open(dir.path() / "none", missing).has_value());
}

TEST(RocksDbEventStoreTest, UpcastersApplyOnRead) {
  TempDir dir;
  auto upcasters = std::make_shared<events::Upcasters>();
  upcasters->Register("MeetingScheduled", 1, [](nlohmann::json d) {
    d["mode"] = "offline";
    return d;
  });
  StoreOptions options;
  options.upcasters = upcasters;
  auto store = OpenStore(dir.path(), options);
  ASSERT_TRUE(store->Append(MakeAppend("meeting-MT-1", {}, {{"topic", "x"}})).has_value());
  const auto all = store->ReadAll(0, 1);
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ((*all)[0].schema, 2);
  EXPECT_EQ((*all)[0].data["mode"], "offline");
  EXPECT_EQ(events::field::Str((*all)[0].Data(), "mode"), "offline");
  // Read as text only (as folds read), the text is the upcast data's.
  const auto text = store->ReadAll(0, 1, events::DataForm::kText);
  ASSERT_TRUE(text.has_value());
  EXPECT_EQ((*text)[0].schema, 2);
  EXPECT_TRUE((*text)[0].data.empty());
  EXPECT_EQ((*text)[0].data_text, events::CanonicalJson((*all)[0].data));
  EXPECT_EQ(events::field::Str((*text)[0].Data(), "mode"), "offline");
  EXPECT_EQ(events::field::Str((*text)[0].Data(), "topic"), "x");
  EXPECT_TRUE(replay::VerifyLog(*store).ok);  // the stored bytes are unchanged
}

}  // namespace
}  // namespace mentorlog::store
