// Property test with a fixed seed over random logs produced by the real command
// path (CommandProcessor on a RocksDB log): for every projection,
//   incremental (engine fed by the commit hook)
//   == rebuilt from scratch (a fresh fold of the whole log)
//   == restored from a snapshot taken mid-way plus the tail
//   == as-of at the last position (compared through view queries).
// Also checks attendance against the write side's own count and that every
// alert the system raised is in the alerts view.

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <random>

#include "app/command_processor.h"
#include "commands/write_state.h"
#include "projections/snapshot_store.h"
#include "tests/projections/engine_test_support.h"

namespace mentorlog::projections::testing {
namespace {

using namespace std::chrono_literals;

constexpr events::TimeMs kMinute = 60'000;
constexpr events::TimeMs kDay = 24 * 60 * kMinute;

class RandomProgramme {
 public:
  RandomProgramme(LogAndEngine& t, app::CommandProcessor& processor, std::uint32_t seed)
      : t_(t), processor_(processor), rng_(seed) {}

  void Setup() {
    for (int m = 0; m < kMentors; ++m) {
      Send(kAdmin, "RegisterMentor",
           {{"mentor_id", Mentor(m)},
            {"name", "Mentor " + std::to_string(m)},
            {"department", "CSE"},
            {"max_mentees", 8}});
    }
    for (int s = 0; s < kStudents; ++s) {
      Send(kAdmin, "EnrollStudent",
           {{"student_id", Student(s)},
            {"roll_number", "R" + std::to_string(100 + s)},
            {"name", "Student " + std::to_string(s)},
            {"department", "CSE"}});
      Send(kAdmin, "AssignMentor",
           {{"student_id", Student(s)}, {"mentor_id", Mentor(s % kMentors)}});
    }
    for (int p = 0; p < 3; ++p) {
      Send(kAdmin, "CreateProgram",
           {{"program_id", "P-" + std::to_string(p)},
            {"name", "Programme"},
            {"milestones",
             {{{"milestone_id", "MS-1"}, {"title", "a"}},
              {{"milestone_id", "MS-2"}, {"title", "b"}}}},
            {"mentor_can_customise", p != 0}});
    }
    for (int s = 0; s < kStudents; ++s) {
      Send(kAdmin, "EnrollInProgram",
           {{"program_id", "P-" + std::to_string(s % 3)}, {"student_id", Student(s)}});
    }
  }

