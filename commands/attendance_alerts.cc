#include <algorithm>
#include <optional>
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

// The alert `student` is owed in `state` (numbered `n`), if any: their
// percentage is in a band below every level they were already alerted at.
std::optional<DomainEvent> AlertOwed(const WriteState& state, const std::string& student,
                                     std::int64_t n) {
  const AttendanceSummary summary = SummarizeAttendance(state, student);
  if (summary.band == 0) return std::nullopt;
  const auto tally = state.tallies.find(student);
  const int alerted = tally == state.tallies.end() ? 0 : tally->second.alerted_level;
  if (alerted != 0 && summary.band >= alerted) return std::nullopt;
  return DomainEvent{internal::StudentStream(student),
                     "AttendanceAlertRaised",
                     {{"alert_id", "alert-" + std::to_string(n)},
                      {"student_id", student},
                      {"level", summary.band},
                      {"percentage", static_cast<double>(summary.hundredths) / 100.0}}};
}

// The alerts owed to `students`, each student once, numbered after those raised.
std::vector<DomainEvent> AlertsOwed(const WriteState& state,
                                    const std::vector<std::string>& students) {
  std::vector<DomainEvent> out;
  std::set<std::string> seen;
  for (const std::string& student : students) {
    if (!seen.insert(student).second) continue;
    const std::int64_t n = state.alerts_raised + static_cast<std::int64_t>(out.size()) + 1;
    if (auto alert = AlertOwed(state, student, n)) out.push_back(std::move(*alert));
  }
  return out;
}

}  // namespace

std::vector<DomainEvent> AttendanceAlerts(const WriteState& state,
                                          const events::Envelope& just_applied) {
  return AlertsOwed(state, AffectedStudents(state, just_applied));
}

std::vector<DomainEvent> OwedAttendanceAlerts(const WriteState& state) {
  std::vector<std::string> students;
  for (const auto& [student, tally] : state.tallies) students.push_back(student);
  std::sort(students.begin(), students.end());
  return AlertsOwed(state, students);
}

}  // namespace mentorlog::commands
