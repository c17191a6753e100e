// The accept loop survives running out of file descriptors (EMFILE): the real
// `mentorlog serve`, started under a low `ulimit -n`, is flooded with more
// connections than it can hold. Connections it already holds keep being
// served, and once clients go away it accepts again, without a restart.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace mentorlog::http {
namespace {

using testing::ServerProcess;
using namespace std::chrono_literals;

constexpr int kDescriptorLimit = 96;  // the server needs about 35 of its own
constexpr int kClients = 200;         // far more than it can hold

// A plain blocking socket connected to 127.0.0.1:port, closed when destroyed.
// Connecting succeeds as soon as the kernel queues the connection, whether or
// not the server has accepted it.
class RawConnection {
 public:
  explicit RawConnection(unsigned short port) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = fd_ >= 0 && connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~RawConnection() {
    if (fd_ >= 0) close(fd_);
  }
  RawConnection(RawConnection&& other) noexcept
      : fd_(std::exchange(other.fd_, -1)), connected_(other.connected_) {}
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;
  RawConnection& operator=(RawConnection&&) = delete;

  bool connected() const { return connected_; }
  int fd() const { return fd_; }

  bool SendHealthCheck() {
    static constexpr std::string_view kRequest = "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n";
    return send(fd_, kRequest.data(), kRequest.size(), MSG_NOSIGNAL) ==
           static_cast<ssize_t>(kRequest.size());
  }

  // The bytes that arrive within `timeout` (until the first read that would block).
  std::string Receive(std::chrono::milliseconds timeout) {
    std::string out;
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return out;
    char buf[1024];
    const ssize_t n = recv(fd_, buf, sizeof buf, MSG_DONTWAIT);
    if (n > 0) out.assign(buf, static_cast<size_t>(n));
    return out;
  }

 private:
  int fd_;
  bool connected_ = false;
};

bool Answered(const std::string& reply) { return reply.starts_with("HTTP/1.1 200"); }

// How many of `connections` receive an answer within `window`, all waited on at once.
int CountAnswered(std::vector<RawConnection>& connections, std::chrono::milliseconds window) {
  std::vector<pollfd> waiting;
  for (const auto& c : connections) waiting.push_back({c.fd(), POLLIN, 0});
  int answered = 0;
  const auto deadline = std::chrono::steady_clock::now() + window;
  while (!waiting.empty() && std::chrono::steady_clock::now() < deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (poll(waiting.data(), waiting.size(), static_cast<int>(left.count()) + 1) <= 0) break;
    std::erase_if(waiting, [&](const pollfd& p) {
      if (p.revents == 0) return false;
      char buf[256];
      const ssize_t n = recv(p.fd, buf, sizeof buf, MSG_DONTWAIT);
      if (n > 0 && Answered(std::string(buf, static_cast<size_t>(n)))) ++answered;
      return true;
    });
    for (auto& p : waiting) p.revents = 0;
  }
  return answered;
}

// `binary` started through /bin/sh with `ulimit -n limit`; `exec` keeps the pid.
std::filesystem::path LimitedLauncher(const std::filesystem::path& dir, int limit) {
  const auto path = dir / "limited-mentorlog";
  std::ofstream(path) << "#!/bin/sh\nulimit -n " << limit << "\nexec '" << MENTORLOG_BINARY
                      << "' \"$@\"\n";
  std::filesystem::permissions(path, std::filesystem::perms::owner_all);
  return path;
}

int OpenDescriptors(pid_t pid) {
  int n = 0;
  for ([[maybe_unused]] const auto& entry :
       std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd")) {
    ++n;
  }
  return n;
}

TEST(AcceptLimitsTest, AcceptLoopSurvivesRunningOutOfDescriptors) {
  testing::TempDir dir;
  ServerProcess server(LimitedLauncher(dir.path(), kDescriptorLimit).string(), dir.path() / "data",
                       {"--max-connections", "100000"});

  // Flood: every connection is queued by the kernel; the server accepts until
  // its descriptors run out, then each further accept fails with EMFILE.
  std::vector<RawConnection> flood;
  for (int i = 0; i < kClients; ++i) {
    flood.emplace_back(server.port());
    ASSERT_TRUE(flood.back().connected()) << "connection " << i;
    ASSERT_TRUE(flood.back().SendHealthCheck());
  }
  const int answered = CountAnswered(flood, 3000ms);
  EXPECT_GT(answered, 0) << "the connections it could hold are served";
  EXPECT_LT(answered, kClients) << "the limit was never reached; the test proves nothing";
  EXPECT_GE(OpenDescriptors(server.pid()), kDescriptorLimit - 1) << "descriptors exhausted";

  // The clients go away: the server must notice, free its descriptors and
  // accept new connections with the same listener.
  flood.clear();
  bool recovered = false;
  for (int attempt = 0; attempt < 50 && !recovered; ++attempt) {
    RawConnection fresh(server.port());
    recovered = fresh.connected() && fresh.SendHealthCheck() && Answered(fresh.Receive(500ms));
  }
  EXPECT_TRUE(recovered) << "the accept loop stopped after EMFILE";

  // And it still serves many in a row, as before the flood.
  for (int i = 0; i < 20; ++i) {
    RawConnection c(server.port());
    ASSERT_TRUE(c.SendHealthCheck());
    EXPECT_TRUE(Answered(c.Receive(2000ms))) << "request " << i;
  }
  const int status = server.Terminate();
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
}  // namespace mentorlog::http