  // One random command (often refused: that is fine, refusals append nothing).
  void Step() {
    const commands::WriteState st = processor_.StateCopy();
    const events::TimeMs now = t_.clock();
    const int r = Uniform(0, 119);
    if (r >= 100) return LaterSections(st, now);
    if (r < 14) {
      const std::string s = Student(Uniform(0, kStudents - 1));
      const auto it = st.students.find(s);
      if (it == st.students.end() || !it->second.mentor_id) return;
      const events::TimeMs start = (now / (60 * kMinute) + Uniform(-72, 120)) * 60 * kMinute;
      json body = {{"meeting_id", "MT-" + std::to_string(++meetings_)},
                   {"mentor_id", *it->second.mentor_id},
                   {"student_ids", {s}},
                   {"title", "Session"},
                   {"mode", "online"},
                   {"start", events::FormatTime(start)},
                   {"end", events::FormatTime(start + 60 * kMinute)}};
      // Some are programme reviews (they clear the reviews due once held).
      if (Uniform(0, 2) == 0) body["program_id"] = "P-" + std::to_string(Uniform(0, 2));
      Send({*it->second.mentor_id, "mentor"}, "ScheduleMeeting", std::move(body));
    } else if (r < 22) {
      if (auto m = PickMeeting(
              st, [](const auto& m) { return m.status == commands::MeetingStatus::kProposed; })) {
        const auto& meeting = st.meetings.at(*m);
        const events::Actor actor = meeting.proposed_by == commands::Side::kMentor
                                        ? events::Actor{meeting.student_ids[0], "mentee"}
                                        : events::Actor{meeting.mentor_id, "mentor"};
        Send(actor, "AcceptMeeting", {{"meeting_id", *m}});
      }
    } else if (r < 25) {
      if (auto m = PickMeeting(st, [](const auto& m) { return m.Live(); })) {
        const events::TimeMs start = (now / (60 * kMinute) + Uniform(2, 100)) * 60 * kMinute;
        Send({st.meetings.at(*m).mentor_id, "mentor"}, "RescheduleMeeting",
             {{"meeting_id", *m},
              {"start", events::FormatTime(start)},
              {"end", events::FormatTime(start + 30 * kMinute)},
              {"reason", "clash"}});
      }
    } else if (r < 27) {
      if (auto m = PickMeeting(st, [](const auto& m) { return m.Live(); })) {
        Send({st.meetings.at(*m).mentor_id, "mentor"},
             Uniform(0, 1) ? "CancelMeeting" : "DeclineMeeting",
             {{"meeting_id", *m}, {"reason", "busy"}});
      }
    } else if (r < 35) {
      if (auto m = PickMeeting(st, [&](const auto& m) {
            return (m.status == commands::MeetingStatus::kAccepted ||
                    m.status == commands::MeetingStatus::kHeld) &&
                   m.start <= now;
          })) {
        std::vector<std::string> items;
        for (int i = Uniform(0, 3); i > 0; --i)
          items.push_back("item " + std::to_string(Uniform(0, 4)));
        Send({st.meetings.at(*m).mentor_id, "mentor"}, "RecordObservation",
             {{"meeting_id", *m},
              {"points_for_mentee", "p"},
              {"next_action_items", items},
              {"observations", "o"},
              {"minutes", "m"},
              {"next_follow_up_date", events::FormatDate(events::DayOf(now) + Uniform(-3, 10))}});
      }
    } else if (r < 46) {
      if (auto m = PickMeeting(st, [&](const auto& m) {
            return m.status == commands::MeetingStatus::kAccepted && m.end <= now;
          })) {
        const auto& meeting = st.meetings.at(*m);
        const events::Actor actor = !meeting.mentor_validation
                                        ? events::Actor{meeting.mentor_id, "mentor"}
                                        : events::Actor{meeting.student_ids[0], "mentee"};
        Send(actor, "ValidateMeeting",
             {{"meeting_id", *m}, {"occurred", Uniform(0, 9) != 0}, {"note", "n"}});
      }
    } else if (r < 50) {
      if (auto m = PickMeeting(st, [](const auto& m) {
            return std::ranges::any_of(m.action_items.List(),
                                       [](const auto& i) { return !i.completed; });
          })) {
        const auto& meeting = st.meetings.at(*m);
        const auto items = meeting.action_items.List();
        for (std::size_t i = 0; i < items.size(); ++i) {
          if (items[i].completed) continue;
          Send({meeting.student_ids[0], "mentee"}, "CompleteActionItem",
               {{"meeting_id", *m}, {"item", i}});
          break;
        }
      }
    } else if (r < 70) {
      json entries = json::array();
      const int first = Uniform(0, kStudents - 1);
      for (int k = 0; k < 6; ++k) {
        const int p = Uniform(0, 99);
        entries.push_back({{"student_id", Student((first + k) % kStudents)},
                           {"status", p < 55   ? "present"
                                      : p < 90 ? "absent"
                                      : p < 95 ? "on_duty"
                                               : "leave"}});
      }
      Send(kAdmin, "RecordAttendance",
           {{"course_id", "C-" + std::to_string(Uniform(1, 3))},
            {"date", events::FormatDate(events::DayOf(now) - Uniform(0, 20))},
            {"period", Uniform(1, 8)},
            {"entries", entries}});
    } else if (r < 73) {
      if (st.attendance.empty()) return;
      auto it = st.attendance.begin();
      std::advance(it, Uniform(0, static_cast<int>(st.attendance.size()) - 1));
      const auto entries = it->second.Entries();
      if (entries.empty()) return;
      const std::string& student = st.sheet_ids[entries.front().number];
      const auto status = entries.front().status;
      Send(kAdmin, "CorrectAttendance",
           {{"course_id", it->first.course_id},
            {"date", events::FormatDate(it->first.date)},
            {"period", it->first.period},
            {"student_id", student},
            {"status", status == commands::AttendanceStatus::kPresent ? "absent" : "present"},
            {"reason", "fix"}});
    } else if (r < 79) {
      const std::string s = Student(Uniform(0, kStudents - 1));
      const events::Days from = events::DayOf(now) + Uniform(-20, 5);
      Send({s, "mentee"}, "RequestLeave",
           {{"leave_id", "L-" + std::to_string(++leaves_)},
            {"student_id", s},
            {"kind", Uniform(0, 1) ? "on_duty" : "leave"},
            {"from_date", events::FormatDate(from)},
            {"to_date", events::FormatDate(from + Uniform(0, 2))},
            {"reason", "r"}});
    } else if (r < 86) {
      std::vector<std::string> pending;
      for (const auto& [id, l] : st.leaves) {
        if (l.status == commands::LeaveStatus::kPending) pending.push_back(id);
      }
      if (pending.empty()) return;
      std::ranges::sort(pending);
      const std::string id = pending[Uniform(0, static_cast<int>(pending.size()) - 1)];
      const int what = Uniform(0, 9);
      if (what < 6) {
        Send(kAdmin, "ApproveLeave", {{"leave_id", id}, {"remark", "ok"}});
      } else if (what < 9) {
        Send(kAdmin, "RejectLeave", {{"leave_id", id}, {"remark", "no"}});
      } else {
        Send({st.leaves.at(id).student_id, "mentee"}, "CancelLeave", {{"leave_id", id}});
      }
    } else if (r < 90) {
      std::vector<std::string> open;
      for (const auto& [id, a] : st.alerts) {
        if (!a.acknowledged) open.push_back(id);
      }
      if (open.empty()) return;
      std::ranges::sort(open);
      const std::string id = open[Uniform(0, static_cast<int>(open.size()) - 1)];
      const auto& student = st.students.at(st.alerts.at(id).student_id);
      if (!student.mentor_id) return;
      Send({*student.mentor_id, "mentor"}, "AcknowledgeAlert",
           {{"alert_id", id}, {"action", "contacted_student"}, {"note", "called"}});
    } else if (r < 93) {
      const std::string s = Student(Uniform(0, kStudents - 1));
      Send({s, "mentee"}, "UpdateStudentProfile",
           {{"student_id", s}, {"changes", {{"phone", std::to_string(Uniform(1000, 9999))}}}});
    } else if (r < 96) {
      Send(kAdmin, "AssignMentor",
           {{"student_id", Student(Uniform(0, kStudents - 1))},
            {"mentor_id", Mentor(Uniform(0, kMentors - 1))}});
    } else {
      const std::string s = Student(Uniform(0, kStudents - 1));
      Send({s, "mentee"}, "AddAgendaItems",
           {{"meeting_id", "MT-" + std::to_string(Uniform(1, meetings_ + 1))},
            {"items", {"question"}}});
    }
  }

