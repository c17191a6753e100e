// Property test with a fixed seed: 10,000 random commands from several actors go
// through DecodeCommand + Decide + Apply (+ the alert policy), and after each one
// the write side's invariants hold, and the state survives its snapshot form.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>

#include "app/write_state_codec.h"
#include "events/envelope.h"
#include "tests/commands/given_when_then.h"

namespace mentorlog::commands::testing {
namespace {

constexpr int kMentors = 4;
constexpr int kStudents = 16;
constexpr int kSteps = 10'000;
constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kHour = 60 * kMinute;
constexpr std::int64_t kDay = 24 * kHour;

class Generator {
 public:
  explicit Generator(std::uint64_t seed) : rng_(seed) {}

  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool Chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  template <class T>
  const T& Pick(const std::vector<T>& v) {
    return v[static_cast<std::size_t>(Int(0, static_cast<int>(v.size()) - 1))];
  }

  std::string Mentor() { return "M-" + std::to_string(Int(0, kMentors - 1)); }
  std::string Student() { return "S-" + std::to_string(Int(0, kStudents - 1)); }
  std::string MeetingId() { return "MT-" + std::to_string(Int(0, 400)); }
  std::string LeaveId() { return "L-" + std::to_string(Int(0, 150)); }
  std::string RequestId() { return "CR-" + std::to_string(Int(0, 40)); }

  events::Actor Actor(Scenario& s, const std::string& about_student) {
    const int r = Int(0, 99);
    if (r < 15) return Admin();
    if (r < 20) return Auditor();
    if (r < 55) {
      // Mostly the student's own mentor, sometimes another.
      const auto it = s.state().students.find(about_student);
      if (Chance(0.8) && it != s.state().students.end() && it->second.mentor_id) {
        return commands::testing::Mentor(*it->second.mentor_id);
      }
      return commands::testing::Mentor(Mentor());
    }
    return Mentee(Chance(0.85) ? about_student : Student());
  }

  // A meeting that exists, or a random id.
  std::string ExistingMeeting(const Scenario& s) {
    if (s.state().meetings.empty() || Chance(0.1)) return MeetingId();
    // By text: the map's order follows the symbols' addresses, not the seed.
    std::vector<std::string> ids;
    for (const auto& [id, meeting] : s.state().meetings) ids.push_back(id);
    std::ranges::sort(ids);
    return ids[static_cast<std::size_t>(Int(0, static_cast<int>(ids.size()) - 1))];
  }
  std::string ExistingLeave(const Scenario& s) {
    if (s.state().leaves.empty() || Chance(0.1)) return LeaveId();
    auto it = s.state().leaves.begin();
    std::advance(it, Int(0, static_cast<int>(s.state().leaves.size()) - 1));
    return it->first;
  }

  std::mt19937_64& rng() { return rng_; }

