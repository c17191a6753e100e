#include "commands/rejection.h"

namespace mentorlog::commands {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return "invalid_argument";
    case ErrorCode::kForbidden:
      return "forbidden";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kConflict:
      return "conflict";
    case ErrorCode::kDoubleBooking:
      return "double_booking";
    case ErrorCode::kInvalidState:
      return "invalid_state";
    case ErrorCode::kUnknownCommand:
      return "unknown_command";
  }
  return "invalid_argument";
}

}  // namespace mentorlog::commands
