#pragma once

#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace mentorlog::app {

// `--name value` flags of one subcommand, with MENTORLOG_<NAME> environment
// variables as fallbacks (API.md "Command line").
class Flags {
 public:
  // Parses argv[first..]. Error: the first malformed argument.
  static std::optional<Flags> Parse(int argc, char** argv, int first, std::string& error) {
    Flags flags;
    for (int i = first; i < argc; ++i) {
      const std::string_view arg = argv[i];
      if (arg.substr(0, 2) != "--" || i + 1 >= argc) {
        error = "expected --flag value, got '" + std::string(arg) + "'";
        return std::nullopt;
      }
      flags.values_[std::string(arg.substr(2))] = argv[++i];
    }
    return flags;
  }

  // The flag, else MENTORLOG_<NAME> (upper case, '-' as '_'), else nullopt.
  std::optional<std::string> Get(const std::string& name) const {
    if (const auto it = values_.find(name); it != values_.end()) return it->second;
    std::string env = "MENTORLOG_";
    for (const char c : name) env.push_back(c == '-' ? '_' : static_cast<char>(std::toupper(c)));
    if (const char* value = std::getenv(env.c_str())) return std::string(value);
    return std::nullopt;
  }

  std::string GetOr(const std::string& name, std::string fallback) const {
    return Get(name).value_or(std::move(fallback));
  }

 private:
  std::map<std::string, std::string> values_;
};

}  // namespace mentorlog::app
