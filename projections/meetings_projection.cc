// The "meetings" view (DOMAIN.md 2): sessions filtered by mentor, student,
// status, time range and timetable, ordered by start; one meeting in full with
// its agenda, observations (every revision), action items and validations.
// Booked timetable slots (DOMAIN.md 7) are sessions too: `kind` "slot", keyed
// "<timetable_id>~<session_number>" (`~` is never in an id), status "booked" or
// "released", with the team or student they belong to; `timetable` and `team`
// filter them.
//
// The state keeps what the lists filter on and show. The one-meeting page's
// detail (description, agenda, observations, action items, validations, who
// scheduled it) is folded at query time from the meeting's own events, read
// from its stream in the log (every event naming a meeting is appended to its
// stream, `meeting-<id>`; commands/meeting_decider.cc): events are immutable,
// so the answer is the one a copy would give, at a fraction of the memory.
// Slots keep their few detail fields in the state (their events share the
// timetable's stream with every other booking).

#include <algorithm>
#include <array>
#include <map>
#include <set>

#include "projections/fold_support.h"
#include "projections/ledgers.h"
#include "projections/projection_registry.h"
#include "projections/state_codec.h"

namespace mentorlog::projections::internal {
namespace {

using Status = MeetingStatus;

// What a booked timetable slot shows beyond the summary.
struct SlotDetail {
  std::int64_t session_number = 0;
  std::string team_or_student;
  std::string description;
  events::TimeMs booked_at = 0;
  std::string booked_by;
  std::string released_reason;
};
MENTORLOG_STATE(SlotDetail, session_number, team_or_student, description, booked_at, booked_by,
                released_reason)

// Ids and labels are symbols (projections/symbol.h): a meeting is mostly ids.
struct Meeting {
  Symbol mentor_id;
  std::vector<Symbol> student_ids;
  Symbol title, mode, program_id, timetable_id;
  events::TimeMs start = 0, end = 0;
  Status status = Status::kProposed;
  // Meetings: the stream its events are in when it is not `meeting-<id>`.
  Symbol stream;
  // A slot's detail (kind "slot"; one element), none for a meeting.
  std::vector<SlotDetail> slot;

  const SlotDetail* Slot() const { return slot.empty() ? nullptr : &slot.front(); }
};
MENTORLOG_STATE(Meeting, mentor_id, student_ids, title, mode, program_id, timetable_id, start, end,
                status, stream, slot)

// Every meeting, in any order of arrival (a tree); each mentor's and student's
// are sorted vectors (MeetingIndex).
using AllIndex = std::set<MeetingEntry, ByStart>;

AllIndex::const_iterator StartingFrom(const AllIndex& index, events::TimeMs t) {
  return index.lower_bound(t);
}

// The detail of one meeting, folded from its events at query time.
struct Detail {
  std::string description, location, proposed_by, scheduled_by, closed_reason;
  events::TimeMs scheduled_at = 0;
  Json agenda = Json::array();
  Json observations = Json::array();
  std::vector<std::string> items;
  std::vector<bool> items_done;
  Json validations = Json::array();

  void Apply(const events::Envelope& e) {
    if (e.type == "MeetingScheduled"sv) {
      *this = Detail{};
      description = Str(e.Data(), "description");
      location = Str(e.Data(), "location");
      proposed_by = Str(e.Data(), "proposed_by");
      scheduled_at = e.time;
      scheduled_by = e.actor.id;
    } else if (e.type == "MeetingRescheduled"sv) {
      proposed_by = Str(e.Data(), "proposed_by");
    } else if (e.type == "MeetingDeclined"sv || e.type == "MeetingCancelled"sv) {
      closed_reason = Str(e.Data(), "reason");
    } else if (e.type == "AgendaItemsAdded"sv) {
      for (std::string& item : Strings(e.Data(), "items")) agenda.push_back(std::move(item));
    } else if (e.type == "ObservationRecorded"sv) {
      Json data = events::field::ToJson(e.Data().Text());
      data.erase("meeting_id");
      data["position"] = e.position;
      data["time"] = events::FormatTime(e.time);
      observations.push_back(std::move(data));
      // An amendment keeps an item's completion when the item at that index is
      // unchanged, as the write side does.
      std::vector<std::string> next = Strings(e.Data(), "next_action_items");
      std::vector<bool> done(next.size(), false);
      for (std::size_t i = 0; i < done.size() && i < items.size(); ++i) {
        done[i] = items[i] == next[i] && items_done[i];
      }
      items = std::move(next);
      items_done = std::move(done);
    } else if (e.type == "ActionItemCompleted"sv) {
      const std::int64_t item = Int(e.Data(), "item", -1);
      if (item >= 0 && item < static_cast<std::int64_t>(items_done.size())) {
        items_done[static_cast<std::size_t>(item)] = true;
      }
    } else if (e.type == "MeetingValidated"sv) {
      validations.push_back({{"participant_id", Str(e.Data(), "participant_id")},
                             {"role", Str(e.Data(), "role")},
                             {"occurred", Bool(e.Data(), "occurred")},
                             {"note", StrOrNull(Str(e.Data(), "note"))},
                             {"time", events::FormatTime(e.time)}});
    }
  }
};

class MeetingsProjection final : public Projection {
 public:
  std::string_view Name() const override { return "meetings"; }
  int Version() const override { return 4; }

