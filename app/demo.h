#pragma once

#include <cstdint>
#include <expected>
#include <map>
#include <string>

#include "app/command_processor.h"
#include "events/time.h"

namespace mentorlog::app {

// What SeedDemo put into the log, for `mentorlog demo` to print.
struct DemoSummary {
  std::uint64_t commands = 0;       // commands sent, every one accepted
  std::uint64_t last_position = 0;  // of the last command's last event; system
                                    // AttendanceAlertRaised events may follow it
  int mentors = 0;
  int students = 0;
  int courses = 0;
  int classes = 0;  // RecordAttendance commands (course/date/period sheets)
  int attendance_days = 0;
  int meetings = 0;
  // Meetings by final lifecycle state: proposed, accepted, held, declined,
  // cancelled, disputed (a rescheduled meeting is counted in its current state).
  std::map<std::string, int> meetings_by_status;
  int rescheduled_meetings = 0;
  int leave_requests = 0;
  // Leave and on-duty requests by status: pending, approved, rejected, cancelled.
  std::map<std::string, int> leaves_by_status;
  int mentor_change_requests = 0;
  int alerts_raised = 0;
  std::map<int, int> alerts_by_level;  // 60 / 50 / 40 -> alerts raised at that level
  int alerts_acknowledged = 0;

  // DOMAIN.md 5-7.
  int enrollment_records = 0;
  int exam_results = 0;
  int exam_concerns = 0;  // marks < 40 % of the maximum
  int achievements = 0;
  int counselling_sessions = 0;
  int counselling_outcomes = 0;
  int counselling_requests = 0;
  int open_counselling_requests = 0;  // not yet answered by a session
  int programs = 0;
  int program_enrolments = 0;
  int milestones_completed = 0;
  int reviews_due = 0;  // completed milestones whose review meeting is not yet held
  int skill_ratings = 0;
  int feedback_given = 0;
  int stakeholder_nominations = 0;
  int satisfaction_submissions = 0;  // including one that replaces an earlier one
  int mentorship_requests = 0;
  int open_mentorship_requests = 0;
  int timetables = 0;
  int slots_booked = 0;  // currently booked
  int slots_released = 0;

  // One user of each role, for `mentorlog demo` to print a token for each. The
  // mentee is the mentor's mentee with the richest history (meetings, action
  // items, an attendance alert).
  std::string admin_id;    // "A-1"
  std::string mentor_id;   // "M-1"
  std::string mentee_id;   // "S-2026-001"
  std::string auditor_id;  // "AU-1" (auditors send no commands; only a token)
};

// Seeds a believable programme through `processor`, exactly as clients would
// (real commands, real actors, the real attendance alert policy; no event is
// written directly):
//  - one department, 5 mentors (M-1..M-5), 60 students (S-2026-001..060),
//    12 assigned to each mentor;
//  - 8 weeks of weekday attendance in 4 courses (one period each a day), ending
//    the day before `now`'s UTC date; a few students drift under 60, 50 and 40 %
//    (so the policy raises alerts at every level) and one recovers;
//  - meetings in every lifecycle state: proposed, accepted, held (confirmed, with
//    observations, action items, one completed), declined, cancelled, disputed,
//    rescheduled, and some past meetings awaiting validation;
//  - leave and on-duty requests pending, approved (one retroactive on-duty that
//    turns absences into attendance), rejected and cancelled;
//  - mentor-change requests (one pending, one rejected), a contact-detail update
//    by a mentee, and acknowledged alerts;
//  - enrolment history and exam results for every student (the drifting ones
//    below 40 % of the maximum: concerns), achievements, group counselling with
//    attachments and outcomes, a counselling request answered by a session and
//    one still open;
//  - two programmes with milestones (one lets mentors customise), enrolments, a
//    customisation, completed milestones with a review meeting held for one and
//    reviews still due for others, skill ratings (one re-rated), feedback of both
//    kinds, a stakeholder nomination and satisfaction ratings (one replaced);
//  - a regular hackathon timetable and a mentor's custom office-hours timetable,
//    with booked slots and one released; a mentorship request assigned with a
//    slot and one still open.
//
// Deterministic: the same `now` gives the same commands (ids, bodies, order);
// event times and uuids come from the store. `now` must be the processor's "now"
// to within a few hours (past and future meetings are placed days away from it).
//
// Seeds an empty log only: when the processor's state already holds people,
// meetings, attendance or leave, returns an error and sends nothing, so running
// `mentorlog demo` twice is refused cleanly rather than doubling the data.
// Errors (a string for the user): the log is not empty; or a command was
// refused, naming it, its actor and the refusal. Commands before the refused one
// stay in the log (each command is its own atomic append). Blocks until every
// command is durable; not to be called concurrently with other clients of
// `processor` (their commands could collide with the demo's ids).
std::expected<DemoSummary, std::string> SeedDemo(CommandProcessor& processor, events::TimeMs now);

}  // namespace mentorlog::app
