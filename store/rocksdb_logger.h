#pragma once

#include <memory>
#include <string>

namespace rocksdb {
class Logger;
}  // namespace rocksdb

namespace mentorlog::store {

// RocksDB's info log for a database of ours (`name` tags each line), kept out of
// the data directory: warnings and errors go to the process's log (spdlog), the
// rest is dropped. RocksDB's default writes a LOG file beside the data; once a
// full disk has failed one write to it, the next message (the error handler
// reporting the failed log write) trips an assertion in librocksdb builds that
// keep asserts (Debian's 7.8) and aborts the server instead of refusing writes.
// Thread-safe.
std::shared_ptr<rocksdb::Logger> NewRocksDbLogger(std::string name);

}  // namespace mentorlog::store
