// The "meetings" view (DOMAIN.md 2): sessions filtered by mentor, student,
// status, time range and timetable, ordered by start; one meeting in full with
// its agenda, observations (every revision), action items and validations.
// Booked timetable slots (DOMAIN.md 7) are sessions too: `kind` "slot", keyed
// "<timetable_id>~<session_number>" (`~` is never in an id), status "booked" or
// "released", with the team or student they belong to; `timetable` and `team`
// filter them.

#include <map>
#include <set>

#include "projections/fold_support.h"
#include "projections/projection_registry.h"
#include "projections/state_codec.h"

namespace mentorlog::projections::internal {
namespace {

struct Observation {
  std::uint64_t position = 0;
  events::TimeMs time = 0;
  std::string data;  // the event's data as JSON text (compact in memory)
};
MENTORLOG_STATE(Observation, position, time, data)

struct Validation {
  std::string participant_id;
  std::string role;
  bool occurred = false;
  std::string note;
  events::TimeMs time = 0;
};
MENTORLOG_STATE(Validation, participant_id, role, occurred, note, time)

struct Meeting {
  std::string mentor_id;
  std::vector<std::string> student_ids;
  std::string title, description, mode, location, program_id, timetable_id;
  events::TimeMs start = 0, end = 0;
  std::string status;
  std::string proposed_by;
  std::uint64_t scheduled_position = 0;
  events::TimeMs scheduled_at = 0;
  std::string scheduled_by;
  std::string closed_reason;  // declined / cancelled
  std::vector<std::string> agenda;
  std::vector<Observation> observations;
  std::vector<std::string> items;
  std::vector<bool> items_done;
  std::vector<Validation> validations;
  std::string kind = "meeting";     // meeting | slot
  std::int64_t session_number = 0;  // slots
  std::string team_or_student;      // slots
};
MENTORLOG_STATE(Meeting, mentor_id, student_ids, title, description, mode, location, program_id,
                timetable_id, start, end, status, proposed_by, scheduled_position, scheduled_at,
                scheduled_by, closed_reason, agenda, observations, items, items_done, validations,
                kind, session_number, team_or_student)

using Index = std::set<std::pair<events::TimeMs, std::string>>;

class MeetingsProjection final : public Projection {
 public:
  std::string_view Name() const override { return "meetings"; }
  int Version() const override { return 2; }

  std::expected<Json, ViewError> Query(const ViewRequest& r, const QueryContext&) const override {
    if (r.key) return One(r, *r.key);
    const auto paging = ParsePaging(r);
    if (!paging) return std::unexpected(paging.error());
    auto mentor = Param(r, "mentor");
    auto student = Param(r, "student");
    const auto status = Param(r, "status");
    const auto timetable = Param(r, "timetable");
    const auto team = Param(r, "team");
    const auto from = TimeParam(r, "from");
    if (!from) return std::unexpected(from.error());
    const auto to = TimeParam(r, "to");
    if (!to) return std::unexpected(to.error());
    if (IsMentor(r)) {
      if (mentor && *mentor != r.reader.id) {
        return std::unexpected(Forbidden("a mentor reads only their own meetings", "mentor"));
      }
      mentor = r.reader.id;
    } else if (IsMentee(r)) {
      if (student && *student != r.reader.id) {
        return std::unexpected(Forbidden("a mentee reads only their own meetings", "student"));
      }
      student = r.reader.id;
    } else if (!ReadsAll(r)) {
      return std::unexpected(Forbidden("this role may not read meetings"));
    }
    static const Index kNone;
    const Index* index = &all_;
    if (student) {
      const auto it = by_student_.find(*student);
      index = it == by_student_.end() ? &kNone : &it->second;
    } else if (mentor) {
      const auto it = by_mentor_.find(*mentor);
      index = it == by_mentor_.end() ? &kNone : &it->second;
    }
    // from <= start < to.
    auto it = from->has_value() ? index->lower_bound({**from, std::string()}) : index->begin();
    const auto last = to->has_value() ? index->lower_bound({**to, std::string()}) : index->end();
    std::size_t total = 0;
    Json items = Json::array();
    for (; it != last; ++it) {
      const Meeting& m = meetings_.at(it->second);
      if (mentor && m.mentor_id != *mentor) continue;
      if (status && m.status != *status) continue;
      if (timetable && m.timetable_id != *timetable) continue;
      if (team && m.team_or_student != *team) continue;
      if (total >= paging->offset && total < paging->offset + paging->limit) {
        items.push_back(Summary(it->second, m));
      }
      ++total;
    }
    return PageOf(std::move(items), total, *paging);
  }

  Json Save() const override { return meetings_; }

