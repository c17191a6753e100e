// SnapshotStore over real RocksDB databases: which snapshot RestoreNewest hands
// over, and which it refuses (none, another form, another log, undecodable);
// writes queued on the store's thread are seen by later reads and survive a
// close; a database of the first form is moved to the second when opened.

#include "projections/snapshot_store.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <filesystem>
#include <stdexcept>

#include "tests/projections/engine_test_support.h"

namespace mentorlog::projections::testing {
namespace {

class SnapshotStoreTest : public ::testing::Test {
 protected:
  SnapshotStoreTest() {
    auto opened = SnapshotStore::Open(log_.dir() / "snapshots");
    if (!opened) throw std::runtime_error(opened.error().message);
    snapshots_ = std::move(*opened);
    for (int i = 0; i < 3; ++i) log_.Append("Note", {{"i", i}});
  }

  std::string HashAt(std::uint64_t position) { return log_.log().ReadAt(position)->hash; }

  void Plant(int version, std::uint64_t position, std::string hash, std::string state) {
    ASSERT_TRUE(snapshots_->Write({{"view", version, position, std::move(hash), std::move(state)}},
                                  /*keep=*/10));
  }

  // What RestoreNewest returns, and the states it handed over.
  std::uint64_t Restore(std::vector<std::string>& seen, bool accept = true,
                        std::uint64_t at_most = UINT64_MAX) {
    return snapshots_->RestoreNewest(
        "test", "view", 2, log_.log(),
        [&](const StoredState& snap) {
          seen.emplace_back(snap.state);
          if (snap.state == "throws") throw std::runtime_error("bad state");
          return accept;
        },
        at_most);
  }

  // Closes the store and opens the one in `dir`.
  void Reopen(const std::filesystem::path& dir) {
    snapshots_.reset();
    auto opened = SnapshotStore::Open(dir);
    ASSERT_TRUE(opened.has_value()) << opened.error().message;
    snapshots_ = std::move(*opened);
  }

  // The newest snapshot restores at `newest` and, asked for one at or before
  // `older`, the one at `older`, each with the state "state at P".
  void ExpectRestored(std::uint64_t newest, std::uint64_t older) {
    std::vector<std::string> seen;
    EXPECT_EQ(Restore(seen), newest);
    EXPECT_EQ(Restore(seen, true, older), older);
    EXPECT_EQ(seen, (std::vector<std::string>{"state at " + std::to_string(newest),
                                              "state at " + std::to_string(older)}));
  }

