// The "attendance" view (DOMAIN.md 3): per student held, present, absent, on duty,
// leave, percentage, per course and the alert level; and the list of students
// below a threshold.

#include <algorithm>
#include <charconv>

#include "projections/fold_support.h"
#include "projections/ledgers.h"
#include "projections/projection_registry.h"
#include "projections/state_codec.h"

namespace mentorlog::projections::internal {
namespace {

Json Figures(const AttendanceLedger::Summary& s) {
  return {{"held", s.held},
          {"present", s.present},
          {"absent", s.absent},
          {"on_duty", s.on_duty},
          {"leave", s.leave},
          {"attended", s.attended()},
          {"percentage", Percentage(s.attended(), s.held)}};
}

class AttendanceProjection final : public Projection {
 public:
  std::string_view Name() const override { return "attendance"; }
  int Version() const override { return 2; }

  std::expected<Json, ViewError> Query(const ViewRequest& r, const QueryContext&) const override {
    if (r.key) return One(r, *r.key);
    return BelowThreshold(r);
  }

  Json Save() const override {
    return {{"ledger", ledger_.Save()}, {"roster", roster_.Save()}, {"names", names_.Save()}};
  }

 protected:
  void Apply(const events::Envelope& e) override {
    ledger_.Apply(e);
    roster_.Apply(e);
    names_.Apply(e);
  }

  std::string SaveBinary() const override {
    Encoder e;
    EncodeAll(e, ledger_, roster_, names_);
    return e.Take();
  }

  bool LoadBinary(std::string_view bytes) override {
    Decoder d(bytes);
    if (!DecodeAll(d, ledger_, roster_, names_) || !d.AtEnd()) return false;
    return true;
  }

  bool Load(const Json& j) override {
    ledger_.Load(j.at("ledger"));
    roster_.Load(j.at("roster"));
    names_.Load(j.at("names"));
    return true;
  }

 private:
  bool MayRead(const ViewRequest& r, const std::string& student_id) const {
    return ReadsAll(r) || (IsMentee(r) && r.reader.id == student_id) ||
           (IsMentor(r) && roster_.MentorOf(student_id) == r.reader.id);
  }

  std::expected<Json, ViewError> One(const ViewRequest& r, const std::string& id) const {
    if (!MayRead(r, id)) {
      return std::unexpected(Forbidden("not a student this token may read", "key"));
    }
    const AttendanceLedger::Student* s = ledger_.Find(id);
    const NameBook::Entry* name = names_.Find(id);
    if (s == nullptr && name == nullptr) {
      return std::unexpected(NotFound("no such student", "key"));
    }
    static const AttendanceLedger::Student kEmpty;
    const AttendanceLedger::Student& st = s == nullptr ? kEmpty : *s;
    const AttendanceLedger::Summary total = ledger_.Summarize(st);
    Json out = Figures(total);
    out["student_id"] = id;
    const int band = AlertBand(total.attended(), total.held);
    out["alert_level"] = band == 0 ? Json() : Json(band);
    Json courses = Json::array();
    for (const auto& [course, counts] : st.courses) {
      Json c = Figures(ledger_.Summarize(st, counts));
      c["course_id"] = course;
      courses.push_back(std::move(c));
    }
    out["courses"] = std::move(courses);
    return out;
  }

  // ?threshold=P (Default: 75): students with at least one class held and a
  // percentage strictly below P, lowest first (ties by student id); a mentor sees
  // their own mentees; ?mentor= narrows to one mentor's mentees.
  std::expected<Json, ViewError> BelowThreshold(const ViewRequest& r) const {
    if (IsMentee(r)) {
      return std::unexpected(
          Forbidden("a mentee reads only their own attendance (attendance/{id})"));
    }
    const auto paging = ParsePaging(r);
    if (!paging) return std::unexpected(paging.error());
    double threshold = 75;
    if (const auto t = Param(r, "threshold")) {
      const char* end = t->data() + t->size();
      const auto [ptr, ec] = std::from_chars(t->data(), end, threshold);
      if (ec != std::errc() || ptr != end || threshold < 0 || threshold > 100) {
        return std::unexpected(
            InvalidArgument("threshold must be a number from 0 to 100", "threshold"));
      }
    }
    auto mentor = Param(r, "mentor");
    if (IsMentor(r)) {
      if (mentor && *mentor != r.reader.id) {
        return std::unexpected(Forbidden("a mentor reads only their own mentees", "mentor"));
      }
      mentor = r.reader.id;
    }
    // (hundredths, student id): exact integer comparison, as the alert policy does.
    const auto below = [&](const AttendanceLedger::Student& s) {
      return s.held > 0 && static_cast<double>(s.attended * 10'000 / s.held) < threshold * 100;
    };
    std::vector<std::pair<std::int64_t, const std::string*>> rows;
    const auto consider = [&](const std::string& id, const AttendanceLedger::Student& s) {
      if (below(s)) rows.emplace_back(s.attended * 10'000 / s.held, &id);
    };
    if (mentor) {
      for (const std::string& id : roster_.MenteesOf(*mentor)) {
        if (const auto* s = ledger_.Find(id)) consider(id, *s);
      }
    } else {
      for (const auto& [id, s] : ledger_.students()) consider(id, s);
    }
    std::ranges::sort(rows, [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first < b.first : *a.second < *b.second;
    });
    Json items = Json::array();
    for (std::size_t i = paging->offset; i < rows.size() && i < paging->offset + paging->limit;
         ++i) {
      const std::string& id = *rows[i].second;
      const AttendanceLedger::Student& s = *ledger_.Find(id);
      const NameBook::Entry* name = names_.Find(id);
      const int band = AlertBand(s.attended, s.held);
      items.push_back({{"student_id", id},
                       {"name", name ? Json(name->name) : Json()},
                       {"roll_number", name ? Json(name->roll_number) : Json()},
                       {"mentor_id", StrOrNull(roster_.MentorOf(id))},
                       {"held", s.held},
                       {"attended", s.attended},
                       {"percentage", Percentage(s.attended, s.held)},
                       {"alert_level", band == 0 ? Json() : Json(band)}});
    }
    Json out = PageOf(std::move(items), rows.size(), *paging);
    out["threshold"] = threshold;
    return out;
  }

  AttendanceLedger ledger_;
  Roster roster_;
  NameBook names_;
};

}  // namespace

std::unique_ptr<Projection> NewAttendanceProjection() {
  return std::make_unique<AttendanceProjection>();
}

}  // namespace mentorlog::projections::internal