  std::expected<Json, ViewError> Query(const ViewRequest& r,
                                       const QueryContext& context) const override {
    if (r.key) return One(r, *r.key, context);
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
    const std::optional<Status> wanted = status ? MeetingStatusNamed(*status) : std::nullopt;
    if (status && !wanted) return PageOf(Json::array(), 0, *paging);  // no meeting has it
    std::size_t total = 0;
    Json items = Json::array();
    const auto visit = [&](const MeetingEntry& entry) {
      const Meeting& m = meetings_.find(entry.id)->second;
      if (mentor && m.mentor_id != *mentor) return;
      if (wanted && m.status != *wanted) return;
      if (timetable && m.timetable_id != *timetable) return;
      if (team && (!m.Slot() || m.Slot()->team_or_student != *team)) return;
      if (total >= paging->offset && total < paging->offset + paging->limit) {
        items.push_back(Summary(entry.id, m));
      }
      ++total;
    };
    // from <= start < to.
    const auto walk = [&](const auto& index) {
      auto it = from->has_value() ? StartingFrom(index, **from) : index.begin();
      const auto last = to->has_value() ? StartingFrom(index, **to) : index.end();
      for (; it != last; ++it) visit(*it);
    };
    if (student || mentor) {
      const auto& keyed = student ? by_student_ : by_mentor_;
      if (const auto it = FindByText(keyed, student ? *student : *mentor); it != keyed.end()) {
        walk(it->second);
      }
    } else {
      walk(all_);
    }
    return PageOf(std::move(items), total, *paging);
  }

  Json Save() const override { return meetings_; }

 protected:
  void Apply(const events::Envelope& e) override {
    if (e.type == "SlotBooked"sv || e.type == "SlotReleased"sv) return ApplySlot(e);
    if (!std::string_view(e.type).starts_with("Meeting")) return;  // before scanning the data
    const Symbol id = Sym(e.Data(), "meeting_id");
    if (id.empty()) return;
    if (e.type == "MeetingScheduled"sv) {
      Meeting m;
      m.mentor_id = Sym(e.Data(), "mentor_id");
      m.student_ids = Syms(e.Data(), "student_ids");
      m.title = Sym(e.Data(), "title");
      m.mode = Sym(e.Data(), "mode");
      m.program_id = Sym(e.Data(), "program_id");
      m.timetable_id = Sym(e.Data(), "timetable_id");
      m.start = Time(e.Data(), "start");
      m.end = Time(e.Data(), "end");
      m.status = View(e.Data(), "status") == "accepted" ? Status::kAccepted : Status::kProposed;
      if (e.stream != StreamOf(id)) m.stream = Symbol(e.stream);
      Put(id, std::move(m));
      return;
    }
    const auto it = meetings_.find(id);
    if (it == meetings_.end()) return;
    Meeting& m = it->second;
    if (e.type == "MeetingAccepted"sv) {
      m.status = Status::kAccepted;
    } else if (e.type == "MeetingRescheduled"sv) {
      IndexMeeting(it->first, m, false);
      m.start = Time(e.Data(), "start");
      m.end = Time(e.Data(), "end");
      m.status = Status::kProposed;
      IndexMeeting(it->first, m, true);
    } else if (e.type == "MeetingDeclined"sv) {
      m.status = Status::kDeclined;
    } else if (e.type == "MeetingCancelled"sv) {
      m.status = Status::kCancelled;
    } else if (e.type == "MeetingConfirmed"sv) {
      m.status = Status::kHeld;
    } else if (e.type == "MeetingDisputed"sv) {
      m.status = Status::kDisputed;
    }
  }

