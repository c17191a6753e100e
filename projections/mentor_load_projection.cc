// The "mentor-load" view (DOMAIN.md "Views"): per mentor, mentees / capacity,
// meetings in the next 7 and last 30 days, hours in the last 30 days, pending
// validations, overdue follow-ups and pending leave decisions. Everything that
// depends on time is computed at query time from the request's `now`:
//  - meetings_next_7_days: proposed or accepted, start in [now, now + 7 d);
//  - meetings_last_30_days / hours_last_30_days: accepted or held, start in
//    [now - 30 d, now) and ended by now; hours = sum of (end - start);
//  - pending_validations: accepted, ended by now, not yet validated by the mentor;
//  - overdue_follow_ups: current mentees whose follow-up date (from the latest
//    observation, answered by any meeting scheduled after it) is before today;
//  - pending_leave_decisions: pending requests of current mentees.

#include <map>

#include "projections/fold_support.h"
#include "projections/ledgers.h"
#include "projections/projection_registry.h"
#include "projections/state_codec.h"

namespace mentorlog::projections::internal {
namespace {

constexpr events::TimeMs kDay = 24LL * 3600 * 1000;

struct Mentor {
  std::string name, department;
  std::int64_t capacity = 20;
};
MENTORLOG_STATE(Mentor, name, department, capacity)

class MentorLoadProjection final : public Projection {
 public:
  std::string_view Name() const override { return "mentor-load"; }
  int Version() const override { return 5; }

  std::expected<Json, ViewError> Query(const ViewRequest& r, const QueryContext&) const override {
    if (!ReadsAll(r) && !IsMentor(r)) {
      return std::unexpected(Forbidden("mentor-load is read by mentors, admins and auditors"));
    }
    if (r.key) {
      if (IsMentor(r) && *r.key != r.reader.id) {
        return std::unexpected(Forbidden("a mentor reads only their own row", "key"));
      }
      const auto it = FindByText(mentors_, *r.key);
      if (it == mentors_.end()) return std::unexpected(NotFound("no such mentor", "key"));
      return Row(it->first, it->second, r.now);
    }
    const auto paging = ParsePaging(r);
    if (!paging) return std::unexpected(paging.error());
    Json items = Json::array();
    if (IsMentor(r)) {
      const auto it = FindByText(mentors_, r.reader.id);
      const std::size_t total = it == mentors_.end() ? 0 : 1;
      if (total == 1 && paging->offset == 0) items.push_back(Row(it->first, it->second, r.now));
      return PageOf(std::move(items), total, *paging);
    }
    std::size_t i = 0;
    for (const auto& [id, m] : mentors_) {
      if (i++ < paging->offset) continue;
      if (items.size() >= paging->limit) break;
      items.push_back(Row(id, m, r.now));
    }
    return PageOf(std::move(items), mentors_.size(), *paging);
  }

  Json Save() const override {
    return {{"mentors", mentors_},          {"roster", roster_.Save()},
            {"meetings", meetings_.Save()}, {"leaves", leaves_.Save()},
            {"reviews", reviews_.Save()},   {"counselling_requests", requests_.Save()}};
  }

 protected:
  void Apply(const events::Envelope& e) override {
    if (e.type == "MentorRegistered"sv) {
      mentors_[Sym(e.Data(), "mentor_id")] = {Str(e.Data(), "name"), Str(e.Data(), "department"),
                                              Int(e.Data(), "max_mentees", 20)};
      return;
    }
    roster_.Apply(e);
    meetings_.Apply(e);
    leaves_.Apply(e);
    reviews_.Apply(e);
    requests_.Apply(e);
  }

  std::string SaveBinary() const override {
    Encoder e;
    EncodeAll(e, mentors_, roster_, meetings_, leaves_, reviews_, requests_);
    return e.Take();
  }

  bool LoadBinary(std::string_view bytes) override {
    Decoder d(bytes);
    if (!DecodeAll(d, mentors_, roster_, meetings_, leaves_, reviews_, requests_) || !d.AtEnd()) {
      return false;
    }
    return true;
  }

  bool Load(const Json& j) override {
    mentors_ = j.at("mentors").get<std::map<Symbol, Mentor>>();
    roster_.Load(j.at("roster"));
    meetings_.Load(j.at("meetings"));
    leaves_.Load(j.at("leaves"));
    reviews_.Load(j.at("reviews"));
    requests_.Load(j.at("counselling_requests"));
    return true;
  }

 private:
  Json Row(Symbol id, const Mentor& m, events::TimeMs now) const {
    std::int64_t next_7 = 0, last_30 = 0, minutes_30 = 0, pending_validations = 0;
    const auto& meetings = meetings_.MeetingsOf(id);
    // Next 7 days: start in [now, now + 7 d).
    for (auto it = StartingFrom(meetings, now); it != meetings.end() && it->start < now + 7 * kDay;
         ++it) {
      const MeetingLedger::Meeting* mt = meetings_.Find(it->id);
      if (mt &&
          (mt->status == MeetingStatus::kProposed || mt->status == MeetingStatus::kAccepted)) {
        ++next_7;
      }
    }
    // Started before now: last 30 days, and pending validations over all time.
    for (auto it = meetings.begin(); it != meetings.end() && it->start < now; ++it) {
      const MeetingLedger::Meeting* mt = meetings_.Find(it->id);
      if (mt == nullptr || mt->end > now) continue;
      const bool accepted = mt->status == MeetingStatus::kAccepted;
      if ((accepted || mt->status == MeetingStatus::kHeld) && mt->start >= now - 30 * kDay) {
        ++last_30;
        minutes_30 += (mt->end - mt->start) / 60'000;
      }
      if (accepted && !mt->mentor_validated) ++pending_validations;
    }
    const events::Days today = events::DayOf(now);
    std::int64_t overdue = 0, pending_leave = 0, reviews_due = 0, open_requests = 0;
    const auto& mentees = roster_.MenteesOf(id);
    for (const Symbol s : mentees) {
      const MeetingLedger::FollowUp* f = meetings_.FollowUpOf(s);
      if (f != nullptr && f->date < today) ++overdue;
      pending_leave += leaves_.PendingOf(s);
      reviews_due += static_cast<std::int64_t>(reviews_.DueOf(s).size());
      open_requests += static_cast<std::int64_t>(requests_.OpenOf(s).size());
    }
    return {{"mentor_id", id},
            {"name", m.name},
            {"department", m.department},
            {"mentees", mentees.size()},
            {"capacity", m.capacity},
            {"meetings_next_7_days", next_7},
            {"meetings_last_30_days", last_30},
            {"hours_last_30_days", static_cast<double>(minutes_30 * 100 / 60) / 100.0},
            {"pending_validations", pending_validations},
            {"overdue_follow_ups", overdue},
            {"pending_leave_decisions", pending_leave},
            {"reviews_due", reviews_due},
            {"open_counselling_requests", open_requests}};
  }

  std::map<Symbol, Mentor> mentors_;
  Roster roster_;
  // This view reads a mentor's meetings and shows no action items.
  MeetingLedger meetings_{MeetingLedger::IndexedBy::kMentor, MeetingLedger::Items::kIgnored};
  LeaveLedger leaves_;
  ReviewLedger reviews_;
  CounsellingRequestLedger requests_;
};

}  // namespace

std::unique_ptr<Projection> NewMentorLoadProjection() {
  return std::make_unique<MentorLoadProjection>();
}

}  // namespace mentorlog::projections::internal
