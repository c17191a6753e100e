#pragma once

// One thread of low priority that runs a job when asked, one run at a time.
// The write state and the Audience each take their snapshots while serving
// through one: the job restores the last snapshot into a second copy of the
// state, folds the durable log after it and writes that, so the live state the
// commit path holds is never locked or copied for a snapshot.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>

namespace mentorlog::projections {

// Lowers the calling thread below the threads that serve requests (nice 10):
// they preempt it whenever they run. False, logged once, when the system refuses.
bool LowerThreadPriority();

class BackgroundWorker {
 public:
  struct Options {
    // The thread's name, as `top -H` shows it (15 characters at most).
    std::string thread_name = "mentorlog-bg";
    // The share of one core the job may take: after a run that took T, the
    // next is not asked for before T / max_share has passed since that run
    // started. 1: runs may follow each other at once.
    double max_share = 1.0;
  };
  using Job = std::function<void(std::stop_token)>;

  // Starts the thread (at nice 10, see LowerThreadPriority); it waits for requests.
  BackgroundWorker(Options options, Job job);
  // Stop().
  ~BackgroundWorker();
  BackgroundWorker(const BackgroundWorker&) = delete;
  BackgroundWorker& operator=(const BackgroundWorker&) = delete;

  // Asks for a run of the job. False, and nothing asked, while a run is asked
  // for or under way, before the share allows the next, or after Stop().
  bool Request();

  // Requests a run under way to stop (the job's stop token; a job checks it
  // between pieces of its work) and joins the thread. Idempotent.
  void Stop();

  // Runs finished so far (for tests and logs).
  std::uint64_t Runs() const;

 private:
  void Run(std::stop_token stop);

  const Options options_;
  const Job job_;
  mutable std::mutex mu_;
  std::condition_variable_any cv_;
  bool wanted_ = false;
  bool busy_ = false;
  bool stopped_ = false;
  std::chrono::steady_clock::time_point not_before_ = {};
  std::uint64_t runs_ = 0;
  std::jthread thread_;  // last: started once everything it reads is made
};

}  // namespace mentorlog::projections
