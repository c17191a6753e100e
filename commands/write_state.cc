#include "commands/write_state.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <string_view>
#include <utility>

#include "events/data_fields.h"

namespace mentorlog::commands {
namespace {

using Json = nlohmann::json;

// Tolerant readers: a missing or mistyped member reads as empty.
using events::field::Bool;
using events::field::Date;
using events::field::Int;
using events::field::OptStr;
using events::field::Str;
using events::field::Strings;
using events::field::Time;

std::string LowerAscii(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

template <class E>
E Enum(const Json& d, std::string_view key, E fallback) {
  return FromString<E>(Str(d, key)).value_or(fallback);
}

Side SideOf(const Json& d, std::string_view key) {
  return Str(d, key) == "mentee" ? Side::kMentee : Side::kMentor;
}

void Book(Calendar& calendar, const std::string& meeting_id, const MeetingState& m) {
  calendar.emplace(m.start, Booking{m.end, meeting_id});
}

void Unbook(Calendar& calendar, const std::string& meeting_id, events::TimeMs start) {
  auto [first, last] = calendar.equal_range(start);
  for (auto it = first; it != last; ++it) {
    if (it->second.meeting_id == meeting_id) {
      calendar.erase(it);
      return;
    }
  }
}

// Adds / removes a live meeting to / from the calendars of all its participants.
void BookAll(WriteState& s, const std::string& id, const MeetingState& m) {
  if (const auto mentor = s.mentors.find(m.mentor_id); mentor != s.mentors.end()) {
    Book(mentor->second.calendar, id, m);
  }
  for (const std::string& student_id : m.student_ids) {
    if (const auto student = s.students.find(student_id); student != s.students.end()) {
      Book(student->second.calendar, id, m);
    }
  }
}

void UnbookAll(WriteState& s, const std::string& id, const MeetingState& m) {
  if (const auto mentor = s.mentors.find(m.mentor_id); mentor != s.mentors.end()) {
    Unbook(mentor->second.calendar, id, m.start);
  }
  for (const std::string& student_id : m.student_ids) {
    if (const auto student = s.students.find(student_id); student != s.students.end()) {
      Unbook(student->second.calendar, id, m.start);
    }
  }
}

// Moves a meeting to `status`, keeping the calendars to live meetings only.
void SetStatus(WriteState& s, const std::string& id, MeetingStatus status) {
  const auto it = events::FindByText(s.meetings, id);
  if (it == s.meetings.end()) return;
  MeetingState& m = it->second;
  const bool was_live = m.Live();
  m.status = status;
  if (was_live && !m.Live()) UnbookAll(s, id, m);
  if (!was_live && m.Live()) BookAll(s, id, m);
}

void CountStatus(AttendanceTally& t, AttendanceStatus status, events::Days date, int delta) {
  switch (status) {
    case AttendanceStatus::kPresent:
      t.present += delta;
      break;
    case AttendanceStatus::kAbsent:
      t.absent += delta;
      events::AddCount(t.absences_by_date, date, delta);
      break;
    case AttendanceStatus::kOnDuty:
      t.on_duty += delta;
      break;
    case AttendanceStatus::kLeave:
      t.leave += delta;
      break;
  }
}

// Re-arms the alert bookkeeping after `student`'s percentage may have risen: a
// level is re-armed once the percentage is at or above it again.
void Rearm(WriteState& s, const std::string& student) {
  const auto it = s.tallies.find(student);
  if (it == s.tallies.end() || it->second.alerted_level == 0) return;
  const int band = SummarizeAttendance(s, student).band;
  if (band == 0 || band > it->second.alerted_level) it->second.alerted_level = band;
}

void LeaveSpanErase(WriteState& s, const std::string& leave_id, const LeaveState& l) {
  const auto cal = s.leave_calendars.find(l.student_id);
  if (cal == s.leave_calendars.end()) return;
  auto [first, last] = cal->second.equal_range(l.from_date);
  for (auto it = first; it != last; ++it) {
    if (it->second.leave_id == leave_id) {
      cal->second.erase(it);
      break;
    }
  }
  if (cal->second.empty()) s.leave_calendars.erase(cal);
}

// --- One handler per event type ------------------------------------------------------

using Handler = void (*)(WriteState&, const events::Envelope&);

void OnMentorRegistered(WriteState& s, const events::Envelope& e) {
  s.mentors[Str(e.data, "mentor_id")].max_mentees = Int(e.data, "max_mentees", 20);
}

void OnStudentEnrolled(WriteState& s, const events::Envelope& e) {
  const std::string id = Str(e.data, "student_id");
  StudentState& student = s.students[id];
  student.roll_number = Str(e.data, "roll_number");
  nlohmann::json profile = e.data;
  profile.erase("student_id");
  profile.erase("roll_number");
  student.profile = profile.dump();
  s.roll_numbers[student.roll_number] = id;
}

void OnStudentProfileUpdated(WriteState& s, const events::Envelope& e) {
  const std::string id = Str(e.data, "student_id");
  const auto it = s.students.find(id);
  const auto changes = e.data.find("changes");
  if (it == s.students.end() || changes == e.data.end() || !changes->is_object()) return;
  nlohmann::json profile = nlohmann::json::parse(it->second.profile);
  for (const auto& [key, value] : changes->items()) {
    if (key == "roll_number") {
      s.roll_numbers.erase(it->second.roll_number);
      it->second.roll_number = value.get<std::string>();
      s.roll_numbers[it->second.roll_number] = id;
    } else {
      profile[key] = value;
    }
  }
  it->second.profile = profile.dump();
}

void OnMentorAssigned(WriteState& s, const events::Envelope& e) {
  const std::string student_id = Str(e.data, "student_id");
  const std::string mentor_id = Str(e.data, "mentor_id");
  StudentState& student = s.students[student_id];
  if (student.mentor_id) {
    const auto old = s.mentors.find(*student.mentor_id);
    if (old != s.mentors.end()) old->second.mentees.erase(student_id);
  }
  student.mentor_id = mentor_id;
  s.mentors[mentor_id].mentees.insert(student_id);
}

void OnMentorChangeRequested(WriteState& s, const events::Envelope& e) {
  const std::string request_id = Str(e.data, "request_id");
  const std::string student_id = Str(e.data, "student_id");
  s.change_requests[request_id] = {student_id, OptStr(e.data, "preferred_mentor_id"), false};
  s.students[student_id].open_change_request = request_id;
}

void OnMentorChangeDecided(WriteState& s, const events::Envelope& e) {
  const auto it = s.change_requests.find(Str(e.data, "request_id"));
  if (it == s.change_requests.end()) return;
  it->second.decided = true;
  const auto student = s.students.find(it->second.student_id);
  if (student != s.students.end() && student->second.open_change_request == it->first) {
    student->second.open_change_request.reset();
  }
}

void OnMeetingScheduled(WriteState& s, const events::Envelope& e) {
  const std::string id = Str(e.data, "meeting_id");
  MeetingState m;
  m.mentor_id = events::Symbol(Str(e.data, "mentor_id"));
  for (const std::string& student : Strings(e.data, "student_ids")) {
    m.student_ids.emplace_back(student);
  }
  m.status =
      Str(e.data, "status") == "accepted" ? MeetingStatus::kAccepted : MeetingStatus::kProposed;
  m.proposed_by = SideOf(e.data, "proposed_by");
  m.start = Time(e.data, "start");
  m.end = Time(e.data, "end");
  BookAll(s, id, m);
  s.meetings[events::Symbol(id)] = std::move(m);
}

void OnMeetingAccepted(WriteState& s, const events::Envelope& e) {
  SetStatus(s, Str(e.data, "meeting_id"), MeetingStatus::kAccepted);
}

void OnMeetingRescheduled(WriteState& s, const events::Envelope& e) {
  const std::string id = Str(e.data, "meeting_id");
  const auto it = events::FindByText(s.meetings, id);
  if (it == s.meetings.end()) return;
  MeetingState& m = it->second;
  if (m.Live()) UnbookAll(s, id, m);
  m.start = Time(e.data, "start");
  m.end = Time(e.data, "end");
  m.status = MeetingStatus::kProposed;
  m.proposed_by = SideOf(e.data, "proposed_by");
  BookAll(s, id, m);
}

void OnMeetingDeclined(WriteState& s, const events::Envelope& e) {
  SetStatus(s, Str(e.data, "meeting_id"), MeetingStatus::kDeclined);
}

void OnMeetingCancelled(WriteState& s, const events::Envelope& e) {
  SetStatus(s, Str(e.data, "meeting_id"), MeetingStatus::kCancelled);
}

void OnMeetingConfirmed(WriteState& s, const events::Envelope& e) {
  SetStatus(s, Str(e.data, "meeting_id"), MeetingStatus::kHeld);
}

void OnMeetingDisputed(WriteState& s, const events::Envelope& e) {
  SetStatus(s, Str(e.data, "meeting_id"), MeetingStatus::kDisputed);
}

void OnObservationRecorded(WriteState& s, const events::Envelope& e) {
  const auto it = events::FindByText(s.meetings, Str(e.data, "meeting_id"));
  if (it == s.meetings.end()) return;
  MeetingState& m = it->second;
  ++m.observations;
  m.action_items.Replace(Strings(e.data, "next_action_items"));
}

void OnMeetingValidated(WriteState& s, const events::Envelope& e) {
  const auto it = events::FindByText(s.meetings, Str(e.data, "meeting_id"));
  if (it == s.meetings.end()) return;
  const bool occurred = Bool(e.data, "occurred");
  if (Str(e.data, "role") == "mentor") {
    it->second.mentor_validation = occurred;
  } else {
    it->second.SetStudentValidation(Str(e.data, "participant_id"), occurred);
  }
}

void OnActionItemCompleted(WriteState& s, const events::Envelope& e) {
  const auto it = events::FindByText(s.meetings, Str(e.data, "meeting_id"));
  if (it == s.meetings.end()) return;
  it->second.action_items.Complete(Int(e.data, "item", -1));
}

// The sheet number of `student`, numbering it if no sheet named it before.
std::uint32_t NumberSheetStudent(WriteState& s, const std::string& student) {
  const auto [it, added] =
      s.sheet_numbers.try_emplace(student, static_cast<std::uint32_t>(s.sheet_ids.size()));
  if (added) s.sheet_ids.push_back(student);
  return it->second;
}

void OnAttendanceRecorded(WriteState& s, const events::Envelope& e) {
  const ClassKey key{Str(e.data, "course_id"), Date(e.data, "date"), Int(e.data, "period")};
  AttendanceSheet& sheet = s.attendance[key];
  const auto entries = e.data.find("entries");
  if (entries == e.data.end() || !entries->is_array()) return;
  std::vector<AttendanceSheet::Entry> marked;
  marked.reserve(entries->size());
  for (const Json& entry : *entries) {
    const std::string student = Str(entry, "student_id");
    const auto status = Enum(entry, "status", AttendanceStatus::kPresent);
    marked.push_back({NumberSheetStudent(s, student), status});
    AttendanceTally& tally = s.tallies[student];
    ++tally.held;
    CountStatus(tally, status, key.date, +1);
    Rearm(s, student);
  }
  sheet.SetAll(std::move(marked));
}

void OnAttendanceCorrected(WriteState& s, const events::Envelope& e) {
  const ClassKey key{Str(e.data, "course_id"), Date(e.data, "date"), Int(e.data, "period")};
  const std::string student = Str(e.data, "student_id");
  const auto sheet = s.attendance.find(key);
  const auto number = SheetNumber(s, student);
  if (sheet == s.attendance.end() || !number) return;
  const auto previous = sheet->second.Find(*number);
  if (!previous) return;
  AttendanceTally& tally = s.tallies[student];
  CountStatus(tally, *previous, key.date, -1);
  const auto status = Enum(e.data, "status", *previous);
  sheet->second.Set(*number, status);
  CountStatus(tally, status, key.date, +1);
  Rearm(s, student);
}

void OnAttendanceAlertRaised(WriteState& s, const events::Envelope& e) {
  const std::string student = Str(e.data, "student_id");
  const int level = static_cast<int>(Int(e.data, "level"));
  s.alerts[Str(e.data, "alert_id")] = {student, level, false};
  s.tallies[student].alerted_level = level;
  ++s.alerts_raised;
}

void OnAlertAcknowledged(WriteState& s, const events::Envelope& e) {
  const auto it = s.alerts.find(Str(e.data, "alert_id"));
  if (it != s.alerts.end()) it->second.acknowledged = true;
}

void OnLeaveRequested(WriteState& s, const events::Envelope& e) {
  const std::string id = Str(e.data, "leave_id");
  LeaveState l{Str(e.data, "student_id"), Enum(e.data, "kind", LeaveKind::kLeave),
               Date(e.data, "from_date"), Date(e.data, "to_date"), LeaveStatus::kPending};
  s.leave_calendars[l.student_id].emplace(l.from_date, LeaveSpan{l.to_date, id});
  s.leaves[id] = std::move(l);
}

void OnLeaveApproved(WriteState& s, const events::Envelope& e) {
  const auto it = s.leaves.find(Str(e.data, "leave_id"));
  if (it == s.leaves.end()) return;
  it->second.status = LeaveStatus::kApproved;
  if (it->second.kind == LeaveKind::kOnDuty) Rearm(s, it->second.student_id);
}

void OnLeaveClosed(WriteState& s, const events::Envelope& e, LeaveStatus status) {
  const auto it = s.leaves.find(Str(e.data, "leave_id"));
  if (it == s.leaves.end()) return;
  it->second.status = status;
  LeaveSpanErase(s, it->first, it->second);
}

void OnLeaveRejected(WriteState& s, const events::Envelope& e) {
  OnLeaveClosed(s, e, LeaveStatus::kRejected);
}

void OnLeaveCancelled(WriteState& s, const events::Envelope& e) {
  OnLeaveClosed(s, e, LeaveStatus::kCancelled);
}

// --- DOMAIN.md 5-7 -------------------------------------------------------------------

std::vector<std::string> MilestoneIds(const Json& d) {
  std::vector<std::string> out;
  const auto it = d.find("milestones");
  if (it == d.end() || !it->is_array()) return out;
  for (const Json& m : *it) out.push_back(Str(m, "milestone_id"));
  return out;
}

void OnCounsellingCreated(WriteState& s, const events::Envelope& e) {
  const std::string id = Str(e.data, "counselling_id");
  s.counsellings[id] = {Str(e.data, "mentor_id"), Time(e.data, "at"),
                        Strings(e.data, "student_ids"), 0};
  if (const auto request = OptStr(e.data, "request_id")) {
    const auto it = s.counselling_requests.find(*request);
    if (it != s.counselling_requests.end()) it->second.answered_by = id;
  }
}

void OnCounsellingOutcomeRecorded(WriteState& s, const events::Envelope& e) {
  const auto it = s.counsellings.find(Str(e.data, "counselling_id"));
  if (it != s.counsellings.end()) ++it->second.outcomes;
}

void OnCounsellingRequested(WriteState& s, const events::Envelope& e) {
  s.counselling_requests[Str(e.data, "request_id")] = {Str(e.data, "student_id"), std::nullopt};
}

void OnProgramCreated(WriteState& s, const events::Envelope& e) {
  ProgramState& p = s.programs[Str(e.data, "program_id")];
  p.mentor_can_customise = Bool(e.data, "mentor_can_customise");
  p.milestones = MilestoneIds(e.data);
}

void OnProgramEnrolled(WriteState& s, const events::Envelope& e) {
  const auto it = s.programs.find(Str(e.data, "program_id"));
  if (it == s.programs.end()) return;
  it->second.enrolled[Str(e.data, "student_id")].milestones = it->second.milestones;
}

ProgramEnrolment* FindEnrolment(WriteState& s, const Json& d) {
  const auto it = s.programs.find(Str(d, "program_id"));
  if (it == s.programs.end()) return nullptr;
  const auto en = it->second.enrolled.find(Str(d, "student_id"));
  return en == it->second.enrolled.end() ? nullptr : &en->second;
}

void OnMilestonesCustomised(WriteState& s, const events::Envelope& e) {
  if (ProgramEnrolment* en = FindEnrolment(s, e.data)) en->milestones = MilestoneIds(e.data);
}

void OnMilestoneCompleted(WriteState& s, const events::Envelope& e) {
  if (ProgramEnrolment* en = FindEnrolment(s, e.data)) {
    en->completed.insert(Str(e.data, "milestone_id"));
  }
}

void OnStakeholderNominated(WriteState& s, const events::Envelope& e) {
  if (ProgramEnrolment* en = FindEnrolment(s, e.data)) {
    en->stakeholders.insert(LowerAscii(Str(e.data, "email")));
  }
}

void OnTimetableDefined(WriteState& s, const events::Envelope& e) {
  TimetableState& t = s.timetables[Str(e.data, "timetable_id")];
  t.kind = Enum(e.data, "kind", TimetableKind::kRegular);
  t.mentor_id = Str(e.data, "mentor_id");
  // A redefinition keeps every booked slot (Decide refuses one that drops a booking).
  std::map<events::TimeMs, SlotState> slots;
  const auto it = e.data.find("slots");
  if (it != e.data.end() && it->is_array()) {
    for (const Json& slot : *it) {
      const events::TimeMs start = Time(slot, "start");
      SlotState next{Time(slot, "end"), std::nullopt};
      if (const auto old = t.slots.find(start); old != t.slots.end()) {
        next.booking = old->second.booking;
      }
      slots[start] = std::move(next);
    }
  }
  t.slots = std::move(slots);
}

SlotState* FindSlot(WriteState& s, const Json& d) {
  const auto t = s.timetables.find(Str(d, "timetable_id"));
  if (t == s.timetables.end()) return nullptr;
  const auto slot = t->second.slots.find(Time(d, "slot_start"));
  return slot == t->second.slots.end() ? nullptr : &slot->second;
}

void OnSlotBooked(WriteState& s, const events::Envelope& e) {
  SlotState* slot = FindSlot(s, e.data);
  if (slot == nullptr) return;
  const std::int64_t number = Int(e.data, "session_number");
  slot->booking = SlotBooking{number, Str(e.data, "team_or_student")};
  s.session_numbers[number] = Str(e.data, "timetable_id");
}

void OnSatisfactionSubmitted(WriteState& s, const events::Envelope& e) {
  s.satisfaction.emplace(e.actor.id, Str(e.data, "program_id"));
}

void OnMentorshipRequested(WriteState& s, const events::Envelope& e) {
  s.mentorship_requests[Str(e.data, "request_id")] = {
      Str(e.data, "student_id"), Str(e.data, "team_or_student"), Str(e.data, "topic"), false};
}

void OnMentorshipRequestAssigned(WriteState& s, const events::Envelope& e) {
  const auto it = s.mentorship_requests.find(Str(e.data, "request_id"));
  if (it != s.mentorship_requests.end()) it->second.assigned = true;
}

void OnSlotReleased(WriteState& s, const events::Envelope& e) {
  SlotState* slot = FindSlot(s, e.data);
  if (slot == nullptr || !slot->booking) return;
  s.session_numbers.erase(slot->booking->session_number);
  slot->booking.reset();
}

struct TypeHandler {
  std::string_view type;
  Handler handler;
};

// Sorted by type for binary search.
constexpr TypeHandler kHandlers[] = {
    {"ActionItemCompleted", OnActionItemCompleted},
    {"AlertAcknowledged", OnAlertAcknowledged},
    {"AttendanceAlertRaised", OnAttendanceAlertRaised},
    {"AttendanceCorrected", OnAttendanceCorrected},
    {"AttendanceRecorded", OnAttendanceRecorded},
    {"CounsellingCreated", OnCounsellingCreated},
    {"CounsellingOutcomeRecorded", OnCounsellingOutcomeRecorded},
    {"CounsellingRequested", OnCounsellingRequested},
    {"LeaveApproved", OnLeaveApproved},
    {"LeaveCancelled", OnLeaveCancelled},
    {"LeaveRejected", OnLeaveRejected},
    {"LeaveRequested", OnLeaveRequested},
    {"MeetingAccepted", OnMeetingAccepted},
    {"MeetingCancelled", OnMeetingCancelled},
    {"MeetingConfirmed", OnMeetingConfirmed},
    {"MeetingDeclined", OnMeetingDeclined},
    {"MeetingDisputed", OnMeetingDisputed},
    {"MeetingRescheduled", OnMeetingRescheduled},
    {"MeetingScheduled", OnMeetingScheduled},
    {"MeetingValidated", OnMeetingValidated},
    {"MentorAssigned", OnMentorAssigned},
    {"MentorChangeApproved", OnMentorChangeDecided},
    {"MentorChangeRejected", OnMentorChangeDecided},
    {"MentorChangeRequested", OnMentorChangeRequested},
    {"MentorRegistered", OnMentorRegistered},
    {"MentorshipRequestAssigned", OnMentorshipRequestAssigned},
    {"MentorshipRequested", OnMentorshipRequested},
    {"MilestoneCompleted", OnMilestoneCompleted},
    {"MilestonesCustomised", OnMilestonesCustomised},
    {"ObservationRecorded", OnObservationRecorded},
    {"ProgramCreated", OnProgramCreated},
    {"ProgramEnrolled", OnProgramEnrolled},
    {"SatisfactionSubmitted", OnSatisfactionSubmitted},
    {"SlotBooked", OnSlotBooked},
    {"SlotReleased", OnSlotReleased},
    {"StakeholderNominated", OnStakeholderNominated},
    {"StudentEnrolled", OnStudentEnrolled},
    {"StudentProfileUpdated", OnStudentProfileUpdated},
    {"TimetableDefined", OnTimetableDefined},
};

static_assert(std::ranges::is_sorted(kHandlers, {}, &TypeHandler::type));

// The absences on dates covered by an approved on-duty span of `calendar`. Spans
// never overlap, so at most one covers a date: leapfrog the two sorted sequences,
// O((absence dates + spans touched) x log n) rather than a walk of every leave
// the student ever had open (which grew with each request).
std::int64_t CoveredAbsences(const WriteState& state, const LeaveCalendar& calendar,
                             const events::DateCounts& absences) {
  std::int64_t covered = 0;
  auto d = absences.begin();
  while (d != absences.end()) {
    const auto next = calendar.upper_bound(d->date);  // first span starting after d
    if (next != calendar.begin()) {
      const LeaveSpan& span = std::prev(next)->second;
      if (span.to_date >= d->date) {
        const auto leave = state.leaves.find(span.leave_id);
        const bool on_duty = leave != state.leaves.end() &&
                             leave->second.status == LeaveStatus::kApproved &&
                             leave->second.kind == LeaveKind::kOnDuty;
        const auto past_span = events::CountsFrom(absences, span.to_date + 1);
        for (; d != past_span; ++d) covered += on_duty ? d->count : 0;
        continue;
      }
    }
    if (next == calendar.end()) break;
    d = events::CountsFrom(absences, next->first);
  }
  return covered;
}

}  // namespace

namespace {

// The index of `student_id` in the meeting's students, or their count.
std::size_t StudentIndex(const MeetingState& m, const std::string& student_id) {
  const std::optional<events::Symbol> student = events::Symbol::Find(student_id);
  if (!student) return m.student_ids.size();  // never interned: in no meeting
  return static_cast<std::size_t>(std::ranges::find(m.student_ids, *student) -
                                  m.student_ids.begin());
}

}  // namespace

bool MeetingState::HasStudent(const std::string& student_id) const {
  return StudentIndex(*this, student_id) < student_ids.size();
}

std::optional<bool> MeetingState::StudentValidation(const std::string& student_id) const {
  const std::size_t i = StudentIndex(*this, student_id);
  if (i >= student_validations.size() || student_validations[i] == ' ') return std::nullopt;
  return student_validations[i] == 'y';
}

void MeetingState::SetStudentValidation(const std::string& student_id, bool occurred) {
  const std::size_t i = StudentIndex(*this, student_id);
  if (i == student_ids.size()) return;
  student_validations.resize(student_ids.size(), ' ');
  student_validations[i] = occurred ? 'y' : 'n';
}

namespace {

// The varints of the packed forms below (ActionItems, AttendanceSheet): 7 bits
// a byte, low first. False, with `in` unchanged, when `in` does not start with
// one of at most 5 bytes (every value packed here fits 35 bits).
bool ReadVarint(std::string_view& in, std::uint64_t& value) {
  value = 0;
  for (std::size_t at = 0; at < in.size() && at < 5; ++at) {
    const auto byte = static_cast<unsigned char>(in[at]);
    value |= static_cast<std::uint64_t>(byte & 0x7f) << (7 * at);
    if ((byte & 0x80) == 0) {
      in.remove_prefix(at + 1);
      return true;
    }
  }
  return false;
}

void AppendVarint(std::string& out, std::uint64_t value) {
  for (; value >= 0x80; value >>= 7) out.push_back(static_cast<char>((value & 0x7f) | 0x80));
  out.push_back(static_cast<char>(value));
}

// Reads ActionItems::packed one item at a time; false at the end or on a
// malformed item (`ok` tells them apart).
class ItemReader {
 public:
  explicit ItemReader(std::string_view packed) : packed_(packed), rest_(packed) {}
  bool Next(ActionItems::Item& item) {
    if (rest_.empty()) return false;
    item_offset_ = packed_.size() - rest_.size();
    const char flag = rest_[0];
    std::string_view after_flag = rest_.substr(1);
    std::uint64_t length = 0;
    if ((flag != 0 && flag != 1) || !ReadVarint(after_flag, length) || length > after_flag.size()) {
      ok_ = false;
      return false;
    }
    item = {after_flag.substr(0, length), flag == 1};
    rest_ = after_flag.substr(length);
    return true;
  }
  bool ok() const { return ok_; }
  // Where the last item read starts in `packed` (its flag byte).
  std::size_t item_offset() const { return item_offset_; }

