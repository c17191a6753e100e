#include "benchmarks/projections/term_generator.h"

#include <random>
#include <vector>

#include "events/time.h"
#include "store/rocksdb_event_store.h"

namespace mentorlog::benchmarks {
namespace {

using nlohmann::json;
constexpr events::TimeMs kHour = 3600 * 1000;
constexpr events::TimeMs kDay = 24 * kHour;

class Writer {
 public:
  Writer(store::RocksDbEventStore& store, events::TimeMs& clock) : store_(store), clock_(clock) {}

  void Add(std::string stream, std::string type, json data, events::Actor actor) {
    store::NewEvent e;
    e.stream = std::move(stream);
    e.type = std::move(type);
    e.data = std::move(data);
    e.actor = std::move(actor);
    e.command_id = "gen";
    e.correlation_id = "gen";
    pending_.events.push_back(std::move(e));
    if (pending_.events.size() >= 2000) Flush();
  }

  void Flush() {
    if (pending_.events.empty()) return;
    auto done = store_.Append(std::move(pending_));
    pending_ = {};
    if (!done) error_ = done.error().message;
    if (done) written_ = done->last_position;
  }

  // Moves the recorded time forward to `t` (after writing what came before).
  void At(events::TimeMs t) {
    if (t == clock_) return;
    Flush();
    clock_ = t;
  }

  const std::string& error() const { return error_; }
  std::uint64_t written() const { return written_; }

