#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "commands/command.h"
#include "events/date_counts.h"
#include "events/envelope.h"
#include "events/symbol.h"
#include "events/time.h"

namespace mentorlog::commands {

// Meeting lifecycle (DOMAIN.md 2). Live = proposed or accepted: only live meetings
// take part in the double-booking rule. `kDisputed` is where a meeting goes when a
// participant validates it as not having occurred.
enum class MeetingStatus { kProposed, kAccepted, kHeld, kDeclined, kCancelled, kDisputed };

// Which side of a meeting acted: the mentor side (the meeting's mentor, or an
// admin acting for the programme) or the mentee side (a student of the meeting).
enum class Side { kMentor, kMentee };

enum class LeaveStatus { kPending, kApproved, kRejected, kCancelled };

// One person's live meetings, keyed by start. Live meetings of one person never
// overlap (the double-booking rule), which makes the overlap check O(log n).
struct Booking {
  events::TimeMs end = 0;
  std::string meeting_id;
  bool operator==(const Booking&) const = default;
};
using Calendar = std::multimap<events::TimeMs, Booking>;

struct MentorState {
  std::int64_t max_mentees = 20;
  std::set<std::string> mentees;
  Calendar calendar;  // live meetings
  bool operator==(const MentorState&) const = default;
};

struct StudentState {
  std::string roll_number;
  std::optional<std::string> mentor_id;
  // name, department, year, email, phone, guardian as last enrolled / updated:
  // a JSON object's text (~150 bytes; as a tree it was ~1.2 KiB a student), which
  // only UpdateStudentProfile reads.
  std::string profile = "{}";
  std::optional<std::string> open_change_request;  // request_id
  Calendar calendar;                               // live meetings
  bool operator==(const StudentState&) const = default;
};

// The action items of a meeting's latest observation, packed in one string:
// per item a byte (1 completed, 0 open), its text's length as a varint, then
// its text. A vector of {text, completed} cost ~150 bytes and an allocation or
// more a meeting (3.6 M items in a term of 1.2 M meetings); this is one small
// string, often within std::string's own 15 bytes.
struct ActionItems {
  struct Item {
    std::string_view text;
    bool completed = false;
    bool operator==(const Item&) const = default;
  };
  std::string packed;

  // The items in order.
  std::vector<Item> List() const;
  // Item `index`, or nullopt past the end (or for a negative index).
  std::optional<Item> At(std::int64_t index) const;
  // Marks item `index` completed; nothing past the end.
  void Complete(std::int64_t index);
  // A new observation's items replace these; an item keeps its completion where
  // the item at its index is unchanged (an amendment).
  void Replace(const std::vector<std::string>& texts);
  // Whether `packed` is a well-formed sequence of items (a decoder's check).
  bool WellFormed() const;
  bool operator==(const ActionItems&) const = default;
};

// Ids are interned (events/symbol.h): 8 bytes each, the text shared with every
// projection that interns the same id (1.2 M meetings in a term).
struct MeetingState {
  events::Symbol mentor_id;
  std::vector<events::Symbol> student_ids;
  MeetingStatus status = MeetingStatus::kProposed;
  Side proposed_by = Side::kMentor;       // the side the meeting now awaits is the other one
  std::optional<bool> mentor_validation;  // occurred?, once validated by the mentor
  events::TimeMs start = 0;
  events::TimeMs end = 0;
  // Each student's validation, at the student's index in student_ids: 'y'
  // occurred, 'n' did not, ' ' none yet; empty until one validates. A character
  // a student (no allocation up to 15) where a vector of (id, occurred) pairs
  // was an allocation a meeting, 1.2 M of them in a term.
  std::string student_validations;
  // (No agenda: no rule reads it; the meetings view folds it from the stream.)
  std::int64_t observations = 0;  // ObservationRecorded so far (the last revision)
  ActionItems action_items;       // of the latest observation
  bool operator==(const MeetingState&) const = default;

