#include "projections/background_worker.h"

#include <gtest/gtest.h>
#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <future>
#include <string>
#include <thread>

namespace mentorlog::projections {
namespace {

using namespace std::chrono_literals;

// Waits (10 s at most) until `done` holds.
template <class Pred>
bool Await(Pred done) {
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

TEST(BackgroundWorker, RunsTheJobWhenAskedOnItsOwnThreadBelowTheServingOnes) {
  std::promise<std::pair<std::string, int>> ran;
  BackgroundWorker worker({.thread_name = "mentorlog-test"}, [&](std::stop_token) {
    char name[16] = {};
    pthread_getname_np(pthread_self(), name, sizeof name);
    ran.set_value({name, getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()))});
  });
  EXPECT_EQ(worker.Runs(), 0u);  // nothing before it is asked
  ASSERT_TRUE(worker.Request());
  const auto [name, nice] = ran.get_future().get();
  EXPECT_EQ(name, "mentorlog-test");
  // nice 10 unless the system refused (then LowerThreadPriority logged it).
  EXPECT_TRUE(nice == 10 || nice == getpriority(PRIO_PROCESS, 0)) << nice;
  ASSERT_TRUE(Await([&] { return worker.Runs() == 1; }));
}

TEST(BackgroundWorker, OneRunAtATimeAndNoneAskedTwice) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> started = 0;
  BackgroundWorker worker({}, [&](std::stop_token) {
    ++started;
    released.wait();
  });
  ASSERT_TRUE(worker.Request());
  ASSERT_TRUE(Await([&] { return started == 1; }));
  EXPECT_FALSE(worker.Request());  // one under way
  release.set_value();
  ASSERT_TRUE(Await([&] { return worker.Runs() == 1; }));
  EXPECT_TRUE(worker.Request());  // share 1: at once
  ASSERT_TRUE(Await([&] { return worker.Runs() == 2; }));
  EXPECT_EQ(started, 2);
}

TEST(BackgroundWorker, AfterARunTheShareHoldsTheNextBack) {
  // A run of at least 2 ms at a share of 1/10,000 holds the next back 20 s.
  BackgroundWorker worker({.max_share = 1e-4},
                          [](std::stop_token) { std::this_thread::sleep_for(2ms); });
  ASSERT_TRUE(worker.Request());
  ASSERT_TRUE(Await([&] { return worker.Runs() == 1; }));
  EXPECT_FALSE(worker.Request());
  EXPECT_EQ(worker.Runs(), 1u);
}

TEST(BackgroundWorker, StopEndsARunUnderWayThroughItsStopTokenAndRefusesMore) {
  std::atomic<bool> running = false;
  std::atomic<bool> saw_stop = false;
  BackgroundWorker worker({}, [&](std::stop_token stop) {
    running = true;
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (!stop.stop_requested() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(1ms);
    }
    saw_stop = stop.stop_requested();
  });
  ASSERT_TRUE(worker.Request());
  ASSERT_TRUE(Await([&] { return running.load(); }));
  worker.Stop();
  EXPECT_TRUE(saw_stop);
  EXPECT_EQ(worker.Runs(), 1u);
  EXPECT_FALSE(worker.Request());
  worker.Stop();  // again: nothing to do
}

TEST(BackgroundWorker, StoppingAnIdleWorkerRunsNothing) {
  std::atomic<int> runs = 0;
  {
    BackgroundWorker worker({}, [&](std::stop_token) { ++runs; });
  }
  EXPECT_EQ(runs, 0);
}

}  // namespace
}  // namespace mentorlog::projections