 private:
  store::RocksDbEventStore& store_;
  events::TimeMs& clock_;
  store::AppendRequest pending_;
  std::string error_;
  std::uint64_t written_ = 0;
};

const events::Actor kAdmin{"A-1", "admin"};
const events::Actor kSystem{"system", "system"};

}  // namespace

std::expected<std::uint64_t, std::string> GenerateTerm(const std::filesystem::path& dir,
                                                       const TermOptions& o) {
  events::TimeMs clock = *events::ParseTime("2026-07-01T08:00:00Z");
  store::StoreOptions options;
  options.durability = store::Durability::kNone;
  options.clock = [&clock] { return clock; };
  auto opened = store::RocksDbEventStore::Open(dir, std::move(options));
  if (!opened) return std::unexpected(opened.error().message);
  store::RocksDbEventStore& store = **opened;
  Writer w(store, clock);
  std::mt19937 rng(o.seed);
  const auto chance = [&](int percent) {
    return std::uniform_int_distribution<int>(0, 99)(rng) < percent;
  };
  const int mentors = std::max(1, o.students / o.students_per_mentor);
  const auto mentor = [](int m) { return "M-" + std::to_string(m); };
  const auto student = [](int s) { return "S-" + std::to_string(s); };
  const auto mentor_of = [&](int s) { return s % mentors; };
  const events::TimeMs start = clock;

  for (int m = 0; m < mentors; ++m) {
    w.Add("mentor-" + mentor(m), "MentorRegistered",
          {{"mentor_id", mentor(m)},
           {"name", "Mentor " + std::to_string(m)},
           {"department", "CSE"},
           {"expertise", {"algorithms", "careers"}},
           {"max_mentees", o.students_per_mentor + 5},
           {"email", "m@example.edu"}},
          kAdmin);
  }
  for (int s = 0; s < o.students; ++s) {
    w.Add("student-" + student(s), "StudentEnrolled",
          {{"student_id", student(s)},
           {"roll_number", "21CS" + std::to_string(100000 + s)},
           {"name", "Student Number " + std::to_string(s)},
           {"department", "CSE"},
           {"year", 2},
           {"email", "s" + std::to_string(s) + "@example.edu"},
           {"phone", "98450" + std::to_string(10000 + s % 90000)},
           {"guardian", {{"name", "Parent"}, {"phone", "98860" + std::to_string(s % 90000)}}}},
          kAdmin);
    w.Add("student-" + student(s), "MentorAssigned",
          {{"student_id", student(s)}, {"mentor_id", mentor(mentor_of(s))}}, kAdmin);
  }
  // About one student in 25 is chronically absent.
  std::vector<int> presence(static_cast<std::size_t>(o.students));
  for (int& p : presence) p = chance(4) ? 45 : 92;
  std::vector<int> alert_level(static_cast<std::size_t>(o.students), 0);
  std::int64_t alerts = 0, leaves = 0, meetings = 0;
  const int sections = (o.students + o.section_size - 1) / o.section_size;
  const int meeting_every = std::max(1, o.days / std::max(1, o.meetings_per_student));

  for (int day = 0; day < o.days; ++day) {
    const events::TimeMs day_start = start + (day + 1) * kDay;
    const std::string date = events::FormatDate(events::DayOf(day_start));
    // Attendance: one sheet per section and period, taken by the section's faculty.
    for (int period = 1; period <= o.periods; ++period) {
      w.At(day_start + period * kHour);
      for (int sec = 0; sec < sections; ++sec) {
        json entries = json::array();
        for (int s = sec * o.section_size; s < std::min(o.students, (sec + 1) * o.section_size);
             ++s) {
          const int roll = std::uniform_int_distribution<int>(0, 99)(rng);
          const char* status = roll < presence[static_cast<std::size_t>(s)] ? "present"
                               : roll < 97                                  ? "absent"
                               : roll < 99                                  ? "on_duty"
                                                                            : "leave";
          entries.push_back({{"student_id", student(s)}, {"status", status}});
        }
        const std::string course = "CS" + std::to_string(200 + period) + "-" + std::to_string(sec);
        w.Add("attendance-" + course, "AttendanceRecorded",
              {{"course_id", course},
               {"date", date},
               {"period", period},
               {"entries", std::move(entries)}},
              {mentor(sec % mentors), "mentor"});
      }
    }
    // Alerts for the chronically absent once enough classes were held, acknowledged.
    if (day == 3 || day == 20) {
      w.At(day_start + 7 * kHour);
      for (int s = 0; s < o.students; ++s) {
        if (presence[static_cast<std::size_t>(s)] > 50) continue;
        const int level = day == 3 ? 60 : 50;
        if (alert_level[static_cast<std::size_t>(s)] == level) continue;
        alert_level[static_cast<std::size_t>(s)] = level;
        const std::string id = "alert-" + std::to_string(++alerts);
        w.Add("student-" + student(s), "AttendanceAlertRaised",
              {{"alert_id", id},
               {"student_id", student(s)},
               {"level", level},
               {"percentage", level - 5.5}},
              kSystem);
        w.Add("student-" + student(s), "AlertAcknowledged",
              {{"alert_id", id},
               {"student_id", student(s)},
               {"action", "contacted_guardian"},
               {"note", "spoke to the parent"}},
              {mentor(mentor_of(s)), "mentor"});
      }
    }
    // Meetings of the day: each student every `meeting_every` days.
    w.At(day_start + 8 * kHour);
    for (int s = day % meeting_every; s < o.students; s += meeting_every) {
      if (day / meeting_every >= o.meetings_per_student) break;
      const std::string id = "MT-" + std::to_string(++meetings);
      const std::string stream = "meeting-" + id;
      const events::Actor m{mentor(mentor_of(s)), "mentor"};
      const events::Actor me{student(s), "mentee"};
      const events::TimeMs begin = day_start + 10 * kHour + (s % 6) * kHour;
      w.Add(stream, "MeetingScheduled",
            {{"meeting_id", id},
             {"mentor_id", m.id},
             {"student_ids", {student(s)}},
             {"title", "Weekly mentoring"},
             {"mode", "offline"},
             {"location", "Room 12"},
             {"start", events::FormatTime(begin)},
             {"end", events::FormatTime(begin + kHour)},
             {"status", "proposed"},
             {"proposed_by", "mentor"}},
            m);
      w.Add(stream, "MeetingAccepted", {{"meeting_id", id}, {"by", "mentee"}}, me);
      w.Add(stream, "ObservationRecorded",
            {{"meeting_id", id},
             {"revision", 1},
             {"points_for_mentee", "Revise recursion; attempt two contest problems"},
             {"next_action_items", {"Finish lab 3", "Read chapter 5", "Mock interview"}},
             {"observations", "Engaged, needs practice with time management."},
             {"resources", {"https://example.edu/notes/5"}},
             {"next_follow_up_date", events::FormatDate(events::DayOf(begin) + 7)},
             {"minutes", "Discussed progress and goals."}},
            m);
      w.Add(stream, "MeetingValidated",
            {{"meeting_id", id}, {"participant_id", m.id}, {"role", "mentor"}, {"occurred", true}},
            m);
      w.Add(stream, "MeetingValidated",
            {{"meeting_id", id}, {"participant_id", me.id}, {"role", "mentee"}, {"occurred", true}},
            me);
      w.Add(stream, "MeetingConfirmed", {{"meeting_id", id}}, me);
      w.Add(stream, "ActionItemCompleted",
            {{"meeting_id", id}, {"item", 0}, {"text", "Finish lab 3"}, {"student_id", me.id}}, me);
    }
    // A few leave and on-duty requests a day, decided by the mentor.
    w.At(day_start + 9 * kHour);
    for (int k = 0; k < std::max(1, o.students / 40); ++k) {
      const int s = std::uniform_int_distribution<int>(0, o.students - 1)(rng);
      const std::string id = "L-" + std::to_string(++leaves);
      const bool on_duty = chance(40);
      const std::string from = events::FormatDate(events::DayOf(day_start) + 2);
      w.Add("leave-" + id, "LeaveRequested",
            {{"leave_id", id},
             {"student_id", student(s)},
             {"kind", on_duty ? "on_duty" : "leave"},
             {"from_date", from},
             {"to_date", from},
             {"reason", "Family function"}},
            {student(s), "mentee"});
      if (chance(85)) {
        w.Add("leave-" + id, "LeaveApproved",
              {{"leave_id", id},
               {"student_id", student(s)},
               {"kind", on_duty ? "on_duty" : "leave"},
               {"from_date", from},
               {"to_date", from},
               {"remark", "ok"}},
              {mentor(mentor_of(s)), "mentor"});
      } else {
        w.Add("leave-" + id, "LeaveRejected",
              {{"leave_id", id}, {"student_id", student(s)}, {"remark", "exams that week"}},
              {mentor(mentor_of(s)), "mentor"});
      }
    }
    if (day % 10 == 0) {
      for (int s = day; s < o.students; s += 50) {
        w.Add("student-" + student(s), "StudentProfileUpdated",
              {{"student_id", student(s)},
               {"changes", {{"phone", "9000000000"}}},
               {"previous", {{"phone", nullptr}}}},
              {student(s), "mentee"});
      }
    }
    if (!w.error().empty()) return std::unexpected(w.error());
  }
  w.Flush();
  if (!w.error().empty()) return std::unexpected(w.error());
  return w.written();
}

}  // namespace mentorlog::benchmarks
