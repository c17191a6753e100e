#include "replay/export_import.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "events/envelope.h"
#include "replay/raw_log.h"
#include "tests/replay/known_log.h"
#include "tests/support/temp_dir.h"

namespace mentorlog::replay {
namespace {

using Cf = RawLog::Cf;
using testing::TempDir;

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string JoinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) out += line + "\n";
  return out;
}

// An export of the known log (10 events) and a place to import it.
class ExportImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::AppendKnown(source_.path(), 0, 10);
    auto store = testing::OpenReadOnly(source_.path());
    std::ostringstream out;
    const auto written = Export(*store, out);
    ASSERT_TRUE(written.has_value()) << written.error();
    EXPECT_EQ(*written, 10u);
    lines_ = SplitLines(out.str());
    ASSERT_EQ(lines_.size(), 10u);
  }

  std::expected<ImportReport, ImportError> ImportText(const std::string& text,
                                                      const ImportOptions& options = {}) {
    std::istringstream in(text);
    return Import(in, Target(), options);
  }

  std::filesystem::path Target() const { return target_.path() / "imported"; }

  // Refused at `line`, and nothing imported: no target, no leftover temp dir.
  void ExpectRefusedAt(const std::string& text, std::uint64_t line, const std::string& words) {
    const auto result = ImportText(text);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().line, line) << result.error().message;
    EXPECT_NE(result.error().message.find(words), std::string::npos) << result.error().message;
    EXPECT_FALSE(std::filesystem::exists(Target()));
    EXPECT_TRUE(std::filesystem::is_empty(target_.path()));
  }

  TempDir source_;
  TempDir target_;
  std::vector<std::string> lines_;
};

TEST_F(ExportImportTest, ExportIsTheStoredRecordsOnePerLine) {
  EXPECT_EQ(lines_, testing::Records(source_.path()));
}

TEST_F(ExportImportTest, ImportedLogEqualsTheOriginal) {
  const auto imported = ImportText(JoinLines(lines_));
  ASSERT_TRUE(imported.has_value()) << imported.error().message;
  EXPECT_EQ(imported->events, 10u);
  EXPECT_EQ(imported->streams, 3u);
  for (const Cf cf : {Cf::kEvents, Cf::kStreams, Cf::kHeads, Cf::kMeta}) {
    EXPECT_EQ(testing::Dump(Target(), cf), testing::Dump(source_.path(), cf))
        << static_cast<int>(cf);
  }
  const auto verified = VerifyStore(Target());
  ASSERT_TRUE(verified.has_value()) << verified.error();
  EXPECT_TRUE(verified->ok) << verified->problem;
  // The store opens it and continues the log.
  testing::AppendKnown(Target(), 10, 2);
  EXPECT_TRUE(VerifyStore(Target())->ok);
}

TEST_F(ExportImportTest, ImportsIntoAnExistingEmptyDirectory) {
  std::filesystem::create_directories(Target());
  ASSERT_TRUE(ImportText(JoinLines(lines_)).has_value());
  EXPECT_EQ(testing::Records(Target()), lines_);
}

TEST_F(ExportImportTest, RefusesANonEmptyDirectory) {
  std::filesystem::create_directories(Target());
  std::ofstream(Target() / "keep") << "x";
  const auto result = ImportText(JoinLines(lines_));
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().line, 0u);
  EXPECT_NE(result.error().message.find("not an empty directory"), std::string::npos);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(Target()), {}), 1);
}

TEST_F(ExportImportTest, AnEmptyExportGivesAnEmptyLog) {
  ASSERT_TRUE(ImportText("").has_value());
  EXPECT_TRUE(VerifyStore(Target())->ok);
}

TEST_F(ExportImportTest, RefusesAFlippedByte) {
  lines_[3][lines_[3].find("event 3") + 6] = '9';
  ExpectRefusedAt(JoinLines(lines_), 4, "altered");
}

TEST_F(ExportImportTest, RefusesARemovedLine) {
  lines_.erase(lines_.begin() + 5);
  ExpectRefusedAt(JoinLines(lines_), 6, "removed, duplicated or reordered");
}

TEST_F(ExportImportTest, RefusesTwoSwappedLines) {
  std::swap(lines_[1], lines_[2]);
  ExpectRefusedAt(JoinLines(lines_), 2, "position 3 where 2");
}

TEST_F(ExportImportTest, RefusesADuplicatedLine) {
  lines_.insert(lines_.begin() + 4, lines_[4]);
  ExpectRefusedAt(JoinLines(lines_), 6, "position 5 where 6");
}

TEST_F(ExportImportTest, RefusesALineRewrittenWithItsOwnHashRecomputed) {
  auto e = events::DecodeRecord(lines_[3]);
  ASSERT_TRUE(e.has_value());
  e->data["note"] = "rewritten";
  lines_[3] = events::Seal(*e);
  ExpectRefusedAt(JoinLines(lines_), 5, "prev_hash is not the hash of line 4");
}

// The export's counterpart of a stream-index entry pointing elsewhere: an event
// claiming another stream version, re-sealed so its own hash holds.
TEST_F(ExportImportTest, RefusesAStreamVersionOutOfSequence) {
  auto e = events::DecodeRecord(lines_[9]);
  ASSERT_TRUE(e.has_value());
  e->version = 7;
  lines_[9] = events::Seal(*e);
  ExpectRefusedAt(JoinLines(lines_), 10, "version 7 of stream student-S-0 where 4");
}

TEST_F(ExportImportTest, RefusesNonCanonicalAndBlankLines) {
  std::vector<std::string> spaced = lines_;
  spaced[2].insert(1, " ");
  ExpectRefusedAt(JoinLines(spaced), 3, "canonical");
  std::vector<std::string> blank = lines_;
  blank.insert(blank.begin() + 7, "");
  ExpectRefusedAt(JoinLines(blank), 8, "empty line");
  ExpectRefusedAt(JoinLines(lines_) + "not json\n", 11, "not an event envelope");
}

TEST_F(ExportImportTest, AnAnchorCatchesARewrittenLastLineAndATruncation) {
  const auto tail = events::DecodeRecord(lines_[9]);
  ASSERT_TRUE(tail.has_value());
  const ImportOptions anchored{Anchor{10, tail->hash}};

  std::vector<std::string> rewritten = lines_;
  auto e = *tail;
  e.data["note"] = "rewritten";
  rewritten[9] = events::Seal(e);
  EXPECT_FALSE(ImportText(JoinLines(rewritten), anchored).has_value());
  EXPECT_FALSE(std::filesystem::exists(Target()));

  std::vector<std::string> truncated(lines_.begin(), lines_.begin() + 8);
  const auto result = ImportText(JoinLines(truncated), anchored);
  ASSERT_FALSE(result.has_value());
  EXPECT_NE(result.error().message.find("before the anchor"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(Target()));

  EXPECT_TRUE(ImportText(JoinLines(lines_), anchored).has_value());
}

}  // namespace
}  // namespace mentorlog::replay
