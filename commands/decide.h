#pragma once

#include <expected>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "commands/command.h"
#include "commands/rejection.h"
#include "commands/write_state.h"
#include "events/envelope.h"
#include "events/time.h"

namespace mentorlog::commands {

// Who sends the command and when it is decided. `now` comes from the command path's
// clock, never from Decide, so decisions are reproducible.
struct Context {
  events::Actor actor;  // id = the token's `sub`, role = admin | mentor | mentee | auditor
  events::TimeMs now = 0;
};

// An event as decided, before the store gives it a position, version, id and hash.
struct DomainEvent {
  std::string stream;  // "<aggregate>-<id>", see docs/authorization.md "Streams"
  std::string type;    // e.g. "MeetingScheduled"
  nlohmann::json data;

  bool operator==(const DomainEvent&) const = default;
};

// Decides `command` against `state` (which holds every event committed or already
// handed to the writer). Returns the events to append, in order, or why nothing
// may be appended. The first event's stream is the command's primary stream (the
// one If-Match refers to). Rules are those of DOMAIN.md 1-7, checked in this order:
//   1. the role may send the command at all (CommandSpec::roles)   -> kForbidden
//   2. entities the command names exist                             -> kNotFound
//   3. the actor's relationship to them (own mentee, self, party)   -> kForbidden
//   4. ids unused, one open request, no overlapping leave           -> kConflict
//   5. the entity's state and the time                              -> kInvalidState
//   6. capacity                                                     -> kConflict
//   7. no overlapping live meeting                                  -> kDoubleBooking
// Pure: no I/O, no clock, no globals; does not modify `state`.
std::expected<std::vector<DomainEvent>, Rejection> Decide(const WriteState& state,
                                                          const Command& command,
                                                          const Context& context);

// The attendance alert policy of DOMAIN.md 3. Call it after `just_applied` (an
// AttendanceRecorded, AttendanceCorrected or LeaveApproved; other types give
// nothing) has been applied to `state`. Returns one AttendanceAlertRaised per
// affected student whose percentage is now below a level it was not already
// alerted at (after at least 10 classes held; only the lowest level crossed):
//   stream "student-<id>", data {alert_id: "alert-<n>", student_id, level: 60|50|40,
//   percentage: number with at most two decimals, truncated}.
// The caller appends them with actor {"system", "system"} and causation id = the
// triggering event's id, and applies them to `state`. Idempotent by construction:
// once the alerts are applied the policy proposes nothing more for the same event,
// so replaying the log never raises an alert twice. Pure.
std::vector<DomainEvent> AttendanceAlerts(const WriteState& state,
                                          const events::Envelope& just_applied);

// Every alert the policy owes in `state`, whatever event caused it, in student
// id order: empty when each alert proposed was appended. Non-empty only when a
// process stopped between a command's commit and its alerts' (a crash), so the
// command processor runs it once after rebuilding its state. Pure.
std::vector<DomainEvent> OwedAttendanceAlerts(const WriteState& state);

}  // namespace mentorlog::commands
