#include "tests/support/server_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <thread>

#include "http/jwt.h"

extern char** environ;

namespace mentorlog::testing {

ServerProcess::ServerProcess(const std::string& binary, const std::filesystem::path& data_dir,
                             std::vector<std::string> extra_args) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe");
  std::vector<std::string> args = {binary,     "serve",      "--data", data_dir.string(),
                                   "--listen", "127.0.0.1:0"};
  for (auto& a : extra_args) args.push_back(std::move(a));
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_strings = {std::string("MENTORLOG_SECRET=") + kSecret};
  for (char** e = environ; *e; ++e) {
    if (std::string_view(*e).starts_with("MENTORLOG_")) continue;
    env_strings.emplace_back(*e);
  }
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  posix_spawn_file_actions_addclose(&actions, fds[1]);
  const int rc = posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (rc != 0) throw std::runtime_error("cannot start " + binary);
  stdout_fd_ = fds[0];

  // Wait for "mentorlog serving on http://127.0.0.1:PORT ...".
  std::string out;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{stdout_fd_, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    char buf[512];
    const ssize_t n = read(stdout_fd_, buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
    const size_t at = out.find("http://127.0.0.1:");
    if (at != std::string::npos && out.find(' ', at) != std::string::npos) {
      port_ = static_cast<unsigned short>(std::stoi(out.substr(at + 17)));
      // Keep draining the server's output (one log line per request), or it
      // blocks once the pipe is full.
      output_ = std::move(out);
      drain_ = std::thread([this] {
        char chunk[4096];
        ssize_t got = 0;
        while ((got = read(stdout_fd_, chunk, sizeof chunk)) > 0) {
          std::lock_guard lock(output_mu_);
          output_.append(chunk, static_cast<size_t>(got));
          if (output_.size() > (1 << 20)) output_.erase(0, output_.size() - (1 << 19));
        }
      });
      return;
    }
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  throw std::runtime_error("the server did not start: " + out);
}

bool ServerProcess::WaitForOutput(std::string_view text, std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    {
      std::lock_guard lock(output_mu_);
      if (output_.find(text) != std::string::npos) return true;
    }
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) Terminate();
  if (drain_.joinable()) drain_.join();  // ends at EOF, once the server has exited
  if (stdout_fd_ >= 0) close(stdout_fd_);
}

int ServerProcess::Terminate(int timeout_ms) {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  int status = 0;
  for (int waited = 0; waited < timeout_ms; waited += 10) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return status;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return -1;
}

void ServerProcess::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

std::string ServerProcess::Token(const std::string& sub, const std::string& role, long ttl) {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  return http::Jwt(kSecret).Sign({sub, role, now + ttl, std::nullopt});
}

}  // namespace mentorlog::testing
