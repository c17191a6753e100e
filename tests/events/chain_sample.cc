// Prints a hash chain of sealed envelopes, one canonical record per line, with
// data chosen to exercise every corner of RFC 8785 (non-ASCII names that sort
// differently in UTF-16 and UTF-8, escapes, astral characters, numbers).
// tests/events/jcs_reference.py checks it independently.
#include <cstdio>
#include <random>
#include <string>

#include "events/envelope.h"

using mentorlog::events::Envelope;
using nlohmann::json;

namespace {

std::string RandomText(std::mt19937& rng) {
  static const char* const kPieces[] = {"a",  "Z",  " ",    "\"",     "\\",   "/",
                                        "\n", "\t", "\x01", "\x1f",   "\x7f", "é",
                                        "€",  "דּ",  "😀",    "\u2028", "日本", "Ω"};
  std::string out;
  const int n = static_cast<int>(rng() % 12);
  for (int i = 0; i < n; ++i) out += kPieces[rng() % std::size(kPieces)];
  return out;
}

json RandomValue(std::mt19937& rng, int depth) {
  switch (rng() % (depth > 2 ? 5 : 7)) {
    case 0:
      return RandomText(rng);
    case 1:
      return static_cast<std::int64_t>(rng() % 2000001) - 1000000;
    case 2:  // a percentage: at most two decimals
      return static_cast<double>(rng() % 10001) / 100.0;
    case 3:
      return rng() % 2 == 0;
    case 4:
      return nullptr;
    case 5: {
      json a = json::array();
      for (int i = static_cast<int>(rng() % 4); i > 0; --i)
        a.push_back(RandomValue(rng, depth + 1));
      return a;
    }
    default: {
      json o = json::object();
      for (int i = static_cast<int>(rng() % 5); i > 0; --i) {
        o[RandomText(rng) + std::to_string(i)] = RandomValue(rng, depth + 1);
      }
      return o;
    }
  }
}

}  // namespace

int main() {
  std::mt19937 rng(20261123);
  std::string prev(mentorlog::events::kZeroHash);
  for (std::uint64_t position = 1; position <= 300; ++position) {
    Envelope e;
    e.position = position;
    e.stream = "student-S-" + std::to_string(position % 7);
    e.version = position;
    e.type = "StudentProfileUpdated";
    e.id = mentorlog::events::NewUuid();
    e.time = 1795420800123 + static_cast<std::int64_t>(position) * 1000;
    e.actor = {"M-7", "mentor"};
    e.command_id = "c-" + std::to_string(position);
    e.correlation_id = "c-" + std::to_string(position);
    e.causation_id = "";
    e.data = {{"€", 1},
              {"\r", 2},
              {"דּ", 3},
              {"😀", 4},
              {"percentage", 57.14},
              {"big", std::int64_t{9007199254740991}},
              {"random", RandomValue(rng, 0)}};
    e.prev_hash = prev;
    const std::string record = mentorlog::events::Seal(e);
    prev = e.hash;
    std::fwrite(record.data(), 1, record.size(), stdout);
    std::fputc('\n', stdout);
  }
}
