// Fuzzes the command path's pure half: DecodeCommand against the field tables
// (commands/command_spec.cc) and, when a body decodes, Decide against a small
// fixed write state. Generic over the command table, so new commands are fuzzed
// as soon as they join it.
//
// Input: one byte choosing the actor (admin, two mentors, two mentees, an
// auditor), then `CommandName`, a newline, and the JSON body.
//
// Invariants beyond "no crash, no leak, no UB":
// - an unknown name is unknown_command, exactly when the table has no spec;
// - only an object body decodes; every other body is invalid_argument on "";
//   every other invalid_argument names a field;
// - a decoded body names only spec fields and has every required one; it decodes
//   again to the same command after a JSON round trip; adding an unknown member
//   or removing any required one is invalid_argument on that member;
// - a role outside the spec's roles is forbidden; accepted events are of the
//   spec's event types, on valid stream names, with canonicalisable object data,
//   and fold into the state (and through the alert policy) without harm.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "commands/command.h"
#include "commands/command_spec.h"
#include "commands/decide.h"
#include "commands/write_state.h"
#include "events/canonical_json.h"
#include "events/envelope.h"
#include "events/time.h"
#include "http/router.h"
#include "store/event_store.h"
#include "tests/fuzz/fuzz_check.h"

namespace mentorlog::fuzz {
namespace {

using commands::ErrorCode;
using nlohmann::json;

// "Now" of every decision: 2026-11-23T08:00:00Z.
constexpr events::TimeMs kNow = 1'795'420'800'000;

const events::Actor kActors[] = {{"A-1", "admin"},  {"M-1", "mentor"}, {"M-2", "mentor"},
                                 {"S-1", "mentee"}, {"S-2", "mentee"}, {"AU-1", "auditor"}};

// The write state the fuzzed commands are decided against: mentors M-1 (room for
// two) and M-2, students S-1..S-3 (S-1 with M-1, S-2 with M-2), a proposed future
// meeting, an accepted past one, a pending leave and a recorded class.
class FixedState {
 public:
  FixedState() {
    const events::Actor admin = kActors[0], mentor = kActors[1], mentee = kActors[3];
    Run(admin, "RegisterMentor",
        {{"mentor_id", "M-1"}, {"name", "Asha"}, {"department", "CSE"}, {"max_mentees", 2}});
    Run(admin, "RegisterMentor", {{"mentor_id", "M-2"}, {"name", "Ravi"}, {"department", "ECE"}});
    for (const char* id : {"S-1", "S-2", "S-3"}) {
      Run(admin, "EnrollStudent",
          {{"student_id", id},
           {"roll_number", std::string("R") + id},
           {"name", std::string("Student ") + id},
           {"department", "CSE"}});
    }
    Run(admin, "AssignMentor", {{"student_id", "S-1"}, {"mentor_id", "M-1"}});
    Run(admin, "AssignMentor", {{"student_id", "S-2"}, {"mentor_id", "M-2"}});
    Run(mentor, "ScheduleMeeting",
        {{"meeting_id", "MT-1"},
         {"mentor_id", "M-1"},
         {"student_ids", {"S-1"}},
         {"title", "Weekly check-in"},
         {"mode", "online"},
         {"start", "2026-11-24T10:00:00Z"},
         {"end", "2026-11-24T11:00:00Z"}});
    Run(mentor, "ScheduleMeeting",
        {{"meeting_id", "MT-2"},
         {"mentor_id", "M-1"},
         {"student_ids", {"S-1"}},
         {"title", "Last week"},
         {"mode", "offline"},
         {"start", "2026-11-16T10:00:00Z"},
         {"end", "2026-11-16T11:00:00Z"}});
    Run(mentee, "RequestLeave",
        {{"leave_id", "L-1"},
         {"student_id", "S-1"},
         {"kind", "on_duty"},
         {"from_date", "2026-11-25"},
         {"to_date", "2026-11-26"},
         {"reason", "Hackathon"}});
    Run(mentor, "RecordAttendance",
        {{"course_id", "CS101"},
         {"date", "2026-11-20"},
         {"period", 1},
         {"entries",
          {{{"student_id", "S-1"}, {"status", "present"}},
           {{"student_id", "S-2"}, {"status", "absent"}}}}});
  }

  const commands::WriteState& state() const { return state_; }

  // Folds decided events into `state` as the command path does, alerts included.
  static void Commit(commands::WriteState& state, std::uint64_t& position,
                     const std::vector<commands::DomainEvent>& decided,
                     const events::Actor& actor) {
    for (const auto& d : decided) {
      events::Envelope e;
      e.position = ++position;
      e.stream = d.stream;
      e.version = position;  // Apply reads no versions
      e.type = d.type;
      e.time = kNow;
      e.actor = actor;
      e.data = d.data;
      commands::Apply(state, e);
      std::vector<commands::DomainEvent> alerts = commands::AttendanceAlerts(state, e);
      Commit(state, position, alerts, {"system", "system"});
    }
  }

