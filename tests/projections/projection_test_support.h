#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "events/envelope.h"
#include "events/time.h"
#include "projections/projection.h"
#include "projections/projection_registry.h"

namespace mentorlog::projections::testing {

using nlohmann::json;

inline const events::Actor kAdmin{"A-1", "admin"};
inline const events::Actor kAuditor{"AU-1", "auditor"};
inline const events::Actor kSystem{"system", "system"};

inline events::TimeMs T(const char* rfc3339) { return *events::ParseTime(rfc3339); }

// Builds a log of envelopes with consecutive positions and times one second apart
// (from `start`), for folding projections directly.
class LogBuilder {
 public:
  explicit LogBuilder(events::TimeMs start = T("2026-11-01T08:00:00Z")) : time_(start) {}

  events::Envelope& Add(std::string type, json data, events::Actor actor = kAdmin) {
    events::Envelope e;
    e.position = events_.size() + 1;
    e.stream = "test-1";
    e.version = e.position;
    e.type = std::move(type);
    e.time = time_;
    time_ += 1000;
    e.actor = std::move(actor);
    e.SetData(std::move(data));
    events_.push_back(std::move(e));
    return events_.back();
  }

  // Sets the recorded time of the next event.
  void At(events::TimeMs t) { time_ = t; }

  const std::vector<events::Envelope>& events() const { return events_; }

 private:
  events::TimeMs time_;
  std::vector<events::Envelope> events_;
};

// A fresh projection with every event of `log` folded in.
inline std::unique_ptr<Projection> Fold(std::string_view name, const LogBuilder& log) {
  auto p = MakeProjection(name);
  for (const auto& e : log.events()) p->Fold(e);
  return p;
}

inline ViewRequest Read(std::string view, events::Actor reader,
                        std::optional<std::string> key = std::nullopt,
                        std::map<std::string, std::string> params = {},
                        events::TimeMs now = T("2026-11-23T10:00:00Z")) {
  return {std::move(view), std::move(key), std::move(params), std::move(reader), now, {}};
}

// Query that must succeed; returns the data.
inline json Ok(const Projection& p, const ViewRequest& r, const QueryContext& c = {}) {
  auto out = p.Query(r, c);
  EXPECT_TRUE(out.has_value()) << (out ? "" : out.error().code + ": " + out.error().message);
  return out ? *out : json();
}

// Query that must fail; returns the error code.
inline std::string Err(const Projection& p, const ViewRequest& r, const QueryContext& c = {}) {
  auto out = p.Query(r, c);
  EXPECT_FALSE(out.has_value()) << out->dump();
  return out ? "" : out.error().code;
}

// The common opening of a programme: mentors M-1 (capacity 2) and M-2, students
// S-1 (Asha Rao), S-2 (Ravi Kumar), S-3 (Meera Iyer); S-1 and S-2 with M-1, S-3 with M-2.
inline void Seed(LogBuilder& log) {
  log.Add("MentorRegistered", {{"mentor_id", "M-1"},
                               {"name", "Dr. Anand"},
                               {"department", "CSE"},
                               {"expertise", json::array()},
                               {"max_mentees", 2}});
  log.Add("MentorRegistered", {{"mentor_id", "M-2"},
                               {"name", "Dr. Bose"},
                               {"department", "ECE"},
                               {"expertise", json::array()},
                               {"max_mentees", 20}});
  const char* names[] = {"Asha Rao", "Ravi Kumar", "Meera Iyer"};
  for (int i = 1; i <= 3; ++i) {
    const std::string id = "S-" + std::to_string(i);
    log.Add("StudentEnrolled", {{"student_id", id},
                                {"roll_number", "21CS00" + std::to_string(i)},
                                {"name", names[i - 1]},
                                {"department", "CSE"},
                                {"year", 2}});
  }
  log.Add("MentorAssigned", {{"student_id", "S-1"}, {"mentor_id", "M-1"}});
  log.Add("MentorAssigned", {{"student_id", "S-2"}, {"mentor_id", "M-1"}});
  log.Add("MentorAssigned", {{"student_id", "S-3"}, {"mentor_id", "M-2"}});
}

}  // namespace mentorlog::projections::testing
