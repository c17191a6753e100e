// Write errors end to end (issue 7): the real server runs out of space while
// serving. Commands must then answer 503 `unavailable` with nothing half-written
// (the head stays at the last acknowledged event and `verify` passes), reads
// keep answering, and once space returns a restart finds everything that was
// acknowledged, a retried command lands once and new commands work.
//
// Two ways to run out of space:
//  - RLIMIT_FSIZE, set on the running server with prlimit(2) (SIGXFSZ ignored,
//    so writes past it fail with EFBIG): works unprivileged, always runs;
//  - a 3 MiB tmpfs holding the data directory (a real ENOSPC), grown once the
//    test is over the limit: needs mount(2), skipped where it is not permitted.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>

#include <cerrno>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/e2e_support.h"
#include "tests/support/http_client.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace mentorlog::http {
namespace {

using nlohmann::json;
using testing::HttpClient;
using testing::ReadAllEvents;
using testing::RunMentorlog;
using testing::ServerProcess;

struct Acked {
  std::uint64_t position;
  std::string command_id;
  std::string stream;
  std::string type;
};

// A command worth about 8 KiB, so a few hundred fill a small disk.
json BigMentor(int i) {
  return {{"mentor_id", "M-" + std::to_string(i)},
          {"name", std::string(4000, 'n')},
          {"department", std::string(4000, 'd')}};
}

class DiskFullTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Inherited across exec by the server: a write past RLIMIT_FSIZE then fails
    // with EFBIG instead of killing the process.
    signal(SIGXFSZ, SIG_IGN);
  }

  // Runs the scenario on `data`: `exhaust` takes away space from the running
  // server, `restore` gives it back (with the server stopped).
  void Run(const std::filesystem::path& data, const std::function<void(ServerProcess&)>& exhaust,
           const std::function<void()>& restore) {
    auto server = std::make_unique<ServerProcess>(MENTORLOG_BINARY, data);
    std::vector<Acked> acked;
    const auto post = [&](const std::string& name, const json& body, const std::string& key) {
      std::map<std::string, std::string> headers;
      if (!key.empty()) headers["Idempotency-Key"] = key;
      const auto reply =
          HttpClient(server->port()).Post("/v1/commands/" + name, body.dump(), admin_, headers);
      if (reply.status == 200) {
        const json r = reply.Json();
        for (const auto& e : r["events"]) {
          acked.push_back({e["position"], r["command_id"], e["stream"], e["type"]});
        }
      }
      return reply;
    };
    ASSERT_EQ(
        post("RegisterMentor", {{"mentor_id", "M-0"}, {"name", "A"}, {"department", "CSE"}}, "")
            .status,
        200u);
    ASSERT_EQ(
        post("EnrollStudent",
             {{"student_id", "S-0"}, {"roll_number", "R0"}, {"name", "B"}, {"department", "CSE"}},
             "")
            .status,
        200u);

    exhaust(*server);

    // Fill until a write fails; that answer and every later one is 503.
    int first_refused = -1;
    HttpClient::Reply refusal;
    for (int i = 1; i <= 3000 && first_refused < 0; ++i) {
      const auto reply = post("RegisterMentor", BigMentor(i), "fill-" + std::to_string(i));
      if (reply.status != 200) {
        first_refused = i;
        refusal = reply;
      }
    }
    ASSERT_GT(first_refused, 0) << "the disk never filled";
    EXPECT_EQ(refusal.status, 503u) << refusal.body;
    EXPECT_EQ(refusal.Json()["error"]["code"], "unavailable") << refusal.body;
    const std::uint64_t last_acked = acked.back().position;
    const json head = HttpClient(server->port()).Get("/v1/audit/head", auditor_).Json();
    EXPECT_EQ(head["position"], last_acked) << "a refused command left something behind";
    for (int i = 0; i < 5; ++i) {
      const auto again = post(
          "RegisterMentor",
          {{"mentor_id", "M-small-" + std::to_string(i)}, {"name", "n"}, {"department", "d"}}, "");
      EXPECT_EQ(again.status, 503u) << again.body;
      EXPECT_EQ(again.Json()["error"]["code"], "unavailable");
    }
    EXPECT_EQ(HttpClient(server->port()).Get("/v1/audit/head", auditor_).Json(), head);

    // Reads keep answering, and show exactly what was acknowledged.
    HttpClient reader(server->port());
    EXPECT_EQ(reader.Get("/healthz").status, 200u);
    const json events = ReadAllEvents(server->port(), auditor_);
    ASSERT_EQ(events["events"].size(), acked.size());
    EXPECT_EQ(reader.Get("/v1/streams/mentor-M-0", auditor_).status, 200u);
    const auto view =
        reader.Get("/v1/views/mentor-load?min_position=" + std::to_string(last_acked), admin_);
    EXPECT_EQ(view.status, 200u) << view.body.substr(0, 200);
    EXPECT_EQ(reader.Get("/v1/views/students/S-0", admin_).status, 200u);
    // The log on disk verifies while the server still runs (a read-only open).
    const auto verified = RunMentorlog(MENTORLOG_BINARY, "verify --data " + data.string());
    EXPECT_EQ(verified.status, 0) << verified.out;
    EXPECT_NE(verified.out.find("head " + std::to_string(last_acked) + " "), std::string::npos)
        << verified.out;

    // Space returns; a restart finds everything acknowledged, identical.
    server->Terminate();
    restore();
    server = std::make_unique<ServerProcess>(MENTORLOG_BINARY, data);
    const json after = ReadAllEvents(server->port(), auditor_);
    ASSERT_EQ(after["head"], last_acked);
    ASSERT_EQ(after["events"].size(), acked.size());
    for (size_t i = 0; i < acked.size(); ++i) {
      const json& e = after["events"][i];
      EXPECT_EQ(e["position"], acked[i].position);
      EXPECT_EQ(e["command_id"], acked[i].command_id);
      EXPECT_EQ(e["stream"], acked[i].stream);
      EXPECT_EQ(e["type"], acked[i].type);
      EXPECT_EQ(e, events["events"][i]) << "position " << acked[i].position << " changed";
    }
    EXPECT_EQ(RunMentorlog(MENTORLOG_BINARY, "verify --data " + data.string()).status, 0);

    // The refused command, retried with its key, is appended once.
    const std::string key = "fill-" + std::to_string(first_refused);
    const auto retried = post("RegisterMentor", BigMentor(first_refused), key);
    ASSERT_EQ(retried.status, 200u) << retried.body;
    EXPECT_EQ(retried.Json()["position"], last_acked + 1);
    const auto replayed = post("RegisterMentor", BigMentor(first_refused), key);
    ASSERT_EQ(replayed.status, 200u) << replayed.body;
    EXPECT_EQ(replayed.Json()["command_id"], retried.Json()["command_id"]);
    const auto fresh =
        post("RegisterMentor", {{"mentor_id", "M-new"}, {"name", "n"}, {"department", "d"}}, "");
    ASSERT_EQ(fresh.status, 200u) << fresh.body;
    EXPECT_EQ(fresh.Json()["position"], last_acked + 2);
    EXPECT_EQ(RunMentorlog(MENTORLOG_BINARY, "verify --data " + data.string()).status, 0);
  }

  testing::TempDir dir_;
  const std::string admin_ = ServerProcess::Token("A-1", "admin");
  const std::string auditor_ = ServerProcess::Token("X-1", "auditor");
};