 private:
  void Run(const events::Actor& actor, std::string_view name, const json& body) {
    const auto command = commands::DecodeCommand(name, body);
    FUZZ_CHECK(command.has_value(), "the fixed state's commands decode");
    const auto decided = commands::Decide(state_, *command, {actor, kNow});
    FUZZ_CHECK(decided.has_value(), "the fixed state's commands are accepted");
    Commit(state_, position_, *decided, actor);
  }

  commands::WriteState state_;
  std::uint64_t position_ = 0;
};

bool Contains(const std::vector<std::string>& list, std::string_view value) {
  for (const auto& v : list) {
    if (v == value) return true;
  }
  return false;
}

void CheckDecode(std::string_view name, const json& body,
                 const std::expected<commands::Command, commands::Rejection>& got) {
  const commands::CommandSpec* spec = commands::FindCommandSpec(name);
  if (!got) {
    const commands::Rejection& r = got.error();
    FUZZ_CHECK(!r.message.empty(), "a rejection says why");
    FUZZ_CHECK((r.code == ErrorCode::kUnknownCommand) == (spec == nullptr),
               "unknown_command exactly for names without a spec");
    if (spec == nullptr) return;
    FUZZ_CHECK(r.code == ErrorCode::kInvalidArgument, "decoding refuses as invalid_argument");
    // (A member named "" is refused as unknown on the path "" too.)
    FUZZ_CHECK(r.field.empty() == (!body.is_object() || body.contains("")),
               "a non-object body is refused on \"\", anything else on a field");
    return;
  }
  FUZZ_CHECK(spec != nullptr, "only named commands decode");
  FUZZ_CHECK(body.is_object(), "only an object body decodes");
  FUZZ_CHECK(commands::CommandName(*got) == name, "the decoded command is the one named");
  for (const auto& [key, value] : body.items()) {
    bool known = false;
    for (const auto& f : spec->fields) known = known || f.name == key;
    FUZZ_CHECK(known, "a decoded body names only spec fields");
  }
  const auto again = commands::DecodeCommand(name, json::parse(body.dump()));
  FUZZ_CHECK(again.has_value() && *again == *got, "decoding survives a JSON round trip");

  json extra = body;
  extra["fuzz_unknown_member"] = 1;
  const auto unknown = commands::DecodeCommand(name, extra);
  FUZZ_CHECK(!unknown && unknown.error().code == ErrorCode::kInvalidArgument &&
                 unknown.error().field == "fuzz_unknown_member",
             "an unknown member is refused on its name");
  for (const auto& f : spec->fields) {
    if (!f.required) continue;
    FUZZ_CHECK(body.contains(f.name) && !body[f.name].is_null(),
               "a decoded body has every required field");
    json missing = body;
    missing.erase(f.name);
    const auto refused = commands::DecodeCommand(name, missing);
    FUZZ_CHECK(!refused && refused.error().code == ErrorCode::kInvalidArgument &&
                   refused.error().field == f.name,
               "a missing required field is refused on its name");
  }
}

void CheckDecide(const commands::WriteState& state, const commands::Command& command,
                 const events::Actor& actor) {
  const commands::CommandSpec* spec = commands::FindCommandSpec(commands::CommandName(command));
  const auto decided = commands::Decide(state, command, {actor, kNow});
  if (!decided) {
    FUZZ_CHECK(decided.error().code != ErrorCode::kUnknownCommand, "Decide knows every command");
    FUZZ_CHECK(!decided.error().message.empty(), "a rejection says why");
    return;
  }
  FUZZ_CHECK(Contains(spec->roles, actor.role), "only the spec's roles are accepted");
  for (const auto& e : *decided) {
    FUZZ_CHECK(Contains(spec->events, e.type), "an accepted event is of the spec's types");
    FUZZ_CHECK(store::IsValidStreamName(e.stream), "an accepted event has a valid stream");
    FUZZ_CHECK(e.data.is_object(), "event data is an object");
    events::CanonicalJson(e.data);  // throws (and so crashes here) if JCS cannot hold it
  }
  commands::WriteState next = state;
  std::uint64_t position = 1'000'000;
  FixedState::Commit(next, position, *decided, actor);
}

}  // namespace
}  // namespace mentorlog::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace mentorlog;
  static const fuzz::FixedState fixed;
  if (size < 1 || size > 64 * 1024) return 0;  // the server's body limit
  const events::Actor& actor = fuzz::kActors[data[0] % std::size(fuzz::kActors)];
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::size_t newline = input.find('\n');
  const std::string_view name = input.substr(0, newline);
  const std::string_view text =
      newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
  // As the router: too deep is refused before parsing, and only JSON is decoded.
  if (http::NestedDeeperThan(text, 64)) return 0;
  const auto body = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return 0;
  const auto command = commands::DecodeCommand(name, body);
  fuzz::CheckDecode(name, body, command);
  if (command) fuzz::CheckDecide(fixed.state(), *command, actor);
  return 0;
}
