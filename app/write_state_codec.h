#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "commands/write_state.h"

namespace mentorlog::app {

// The write state's binary form, for its snapshot (CommandProcessor): every
// struct of commands/write_state.h field by field, in projections/state_codec.h's
// encoding. The version names the form; bump it whenever a field of the write
// state, or how one is encoded, changes, so a server never restores a snapshot
// of another shape (it folds the log again instead).
// 2: attendance sheets of student numbers; 3: meetings without their agenda;
// 4: action items packed, profiles as JSON text, absences by date flat;
// 5: student validations a code a student; 6: a meeting's ids as symbols;
// 7: attendance sheets packed (a varint a student).
inline constexpr int kWriteStateVersion = 7;

std::string EncodeWriteState(const commands::WriteState& state);

// The state `bytes` encodes, or nullopt when they are not exactly one
// well-formed encoding (truncated, trailing bytes, a value out of range).
std::optional<commands::WriteState> DecodeWriteState(std::string_view bytes);

}  // namespace mentorlog::app
