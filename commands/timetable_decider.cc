// Deciders of DOMAIN.md 7: timetables and 1:1 session booking.

#include <algorithm>

#include "commands/command_spec.h"
#include "commands/decider_support.h"

namespace mentorlog::commands::internal {
namespace {

struct FoundSlot {
  const TimetableState* timetable;
  const SlotState* slot;
};

std::expected<FoundSlot, Rejection> FindSlot(const WriteState& s, const std::string& timetable_id,
                                             events::TimeMs start) {
  const auto t = s.timetables.find(timetable_id);
  if (t == s.timetables.end()) {
    return std::unexpected(Rejection{ErrorCode::kNotFound, "no such timetable", "timetable_id"});
  }
  const auto slot = t->second.slots.find(start);
  if (slot == t->second.slots.end()) {
    return std::unexpected(
        Rejection{ErrorCode::kNotFound, "the timetable has no slot starting then", "slot_start"});
  }
  return FoundSlot{&t->second, &slot->second};
}

// Each slot ends after it starts, lasts at most 8 h, and overlaps no other slot.
std::optional<Rejection> CheckSlots(const std::vector<Slot>& slots) {
  std::vector<std::size_t> order(slots.size());
  for (std::size_t i = 0; i < slots.size(); ++i) {
    const std::string at = "slots[" + std::to_string(i) + "]";
    if (slots[i].end <= slots[i].start) {
      return Rejection{ErrorCode::kInvalidArgument, "must be after start", at + ".end"};
    }
    if (slots[i].end - slots[i].start > kMaxMeetingMs) {
      return Rejection{ErrorCode::kInvalidArgument, "must be at most 8 h after start", at + ".end"};
    }
    order[i] = i;
  }
  std::ranges::sort(order, {}, [&](std::size_t i) { return slots[i].start; });
  for (std::size_t k = 1; k < order.size(); ++k) {
    if (slots[order[k]].start < slots[order[k - 1]].end) {
      return Rejection{ErrorCode::kInvalidArgument,
                       "overlaps slots[" + std::to_string(order[k - 1]) + "]",
                       "slots[" + std::to_string(order[k]) + "].start"};
    }
  }
  return std::nullopt;
}

}  // namespace

Decision DecideFor(const WriteState& s, const DefineTimetable& c, const Context& ctx) {
  const bool custom = c.kind == TimetableKind::kCustom;
  if (custom && !c.mentor_id) {
    return Reject(ErrorCode::kInvalidArgument, "a custom timetable needs its mentor", "mentor_id");
  }
  if (auto r = CheckSlots(c.slots)) return std::unexpected(*r);
  if (c.mentor_id && !s.mentors.contains(*c.mentor_id)) {
    return Reject(ErrorCode::kNotFound, "no such mentor", "mentor_id");
  }
  if (Is(ctx, "mentor")) {
    if (!custom) {
      return Reject(ErrorCode::kForbidden, "a mentor defines only their own custom timetable",
                    "kind");
    }
    if (*c.mentor_id != ctx.actor.id) {
      return Reject(ErrorCode::kForbidden, "a mentor defines only their own custom timetable",
                    "mentor_id");
    }
  }
  const auto existing = s.timetables.find(c.timetable_id);
  if (existing != s.timetables.end()) {
    const TimetableState& t = existing->second;
    if (t.kind != c.kind || t.mentor_id != c.mentor_id.value_or("")) {
      return Reject(ErrorCode::kConflict,
                    "timetable id already used for another kind or mentor; a redefinition "
                    "changes only the slots",
                    "timetable_id");
    }
    // A redefinition may not drop or move a booked slot: release it first.
    for (const auto& [start, slot] : t.slots) {
      if (!slot.booking) continue;
      const bool kept = std::ranges::any_of(
          c.slots, [&](const Slot& n) { return n.start == start && n.end == slot.end; });
      if (!kept) {
        return Reject(ErrorCode::kInvalidState,
                      "the slot at " + events::FormatTime(start) +
                          " is booked; release it before removing or moving it",
                      "slots");
      }
    }
  }
  std::vector<Slot> sorted = c.slots;
  std::ranges::sort(sorted, {}, &Slot::start);
  Json slots = Json::array();
  for (const Slot& slot : sorted) {
    slots.push_back(
        {{"start", events::FormatTime(slot.start)}, {"end", events::FormatTime(slot.end)}});
  }
  Json data = {{"timetable_id", c.timetable_id}, {"kind", ToString(c.kind)}, {"slots", slots}};
  SetIf(data, "mentor_id", c.mentor_id);
  return One(TimetableStream(c.timetable_id), "TimetableDefined", std::move(data));
}

// The SlotBooked of booking `start` of `timetable_id` as session `number` for
// `team`, or why not (BookSlot's rules, also for AssignMentorshipRequest).
std::expected<DomainEvent, Rejection> BookingEvent(const WriteState& s,
                                                   const std::string& timetable_id,
                                                   events::TimeMs start, std::int64_t number,
                                                   const std::string& team,
                                                   const std::optional<std::string>& description,
                                                   const std::string& fallback_mentor) {
  const auto found = FindSlot(s, timetable_id, start);
  if (!found) return std::unexpected(found.error());
  if (const auto used = s.session_numbers.find(number); used != s.session_numbers.end()) {
    return std::unexpected(Rejection{ErrorCode::kConflict,
                                     "session number already used in timetable " + used->second,
                                     "session_number"});
  }
  if (const auto& booking = found->slot->booking) {
    // Seed 001: a booked slot's team cannot be changed (nor the slot booked twice)
    // without releasing it first.
    return std::unexpected(Rejection{ErrorCode::kDoubleBooking,
                                     "the slot is booked by " + booking->team_or_student +
                                         " (session " + std::to_string(booking->session_number) +
                                         "); release it first",
                                     "slot_start"});
  }
  Json data = {{"timetable_id", timetable_id},
               {"slot_start", events::FormatTime(start)},
               {"slot_end", events::FormatTime(found->slot->end)},
               {"session_number", number},
               {"team_or_student", team}};
  const std::string& mentor =
      found->timetable->mentor_id.empty() ? fallback_mentor : found->timetable->mentor_id;
  if (!mentor.empty()) data["mentor_id"] = mentor;
  SetIf(data, "description", description);
  return DomainEvent{TimetableStream(timetable_id), "SlotBooked", std::move(data)};
}

Decision DecideFor(const WriteState& s, const BookSlot& c, const Context&) {
  auto booked = BookingEvent(s, c.timetable_id, c.slot_start, c.session_number, c.team_or_student,
                             c.description, "");
  if (!booked) return std::unexpected(booked.error());
  std::vector<DomainEvent> out;
  out.push_back(*std::move(booked));
  return out;
}

Decision DecideFor(const WriteState& s, const ReleaseSlot& c, const Context&) {
  const auto found = FindSlot(s, c.timetable_id, c.slot_start);
  if (!found) return std::unexpected(found.error());
  const auto& booking = found->slot->booking;
  if (!booking) return Reject(ErrorCode::kInvalidState, "the slot is not booked", "slot_start");
  return One(TimetableStream(c.timetable_id), "SlotReleased",
             {{"timetable_id", c.timetable_id},
              {"slot_start", events::FormatTime(c.slot_start)},
              {"slot_end", events::FormatTime(found->slot->end)},
              {"session_number", booking->session_number},
              {"team_or_student", booking->team_or_student},
              {"reason", c.reason}});
}

Decision DecideFor(const WriteState& s, const RequestMentorship& c, const Context& ctx) {
  // For their team, or for themself; not in another student's name.
  if (s.students.contains(c.team_or_student) && c.team_or_student != ctx.actor.id) {
    return Reject(ErrorCode::kForbidden, "a mentee requests only for their team or themself",
                  "team_or_student");
  }
  if (s.mentorship_requests.contains(c.request_id)) {
    return Reject(ErrorCode::kConflict, "request id already used", "request_id");
  }
  Json data = {{"request_id", c.request_id},
               {"student_id", ctx.actor.id},
               {"team_or_student", c.team_or_student},
               {"topic", c.topic}};
  SetIf(data, "details", c.details);
  return One(StudentStream(ctx.actor.id), "MentorshipRequested", std::move(data));
}

Decision DecideFor(const WriteState& s, const AssignMentorshipRequest& c, const Context&) {
  // A slot is given whole (timetable, start and session number) or not at all.
  const int given = (c.timetable_id ? 1 : 0) + (c.slot_start ? 1 : 0) + (c.session_number ? 1 : 0);
  if (given != 0 && given != 3) {
    const char* missing = !c.timetable_id ? "timetable_id"
                          : !c.slot_start ? "slot_start"
                                          : "session_number";
    return Reject(ErrorCode::kInvalidArgument,
                  "timetable_id, slot_start and session_number go together", missing);
  }
  const auto request = s.mentorship_requests.find(c.request_id);
  if (request == s.mentorship_requests.end()) {
    return Reject(ErrorCode::kNotFound, "no such mentorship request", "request_id");
  }
  if (!s.mentors.contains(c.mentor_id)) {
    return Reject(ErrorCode::kNotFound, "no such mentor", "mentor_id");
  }
  if (c.timetable_id) {
    const auto t = s.timetables.find(*c.timetable_id);
    if (t != s.timetables.end() && t->second.kind == TimetableKind::kCustom &&
        t->second.mentor_id != c.mentor_id) {
      return Reject(ErrorCode::kForbidden, "this custom timetable belongs to another mentor",
                    "timetable_id");
    }
  }
  if (request->second.assigned) {
    return Reject(ErrorCode::kInvalidState, "the request is already assigned", "request_id");
  }
  std::vector<DomainEvent> out;
  out.push_back({StudentStream(request->second.student_id),
                 "MentorshipRequestAssigned",
                 {{"request_id", c.request_id},
                  {"student_id", request->second.student_id},
                  {"team_or_student", request->second.team_or_student},
                  {"mentor_id", c.mentor_id}}});
  if (c.timetable_id) {
    auto booked = BookingEvent(s, *c.timetable_id, *c.slot_start, *c.session_number,
                               request->second.team_or_student, request->second.topic, c.mentor_id);
    if (!booked) return std::unexpected(booked.error());
    booked->data["request_id"] = c.request_id;
    out.push_back(*std::move(booked));
  }
  return out;
}

}  // namespace mentorlog::commands::internal