 protected:
  void Apply(const events::Envelope& e) override {
    if (e.type == "SlotBooked" || e.type == "SlotReleased") return ApplySlot(e);
    const std::string id = Str(e.data, "meeting_id");
    if (id.empty()) return;
    if (e.type == "MeetingScheduled") {
      Meeting m;
      m.mentor_id = Str(e.data, "mentor_id");
      m.student_ids = Strings(e.data, "student_ids");
      m.title = Str(e.data, "title");
      m.description = Str(e.data, "description");
      m.mode = Str(e.data, "mode");
      m.location = Str(e.data, "location");
      m.program_id = Str(e.data, "program_id");
      m.timetable_id = Str(e.data, "timetable_id");
      m.start = Time(e.data, "start");
      m.end = Time(e.data, "end");
      m.status = Str(e.data, "status") == "accepted" ? "accepted" : "proposed";
      m.proposed_by = Str(e.data, "proposed_by");
      m.scheduled_position = e.position;
      m.scheduled_at = e.time;
      m.scheduled_by = e.actor.id;
      IndexMeeting(id, m, true);
      meetings_[id] = std::move(m);
      return;
    }
    const auto it = meetings_.find(id);
    if (it == meetings_.end()) return;
    Meeting& m = it->second;
    if (e.type == "MeetingAccepted") {
      m.status = "accepted";
    } else if (e.type == "MeetingRescheduled") {
      IndexMeeting(id, m, false);
      m.start = Time(e.data, "start");
      m.end = Time(e.data, "end");
      m.status = "proposed";
      m.proposed_by = Str(e.data, "proposed_by");
      IndexMeeting(id, m, true);
    } else if (e.type == "MeetingDeclined") {
      m.status = "declined";
      m.closed_reason = Str(e.data, "reason");
    } else if (e.type == "MeetingCancelled") {
      m.status = "cancelled";
      m.closed_reason = Str(e.data, "reason");
    } else if (e.type == "MeetingConfirmed") {
      m.status = "held";
    } else if (e.type == "MeetingDisputed") {
      m.status = "disputed";
    } else if (e.type == "AgendaItemsAdded") {
      for (std::string& item : Strings(e.data, "items")) m.agenda.push_back(std::move(item));
    } else if (e.type == "ObservationRecorded") {
      m.observations.push_back({e.position, e.time, e.data.dump()});
      std::vector<std::string> items = Strings(e.data, "next_action_items");
      std::vector<bool> done(items.size(), false);
      for (std::size_t i = 0; i < done.size() && i < m.items.size(); ++i) {
        done[i] = m.items[i] == items[i] && m.items_done[i];
      }
      m.items = std::move(items);
      m.items_done = std::move(done);
    } else if (e.type == "ActionItemCompleted") {
      const std::int64_t item = Int(e.data, "item", -1);
      if (item >= 0 && item < static_cast<std::int64_t>(m.items_done.size())) {
        m.items_done[static_cast<std::size_t>(item)] = true;
      }
    } else if (e.type == "MeetingValidated") {
      m.validations.push_back({Str(e.data, "participant_id"), Str(e.data, "role"),
                               Bool(e.data, "occurred"), Str(e.data, "note"), e.time});
    }
  }

  std::string SaveBinary() const override {
    Encoder e;
    EncodeAll(e, meetings_);
    return e.Take();
  }

  bool LoadBinary(std::string_view bytes) override {
    Decoder d(bytes);
    if (!DecodeAll(d, meetings_) || !d.AtEnd()) return false;
    all_.clear();
    by_mentor_.clear();
    by_student_.clear();
    for (const auto& [id, m] : meetings_) IndexMeeting(id, m, true);
    return true;
  }

  bool Load(const Json& j) override {
    meetings_ = j.get<std::map<std::string, Meeting>>();
    all_.clear();
    by_mentor_.clear();
    by_student_.clear();
    for (const auto& [id, m] : meetings_) IndexMeeting(id, m, true);
    return true;
  }

 private:
  void ApplySlot(const events::Envelope& e) {
    const std::string id =
        Str(e.data, "timetable_id") + "~" + std::to_string(Int(e.data, "session_number"));
    if (e.type == "SlotReleased") {
      const auto it = meetings_.find(id);
      if (it == meetings_.end()) return;
      it->second.status = "released";
      it->second.closed_reason = Str(e.data, "reason");
      return;
    }
    if (const auto old = meetings_.find(id); old != meetings_.end()) {
      IndexMeeting(id, old->second, false);  // a released number booked again
    }
    Meeting m;
    m.kind = "slot";
    m.mentor_id = Str(e.data, "mentor_id");
    m.session_number = Int(e.data, "session_number");
    m.team_or_student = Str(e.data, "team_or_student");
    m.description = Str(e.data, "description");
    m.title = m.description.empty() ? "Session " + std::to_string(m.session_number) : m.description;
    m.timetable_id = Str(e.data, "timetable_id");
    m.start = Time(e.data, "slot_start");
    m.end = Time(e.data, "slot_end");
    m.status = "booked";
    m.scheduled_position = e.position;
    m.scheduled_at = e.time;
    m.scheduled_by = e.actor.id;
    IndexMeeting(id, m, true);
    meetings_[id] = std::move(m);
  }