  bool Live() const {
    return status == MeetingStatus::kProposed || status == MeetingStatus::kAccepted;
  }
  bool HasStudent(const std::string& student_id) const;
  // The student's validation (occurred?), if they gave one.
  std::optional<bool> StudentValidation(const std::string& student_id) const;
  // Records the validation of a student of the meeting (anyone else: nothing;
  // only a student of the meeting may validate as a mentee).
  void SetStudentValidation(const std::string& student_id, bool occurred);
};

// A course/date/period: recorded once.
struct ClassKey {
  std::string course_id;
  events::Days date = 0;
  std::int64_t period = 0;
  auto operator<=>(const ClassKey&) const = default;
  bool operator==(const ClassKey&) const = default;
};

// One class's statuses by student. A term holds tens of millions of these
// (100,000 students, 60 a class, 600,000 classes), so a student is its sheet
// number (WriteState::sheet_ids) and the sheet one packed string: its students
// in increasing number, each a varint of (number - previous number - 1) << 3 |
// status (the first's previous is -1). A class list numbered together, as
// class lists are, costs a byte a student: 62 bytes for 60, where a vector of
// 4-byte entries took 256 with its allocation (and a map node with the id's
// string ~80 bytes a student before that).
struct AttendanceSheet {
  struct Entry {
    std::uint32_t number = 0;
    AttendanceStatus status = AttendanceStatus::kPresent;
    bool operator==(const Entry&) const = default;
  };
  std::string packed;

  // The students on the sheet, in increasing number.
  std::vector<Entry> Entries() const;
  // The status of student `number` on this sheet, if it is on it.
  std::optional<AttendanceStatus> Find(std::uint32_t number) const;
  // Puts student `number` on the sheet with `status`, or changes its status.
  void Set(std::uint32_t number, AttendanceStatus status);
  // Set for each of `entries` in turn (a recorded sheet), packed once.
  void SetAll(std::vector<Entry> entries);
  // Whether `packed` is a well-formed sheet naming numbers below `numbers`
  // with known statuses (a decoder's check).
  bool WellFormed(std::size_t numbers) const;
  bool operator==(const AttendanceSheet&) const = default;
};

// Per student: classes held and their statuses, absences per date (so approved
// on-duty requests can count them), and the alert bookkeeping.
struct AttendanceTally {
  std::int64_t held = 0;
  std::int64_t present = 0;
  std::int64_t absent = 0;
  std::int64_t on_duty = 0;
  std::int64_t leave = 0;
  events::DateCounts absences_by_date;
  // The lowest alert level (60/50/40) raised since the percentage was last at or
  // above it; 0 when none. Set by AttendanceAlertRaised, re-armed by Apply when
  // the percentage climbs back.
  int alerted_level = 0;
  bool operator==(const AttendanceTally&) const = default;
};

struct LeaveState {
  std::string student_id;
  LeaveKind kind = LeaveKind::kLeave;
  events::Days from_date = 0;
  events::Days to_date = 0;
  LeaveStatus status = LeaveStatus::kPending;
  bool operator==(const LeaveState&) const = default;
};

// A student's pending and approved leave requests, keyed by from_date; they never
// overlap, so the overlap check is O(log n).
struct LeaveSpan {
  events::Days to_date = 0;
  std::string leave_id;
  bool operator==(const LeaveSpan&) const = default;
};
using LeaveCalendar = std::multimap<events::Days, LeaveSpan>;

struct ChangeRequestState {
  std::string student_id;
  std::optional<std::string> preferred_mentor_id;
  bool decided = false;
  bool operator==(const ChangeRequestState&) const = default;
};

struct AlertState {
  std::string student_id;
  int level = 0;
  bool acknowledged = false;
  bool operator==(const AlertState&) const = default;
};

// A counselling session (DOMAIN.md 5): whose it is, when, with whom.
struct CounsellingState {
  std::string mentor_id;
  events::TimeMs at = 0;
  std::vector<std::string> student_ids;
  std::int64_t outcomes = 0;  // CounsellingOutcomeRecorded so far (revisions)
  bool operator==(const CounsellingState&) const = default;
};

// A mentee's request for counselling; answered by a CreateCounselling naming it.
struct CounsellingRequestState {
  std::string student_id;
  std::optional<std::string> answered_by;  // counselling_id
  bool operator==(const CounsellingRequestState&) const = default;
};

// One student's place in a programme: their milestones (the programme's, or the
// mentor's customisation), those completed, and the stakeholders they nominated.
struct ProgramEnrolment {
  std::vector<std::string> milestones;  // milestone ids, in order
  std::set<std::string> completed;
  std::set<std::string> stakeholders;  // nominated emails, lowercased
  bool operator==(const ProgramEnrolment&) const = default;
};

struct ProgramState {
  bool mentor_can_customise = false;
  std::vector<std::string> milestones;               // the programme's own milestone ids, in order
  std::map<std::string, ProgramEnrolment> enrolled;  // student_id -> enrolment
  bool operator==(const ProgramState&) const = default;
};

// A booked slot: the session number and who it belongs to (a team or a student).
struct SlotBooking {
  std::int64_t session_number = 0;
  std::string team_or_student;
  bool operator==(const SlotBooking&) const = default;
};

struct SlotState {
  events::TimeMs end = 0;
  std::optional<SlotBooking> booking;
  bool operator==(const SlotState&) const = default;
};

// A timetable (DOMAIN.md 7): regular, or custom and owned by one mentor.
struct TimetableState {
  TimetableKind kind = TimetableKind::kRegular;
  std::string mentor_id;                      // required for custom; may be "" for regular
  std::map<events::TimeMs, SlotState> slots;  // by start; slots never overlap
  bool operator==(const TimetableState&) const = default;
};

// A mentee's request for a 1:1 session (DOMAIN.md 7), open until assigned.
struct MentorshipRequestState {
  std::string student_id;  // who asked
  std::string team_or_student;
  std::string topic;
  bool assigned = false;
  bool operator==(const MentorshipRequestState&) const = default;
};

// The write side's in-memory state: exactly what Decide needs to check every rule
// of DOMAIN.md 1-7, folded from committed events by Apply. Plain data, no
// invariants beyond what Apply maintains; not thread-safe (one decider thread).
struct WriteState {
  std::unordered_map<std::string, MentorState> mentors;
  std::unordered_map<std::string, StudentState> students;
  std::unordered_map<std::string, std::string> roll_numbers;  // roll_number -> student_id
  std::unordered_map<events::Symbol, MeetingState> meetings;
  std::map<ClassKey, AttendanceSheet> attendance;
  // The students attendance sheets name, by number: sheet_ids[n] is student n's
  // id and sheet_numbers its inverse. Both only grow.
  std::vector<std::string> sheet_ids;
  std::unordered_map<std::string, std::uint32_t> sheet_numbers;
  std::unordered_map<std::string, AttendanceTally> tallies;  // student_id -> tally
  std::unordered_map<std::string, LeaveState> leaves;
  std::unordered_map<std::string, LeaveCalendar> leave_calendars;  // student_id -> open leave
  std::unordered_map<std::string, ChangeRequestState> change_requests;
  std::unordered_map<std::string, AlertState> alerts;
  std::int64_t alerts_raised = 0;  // numbers alert ids: "alert-<n>"
  std::unordered_map<std::string, CounsellingState> counsellings;
  std::unordered_map<std::string, CounsellingRequestState> counselling_requests;
  std::unordered_map<std::string, ProgramState> programs;
  std::unordered_map<std::string, TimetableState> timetables;
  // Session numbers of booked slots -> timetable_id; a release frees the number.
  std::map<std::int64_t, std::string> session_numbers;
  std::unordered_map<std::string, MentorshipRequestState> mentorship_requests;
  // (actor id, program_id or "") of every SatisfactionSubmitted: a later one replaces.
  std::set<std::pair<std::string, std::string>> satisfaction;

