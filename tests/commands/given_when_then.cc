#include "tests/commands/given_when_then.h"

#include "commands/command.h"

namespace mentorlog::commands::testing {

events::Actor Admin(std::string id) { return {std::move(id), "admin"}; }
events::Actor Mentor(std::string id) { return {std::move(id), "mentor"}; }
events::Actor Mentee(std::string id) { return {std::move(id), "mentee"}; }
events::Actor Auditor(std::string id) { return {std::move(id), "auditor"}; }
events::Actor System() { return {"system", "system"}; }

events::TimeMs T(std::string_view rfc3339) {
  const auto t = events::ParseTime(rfc3339);
  EXPECT_TRUE(t.has_value()) << rfc3339;
  return t.value_or(0);
}

events::Envelope& Scenario::Append(const DomainEvent& event, const events::Actor& actor,
                                   events::TimeMs time) {
  events::Envelope e;
  e.position = log_.size() + 1;
  e.stream = event.stream;
  e.version = ++versions_[event.stream];
  e.type = event.type;
  e.time = time;
  e.actor = actor;
  e.data = event.data;
  log_.push_back(std::move(e));
  return log_.back();
}

std::vector<DomainEvent> Scenario::Commit(const DomainEvent& event, const events::Actor& actor,
                                          events::TimeMs time) {
  Apply(state_, Append(event, actor, time));
  const events::Envelope trigger = log_.back();
  std::vector<DomainEvent> alerts = AttendanceAlerts(state_, trigger);
  for (const DomainEvent& alert : alerts) Apply(state_, Append(alert, System(), time));
  return alerts;
}

Scenario& Scenario::Given(const std::vector<GivenEvent>& events) {
  for (const GivenEvent& g : events) Commit({g.stream, g.type, g.data}, g.actor, g.time);
  return *this;
}

Decision Scenario::When(const events::Actor& actor, std::string_view name, const Json& body,
                        events::TimeMs now) const {
  auto command = DecodeCommand(name, body);
  if (!command) return std::unexpected(command.error());
  return Decide(state_, *command, Context{actor, now});
}

std::vector<DomainEvent> Scenario::Run(const events::Actor& actor, std::string_view name,
                                       const Json& body, events::TimeMs now) {
  Decision d = When(actor, name, body, now);
  EXPECT_TRUE(d.has_value()) << name << " " << body.dump() << " refused: "
                             << (d ? ""
                                   : std::string(ErrorCodeName(d.error().code)) + " " +
                                         d.error().field + ": " + d.error().message);
  if (!d) return {};
  for (const DomainEvent& e : *d) Commit(e, actor, now);
  return *d;
}

Scenario& Scenario::Standard() {
  Run(Admin(), "RegisterMentor",
      {{"mentor_id", "M-1"}, {"name", "Asha"}, {"department", "CSE"}, {"max_mentees", 2}});
  Run(Admin(), "RegisterMentor", {{"mentor_id", "M-2"}, {"name", "Ravi"}, {"department", "ECE"}});
  for (const char* id : {"S-1", "S-2", "S-3"}) {
    Run(Admin(), "EnrollStudent",
        {{"student_id", id},
         {"roll_number", std::string("R") + id},
         {"name", std::string("Student ") + id},
         {"department", "CSE"},
         {"email", std::string(id) + "@example.edu"}});
  }
  Run(Admin(), "AssignMentor", {{"student_id", "S-1"}, {"mentor_id", "M-1"}});
  Run(Admin(), "AssignMentor", {{"student_id", "S-2"}, {"mentor_id", "M-2"}});
  return *this;
}

std::vector<DomainEvent> Scenario::Alerts() const {
  std::vector<DomainEvent> out;
  for (const events::Envelope& e : log_) {
    if (e.type == "AttendanceAlertRaised") out.push_back({e.stream, e.type, e.data});
  }
  return out;
}

namespace {

std::string Describe(const Decision& d) {
  if (!d) {
    return "rejection " + std::string(ErrorCodeName(d.error().code)) + " field '" +
           d.error().field + "': " + d.error().message;
  }
  std::string out = "events:";
  for (const DomainEvent& e : *d) out += "\n  " + e.stream + " " + e.type + " " + e.data.dump();
  return out;
}

}  // namespace

::testing::AssertionResult EventsAre(const Decision& got, const std::vector<DomainEvent>& want) {
  if (got && *got == want) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "got " << Describe(got) << "\nwant " << Describe(Decision(want));
}

::testing::AssertionResult RejectedWith(const Decision& got, ErrorCode code,
                                        std::string_view field) {
  if (!got && got.error().code == code && got.error().field == field) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "got " << Describe(got) << "\nwant rejection "
                                       << ErrorCodeName(code) << " field '" << field << "'";
}

::testing::AssertionResult Accepted(const Decision& got) {
  if (got) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "got " << Describe(got);
}

WriteState Rebuild(const std::vector<events::Envelope>& log) {
  WriteState s;
  for (const events::Envelope& e : log) Apply(s, e);
  return s;
}

}  // namespace mentorlog::commands::testing
