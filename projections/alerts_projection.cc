// The "alerts" view (DOMAIN.md 3): attendance alerts, open and acknowledged,
// newest first; filters status (open | acknowledged), student, mentor, level.

#include <map>

#include "projections/fold_support.h"
#include "projections/ledgers.h"
#include "projections/projection_registry.h"
#include "projections/state_codec.h"

namespace mentorlog::projections::internal {
namespace {

struct Alert {
  std::string student_id;
  std::int64_t level = 0;
  double percentage = 0;
  std::uint64_t raised_position = 0;
  events::TimeMs raised_at = 0;
  bool acknowledged = false;
  events::TimeMs acknowledged_at = 0;
  std::string acknowledged_by, action, note;
};
MENTORLOG_STATE(Alert, student_id, level, percentage, raised_position, raised_at, acknowledged,
                acknowledged_at, acknowledged_by, action, note)

class AlertsProjection final : public Projection {
 public:
  std::string_view Name() const override { return "alerts"; }
  int Version() const override { return 2; }

  std::expected<Json, ViewError> Query(const ViewRequest& r, const QueryContext&) const override {
    if (!ReadsAll(r) && !IsMentor(r)) {
      return std::unexpected(Forbidden("alerts are read by mentors, admins and auditors"));
    }
    if (r.key) {
      const auto it = alerts_.find(*r.key);
      if (IsMentor(r) &&
          (it == alerts_.end() || roster_.MentorOf(it->second.student_id) != r.reader.id)) {
        return std::unexpected(Forbidden("not an alert of this mentor's mentees", "key"));
      }
      if (it == alerts_.end()) return std::unexpected(NotFound("no such alert", "key"));
      return ToJson(it->first, it->second);
    }
    const auto paging = ParsePaging(r);
    if (!paging) return std::unexpected(paging.error());
    auto mentor = Param(r, "mentor");
    const auto student = Param(r, "student");
    const auto status = Param(r, "status");
    const auto level = Param(r, "level");
    if (status && *status != "open" && *status != "acknowledged") {
      return std::unexpected(InvalidArgument("status must be open or acknowledged", "status"));
    }
    if (IsMentor(r)) {
      if (mentor && *mentor != r.reader.id) {
        return std::unexpected(Forbidden("a mentor reads only their own alerts", "mentor"));
      }
      mentor = r.reader.id;
    }
    std::size_t total = 0;
    Json items = Json::array();
    for (auto it = order_.rbegin(); it != order_.rend(); ++it) {
      const Alert& a = alerts_.at(it->second);
      if (student && a.student_id != *student) continue;
      if (mentor && roster_.MentorOf(a.student_id) != *mentor) continue;
      if (status && a.acknowledged != (*status == "acknowledged")) continue;
      if (level && std::to_string(a.level) != *level) continue;
      if (total >= paging->offset && total < paging->offset + paging->limit) {
        items.push_back(ToJson(it->second, a));
      }
      ++total;
    }
    return PageOf(std::move(items), total, *paging);
  }

  Json Save() const override { return {{"alerts", alerts_}, {"roster", roster_.Save()}}; }

 protected:
  void Apply(const events::Envelope& e) override {
    roster_.Apply(e);
    if (e.type == "AttendanceAlertRaised"sv) {
      const std::string id = Str(e.Data(), "alert_id");
      Alert a;
      a.student_id = Str(e.Data(), "student_id");
      a.level = Int(e.Data(), "level");
      a.percentage = Num(e.Data(), "percentage");
      a.raised_position = e.position;
      a.raised_at = e.time;
      order_[e.position] = id;
      alerts_[id] = std::move(a);
    } else if (e.type == "AlertAcknowledged"sv) {
      const auto it = alerts_.find(Str(e.Data(), "alert_id"));
      if (it == alerts_.end()) return;
      it->second.acknowledged = true;
      it->second.acknowledged_at = e.time;
      it->second.acknowledged_by = e.actor.id;
      it->second.action = Str(e.Data(), "action");
      it->second.note = Str(e.Data(), "note");
    }
  }

  std::string SaveBinary() const override {
    Encoder e;
    EncodeAll(e, alerts_, roster_);
    return e.Take();
  }

  bool LoadBinary(std::string_view bytes) override {
    Decoder d(bytes);
    if (!DecodeAll(d, alerts_, roster_) || !d.AtEnd()) return false;
    order_.clear();
    for (const auto& [id, a] : alerts_) order_[a.raised_position] = id;
    return true;
  }

  bool Load(const Json& j) override {
    alerts_ = j.at("alerts").get<std::unordered_map<std::string, Alert>>();
    roster_.Load(j.at("roster"));
    order_.clear();
    for (const auto& [id, a] : alerts_) order_[a.raised_position] = id;
    return true;
  }

 private:
  Json ToJson(const std::string& id, const Alert& a) const {
    return {{"alert_id", id},
            {"student_id", a.student_id},
            {"mentor_id", StrOrNull(roster_.MentorOf(a.student_id))},
            {"level", a.level},
            {"percentage", a.percentage},
            {"raised_at", events::FormatTime(a.raised_at)},
            {"status", a.acknowledged ? "acknowledged" : "open"},
            {"acknowledged_at", TimeOrNull(a.acknowledged_at)},
            {"acknowledged_by", StrOrNull(a.acknowledged_by)},
            {"action", StrOrNull(a.action)},
            {"note", StrOrNull(a.note)}};
  }

  std::unordered_map<std::string, Alert> alerts_;
  Roster roster_;
  std::map<std::uint64_t, std::string> order_;  // derived: raised position -> id
};

}  // namespace

std::unique_ptr<Projection> NewAlertsProjection() { return std::make_unique<AlertsProjection>(); }

}  // namespace mentorlog::projections::internal
