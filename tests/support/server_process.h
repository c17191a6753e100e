#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace mentorlog::testing {

// The real `mentorlog serve` binary on 127.0.0.1 and a free port, with its own
// data directory and a known secret. Stopped with SIGTERM when destroyed.
class ServerProcess {
 public:
  static constexpr char kSecret[] = "test-secret";

  // Starts `binary serve --data data_dir --listen 127.0.0.1:0 extra...` and waits
  // until it prints the port it serves on.
  ServerProcess(const std::string& binary, const std::filesystem::path& data_dir,
                std::vector<std::string> extra_args = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  unsigned short port() const { return port_; }
  pid_t pid() const { return pid_; }

  // Sends SIGTERM and returns the exit status (as from waitpid), or -1 if it
  // had to be killed after `timeout_ms`.
  int Terminate(int timeout_ms = 10'000);

  // Sends SIGKILL, as a crash would (nothing is flushed or answered), and reaps
  // the process.
  void Kill();

  // Waits until the server's output (the last 512 KiB or more of it) holds
  // `text`; false after `timeout`.
  bool WaitForOutput(std::string_view text, std::chrono::milliseconds timeout) const;

  // A signed token for `sub` in `role`, valid for an hour (or `ttl` seconds).
  static std::string Token(const std::string& sub, const std::string& role, long ttl = 3600);

 private:
  pid_t pid_ = -1;
  unsigned short port_ = 0;
  int stdout_fd_ = -1;
  std::thread drain_;
  // What the drain thread has read, trimmed from the front past 1 MiB.
  mutable std::mutex output_mu_;
  std::string output_;
};

}  // namespace mentorlog::testing
