#pragma once

#include <string>
#include <string_view>

namespace mentorlog::commands {

// Why a command was refused. Each code maps one-to-one onto an API.md error code
// (ErrorCodeName) and so onto one HTTP status; the HTTP layer does the mapping.
enum class ErrorCode {
  kInvalidArgument,  // 400: malformed, missing, unknown, mistyped or out-of-range field
  kForbidden,        // 403: the role or relationship does not allow it
  kNotFound,         // 404: the entity named by a field does not exist
  kConflict,         // 409: a uniqueness, capacity or overlap rule
  kDoubleBooking,    // 409: an overlapping live meeting
  kInvalidState,     // 409: the entity's state or the time does not allow it
  kUnknownCommand,   // 404: no command of that name
};

// API.md's wire name of `code`, e.g. "double_booking".
std::string_view ErrorCodeName(ErrorCode code);

// A typed refusal: nothing is appended. `field` is a dotted path into the command
// body ("entries[2].status"), empty when the refusal is about no single field.
struct Rejection {
  ErrorCode code = ErrorCode::kInvalidArgument;
  std::string message;
  std::string field;

  bool operator==(const Rejection&) const = default;
};

}  // namespace mentorlog::commands
