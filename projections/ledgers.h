#pragma once

// Building blocks several projections fold into their own state. Each is plain
// data plus an Apply that reads only the event; Save/Load give its JSON form
// (derived indexes are rebuilt on Load). Internal to projections/.

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "events/date_counts.h"
#include "events/envelope.h"
#include "projections/fold_support.h"
#include "projections/state_codec.h"
#include "projections/symbol.h"

namespace mentorlog::projections::internal {

// Who mentors whom (MentorAssigned).
class Roster {
 public:
  void Apply(const events::Envelope& e);
  // The student's current mentor, or the empty symbol when unassigned.
  Symbol MentorOf(Symbol student_id) const;
  Symbol MentorOf(std::string_view student_id) const;
  // The mentor's current mentees, ordered by id (empty for an unknown mentor).
  const std::set<Symbol>& MenteesOf(Symbol mentor_id) const;
  const std::set<Symbol>& MenteesOf(std::string_view mentor_id) const;
  Json Save() const;
  void Load(const Json& j);
  void EncodeTo(Encoder& e) const;
  bool DecodeFrom(Decoder& d);

 private:
  void Reindex();
  std::unordered_map<Symbol, Symbol> mentor_of_;
  std::unordered_map<Symbol, std::set<Symbol>> mentees_of_;  // derived
};

// Attendance counts per student and course, with approved on-duty requests
// turning absences on their dates into on-duty (DOMAIN.md 3).
class AttendanceLedger {
 public:
  struct Counts {
    std::int64_t held = 0;
    std::int64_t present = 0;
    std::int64_t absent = 0;  // as recorded (before on-duty requests)
    std::int64_t on_duty = 0;
    std::int64_t leave = 0;
    events::DateCounts absences_by_date;  // recorded absences per date
  };
  // Effective counts: absences covered by approved on-duty moved to on_duty.
  struct Summary {
    std::int64_t held = 0, present = 0, absent = 0, on_duty = 0, leave = 0;
    std::int64_t attended() const { return present + on_duty; }
  };
  struct Student {
    std::map<Symbol, Counts> courses;
    std::vector<std::pair<events::Days, events::Days>> on_duty;  // approved [from, to]
    std::int64_t held = 0;                                       // cached: all courses
    std::int64_t attended = 0;  // cached: present + effective on duty
  };

  // Folds AttendanceRecorded, AttendanceCorrected and LeaveApproved (on_duty).
  void Apply(const events::Envelope& e);
  const Student* Find(Symbol student_id) const;
  const Student* Find(std::string_view student_id) const;
  Summary Summarize(const Student& s, const Counts& c) const;
  Summary Summarize(const Student& s) const;
  const std::unordered_map<Symbol, Student>& students() const { return students_; }
  Json Save() const;
  void Load(const Json& j);
  void EncodeTo(Encoder& e) const;
  bool DecodeFrom(Decoder& d);

