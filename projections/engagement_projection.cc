// The "engagement" view (DOMAIN.md "Views", seed 002): programme evaluation —
// sessions per mentor–mentee pair, validation rate, goals and milestones reached,
// feedback given, average satisfaction of mentors and of mentees, open mentorship
// requests and how long they have waited. Admin and auditor only.
//  - validation_rate: held / (held + disputed + accepted meetings ended by now), %;
//  - goals: action items of the latest observations (total, completed) and the
//    goals set in counselling outcomes;
//  - waits are in hours, computed at query time for open requests;
//  - counselling: sessions created, held (their time `at` is by now, computed at
//    query time), with an outcome recorded, and the goals set in outcomes.

#include <map>
#include <set>

#include "projections/fold_support.h"
#include "projections/ledgers.h"
#include "projections/projection_registry.h"
#include "projections/state_codec.h"

namespace mentorlog::projections::internal {
namespace {

// Ids are symbols (projections/symbol.h).
struct Meeting {
  Symbol mentor_id;
  std::vector<Symbol> student_ids;
  events::TimeMs end = 0;
  MeetingStatus status = MeetingStatus::kProposed;
  std::int64_t items = 0;
  std::int64_t items_done = 0;
};
MENTORLOG_STATE(Meeting, mentor_id, student_ids, end, status, items, items_done)

struct Request {
  events::TimeMs requested_at = 0;
  std::string team_or_student, topic;
};
MENTORLOG_STATE(Request, requested_at, team_or_student, topic)

struct Rating {
  std::string role;
  std::int64_t rating = 0;
};
MENTORLOG_STATE(Rating, role, rating)

struct Counselling {
  events::TimeMs at = 0;
  bool outcome = false;
};
MENTORLOG_STATE(Counselling, at, outcome)

struct State {
  std::unordered_map<Symbol, Meeting> meetings;
  std::map<std::pair<Symbol, Symbol>, std::int64_t> pairs;  // (mentor, student) -> sessions held
  std::int64_t held = 0, disputed = 0;
  std::int64_t milestones_completed = 0, counselling_goals = 0, feedback_given = 0;
  std::map<std::string, Rating> satisfaction;  // "actor_id\nprogram_id" -> latest
  std::map<std::string, Request> open_requests;
  std::int64_t assigned_requests = 0;
  std::int64_t assigned_wait_ms = 0;
  std::map<std::string, Counselling> counselling;
};
MENTORLOG_STATE(State, meetings, pairs, held, disputed, milestones_completed, counselling_goals,
                feedback_given, satisfaction, open_requests, assigned_requests, assigned_wait_ms,
                counselling)

constexpr double kHourMs = 3600.0 * 1000;

double TwoDecimals(double v) {
  return static_cast<double>(static_cast<std::int64_t>(v * 100)) / 100;
}

class EngagementProjection final : public Projection {
 public:
  std::string_view Name() const override { return "engagement"; }
  int Version() const override { return 4; }

