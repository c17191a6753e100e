#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <expected>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "events/envelope.h"
#include "store/event_store.h"

namespace mentorlog::projections {

// Reads the log range (after, last] in chunks on its own thread, up to `depth`
// chunks ahead of the consumer, so decoding (the larger cost of a replay) runs
// beside folding. Not thread-safe: one consumer calls Next.
class LogPrefetcher {
 public:
  // Starts reading at once. `chunk` events per read (>= 1); `depth` chunks
  // buffered at most (>= 1).
  LogPrefetcher(const store::EventStore& store, std::uint64_t after, std::uint64_t last,
                std::size_t chunk, std::size_t depth);
  // Stops the reader and waits for it.
  ~LogPrefetcher();
  LogPrefetcher(const LogPrefetcher&) = delete;
  LogPrefetcher& operator=(const LogPrefetcher&) = delete;

  // The next chunk, in position order; an empty chunk once `last` was delivered.
  // Errors: the store's message when a read failed or the log ended before `last`.
  std::expected<std::vector<events::Envelope>, std::string> Next();

  // Hands a chunk back once consumed, so the reader thread frees it (freeing a
  // chunk of decoded events costs about a third of decoding it).
  void Recycle(std::vector<events::Envelope> chunk);

 private:
  void Run();

  const store::EventStore& store_;
  const std::uint64_t last_;
  const std::size_t chunk_;
  const std::size_t depth_;
  std::uint64_t read_up_to_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::vector<events::Envelope>> ready_;
  std::vector<std::vector<events::Envelope>> spent_;  // freed by the reader
  std::string error_;
  bool done_ = false;
  bool stop_ = false;
  std::thread reader_;
};

}  // namespace mentorlog::projections
