// The `mentorlog` subcommands end to end, as an operator or auditor runs them.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/support/temp_dir.h"

namespace mentorlog {
namespace {

struct CommandRun {
  int status;
  std::string out;
};

// Runs `mentorlog ARGS` through the shell, capturing stdout.
CommandRun Mentorlog(const std::string& args) {
  const std::string command =
      std::string("MENTORLOG_SECRET=cli-secret ") + MENTORLOG_BINARY + " " + args + " 2>/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  std::string out;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

TEST(CliTest, DemoVerifyExportImportReplayRebuild) {
  testing::TempDir dir;
  const std::string data = (dir.path() / "data").string();
  const std::string copy = (dir.path() / "copy").string();
  const std::string exported = (dir.path() / "log.jsonl").string();

  const CommandRun demo = Mentorlog("demo --data " + data);
  ASSERT_EQ(demo.status, 0);
  EXPECT_NE(demo.out.find("mentor  M-1"), std::string::npos) << demo.out;
  EXPECT_EQ(Mentorlog("demo --data " + data).status, 1);  // only into an empty log

  const CommandRun verified = Mentorlog("verify --data " + data);
  EXPECT_EQ(verified.status, 0);
  EXPECT_EQ(verified.out.rfind("OK ", 0), 0u) << verified.out;

  ASSERT_EQ(Mentorlog("export --data " + data + " > " + exported).status, 0);
  ASSERT_EQ(Mentorlog("import --data " + copy + " < " + exported).status, 0);
  EXPECT_EQ(Mentorlog("verify --data " + copy).out, verified.out);
  EXPECT_EQ(Mentorlog("export --data " + copy).out, Mentorlog("export --data " + data).out);
  EXPECT_EQ(Mentorlog("import --data " + copy + " < " + exported).status, 1);  // not empty

  const CommandRun alerts = Mentorlog("replay --data " + data + " --type AttendanceAlertRaised");
  EXPECT_EQ(alerts.status, 0);
  std::istringstream lines(alerts.out);
  int count = 0;
  for (std::string line; std::getline(lines, line); ++count) {
    EXPECT_NE(line.find("\"type\":\"AttendanceAlertRaised\""), std::string::npos) << line;
  }
  EXPECT_EQ(count, 17);

  const CommandRun rebuilt = Mentorlog("rebuild --data " + data + " --projection attendance");
  EXPECT_EQ(rebuilt.status, 0);
  EXPECT_NE(rebuilt.out.find("attendance rebuilt at position"), std::string::npos) << rebuilt.out;
  EXPECT_EQ(Mentorlog("rebuild --data " + data + " --projection nothing").status, 2);

  // The saved head anchors the prefix: it still verifies.
  const std::string head = verified.out.substr(verified.out.rfind(' ') + 1);
  const std::string position = verified.out.substr(verified.out.find("head ") + 5);
  EXPECT_EQ(
      Mentorlog("verify --data " + data + " --anchor " + position.substr(0, position.find(' ')) +
                ":" + head.substr(0, head.find('\n')))
          .status,
      0);

  const CommandRun token = Mentorlog("token --sub M-1 --role mentor --ttl 60");
  EXPECT_EQ(token.status, 0);
  EXPECT_EQ(std::count(token.out.begin(), token.out.end(), '.'), 2);
  EXPECT_EQ(Mentorlog("token --sub M-1 --role root").status, 2);
}

}  // namespace
}  // namespace mentorlog