  std::expected<Json, ViewError> Query(const ViewRequest& r, const QueryContext&) const override {
    if (!ReadsAll(r)) {
      return std::unexpected(Forbidden("engagement is read by admins and auditors"));
    }
    const auto paging = ParsePaging(r);
    if (!paging) return std::unexpected(paging.error());
    // Accepted meetings that ended by now (few: most are validated soon after).
    std::int64_t ended_unvalidated = 0, items = 0, items_done = 0;
    for (auto it = accepted_ends_.begin(); it != accepted_ends_.end() && *it <= r.now; ++it) {
      ++ended_unvalidated;
    }
    items = items_;
    items_done = items_done_;
    const std::int64_t due = s_.held + s_.disputed + ended_unvalidated;
    Json pairs = Json::array();
    std::size_t i = 0;
    for (const auto& [pair, sessions] : s_.pairs) {
      if (i++ < paging->offset) continue;
      if (pairs.size() >= paging->limit) break;
      pairs.push_back(
          {{"mentor_id", pair.first}, {"student_id", pair.second}, {"sessions", sessions}});
    }
    std::int64_t sum[2] = {0, 0}, count[2] = {0, 0};
    for (const auto& [key, rating] : s_.satisfaction) {
      const int k = rating.role == "mentor" ? 0 : 1;
      sum[k] += rating.rating;
      ++count[k];
    }
    const auto average = [](std::int64_t s, std::int64_t n) {
      return n == 0 ? Json() : Json(TwoDecimals(static_cast<double>(s) / static_cast<double>(n)));
    };
    Json open = Json::array();
    double waited_total = 0;
    for (const auto& [id, req] : s_.open_requests) {
      const double waited = static_cast<double>(r.now - req.requested_at) / kHourMs;
      waited_total += waited;
      if (open.size() < kMaxLimit) {
        open.push_back({{"request_id", id},
                        {"team_or_student", req.team_or_student},
                        {"topic", req.topic},
                        {"requested_at", events::FormatTime(req.requested_at)},
                        {"waited_hours", TwoDecimals(waited)}});
      }
    }
    const auto n_open = static_cast<std::int64_t>(s_.open_requests.size());
    std::int64_t counselling_held = 0, counselling_with_outcome = 0;
    for (const auto& [id, c] : s_.counselling) {
      counselling_held += c.at <= r.now ? 1 : 0;
      counselling_with_outcome += c.outcome ? 1 : 0;
    }
    Json out = {
        {"sessions_held", s_.held},
        {"sessions_disputed", s_.disputed},
        {"validation_rate", due == 0 ? Json()
                                     : Json(TwoDecimals(100.0 * static_cast<double>(s_.held) /
                                                        static_cast<double>(due)))},
        {"pairs", PageOf(std::move(pairs), s_.pairs.size(), *paging)},
        {"action_items", {{"total", items}, {"completed", items_done}}},
        {"milestones_completed", s_.milestones_completed},
        {"counselling_goals", s_.counselling_goals},
        {"feedback_given", s_.feedback_given},
        {"counselling",
         {{"sessions", s_.counselling.size()},
          {"held", counselling_held},
          {"with_outcome", counselling_with_outcome},
          {"goals", s_.counselling_goals}}},
        {"satisfaction",
         {{"mentors", {{"average", average(sum[0], count[0])}, {"count", count[0]}}},
          {"mentees", {{"average", average(sum[1], count[1])}, {"count", count[1]}}}}},
        {"mentorship_requests",
         {{"open", n_open},
          {"open_requests", std::move(open)},
          {"average_open_wait_hours",
           n_open == 0 ? Json() : Json(TwoDecimals(waited_total / static_cast<double>(n_open)))},
          {"assigned", s_.assigned_requests},
          {"average_assigned_wait_hours",
           s_.assigned_requests == 0
               ? Json()
               : Json(TwoDecimals(static_cast<double>(s_.assigned_wait_ms) / kHourMs /
                                  static_cast<double>(s_.assigned_requests)))}}}};
    return out;
  }

  Json Save() const override { return s_; }