  // DOMAIN.md 5-7, mostly from the actors who may send each command.
  void LaterSections(const commands::WriteState& st, events::TimeMs now) {
    const int index = Uniform(0, kStudents - 1);
    const std::string s = Student(index);
    const auto student = st.students.find(s);
    if (student == st.students.end() || !student->second.mentor_id) return;
    // Mostly the programme the student was enrolled in by Setup.
    const std::string own = "P-" + std::to_string(Uniform(0, 3) == 0 ? Uniform(0, 2) : index % 3);
    const events::Actor mentor{*student->second.mentor_id, "mentor"};
    const events::Actor mentee{s, "mentee"};
    const std::string program = "P-" + std::to_string(Uniform(0, 2));
    const std::string timetable = "TT-" + std::to_string(Uniform(0, 2));
    const events::TimeMs day = (now / kDay + 1) * kDay + 9 * 60 * kMinute;
    const auto slot = [&](int i) { return events::FormatTime(day + i * 30 * kMinute); };
    switch (Uniform(0, 24)) {
      case 0:
      case 1:
      case 2:
        Send(mentor, "RecordExamResult",
             {{"student_id", s},
              {"exam", "Unit test " + std::to_string(Uniform(1, 4))},
              {"subject", "DS"},
              {"marks", Uniform(0, 50)},
              {"max_marks", 50}});
        return;
      case 3:
        Send(mentor, "RecordAchievement",
             {{"student_id", s},
              {"title", "Prize"},
              {"category", "academic"},
              {"date", events::FormatDate(events::DayOf(now))}});
        return;
      case 4:
      case 5:
        Send(mentee, "RequestCounselling",
             {{"request_id", "CQ-" + std::to_string(++requests_)},
              {"student_id", s},
              {"topic", "stress"}});
        return;
      case 6:
      case 7: {
        json body = {{"counselling_id", "C-" + std::to_string(++counsellings_)},
                     {"name", "Check-in"},
                     {"at", events::FormatTime(now + Uniform(-48, 48) * 60 * kMinute)},
                     {"notes", "n"},
                     {"attachments", {{{"name", "notes.txt"}, {"uri", "https://f.example/n"}}}},
                     {"student_ids", {s}}};
        std::vector<std::string> open;
        for (const auto& [id, q] : st.counselling_requests) {
          if (q.student_id == s && !q.answered_by) open.push_back(id);
        }
        std::ranges::sort(open);
        if (!open.empty() && Uniform(0, 1) == 0) body["request_id"] = open.front();
        Send(mentor, "CreateCounselling", std::move(body));
        return;
      }
      case 8: {
        const std::string id = "C-" + std::to_string(Uniform(1, counsellings_ + 1));
        const auto c = st.counsellings.find(id);
        if (c == st.counsellings.end()) return;
        Send({c->second.mentor_id, "mentor"}, "RecordCounsellingOutcome",
             {{"counselling_id", id}, {"outcome", "o"}, {"goals", {"g1", "g2"}}});
        return;
      }
      case 9:
        Send(kAdmin, "CreateProgram",
             {{"program_id", program},
              {"name", "Programme"},
              {"milestones",
               {{{"milestone_id", "MS-1"}, {"title", "a"}},
                {{"milestone_id", "MS-2"}, {"title", "b"}}}},
              {"mentor_can_customise", Uniform(0, 1) == 0}});
        return;
      case 10:
        Send(kAdmin, "EnrollInProgram", {{"program_id", program}, {"student_id", s}});
        return;
      case 11:
      case 12:
        Send(mentor, "CompleteMilestone",
             {{"program_id", own},
              {"student_id", s},
              {"milestone_id", "MS-" + std::to_string(Uniform(1, 3))}});
        return;
      case 13:
        Send(mentor, "CustomiseMilestones",
             {{"program_id", own},
              {"student_id", s},
              {"milestones",
               {{{"milestone_id", "MS-1"}, {"title", "a"}},
                {{"milestone_id", "MS-3"}, {"title", "c"}}}}});
        return;
      case 14:
        Send(mentor, "RateSkill",
             {{"student_id", s},
              {"skill", Uniform(0, 1) ? "communication" : "teamwork"},
              {"rating", Uniform(1, 5)}});
        return;
      case 15:
        Send(mentor, "GiveFeedback",
             {{"student_id", s},
              {"kind", Uniform(0, 1) ? "general" : "learning_behaviour"},
              {"text", "t"}});
        return;
      case 16:
        Send(mentee, "NominateStakeholder",
             {{"program_id", own},
              {"student_id", s},
              {"name", "n"},
              {"email", "p" + std::to_string(Uniform(0, 3)) + "@example.org"}});
        return;
      case 17: {
        json slots = json::array();
        for (int i = 0; i < 6; ++i) slots.push_back({{"start", slot(i)}, {"end", slot(i + 1)}});
        Send(kAdmin, "DefineTimetable",
             {{"timetable_id", "TT-" + std::to_string(++timetables_)},
              {"kind", "custom"},
              {"mentor_id", mentor.id},
              {"slots", std::move(slots)}});
        return;
      }
      case 20:
        Send(Uniform(0, 1) ? mentee : mentor, "SubmitSatisfaction",
             {{"program_id", own}, {"rating", Uniform(1, 5)}});
        return;
      case 21:
        Send(mentee, "RequestMentorship",
             {{"request_id", "MR-" + std::to_string(++requests_)},
              {"team_or_student", "TEAM-" + std::to_string(Uniform(0, 3))},
              {"topic", "APIs"}});
        return;
      case 22: {
        std::vector<std::string> open;
        for (const auto& [id, q] : st.mentorship_requests) {
          if (!q.assigned) open.push_back(id);
        }
        if (open.empty()) return;
        std::ranges::sort(open);
        Send(kAdmin, "AssignMentorshipRequest",
             {{"request_id", open[Uniform(0, static_cast<int>(open.size()) - 1)]},
              {"mentor_id", mentor.id}});
        return;
      }
      case 18:
      case 19:
      case 23:
      case 24: {
        const std::string tt = "TT-" + std::to_string(Uniform(1, timetables_ + 1));
        const auto t = st.timetables.find(tt);
        if (t == st.timetables.end() || t->second.slots.empty()) return;
        auto it = t->second.slots.begin();
        std::advance(it, Uniform(0, static_cast<int>(t->second.slots.size()) - 1));
        const std::string start = events::FormatTime(it->first);
        if (it->second.booking) {
          Send(kAdmin, "ReleaseSlot",
               {{"timetable_id", tt}, {"slot_start", start}, {"reason", "r"}});
        } else {
          Send(kAdmin, "BookSlot",
               {{"timetable_id", tt},
                {"slot_start", start},
                {"session_number", ++sessions_},
                {"team_or_student", Uniform(0, 1) ? s : "TEAM-" + std::to_string(Uniform(0, 3))}});
        }
        return;
      }
    }
  }

