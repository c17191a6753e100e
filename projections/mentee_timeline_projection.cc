// The "mentee-timeline" view (DOMAIN.md "Views"): one student's history, newest
// first — meetings, observations and action items, leave, alerts, exam concerns,
// achievements, counselling (requests, sessions, outcomes), programme enrolment,
// milestones, skill ratings, feedback and nominations, profile and mentor
// changes. Beside the page, `skills` gives the latest rating of each skill (the
// latest wins; every SkillRated stays in the timeline). The state keeps only
// each entry's position (8 bytes); a query reads the page's events from the log
// by point reads (events are immutable, so the answer is the same as keeping
// copies, at a fraction of the memory).

#include <algorithm>
#include <map>
#include <span>
#include <unordered_map>

#include "projections/fold_support.h"
#include "projections/ledgers.h"
#include "projections/projection_registry.h"
#include "projections/state_codec.h"

namespace mentorlog::projections::internal {
namespace {

// One student's entries, oldest first: their positions in the log.
using Timeline = std::vector<std::uint64_t>;

// The latest rating of one skill.
struct SkillRating {
  std::int64_t rating = 0;
  std::string program_id;
  std::string mentor_id;
  events::TimeMs rated_at = 0;
};
MENTORLOG_STATE(SkillRating, rating, program_id, mentor_id, rated_at)

class MenteeTimelineProjection final : public Projection {
 public:
  std::string_view Name() const override { return "mentee-timeline"; }
  int Version() const override { return 5; }

  std::expected<Json, ViewError> Query(const ViewRequest& r,
                                       const QueryContext& context) const override {
    const auto id = r.key ? r.key : Param(r, "student");
    if (!id)
      return std::unexpected(InvalidArgument("name the student: mentee-timeline/{id}", "key"));
    const bool mine = (IsMentee(r) && r.reader.id == *id) ||
                      (IsMentor(r) && roster_.MentorOf(*id) == r.reader.id);
    if (!ReadsAll(r) && !mine) {
      return std::unexpected(Forbidden("not a student this token may read", "key"));
    }
    const auto it = FindByText(timelines_, *id);
    if (it == timelines_.end()) return std::unexpected(NotFound("no such student", "key"));
    const auto paging = ParsePaging(r);
    if (!paging) return std::unexpected(paging.error());
    const Timeline& entries = it->second;
    Json items = Json::array();
    for (std::size_t i = paging->offset; i < entries.size() && i < paging->offset + paging->limit;
         ++i) {
      if (context.log == nullptr) return std::unexpected(Unavailable("no log to read"));
      auto read = context.log->ReadAt(entries[entries.size() - 1 - i]);
      if (!read) return std::unexpected(Unavailable("the log could not be read"));
      const events::Envelope& e = *read;
      items.push_back({{"position", e.position},
                       {"time", events::FormatTime(e.time)},
                       {"type", e.type},
                       {"actor", {{"id", e.actor.id}, {"role", e.actor.role}}},
                       {"data", e.data}});
    }
    Json out = PageOf(std::move(items), entries.size(), *paging);
    out["student_id"] = *id;
    Json skills = Json::object();
    if (const auto sk = skills_.find(it->first); sk != skills_.end()) {
      for (const auto& [skill, rating] : sk->second) {
        skills[skill] = {{"rating", rating.rating},
                         {"program_id", StrOrNull(rating.program_id)},
                         {"mentor_id", rating.mentor_id},
                         {"rated_at", events::FormatTime(rating.rated_at)}};
      }
    }
    out["skills"] = std::move(skills);
    return out;
  }

  Json Save() const override {
    return {{"timelines", timelines_},
            {"meetings", meeting_students_},
            {"counselling", counselling_students_},
            {"skills", skills_},
            {"roster", roster_.Save()}};
  }

 protected:
  void Apply(const events::Envelope& e) override {
    roster_.Apply(e);
    if (e.type == "AttendanceRecorded"sv || e.type == "AttendanceCorrected"sv) return;
    if (e.type == "StudentEnrolled"sv) timelines_[Sym(e.Data(), "student_id")];
    if (e.type == "ExamResultRecorded"sv && !IsConcern(e.Data())) return;
    if (e.type == "SkillRated"sv) {
      skills_[Sym(e.Data(), "student_id")][Str(e.Data(), "skill")] = {
          Int(e.Data(), "rating"), Str(e.Data(), "program_id"), Str(e.Data(), "mentor_id"), e.time};
    }
    // The students this event lists, kept for the events that follow it.
    const std::vector<Symbol>* listed = nullptr;
    if (e.type == "MeetingScheduled"sv) {
      listed = &(meeting_students_[Sym(e.Data(), "meeting_id")] = Syms(e.Data(), "student_ids"));
    } else if (e.type == "CounsellingCreated"sv) {
      listed =
          &(counselling_students_[Sym(e.Data(), "counselling_id")] = Syms(e.Data(), "student_ids"));
    }
    // Whose timelines the event joins; no allocation for the usual single student.
    std::span<const Symbol> students;
    const Symbol one = Sym(e.Data(), "student_id");
    std::vector<Symbol> own;
    if (!one.empty()) {
      students = {&one, 1};
    } else if (listed != nullptr) {
      students = *listed;
    } else if (e.Data().Has("student_ids")) {
      own = Syms(e.Data(), "student_ids");
      students = own;
    } else if (const auto m = FindById(meeting_students_, e.Data(), "meeting_id");
               m != meeting_students_.end()) {
      students = m->second;
    } else if (const auto c = FindById(counselling_students_, e.Data(), "counselling_id");
               c != counselling_students_.end()) {
      students = c->second;
    }
    for (const Symbol s : students) {
      if (const auto it = timelines_.find(s); it != timelines_.end()) {
        it->second.push_back(e.position);
      }
    }
  }

  std::string SaveBinary() const override {
    Encoder e;
    EncodeAll(e, timelines_, meeting_students_, counselling_students_, skills_, roster_);
    return e.Take();
  }

  bool LoadBinary(std::string_view bytes) override {
    Decoder d(bytes);
    if (!DecodeAll(d, timelines_, meeting_students_, counselling_students_, skills_, roster_) ||
        !d.AtEnd())
      return false;
    return true;
  }

  bool Load(const Json& j) override {
    timelines_ = j.at("timelines").get<decltype(timelines_)>();
    meeting_students_ = j.at("meetings").get<decltype(meeting_students_)>();
    counselling_students_ = j.at("counselling").get<decltype(counselling_students_)>();
    skills_ = j.at("skills").get<decltype(skills_)>();
    roster_.Load(j.at("roster"));
    return true;
  }

 private:
  // An exam result is a concern when flagged or when marks < 40 % of max_marks.
  static bool IsConcern(events::DataView d) {
    if (Bool(d, "concern")) return true;
    const double max = Num(d, "max_marks");
    return max > 0 && Num(d, "marks") * 100 < 40 * max;
  }

  // student_id -> their entries (only enrolled students).
  // Ids are symbols (projections/symbol.h).
  std::unordered_map<Symbol, Timeline> timelines_;
  std::unordered_map<Symbol, std::vector<Symbol>> meeting_students_;
  std::unordered_map<Symbol, std::vector<Symbol>> counselling_students_;
  // student_id -> skill -> latest rating.
  std::unordered_map<Symbol, std::map<std::string, SkillRating>> skills_;
  Roster roster_;
};

}  // namespace

std::unique_ptr<Projection> NewMenteeTimelineProjection() {
  return std::make_unique<MenteeTimelineProjection>();
}

}  // namespace mentorlog::projections::internal