 protected:
  void Apply(const events::Envelope& e) override {
    const std::string_view t = e.type;
    if (t == "MeetingScheduled") {
      Meeting& m = s_.meetings[Sym(e.Data(), "meeting_id")] = {
          Sym(e.Data(), "mentor_id"), Syms(e.Data(), "student_ids"), Time(e.Data(), "end"),
          View(e.Data(), "status") == "accepted" ? MeetingStatus::kAccepted
                                                 : MeetingStatus::kProposed};
      Count(m, +1);
    } else if (t.starts_with("Meeting") || t == "ObservationRecorded" ||
               t == "ActionItemCompleted") {
      const auto it = FindById(s_.meetings, e.Data(), "meeting_id");
      if (it == s_.meetings.end()) return;
      Meeting& m = it->second;
      // Derived counters follow the meeting: out before the change, back in after.
      Count(m, -1);
      struct Recount {
        EngagementProjection* self;
        Meeting& m;
        ~Recount() { self->Count(m, +1); }
      } recount{this, m};
      if (t == "MeetingAccepted") {
        m.status = MeetingStatus::kAccepted;
      } else if (t == "MeetingRescheduled") {
        m.status = MeetingStatus::kProposed;
        m.end = Time(e.Data(), "end");
      } else if (t == "MeetingDeclined") {
        m.status = MeetingStatus::kDeclined;
      } else if (t == "MeetingCancelled") {
        m.status = MeetingStatus::kCancelled;
      } else if (t == "MeetingConfirmed") {
        m.status = MeetingStatus::kHeld;
        ++s_.held;
        for (const Symbol s : m.student_ids) ++s_.pairs[{m.mentor_id, s}];
      } else if (t == "MeetingDisputed") {
        m.status = MeetingStatus::kDisputed;
        ++s_.disputed;
      } else if (t == "ObservationRecorded") {
        m.items = static_cast<std::int64_t>(Strings(e.Data(), "next_action_items").size());
        m.items_done = 0;  // an amendment restarts the count (completion is per item text)
      } else if (t == "ActionItemCompleted") {
        m.items_done = std::min(m.items, m.items_done + 1);
      }
    } else if (t == "MilestoneCompleted") {
      ++s_.milestones_completed;
    } else if (t == "CounsellingCreated") {
      s_.counselling[Str(e.Data(), "counselling_id")] = {Time(e.Data(), "at"), false};
    } else if (t == "CounsellingOutcomeRecorded") {
      s_.counselling_goals += static_cast<std::int64_t>(Strings(e.Data(), "goals").size());
      const auto it = s_.counselling.find(Str(e.Data(), "counselling_id"));
      if (it != s_.counselling.end()) it->second.outcome = true;
    } else if (t == "FeedbackGiven") {
      ++s_.feedback_given;
    } else if (t == "SatisfactionSubmitted") {
      s_.satisfaction[e.actor.id + "\n" + Str(e.Data(), "program_id")] = {e.actor.role,
                                                                          Int(e.Data(), "rating")};
    } else if (t == "MentorshipRequested") {
      s_.open_requests[Str(e.Data(), "request_id")] = {e.time, Str(e.Data(), "team_or_student"),
                                                       Str(e.Data(), "topic")};
    } else if (t == "MentorshipRequestAssigned") {
      const auto it = s_.open_requests.find(Str(e.Data(), "request_id"));
      if (it == s_.open_requests.end()) return;
      ++s_.assigned_requests;
      s_.assigned_wait_ms += e.time - it->second.requested_at;
      s_.open_requests.erase(it);
    }
  }

  std::string SaveBinary() const override {
    Encoder e;
    EncodeAll(e, s_);
    return e.Take();
  }

  bool LoadBinary(std::string_view bytes) override {
    Decoder d(bytes);
    if (!DecodeAll(d, s_) || !d.AtEnd()) return false;
    Reindex();
    return true;
  }

  bool Load(const Json& j) override {
    s_ = j.get<State>();
    Reindex();
    return true;
  }

 private:
  // Adds (sign +1) or removes (-1) a meeting's share of the derived counters.
  void Count(const Meeting& m, int sign) {
    items_ += sign * m.items;
    items_done_ += sign * m.items_done;
    if (m.status != MeetingStatus::kAccepted) return;
    if (sign > 0) {
      accepted_ends_.insert(m.end);
    } else if (const auto it = accepted_ends_.find(m.end); it != accepted_ends_.end()) {
      accepted_ends_.erase(it);
    }
  }

  void Reindex() {
    items_ = items_done_ = 0;
    accepted_ends_.clear();
    for (const auto& [id, m] : s_.meetings) Count(m, +1);
  }

  State s_;
  std::int64_t items_ = 0;                       // derived
  std::int64_t items_done_ = 0;                  // derived
  std::multiset<events::TimeMs> accepted_ends_;  // derived: end of each accepted meeting
};

}  // namespace

std::unique_ptr<Projection> NewEngagementProjection() {
  return std::make_unique<EngagementProjection>();
}

}  // namespace mentorlog::projections::internal