  std::string SaveBinary() const override {
    Encoder e;
    EncodeAll(e, meetings_);
    return e.Take();
  }

  bool LoadBinary(std::string_view bytes) override {
    ClearIndexes();
    Decoder d(bytes);
    if (!DecodeAll(d, meetings_) || !d.AtEnd()) return false;
    Reindex();
    return true;
  }

  bool Load(const Json& j) override {
    ClearIndexes();
    meetings_ = j.get<std::unordered_map<Symbol, Meeting>>();
    Reindex();
    return true;
  }

 private:
  static std::string StreamOf(Symbol id) { return "meeting-" + id.str(); }

  // Adds or replaces the meeting `id` (a released slot number booked again).
  void Put(Symbol id, Meeting m) {
    auto it = meetings_.find(id);
    if (it == meetings_.end()) {
      it = meetings_.emplace(id, std::move(m)).first;
    } else {
      IndexMeeting(it->first, it->second, false);
      it->second = std::move(m);
    }
    IndexMeeting(it->first, it->second, true);
  }

  void ApplySlot(const events::Envelope& e) {
    const Symbol id(Str(e.Data(), "timetable_id") + "~" +
                    std::to_string(Int(e.Data(), "session_number")));
    if (e.type == "SlotReleased"sv) {
      const auto it = meetings_.find(id);
      if (it == meetings_.end() || it->second.slot.empty()) return;
      it->second.status = Status::kReleased;
      it->second.slot.front().released_reason = Str(e.Data(), "reason");
      return;
    }
    Meeting m;
    SlotDetail& slot = m.slot.emplace_back();
    slot.session_number = Int(e.Data(), "session_number");
    slot.team_or_student = Str(e.Data(), "team_or_student");
    slot.description = Str(e.Data(), "description");
    slot.booked_at = e.time;
    slot.booked_by = e.actor.id;
    m.mentor_id = Sym(e.Data(), "mentor_id");
    m.title = Symbol(slot.description.empty() ? "Session " + std::to_string(slot.session_number)
                                              : slot.description);
    m.timetable_id = Sym(e.Data(), "timetable_id");
    m.start = Time(e.Data(), "slot_start");
    m.end = Time(e.Data(), "slot_end");
    m.status = Status::kBooked;
    Put(id, std::move(m));
  }