 private:
  std::string_view packed_;
  std::string_view rest_;
  std::size_t item_offset_ = 0;
  bool ok_ = true;
};

void AppendItem(std::string& packed, std::string_view text, bool completed) {
  packed.push_back(completed ? 1 : 0);
  AppendVarint(packed, text.size());
  packed.append(text);
}

// Reads AttendanceSheet::packed one entry at a time; false at the end or on a
// malformed entry (`ok` tells them apart).
class SheetReader {
 public:
  explicit SheetReader(std::string_view packed) : rest_(packed) {}
  bool Next(AttendanceSheet::Entry& entry) {
    if (rest_.empty()) return false;
    std::uint64_t v = 0;
    if (!ReadVarint(rest_, v)) return Fail();
    const std::uint64_t number = static_cast<std::uint64_t>(previous_ + 1) + (v >> 3);
    if (number > UINT32_MAX || (v & 7) >= EnumNames<AttendanceStatus>::kNames.size()) return Fail();
    entry = {static_cast<std::uint32_t>(number), static_cast<AttendanceStatus>(v & 7)};
    previous_ = static_cast<std::int64_t>(number);
    return true;
  }
  bool ok() const { return ok_; }

 private:
  bool Fail() {
    ok_ = false;
    return false;
  }
  std::string_view rest_;
  std::int64_t previous_ = -1;
  bool ok_ = true;
};

}  // namespace

std::vector<ActionItems::Item> ActionItems::List() const {
  std::vector<Item> items;
  ItemReader reader(packed);
  Item item;
  while (reader.Next(item)) items.push_back(item);
  return items;
}

std::optional<ActionItems::Item> ActionItems::At(std::int64_t index) const {
  ItemReader reader(packed);
  Item item;
  for (std::int64_t i = 0; reader.Next(item); ++i) {
    if (i == index) return item;
  }
  return std::nullopt;
}

void ActionItems::Complete(std::int64_t index) {
  ItemReader reader(packed);
  Item item;
  for (std::int64_t i = 0; reader.Next(item); ++i) {
    if (i == index) {
      packed[reader.item_offset()] = 1;
      return;
    }
  }
}

void ActionItems::Replace(const std::vector<std::string>& texts) {
  const std::vector<Item> old = List();
  std::string next;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    AppendItem(next, texts[i], i < old.size() && old[i].text == texts[i] && old[i].completed);
  }
  packed = std::move(next);
}

bool ActionItems::WellFormed() const {
  ItemReader reader(packed);
  Item item;
  while (reader.Next(item)) {
  }
  return reader.ok();
}

void Apply(WriteState& state, const events::Envelope& event) {
  if (!event.data.is_object()) return;
  const auto it =
      std::ranges::lower_bound(kHandlers, std::string_view(event.type), {}, &TypeHandler::type);
  if (it != std::end(kHandlers) && it->type == event.type) it->handler(state, event);
}

std::vector<AttendanceSheet::Entry> AttendanceSheet::Entries() const {
  std::vector<Entry> entries;
  SheetReader reader(packed);
  Entry entry;
  while (reader.Next(entry)) entries.push_back(entry);
  return entries;
}

std::optional<AttendanceStatus> AttendanceSheet::Find(std::uint32_t number) const {
  SheetReader reader(packed);
  Entry entry;
  while (reader.Next(entry) && entry.number <= number) {
    if (entry.number == number) return entry.status;
  }
  return std::nullopt;
}

void AttendanceSheet::Set(std::uint32_t number, AttendanceStatus status) {
  SetAll({{number, status}});
}

void AttendanceSheet::SetAll(std::vector<Entry> entries) {
  std::vector<Entry> all = Entries();
  all.insert(all.end(), entries.begin(), entries.end());
  // Stable: of one number's entries the last set stays last, and wins.
  std::ranges::stable_sort(all, {}, &Entry::number);
  std::string next;
  next.reserve(all.size());
  std::int64_t previous = -1;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (i + 1 < all.size() && all[i + 1].number == all[i].number) continue;
    const std::uint64_t gap = static_cast<std::uint64_t>(all[i].number - previous - 1);
    AppendVarint(next, gap << 3 | static_cast<std::uint64_t>(all[i].status));
    previous = all[i].number;
  }
  packed = std::move(next);
}

