#pragma once

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "commands/decide.h"
#include "commands/write_state.h"
#include "events/envelope.h"

// Given/when/then for deciders: given committed events (or commands that produced
// them), when a command is decided in a context, then exact events or an exact
// rejection.
namespace mentorlog::commands::testing {

using Json = nlohmann::json;
using Decision = std::expected<std::vector<DomainEvent>, Rejection>;

events::Actor Admin(std::string id = "A-1");
events::Actor Mentor(std::string id);
events::Actor Mentee(std::string id);
events::Actor Auditor(std::string id = "AU-1");
events::Actor System();

// "2026-11-23T08:00:00Z" -> ms; the test must pass a valid time.
events::TimeMs T(std::string_view rfc3339);

// The default "now" of the scenarios: 2026-11-23T08:00:00Z.
inline constexpr std::string_view kNow = "2026-11-23T08:00:00Z";

// An event as a test gives it.
struct GivenEvent {
  std::string stream;
  std::string type;
  Json data;
  events::Actor actor = Admin();
  events::TimeMs time = 0;
};

// A write-side history and the command path's post-commit step, in memory.
class Scenario {
 public:
  // Commits `events` in order (positions and versions assigned), running the alert
  // policy after each as the command path does.
  Scenario& Given(const std::vector<GivenEvent>& events);

  // Decodes `body` as command `name` and decides it as `actor` at `now`, without
  // committing anything.
  Decision When(const events::Actor& actor, std::string_view name, const Json& body,
                events::TimeMs now) const;
  Decision When(const events::Actor& actor, std::string_view name, const Json& body) const {
    return When(actor, name, body, T(kNow));
  }

  // When + commit; the command must be accepted (else the test fails and nothing is
  // committed). Returns the decided events.
  std::vector<DomainEvent> Run(const events::Actor& actor, std::string_view name, const Json& body,
                               events::TimeMs now);
  std::vector<DomainEvent> Run(const events::Actor& actor, std::string_view name,
                               const Json& body) {
    return Run(actor, name, body, T(kNow));
  }

  // Mentors M-1 (max 2 mentees) and M-2, students S-1 and S-2 assigned to M-1 and M-2,
  // S-3 enrolled without a mentor.
  Scenario& Standard();

  // Commits one decided event as the store would, then the alerts it triggers.
  // Returns the alerts raised.
  std::vector<DomainEvent> Commit(const DomainEvent& event, const events::Actor& actor,
                                  events::TimeMs time);

  const WriteState& state() const { return state_; }
  const std::vector<events::Envelope>& log() const { return log_; }
  // Events committed by the system (alerts), in order.
  std::vector<DomainEvent> Alerts() const;

 private:
  events::Envelope& Append(const DomainEvent& event, const events::Actor& actor,
                           events::TimeMs time);

  WriteState state_;
  std::vector<events::Envelope> log_;
  std::map<std::string, std::uint64_t> versions_;
};

// Then: the decision succeeded with exactly `want`.
::testing::AssertionResult EventsAre(const Decision& got, const std::vector<DomainEvent>& want);
// Then: the decision was refused with `code` on `field` (any message).
::testing::AssertionResult RejectedWith(const Decision& got, ErrorCode code,
                                        std::string_view field);
// Then: the decision succeeded (any events).
::testing::AssertionResult Accepted(const Decision& got);

// The state rebuilt from `log` alone, as a restart would.
WriteState Rebuild(const std::vector<events::Envelope>& log);

}  // namespace mentorlog::commands::testing
