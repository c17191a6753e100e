// The "my-mentees" view (DOMAIN.md "Views"): a mentor's mentees with name, roll
// number, next follow-up date, attendance %, alert level, pending leave, open
// action items and last meeting (the latest accepted or held meeting that
// started by `now`, computed at query time); and (DOMAIN.md 5-6) the review
// meetings due after completed milestones and the open counselling requests.

#include "projections/fold_support.h"
#include "projections/ledgers.h"
#include "projections/projection_registry.h"
#include "projections/state_codec.h"

namespace mentorlog::projections::internal {
namespace {

class MyMenteesProjection final : public Projection {
 public:
  std::string_view Name() const override { return "my-mentees"; }
  int Version() const override { return 5; }  // 5: completed action items kept, not all texts

  std::expected<Json, ViewError> Query(const ViewRequest& r, const QueryContext&) const override {
    std::optional<std::string> mentor = r.key ? r.key : Param(r, "mentor");
    if (IsMentor(r)) {
      if (mentor && *mentor != r.reader.id) {
        return std::unexpected(Forbidden("a mentor reads only their own mentees", "key"));
      }
      mentor = r.reader.id;
    } else if (!ReadsAll(r)) {
      return std::unexpected(Forbidden("my-mentees is read by mentors, admins and auditors"));
    }
    if (!mentor) {
      return std::unexpected(InvalidArgument("name the mentor: my-mentees/{mentor_id}", "key"));
    }
    const auto paging = ParsePaging(r);
    if (!paging) return std::unexpected(paging.error());
    const std::set<Symbol>& mentees = roster_.MenteesOf(*mentor);
    Json items = Json::array();
    std::size_t i = 0;
    for (const Symbol id : mentees) {
      if (i++ < paging->offset) continue;
      if (items.size() >= paging->limit) break;
      items.push_back(Row(id, r.now));
    }
    Json out = PageOf(std::move(items), mentees.size(), *paging);
    out["mentor_id"] = *mentor;
    return out;
  }

  Json Save() const override {
    return {{"roster", roster_.Save()},
            {"names", names_.Save()},
            {"attendance", attendance_.Save()},
            {"meetings", meetings_.Save()},
            {"leaves", leaves_.Save()},
            {"reviews", reviews_.Save()},
            {"counselling_requests", requests_.Save()}};
  }

 protected:
  void Apply(const events::Envelope& e) override {
    roster_.Apply(e);
    names_.Apply(e);
    attendance_.Apply(e);
    meetings_.Apply(e);
    leaves_.Apply(e);
    reviews_.Apply(e);
    requests_.Apply(e);
  }

  std::string SaveBinary() const override {
    Encoder e;
    EncodeAll(e, roster_, names_, attendance_, meetings_, leaves_, reviews_, requests_);
    return e.Take();
  }

  bool LoadBinary(std::string_view bytes) override {
    Decoder d(bytes);
    if (!DecodeAll(d, roster_, names_, attendance_, meetings_, leaves_, reviews_, requests_) ||
        !d.AtEnd()) {
      return false;
    }
    return true;
  }

  bool Load(const Json& j) override {
    roster_.Load(j.at("roster"));
    names_.Load(j.at("names"));
    attendance_.Load(j.at("attendance"));
    meetings_.Load(j.at("meetings"));
    leaves_.Load(j.at("leaves"));
    reviews_.Load(j.at("reviews"));
    requests_.Load(j.at("counselling_requests"));
    return true;
  }

 private:
  Json Row(Symbol id, events::TimeMs now) const {
    const NameBook::Entry* name = names_.Find(id);
    const AttendanceLedger::Student* a = attendance_.Find(id);
    const std::int64_t held = a ? a->held : 0;
    const std::int64_t attended = a ? a->attended : 0;
    const int band = AlertBand(attended, held);
    const MeetingLedger::FollowUp* follow_up = meetings_.FollowUpOf(id);
    Json last = Json();
    const auto& mine = meetings_.MeetingsOf(id);
    // Meetings that started by now, latest first.
    for (auto it = std::make_reverse_iterator(StartingFrom(mine, now + 1)); it != mine.rend();
         ++it) {
      const MeetingLedger::Meeting* m = meetings_.Find(it->id);
      if (m != nullptr &&
          (m->status == MeetingStatus::kAccepted || m->status == MeetingStatus::kHeld)) {
        last = {{"meeting_id", it->id},
                {"start", events::FormatTime(m->start)},
                {"status", NameOf(m->status)}};
        break;
      }
    }
    Json reviews = Json::array();
    for (const ReviewLedger::Review& review : reviews_.DueOf(id)) {
      reviews.push_back({{"program_id", review.program_id},
                         {"milestone_id", review.milestone_id},
                         {"completed_at", events::FormatTime(review.completed_at)}});
    }
    Json requests = Json::array();
    for (const auto& [request_id, request] : requests_.OpenOf(id)) {
      requests.push_back({{"request_id", request_id},
                          {"topic", request.topic},
                          {"requested_at", events::FormatTime(request.requested_at)}});
    }
    return {{"student_id", id},
            {"name", name ? Json(name->name) : Json()},
            {"roll_number", name ? Json(name->roll_number) : Json()},
            {"next_follow_up_date", follow_up ? DateOrNull(follow_up->date) : Json()},
            {"classes_held", held},
            {"attendance_percentage", held > 0 ? Json(Percentage(attended, held)) : Json()},
            {"alert_level", band == 0 ? Json() : Json(band)},
            {"pending_leaves", leaves_.PendingOf(id)},
            {"open_action_items", meetings_.OpenItemsOf(id)},
            {"last_meeting", std::move(last)},
            {"reviews_due", std::move(reviews)},
            {"open_counselling_requests", std::move(requests)}};
  }

  Roster roster_;
  NameBook names_;
  AttendanceLedger attendance_;
  MeetingLedger meetings_{MeetingLedger::IndexedBy::kStudent, MeetingLedger::Items::kTracked};
  LeaveLedger leaves_;
  ReviewLedger reviews_;
  CounsellingRequestLedger requests_;
};

}  // namespace

std::unique_ptr<Projection> NewMyMenteesProjection() {
  return std::make_unique<MyMenteesProjection>();
}

}  // namespace mentorlog::projections::internal