bool AttendanceSheet::WellFormed(std::size_t numbers) const {
  SheetReader reader(packed);
  Entry entry;
  while (reader.Next(entry)) {
    if (entry.number >= numbers) return false;
  }
  return reader.ok();
}

std::optional<std::uint32_t> SheetNumber(const WriteState& state, const std::string& student_id) {
  const auto it = state.sheet_numbers.find(student_id);
  if (it == state.sheet_numbers.end()) return std::nullopt;
  return it->second;
}

std::optional<AttendanceStatus> StatusOn(const WriteState& state, const AttendanceSheet& sheet,
                                         const std::string& student_id) {
  const auto number = SheetNumber(state, student_id);
  return number ? sheet.Find(*number) : std::nullopt;
}

bool Overlaps(const Calendar& calendar, events::TimeMs start, events::TimeMs end,
              const std::string& except_meeting) {
  // Bookings are disjoint, so sorted by start they are sorted by end too: walking
  // back from the last booking starting before `end`, the first one that is not
  // the excepted meeting decides.
  auto it = calendar.lower_bound(end);
  while (it != calendar.begin()) {
    --it;
    if (it->second.end <= start) return false;
    if (it->second.meeting_id != except_meeting) return true;
  }
  return false;
}

bool Overlaps(const LeaveCalendar& calendar, events::Days from, events::Days to) {
  auto it = calendar.upper_bound(to);
  if (it == calendar.begin()) return false;
  --it;
  return it->second.to_date >= from;
}

AttendanceSummary SummarizeAttendance(const WriteState& state, const std::string& student_id) {
  AttendanceSummary out;
  const auto tally = state.tallies.find(student_id);
  if (tally == state.tallies.end() || tally->second.held == 0) return out;
  const AttendanceTally& t = tally->second;
  out.held = t.held;
  out.attended = t.present + t.on_duty;
  if (t.absent > 0) {
    const auto cal = state.leave_calendars.find(student_id);
    if (cal != state.leave_calendars.end()) {
      out.attended += CoveredAbsences(state, cal->second, t.absences_by_date);
    }
  }
  out.hundredths = out.attended * 10'000 / out.held;
  if (out.held >= kMinClassesForAlert) {
    for (const int level : {40, 50, 60}) {
      if (out.attended * 100 < static_cast<std::int64_t>(level) * out.held) {
        out.band = level;
        break;
      }
    }
  }
  return out;
}

}  // namespace mentorlog::commands
