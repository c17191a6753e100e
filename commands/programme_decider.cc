// Deciders of DOMAIN.md 6: programmes, milestones and feedback.

#include <algorithm>

#include "commands/decider_support.h"

namespace mentorlog::commands::internal {
namespace {

std::expected<const ProgramState*, Rejection> FindProgram(const WriteState& s,
                                                          const std::string& id) {
  const auto it = s.programs.find(id);
  if (it == s.programs.end()) {
    return std::unexpected(Rejection{ErrorCode::kNotFound, "no such programme", "program_id"});
  }
  return &it->second;
}

// The student's enrolment in `program`, or invalid_state on student_id.
std::expected<const ProgramEnrolment*, Rejection> FindEnrolment(const ProgramState& program,
                                                                const std::string& student_id) {
  const auto it = program.enrolled.find(student_id);
  if (it == program.enrolled.end()) {
    return std::unexpected(Rejection{ErrorCode::kInvalidState,
                                     "the student is not enrolled in the programme", "student_id"});
  }
  return &it->second;
}

// The mentor-only commands about one student: only the student's own mentor.
std::optional<Rejection> CheckOwnMentor(const Context& ctx, const StudentState& student) {
  if (IsMentorOf(student, ctx.actor.id)) return std::nullopt;
  return Rejection{ErrorCode::kForbidden, "a mentor may act only for their assigned mentees",
                   "student_id"};
}

Json MilestonesJson(const std::vector<Milestone>& milestones) {
  Json out = Json::array();
  for (const Milestone& m : milestones) {
    out.push_back({{"milestone_id", m.milestone_id}, {"title", m.title}});
  }
  return out;
}

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

// local@domain.tld with no spaces: enough to catch a name typed into the wrong field.
bool LooksLikeEmail(std::string_view email) {
  const auto at = email.find('@');
  if (at == std::string_view::npos || at == 0 ||
      email.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  const std::string_view domain = email.substr(at + 1);
  const auto dot = domain.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 >= domain.size()) return false;
  return std::ranges::none_of(email, [](char c) { return static_cast<unsigned char>(c) <= ' '; });
}

}  // namespace

Decision DecideFor(const WriteState& s, const CreateProgram& c, const Context&) {
  if (s.programs.contains(c.program_id)) {
    return Reject(ErrorCode::kConflict, "programme id already used", "program_id");
  }
  return One(ProgramStream(c.program_id), "ProgramCreated",
             {{"program_id", c.program_id},
              {"name", c.name},
              {"milestones", MilestonesJson(c.milestones)},
              {"mentor_can_customise", c.mentor_can_customise}});
}

Decision DecideFor(const WriteState& s, const EnrollInProgram& c, const Context&) {
  const auto program = FindProgram(s, c.program_id);
  if (!program) return std::unexpected(program.error());
  const auto student = FindStudent(s, c.student_id, "student_id");
  if (!student) return std::unexpected(student.error());
  if ((*program)->enrolled.contains(c.student_id)) {
    return Reject(ErrorCode::kConflict, "the student is already enrolled in the programme",
                  "student_id");
  }
  return One(ProgramStream(c.program_id), "ProgramEnrolled",
             {{"program_id", c.program_id}, {"student_id", c.student_id}});
}

Decision DecideFor(const WriteState& s, const CustomiseMilestones& c, const Context& ctx) {
  const auto program = FindProgram(s, c.program_id);
  if (!program) return std::unexpected(program.error());
  const auto student = FindStudent(s, c.student_id, "student_id");
  if (!student) return std::unexpected(student.error());
  if (auto r = CheckOwnMentor(ctx, **student)) return std::unexpected(*r);
  if (!(*program)->mentor_can_customise) {
    return Reject(ErrorCode::kForbidden, "this programme does not let mentors customise it",
                  "program_id");
  }
  const auto enrolment = FindEnrolment(**program, c.student_id);
  if (!enrolment) return std::unexpected(enrolment.error());
  for (const std::string& done : (*enrolment)->completed) {
    const bool kept = std::ranges::any_of(
        c.milestones, [&](const Milestone& m) { return m.milestone_id == done; });
    if (!kept) {
      return Reject(ErrorCode::kInvalidState,
                    "milestone " + done + " is completed and cannot be removed", "milestones");
    }
  }
  return One(ProgramStream(c.program_id), "MilestonesCustomised",
             {{"program_id", c.program_id},
              {"student_id", c.student_id},
              {"mentor_id", ctx.actor.id},
              {"milestones", MilestonesJson(c.milestones)}});
}

Decision DecideFor(const WriteState& s, const CompleteMilestone& c, const Context& ctx) {
  const auto program = FindProgram(s, c.program_id);
  if (!program) return std::unexpected(program.error());
  const auto student = FindStudent(s, c.student_id, "student_id");
  if (!student) return std::unexpected(student.error());
  if (auto r = CheckOwnMentor(ctx, **student)) return std::unexpected(*r);
  const auto enrolment = FindEnrolment(**program, c.student_id);
  if (!enrolment) return std::unexpected(enrolment.error());
  if (std::ranges::find((*enrolment)->milestones, c.milestone_id) ==
      (*enrolment)->milestones.end()) {
    return Reject(ErrorCode::kNotFound, "no such milestone for this student", "milestone_id");
  }
  if ((*enrolment)->completed.contains(c.milestone_id)) {
    return Reject(ErrorCode::kInvalidState, "the milestone is already completed", "milestone_id");
  }
  // DOMAIN.md 6 / seed 003: a review meeting is due after every completed milestone,
  // until a meeting linked to the programme is held.
  return One(ProgramStream(c.program_id), "MilestoneCompleted",
             {{"program_id", c.program_id},
              {"student_id", c.student_id},
              {"milestone_id", c.milestone_id},
              {"mentor_id", ctx.actor.id},
              {"review_due", true}});
}

Decision DecideFor(const WriteState& s, const RateSkill& c, const Context& ctx) {
  const auto student = FindStudent(s, c.student_id, "student_id");
  if (!student) return std::unexpected(student.error());
  if (c.program_id && !s.programs.contains(*c.program_id)) {
    return Reject(ErrorCode::kNotFound, "no such programme", "program_id");
  }
  if (auto r = CheckOwnMentor(ctx, **student)) return std::unexpected(*r);
  Json data = {{"student_id", c.student_id},
               {"skill", c.skill},
               {"rating", c.rating},
               {"mentor_id", ctx.actor.id}};
  SetIf(data, "program_id", c.program_id);
  return One(StudentStream(c.student_id), "SkillRated", std::move(data));
}

Decision DecideFor(const WriteState& s, const GiveFeedback& c, const Context& ctx) {
  const auto student = FindStudent(s, c.student_id, "student_id");
  if (!student) return std::unexpected(student.error());
  if (auto r = CheckOwnMentor(ctx, **student)) return std::unexpected(*r);
  return One(StudentStream(c.student_id), "FeedbackGiven",
             {{"student_id", c.student_id},
              {"mentor_id", ctx.actor.id},
              {"kind", ToString(c.kind)},
              {"text", c.text}});
}

Decision DecideFor(const WriteState& s, const NominateStakeholder& c, const Context& ctx) {
  if (!LooksLikeEmail(c.email)) {
    return Reject(ErrorCode::kInvalidArgument, "must be an email address", "email");
  }
  const auto program = FindProgram(s, c.program_id);
  if (!program) return std::unexpected(program.error());
  const auto student = FindStudent(s, c.student_id, "student_id");
  if (!student) return std::unexpected(student.error());
  if (auto r = CheckActsFor(ctx, c.student_id, **student, "student_id")) {
    return std::unexpected(*r);
  }
  const auto enrolment = FindEnrolment(**program, c.student_id);
  if (!enrolment) return std::unexpected(enrolment.error());
  if ((*enrolment)->stakeholders.contains(Lower(c.email))) {
    return Reject(ErrorCode::kConflict, "this stakeholder is already nominated", "email");
  }
  return One(ProgramStream(c.program_id), "StakeholderNominated",
             {{"program_id", c.program_id},
              {"student_id", c.student_id},
              {"name", c.name},
              {"email", c.email}});
}

Decision DecideFor(const WriteState& s, const SubmitSatisfaction& c, const Context& ctx) {
  // Only people the programme knows: a registered mentor or an enrolled student.
  const bool mentor = Is(ctx, "mentor");
  if (mentor ? !s.mentors.contains(ctx.actor.id) : !s.students.contains(ctx.actor.id)) {
    return Reject(ErrorCode::kForbidden, "the token's subject is not a registered participant");
  }
  if (c.program_id) {
    const auto program = FindProgram(s, *c.program_id);
    if (!program) return std::unexpected(program.error());
    // A mentee of the programme, or the mentor of one.
    const bool takes_part = mentor
                                ? std::ranges::any_of((*program)->enrolled,
                                                      [&](const auto& en) {
                                                        const auto st = s.students.find(en.first);
                                                        return st != s.students.end() &&
                                                               IsMentorOf(st->second, ctx.actor.id);
                                                      })
                                : (*program)->enrolled.contains(ctx.actor.id);
    if (!takes_part) {
      return Reject(ErrorCode::kForbidden, "the actor takes no part in this programme",
                    "program_id");
    }
  }
  Json data = {{"rating", c.rating},
               {"role", ctx.actor.role},
               // One per person per programme: a later submission replaces this one.
               {"replaces", s.satisfaction.contains({ctx.actor.id, c.program_id.value_or("")})}};
  SetIf(data, "program_id", c.program_id);
  SetIf(data, "comment", c.comment);
  const std::string stream = c.program_id ? ProgramStream(*c.program_id)
                             : mentor     ? MentorStream(ctx.actor.id)
                                          : StudentStream(ctx.actor.id);
  return One(stream, "SatisfactionSubmitted", std::move(data));
}

}  // namespace mentorlog::commands::internal