  static Json Summary(Symbol id, const Meeting& m) {
    if (const SlotDetail* slot = m.Slot()) {
      return {{"meeting_id", id},
              {"kind", "slot"},
              {"mentor_id", StrOrNull(m.mentor_id)},
              {"student_ids", m.student_ids},
              {"team_or_student", slot->team_or_student},
              {"session_number", slot->session_number},
              {"title", m.title},
              {"start", events::FormatTime(m.start)},
              {"end", events::FormatTime(m.end)},
              {"status", NameOf(m.status)},
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
            {"status", NameOf(m.status)},
            {"program_id", StrOrNull(m.program_id)},
            {"timetable_id", StrOrNull(m.timetable_id)}};
  }

  std::expected<Json, ViewError> One(const ViewRequest& r, const std::string& key,
                                     const QueryContext& context) const {
    const auto it = FindByText(meetings_, key);
    const bool party =
        it != meetings_.end() &&
        ((IsMentor(r) && it->second.mentor_id == r.reader.id) ||
         (IsMentee(r) &&
          (std::ranges::find(it->second.student_ids, r.reader.id) != it->second.student_ids.end() ||
           (it->second.Slot() && it->second.Slot()->team_or_student == r.reader.id))));
    if (!ReadsAll(r) && !party) {
      return std::unexpected(Forbidden("not a meeting this token may read", "key"));
    }
    if (it == meetings_.end()) return std::unexpected(NotFound("no such meeting", "key"));
    const Meeting& m = it->second;
    Json out = Summary(it->first, m);
    if (const SlotDetail* slot = m.Slot()) {
      out["description"] = StrOrNull(slot->description);
      out["booked_at"] = events::FormatTime(slot->booked_at);
      out["booked_by"] = slot->booked_by;
      out["released_reason"] = StrOrNull(slot->released_reason);
      return out;
    }
    auto detail = ReadDetail(it->first, m, context);
    if (!detail) return std::unexpected(detail.error());
    out["description"] = StrOrNull(detail->description);
    out["location"] = StrOrNull(detail->location);
    out["proposed_by"] = detail->proposed_by;
    out["scheduled_at"] = events::FormatTime(detail->scheduled_at);
    out["scheduled_by"] = detail->scheduled_by;
    out["closed_reason"] = StrOrNull(detail->closed_reason);
    out["agenda"] = std::move(detail->agenda);
    out["observations"] = std::move(detail->observations);
    Json items = Json::array();
    for (std::size_t i = 0; i < detail->items.size(); ++i) {
      items.push_back(
          {{"item", i}, {"text", detail->items[i]}, {"completed", bool(detail->items_done[i])}});
    }
    out["action_items"] = std::move(items);
    out["validations"] = std::move(detail->validations);
    return out;
  }

  // Folds the meeting's events up to this projection's position from its stream.
  std::expected<Detail, ViewError> ReadDetail(Symbol id, const Meeting& m,
                                              const QueryContext& context) const {
    if (context.log == nullptr) return std::unexpected(Unavailable("no log to read"));
    const std::string stream = m.stream.empty() ? StreamOf(id) : m.stream.str();
    Detail detail;
    for (std::uint64_t from = 1;;) {
      auto read = context.log->ReadStream(stream, from, 256);
      if (!read) return std::unexpected(Unavailable("the log could not be read"));
      for (const events::Envelope& e : *read) {
        if (e.position > Position()) return detail;
        if (View(e.Data(), "meeting_id") == id) detail.Apply(e);
      }
      if (read->size() < 256) return detail;
      from = read->back().version + 1;
    }
  }

  void ClearIndexes() {
    all_.clear();
    by_mentor_.clear();
    by_student_.clear();
  }

  void Reindex() {
    std::vector<MeetingEntry> all;
    all.reserve(meetings_.size());
    for (const auto& [id, m] : meetings_) {
      const MeetingEntry entry{m.start, id};
      all.push_back(entry);
      ForEachKey(m, [&](MeetingIndex& index) { index.push_back(entry); });
    }
    // Sorted first, the tree is built by appending (each insert O(1) at the
    // end hint, the nodes allocated in order) rather than by a million
    // searches in random order.
    std::ranges::sort(all, ByStart{});
    for (const MeetingEntry& entry : all) all_.insert(all_.end(), entry);
    for (auto* keyed : {&by_mentor_, &by_student_}) {
      for (auto& [key, index] : *keyed) std::ranges::sort(index, ByStart{});
    }
  }

  // Calls `fn` on the mentor's and each student's index of the meeting.
  template <class Fn>
  void ForEachKey(const Meeting& m, Fn&& fn) {
    if (!m.mentor_id.empty()) fn(by_mentor_[m.mentor_id]);
    for (const Symbol s : m.student_ids) fn(by_student_[s]);
    // A slot booked for a student is one of that student's sessions.
    if (m.Slot() && !m.Slot()->team_or_student.empty()) {
      fn(by_student_[Symbol(m.Slot()->team_or_student)]);
    }
  }

  void IndexMeeting(Symbol id, const Meeting& m, bool add) {
    const MeetingEntry entry{m.start, id};
    if (add) {
      all_.insert(entry);
    } else {
      all_.erase(entry);
    }
    ForEachKey(m, [&](MeetingIndex& index) {
      if (add) {
        Insert(index, entry);
      } else {
        Erase(index, entry);
      }
    });
  }

  std::unordered_map<Symbol, Meeting> meetings_;
  AllIndex all_;                                         // derived
  std::unordered_map<Symbol, MeetingIndex> by_mentor_;   // derived
  std::unordered_map<Symbol, MeetingIndex> by_student_;  // derived
};

}  // namespace

std::unique_ptr<Projection> NewMeetingsProjection() {
  return std::make_unique<MeetingsProjection>();
}

}  // namespace mentorlog::projections::internal
