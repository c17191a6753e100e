#include "projections/ledgers.h"

#include <algorithm>
#include <span>

namespace mentorlog::projections::internal {

MENTORLOG_STATE(AttendanceLedger::Counts, held, present, absent, on_duty, leave, absences_by_date)
MENTORLOG_STATE(AttendanceLedger::Student, courses, on_duty, held, attended)
MENTORLOG_STATE(MeetingLedger::CompletedItem, index, text)
MENTORLOG_STATE(MeetingLedger::Meeting, mentor_id, student_ids, start, end, status,
                mentor_validated, items, completed)
MENTORLOG_STATE(MeetingLedger::FollowUp, date, meeting_id)
MENTORLOG_STATE(NameBook::Entry, name, roll_number)
MENTORLOG_STATE(ReviewLedger::Review, program_id, milestone_id, completed_at)
MENTORLOG_STATE(ReviewLedger::ProgramMeeting, program_id, student_ids)
MENTORLOG_STATE(CounsellingRequestLedger::Request, topic, requested_at)

namespace {
const std::set<Symbol> kNoStudents;
const MeetingIndex kNoMeetings;
const std::vector<ReviewLedger::Review> kNoReviews;
const std::map<std::string, CounsellingRequestLedger::Request> kNoRequests;
}  // namespace

// --- Roster ---------------------------------------------------------------------------

void Roster::Apply(const events::Envelope& e) {
  if (e.type != "MentorAssigned"sv) return;
  const Symbol student = Sym(e.Data(), "student_id");
  const Symbol mentor = Sym(e.Data(), "mentor_id");
  Symbol& current = mentor_of_[student];
  if (!current.empty()) {
    const auto old = mentees_of_.find(current);
    if (old != mentees_of_.end()) {
      old->second.erase(student);
      if (old->second.empty()) mentees_of_.erase(old);
    }
  }
  current = mentor;
  mentees_of_[mentor].insert(student);
}

Symbol Roster::MentorOf(Symbol student_id) const {
  const auto it = mentor_of_.find(student_id);
  return it == mentor_of_.end() ? Symbol() : it->second;
}

Symbol Roster::MentorOf(std::string_view student_id) const {
  const auto student = Symbol::Find(student_id);
  return student ? MentorOf(*student) : Symbol();
}

const std::set<Symbol>& Roster::MenteesOf(Symbol mentor_id) const {
  const auto it = mentees_of_.find(mentor_id);
  return it == mentees_of_.end() ? kNoStudents : it->second;
}

const std::set<Symbol>& Roster::MenteesOf(std::string_view mentor_id) const {
  const auto it = FindByText(mentees_of_, mentor_id);
  return it == mentees_of_.end() ? kNoStudents : it->second;
}

Json Roster::Save() const { return mentor_of_; }

void Roster::EncodeTo(Encoder& e) const { Encode(e, mentor_of_); }

bool Roster::DecodeFrom(Decoder& d) {
  if (!Decode(d, mentor_of_)) return false;
  Reindex();
  return true;
}

void Roster::Load(const Json& j) {
  mentor_of_ = j.get<std::unordered_map<Symbol, Symbol>>();
  Reindex();
}

void Roster::Reindex() {
  mentees_of_.clear();
  for (const auto& [student, mentor] : mentor_of_) mentees_of_[mentor].insert(student);
}

// --- AttendanceLedger -----------------------------------------------------------------

std::int64_t AttendanceLedger::Count(const Student& s, Counts& c, std::string_view status,
                                     events::Days date, int delta) {
  if (status == "present") {
    c.present += delta;
    return delta;
  }
  if (status == "absent") {
    c.absent += delta;
    events::AddCount(c.absences_by_date, date, delta);
    // As Summarize counts it: on duty once per approved range covering the date.
    std::int64_t covering = 0;
    for (const auto& [from, to] : s.on_duty) covering += from <= date && date <= to ? 1 : 0;
    return delta * covering;
  }
  if (status == "on_duty") {
    c.on_duty += delta;
    return delta;
  }
  if (status == "leave") c.leave += delta;
  return 0;
}

AttendanceLedger::Summary AttendanceLedger::Summarize(const Student& s, const Counts& c) const {
  Summary out{c.held, c.present, c.absent, c.on_duty, c.leave};
  if (c.absent == 0) return out;
  for (const auto& [from, to] : s.on_duty) {
    for (auto d = events::CountsFrom(c.absences_by_date, from);
         d != c.absences_by_date.end() && d->date <= to; ++d) {
      out.absent -= d->count;
      out.on_duty += d->count;
    }
  }
  return out;
}

AttendanceLedger::Summary AttendanceLedger::Summarize(const Student& s) const {
  Summary total;
  for (const auto& [course, counts] : s.courses) {
    const Summary one = Summarize(s, counts);
    total.held += one.held;
    total.present += one.present;
    total.absent += one.absent;
    total.on_duty += one.on_duty;
    total.leave += one.leave;
  }
  return total;
}

void AttendanceLedger::Refresh(Student& s) {
  const Summary sum = Summarize(s);
  s.held = sum.held;
  s.attended = sum.attended();
}

void AttendanceLedger::Apply(const events::Envelope& e) {
  if (e.type == "AttendanceRecorded"sv) {
    // The hot fold of a rebuild (a class section per event): the student's
    // cached totals are updated in place rather than summarised again.
    const Symbol course = Sym(e.Data(), "course_id");
    const events::Days date = Date(e.Data(), "date");
    events::field::ForEachObject(e.Data(), "entries", [&](events::DataView entry) {
      Student& s = students_[Sym(entry, "student_id")];
      Counts& c = s.courses[course];
      ++c.held;
      ++s.held;
      s.attended += Count(s, c, View(entry, "status"), date, +1);
    });
  } else if (e.type == "AttendanceCorrected"sv) {
    const auto it = FindById(students_, e.Data(), "student_id");
    if (it == students_.end()) return;
    const auto course = FindById(it->second.courses, e.Data(), "course_id");
    if (course == it->second.courses.end()) return;
    const events::Days date = Date(e.Data(), "date");
    Count(it->second, course->second, View(e.Data(), "previous_status"), date, -1);
    Count(it->second, course->second, View(e.Data(), "status"), date, +1);
    Refresh(it->second);
  } else if (e.type == "LeaveApproved"sv && View(e.Data(), "kind") == "on_duty") {
    Student& s = students_[Sym(e.Data(), "student_id")];
    s.on_duty.emplace_back(Date(e.Data(), "from_date"), Date(e.Data(), "to_date"));
    Refresh(s);
  }
}

const AttendanceLedger::Student* AttendanceLedger::Find(Symbol student_id) const {
  const auto it = students_.find(student_id);
  return it == students_.end() ? nullptr : &it->second;
}

const AttendanceLedger::Student* AttendanceLedger::Find(std::string_view student_id) const {
  const auto it = FindByText(students_, student_id);
  return it == students_.end() ? nullptr : &it->second;
}

Json AttendanceLedger::Save() const { return students_; }

void AttendanceLedger::Load(const Json& j) {
  students_ = j.get<std::unordered_map<Symbol, Student>>();
}

void AttendanceLedger::EncodeTo(Encoder& e) const { Encode(e, students_); }
bool AttendanceLedger::DecodeFrom(Decoder& d) { return Decode(d, students_); }

// --- MeetingLedger --------------------------------------------------------------------

std::optional<MeetingStatus> MeetingStatusNamed(std::string_view name) {
  const auto it = std::ranges::find(kMeetingStatusNames, name);
  if (it == kMeetingStatusNames.end()) return std::nullopt;
  return static_cast<MeetingStatus>(it - kMeetingStatusNames.begin());
}

void Insert(MeetingIndex& index, MeetingEntry entry) {
  index.insert(std::ranges::upper_bound(index, entry, ByStart{}), entry);
}

void Erase(MeetingIndex& index, MeetingEntry entry) {
  const auto at = std::ranges::lower_bound(index, entry, ByStart{});
  if (at != index.end() && at->id == entry.id) index.erase(at);
}

MeetingIndex::const_iterator StartingFrom(const MeetingIndex& index, events::TimeMs t) {
  return std::lower_bound(index.begin(), index.end(), t, ByStart{});
}

std::int64_t MeetingLedger::Meeting::OpenItems() const {
  return items - static_cast<std::int64_t>(completed.size());
}

namespace {

// Whom `m` is listed under in a ledger indexed `by`.
std::span<const Symbol> IndexKeys(MeetingLedger::IndexedBy by, const MeetingLedger::Meeting& m) {
  if (by == MeetingLedger::IndexedBy::kMentor) return {&m.mentor_id, 1};
  return m.student_ids;
}

}  // namespace

void MeetingLedger::Index(Symbol id, const Meeting& m, bool add) {
  const MeetingEntry entry{m.start, id};
  for (const Symbol who : IndexKeys(indexed_by_, m)) {
    if (add) {
      Insert(index_[who], entry);
    } else if (const auto it = index_.find(who); it != index_.end()) {
      Erase(it->second, entry);
      if (it->second.empty()) index_.erase(it);
    }
  }
}

void MeetingLedger::AddOpenItems(const Meeting& m, std::int64_t sign) {
  const std::int64_t open = m.OpenItems();
  if (open == 0) return;
  for (const Symbol s : m.student_ids) {
    if ((open_items_[s] += sign * open) == 0) open_items_.erase(s);
  }
}

void MeetingLedger::Apply(const events::Envelope& e) {
  // The type first: finding a member scans the data, and most events of a
  // term (attendance, with a class's entries) name no meeting.
  const std::string_view type = e.type;
  if (!type.starts_with("Meeting") && type != "ObservationRecorded"sv &&
      type != "ActionItemCompleted"sv) {
    return;
  }
  const Symbol id = Sym(e.Data(), "meeting_id");
  if (id.empty()) return;
  if (e.type == "MeetingScheduled"sv) {
    Meeting m;
    m.mentor_id = Sym(e.Data(), "mentor_id");
    m.student_ids = Syms(e.Data(), "student_ids");
    m.start = Time(e.Data(), "start");
    m.end = Time(e.Data(), "end");
    m.status = View(e.Data(), "status") == "accepted" ? MeetingStatus::kAccepted
                                                      : MeetingStatus::kProposed;
    // A meeting scheduled after an observation answers the student's follow-up.
    for (const Symbol s : m.student_ids) follow_ups_.erase(s);
    auto [it, added] = meetings_.try_emplace(id);
    if (!added) {
      Index(it->first, it->second, false);
      AddOpenItems(it->second, -1);
    }
    it->second = std::move(m);
    Index(it->first, it->second, true);
    return;
  }
  const auto it = meetings_.find(id);
  if (it == meetings_.end()) return;
  Meeting& m = it->second;
  if (e.type == "MeetingAccepted"sv) {
    m.status = MeetingStatus::kAccepted;
  } else if (e.type == "MeetingRescheduled"sv) {
    Index(it->first, m, false);
    m.start = Time(e.Data(), "start");
    m.end = Time(e.Data(), "end");
    m.status = MeetingStatus::kProposed;
    Index(it->first, m, true);
  } else if (e.type == "MeetingDeclined"sv) {
    m.status = MeetingStatus::kDeclined;
  } else if (e.type == "MeetingCancelled"sv) {
    m.status = MeetingStatus::kCancelled;
  } else if (e.type == "MeetingConfirmed"sv) {
    m.status = MeetingStatus::kHeld;
  } else if (e.type == "MeetingDisputed"sv) {
    m.status = MeetingStatus::kDisputed;
  } else if (e.type == "MeetingValidated"sv) {
    if (Str(e.Data(), "role") == "mentor") m.mentor_validated = true;
  } else if (e.type == "ObservationRecorded"sv) {
    if (items_ == Items::kTracked) {
      AddOpenItems(m, -1);
      // An amendment keeps an item's completion when the item at that index is
      // unchanged, as the write side does.
      const std::vector<std::string> items = Strings(e.Data(), "next_action_items");
      m.items = static_cast<std::int64_t>(items.size());
      std::erase_if(m.completed, [&](const CompletedItem& c) {
        return c.index >= m.items || items[static_cast<std::size_t>(c.index)] != c.text;
      });
      AddOpenItems(m, +1);
    }
    const events::Days follow_up = Date(e.Data(), "next_follow_up_date");
    if (follow_up != 0) {
      for (const Symbol s : m.student_ids) follow_ups_[s] = {follow_up, id};
    }
  } else if (e.type == "ActionItemCompleted"sv) {
    const std::int64_t item = Int(e.Data(), "item", -1);
    const auto at = std::ranges::lower_bound(m.completed, item, {}, &CompletedItem::index);
    if (item >= 0 && item < m.items && (at == m.completed.end() || at->index != item)) {
      AddOpenItems(m, -1);
      m.completed.insert(at, {item, Str(e.Data(), "text")});
      AddOpenItems(m, +1);
    }
  }
}

const MeetingLedger::Meeting* MeetingLedger::Find(Symbol id) const {
  const auto it = meetings_.find(id);
  return it == meetings_.end() ? nullptr : &it->second;
}

const MeetingIndex& MeetingLedger::MeetingsOf(Symbol id) const {
  const auto it = index_.find(id);
  return it == index_.end() ? kNoMeetings : it->second;
}

const MeetingLedger::FollowUp* MeetingLedger::FollowUpOf(Symbol student_id) const {
  const auto it = follow_ups_.find(student_id);
  return it == follow_ups_.end() ? nullptr : &it->second;
}

std::int64_t MeetingLedger::OpenItemsOf(Symbol student_id) const {
  const auto it = open_items_.find(student_id);
  return it == open_items_.end() ? 0 : it->second;
}

Json MeetingLedger::Save() const { return {{"meetings", meetings_}, {"follow_ups", follow_ups_}}; }

void MeetingLedger::Load(const Json& j) {
  meetings_ = j.at("meetings").get<std::unordered_map<Symbol, Meeting>>();
  follow_ups_ = j.at("follow_ups").get<std::unordered_map<Symbol, FollowUp>>();
  Reindex();
}

void MeetingLedger::EncodeTo(Encoder& e) const { EncodeAll(e, meetings_, follow_ups_); }

bool MeetingLedger::DecodeFrom(Decoder& d) {
  if (!DecodeAll(d, meetings_, follow_ups_)) return false;
  // Completed items name items the meeting has, each once, by index.
  for (const auto& [id, m] : meetings_) {
    if (m.items < 0) return false;
    std::int64_t next = 0;
    for (const CompletedItem& c : m.completed) {
      if (c.index < next || c.index >= m.items) return false;
      next = c.index + 1;
    }
  }
  Reindex();
  return true;
}

void MeetingLedger::Reindex() {
  open_items_.clear();
  index_.clear();
  for (const auto& [id, m] : meetings_) {
    const MeetingEntry entry{m.start, id};
    for (const Symbol who : IndexKeys(indexed_by_, m)) index_[who].push_back(entry);
    AddOpenItems(m, +1);
  }
  for (auto& [who, entries] : index_) std::ranges::sort(entries, ByStart{});
}

// --- LeaveLedger ----------------------------------------------------------------------

void LeaveLedger::Apply(const events::Envelope& e) {
  if (!std::string_view(e.type).starts_with("Leave")) return;  // before scanning the data
  const std::string id = Str(e.Data(), "leave_id");
  if (e.type == "LeaveRequested"sv) {
    const std::string student = Str(e.Data(), "student_id");
    pending_[id] = student;
    ++pending_count_[student];
  } else if (e.type == "LeaveApproved"sv || e.type == "LeaveRejected"sv ||
             e.type == "LeaveCancelled"sv) {
    const auto it = pending_.find(id);
    if (it == pending_.end()) return;
    if (--pending_count_[it->second] == 0) pending_count_.erase(it->second);
    pending_.erase(it);
  }
}

std::int64_t LeaveLedger::PendingOf(const std::string& student_id) const {
  const auto it = pending_count_.find(student_id);
  return it == pending_count_.end() ? 0 : it->second;
}

Json LeaveLedger::Save() const { return pending_; }

void LeaveLedger::Load(const Json& j) {
  pending_ = j.get<std::unordered_map<std::string, std::string>>();
  Reindex();
}

void LeaveLedger::EncodeTo(Encoder& e) const { Encode(e, pending_); }

bool LeaveLedger::DecodeFrom(Decoder& d) {
  if (!Decode(d, pending_)) return false;
  Reindex();
  return true;
}

void LeaveLedger::Reindex() {
  pending_count_.clear();
  for (const auto& [id, student] : pending_) ++pending_count_[student];
}

// --- NameBook -------------------------------------------------------------------------

void NameBook::Apply(const events::Envelope& e) {
  if (e.type == "StudentEnrolled"sv) {
    entries_[Str(e.Data(), "student_id")] = {Str(e.Data(), "name"), Str(e.Data(), "roll_number")};
  } else if (e.type == "StudentProfileUpdated"sv) {
    const auto it = entries_.find(Str(e.Data(), "student_id"));
    const std::string_view changes_text = events::field::Object(e.Data(), "changes");
    if (it == entries_.end() || changes_text.empty()) return;
    const events::IndexedObject changes(changes_text);
    if (changes.View().Has("name")) it->second.name = Str(changes.View(), "name");
    if (changes.View().Has("roll_number")) {
      it->second.roll_number = Str(changes.View(), "roll_number");
    }
  }
}

const NameBook::Entry* NameBook::Find(const std::string& student_id) const {
  const auto it = entries_.find(student_id);
  return it == entries_.end() ? nullptr : &it->second;
}

Json NameBook::Save() const { return entries_; }

void NameBook::Load(const Json& j) { entries_ = j.get<std::unordered_map<std::string, Entry>>(); }

void NameBook::EncodeTo(Encoder& e) const { Encode(e, entries_); }
bool NameBook::DecodeFrom(Decoder& d) { return Decode(d, entries_); }

}  // namespace mentorlog::projections::internal

