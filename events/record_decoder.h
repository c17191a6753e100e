#pragma once

// The two ways DecodeRecord (envelope.h) reads a stored record. Internal to
// events/; the tests compare them.

#include <expected>
#include <optional>
#include <string_view>

#include "events/envelope.h"

namespace mentorlog::events::internal {

// The fast path: simdjson parses and validates the bytes, then the envelope is
// read member by member and `data` is built as nlohmann JSON. Handles exactly
// the records a well-formed log holds (14 distinct members of the right types,
// no `\u` escapes, positive integers); returns nullopt for anything else, and
// then DecodeRecordDom decides. Whenever it returns an envelope, DecodeRecordDom
// returns an equal one.
std::optional<Envelope> DecodeRecordSimd(std::string_view record, DataForm form = DataForm::kTree);

// The reference path: nlohmann/json builds a DOM of the whole record. Gives the
// error for every input that is not a valid record.
std::expected<Envelope, DecodeError> DecodeRecordDom(std::string_view record,
                                                     DataForm form = DataForm::kTree);

// The raw text of the last top-level `data` member of a record, or empty.
std::string_view DataMemberText(std::string_view record);

}  // namespace mentorlog::events::internal
