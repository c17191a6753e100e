#include "app/demo.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <utility>
#include <vector>

namespace mentorlog::app {
namespace {

using nlohmann::json;

constexpr int kMentors = 5;
constexpr int kMenteesPerMentor = 12;
constexpr int kStudents = kMentors * kMenteesPerMentor;
constexpr int kTermDays = 56;  // 8 weeks of calendar days before today
constexpr events::TimeMs kDayMs = 86'400'000;
constexpr events::TimeMs kHourMs = 3'600'000;
constexpr std::uint32_t kSeed = 20240617;  // fixed: the demo is the same every time

constexpr std::string_view kDepartment = "Computer Science and Engineering";

struct Course {
  const char* id;
  const char* faculty;  // the mentor who takes attendance
};
constexpr std::array<Course, 4> kCourses = {{
    {"CS301", "M-1"},  // Data Structures
    {"CS302", "M-2"},  // Operating Systems
    {"CS303", "M-3"},  // Database Systems
    {"MA301", "M-4"},  // Probability and Statistics
}};

constexpr std::array<const char*, kMentors> kMentorNames = {
    "Dr. Asha Rao", "Prof. Vikram Iyer", "Dr. Meera Krishnan", "Arjun Menon", "Dr. Fatima Sheikh"};
constexpr std::array<const char*, kMentors> kMentorExpertise = {
    "algorithms", "operating systems", "databases", "machine learning", "career guidance"};
constexpr std::array<const char*, 20> kFirstNames = {
    "Aarav",  "Diya",  "Rohan", "Ananya", "Kabir",     "Ishita", "Vihaan",
    "Meera",  "Arjun", "Sara",  "Aditya", "Riya",      "Nikhil", "Priya",
    "Farhan", "Kavya", "Rahul", "Neha",   "Siddharth", "Tara"};
constexpr std::array<const char*, 15> kLastNames = {"Sharma", "Patel", "Reddy", "Nair",   "Gupta",
                                                    "Iyer",   "Khan",  "Das",   "Joshi",  "Menon",
                                                    "Singh",  "Verma", "Bose",  "Pillai", "Rao"};

// Students whose attendance falls (or recovers). Each attends at `rates[i]`
// until the fraction `until[i]` of the term, then at the next rate. A fall goes
// through a stretch of missed classes, so the percentage crosses each level
// once rather than hovering on it (every re-crossing would be a new alert).
// The shapes were chosen by simulating the policy for every accumulator phase.
// Everyone else attends 80-98 % of classes throughout.
struct Drift {
  int student;  // index 0..59
  std::array<double, 3> until;
  std::array<double, 3> rates;
};
constexpr std::array<Drift, 10> kDrifts = {{
    // Under 60 only; ends at 51-57 %.
    {0, {0.40, 0.60, 1.0}, {0.88, 0.0, 0.50}},
    {17, {0.55, 0.90, 1.0}, {0.88, 0.0, 0.70}},
    {29, {0.50, 0.825, 1.0}, {0.88, 0.0, 0.50}},
    {44, {0.45, 0.75, 1.0}, {0.88, 0.0, 0.55}},
    // Under 60, then 50; ends at 43-48 %.
    {3, {0.30, 0.60, 1.0}, {0.88, 0.0, 0.50}},
    {26, {0.40, 0.75, 1.0}, {0.88, 0.0, 0.35}},
    {52, {0.25, 0.50, 1.0}, {0.88, 0.0, 0.50}},
    // Under 60, 50, then 40; ends at 33-37 %.
    {7, {0.30, 0.675, 1.0}, {0.88, 0.0, 0.30}},
    {40, {0.20, 0.525, 1.0}, {0.88, 0.0, 0.35}},
    // Joined the term late (one alert at 40), then recovers to about 86 %.
    {22, {0.075, 0.35, 1.0}, {0.0, 1.0, 0.90}},
}};

// Fixed student indices for the leave scenarios.
constexpr int kOnLeaveStudent = 20;       // approved leave inside the term
constexpr int kOnDutyLateStudent = 33;    // absences later covered by an approved on-duty
constexpr int kOnDutyMarkedStudent = 12;  // marked on_duty by faculty for one day

std::string StudentId(int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "S-2026-%03d", i + 1);
  return buf;
}
std::string RollNumber(int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "23CSE%03d", i + 1);
  return buf;
}
std::string MentorId(int m) { return "M-" + std::to_string(m + 1); }
int MentorOf(int student) { return student / kMenteesPerMentor; }
std::string Date(events::Days d) { return events::FormatDate(d); }
std::string At(events::Days d, int hour, int minute = 0) {
  return events::FormatTime(d * kDayMs + hour * kHourMs + minute * 60'000);
}
// Monday = 0 ... Sunday = 6 (1970-01-01 was a Thursday).
int Weekday(events::Days d) { return static_cast<int>((d + 3) % 7); }

const events::Actor kAdmin{"A-1", "admin"};
events::Actor Mentor(int m) { return {MentorId(m), "mentor"}; }
events::Actor Mentee(int s) { return {StudentId(s), "mentee"}; }

// Sends the demo's commands in order; after the first refusal every later Send
// is skipped and the refusal is kept for the caller.
class Seeder {
 public:
  Seeder(CommandProcessor& processor, events::TimeMs now)
      : processor_(processor), today_(events::DayOf(now)) {}

  std::expected<DemoSummary, std::string> Run();

 private:
  bool Send(const events::Actor& actor, std::string name, json body);

  void People();
  void TermLeave();
  void Attendance();
  void LateOnDuty();
  void LeaveRequests();
  void Meetings();
  void MentorChanges();
  void ProfileUpdate();
  void AcknowledgeAlerts();
  void AcademicRecord();
  void Counselling();
  void Programmes();
  void Timetables();
  void Summarise();

  // One meeting of mentor `m`; returns its id.
  std::string Schedule(const events::Actor& by, int m, std::vector<int> students, std::string title,
                       events::Days day, int hour, int minutes, std::string mode);
  bool Observe(int m, const std::string& meeting, std::string points,
               std::vector<std::string> actions, std::string observations, events::Days follow_up);

  CommandProcessor& processor_;
  const events::Days today_;
  std::vector<events::Days> term_days_;  // weekdays of the term, oldest first
  int meeting_counter_ = 0;
  std::optional<std::string> error_;
  DemoSummary summary_;
};

bool Seeder::Send(const events::Actor& actor, std::string name, json body) {
  if (error_) return false;
  CommandRequest request{name, std::move(body), actor};
  const CommandOutcome outcome = processor_.Submit(std::move(request));
  ++summary_.commands;
  if (!outcome) {
    error_ = "demo command #" + std::to_string(summary_.commands) + " " + name + " by " + actor.id +
             " was refused: " + outcome.error().code + ": " + outcome.error().message +
             (outcome.error().field.empty() ? "" : " (" + outcome.error().field + ")");
    return false;
  }
  summary_.last_position = std::max(summary_.last_position, outcome->position);
  return true;
}

void Seeder::People() {
  for (int m = 0; m < kMentors; ++m) {
    json body = {{"mentor_id", MentorId(m)},
                 {"name", kMentorNames[m]},
                 {"department", kDepartment},
                 {"email", "mentor" + std::to_string(m + 1) + "@college.example"},
                 {"expertise", json::array({kMentorExpertise[m]})},
                 {"max_mentees", 15}};
    Send(kAdmin, "RegisterMentor", std::move(body));
  }
  for (int i = 0; i < kStudents; ++i) {
    const std::string first = kFirstNames[i % kFirstNames.size()];
    const std::string last = kLastNames[(i * 7 + i / 20) % kLastNames.size()];
    char phone[32];
    std::snprintf(phone, sizeof phone, "+91-98450%05d", 10'000 + i * 37);
    char guardian_phone[32];
    std::snprintf(guardian_phone, sizeof guardian_phone, "+91-94480%05d", 20'000 + i * 53);
    json body = {{"student_id", StudentId(i)},
                 {"roll_number", RollNumber(i)},
                 {"name", first + " " + last},
                 {"department", kDepartment},
                 {"year", 3},
                 {"email", RollNumber(i) + "@student.college.example"},
                 {"phone", phone},
                 {"guardian", {{"name", "Mr./Ms. " + last}, {"phone", guardian_phone}}}};
    Send(kAdmin, "EnrollStudent", std::move(body));
  }
  for (int i = 0; i < kStudents; ++i) {
    Send(kAdmin, "AssignMentor",
         {{"student_id", StudentId(i)}, {"mentor_id", MentorId(MentorOf(i))}});
  }
  summary_.mentors = kMentors;
  summary_.students = kStudents;
}

// A leave inside the term, requested and approved before the classes it covers
// are recorded, so faculty mark those days as `leave`.
void Seeder::TermLeave() {
  const int s = kOnLeaveStudent;
  Send(Mentee(s), "RequestLeave",
       {{"leave_id", "LV-1"},
        {"student_id", StudentId(s)},
        {"kind", "leave"},
        {"from_date", Date(term_days_[10])},
        {"to_date", Date(term_days_[12])},
        {"reason", "Sister's wedding in Mysuru"}});
  Send(Mentor(MentorOf(s)), "ApproveLeave", {{"leave_id", "LV-1"}, {"remark", "Approved."}});
}

void Seeder::Attendance() {
  std::mt19937 rng(kSeed);
  // Per student: attendance rate at the start and end of the term, and the
  // phase of the absence accumulator (so absences do not all fall together).
  // Per student: its rate over the term, and the phase of its absence
  // accumulator (so absences do not all fall on the same classes).
  std::vector<Drift> shape(kStudents);
  std::vector<double> deficit(kStudents);
  for (int i = 0; i < kStudents; ++i) {
    const double rate = 0.80 + static_cast<double>(rng() % 180) / 1000.0;
    shape[i] = {i, {1.0, 1.0, 1.0}, {rate, rate, rate}};
    deficit[i] = static_cast<double>(rng() % 1000) / 1000.0;
  }
  for (const Drift& d : kDrifts) shape[d.student] = d;
  const int total = static_cast<int>(term_days_.size() * kCourses.size());
  int k = 0;
  for (std::size_t di = 0; di < term_days_.size(); ++di) {
    const events::Days day = term_days_[di];
    for (std::size_t p = 0; p < kCourses.size(); ++p, ++k) {
      const Course& course = kCourses[(Weekday(day) + p) % kCourses.size()];
      const double t = total > 1 ? static_cast<double>(k) / (total - 1) : 0.0;
      json entries = json::array();
      for (int i = 0; i < kStudents; ++i) {
        std::string status = "present";
        std::size_t segment = 0;
        while (segment + 1 < shape[i].until.size() && t > shape[i].until[segment]) ++segment;
        deficit[i] += 1.0 - shape[i].rates[segment];
        if (deficit[i] >= 1.0) {
          deficit[i] -= 1.0;
          status = "absent";
        }
        if (i == kOnLeaveStudent && di >= 10 && di <= 12) status = "leave";
        if (i == kOnDutyLateStudent && (di == 25 || di == 26)) status = "absent";
        if (i == kOnDutyMarkedStudent && di == 15) status = "on_duty";
        entries.push_back({{"student_id", StudentId(i)}, {"status", status}});
      }
      const events::Actor faculty{course.faculty, "mentor"};
      Send(faculty, "RecordAttendance",
           {{"course_id", course.id},
            {"date", Date(day)},
            {"period", static_cast<int>(p) + 1},
            {"entries", std::move(entries)}});
      ++summary_.classes;
    }
  }
  summary_.courses = static_cast<int>(kCourses.size());
  summary_.attendance_days = static_cast<int>(term_days_.size());
}

// On-duty for a past hackathon, requested after the absences were recorded:
// approving it turns them into attendance (DOMAIN.md 3).
void Seeder::LateOnDuty() {
  const int s = kOnDutyLateStudent;
  Send(Mentee(s), "RequestLeave",
       {{"leave_id", "OD-1"},
        {"student_id", StudentId(s)},
        {"kind", "on_duty"},
        {"from_date", Date(term_days_[25])},
        {"to_date", Date(term_days_[26])},
        {"reason", "Represented the college at the Smart India Hackathon regional round"}});
  Send(Mentor(MentorOf(s)), "ApproveLeave",
       {{"leave_id", "OD-1"}, {"remark", "Certificate seen; attendance to be counted."}});
}

void Seeder::LeaveRequests() {
  const auto request = [&](const events::Actor& by, const std::string& id, int s, const char* kind,
                           int from, int to, const char* reason) {
    Send(by, "RequestLeave",
         {{"leave_id", id},
          {"student_id", StudentId(s)},
          {"kind", kind},
          {"from_date", Date(today_ + from)},
          {"to_date", Date(today_ + to)},
          {"reason", reason}});
  };
  request(Mentee(5), "LV-2", 5, "leave", 7, 8, "Family function in Chennai");  // stays pending
  request(Mentee(45), "OD-2", 45, "on_duty", 10, 11,
          "Inter-college coding contest at IIT Madras");  // stays pending
  request(Mentee(50), "LV-3", 50, "leave", 3, 4, "Cousin's engagement");
  Send(Mentor(MentorOf(50)), "RejectLeave",
       {{"leave_id", "LV-3"}, {"remark", "Internal assessment that week; please reschedule."}});
  request(Mentee(14), "LV-4", 14, "leave", 14, 14, "Passport appointment");
  Send(Mentee(14), "CancelLeave", {{"leave_id", "LV-4"}});
  request(Mentee(26), "LV-5", 26, "leave", 5, 6, "Medical: dental surgery");
  Send(kAdmin, "ApproveLeave", {{"leave_id", "LV-5"}, {"remark", "Medical certificate received."}});
  request(Mentor(MentorOf(38)), "OD-3", 38, "on_duty", 2, 2,
          "Volunteer at the department's open day");
  Send(Mentor(MentorOf(38)), "ApproveLeave", {{"leave_id", "OD-3"}});
}

std::string Seeder::Schedule(const events::Actor& by, int m, std::vector<int> students,
                             std::string title, events::Days day, int hour, int minutes,
                             std::string mode) {
  const std::string id = "MT-" + std::to_string(++meeting_counter_);
  json ids = json::array();
  for (const int s : students) ids.push_back(StudentId(s));
  json body = {{"meeting_id", id},
               {"mentor_id", MentorId(m)},
               {"student_ids", std::move(ids)},
               {"title", std::move(title)},
               {"mode", mode},
               {"start", At(day, hour)},
               {"end", At(day, hour, minutes)}};
  if (mode == "offline") {
    body["location"] = "CSE block, room " + std::to_string(201 + m);
  }
  Send(by, "ScheduleMeeting", std::move(body));
  ++summary_.meetings;
  return id;
}

bool Seeder::Observe(int m, const std::string& meeting, std::string points,
                     std::vector<std::string> actions, std::string observations,
                     events::Days follow_up) {
  return Send(Mentor(m), "RecordObservation",
              {{"meeting_id", meeting},
               {"points_for_mentee", std::move(points)},
               {"next_action_items", std::move(actions)},
               {"observations", std::move(observations)},
               {"next_follow_up_date", Date(follow_up)},
               {"minutes", "Discussed progress since the last meeting and agreed next steps."},
               {"resources", json::array({"https://nptel.ac.in/courses/106106127"})}});
}

void Seeder::Meetings() {
  for (int m = 0; m < kMentors; ++m) {
    const int base = m * kMenteesPerMentor;
    const int hour = 9 + m;  // each mentor's slot; students meet only their own mentor
    const events::Actor mentor = Mentor(m);
    const auto validate = [&](const events::Actor& who, const std::string& id, bool occurred,
                              const char* note = nullptr) {
      json body = {{"meeting_id", id}, {"occurred", occurred}};
      if (note != nullptr) body["note"] = note;
      Send(who, "ValidateMeeting", std::move(body));
    };

    // Held: recorded afterwards (created accepted), observed, validated by all.
    const std::string held = Schedule(mentor, m, {base}, "Semester plan and attendance review",
                                      today_ - 21, hour, 45, "offline");
    Observe(m, held, "Attendance is slipping in the morning periods; plan to fix it.",
            {"Meet the CS301 faculty about missed labs", "Share a weekly study timetable"},
            "Motivated but over-committed to club activities.", today_ - 7);
    validate(mentor, held, true);
    validate(Mentee(base), held, true);
    Send(Mentee(base), "CompleteActionItem", {{"meeting_id", held}, {"item", 0}});

    // Held: a group session with three mentees.
    const std::vector<int> group = {base + 1, base + 2, base + 3};
    const std::string session = Schedule(mentor, m, group, "Group session: internship preparation",
                                         today_ - 14, hour, 60, "online");
    Observe(m, session, "Resume drafts are good; practise mock interviews.",
            {"Finish two mock interviews", "Update the resume with the mini project"},
            "Active participation; two students still unsure of their track.", today_ + 7);
    validate(mentor, session, true);
    for (const int s : group) validate(Mentee(s), session, true);

    // Past, accepted and observed: the mentee has not validated yet.
    const std::string pending =
        Schedule(mentor, m, {base + 4}, "Project review", today_ - 7, hour, 30, "online");
    Observe(m, pending, "Good progress on the mini project.", {"Write the project report"},
            "Needs help with report writing.", today_ + 10);
    validate(mentor, pending, true, "Reviewed the project demo.");

    // Disputed: the mentee says it did not take place.
    if (m == 0 || m == 3) {
      const std::string disputed =
          Schedule(mentor, m, {base + 11}, "Career guidance", today_ - 10, hour, 30, "offline");
      validate(mentor, disputed, true);
      validate(Mentee(base + 11), disputed, false,
               "I was at the placement drive that afternoon; this session did not happen.");
    }

    // Proposed by the mentor, awaiting the mentee.
    Schedule(mentor, m, {base + 5}, "Follow-up on attendance", today_ + 1, hour, 30, "online");

    // Accepted, with agenda items from the mentee.
    const std::string accepted =
        Schedule(mentor, m, {base + 6}, "Elective selection", today_ + 2, hour, 45, "offline");
    Send(Mentee(base + 6), "AcceptMeeting", {{"meeting_id", accepted}});
    Send(Mentee(base + 6), "AddAgendaItems",
         {{"meeting_id", accepted},
          {"items", {"Compare the ML and cloud electives", "Ask about the honours track"}}});

    // Requested by the mentee; even-numbered mentors have accepted.
    const std::string requested = Schedule(
        Mentee(base + 7), m, {base + 7}, "Help with exam anxiety", today_ + 3, hour, 30, "online");
    if (m % 2 == 0) Send(mentor, "AcceptMeeting", {{"meeting_id", requested}});

    // Declined by the mentee.
    const std::string declined = Schedule(mentor, m, {base + 8}, "Hackathon team formation",
                                          today_ + 4, hour, 30, "offline");
    Send(Mentee(base + 8), "DeclineMeeting",
         {{"meeting_id", declined}, {"reason", "Clashes with my lab exam."}});

    // Cancelled by the mentor.
    const std::string cancelled =
        Schedule(mentor, m, {base + 9}, "Progress check", today_ + 5, hour, 30, "online");
    Send(mentor, "CancelMeeting",
         {{"meeting_id", cancelled}, {"reason", "Department meeting called at the same time."}});

    // Rescheduled by the mentee; odd-numbered mentors have accepted the new time.
    const std::string moved = Schedule(mentor, m, {base + 10}, "Higher studies discussion",
                                       today_ + 6, hour, 45, "online");
    Send(Mentee(base + 10), "RescheduleMeeting",
         {{"meeting_id", moved},
          {"start", At(today_ + 8, hour)},
          {"end", At(today_ + 8, hour, 45)},
          {"reason", "GRE mock test that morning."}});
    if (m % 2 == 1) Send(mentor, "AcceptMeeting", {{"meeting_id", moved}});
    ++summary_.rescheduled_meetings;
  }
}

void Seeder::MentorChanges() {
  Send(Mentee(8), "RequestMentorChange",
       {{"request_id", "MC-1"},
        {"student_id", StudentId(8)},
        {"reason", "I want to work on machine learning projects."},
        {"preferred_mentor_id", MentorId(3)}});  // stays pending
  Send(Mentee(50), "RequestMentorChange",
       {{"request_id", "MC-2"},
        {"student_id", StudentId(50)},
        {"reason", "Meeting times clash with my lab sessions."}});
  Send(kAdmin, "DecideMentorChange",
       {{"request_id", "MC-2"},
        {"approve", false},
        {"remark", "Your mentor will move meetings to the afternoon instead."}});
  summary_.mentor_change_requests = 2;
}

void Seeder::ProfileUpdate() {
  Send(Mentee(0), "UpdateStudentProfile",
       {{"student_id", StudentId(0)}, {"changes", {{"phone", "+91-9845012345"}}}});
}

// The mentors of the first mentee and of a student under 40 % act on one alert each.
void Seeder::AcknowledgeAlerts() {
  if (error_) return;
  const commands::WriteState state = processor_.StateCopy();
  std::vector<std::pair<std::int64_t, std::string>> ids;  // by number: "alert-<n>"
  for (const auto& [id, alert] : state.alerts) {
    ids.emplace_back(std::strtoll(id.c_str() + 6, nullptr, 10), id);
  }
  std::sort(ids.begin(), ids.end());
  const auto acknowledge = [&](int student, int level, const char* action, const char* note) {
    for (const auto& [n, id] : ids) {
      const commands::AlertState& alert = state.alerts.at(id);
      if (alert.student_id != StudentId(student) || alert.acknowledged) continue;
      if (level != 0 && alert.level != level) continue;
      Send(Mentor(MentorOf(student)), "AcknowledgeAlert",
           {{"alert_id", id}, {"action", action}, {"note", note}});
      return;
    }
  };
  acknowledge(0, 0, "meeting_arranged", "Discussed in our review meeting; timetable agreed.");
  acknowledge(40, 40, "contacted_guardian", "Called the guardian; counselling referral next.");
}

// DOMAIN.md 5: enrolment history and one internal assessment for everyone; the
// drifting students score under 40 % (concerns); a few achievements.
void Seeder::AcademicRecord() {
  const json courses = json::array({"CS301", "CS302", "CS303", "MA301"});
  for (int i = 0; i < kStudents; ++i) {
    if (i % 10 == 0) {
      Send(kAdmin, "RecordEnrollment",
           {{"student_id", StudentId(i)},
            {"term", "2025-26 even"},
            {"programme", "B.E. " + std::string(kDepartment)},
            {"courses", json::array({"CS201", "CS202", "MA201"})},
            {"status", "completed"}});
      ++summary_.enrollment_records;
    }
    Send(kAdmin, "RecordEnrollment",
         {{"student_id", StudentId(i)},
          {"term", "2026-27 odd"},
          {"programme", "B.E. " + std::string(kDepartment)},
          {"courses", courses},
          {"status", "enrolled"}});
    ++summary_.enrollment_records;
  }
  for (int i = 0; i < kStudents; ++i) {
    const bool drifting =
        std::ranges::any_of(kDrifts, [&](const Drift& d) { return d.student == i; });
    const int marks = drifting ? 11 + i % 8 : 24 + (i * 17) % 26;
    Send(Mentor(MentorOf(i)), "RecordExamResult",
         {{"student_id", StudentId(i)},
          {"exam", "Internal assessment 1"},
          {"subject", "CS301 Data Structures"},
          {"marks", marks},
          {"max_marks", 50},
          {"term", "2026-27 odd"}});
    ++summary_.exam_results;
    if (marks * 100 < 40 * 50) ++summary_.exam_concerns;
  }
  struct Prize {
    int student;
    const char* title;
    const char* category;
    int days_ago;
  };
  constexpr std::array<Prize, 5> kPrizes = {{
      {0, "Smart India Hackathon: regional finalist", "hackathon", 20},
      {13, "Best paper, student research symposium", "academic", 12},
      {25, "Inter-college chess championship, 2nd place", "sports", 30},
      {38, "NPTEL Data Structures: Elite + Gold", "certification", 5},
      {50, "Organised the department's coding club workshop", "leadership", 9},
  }};
  for (const Prize& p : kPrizes) {
    Send(Mentor(MentorOf(p.student)), "RecordAchievement",
         {{"student_id", StudentId(p.student)},
          {"title", p.title},
          {"category", p.category},
          {"date", Date(today_ - p.days_ago)},
          {"description", "Recorded by the mentor after the student shared the certificate."}});
    ++summary_.achievements;
  }
}

// DOMAIN.md 5: each mentor counsels the drifting mentees together (with an
// attachment) and records the outcome; a mentee's request is answered by a
// session; another request stays open.
void Seeder::Counselling() {
  for (int m = 0; m < kMentors; ++m) {
    json students = json::array();
    for (const Drift& d : kDrifts) {
      if (MentorOf(d.student) == m) students.push_back(StudentId(d.student));
    }
    if (students.empty()) continue;
    const std::string id = "CNS-" + std::to_string(m + 1);
    Send(Mentor(m), "CreateCounselling",
         {{"counselling_id", id},
          {"name", "Attendance and study habits"},
          {"at", At(today_ - 6, 15)},
          {"notes", "Falling attendance and low internal marks; agree a weekly plan."},
          {"attachments",
           {{{"name", "Attendance SOP"}, {"uri", "https://college.example/sop/attendance.pdf"}},
            {{"name", "Weekly planner"}, {"uri", "https://college.example/forms/planner.xlsx"}}}},
          {"student_ids", std::move(students)}});
    Send(Mentor(m), "RecordCounsellingOutcome",
         {{"counselling_id", id},
          {"outcome", "Students agreed to attend the morning periods and meet the tutor weekly."},
          {"goals", {"Attend every morning period for four weeks", "Weekly tutor meeting"}}});
    summary_.counselling_sessions += 1;
    summary_.counselling_outcomes += 1;
  }
  // Answered: S-2026-002 asks M-1, who sets up a session in two days.
  Send(Mentee(1), "RequestCounselling",
       {{"request_id", "CQ-1"},
        {"student_id", StudentId(1)},
        {"topic", "Exam anxiety before the semester exams"},
        {"details", "I blank out in timed tests."}});
  Send(Mentor(0), "CreateCounselling",
       {{"counselling_id", "CNS-6"},
        {"name", "Managing exam anxiety"},
        {"at", At(today_ + 2, 16)},
        {"notes", "Breathing techniques, mock tests under time."},
        {"attachments",
         {{{"name", "Mock test schedule"}, {"uri", "https://college.example/cs301/mock-tests"}}}},
        {"student_ids", {StudentId(1)}},
        {"request_id", "CQ-1"}});
  // Still open: S-2026-015 asks M-2 about a career switch.
  Send(Mentee(14), "RequestCounselling",
       {{"request_id", "CQ-2"},
        {"student_id", StudentId(14)},
        {"topic", "Switching from core to data science"}});
  summary_.counselling_sessions += 1;
  summary_.counselling_requests = 2;
  summary_.open_counselling_requests = 1;
}

// DOMAIN.md 6: a customisable leadership programme for M-1's first six mentees and
// a fixed placement programme for M-2's first four.
void Seeder::Programmes() {
  Send(kAdmin, "CreateProgram",
       {{"program_id", "P-LEAD"},
        {"name", "Leadership and professional skills"},
        {"milestones",
         {{{"milestone_id", "MS-1"}, {"title", "Goal setting"}},
          {{"milestone_id", "MS-2"}, {"title", "Self review"}},
          {{"milestone_id", "MS-3"}, {"title", "Stakeholder feedback"}},
          {{"milestone_id", "MS-4"}, {"title", "Capstone presentation"}}}},
        {"mentor_can_customise", true}});
  Send(kAdmin, "CreateProgram",
       {{"program_id", "P-PLACE"},
        {"name", "Placement readiness"},
        {"milestones",
         {{{"milestone_id", "MS-1"}, {"title", "Resume review"}},
          {{"milestone_id", "MS-2"}, {"title", "Mock interview"}},
          {{"milestone_id", "MS-3"}, {"title", "Aptitude test"}}}}});
  summary_.programs = 2;
  for (int i = 0; i < 6; ++i) {
    Send(kAdmin, "EnrollInProgram", {{"program_id", "P-LEAD"}, {"student_id", StudentId(i)}});
  }
  for (int i = 12; i < 16; ++i) {
    Send(kAdmin, "EnrollInProgram", {{"program_id", "P-PLACE"}, {"student_id", StudentId(i)}});
  }
  summary_.program_enrolments = 10;
  Send(Mentor(0), "CustomiseMilestones",
       {{"program_id", "P-LEAD"},
        {"student_id", StudentId(2)},
        {"milestones",
         {{{"milestone_id", "MS-1"}, {"title", "Goal setting"}},
          {{"milestone_id", "MS-2"}, {"title", "Self review"}},
          {{"milestone_id", "MS-5"}, {"title", "Public speaking practice"}},
          {{"milestone_id", "MS-4"}, {"title", "Capstone presentation"}}}}});
  const auto complete = [&](int m, const char* program, int student, const char* milestone) {
    Send(
        Mentor(m), "CompleteMilestone",
        {{"program_id", program}, {"student_id", StudentId(student)}, {"milestone_id", milestone}});
    ++summary_.milestones_completed;
  };
  complete(0, "P-LEAD", 0, "MS-1");
  complete(0, "P-LEAD", 1, "MS-1");
  complete(0, "P-LEAD", 2, "MS-1");
  complete(1, "P-PLACE", 12, "MS-1");
  // S-2026-001's review meeting was held (recorded afterwards, validated by both):
  // their review is no longer due; the others' still are.
  Send(Mentor(0), "ScheduleMeeting",
       {{"meeting_id", "MT-REVIEW-1"},
        {"mentor_id", MentorId(0)},
        {"student_ids", {StudentId(0)}},
        {"title", "Milestone review: goal setting"},
        {"mode", "online"},
        {"start", At(today_ - 2, 16)},
        {"end", At(today_ - 2, 16, 30)},
        {"program_id", "P-LEAD"}});
  Send(Mentor(0), "ValidateMeeting", {{"meeting_id", "MT-REVIEW-1"}, {"occurred", true}});
  Send(Mentee(0), "ValidateMeeting", {{"meeting_id", "MT-REVIEW-1"}, {"occurred", true}});
  ++summary_.meetings;
  summary_.reviews_due = summary_.milestones_completed - 1;

  const auto rate = [&](int m, int student, const char* skill, int rating, bool in_program) {
    json body = {{"student_id", StudentId(student)}, {"skill", skill}, {"rating", rating}};
    if (in_program) body["program_id"] = "P-LEAD";
    Send(Mentor(m), "RateSkill", std::move(body));
    ++summary_.skill_ratings;
  };
  rate(0, 0, "communication", 3, false);
  rate(0, 0, "teamwork", 4, true);
  rate(0, 0, "communication", 4, true);  // re-rated: the latest wins, history kept
  rate(0, 1, "problem solving", 4, true);
  rate(1, 12, "communication", 3, false);
  const auto feedback = [&](int m, int student, const char* kind, const char* text) {
    Send(Mentor(m), "GiveFeedback",
         {{"student_id", StudentId(student)}, {"kind", kind}, {"text", text}});
    ++summary_.feedback_given;
  };
  feedback(0, 0, "learning_behaviour",
           "Asks good questions and follows up on resources; needs to plan revision earlier.");
  feedback(0, 1, "general", "Led the study group well this month.");
  feedback(1, 12, "general", "Resume is much sharper after the review.");
  Send(Mentee(0), "NominateStakeholder",
       {{"program_id", "P-LEAD"},
        {"student_id", StudentId(0)},
        {"name", "Ms. Kavitha Raman (internship supervisor)"},
        {"email", "kavitha.raman@industry.example"}});
  summary_.stakeholder_nominations = 1;
  const auto satisfied = [&](const events::Actor& who, int rating, const char* comment) {
    Send(who, "SubmitSatisfaction",
         {{"program_id", "P-LEAD"}, {"rating", rating}, {"comment", comment}});
    ++summary_.satisfaction_submissions;
  };
  satisfied(Mentee(0), 4, "The goal-setting milestone helped me plan the semester.");
  satisfied(Mentee(1), 5, "Regular reviews keep me on track.");
  satisfied(Mentor(0), 4, "Good structure; the self-review template needs work.");
  satisfied(Mentee(0), 5, "After the review meeting: very useful.");  // replaces the 4
}

// DOMAIN.md 7: a regular hackathon timetable (admin) and M-4's custom office hours
// (defined by the mentor); admin books slots, releases one.
void Seeder::Timetables() {
  json hack = json::array();
  for (int i = 0; i < 6; ++i) {
    hack.push_back({{"start", At(today_ + 1, 14 + i / 2, (i % 2) * 30)},
                    {"end", At(today_ + 1, 14 + (i + 1) / 2, ((i + 1) % 2) * 30)}});
  }
  Send(kAdmin, "DefineTimetable",
       {{"timetable_id", "TT-HACK"}, {"kind", "regular"}, {"slots", std::move(hack)}});
  json office = json::array();
  for (int i = 0; i < 3; ++i) {
    office.push_back({{"start", At(today_ + 2, 15 + i / 2, (i % 2) * 30)},
                      {"end", At(today_ + 2, 15 + (i + 1) / 2, ((i + 1) % 2) * 30)}});
  }
  Send(Mentor(3), "DefineTimetable",
       {{"timetable_id", "TT-M4-OFFICE"},
        {"kind", "custom"},
        {"mentor_id", MentorId(3)},
        {"slots", std::move(office)}});
  summary_.timetables = 2;
  const auto book = [&](const char* timetable, const std::string& start, int number,
                        const std::string& team, const char* description) {
    Send(kAdmin, "BookSlot",
         {{"timetable_id", timetable},
          {"slot_start", start},
          {"session_number", number},
          {"team_or_student", team},
          {"description", description}});
  };
  book("TT-HACK", At(today_ + 1, 14), 101, "TEAM-ALPHA", "Smart attendance app: API review");
  book("TT-HACK", At(today_ + 1, 14, 30), 102, "TEAM-BYTE", "Crop price predictor: model choice");
  book("TT-HACK", At(today_ + 1, 15), 103, "TEAM-CODE", "Campus maps: accessibility");
  Send(kAdmin, "ReleaseSlot",
       {{"timetable_id", "TT-HACK"},
        {"slot_start", At(today_ + 1, 15)},
        {"reason", "TEAM-CODE merged with TEAM-BYTE"}});
  book("TT-M4-OFFICE", At(today_ + 2, 15), 201, StudentId(36), "ML project scoping");
  // A mentee asks for a session for their project team; the admin assigns M-4 and
  // books the office-hours slot. Another request waits.
  Send(Mentee(37), "RequestMentorship",
       {{"request_id", "MR-1"},
        {"team_or_student", "TEAM-DELTA"},
        {"topic", "Deploying the model behind an API"}});
  Send(kAdmin, "AssignMentorshipRequest",
       {{"request_id", "MR-1"},
        {"mentor_id", MentorId(3)},
        {"timetable_id", "TT-M4-OFFICE"},
        {"slot_start", At(today_ + 2, 15, 30)},
        {"session_number", 202}});
  Send(Mentee(48), "RequestMentorship",
       {{"request_id", "MR-2"},
        {"team_or_student", "TEAM-ECHO"},
        {"topic", "Choosing a database for the hackathon app"}});
  summary_.mentorship_requests = 2;
  summary_.open_mentorship_requests = 1;
  summary_.slots_booked = 4;
  summary_.slots_released = 1;
}

void Seeder::Summarise() {
  const commands::WriteState state = processor_.StateCopy();
  static constexpr std::array<const char*, 6> kMeetingStates = {
      "proposed", "accepted", "held", "declined", "cancelled", "disputed"};
  static constexpr std::array<const char*, 4> kLeaveStates = {"pending", "approved", "rejected",
                                                              "cancelled"};
  for (const char* name : kMeetingStates) summary_.meetings_by_status[name] = 0;
  for (const char* name : kLeaveStates) summary_.leaves_by_status[name] = 0;
  for (const auto& [id, meeting] : state.meetings) {
    ++summary_.meetings_by_status[kMeetingStates[static_cast<int>(meeting.status)]];
  }
  for (const auto& [id, leave] : state.leaves) {
    ++summary_.leaves_by_status[kLeaveStates[static_cast<int>(leave.status)]];
  }
  summary_.leave_requests = static_cast<int>(state.leaves.size());
  summary_.alerts_raised = static_cast<int>(state.alerts.size());
  for (const auto& [id, alert] : state.alerts) {
    ++summary_.alerts_by_level[alert.level];
    if (alert.acknowledged) ++summary_.alerts_acknowledged;
  }
  summary_.admin_id = kAdmin.id;
  summary_.mentor_id = MentorId(0);
  summary_.mentee_id = StudentId(0);
  summary_.auditor_id = "AU-1";
}

std::expected<DemoSummary, std::string> Seeder::Run() {
  {
    const commands::WriteState state = processor_.StateCopy();
    if (!state.mentors.empty() || !state.students.empty() || !state.meetings.empty() ||
        !state.attendance.empty() || !state.leaves.empty()) {
      return std::unexpected(std::string(
          "the log already holds data; demo seeds an empty data directory only (nothing sent)"));
    }
  }
  for (events::Days d = today_ - kTermDays; d < today_; ++d) {
    if (Weekday(d) < 5) term_days_.push_back(d);
  }
  People();
  TermLeave();
  Attendance();
  LateOnDuty();
  LeaveRequests();
  Meetings();
  MentorChanges();
  ProfileUpdate();
  AcknowledgeAlerts();
  AcademicRecord();
  Counselling();
  Programmes();
  Timetables();
  if (error_) return std::unexpected(*error_);
  Summarise();
  return summary_;
}

}  // namespace

std::expected<DemoSummary, std::string> SeedDemo(CommandProcessor& processor, events::TimeMs now) {
  return Seeder(processor, now).Run();
}

}  // namespace mentorlog::app
