// Guarantee 8, in the style of RocksDB's crash test: a child appends from many
// threads and reports every acknowledged event; the parent kills it with SIGKILL
// at a random moment, reopens the log and demands that everything acknowledged
// is there and identical, positions are gapless, the chain verifies and the next
// append continues it. MENTORLOG_CRASH_CYCLES sets the number of cycles
// (default 30).
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <map>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>

#include "replay/verify.h"
#include "tests/store/store_test_support.h"
#include "tests/support/temp_dir.h"

extern char** environ;

namespace mentorlog::store {
namespace {

// The command id of the event the parent appends after each restart.
constexpr char kParentCommand[] = "parent";

struct Acknowledged {
  std::string command_id;  // CYCLE-THREAD-SEQ
};

// Starts the child with its stdout on a pipe, lets it run for `run_for`, kills
// it, and returns everything it reported. With `after_first_ack`, `run_for`
// counts from the child's first acknowledgement (waiting up to a minute for
// it), so the cycle kills a child that is appending however long start-up took
// on a loaded machine; otherwise it counts from the spawn, which may kill the
// child while it opens or recovers the log.
std::string RunAndKill(const std::string& dir, int threads, int cycle,
                       std::chrono::milliseconds run_for, bool after_first_ack) {
  int fds[2];
  EXPECT_EQ(pipe(fds), 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  posix_spawn_file_actions_addclose(&actions, fds[1]);
  const std::string threads_arg = std::to_string(threads);
  const std::string cycle_arg = std::to_string(cycle);
  char* argv[] = {const_cast<char*>(MENTORLOG_CRASH_CHILD), const_cast<char*>(dir.c_str()),
                  const_cast<char*>(threads_arg.c_str()), const_cast<char*>(cycle_arg.c_str()),
                  nullptr};
  pid_t pid = 0;
  EXPECT_EQ(posix_spawn(&pid, MENTORLOG_CRASH_CHILD, &actions, nullptr, argv, environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);

  // Drain the pipe continuously so the child never blocks on a full pipe.
  std::string output;
  std::mutex mu;
  std::condition_variable got_output;
  std::thread reader([&, fd = fds[0]] {
    char buf[65536];
    for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) {
      std::lock_guard lock(mu);
      output.append(buf, static_cast<size_t>(n));
      got_output.notify_all();
    }
  });
  if (after_first_ack) {
    std::unique_lock lock(mu);
    got_output.wait_for(lock, std::chrono::minutes(1),
                        [&] { return output.find('\n') != std::string::npos; });
  }
  std::this_thread::sleep_for(run_for);
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  reader.join();
  close(fds[0]);
  EXPECT_TRUE(WIFSIGNALED(status)) << "the child exited by itself with status " << status;
  return output;
}

TEST(CrashTest, KillNineLosesNoAcknowledgedEvent) {
  const char* env = std::getenv("MENTORLOG_CRASH_CYCLES");
  const int cycles = env ? std::atoi(env) : 30;
  const unsigned seed = static_cast<unsigned>(std::random_device{}());
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  testing::TempDir dir;
  std::map<std::uint64_t, Acknowledged> acknowledged;  // the expected-state oracle

  for (int cycle = 0; cycle < cycles; ++cycle) {
    const auto run_for = std::chrono::milliseconds(20 + rng() % 300);
    // Every other cycle from the first acknowledgement, so the child appends in
    // at least half the cycles even when start-up is slow (sanitizers, load).
    std::istringstream lines(RunAndKill(dir.path().string(), 8, cycle, run_for, cycle % 2 == 1));
    std::uint64_t position;
    std::string command_id;
    while (lines >> position >> command_id) {
      ASSERT_FALSE(acknowledged.contains(position)) << "position acknowledged twice: " << position;
      acknowledged[position] = {command_id};
    }

    auto store = testing::OpenStore(dir.path());
    ASSERT_NE(store, nullptr);
    const Head head = store->GetHead();
    ASSERT_GE(head.position, acknowledged.empty() ? 0 : acknowledged.rbegin()->first)
        << "an acknowledged event is past the recovered head in cycle " << cycle;

    // Every acknowledged event is present and is the event that was acknowledged.
    const auto all = store->ReadAll(0, head.position);
    ASSERT_TRUE(all.has_value());
    ASSERT_EQ(all->size(), head.position);
    for (const auto& [pos, ack] : acknowledged) {
      const events::Envelope& e = (*all)[pos - 1];
      ASSERT_EQ(e.position, pos);
      ASSERT_EQ(e.command_id, ack.command_id) << "position " << pos << " changed";
      if (ack.command_id == kParentCommand) continue;
      std::istringstream parts(ack.command_id);
      std::string cycle_part, thread_part, seq_part;
      std::getline(parts, cycle_part, '-');
      std::getline(parts, thread_part, '-');
      std::getline(parts, seq_part, '-');
      EXPECT_EQ(e.data["cycle"], cycle_part);
      EXPECT_EQ(e.data["thread"], std::stoi(thread_part));
      EXPECT_EQ(e.data["seq"], std::stoi(seq_part));
      EXPECT_EQ(e.stream, "student-C" + thread_part);
    }

    // Gapless and chained, up to the stored head.
    const replay::VerifyReport report = replay::VerifyLog(*store);
    ASSERT_TRUE(report.ok) << "cycle " << cycle << ": " << report.problem << " at "
                           << report.bad_position.value_or(0);
    ASSERT_EQ(report.last_position, head.position);

    // The next append continues the chain.
    AppendRequest request = testing::MakeAppend("student-P");
    request.events[0].command_id = kParentCommand;
    const auto next = store->Append(std::move(request));
    ASSERT_TRUE(next.has_value());
    ASSERT_EQ(next->first_position, head.position + 1);
    const auto appended = store->ReadAll(head.position, 1);
    ASSERT_TRUE(appended.has_value());
    ASSERT_EQ(appended->front().prev_hash, head.hash);
    acknowledged[next->first_position] = {kParentCommand};
  }
  EXPECT_GT(acknowledged.size(), static_cast<size_t>(cycles)) << "the child never appended";
  std::printf("crash test: %d cycles, %zu acknowledged events, seed %u\n", cycles,
              acknowledged.size(), seed);
}

}  // namespace
}  // namespace mentorlog::store