 private:
  // Adds `delta` classes of `status` on `date` to `c`; returns how many of them
  // count as attended (present, on duty, or absent on an approved on-duty date).
  static std::int64_t Count(const Student& s, Counts& c, std::string_view status, events::Days date,
                            int delta);
  void Refresh(Student& s);
  std::unordered_map<Symbol, Student> students_;
};

// A meeting's status (a booked timetable slot's too: booked | released).
enum class MeetingStatus : std::uint8_t {
  kProposed,
  kAccepted,
  kHeld,
  kDeclined,
  kCancelled,
  kDisputed,
  kBooked,
  kReleased
};
// The wire names, in the enumerators' order.
inline constexpr std::array<std::string_view, 8> kMeetingStatusNames = {
    "proposed", "accepted", "held", "declined", "cancelled", "disputed", "booked", "released"};
// How many values it has (state_codec.h refuses others when decoding).
constexpr std::size_t EnumCount(MeetingStatus) { return kMeetingStatusNames.size(); }
// The wire name ("proposed", ...).
inline std::string_view NameOf(MeetingStatus s) {
  return kMeetingStatusNames[static_cast<std::size_t>(s)];
}
// The status of that name, or nullopt.
std::optional<MeetingStatus> MeetingStatusNamed(std::string_view name);

// An index entry of a meeting: its start and its id, 16 bytes. Ordered by
// start, then id.
struct MeetingEntry {
  events::TimeMs start = 0;
  Symbol id;
};
struct ByStart {
  using is_transparent = void;  // also compares entries with a time (their start)
  bool operator()(const MeetingEntry& a, const MeetingEntry& b) const {
    return a.start != b.start ? a.start < b.start : a.id < b.id;
  }
  bool operator()(const MeetingEntry& a, events::TimeMs t) const { return a.start < t; }
  bool operator()(events::TimeMs t, const MeetingEntry& b) const { return t < b.start; }
};
// One mentor's or student's meetings (a few hundred at most), sorted ByStart.
using MeetingIndex = std::vector<MeetingEntry>;
void Insert(MeetingIndex& index, MeetingEntry entry);
void Erase(MeetingIndex& index, MeetingEntry entry);
// The first entry of `index` that starts at or after `t`.
MeetingIndex::const_iterator StartingFrom(const MeetingIndex& index, events::TimeMs t);

// Meetings as the load and my-mentees views need them: times, status, the
// mentor's validation, open action items, and pending follow-ups per student.
class MeetingLedger {
 public:
  // A completed action item of the latest observation: its index and its text
  // (from ActionItemCompleted). An amendment keeps a completion only where the
  // item at that index is unchanged, so open items need no text, only a count.
  struct CompletedItem {
    std::int64_t index = 0;
    std::string text;
  };
  struct Meeting {
    Symbol mentor_id;
    std::vector<Symbol> student_ids;
    events::TimeMs start = 0;
    events::TimeMs end = 0;
    MeetingStatus status = MeetingStatus::kProposed;
    bool mentor_validated = false;
    std::int64_t items = 0;                // action items of the latest observation
    std::vector<CompletedItem> completed;  // of those, the completed, by index
    std::int64_t OpenItems() const;
  };
  // A follow-up date set by an observation and not yet answered by a meeting
  // scheduled after it.
  struct FollowUp {
    events::Days date = 0;
    Symbol meeting_id;
  };

  // Whose meetings the ledger indexes (MeetingsOf): each view reads one side,
  // and at 10 M events an index is 1.2 M entries or more.
  enum class IndexedBy { kMentor, kStudent };
  // Whether the ledger keeps each meeting's action items (OpenItemsOf); a view
  // that shows no open items leaves them out.
  enum class Items { kTracked, kIgnored };
  MeetingLedger(IndexedBy indexed_by, Items items) : indexed_by_(indexed_by), items_(items) {}

  void Apply(const events::Envelope& e);
  const Meeting* Find(Symbol id) const;
  // Every meeting, any status, of the mentor or the student (as IndexedBy).
  const MeetingIndex& MeetingsOf(Symbol id) const;
  // The student's pending follow-up, or nullptr.
  const FollowUp* FollowUpOf(Symbol student_id) const;
  // Open action items over all the student's meetings (0 with Items::kIgnored).
  std::int64_t OpenItemsOf(Symbol student_id) const;
  Json Save() const;
  void Load(const Json& j);
  void EncodeTo(Encoder& e) const;
  bool DecodeFrom(Decoder& d);

