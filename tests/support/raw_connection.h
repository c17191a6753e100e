#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace mentorlog::testing {

// A plain blocking TCP connection to 127.0.0.1, for bytes no well-behaved HTTP
// client sends: trickled requests, thousands of headers, deep pipelines.
// Not thread-safe, except that one thread may Write while another reads.
class RawConnection {
 public:
  // Connects; throws std::runtime_error when it cannot.
  explicit RawConnection(unsigned short port);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  // Writes all of `bytes`. False when the peer has closed or reset the connection.
  bool Write(std::string_view bytes);

  // Reads until the peer closes (then `closed` is set) or `timeout` passes.
  std::string ReadUntilClosed(std::chrono::milliseconds timeout, bool* closed = nullptr);

 private:
  int fd_ = -1;
};

// One HTTP/1.1 response cut out of a byte stream.
struct RawResponse {
  unsigned status = 0;
  std::string body;
};

// Splits `bytes` into the Content-Length framed responses it holds, in order;
// stops at the first incomplete one.
std::vector<RawResponse> ParseResponses(std::string_view bytes);

}  // namespace mentorlog::testing
