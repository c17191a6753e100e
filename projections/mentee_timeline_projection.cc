// The "mentee-timeline" view (DOMAIN.md "Views"): one student's history, newest
// first — meetings, observations and action items, leave, alerts, exam concerns,
// achievements, counselling (requests, sessions, outcomes), programme enrolment,
// milestones, skill ratings, feedback and nominations, profile and mentor
// changes. Beside the page, `skills` gives the latest rating of each skill (the
// latest wins; every SkillRated stays in the timeline). The state keeps only
// where each entry is in the log (stream and version: a point read through the
// stream index, cheaper than a positional scan); a query reads the page's events
// from the log (events are immutable, so the answer is the same as keeping
// copies, at a fraction of the memory).

#include <algorithm>
#include <map>
#include <unordered_map>

#include "projections/fold_support.h"
#include "projections/ledgers.h"
#include "projections/projection_registry.h"
#include "projections/state_codec.h"

namespace mentorlog::projections::internal {
namespace {

// One student's entries, oldest first: (index into `streams`, version).
struct Timeline {
  std::vector<std::string> streams;
  std::vector<std::pair<std::uint32_t, std::uint64_t>> entries;
};
MENTORLOG_STATE(Timeline, streams, entries)

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
  int Version() const override { return 3; }

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
    const auto it = timelines_.find(*id);
    if (it == timelines_.end()) return std::unexpected(NotFound("no such student", "key"));
    const auto paging = ParsePaging(r);
    if (!paging) return std::unexpected(paging.error());
    const auto& entries = it->second.entries;
    Json items = Json::array();
    for (std::size_t i = paging->offset; i < entries.size() && i < paging->offset + paging->limit;
         ++i) {
      const auto& [stream, version] = entries[entries.size() - 1 - i];
      if (context.log == nullptr) return std::unexpected(Unavailable("no log to read"));
      auto read = context.log->ReadStream(it->second.streams[stream], version, 1);
      if (!read || read->empty() || read->front().version != version) {
        return std::unexpected(Unavailable("the log could not be read"));
      }
      const events::Envelope& e = read->front();
      items.push_back({{"position", e.position},
                       {"time", events::FormatTime(e.time)},
                       {"type", e.type},
                       {"actor", {{"id", e.actor.id}, {"role", e.actor.role}}},
                       {"data", e.data}});
    }
    Json out = PageOf(std::move(items), entries.size(), *paging);
    out["student_id"] = *id;
    Json skills = Json::object();
    if (const auto sk = skills_.find(*id); sk != skills_.end()) {
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
    if (e.type == "AttendanceRecorded" || e.type == "AttendanceCorrected") return;
    if (e.type == "StudentEnrolled") timelines_[Str(e.data, "student_id")];
    if (e.type == "ExamResultRecorded" && !IsConcern(e.data)) return;
    if (e.type == "SkillRated") {
      skills_[Str(e.data, "student_id")][Str(e.data, "skill")] = {
          Int(e.data, "rating"), Str(e.data, "program_id"), Str(e.data, "mentor_id"), e.time};
    }
    if (e.type == "MeetingScheduled") {
      meeting_students_[Str(e.data, "meeting_id")] = Strings(e.data, "student_ids");
    } else if (e.type == "CounsellingCreated") {
      counselling_students_[Str(e.data, "counselling_id")] = Strings(e.data, "student_ids");
    }
    const std::vector<std::string>* students = nullptr;
    std::vector<std::string> own;
    if (const std::string s = Str(e.data, "student_id"); !s.empty()) {
      own.push_back(s);
      students = &own;
    } else if (e.data.contains("student_ids")) {
      own = Strings(e.data, "student_ids");
      students = &own;
    } else if (const auto m = meeting_students_.find(Str(e.data, "meeting_id"));
               m != meeting_students_.end()) {
      students = &m->second;
    } else if (const auto c = counselling_students_.find(Str(e.data, "counselling_id"));
               c != counselling_students_.end()) {
      students = &c->second;
    }
    if (students == nullptr) return;
    for (const std::string& s : *students) {
      const auto it = timelines_.find(s);
      if (it == timelines_.end()) continue;
      Timeline& t = it->second;
      // Most entries are of a stream seen recently: search from the back.
      auto stream = std::find(t.streams.rbegin(), t.streams.rend(), e.stream);
      std::uint32_t index = static_cast<std::uint32_t>(t.streams.rend() - stream) - 1;
      if (stream == t.streams.rend()) {
        index = static_cast<std::uint32_t>(t.streams.size());
        t.streams.push_back(e.stream);
      }
      t.entries.emplace_back(index, e.version);
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
  static bool IsConcern(const Json& d) {
    if (Bool(d, "concern")) return true;
    const double max = Num(d, "max_marks");
    return max > 0 && Num(d, "marks") * 100 < 40 * max;
  }

  // student_id -> their entries (only enrolled students).
  std::unordered_map<std::string, Timeline> timelines_;
  std::unordered_map<std::string, std::vector<std::string>> meeting_students_;
  std::unordered_map<std::string, std::vector<std::string>> counselling_students_;
  // student_id -> skill -> latest rating.
  std::unordered_map<std::string, std::map<std::string, SkillRating>> skills_;
  Roster roster_;
};

}  // namespace

std::unique_ptr<Projection> NewMenteeTimelineProjection() {
  return std::make_unique<MenteeTimelineProjection>();
}

}  // namespace mentorlog::projections::internal
