#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace mentorlog::testing {

// The exit status and standard output of one `mentorlog` subcommand.
struct CliRun {
  int status = -1;  // the exit code, or -1 when it did not exit normally
  std::string out;
};

// Runs `binary args` through the shell with the test secret, capturing stdout
// (stderr is discarded).
CliRun RunMentorlog(const std::string& binary, const std::string& args);

// The whole log as `GET /v1/events` serves it, paged 1,000 at a time with
// `token` (an admin or auditor): {"events": [...], "head": N}.
nlohmann::json ReadAllEvents(unsigned short port, const std::string& token);

}  // namespace mentorlog::testing