namespace mentorlog::projections::internal {

// --- ReviewLedger ---------------------------------------------------------------------

void ReviewLedger::Apply(const events::Envelope& e) {
  if (e.type == "MilestoneCompleted"sv) {
    due_[Str(e.Data(), "student_id")].push_back(
        {Str(e.Data(), "program_id"), Str(e.Data(), "milestone_id"), e.time});
  } else if (e.type == "MeetingScheduled"sv) {
    const std::string program = Str(e.Data(), "program_id");
    if (!program.empty()) {
      program_meetings_[Str(e.Data(), "meeting_id")] = {program, Strings(e.Data(), "student_ids")};
    }
  } else if (e.type == "MeetingConfirmed"sv) {
    const auto it = program_meetings_.find(Str(e.Data(), "meeting_id"));
    if (it == program_meetings_.end()) return;
    for (const std::string& student : it->second.student_ids) {
      const auto due = due_.find(student);
      if (due == due_.end()) continue;
      std::erase_if(due->second,
                    [&](const Review& r) { return r.program_id == it->second.program_id; });
      if (due->second.empty()) due_.erase(due);
    }
    program_meetings_.erase(it);  // held: it cannot be confirmed again
  }
}

const std::vector<ReviewLedger::Review>& ReviewLedger::DueOf(const std::string& student_id) const {
  const auto it = due_.find(student_id);
  return it == due_.end() ? kNoReviews : it->second;
}

Json ReviewLedger::Save() const { return {{"due", due_}, {"program_meetings", program_meetings_}}; }

void ReviewLedger::Load(const Json& j) {
  due_ = j.at("due").get<decltype(due_)>();
  program_meetings_ = j.at("program_meetings").get<decltype(program_meetings_)>();
}

void ReviewLedger::EncodeTo(Encoder& e) const { EncodeAll(e, due_, program_meetings_); }

bool ReviewLedger::DecodeFrom(Decoder& d) { return DecodeAll(d, due_, program_meetings_); }

// --- CounsellingRequestLedger ---------------------------------------------------------

void CounsellingRequestLedger::Apply(const events::Envelope& e) {
  if (e.type == "CounsellingRequested"sv) {
    const std::string id = Str(e.Data(), "request_id");
    const std::string student = Str(e.Data(), "student_id");
    open_[student][id] = {Str(e.Data(), "topic"), e.time};
    student_of_[id] = student;
  } else if (e.type == "CounsellingCreated"sv) {
    const auto it = student_of_.find(Str(e.Data(), "request_id"));
    if (it == student_of_.end()) return;
    const auto open = open_.find(it->second);
    if (open != open_.end()) {
      open->second.erase(it->first);
      if (open->second.empty()) open_.erase(open);
    }
    student_of_.erase(it);
  }
}

const std::map<std::string, CounsellingRequestLedger::Request>& CounsellingRequestLedger::OpenOf(
    const std::string& student_id) const {
  const auto it = open_.find(student_id);
  return it == open_.end() ? kNoRequests : it->second;
}

Json CounsellingRequestLedger::Save() const { return open_; }

void CounsellingRequestLedger::Load(const Json& j) {
  open_ = j.get<decltype(open_)>();
  Reindex();
}

void CounsellingRequestLedger::EncodeTo(Encoder& e) const { Encode(e, open_); }

bool CounsellingRequestLedger::DecodeFrom(Decoder& d) {
  if (!Decode(d, open_)) return false;
  Reindex();
  return true;
}

void CounsellingRequestLedger::Reindex() {
  student_of_.clear();
  for (const auto& [student, requests] : open_) {
    for (const auto& [id, request] : requests) student_of_[id] = student;
  }
}

}  // namespace mentorlog::projections::internal
