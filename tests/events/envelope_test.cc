#include "events/envelope.h"

#include <gtest/gtest.h>

#include <random>
#include <regex>
#include <set>
#include <thread>
#include <vector>

#include "events/canonical_json.h"
#include "events/event_types.h"

namespace mentorlog::events {
namespace {

Envelope Sample() {
  Envelope e;
  e.position = 1042;
  e.stream = "meeting-MT-9";
  e.version = 1;
  e.type = "MeetingScheduled";
  e.schema = 1;
  e.id = "0b8f6c1e-2a8e-4c55-9b1f-3e2d7f9a1c00";
  e.time = 1795420800123;
  e.actor = {"M-7", "mentor"};
  e.command_id = "cmd-1";
  e.correlation_id = "corr-1";
  e.causation_id = "cause-1";
  e.data = {
      {"meeting_id", "MT-9"}, {"title", "Weekly \"sync\" ✓"}, {"student_ids", {"S-1", "S-2"}}};
  e.prev_hash = std::string(kZeroHash);
  return e;
}

TEST(EnvelopeTest, SealedRecordIsTheCanonicalFormOfTheWholeEnvelope) {
  Envelope e = Sample();
  const std::string record = Seal(e);
  nlohmann::json whole = nlohmann::json::parse(record);
  EXPECT_EQ(record, CanonicalJson(whole));
  EXPECT_EQ(whole["hash"], e.hash);
  EXPECT_EQ(whole["time"], "2026-11-23T08:00:00.123Z");
  whole.erase("hash");
  EXPECT_EQ(e.hash, Sha256Hex(CanonicalJson(whole)));
}

TEST(EnvelopeTest, Sha256HexGivesTheStandardDigestsOnEveryThread) {
  // FIPS 180-2 test vectors; the digest and its context are cached per process
  // and per thread, so check a second thread and a repeat too.
  const auto check = [] {
    EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  };
  check();
  check();
  std::thread other(check);
  other.join();
}

TEST(EnvelopeTest, DecodeRoundTrips) {
  Envelope e = Sample();
  const std::string record = Seal(e);
  const auto decoded = DecodeRecord(record);
  ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
  EXPECT_EQ(*decoded, e);
  Envelope again = *decoded;
  EXPECT_EQ(Seal(again), record);
}

TEST(EnvelopeTest, CheckRecordHashFindsTheStoredHash) {
  Envelope e = Sample();
  const std::string record = Seal(e);
  const auto checked = CheckRecordHash(record);
  ASSERT_TRUE(checked.has_value()) << checked.error().message;
  EXPECT_EQ(checked->hash, e.hash);
  EXPECT_EQ(checked->computed, e.hash);
  EXPECT_EQ(checked->prev_hash, e.prev_hash);
  EXPECT_EQ(checked->position, 1042u);
}

TEST(EnvelopeTest, EveryFlippedByteIsNoticed) {
  Envelope e = Sample();
  const std::string record = Seal(e);
  for (size_t i = 0; i < record.size(); ++i) {
    std::string tampered = record;
    tampered[i] ^= 0x01;
    const auto checked = CheckRecordHash(tampered);
    const bool noticed = !checked || checked->computed != checked->hash ||
                         checked->hash != e.hash || checked->prev_hash != e.prev_hash ||
                         checked->position != e.position;
    EXPECT_TRUE(noticed) << "byte " << i << " of " << record;
  }
}

TEST(EnvelopeTest, TruncatedRecordsAreErrorsNotCrashes) {
  Envelope e = Sample();
  const std::string record = Seal(e);
  for (size_t n = 0; n < record.size(); ++n) {
    const std::string_view prefix(record.data(), n);
    EXPECT_FALSE(DecodeRecord(prefix).has_value()) << n;
    const auto checked = CheckRecordHash(prefix);
    EXPECT_TRUE(!checked || checked->computed != checked->hash) << n;
  }
}

TEST(EnvelopeTest, GarbageIsAnErrorNotACrash) {
  std::mt19937 rng(7);
  Envelope e = Sample();
  const std::string record = Seal(e);
  for (int round = 0; round < 2000; ++round) {
    std::string junk = record;
    const int edits = 1 + static_cast<int>(rng() % 8);
    for (int k = 0; k < edits; ++k) junk[rng() % junk.size()] = static_cast<char>(rng());
    (void)DecodeRecord(junk);
    (void)CheckRecordHash(junk);
  }
  for (const char* bad : {"", "{", "[]", "null", "{\"hash\":1}", "{}}", "\"x\""}) {
    EXPECT_FALSE(DecodeRecord(bad).has_value()) << bad;
  }
}

TEST(EnvelopeTest, DecodeRefusesMissingAndMistypedMembers) {
  Envelope e = Sample();
  const nlohmann::json whole = nlohmann::json::parse(Seal(e));
  for (const auto& [name, _] : whole.items()) {
    nlohmann::json missing = whole;
    missing.erase(name);
    EXPECT_FALSE(DecodeRecord(missing.dump()).has_value()) << "without " << name;
    nlohmann::json mistyped = whole;
    mistyped[name] = nlohmann::json::array();
    EXPECT_FALSE(DecodeRecord(mistyped.dump()).has_value()) << "mistyped " << name;
  }
  nlohmann::json extra = whole;
  extra["extra"] = 1;
  EXPECT_FALSE(DecodeRecord(extra.dump()).has_value());
}

TEST(EnvelopeTest, UuidsAreVersion4AndDistinct) {
  const std::regex v4("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = NewUuid();
    EXPECT_TRUE(std::regex_match(id, v4)) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(EnvelopeTest, UuidsDrawnInBulkOnSeveralThreadsAreAllDistinct) {
  // Each thread draws from its own pool of random bytes; none may repeat another's.
  std::vector<std::vector<std::string>> drawn(4);
  std::vector<std::thread> threads;
  for (auto& ids : drawn) {
    threads.emplace_back([&ids] {
      for (int i = 0; i < 700; ++i) ids.push_back(NewUuid());
    });
  }
  for (auto& t : threads) t.join();
  std::set<std::string> seen;
  for (const auto& ids : drawn) seen.insert(ids.begin(), ids.end());
  EXPECT_EQ(seen.size(), 4u * 700u);
}

TEST(EventTypesTest, KnowsTheSchemaOfEveryDomainEvent) {
  EXPECT_EQ(CurrentSchema("MeetingScheduled"), 1);
  EXPECT_EQ(CurrentSchema("AttendanceAlertRaised"), 1);
  EXPECT_EQ(CurrentSchema("NoSuchEvent"), 0);
}

TEST(EventTypesTest, UpcastersLiftOldSchemasOnRead) {
  Upcasters upcasters;
  upcasters.Register("MeetingScheduled", 1, [](nlohmann::json data) {
    data["mode"] = data.value("mode", "offline");
    return data;
  });
  upcasters.Register("MeetingScheduled", 2, [](nlohmann::json data) {
    data["title"] = "v3 " + data["title"].get<std::string>();
    return data;
  });
  Envelope e = Sample();
  Seal(e);
  const std::string hash = e.hash;
  upcasters.Upcast(e);
  EXPECT_EQ(e.schema, 3);
  EXPECT_EQ(e.data["mode"], "offline");
  EXPECT_EQ(e.data["title"], "v3 Weekly \"sync\" ✓");
  EXPECT_EQ(e.hash, hash);
}

}  // namespace
}  // namespace mentorlog::events