 private:
  std::mt19937_64 rng_;
};

struct Step {
  events::Actor actor;
  std::string name;
  Json body;
};

// Sections 5-7: exam results, counselling, programmes, timetables and slots.
Step RandomLaterSection(Generator& g, Scenario& s, events::TimeMs now, const std::string& student,
                        const events::Actor& actor) {
  const auto time = [&](events::TimeMs t) { return events::FormatTime(t); };
  const std::string program = "P-" + std::to_string(g.Int(0, 2));
  const std::string timetable = "TT-" + std::to_string(g.Int(0, 2));
  // Slots are the half hours of 2026-09-10 09:00-13:00.
  const events::TimeMs day = T("2026-09-10T09:00:00Z");
  const auto slot = [&](int i) { return day + i * 30 * kMinute; };
  const int r = g.Int(0, 18);
  switch (r) {
    case 0:
      return {actor,
              "RecordExamResult",
              {{"student_id", student},
               {"exam", "e"},
               {"subject", "s"},
               {"marks", g.Int(0, 60)},
               {"max_marks", 50}}};
    case 1:
      return {actor,
              "CreateCounselling",
              {{"counselling_id", "C-" + std::to_string(g.Int(0, 30))},
               {"name", "n"},
               {"at", time(now + g.Int(-2, 2) * kDay)},
               {"notes", "x"},
               {"student_ids", {student}}}};
    case 2: {
      events::Actor who = actor;
      const std::string id = "C-" + std::to_string(g.Int(0, 30));
      if (const auto c = s.state().counsellings.find(id);
          c != s.state().counsellings.end() && g.Chance(0.7)) {
        who = commands::testing::Mentor(c->second.mentor_id);
      }
      return {who,
              "RecordCounsellingOutcome",
              {{"counselling_id", id}, {"outcome", "o"}, {"goals", {"g"}}}};
    }
    case 3:
      return {actor,
              "RequestCounselling",
              {{"request_id", "CQ-" + std::to_string(g.Int(0, 30))},
               {"student_id", student},
               {"topic", "t"}}};
    case 4:
      return {Admin(),
              "CreateProgram",
              {{"program_id", program},
               {"name", "n"},
               {"milestones",
                {{{"milestone_id", "MS-0"}, {"title", "a"}},
                 {{"milestone_id", "MS-1"}, {"title", "b"}}}},
               {"mentor_can_customise", g.Chance(0.5)}}};
    case 5:
      return {g.Chance(0.8) ? Admin() : actor,
              "EnrollInProgram",
              {{"program_id", program}, {"student_id", student}}};
    case 6: {
      Json milestones = {{{"milestone_id", "MS-" + std::to_string(g.Int(0, 3))}, {"title", "c"}}};
      if (g.Chance(0.5)) milestones.push_back({{"milestone_id", "MS-9"}, {"title", "d"}});
      return {actor,
              "CustomiseMilestones",
              {{"program_id", program}, {"student_id", student}, {"milestones", milestones}}};
    }
    case 7:
    case 8:
      return {actor,
              "CompleteMilestone",
              {{"program_id", program},
               {"student_id", student},
               {"milestone_id", "MS-" + std::to_string(g.Int(0, 3))}}};
    case 9:
      return {
          actor,
          "RateSkill",
          {{"student_id", student}, {"skill", g.Chance(0.5) ? "a" : "b"}, {"rating", g.Int(1, 5)}}};
    case 10:
      return {actor,
              "NominateStakeholder",
              {{"program_id", program},
               {"student_id", student},
               {"name", "n"},
               {"email", "x" + std::to_string(g.Int(0, 3)) + "@e.org"}}};
    case 11: {
      Json slots = Json::array();
      for (int i = 0; i < 8; ++i) {
        if (g.Chance(0.7)) slots.push_back({{"start", time(slot(i))}, {"end", time(slot(i + 1))}});
      }
      if (slots.empty()) slots.push_back({{"start", time(slot(0))}, {"end", time(slot(1))}});
      const bool custom = g.Chance(0.6);
      Json body = {
          {"timetable_id", timetable}, {"kind", custom ? "custom" : "regular"}, {"slots", slots}};
      if (custom) body["mentor_id"] = actor.role == "mentor" ? actor.id : g.Mentor();
      return {g.Chance(0.5) ? Admin() : actor, "DefineTimetable", body};
    }
    case 12:
    case 13:
    case 14:
      return {g.Chance(0.9) ? Admin() : actor,
              "BookSlot",
              {{"timetable_id", timetable},
               {"slot_start", time(slot(g.Int(0, 7)))},
               {"session_number", g.Int(1, 20)},
               {"team_or_student", "TEAM-" + std::to_string(g.Int(0, 5))}}};
    case 16: {
      Json body = {{"rating", g.Int(1, 5)}};
      if (g.Chance(0.7)) body["program_id"] = program;
      return {actor, "SubmitSatisfaction", body};
    }
    case 17:
      return {actor,
              "RequestMentorship",
              {{"request_id", "MR-" + std::to_string(g.Int(0, 30))},
               {"team_or_student", g.Chance(0.5) ? student : "TEAM-" + std::to_string(g.Int(0, 5))},
               {"topic", "t"}}};
    case 18: {
      Json body = {{"request_id", "MR-" + std::to_string(g.Int(0, 30))}, {"mentor_id", g.Mentor()}};
      if (g.Chance(0.6)) {
        body["timetable_id"] = timetable;
        body["slot_start"] = time(slot(g.Int(0, 7)));
        body["session_number"] = g.Int(1, 20);
      }
      return {g.Chance(0.9) ? Admin() : actor, "AssignMentorshipRequest", body};
    }
    default:
      return {
          g.Chance(0.9) ? Admin() : actor,
          "ReleaseSlot",
          {{"timetable_id", timetable}, {"slot_start", time(slot(g.Int(0, 7)))}, {"reason", "r"}}};
  }
}

Step RandomCommand(Generator& g, Scenario& s, events::TimeMs now) {
  const std::string student = g.Student();
  const events::Actor actor = g.Actor(s, student);
  if (g.Chance(0.15)) return RandomLaterSection(g, s, now, student, actor);
  const auto mentor_of = [&](const std::string& st) {
    const auto it = s.state().students.find(st);
    return it != s.state().students.end() && it->second.mentor_id ? *it->second.mentor_id
                                                                  : g.Mentor();
  };
  const auto time = [&](events::TimeMs t) { return events::FormatTime(t); };
  const auto date = [&](int offset_days) {
    return events::FormatDate(events::DayOf(now) + offset_days);
  };
  const int r = g.Int(0, 99);
  if (r < 4) {
    return {actor, "AssignMentor", {{"student_id", student}, {"mentor_id", g.Mentor()}}};
  }
  if (r < 6) {
    return {
        actor,
        "UpdateStudentProfile",
        {{"student_id", student},
         {"changes", g.Chance(0.5) ? Json{{"phone", std::to_string(g.Int(0, 999))}}
                                   : Json{{"roll_number", "R" + std::to_string(g.Int(0, 30))}}}}};
  }
  if (r < 8) {
    Json body = {{"request_id", g.RequestId()}, {"student_id", student}, {"reason", "r"}};
    if (g.Chance(0.5)) body["preferred_mentor_id"] = g.Mentor();
    return {actor, "RequestMentorChange", body};
  }
  if (r < 10) {
    Json body = {{"request_id", g.RequestId()}, {"approve", g.Chance(0.6)}};
    if (body["approve"] == true && g.Chance(0.5)) body["new_mentor_id"] = g.Mentor();
    return {actor, "DecideMentorChange", body};
  }
  if (r < 30) {
    // Half-hour grid from 2 days ago to 5 days ahead, 30-180 minutes long.
    const events::TimeMs start =
        (now / (30 * kMinute)) * (30 * kMinute) + g.Int(-96, 240) * 30 * kMinute;
    const events::TimeMs end = start + g.Int(1, 6) * 30 * kMinute;
    std::vector<std::string> students = {student};
    if (g.Chance(0.2)) students.push_back(g.Student());
    std::sort(students.begin(), students.end());
    students.erase(std::unique(students.begin(), students.end()), students.end());
    return {actor,
            "ScheduleMeeting",
            {{"meeting_id", g.MeetingId()},
             {"mentor_id", mentor_of(student)},
             {"student_ids", students},
             {"title", "t"},
             {"mode", "online"},
             {"start", time(start)},
             {"end", time(end)}}};
  }
  const std::string meeting = g.ExistingMeeting(s);
  // Act as a party of the meeting most of the time.
  events::Actor party = actor;
  if (const auto m = events::FindByText(s.state().meetings, meeting);
      m != s.state().meetings.end()) {
    const int who = g.Int(0, 9);
    if (who < 4)
      party = commands::testing::Mentor(m->second.mentor_id);
    else if (who < 8)
      party = Mentee(g.Pick(m->second.student_ids));
  }
  if (r < 38) return {party, "AcceptMeeting", {{"meeting_id", meeting}}};
  if (r < 42) {
    const events::TimeMs start =
        (now / (30 * kMinute)) * (30 * kMinute) + g.Int(-48, 240) * 30 * kMinute;
    return {party,
            "RescheduleMeeting",
            {{"meeting_id", meeting},
             {"start", time(start)},
             {"end", time(start + g.Int(1, 4) * 30 * kMinute)}}};
  }
  if (r < 45) return {party, "DeclineMeeting", {{"meeting_id", meeting}, {"reason", "r"}}};
  if (r < 47) return {party, "CancelMeeting", {{"meeting_id", meeting}, {"reason", "r"}}};
  if (r < 49) return {party, "AddAgendaItems", {{"meeting_id", meeting}, {"items", {"i"}}}};
  if (r < 52) {
    return {party,
            "RecordObservation",
            {{"meeting_id", meeting},
             {"points_for_mentee", "p"},
             {"next_action_items", g.Chance(0.5) ? Json{"a", "b"} : Json{"a"}},
             {"observations", "o"}}};
  }
  if (r < 58) {
    return {party, "ValidateMeeting", {{"meeting_id", meeting}, {"occurred", g.Chance(0.9)}}};
  }
  if (r < 60)
    return {party, "CompleteActionItem", {{"meeting_id", meeting}, {"item", g.Int(0, 2)}}};
  if (r < 80) {
    Json entries = Json::array();
    std::vector<int> picked;
    for (int i = 0; i < kStudents; ++i) {
      if (g.Chance(0.4)) picked.push_back(i);
    }
    if (picked.empty()) picked.push_back(g.Int(0, kStudents - 1));
    const int bias = g.Int(0, 9);  // some periods go badly for everyone
    for (const int i : picked) {
      const int x = g.Int(0, 9);
      const char* status = x < 5 + (bias < 5 ? -3 : 2) ? "present"
                           : x < 8                     ? "absent"
                           : x < 9                     ? "on_duty"
                                                       : "leave";
      entries.push_back({{"student_id", "S-" + std::to_string(i)}, {"status", status}});
    }
    return {g.Chance(0.5) ? Admin() : actor,
            "RecordAttendance",
            {{"course_id", "C-" + std::to_string(g.Int(0, 2))},
             {"date", date(g.Int(-3, 1))},
             {"period", g.Int(1, 8)},
             {"entries", entries}}};
  }
  if (r < 85) {
    static const std::vector<std::string> kStatuses = {"present", "absent", "on_duty", "leave"};
    if (!s.state().attendance.empty()) {
      auto it = s.state().attendance.begin();
      std::advance(it, g.Int(0, static_cast<int>(s.state().attendance.size()) - 1));
      const auto& [key, sheet] = *it;
      const auto entries = sheet.Entries();
      const AttendanceSheet::Entry entry =
          entries[static_cast<std::size_t>(g.Int(0, static_cast<int>(entries.size()) - 1))];
      return {g.Chance(0.5) ? Admin() : actor,
              "CorrectAttendance",
              {{"course_id", key.course_id},
               {"date", events::FormatDate(key.date)},
               {"period", key.period},
               {"student_id", s.state().sheet_ids[entry.number]},
               {"status", g.Pick(kStatuses)},
               {"reason", "r"}}};
    }
  }
  if (r < 87) {
    return {actor,
            "AcknowledgeAlert",
            {{"alert_id", "alert-" + std::to_string(g.Int(1, 60))}, {"action", "referred"}}};
  }
  if (r < 93) {
    const int from = g.Int(-6, 6);
    return {actor,
            "RequestLeave",
            {{"leave_id", g.LeaveId()},
             {"student_id", student},
             {"kind", g.Chance(0.6) ? "on_duty" : "leave"},
             {"from_date", date(from)},
             {"to_date", date(from + g.Int(0, 3))},
             {"reason", "r"}}};
  }
  const std::string leave = g.ExistingLeave(s);
  events::Actor decider = actor;
  if (const auto l = s.state().leaves.find(leave); l != s.state().leaves.end()) {
    decider = g.Chance(0.5) ? commands::testing::Mentor(mentor_of(l->second.student_id))
                            : Mentee(l->second.student_id);
  }
  if (r < 97) return {decider, "ApproveLeave", {{"leave_id", leave}}};
  if (r < 99) return {decider, "RejectLeave", {{"leave_id", leave}, {"remark", "no"}}};
  return {decider, "CancelLeave", {{"leave_id", leave}}};
}

// --- Invariants ---------------------------------------------------------------------

// No person has two overlapping live meetings; checked from the meetings alone.
::testing::AssertionResult NoOverlappingLiveMeetings(const WriteState& s,
                                                     const std::string& only_meeting) {
  std::map<std::string, std::vector<std::pair<events::TimeMs, events::TimeMs>>> by_person;
  for (const auto& [id, m] : s.meetings) {
    if (!m.Live()) continue;
    if (!only_meeting.empty()) {
      // Only people of `only_meeting` matter.
      const MeetingState& o = s.meetings.at(events::Symbol(only_meeting));
      bool shares = m.mentor_id == o.mentor_id;
      for (const auto& st : m.student_ids) shares = shares || o.HasStudent(st);
      if (!shares) continue;
    }
    by_person["mentor:" + m.mentor_id.str()].push_back({m.start, m.end});
    for (const auto& st : m.student_ids)
      by_person["student:" + st.str()].push_back({m.start, m.end});
  }
  for (auto& [person, spans] : by_person) {
    std::sort(spans.begin(), spans.end());
    for (std::size_t i = 1; i < spans.size(); ++i) {
      if (spans[i].first < spans[i - 1].second) {
        return ::testing::AssertionFailure() << person << " has overlapping live meetings";
      }
    }
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult NoMentorOverCapacity(const WriteState& s) {
  for (const auto& [id, m] : s.mentors) {
    if (static_cast<std::int64_t>(m.mentees.size()) > m.max_mentees) {
      return ::testing::AssertionFailure() << id << " above capacity";
    }
    for (const auto& st : m.mentees) {
      if (s.students.at(st).mentor_id != id) return ::testing::AssertionFailure() << st;
    }
  }
  return ::testing::AssertionSuccess();
}

// Every booked slot has a session number of its own, and the index of numbers
// names exactly the booked slots; completed milestones are on the student's list.
::testing::AssertionResult BookingsAndMilestonesConsistent(const WriteState& s) {
  std::map<std::int64_t, std::string> numbers;
  for (const auto& [id, t] : s.timetables) {
    events::TimeMs last_end = 0;
    for (const auto& [start, slot] : t.slots) {
      if (start < last_end) return ::testing::AssertionFailure() << id << " has overlapping slots";
      last_end = slot.end;
      if (!slot.booking) continue;
      if (!numbers.emplace(slot.booking->session_number, id).second) {
        return ::testing::AssertionFailure()
               << "session " << slot.booking->session_number << " booked twice";
      }
    }
  }
  if (numbers != s.session_numbers) return ::testing::AssertionFailure() << "session index";
  for (const auto& [id, p] : s.programs) {
    for (const auto& [student, en] : p.enrolled) {
      for (const std::string& done : en.completed) {
        if (std::find(en.milestones.begin(), en.milestones.end(), done) == en.milestones.end()) {
          return ::testing::AssertionFailure() << student << " completed " << done << " off-list";
        }
      }
    }
  }
  return ::testing::AssertionSuccess();
}

// attended x 100 / held for every student, by brute force from the raw sheets and
// the approved on-duty requests (not from the tallies).
std::map<std::string, std::pair<std::int64_t, std::int64_t>> BruteAttendance(const WriteState& s) {
  std::map<std::string, std::vector<std::pair<events::Days, events::Days>>> on_duty;
  for (const auto& [id, l] : s.leaves) {
    if (l.status == LeaveStatus::kApproved && l.kind == LeaveKind::kOnDuty) {
      on_duty[l.student_id].push_back({l.from_date, l.to_date});
    }
  }
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> out;  // held, attended
  for (const auto& [key, sheet] : s.attendance) {
    for (const auto [number, status] : sheet.Entries()) {
      const std::string& student = s.sheet_ids[number];
      auto& [held, attended] = out[student];
      ++held;
      bool counts = status == AttendanceStatus::kPresent || status == AttendanceStatus::kOnDuty;
      if (status == AttendanceStatus::kAbsent) {
        for (const auto& [from, to] : on_duty[student]) {
          counts = counts || (from <= key.date && key.date <= to);
        }
      }
      attended += counts ? 1 : 0;
    }
  }
  return out;
}

int BruteBand(std::int64_t held, std::int64_t attended) {
  if (held < kMinClassesForAlert) return 0;
  for (const int level : {40, 50, 60}) {
    if (attended * 100 < level * held) return level;
  }
  return 0;
}

// A state rebuilt from envelopes that went through the store's record format.
events::Envelope RoundTrip(const events::Envelope& e, const std::string& prev_hash) {
  events::Envelope copy = e;
  copy.id = "00000000-0000-4000-8000-000000000000";
  copy.prev_hash = prev_hash;
  const std::string record = events::Seal(copy);
  auto back = events::DecodeRecord(record);
  EXPECT_TRUE(back.has_value());
  return back.value_or(copy);
}

TEST(DecideProperty, InvariantsHoldAfterEachOf10000RandomCommands) {
  Generator g(20261123);
  Scenario s;
  events::TimeMs now = T("2026-09-01T08:00:00Z");
  for (int m = 0; m < kMentors; ++m) {
    s.Run(Admin(), "RegisterMentor",
          {{"mentor_id", "M-" + std::to_string(m)},
           {"name", "m"},
           {"department", "d"},
           {"max_mentees", 5}},
          now);
  }
  for (int i = 0; i < kStudents; ++i) {
    const std::string id = "S-" + std::to_string(i);
    s.Run(Admin(), "EnrollStudent",
          {{"student_id", id},
           {"roll_number", "R" + std::to_string(i)},
           {"name", "n"},
           {"department", "d"}},
          now);
    if (i < 14) {
      s.Run(Admin(), "AssignMentor",
            {{"student_id", id}, {"mentor_id", "M-" + std::to_string(i % kMentors)}}, now);
    }
  }

  WriteState replica;  // fed with round-tripped records, compared every step
  std::size_t replicated = 0;
  std::string prev_hash(events::kZeroHash);
  const auto catch_up = [&] {
    for (; replicated < s.log().size(); ++replicated) {
      const events::Envelope e = RoundTrip(s.log()[replicated], prev_hash);
      prev_hash = e.hash;
      Apply(replica, e);
    }
  };

  std::map<std::string, int> armed;  // the oracle's alert bookkeeping per student
  std::map<std::string, int> accepted, refused;
  std::size_t alerts_total = 0;
  for (int step = 0; step < kSteps; ++step) {
    now += g.Int(0, 90) * kMinute;
    const Step cmd = RandomCommand(g, s, now);
    SCOPED_TRACE("step " + std::to_string(step) + ": " + cmd.actor.role + " " + cmd.actor.id + " " +
                 cmd.name + " " + cmd.body.dump());
    const Decision d = s.When(cmd.actor, cmd.name, cmd.body, now);
    std::string meeting;
    std::vector<DomainEvent> alerts;
    if (d) {
      ++accepted[cmd.name];
      for (const DomainEvent& e : *d) {
        for (DomainEvent& a : s.Commit(e, cmd.actor, now)) alerts.push_back(std::move(a));
      }
      if (cmd.body.contains("meeting_id")) meeting = cmd.body["meeting_id"];
    } else {
      ++refused[std::string(ErrorCodeName(d.error().code))];
      ASSERT_NE(d.error().code, ErrorCode::kUnknownCommand);
    }

    // No person has two overlapping live meetings (full check every 500 steps).
    if (!meeting.empty()) {
      ASSERT_TRUE(NoOverlappingLiveMeetings(s.state(), meeting));
    }
    if (step % 500 == 0) {
      ASSERT_TRUE(NoOverlappingLiveMeetings(s.state(), ""));
      ASSERT_TRUE(app::DecodeWriteState(app::EncodeWriteState(s.state())) == s.state());
    }
    // No mentor above capacity.
    ASSERT_TRUE(NoMentorOverCapacity(s.state()));
    ASSERT_TRUE(BookingsAndMilestonesConsistent(s.state()));

    // Each crossing raised exactly one alert, at the lowest level crossed.
    std::vector<std::pair<std::string, int>> raised;
    for (const DomainEvent& a : alerts) raised.push_back({a.data["student_id"], a.data["level"]});
    std::vector<std::pair<std::string, int>> expected;
    for (const auto& [student, ha] : BruteAttendance(s.state())) {
      const int band = BruteBand(ha.first, ha.second);
      int& level = armed[student];
      if (band != 0 && (level == 0 || band < level)) {
        expected.push_back({student, band});
        level = band;
      } else if (band == 0 || band > level) {
        level = band;
      }
    }
    std::sort(raised.begin(), raised.end());
    ASSERT_EQ(raised, expected);
    alerts_total += raised.size();

    // The state rebuilt from the committed records equals the live state.
    catch_up();
    ASSERT_TRUE(replica == s.state());
  }
  // And from scratch, from the whole log.
  EXPECT_TRUE(Rebuild(s.log()) == s.state());
  EXPECT_TRUE(NoOverlappingLiveMeetings(s.state(), ""));
  // Every kind of command ran by now, so every field of the state has been set.
  EXPECT_TRUE(app::DecodeWriteState(app::EncodeWriteState(s.state())) == s.state());

  // The run exercised the rules, not just rejections.
  std::string summary;
  for (const auto& [name, n] : accepted) summary += name + "=" + std::to_string(n) + " ";
  for (const auto& [code, n] : refused) summary += code + "=" + std::to_string(n) + " ";
  RecordProperty("summary", summary);
  std::cout << "accepted/refused: " << summary << "alerts=" << alerts_total << "\n";
  EXPECT_GE(accepted["ScheduleMeeting"], 200);
  EXPECT_GE(accepted["AcceptMeeting"], 50);
  EXPECT_GE(accepted["ValidateMeeting"], 50);
  EXPECT_GE(accepted["RecordAttendance"], 200);
  EXPECT_GE(accepted["ApproveLeave"], 20);
  EXPECT_GE(refused["double_booking"], 20);
  EXPECT_GE(refused["forbidden"], 200);
  EXPECT_GE(alerts_total, 10u);
  EXPECT_GE(accepted["BookSlot"], 20);
  EXPECT_GE(accepted["ReleaseSlot"], 5);
  EXPECT_GE(accepted["CompleteMilestone"], 10);
  EXPECT_GE(accepted["CreateCounselling"], 10);
  EXPECT_GE(accepted["RecordCounsellingOutcome"], 5);
  EXPECT_GE(accepted["SubmitSatisfaction"], 5);
  EXPECT_GE(accepted["AssignMentorshipRequest"], 5);
}

}  // namespace
}  // namespace mentorlog::commands::testing
