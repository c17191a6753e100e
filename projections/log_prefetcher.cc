#include "projections/log_prefetcher.h"

#include <algorithm>

namespace mentorlog::projections {

LogPrefetcher::LogPrefetcher(const store::EventStore& store, std::uint64_t after,
                             std::uint64_t last, std::size_t chunk, std::size_t depth)
    : store_(store),
      last_(last),
      chunk_(std::max<std::size_t>(chunk, 1)),
      depth_(std::max<std::size_t>(depth, 1)),
      read_up_to_(after) {
  reader_ = std::thread(&LogPrefetcher::Run, this);
}

LogPrefetcher::~LogPrefetcher() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  reader_.join();
}

void LogPrefetcher::Run() {
  while (read_up_to_ < last_) {
    std::vector<std::vector<events::Envelope>> spent;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stop_ || ready_.size() < depth_; });
      if (stop_) return;
      spent.swap(spent_);
    }
    spent.clear();
    auto read = store_.ReadAll(read_up_to_, std::min<std::uint64_t>(chunk_, last_ - read_up_to_),
                               events::DataForm::kText);
    std::lock_guard lock(mu_);
    if (!read || read->empty()) {
      error_ =
          read ? "the log ended before position " + std::to_string(last_) : read.error().message;
      break;
    }
    read_up_to_ = read->back().position;
    ready_.push_back(std::move(*read));
    cv_.notify_all();
  }
  std::lock_guard lock(mu_);
  done_ = true;
  cv_.notify_all();
}

std::expected<std::vector<events::Envelope>, std::string> LogPrefetcher::Next() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return !ready_.empty() || done_; });
  if (!ready_.empty()) {
    std::vector<events::Envelope> out = std::move(ready_.front());
    ready_.pop_front();
    cv_.notify_all();
    return out;
  }
  if (!error_.empty()) return std::unexpected(error_);
  return std::vector<events::Envelope>();
}

void LogPrefetcher::Recycle(std::vector<events::Envelope> chunk) {
  std::lock_guard lock(mu_);
  if (!done_ && !stop_) spent_.push_back(std::move(chunk));
}

}  // namespace mentorlog::projections
