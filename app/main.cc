#include <spdlog/spdlog.h>

#include <cstdio>
#include <string_view>

// `mentorlog` — one executable with the subcommands of API.md; each issue adds
// the subcommands it builds. main only dispatches; the work lives in the folders.
namespace {

constexpr std::string_view kUsage =
    "usage: mentorlog <command> [flags]\n"
    "commands available in this build:\n"
    "  help      this text\n";

}  // namespace

int main(int argc, char** argv) {
  const std::string_view command = argc > 1 ? argv[1] : "help";
  if (command == "help" || command == "--help" || command == "-h") {
    std::fputs(kUsage.data(), stdout);
    return 0;
  }
  spdlog::error("unknown command '{}'; run `mentorlog help`", command);
  return 2;
}