  static Json Summary(const std::string& id, const Meeting& m) {
    if (m.kind == "slot") {
      return {{"meeting_id", id},
              {"kind", "slot"},
              {"mentor_id", StrOrNull(m.mentor_id)},
              {"student_ids", m.student_ids},
              {"team_or_student", m.team_or_student},
              {"session_number", m.session_number},
              {"title", m.title},
              {"start", events::FormatTime(m.start)},
              {"end", events::FormatTime(m.end)},
              {"status", m.status},
              {"timetable_id", m.timetable_id}};
    }
    return {{"meeting_id", id},
            {"kind", "meeting"},
            {"mentor_id", m.mentor_id},
            {"student_ids", m.student_ids},
            {"title", m.title},
            {"mode", m.mode},
            {"start", events::FormatTime(m.start)},
            {"end", events::FormatTime(m.end)},
            {"status", m.status},
            {"program_id", StrOrNull(m.program_id)},
            {"timetable_id", StrOrNull(m.timetable_id)}};
  }

  std::expected<Json, ViewError> One(const ViewRequest& r, const std::string& id) const {
    const auto it = meetings_.find(id);
    const bool party = it != meetings_.end() &&
                       ((IsMentor(r) && it->second.mentor_id == r.reader.id) ||
                        (IsMentee(r) && (std::ranges::find(it->second.student_ids, r.reader.id) !=
                                             it->second.student_ids.end() ||
                                         it->second.team_or_student == r.reader.id)));
    if (!ReadsAll(r) && !party) {
      return std::unexpected(Forbidden("not a meeting this token may read", "key"));
    }
    if (it == meetings_.end()) return std::unexpected(NotFound("no such meeting", "key"));
    const Meeting& m = it->second;
    Json out = Summary(id, m);
    if (m.kind == "slot") {
      out["description"] = StrOrNull(m.description);
      out["booked_at"] = events::FormatTime(m.scheduled_at);
      out["booked_by"] = m.scheduled_by;
      out["released_reason"] = StrOrNull(m.closed_reason);
      return out;
    }
    out["description"] = StrOrNull(m.description);
    out["location"] = StrOrNull(m.location);
    out["proposed_by"] = m.proposed_by;
    out["scheduled_at"] = events::FormatTime(m.scheduled_at);
    out["scheduled_by"] = m.scheduled_by;
    out["closed_reason"] = StrOrNull(m.closed_reason);
    out["agenda"] = m.agenda;
    Json observations = Json::array();
    for (const Observation& o : m.observations) {
      Json data = Json::parse(o.data);
      data.erase("meeting_id");
      data["position"] = o.position;
      data["time"] = events::FormatTime(o.time);
      observations.push_back(std::move(data));
    }
    out["observations"] = std::move(observations);
    Json items = Json::array();
    for (std::size_t i = 0; i < m.items.size(); ++i) {
      items.push_back({{"item", i}, {"text", m.items[i]}, {"completed", bool(m.items_done[i])}});
    }
    out["action_items"] = std::move(items);
    Json validations = Json::array();
    for (const Validation& v : m.validations) {
      validations.push_back({{"participant_id", v.participant_id},
                             {"role", v.role},
                             {"occurred", v.occurred},
                             {"note", StrOrNull(v.note)},
                             {"time", events::FormatTime(v.time)}});
    }
    out["validations"] = std::move(validations);
    return out;
  }

  void IndexMeeting(const std::string& id, const Meeting& m, bool add) {
    const auto key = std::make_pair(m.start, id);
    const auto update = [&](Index& index) {
      if (add) {
        index.insert(key);
      } else {
        index.erase(key);
      }
    };
    update(all_);
    if (!m.mentor_id.empty()) update(by_mentor_[m.mentor_id]);
    for (const std::string& s : m.student_ids) update(by_student_[s]);
    // A slot booked for a student is one of that student's sessions.
    if (!m.team_or_student.empty()) update(by_student_[m.team_or_student]);
  }

  std::map<std::string, Meeting> meetings_;
  Index all_;                                          // derived
  std::unordered_map<std::string, Index> by_mentor_;   // derived
  std::unordered_map<std::string, Index> by_student_;  // derived
};

}  // namespace

std::unique_ptr<Projection> NewMeetingsProjection() {
  return std::make_unique<MeetingsProjection>();
}

}  // namespace mentorlog::projections::internal
