#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "events/envelope.h"
#include "events/time.h"

namespace mentorlog::projections {

// One read of a view (API.md "Reads"): GET /v1/views/{view}[/{key}]?params.
struct ViewRequest {
  // "my-mentees", "mentee-timeline", "attendance", "mentor-load", "meetings",
  // "leaves", "students", "alerts" or "engagement".
  std::string view;
  // The `{key}` path segment, when given (a student, mentor, meeting, leave or alert id).
  std::optional<std::string> key;
  // Query parameters: filters and paging (`limit`, `offset`). Parameters a view does
  // not know are ignored, so transport parameters (min_position, wait_ms) may stay.
  std::map<std::string, std::string> params;
  // Who reads, from the verified token: id + role (admin | mentor | mentee | auditor).
  events::Actor reader;
  // "Now" for fields that depend on it (next 7 days, overdue); never stored.
  events::TimeMs now = 0;
  // RFC 3339 time or decimal position: the view as it stood then (admin, auditor).
  std::optional<std::string> as_of;
};

// A view's answer: API.md's body `{"view", "key", "position", "data"}`.
struct ViewResult {
  std::string view;
  std::optional<std::string> key;
  std::uint64_t position = 0;  // the last log position the data reflects
  nlohmann::json data;
};

// Why a read was refused. `code` is API.md's: invalid_argument, forbidden,
// not_found or unavailable; `field` names the parameter at fault, if any.
struct ViewError {
  std::string code;
  std::string message;
  std::string field;

  bool operator==(const ViewError&) const = default;
};

// One projection's health, for GET /v1/admin/projections.
struct ProjectionStatus {
  std::string name;
  int version = 0;
  std::uint64_t position = 0;  // the position its served state reflects
  std::uint64_t lag = 0;       // log head minus position
  std::string state;           // running | rebuilding | faulted
  // While rebuilding: {"position", "total", "events_per_second"} of the new copy.
  std::optional<nlohmann::json> rebuild;
};

// Shorthands for the four codes.
ViewError InvalidArgument(std::string message, std::string field = "");
ViewError Forbidden(std::string message, std::string field = "");
ViewError NotFound(std::string message, std::string field = "");
ViewError Unavailable(std::string message);

}  // namespace mentorlog::projections
