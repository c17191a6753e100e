// Deciders of DOMAIN.md 5: academic record and counselling.

#include <algorithm>

#include "commands/decider_support.h"

namespace mentorlog::commands::internal {
namespace {

// An absolute URI: a scheme (letter, then letters, digits, + - .), a colon, and at
// least one more character, with no spaces or control characters. Attachments are
// references; the files themselves are not stored.
bool IsAbsoluteUri(std::string_view uri) {
  const auto colon = uri.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 >= uri.size()) return false;
  const auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (!alpha(uri[0])) return false;
  for (std::size_t i = 1; i < colon; ++i) {
    const char c = uri[i];
    if (!alpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') return false;
  }
  return std::ranges::none_of(uri, [](char c) { return static_cast<unsigned char>(c) <= ' '; });
}

// marks x 100 / max_marks, truncated to two decimals.
double Percentage(std::int64_t marks, std::int64_t max_marks) {
  return static_cast<double>(marks * 10'000 / max_marks) / 100.0;
}

}  // namespace

Decision DecideFor(const WriteState& s, const RecordExamResult& c, const Context& ctx) {
  if (c.marks > c.max_marks) {
    return Reject(ErrorCode::kInvalidArgument, "must not exceed max_marks", "marks");
  }
  const auto student = FindStudent(s, c.student_id, "student_id");
  if (!student) return std::unexpected(student.error());
  if (auto r = CheckActsFor(ctx, c.student_id, **student, "student_id")) {
    return std::unexpected(*r);
  }
  Json data = {{"student_id", c.student_id},
               {"exam", c.exam},
               {"subject", c.subject},
               {"marks", c.marks},
               {"max_marks", c.max_marks},
               {"percentage", Percentage(c.marks, c.max_marks)},
               // DOMAIN.md 5: a concern when marks < 40 % of the maximum.
               {"concern", c.marks * 100 < 40 * c.max_marks}};
  SetIf(data, "term", c.term);
  return One(StudentStream(c.student_id), "ExamResultRecorded", std::move(data));
}

Decision DecideFor(const WriteState& s, const RecordAchievement& c, const Context& ctx) {
  const auto student = FindStudent(s, c.student_id, "student_id");
  if (!student) return std::unexpected(student.error());
  if (auto r = CheckActsFor(ctx, c.student_id, **student, "student_id")) {
    return std::unexpected(*r);
  }
  Json data = {{"student_id", c.student_id},
               {"title", c.title},
               {"category", c.category},
               {"date", events::FormatDate(c.date)}};
  SetIf(data, "description", c.description);
  return One(StudentStream(c.student_id), "AchievementRecorded", std::move(data));
}

Decision DecideFor(const WriteState& s, const RecordEnrollment& c, const Context&) {
  const auto student = FindStudent(s, c.student_id, "student_id");
  if (!student) return std::unexpected(student.error());
  return One(StudentStream(c.student_id), "EnrollmentRecorded",
             {{"student_id", c.student_id},
              {"term", c.term},
              {"programme", c.programme},
              {"courses", c.courses},
              {"status", c.status}});
}

Decision DecideFor(const WriteState& s, const CreateCounselling& c, const Context& ctx) {
  for (std::size_t i = 0; i < c.attachments.size(); ++i) {
    if (!IsAbsoluteUri(c.attachments[i].uri)) {
      return Reject(ErrorCode::kInvalidArgument, "must be an absolute URI (scheme:...)",
                    "attachments[" + std::to_string(i) + "].uri");
    }
  }
  for (std::size_t i = 0; i < c.student_ids.size(); ++i) {
    const std::string field = "student_ids[" + std::to_string(i) + "]";
    const auto student = FindStudent(s, c.student_ids[i], field);
    if (!student) return std::unexpected(student.error());
    if (!IsMentorOf(**student, ctx.actor.id)) {
      return Reject(ErrorCode::kForbidden, "a mentor counsels only their assigned mentees", field);
    }
  }
  const CounsellingRequestState* request = nullptr;
  if (c.request_id) {
    const auto it = s.counselling_requests.find(*c.request_id);
    if (it == s.counselling_requests.end()) {
      return Reject(ErrorCode::kNotFound, "no such counselling request", "request_id");
    }
    request = &it->second;
    if (std::ranges::find(c.student_ids, request->student_id) == c.student_ids.end()) {
      return Reject(ErrorCode::kInvalidArgument,
                    "the requesting student " + request->student_id + " must be in student_ids",
                    "request_id");
    }
  }
  if (s.counsellings.contains(c.counselling_id)) {
    return Reject(ErrorCode::kConflict, "counselling id already used", "counselling_id");
  }
  if (request != nullptr && request->answered_by) {
    return Reject(ErrorCode::kInvalidState,
                  "the request was already answered by " + *request->answered_by, "request_id");
  }
  Json attachments = Json::array();
  for (const Attachment& a : c.attachments) {
    attachments.push_back({{"name", a.name}, {"uri", a.uri}});
  }
  Json data = {{"counselling_id", c.counselling_id},
               {"mentor_id", ctx.actor.id},
               {"name", c.name},
               {"at", events::FormatTime(c.at)},
               {"notes", c.notes},
               {"attachments", std::move(attachments)},
               {"student_ids", c.student_ids}};
  SetIf(data, "request_id", c.request_id);
  return One(CounsellingStream(c.counselling_id), "CounsellingCreated", std::move(data));
}

Decision DecideFor(const WriteState& s, const RecordCounsellingOutcome& c, const Context& ctx) {
  const auto it = s.counsellings.find(c.counselling_id);
  if (it == s.counsellings.end()) {
    return Reject(ErrorCode::kNotFound, "no such counselling", "counselling_id");
  }
  const CounsellingState& counselling = it->second;
  if (ctx.actor.id != counselling.mentor_id) {
    return Reject(ErrorCode::kForbidden, "only the counselling's mentor records its outcome",
                  "counselling_id");
  }
  if (ctx.now < counselling.at) {
    return Reject(ErrorCode::kInvalidState, "the counselling session has not started yet",
                  "counselling_id");
  }
  return One(CounsellingStream(c.counselling_id), "CounsellingOutcomeRecorded",
             {{"counselling_id", c.counselling_id},
              {"mentor_id", counselling.mentor_id},
              {"student_ids", counselling.student_ids},
              {"outcome", c.outcome},
              {"goals", c.goals},
              {"revision", counselling.outcomes + 1}});
}

Decision DecideFor(const WriteState& s, const RequestCounselling& c, const Context& ctx) {
  const auto student = FindStudent(s, c.student_id, "student_id");
  if (!student) return std::unexpected(student.error());
  if (auto r = CheckActsFor(ctx, c.student_id, **student, "student_id")) {
    return std::unexpected(*r);
  }
  if (s.counselling_requests.contains(c.request_id)) {
    return Reject(ErrorCode::kConflict, "request id already used", "request_id");
  }
  Json data = {{"request_id", c.request_id}, {"student_id", c.student_id}, {"topic", c.topic}};
  SetIf(data, "details", c.details);
  return One(StudentStream(c.student_id), "CounsellingRequested", std::move(data));
}

}  // namespace mentorlog::commands::internal
