// Deciders of DOMAIN.md 2: meetings.

#include <algorithm>

#include "commands/decider_support.h"

namespace mentorlog::commands::internal {
namespace {

std::string_view SideName(Side side) { return side == Side::kMentor ? "mentor" : "mentee"; }

// The side the actor is on for meeting `m`: the meeting's mentor and admins are on
// the mentor side, the meeting's students on the mentee side; anyone else on none.
std::optional<Side> SideOf(const Context& c, const MeetingState& m) {
  if (Is(c, "admin") || (Is(c, "mentor") && c.actor.id == m.mentor_id)) return Side::kMentor;
  if (Is(c, "mentee") && m.HasStudent(c.actor.id)) return Side::kMentee;
  return std::nullopt;
}

// The meeting's mentor or one of its students (admins are not participants).
bool IsParticipant(const Context& c, const MeetingState& m) {
  return (Is(c, "mentor") && c.actor.id == m.mentor_id) ||
         (Is(c, "mentee") && m.HasStudent(c.actor.id));
}

Rejection NotAParty() {
  return {ErrorCode::kForbidden, "the actor is not a party to this meeting", "meeting_id"};
}

std::expected<const MeetingState*, Rejection> FindMeeting(const WriteState& s,
                                                          const std::string& id) {
  const auto it = events::FindByText(s.meetings, id);
  if (it == s.meetings.end()) {
    return std::unexpected(Rejection{ErrorCode::kNotFound, "no such meeting", "meeting_id"});
  }
  return &it->second;
}

// No double booking: neither the mentor nor any student has another live meeting
// overlapping [start, end). `except` is the meeting being rescheduled. Missing
// people have no meetings.
template <class Id>  // std::string (a command's) or events::Symbol (a meeting's)
std::optional<Rejection> CheckBookings(const MentorState* mentor,
                                       const std::vector<const StudentState*>& students,
                                       const std::vector<Id>& student_ids, events::TimeMs start,
                                       events::TimeMs end, const std::string& except,
                                       bool fields_named) {
  if (mentor != nullptr && Overlaps(mentor->calendar, start, end, except)) {
    return Rejection{ErrorCode::kDoubleBooking,
                     "the mentor has another live meeting overlapping this time",
                     fields_named ? "mentor_id" : "start"};
  }
  for (std::size_t i = 0; i < students.size(); ++i) {
    if (students[i] != nullptr && Overlaps(students[i]->calendar, start, end, except)) {
      return Rejection{ErrorCode::kDoubleBooking,
                       "student " + std::string(student_ids[i]) +
                           " has another live meeting overlapping this time",
                       fields_named ? "student_ids[" + std::to_string(i) + "]" : "start"};
    }
  }
  return std::nullopt;
}

template <class Map>
const typename Map::mapped_type* Find(const Map& map, const std::string& key) {
  const auto it = map.find(key);
  return it == map.end() ? nullptr : &it->second;
}

Rejection NotLive(const MeetingState& m) {
  static constexpr std::string_view kNames[] = {"proposed", "accepted",  "held",
                                                "declined", "cancelled", "disputed"};
  return {ErrorCode::kInvalidState,
          "the meeting is " + std::string(kNames[static_cast<int>(m.status)]), "meeting_id"};
}

}  // namespace

Decision DecideFor(const WriteState& s, const ScheduleMeeting& c, const Context& ctx) {
  const MentorState* mentor = Find(s.mentors, c.mentor_id);
  if (mentor == nullptr) return Reject(ErrorCode::kNotFound, "no such mentor", "mentor_id");
  std::vector<const StudentState*> students;
  students.reserve(c.student_ids.size());
  for (std::size_t i = 0; i < c.student_ids.size(); ++i) {
    const auto it = s.students.find(c.student_ids[i]);
    if (it == s.students.end()) {
      return Reject(ErrorCode::kNotFound, "no such student",
                    "student_ids[" + std::to_string(i) + "]");
    }
    students.push_back(&it->second);
  }
  if (Is(ctx, "mentor") && ctx.actor.id != c.mentor_id) {
    return Reject(ErrorCode::kForbidden, "a mentor schedules only their own meetings", "mentor_id");
  }
  if (Is(ctx, "mentee") && (c.student_ids.size() != 1 || c.student_ids[0] != ctx.actor.id)) {
    return Reject(ErrorCode::kForbidden, "a mentee requests meetings only for themself",
                  "student_ids");
  }
  for (std::size_t i = 0; i < students.size(); ++i) {
    if (!IsMentorOf(*students[i], c.mentor_id)) {
      return Reject(ErrorCode::kForbidden, "the student is not assigned to this mentor",
                    "student_ids[" + std::to_string(i) + "]");
    }
  }
  const bool past = c.end <= ctx.now;
  if (past && Is(ctx, "mentee")) {
    return Reject(ErrorCode::kForbidden, "a mentee cannot back-date a meeting", "end");
  }
  if (events::FindByText(s.meetings, c.meeting_id) != s.meetings.end()) {
    return Reject(ErrorCode::kConflict, "meeting id already used", "meeting_id");
  }
  if (auto r = CheckBookings(mentor, students, c.student_ids, c.start, c.end, "", true)) {
    return std::unexpected(*r);
  }
  // Built member by member: an initializer list would copy every value (this is the
  // hot path of the decide benchmark).
  Json data(Json::value_t::object);
  Json::object_t& o = *data.get_ptr<Json::object_t*>();
  o.emplace("meeting_id", c.meeting_id);
  o.emplace("mentor_id", c.mentor_id);
  o.emplace("student_ids", c.student_ids);
  o.emplace("title", c.title);
  o.emplace("mode", ToString(c.mode));
  o.emplace("start", events::FormatTime(c.start));
  o.emplace("end", events::FormatTime(c.end));
  o.emplace("status", past ? "accepted" : "proposed");
  o.emplace("proposed_by", Is(ctx, "mentee") ? "mentee" : "mentor");
  if (c.description) o.emplace("description", *c.description);
  if (c.location) o.emplace("location", *c.location);
  if (c.program_id) o.emplace("program_id", *c.program_id);
  return One(MeetingStream(c.meeting_id), "MeetingScheduled", std::move(data));
}

Decision DecideFor(const WriteState& s, const AcceptMeeting& c, const Context& ctx) {
  const auto m = FindMeeting(s, c.meeting_id);
  if (!m) return std::unexpected(m.error());
  const auto side = SideOf(ctx, **m);
  if (!side) return std::unexpected(NotAParty());
  if (*side == (*m)->proposed_by) {
    return Reject(ErrorCode::kForbidden, "the side that proposed cannot accept", "meeting_id");
  }
  if ((*m)->status != MeetingStatus::kProposed) return std::unexpected(NotLive(**m));
  return One(MeetingStream(c.meeting_id), "MeetingAccepted",
             {{"meeting_id", c.meeting_id}, {"by", SideName(*side)}});
}

Decision DecideFor(const WriteState& s, const RescheduleMeeting& c, const Context& ctx) {
  const auto m = FindMeeting(s, c.meeting_id);
  if (!m) return std::unexpected(m.error());
  const auto side = SideOf(ctx, **m);
  if (!side) return std::unexpected(NotAParty());
  if (*side == Side::kMentee && c.end <= ctx.now) {
    return Reject(ErrorCode::kForbidden, "a mentee cannot back-date a meeting", "end");
  }
  if (!(*m)->Live()) return std::unexpected(NotLive(**m));
  if ((*m)->mentor_validation || !(*m)->student_validations.empty()) {
    return Reject(ErrorCode::kInvalidState, "the meeting is being validated", "meeting_id");
  }
  std::vector<const StudentState*> students;
  for (const std::string& id : (*m)->student_ids) students.push_back(Find(s.students, id));
  if (auto r = CheckBookings(Find(s.mentors, (*m)->mentor_id), students, (*m)->student_ids, c.start,
                             c.end, c.meeting_id, false)) {
    return std::unexpected(*r);
  }
  Json data = {{"meeting_id", c.meeting_id},
               {"start", events::FormatTime(c.start)},
               {"end", events::FormatTime(c.end)},
               {"previous_start", events::FormatTime((*m)->start)},
               {"previous_end", events::FormatTime((*m)->end)},
               {"proposed_by", SideName(*side)}};
  SetIf(data, "reason", c.reason);
  return One(MeetingStream(c.meeting_id), "MeetingRescheduled", std::move(data));
}

Decision DecideFor(const WriteState& s, const DeclineMeeting& c, const Context& ctx) {
  const auto m = FindMeeting(s, c.meeting_id);
  if (!m) return std::unexpected(m.error());
  const auto side = SideOf(ctx, **m);
  if (!side) return std::unexpected(NotAParty());
  if (!(*m)->Live()) return std::unexpected(NotLive(**m));
  return One(MeetingStream(c.meeting_id), "MeetingDeclined",
             {{"meeting_id", c.meeting_id}, {"reason", c.reason}, {"by", SideName(*side)}});
}

Decision DecideFor(const WriteState& s, const CancelMeeting& c, const Context& ctx) {
  const auto m = FindMeeting(s, c.meeting_id);
  if (!m) return std::unexpected(m.error());
  if (!Is(ctx, "admin") && ctx.actor.id != (*m)->mentor_id) return std::unexpected(NotAParty());
  if (!(*m)->Live()) return std::unexpected(NotLive(**m));
  return One(MeetingStream(c.meeting_id), "MeetingCancelled",
             {{"meeting_id", c.meeting_id}, {"reason", c.reason}});
}

Decision DecideFor(const WriteState& s, const AddAgendaItems& c, const Context& ctx) {
  const auto m = FindMeeting(s, c.meeting_id);
  if (!m) return std::unexpected(m.error());
  if (!IsParticipant(ctx, **m)) return std::unexpected(NotAParty());
  if (!(*m)->Live()) return std::unexpected(NotLive(**m));
  if (ctx.now >= (*m)->end) {
    return Reject(ErrorCode::kInvalidState, "the meeting has ended", "meeting_id");
  }
  return One(MeetingStream(c.meeting_id), "AgendaItemsAdded",
             {{"meeting_id", c.meeting_id}, {"items", c.items}});
}

Decision DecideFor(const WriteState& s, const RecordObservation& c, const Context& ctx) {
  const auto m = FindMeeting(s, c.meeting_id);
  if (!m) return std::unexpected(m.error());
  if (ctx.actor.id != (*m)->mentor_id) {
    return Reject(ErrorCode::kForbidden, "only the meeting's mentor records observations",
                  "meeting_id");
  }
  if ((*m)->status != MeetingStatus::kAccepted && (*m)->status != MeetingStatus::kHeld) {
    return std::unexpected(NotLive(**m));
  }
  if (ctx.now < (*m)->start) {
    return Reject(ErrorCode::kInvalidState, "the meeting has not started", "meeting_id");
  }
  Json data = {{"meeting_id", c.meeting_id},
               {"revision", (*m)->observations + 1},
               {"points_for_mentee", c.points_for_mentee},
               {"next_action_items", c.next_action_items},
               {"observations", c.observations},
               {"resources", c.resources}};
  if (c.next_follow_up_date) {
    data["next_follow_up_date"] = events::FormatDate(*c.next_follow_up_date);
  }
  SetIf(data, "minutes", c.minutes);
  return One(MeetingStream(c.meeting_id), "ObservationRecorded", std::move(data));
}

Decision DecideFor(const WriteState& s, const ValidateMeeting& c, const Context& ctx) {
  const auto m = FindMeeting(s, c.meeting_id);
  if (!m) return std::unexpected(m.error());
  const MeetingState& meeting = **m;
  if (!IsParticipant(ctx, meeting)) return std::unexpected(NotAParty());
  if (meeting.status != MeetingStatus::kAccepted) return std::unexpected(NotLive(meeting));
  if (ctx.now < meeting.end) {
    return Reject(ErrorCode::kInvalidState, "the meeting has not ended", "meeting_id");
  }
  const bool as_mentor = Is(ctx, "mentor");
  if (as_mentor ? meeting.mentor_validation.has_value()
                : meeting.StudentValidation(ctx.actor.id).has_value()) {
    return Reject(ErrorCode::kInvalidState, "already validated by this participant", "meeting_id");
  }
  Json data = {{"meeting_id", c.meeting_id},
               {"participant_id", ctx.actor.id},
               {"role", as_mentor ? "mentor" : "mentee"},
               {"occurred", c.occurred}};
  SetIf(data, "note", c.note);
  std::vector<DomainEvent> out;
  out.push_back({MeetingStream(c.meeting_id), "MeetingValidated", std::move(data)});
  if (!c.occurred) {
    out.push_back({MeetingStream(c.meeting_id), "MeetingDisputed", {{"meeting_id", c.meeting_id}}});
    return out;
  }
  // Confirmed when, counting this validation, every participant said yes.
  bool all_yes = as_mentor || meeting.mentor_validation.value_or(false);
  for (const std::string& student : meeting.student_ids) {
    if (!all_yes) break;
    if (!as_mentor && student == ctx.actor.id) continue;
    all_yes = meeting.StudentValidation(student).value_or(false);
  }
  if (all_yes) {
    out.push_back(
        {MeetingStream(c.meeting_id), "MeetingConfirmed", {{"meeting_id", c.meeting_id}}});
  }
  return out;
}

Decision DecideFor(const WriteState& s, const CompleteActionItem& c, const Context& ctx) {
  const auto m = FindMeeting(s, c.meeting_id);
  if (!m) return std::unexpected(m.error());
  if (!(*m)->HasStudent(ctx.actor.id)) return std::unexpected(NotAParty());
  const std::optional<ActionItems::Item> item = (*m)->action_items.At(c.item);
  if (!item) return Reject(ErrorCode::kNotFound, "no such action item", "item");
  if (item->completed) {
    return Reject(ErrorCode::kInvalidState, "the action item is already completed", "item");
  }
  return One(MeetingStream(c.meeting_id), "ActionItemCompleted",
             {{"meeting_id", c.meeting_id},
              {"item", c.item},
              {"text", item->text},
              {"student_id", ctx.actor.id}});
}

}  // namespace mentorlog::commands::internal