  void Advance() { t_.clock() += Uniform(5, 90) * kMinute; }

  int accepted() const { return accepted_; }

 private:
  static constexpr int kMentors = 4;
  static constexpr int kStudents = 24;
  static std::string Mentor(int i) { return "M-" + std::to_string(i); }
  static std::string Student(int i) { return "S-" + std::to_string(i); }

  int Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

  template <class Pred>
  std::optional<events::Symbol> PickMeeting(const commands::WriteState& st, Pred pred) {
    std::vector<events::Symbol> ids;
    for (const auto& [id, m] : st.meetings) {
      if (pred(m)) ids.push_back(id);
    }
    if (ids.empty()) return std::nullopt;
    std::ranges::sort(ids);  // by text: unordered_map order is not part of the seed
    return ids[Uniform(0, static_cast<int>(ids.size()) - 1)];
  }

  void Send(events::Actor actor, std::string name, json body) {
    if (processor_.Submit({std::move(name), std::move(body), std::move(actor)})) ++accepted_;
  }

  LogAndEngine& t_;
  app::CommandProcessor& processor_;
  std::mt19937 rng_;
  int meetings_ = 0;
  int leaves_ = 0;
  int accepted_ = 0;
  int requests_ = 0;
  int counsellings_ = 0;
  int timetables_ = 0;
  int sessions_ = 0;
};

// Admin queries covering every view and key.
std::vector<ViewRequest> Probes(const commands::WriteState& st, events::TimeMs now) {
  std::vector<ViewRequest> out;
  const std::map<std::string, std::string> all = {{"limit", "1000"}};
  for (const char* view :
       {"meetings", "leaves", "students", "alerts", "engagement", "mentor-load"}) {
    out.push_back(Read(view, kAdmin, {}, all, now));
  }
  out.push_back(Read("attendance", kAdmin, {}, {{"threshold", "100"}, {"limit", "1000"}}, now));
  for (const auto& [id, t] : st.timetables) {
    out.push_back(Read("meetings", kAdmin, {}, {{"timetable", id}, {"limit", "1000"}}, now));
  }
  std::vector<std::string> students, mentors;
  for (const auto& [id, s] : st.students) students.push_back(id);
  for (const auto& [id, m] : st.mentors) mentors.push_back(id);
  std::ranges::sort(students);
  std::ranges::sort(mentors);
  for (const auto& s : students) {
    for (const char* view : {"attendance", "mentee-timeline", "students"}) {
      out.push_back(Read(view, kAuditor, s, all, now));
    }
  }
  for (const auto& m : mentors) {
    out.push_back(Read("my-mentees", kAdmin, m, all, now));
    out.push_back(Read("mentor-load", kAdmin, m, {}, now));
  }
  for (const auto& [id, m] : st.meetings) out.push_back(Read("meetings", kAdmin, id, {}, now));
  return out;
}

TEST(ProjectionPropertyTest, IncrementalEqualsRebuiltEqualsSnapshotPlusTailEqualsAsOf) {
  constexpr std::uint32_t kSeed = 20261123;
  constexpr int kSteps = 1500;
  LogAndEngine t;
  auto started =
      app::CommandProcessor::Start(t.log(), {.clock = [&t] { return t.clock().load(); }});
  ASSERT_TRUE(started.has_value());
  auto& processor = **started;
  auto& incremental = t.Attach();
  RandomProgramme programme(t, processor, kSeed);
  programme.Setup();

  const auto snapshot_dir = t.dir() / "snapshots";
  std::uint64_t snapshot_position = 0;
  for (int i = 0; i < kSteps; ++i) {
    programme.Step();
    programme.Advance();
    if (i == kSteps / 2) {
      // A second engine, not fed by the hook, snapshots the log as it stands.
      ProjectionEngine::Options options;
      options.snapshot_dir = snapshot_dir;
      auto mid = ProjectionEngine::Open(t.log(), options);
      ASSERT_TRUE(mid.has_value());
      snapshot_position = (*mid)->Position();
      ASSERT_TRUE((*mid)->SnapshotNow().has_value());
    }
  }
  const std::uint64_t head = t.Head();
  ASSERT_TRUE(incremental.WaitForPosition(head, 10s));
  ASSERT_GT(snapshot_position, 0u);
  ASSERT_LT(snapshot_position, head);
  SCOPED_TRACE("seed " + std::to_string(kSeed) + ", " + std::to_string(head) + " events");

  // The log is realistic enough to exercise every view.
  std::map<std::string, int> types;
  for (std::uint64_t after = 0;;) {
    auto read = t.log().ReadAll(after, 4096);
    ASSERT_TRUE(read.has_value());
    if (read->empty()) break;
    for (const auto& e : *read) ++types[e.type];
    after = read->back().position;
  }
  std::string summary;
  for (const auto& [type, n] : types) summary += " " + type + "=" + std::to_string(n);
  std::printf("log of %llu events from %d accepted commands:%s\n",
              static_cast<unsigned long long>(head), programme.accepted(), summary.c_str());
  for (const char* type : {"MeetingConfirmed",
                           "ObservationRecorded",
                           "ActionItemCompleted",
                           "AttendanceAlertRaised",
                           "AlertAcknowledged",
                           "LeaveApproved",
                           "AttendanceCorrected",
                           "MeetingRescheduled",
                           "StudentProfileUpdated",
                           "ExamResultRecorded",
                           "CounsellingCreated",
                           "CounsellingOutcomeRecorded",
                           "CounsellingRequested",
                           "MilestoneCompleted",
                           "SkillRated",
                           "FeedbackGiven",
                           "StakeholderNominated",
                           "SlotBooked",
                           "SlotReleased",
                           "SatisfactionSubmitted",
                           "MentorshipRequested",
                           "MentorshipRequestAssigned"}) {
    EXPECT_GT(types[type], 0) << type;
  }

  const json scratch = FoldFromScratch(t.log());
  EXPECT_EQ(incremental.SaveAll(), scratch);

  // Snapshot + tail, by hand (so we know the snapshot is what was used) ...
  {
    auto snapshots = SnapshotStore::Open(snapshot_dir);
    ASSERT_TRUE(snapshots.has_value());
    for (const std::string& name : ProjectionNames()) {
      auto snap = (*snapshots)->Newest(name);
      ASSERT_TRUE(snap.has_value()) << name;
      EXPECT_EQ(snap->position, snapshot_position);
      auto p = MakeProjection(name);
      ASSERT_TRUE(p->RestoreBinary(snap->state, snap->position));
      auto tail = t.log().ReadAll(snap->position, head);
      ASSERT_TRUE(tail.has_value());
      for (const auto& e : *tail) p->Fold(e);
      EXPECT_EQ(p->Save(), scratch[name]) << name;
    }
  }
  // ... and through an engine opened on the snapshots.
  {
    ProjectionEngine::Options options;
    options.snapshot_dir = snapshot_dir;
    auto restored = ProjectionEngine::Open(t.log(), options);
    ASSERT_TRUE(restored.has_value());
    EXPECT_EQ((*restored)->Position(), head);
    EXPECT_EQ((*restored)->SaveAll(), scratch);
  }

  // As-of at the last position answers every probe exactly as the live views.
  const commands::WriteState st = processor.StateCopy();
  const events::TimeMs now = t.clock();
  for (ViewRequest probe : Probes(st, now)) {
    auto live = incremental.Query(probe);
    ASSERT_TRUE(live.has_value()) << probe.view << " " << live.error().message;
    probe.as_of = std::to_string(head);
    auto as_of = incremental.Query(probe);
    ASSERT_TRUE(as_of.has_value()) << probe.view;
    EXPECT_EQ(as_of->position, head);
    EXPECT_EQ(as_of->data, live->data) << probe.view << "/" << probe.key.value_or("");
  }

  // Cross-check with the write side: percentages and alerts agree.
  for (const auto& [id, s] : st.students) {
    const auto summary = commands::SummarizeAttendance(st, id);
    auto view = incremental.Query(Read("attendance", kAdmin, id));
    ASSERT_TRUE(view.has_value());
    EXPECT_EQ(view->data["held"], summary.held) << id;
    EXPECT_EQ(view->data["attended"], summary.attended) << id;
    EXPECT_EQ(view->data["percentage"], static_cast<double>(summary.hundredths) / 100.0) << id;
  }
  auto alerts = incremental.Query(Read("alerts", kAdmin, {}, {{"limit", "1000"}}));
  ASSERT_TRUE(alerts.has_value());
  EXPECT_EQ(alerts->data["total"], st.alerts.size());
  t.Detach();
  started->reset();
}

}  // namespace
}  // namespace mentorlog::projections::testing
