#include "projections/background_worker.h"

#include <pthread.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>

namespace mentorlog::projections {

bool LowerThreadPriority() {
  if (setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 10) == 0) return true;
  static std::once_flag logged;
  std::call_once(logged, [] { spdlog::warn("background threads keep the default priority"); });
  return false;
}

BackgroundWorker::BackgroundWorker(Options options, Job job)
    : options_(std::move(options)),
      job_(std::move(job)),
      thread_([this](std::stop_token stop) { Run(stop); }) {}

BackgroundWorker::~BackgroundWorker() { Stop(); }

bool BackgroundWorker::Request() {
  {
    std::lock_guard lock(mu_);
    if (stopped_ || wanted_ || busy_ || std::chrono::steady_clock::now() < not_before_) {
      return false;
    }
    wanted_ = true;
  }
  cv_.notify_one();
  return true;
}

void BackgroundWorker::Stop() {
  {
    std::lock_guard lock(mu_);
    stopped_ = true;
  }
  if (thread_.joinable()) {
    thread_.request_stop();  // wakes the wait below and tells a run under way
    thread_.join();
  }
}

std::uint64_t BackgroundWorker::Runs() const {
  std::lock_guard lock(mu_);
  return runs_;
}

void BackgroundWorker::Run(std::stop_token stop) {
  pthread_setname_np(pthread_self(), options_.thread_name.substr(0, 15).c_str());
  LowerThreadPriority();  // the threads serving requests preempt it whenever they run
  for (;;) {
    {
      std::unique_lock lock(mu_);
      if (!cv_.wait(lock, stop, [&] { return wanted_; })) return;  // stop requested
      wanted_ = false;
      busy_ = true;
    }
    const auto started = std::chrono::steady_clock::now();
    job_(stop);
    const auto took = std::chrono::steady_clock::now() - started;
    const double share = std::clamp(options_.max_share, 1e-9, 1.0);
    std::lock_guard lock(mu_);
    busy_ = false;
    ++runs_;
    not_before_ =
        started + std::chrono::duration_cast<std::chrono::steady_clock::duration>(took / share);
  }
}

}  // namespace mentorlog::projections
