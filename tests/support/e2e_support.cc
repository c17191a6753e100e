#include "tests/support/e2e_support.h"

#include <sys/wait.h>

#include <cstdio>
#include <stdexcept>

#include "tests/support/http_client.h"
#include "tests/support/server_process.h"

namespace mentorlog::testing {

CliRun RunMentorlog(const std::string& binary, const std::string& args) {
  const std::string command = std::string("MENTORLOG_SECRET=") + ServerProcess::kSecret + " " +
                              binary + " " + args + " 2>/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("popen " + command);
  CliRun run;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, pipe)) > 0;) run.out.append(buf, n);
  const int status = pclose(pipe);
  run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

nlohmann::json ReadAllEvents(unsigned short port, const std::string& token) {
  HttpClient client(port);
  nlohmann::json all = nlohmann::json::array();
  std::uint64_t head = 0;
  for (std::uint64_t after = 0;;) {
    const auto reply = client.Get("/v1/events?limit=1000&after=" + std::to_string(after), token);
    if (reply.status != 200) throw std::runtime_error("GET /v1/events: " + reply.body);
    const nlohmann::json page = reply.Json();
    head = page.value("head", std::uint64_t{0});
    for (const auto& e : page["events"]) all.push_back(e);
    if (page["events"].empty() || all.size() >= head) break;
    after = all.back()["position"].get<std::uint64_t>();
  }
  return {{"events", std::move(all)}, {"head", head}};
}

}  // namespace mentorlog::testing