 private:
  void Reindex();
  void Index(Symbol id, const Meeting& m, bool add);
  void AddOpenItems(const Meeting& m, std::int64_t sign);
  IndexedBy indexed_by_;
  Items items_;
  std::unordered_map<Symbol, Meeting> meetings_;
  std::unordered_map<Symbol, FollowUp> follow_ups_;
  std::unordered_map<Symbol, std::int64_t> open_items_;  // derived
  std::unordered_map<Symbol, MeetingIndex> index_;       // derived: by mentor or student
};

// Statuses of every leave request and the pending count per student.
class LeaveLedger {
 public:
  void Apply(const events::Envelope& e);
  std::int64_t PendingOf(const std::string& student_id) const;
  Json Save() const;
  void Load(const Json& j);
  void EncodeTo(Encoder& e) const;
  bool DecodeFrom(Decoder& d);

 private:
  void Reindex();
  std::unordered_map<std::string, std::string> pending_;         // leave_id -> student_id
  std::unordered_map<std::string, std::int64_t> pending_count_;  // derived
};

// Names and roll numbers of students (StudentEnrolled, StudentProfileUpdated).
class NameBook {
 public:
  struct Entry {
    std::string name;
    std::string roll_number;
  };
  void Apply(const events::Envelope& e);
  const Entry* Find(const std::string& student_id) const;
  Json Save() const;
  void Load(const Json& j);
  void EncodeTo(Encoder& e) const;
  bool DecodeFrom(Decoder& d);

 private:
  std::unordered_map<std::string, Entry> entries_;
};

// Review meetings due (DOMAIN.md 6): each MilestoneCompleted makes a review due
// for (student, programme) until a meeting linked to that programme (its
// `program_id`) with the student is held (MeetingConfirmed).
class ReviewLedger {
 public:
  struct Review {
    std::string program_id;
    std::string milestone_id;
    events::TimeMs completed_at = 0;  // the MilestoneCompleted's time
  };
  struct ProgramMeeting {
    std::string program_id;
    std::vector<std::string> student_ids;
  };

  void Apply(const events::Envelope& e);
  // The student's reviews due, oldest first (empty when none).
  const std::vector<Review>& DueOf(const std::string& student_id) const;
  Json Save() const;
  void Load(const Json& j);
  void EncodeTo(Encoder& e) const;
  bool DecodeFrom(Decoder& d);

 private:
  std::unordered_map<std::string, std::vector<Review>> due_;          // student_id -> due
  std::unordered_map<std::string, ProgramMeeting> program_meetings_;  // meeting_id -> link
};

// Counselling requests (DOMAIN.md 5) not yet answered by a CreateCounselling
// naming them, per student.
class CounsellingRequestLedger {
 public:
  struct Request {
    std::string topic;
    events::TimeMs requested_at = 0;
  };

  void Apply(const events::Envelope& e);
  // The student's open requests by request id (empty when none).
  const std::map<std::string, Request>& OpenOf(const std::string& student_id) const;
  Json Save() const;
  void Load(const Json& j);
  void EncodeTo(Encoder& e) const;
  bool DecodeFrom(Decoder& d);

 private:
  void Reindex();
  std::unordered_map<std::string, std::map<std::string, Request>> open_;  // by student
  std::unordered_map<std::string, std::string> student_of_;  // derived: request -> student
};

// The binary form of each ledger, for Encode / Decode (state_codec.h).
#define MENTORLOG_LEDGER_CODEC(Type)                                    \
  inline void EncodeState(Encoder& e, const Type& v) { v.EncodeTo(e); } \
  inline bool DecodeState(Decoder& d, Type& v) { return v.DecodeFrom(d); }
MENTORLOG_LEDGER_CODEC(Roster)
MENTORLOG_LEDGER_CODEC(AttendanceLedger)
MENTORLOG_LEDGER_CODEC(MeetingLedger)
MENTORLOG_LEDGER_CODEC(LeaveLedger)
MENTORLOG_LEDGER_CODEC(NameBook)
MENTORLOG_LEDGER_CODEC(ReviewLedger)
MENTORLOG_LEDGER_CODEC(CounsellingRequestLedger)
#undef MENTORLOG_LEDGER_CODEC

}  // namespace mentorlog::projections::internal
