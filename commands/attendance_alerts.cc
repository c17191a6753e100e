#include <set>

#include "commands/decide.h"
#include "commands/decider_support.h"

namespace mentorlog::commands {
namespace {

// The students whose percentage `e` may have changed, in order of appearance.
std::vector<std::string> AffectedStudents(const WriteState& state, const events::Envelope& e) {
  std::vector<std::string> out;
  const auto student = [&](const nlohmann::json& d) {
    const auto it = d.find("student_id");
    if (it != d.end() && it->is_string()) out.push_back(it->get<std::string>());
  };
  if (e.type == "AttendanceRecorded") {
    const auto entries = e.data.find("entries");
    if (entries != e.data.end() && entries->is_array()) {
      for (const auto& entry : *entries) student(entry);
    }
  } else if (e.type == "AttendanceCorrected") {
    student(e.data);
  } else if (e.type == "LeaveApproved") {
    const auto leave = state.leaves.find(e.data.value("leave_id", ""));
    if (leave != state.leaves.end()) out.push_back(leave->second.student_id);
  }
  return out;
}

}  // namespace

std::vector<DomainEvent> AttendanceAlerts(const WriteState& state,
                                          const events::Envelope& just_applied) {
  std::vector<DomainEvent> out;
  std::set<std::string> seen;
  for (const std::string& student : AffectedStudents(state, just_applied)) {
    if (!seen.insert(student).second) continue;
    const AttendanceSummary summary = SummarizeAttendance(state, student);
    if (summary.band == 0) continue;
    const auto tally = state.tallies.find(student);
    const int alerted = tally == state.tallies.end() ? 0 : tally->second.alerted_level;
    if (alerted != 0 && summary.band >= alerted) continue;
    const std::int64_t n = state.alerts_raised + static_cast<std::int64_t>(out.size()) + 1;
    out.push_back({internal::StudentStream(student),
                   "AttendanceAlertRaised",
                   {{"alert_id", "alert-" + std::to_string(n)},
                    {"student_id", student},
                    {"level", summary.band},
                    {"percentage", static_cast<double>(summary.hundredths) / 100.0}}});
  }
  return out;
}

}  // namespace mentorlog::commands
