#include "store/rocksdb_logger.h"

#include <rocksdb/env.h>
#include <spdlog/spdlog.h>

#include <cstdarg>
#include <cstdio>

namespace mentorlog::store {
namespace {

class SpdlogRocksDbLogger final : public rocksdb::Logger {
 public:
  explicit SpdlogRocksDbLogger(std::string name)
      : rocksdb::Logger(rocksdb::InfoLogLevel::WARN_LEVEL), name_(std::move(name)) {}

  // The options dump at open and other unlevelled lines: dropped.
  void LogHeader(const char*, va_list) override {}
  void Logv(const char*, va_list) override {}

  void Logv(const rocksdb::InfoLogLevel level, const char* format, va_list ap) override {
    if (level < GetInfoLogLevel() || level == rocksdb::InfoLogLevel::HEADER_LEVEL) return;
    char line[1024];
    std::vsnprintf(line, sizeof line, format, ap);
    if (level == rocksdb::InfoLogLevel::WARN_LEVEL) {
      spdlog::warn("rocksdb {}: {}", name_, line);
    } else {
      spdlog::error("rocksdb {}: {}", name_, line);
    }
  }

 private:
  const std::string name_;
};

}  // namespace

std::shared_ptr<rocksdb::Logger> NewRocksDbLogger(std::string name) {
  return std::make_shared<SpdlogRocksDbLogger>(std::move(name));
}

}  // namespace mentorlog::store