  bool operator==(const WriteState&) const = default;
};

// Evolve: folds one committed event into `state`, reading only its type, stream,
// data, actor and time. Events of types it does not know are ignored. Assumes the
// event was produced by Decide / AttendanceAlerts (the log is verified), so data
// has the documented shape; a missing member reads as empty rather than throwing.
void Apply(WriteState& state, const events::Envelope& event);

// The sheet number of `student_id`, if an attendance sheet ever named it.
std::optional<std::uint32_t> SheetNumber(const WriteState& state, const std::string& student_id);
// The status of `student_id` on `sheet`, if it is on it.
std::optional<AttendanceStatus> StatusOn(const WriteState& state, const AttendanceSheet& sheet,
                                         const std::string& student_id);

// Whether [start, end) overlaps a booking in `calendar` other than `except_meeting`.
// O(log n): bookings in one calendar do not overlap each other.
bool Overlaps(const Calendar& calendar, events::TimeMs start, events::TimeMs end,
              const std::string& except_meeting);

// Whether [from, to] (inclusive dates) overlaps a span of `calendar`. O(log n).
bool Overlaps(const LeaveCalendar& calendar, events::Days from, events::Days to);

// A student's attendance as DOMAIN.md 3 counts it.
struct AttendanceSummary {
  std::int64_t held = 0;
  // present + on_duty + absences on dates covered by an approved on-duty request.
  std::int64_t attended = 0;
  // attended / held x 100, truncated to two decimals, in hundredths (0 when held == 0).
  std::int64_t hundredths = 0;
  // The lowest of 60/50/40 the percentage is strictly below, when at least 10
  // classes were held; otherwise 0.
  int band = 0;
};

// Summarises `student_id`'s attendance in `state` (zeros for an unknown student).
AttendanceSummary SummarizeAttendance(const WriteState& state, const std::string& student_id);

// The minimum number of classes held before alerts are raised.
inline constexpr std::int64_t kMinClassesForAlert = 10;

}  // namespace mentorlog::commands