TEST_F(DiskFullTest, FileSizeLimitRefusesWritesKeepsReadsAndLosesNothing) {
  Run(
      dir_.path() / "data",
      [](ServerProcess& server) {
        // Files of this server may not grow past 256 KiB from now on: the log's
        // write-ahead file (created at this start) soon hits it.
        const rlimit limit{256 << 10, 256 << 10};
        ASSERT_EQ(prlimit(server.pid(), RLIMIT_FSIZE, &limit, nullptr), 0) << std::strerror(errno);
      },
      [] {});  // the limit belonged to the process that has gone
}

// Before store/rocksdb_logger.h, RocksDB's own LOG file in the full directory
// made the server abort here (an assertion in librocksdb) instead of answering 503.
TEST_F(DiskFullTest, FullFilesystemRefusesWritesKeepsReadsAndLosesNothing) {
  const std::filesystem::path mount_point = dir_.path() / "small";
  std::filesystem::create_directories(mount_point);
  if (mount("tmpfs", mount_point.c_str(), "tmpfs", 0, "size=3m") != 0) {
    GTEST_SKIP() << "cannot mount a small tmpfs here (" << std::strerror(errno)
                 << "); the RLIMIT_FSIZE variant covers write errors";
  }
  struct Unmount {
    std::filesystem::path at;
    ~Unmount() { umount2(at.c_str(), MNT_DETACH); }
  } unmount{mount_point};
  Run(
      mount_point / "data", [](ServerProcess&) {},
      [&] {
        ASSERT_EQ(mount("tmpfs", mount_point.c_str(), "tmpfs", MS_REMOUNT, "size=64m"), 0)
            << std::strerror(errno);
      });
}

}  // namespace
}  // namespace mentorlog::http
