// The "leaves" view (DOMAIN.md 4): leave and on-duty requests filtered by status,
// mentor (the student's current mentor), student and kind, newest request first.

#include <map>

#include "projections/fold_support.h"
#include "projections/ledgers.h"
#include "projections/projection_registry.h"
#include "projections/state_codec.h"

namespace mentorlog::projections::internal {
namespace {

struct Leave {
  std::string student_id, kind, reason, status;
  events::Days from_date = 0, to_date = 0;
  std::uint64_t requested_position = 0;
  events::TimeMs requested_at = 0;
  std::string requested_by;
  events::TimeMs decided_at = 0;
  std::string decided_by;
  std::string remark;
};
MENTORLOG_STATE(Leave, student_id, kind, reason, status, from_date, to_date, requested_position,
                requested_at, requested_by, decided_at, decided_by, remark)

class LeavesProjection final : public Projection {
 public:
  std::string_view Name() const override { return "leaves"; }
  int Version() const override { return 2; }

  std::expected<Json, ViewError> Query(const ViewRequest& r, const QueryContext&) const override {
    if (r.key) return One(r, *r.key);
    const auto paging = ParsePaging(r);
    if (!paging) return std::unexpected(paging.error());
    auto mentor = Param(r, "mentor");
    auto student = Param(r, "student");
    const auto status = Param(r, "status");
    const auto kind = Param(r, "kind");
    if (IsMentor(r)) {
      if (mentor && *mentor != r.reader.id) {
        return std::unexpected(Forbidden("a mentor reads only their mentees' leave", "mentor"));
      }
      mentor = r.reader.id;
    } else if (IsMentee(r)) {
      if (student && *student != r.reader.id) {
        return std::unexpected(Forbidden("a mentee reads only their own leave", "student"));
      }
      student = r.reader.id;
    } else if (!ReadsAll(r)) {
      return std::unexpected(Forbidden("this role may not read leave"));
    }
    // Newest first: by request position, descending.
    std::vector<std::uint64_t> positions;
    const auto add_student = [&](const std::string& id) {
      const auto it = by_student_.find(id);
      if (it != by_student_.end())
        positions.insert(positions.end(), it->second.begin(), it->second.end());
    };
    if (student) {
      if (!mentor || roster_.MentorOf(*student) == *mentor) add_student(*student);
    } else if (mentor) {
      for (const std::string& id : roster_.MenteesOf(*mentor)) add_student(id);
    } else {
      for (const auto& [position, id] : order_) positions.push_back(position);
    }
    std::ranges::sort(positions, std::greater<>());
    std::size_t total = 0;
    Json items = Json::array();
    for (const std::uint64_t position : positions) {
      const std::string& id = order_.at(position);
      const Leave& l = leaves_.at(id);
      if (status && l.status != *status) continue;
      if (kind && l.kind != *kind) continue;
      if (total >= paging->offset && total < paging->offset + paging->limit) {
        items.push_back(ToJson(id, l));
      }
      ++total;
    }
    return PageOf(std::move(items), total, *paging);
  }

  Json Save() const override { return {{"leaves", leaves_}, {"roster", roster_.Save()}}; }

 protected:
  void Apply(const events::Envelope& e) override {
    roster_.Apply(e);
    if (!std::string_view(e.type).starts_with("Leave")) return;  // before scanning the data
    const std::string id = Str(e.Data(), "leave_id");
    if (id.empty()) return;
    if (e.type == "LeaveRequested"sv) {
      Leave l;
      l.student_id = Str(e.Data(), "student_id");
      l.kind = Str(e.Data(), "kind");
      l.reason = Str(e.Data(), "reason");
      l.status = "pending";
      l.from_date = Date(e.Data(), "from_date");
      l.to_date = Date(e.Data(), "to_date");
      l.requested_position = e.position;
      l.requested_at = e.time;
      l.requested_by = e.actor.id;
      IndexLeave(id, l);
      leaves_[id] = std::move(l);
      return;
    }
    const auto it = leaves_.find(id);
    if (it == leaves_.end()) return;
    Leave& l = it->second;
    if (e.type == "LeaveApproved"sv || e.type == "LeaveRejected"sv ||
        e.type == "LeaveCancelled"sv) {
      l.status = e.type == "LeaveApproved"sv   ? "approved"
                 : e.type == "LeaveRejected"sv ? "rejected"
                                               : "cancelled";
      l.decided_at = e.time;
      l.decided_by = e.actor.id;
      l.remark = Str(e.Data(), "remark");
    }
  }

  std::string SaveBinary() const override {
    Encoder e;
    EncodeAll(e, leaves_, roster_);
    return e.Take();
  }

  bool LoadBinary(std::string_view bytes) override {
    Decoder d(bytes);
    if (!DecodeAll(d, leaves_, roster_) || !d.AtEnd()) return false;
    order_.clear();
    by_student_.clear();
    for (const auto& [id, l] : leaves_) IndexLeave(id, l);
    return true;
  }

  bool Load(const Json& j) override {
    leaves_ = j.at("leaves").get<std::unordered_map<std::string, Leave>>();
    roster_.Load(j.at("roster"));
    order_.clear();
    by_student_.clear();
    for (const auto& [id, l] : leaves_) IndexLeave(id, l);
    return true;
  }

 private:
  static Json ToJson(const std::string& id, const Leave& l) {
    return {{"leave_id", id},
            {"student_id", l.student_id},
            {"kind", l.kind},
            {"from_date", events::FormatDate(l.from_date)},
            {"to_date", events::FormatDate(l.to_date)},
            {"reason", l.reason},
            {"status", l.status},
            {"requested_at", events::FormatTime(l.requested_at)},
            {"requested_by", l.requested_by},
            {"decided_at", TimeOrNull(l.decided_at)},
            {"decided_by", StrOrNull(l.decided_by)},
            {"remark", StrOrNull(l.remark)}};
  }

  std::expected<Json, ViewError> One(const ViewRequest& r, const std::string& id) const {
    const auto it = leaves_.find(id);
    const bool mine = it != leaves_.end() &&
                      ((IsMentee(r) && it->second.student_id == r.reader.id) ||
                       (IsMentor(r) && roster_.MentorOf(it->second.student_id) == r.reader.id));
    if (!ReadsAll(r) && !mine) {
      return std::unexpected(Forbidden("not a request this token may read", "key"));
    }
    if (it == leaves_.end()) return std::unexpected(NotFound("no such leave request", "key"));
    Json out = ToJson(id, it->second);
    out["mentor_id"] = StrOrNull(roster_.MentorOf(it->second.student_id));
    return out;
  }

  void IndexLeave(const std::string& id, const Leave& l) {
    order_[l.requested_position] = id;
    by_student_[l.student_id].push_back(l.requested_position);
  }

  std::unordered_map<std::string, Leave> leaves_;
  Roster roster_;
  std::map<std::uint64_t, std::string> order_;                              // derived
  std::unordered_map<std::string, std::vector<std::uint64_t>> by_student_;  // derived
};

}  // namespace

std::unique_ptr<Projection> NewLeavesProjection() { return std::make_unique<LeavesProjection>(); }

}  // namespace mentorlog::projections::internal