  LogAndEngine log_;
  std::unique_ptr<SnapshotStore> snapshots_;
};

TEST_F(SnapshotStoreTest, HandsOverTheNewestSnapshotAtOrBeforeAPosition) {
  Plant(2, 1, HashAt(1), "at 1");
  Plant(2, 3, HashAt(3), "at 3");
  std::vector<std::string> seen;
  EXPECT_EQ(Restore(seen), 3u);
  EXPECT_EQ(Restore(seen, true, 2), 1u);
  EXPECT_EQ(seen, (std::vector<std::string>{"at 3", "at 1"}));
}

TEST_F(SnapshotStoreTest, NoSnapshotRestoresNothing) {
  std::vector<std::string> seen;
  EXPECT_EQ(Restore(seen), 0u);
  Plant(2, 3, HashAt(3), "at 3");
  EXPECT_EQ(Restore(seen, true, 2), 0u);  // only a newer one
  EXPECT_TRUE(seen.empty());
}

TEST_F(SnapshotStoreTest, AnotherFormOrAnotherLogIsNotHandedOver) {
  std::vector<std::string> seen;
  Plant(1, 2, HashAt(2), "old form");
  EXPECT_EQ(Restore(seen), 0u);
  Plant(2, 3, HashAt(2), "another log's hash");
  EXPECT_EQ(Restore(seen), 0u);
  Plant(2, 9, HashAt(3), "beyond the head");
  EXPECT_EQ(Restore(seen), 0u);
  EXPECT_TRUE(seen.empty());
}

TEST_F(SnapshotStoreTest, AStateTheReaderCannotDecodeRestoresNothing) {
  std::vector<std::string> seen;
  Plant(2, 2, HashAt(2), "refused");
  EXPECT_EQ(Restore(seen, /*accept=*/false), 0u);
  Plant(2, 3, HashAt(3), "throws");
  EXPECT_EQ(Restore(seen), 0u);
  EXPECT_EQ(seen, (std::vector<std::string>{"refused", "throws"}));
}

TEST_F(SnapshotStoreTest, ReadsSeeQueuedWritesAndKeepHolds) {
  for (std::uint64_t p = 1; p <= 3; ++p) {
    snapshots_->WriteAsync({{"view", 2, p, HashAt(p), "at " + std::to_string(p)}}, /*keep=*/2);
  }
  const auto newest = snapshots_->Newest("view");
  ASSERT_TRUE(newest.has_value());
  EXPECT_EQ(newest->position, 3u);
  EXPECT_EQ(newest->state, "at 3");
  const auto kept = snapshots_->Positions("view");
  ASSERT_FALSE(kept.empty());
  EXPECT_LE(kept.size(), 2u);  // 3 and 2, or 3 alone when the second replaced the first queued
  EXPECT_EQ(kept.back(), 3u);
}

TEST_F(SnapshotStoreTest, WritesQueuedWhenTheStoreClosesAreOnDisk) {
  snapshots_->WriteAsync({{"view", 2, 2, HashAt(2), "at 2"}, {"other", 1, 2, HashAt(2), "x"}},
                         /*keep=*/2);
  Reopen(log_.dir() / "snapshots");
  std::vector<std::string> seen;
  EXPECT_EQ(Restore(seen), 2u);
  EXPECT_EQ(seen, std::vector<std::string>{"at 2"});
  EXPECT_EQ(snapshots_->Positions("other"), std::vector<std::uint64_t>{2});
}

// Write bypasses the write-ahead log and flushes instead: what it wrote is in
// the files before the store closes. A copy of the directory taken then (what a
// crash would leave) holds it.
TEST_F(SnapshotStoreTest, AWrittenSnapshotIsOnDiskBeforeTheStoreCloses) {
  ASSERT_TRUE(snapshots_->Write({{"view", 2, 2, HashAt(2), "at 2"}}, /*keep=*/2));
  const auto copy = log_.dir() / "crash-copy";
  std::filesystem::copy(log_.dir() / "snapshots", copy, std::filesystem::copy_options::recursive);
  Reopen(copy);
  std::vector<std::string> seen;
  EXPECT_EQ(Restore(seen), 2u);
  EXPECT_EQ(seen, std::vector<std::string>{"at 2"});
}

TEST(SnapshotDueTest, EveryNEventsOrATenthOfTheLogIfThatIsMore) {
  EXPECT_FALSE(SnapshotDue(99'999, 99'999, 100'000));
  EXPECT_TRUE(SnapshotDue(100'000, 100'000, 100'000));
  EXPECT_TRUE(SnapshotDue(100'000, 1'000'000, 100'000));
  EXPECT_FALSE(SnapshotDue(100'000, 1'000'010, 100'000));
  EXPECT_FALSE(SnapshotDue(999'999, 10'000'000, 100'000));
  EXPECT_TRUE(SnapshotDue(1'000'000, 10'000'000, 100'000));
  EXPECT_TRUE(SnapshotDue(3, 9, 3));
  EXPECT_EQ(SnapshotInterval(0, 100'000), 100'000u);
  EXPECT_EQ(SnapshotInterval(9'633'217, 100'000), 963'321u);
}

// Snapshots of "view" written as the first form did: header_length:u32be
// header state under the key in the default column family.
std::string FirstFormKey(std::uint64_t position) {
  std::string key = std::string("view") + '\0' + std::string(7, '\0');
  key.push_back(static_cast<char>(position));
  return key;
}
std::string FirstFormHeader(std::uint64_t position, const std::string& hash) {
  return nlohmann::json{{"version", 2}, {"position", position}, {"hash", hash}}.dump();
}
std::string FirstFormValue(std::uint64_t position, const std::string& hash) {
  const std::string header = FirstFormHeader(position, hash);
  std::string value(3, '\0');
  value.push_back(static_cast<char>(header.size()));
  return value + header + "state at " + std::to_string(position);
}

// Open moves such a database to headers and states apart and reads, keeps and
// drops its snapshots as it does its own.
TEST_F(SnapshotStoreTest, ADatabaseOfTheFirstFormIsMovedWhenOpened) {
  snapshots_.reset();  // the test writes a database of its own
  const auto dir = log_.dir() / "first-form";
  {
    rocksdb::Options options;
    options.create_if_missing = true;
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(options, dir.string(), &raw).ok());
    const std::unique_ptr<rocksdb::DB> db(raw);
    for (std::uint64_t p = 1; p <= 2; ++p) {
      ASSERT_TRUE(
          db->Put(rocksdb::WriteOptions(), FirstFormKey(p), FirstFormValue(p, HashAt(p))).ok());
    }
  }
  Reopen(dir);
  ExpectRestored(2, 1);
  ASSERT_TRUE(snapshots_->Write({{"view", 2, 3, HashAt(3), "state at 3"}}, /*keep=*/2));
  EXPECT_EQ(snapshots_->Positions("view"), (std::vector<std::uint64_t>{2, 3}));
  Reopen(dir);  // now of the second form, it stays as it is
  ExpectRestored(3, 2);
}

// A move cut short (the states' family made, one snapshot still of the first
// form) is finished by the next open.
TEST_F(SnapshotStoreTest, AMoveCutShortIsFinishedByTheNextOpen) {
  snapshots_.reset();
  const auto dir = log_.dir() / "half-moved";
  {
    rocksdb::DBOptions options;
    options.create_if_missing = true;
    options.create_missing_column_families = true;
    std::vector<rocksdb::ColumnFamilyHandle*> families;
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(options, dir.string(),
                                  {{rocksdb::kDefaultColumnFamilyName, {}}, {"states", {}}},
                                  &families, &raw)
                    .ok());
    const std::unique_ptr<rocksdb::DB> db(raw);
    const rocksdb::WriteOptions write;
    ASSERT_TRUE(db->Put(write, families[0], FirstFormKey(1), FirstFormHeader(1, HashAt(1))).ok());
    ASSERT_TRUE(db->Put(write, families[1], FirstFormKey(1), "state at 1").ok());
    ASSERT_TRUE(db->Put(write, families[0], FirstFormKey(2), FirstFormValue(2, HashAt(2))).ok());
    for (rocksdb::ColumnFamilyHandle* f : families) {
      ASSERT_TRUE(db->DestroyColumnFamilyHandle(f).ok());
    }
  }
  Reopen(dir);
  ExpectRestored(2, 1);
}

}  // namespace
}  // namespace mentorlog::projections::testing
