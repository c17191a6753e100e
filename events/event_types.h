#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "events/envelope.h"

namespace mentorlog::events {

// The current `schema` number of an event type's `data`, or 0 for a type the
// code does not know. Bump a type's number when its data changes shape, and
// register an upcaster from the old number so old records still read.
int CurrentSchema(std::string_view type);

// Upcasters turn the data of an old schema into the next one on read, so
// projections only ever see current shapes while the log keeps what was written.
// Not thread-safe to Register while Upcast runs; register at start-up.
class Upcasters {
 public:
  // Converts `data` of `type` at schema `from` into schema `from + 1`.
  using Step = std::function<nlohmann::json(nlohmann::json data)>;

  void Register(std::string type, int from, Step step);

  // Applies registered steps while one exists for the envelope's (type, schema),
  // updating `e.data` and `e.schema`. The stored bytes and hash are untouched:
  // upcasting changes what is read, never what was recorded.
  void Upcast(Envelope& e) const;

 private:
  std::map<std::pair<std::string, int>, Step, std::less<>> steps_;
};

}  // namespace mentorlog::events
