// The child of the crash test: appends from many threads until it is killed,
// reporting each acknowledged event as "position command_id\n" on stdout; the
// command id "CYCLE-THREAD-SEQ" determines the event's data. One write(2)
// per line, under a lock, so a line is either wholly in the pipe or not at all.
#include <unistd.h>

#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/rocksdb_event_store.h"

using mentorlog::store::AppendRequest;
using mentorlog::store::NewEvent;
using mentorlog::store::RocksDbEventStore;

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: crash_child DIR THREADS CYCLE\n");
    return 2;
  }
  auto store = RocksDbEventStore::Open(argv[1]);
  if (!store) {
    std::fprintf(stderr, "open: %s\n", store.error().message.c_str());
    return 1;
  }
  const int threads = std::stoi(argv[2]);
  const std::string cycle = argv[3];
  std::mutex out_mu;
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (int seq = 0;; ++seq) {
        AppendRequest request;
        NewEvent e;
        e.stream = "student-C" + std::to_string(t);
        e.type = "AttendanceRecorded";
        e.actor = {"M-" + std::to_string(t), "mentor"};
        e.command_id = cycle + "-" + std::to_string(t) + "-" + std::to_string(seq);
        e.data = {{"cycle", cycle}, {"thread", t}, {"seq", seq}, {"note", std::string(300, 'n')}};
        request.events.push_back(std::move(e));
        const auto result = (*store)->Append(std::move(request));
        if (!result) {
          std::fprintf(stderr, "append: %s\n", result.error().message.c_str());
          std::_Exit(1);
        }
        const std::string line =
            std::to_string(result->last_position) + " " + result->command_id + "\n";
        std::lock_guard lock(out_mu);
        if (write(STDOUT_FILENO, line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
          std::_Exit(1);
        }
      }
    });
  }
  for (auto& w : workers) w.join();
}
