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

Decision DecideFor(const WriteState& s, const BookSlot& c, const Context&) {
  const auto found = FindSlot(s, c.timetable_id, c.slot_start);
  if (!found) return std::unexpected(found.error());
  if (const auto used = s.session_numbers.find(c.session_number); used != s.session_numbers.end()) {
    return Reject(ErrorCode::kConflict, "session number already used in timetable " + used->second,
                  "session_number");
  }
  if (const auto& booking = found->slot->booking) {
    // Seed 001: a booked slot's team cannot be changed (nor the slot booked twice)
    // without releasing it first.
    return Reject(ErrorCode::kDoubleBooking,
                  "the slot is booked by " + booking->team_or_student + " (session " +
                      std::to_string(booking->session_number) + "); release it first",
                  "slot_start");
  }
  Json data = {{"timetable_id", c.timetable_id},
               {"slot_start", events::FormatTime(c.slot_start)},
               {"slot_end", events::FormatTime(found->slot->end)},
               {"session_number", c.session_number},
               {"team_or_student", c.team_or_student}};
  if (!found->timetable->mentor_id.empty()) data["mentor_id"] = found->timetable->mentor_id;
  SetIf(data, "description", c.description);
  return One(TimetableStream(c.timetable_id), "SlotBooked", std::move(data));
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

}  // namespace mentorlog::commands::internal
