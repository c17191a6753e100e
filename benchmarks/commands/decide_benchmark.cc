// Decisions per second in process, without I/O (issue 3): ScheduleMeeting against a
// state with 10,000 meetings and 1,000 mentors. Goal: >= 500,000/s on one core.

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "commands/command.h"
#include "commands/decide.h"
#include "commands/write_state.h"
#include "events/envelope.h"

namespace mentorlog::commands {
namespace {

constexpr int kMentors = 1'000;
constexpr int kStudentsPerMentor = 5;
constexpr int kMeetingsPerMentor = 10;
constexpr events::TimeMs kHour = 3'600'000;
// 2026-11-23T08:00:00Z
constexpr events::TimeMs kNow = 1'795'420'800'000;

void Add(WriteState& s, std::string type, nlohmann::json data) {
  events::Envelope e;
  e.type = std::move(type);
  e.data = std::move(data);
  Apply(s, e);
}

std::string MentorId(int m) { return "M-" + std::to_string(m); }
std::string StudentId(int m, int i) { return "S-" + std::to_string(m) + "-" + std::to_string(i); }

// 1,000 mentors with 5 mentees each and 10 live meetings each (10,000 meetings),
// one per mentee every other day at 10:00.
const WriteState& BigState() {
  static const WriteState state = [] {
    WriteState s;
    int meeting = 0;
    for (int m = 0; m < kMentors; ++m) {
      Add(s, "MentorRegistered", {{"mentor_id", MentorId(m)}, {"max_mentees", 20}});
      for (int i = 0; i < kStudentsPerMentor; ++i) {
        Add(s, "StudentEnrolled",
            {{"student_id", StudentId(m, i)}, {"roll_number", "R" + StudentId(m, i)}});
        Add(s, "MentorAssigned", {{"student_id", StudentId(m, i)}, {"mentor_id", MentorId(m)}});
      }
      for (int k = 0; k < kMeetingsPerMentor; ++k) {
        const events::TimeMs start = kNow + (k * 48 + 2) * kHour;
        Add(s, "MeetingScheduled",
            {{"meeting_id", "MT-" + std::to_string(meeting++)},
             {"mentor_id", MentorId(m)},
             {"student_ids", {StudentId(m, k % kStudentsPerMentor)}},
             {"start", events::FormatTime(start)},
             {"end", events::FormatTime(start + kHour)},
             {"status", "proposed"},
             {"proposed_by", "mentor"}});
      }
    }
    return s;
  }();
  return state;
}

// A free slot for each mentor (the day after a meeting, 14:00), or a taken one.
std::vector<std::pair<Command, Context>> Commands(bool taken) {
  std::vector<std::pair<Command, Context>> out;
  for (int m = 0; m < kMentors; ++m) {
    ScheduleMeeting c;
    c.meeting_id = "MT-new-" + std::to_string(m);
    c.mentor_id = MentorId(m);
    c.student_ids = {StudentId(m, m % kStudentsPerMentor)};
    c.title = "Weekly check-in";
    c.mode = MeetingMode::kOnline;
    c.start = kNow + ((m % kMeetingsPerMentor) * 48 + (taken ? 2 : 30)) * kHour;
    c.end = c.start + kHour;
    out.push_back({Command{std::move(c)}, Context{{MentorId(m), "mentor"}, kNow}});
  }
  return out;
}

void BM_DecideScheduleMeeting(benchmark::State& bench) {
  const WriteState& state = BigState();
  const auto commands = Commands(/*taken=*/false);
  if (!Decide(state, commands[0].first, commands[0].second)) bench.SkipWithError("refused");
  std::size_t i = 0;
  for (auto _ : bench) {
    const auto& [command, context] = commands[i++ % commands.size()];
    auto decision = Decide(state, command, context);
    benchmark::DoNotOptimize(decision);
  }
  bench.SetItemsProcessed(bench.iterations());
  bench.counters["meetings"] = static_cast<double>(state.meetings.size());
  bench.counters["mentors"] = static_cast<double>(state.mentors.size());
}
BENCHMARK(BM_DecideScheduleMeeting);

void BM_DecideScheduleMeetingDoubleBooked(benchmark::State& bench) {
  const WriteState& state = BigState();
  const auto commands = Commands(/*taken=*/true);
  const auto first = Decide(state, commands[0].first, commands[0].second);
  if (first || first.error().code != ErrorCode::kDoubleBooking) {
    bench.SkipWithError("expected double_booking");
  }
  std::size_t i = 0;
  for (auto _ : bench) {
    const auto& [command, context] = commands[i++ % commands.size()];
    auto decision = Decide(state, command, context);
    benchmark::DoNotOptimize(decision);
  }
  bench.SetItemsProcessed(bench.iterations());
}
BENCHMARK(BM_DecideScheduleMeetingDoubleBooked);

// The whole pure path a request takes: JSON body -> typed command -> decision.
void BM_DecodeAndDecideScheduleMeeting(benchmark::State& bench) {
  const WriteState& state = BigState();
  const nlohmann::json body = {
      {"meeting_id", "MT-new"},       {"mentor_id", "M-7"}, {"student_ids", {"S-7-2"}},
      {"title", "Weekly check-in"},   {"mode", "online"},   {"start", "2026-11-25T09:00:00Z"},
      {"end", "2026-11-25T10:00:00Z"}};
  const Context context{{"M-7", "mentor"}, kNow};
  for (auto _ : bench) {
    auto command = DecodeCommand("ScheduleMeeting", body);
    auto decision = Decide(state, *command, context);
    benchmark::DoNotOptimize(decision);
  }
  bench.SetItemsProcessed(bench.iterations());
}
BENCHMARK(BM_DecodeAndDecideScheduleMeeting);

}  // namespace
}  // namespace mentorlog::commands
