// The "students" view (DOMAIN.md 1): each student's profile with its change
// history (who changed what, when) and the mentor history; case-insensitive
// search by name (whole name or any word, by prefix) or roll-number prefix.

#include <map>

#include "projections/fold_support.h"
#include "projections/ledgers.h"
#include "projections/projection_registry.h"
#include "projections/state_codec.h"

namespace mentorlog::projections::internal {
namespace {

// A profile update's `previous` member ({} when absent), as text.
std::string PreviousOf(events::DataView d) {
  const std::string_view raw = d.Raw("previous");
  return raw.empty() ? "{}" : events::field::ToJson(raw).dump();
}

// Profiles and changes are kept as their JSON object text (what Json::dump
// gives, so the snapshot's bytes are those of the objects they were): a text is
// a fifth of the memory of the object, and only a query of that student reads
// it. A snapshot's texts are checked when it is loaded (IsObjectText).
bool IsObjectText(std::string_view text) { return text.starts_with('{') && Json::accept(text); }

struct Change {
  std::uint64_t position = 0;
  events::TimeMs time = 0;
  std::string actor_id;
  std::string actor_role;
  std::string kind;      // profile_updated | mentor_assigned
  std::string changes;   // JSON object text
  std::string previous;  // JSON object text
};
MENTORLOG_STATE(Change, position, time, actor_id, actor_role, kind, changes, previous)

struct Student {
  std::string roll_number;
  std::string mentor_id;
  std::string profile = "{}";  // JSON text: name, department, year, email, phone, guardian
  std::uint64_t enrolled_position = 0;
  events::TimeMs enrolled_at = 0;
  std::vector<Change> history;
};
MENTORLOG_STATE(Student, roll_number, mentor_id, profile, enrolled_position, enrolled_at, history)

class StudentsProjection final : public Projection {
 public:
  std::string_view Name() const override { return "students"; }
  int Version() const override { return 2; }

  std::expected<Json, ViewError> Query(const ViewRequest& r, const QueryContext&) const override {
    if (r.key) return One(r, *r.key);
    if (IsMentee(r)) {
      return std::unexpected(Forbidden("a mentee reads only their own profile (students/{id})"));
    }
    const auto paging = ParsePaging(r);
    if (!paging) return std::unexpected(paging.error());
    std::vector<const std::string*> ids;
    const auto q = Param(r, "q");
    const auto keep = [&](const std::string& id) {
      return ReadsAll(r) || roster_.MentorOf(id) == r.reader.id;
    };
    if (q) {
      std::set<std::string> found;
      const std::string prefix = Lower(*q);
      for (const auto* index : {&names_, &rolls_}) {
        for (auto it = index->lower_bound(prefix);
             it != index->end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
          found.insert(it->second);
        }
      }
      for (const std::string& id : found) {
        const auto s = students_.find(id);
        if (s != students_.end() && keep(id)) ids.push_back(&s->first);
      }
    } else if (ReadsAll(r)) {
      for (const auto& [id, s] : students_) ids.push_back(&id);
    } else {
      for (const std::string& id : roster_.MenteesOf(r.reader.id)) {
        const auto s = students_.find(id);
        if (s != students_.end()) ids.push_back(&s->first);
      }
    }
    Json items = Json::array();
    for (std::size_t i = paging->offset; i < ids.size() && i < paging->offset + paging->limit;
         ++i) {
      const Student& s = students_.at(*ids[i]);
      const Json profile = Json::parse(s.profile);
      items.push_back({{"student_id", *ids[i]},
                       {"roll_number", s.roll_number},
                       {"name", profile.value("name", "")},
                       {"department", profile.value("department", "")},
                       {"year", profile.value("year", Json())},
                       {"mentor_id", StrOrNull(s.mentor_id)}});
    }
    return PageOf(std::move(items), ids.size(), *paging);
  }

  Json Save() const override { return {{"students", students_}, {"roster", roster_.Save()}}; }

 protected:
  void Apply(const events::Envelope& e) override {
    roster_.Apply(e);
    if (e.type == "StudentEnrolled"sv) {
      const std::string id = Str(e.Data(), "student_id");
      Student& s = students_[id];
      s.roll_number = Str(e.Data(), "roll_number");
      Json profile = events::field::ToJson(e.Data().Text());
      profile.erase("student_id");
      profile.erase("roll_number");
      s.profile = profile.dump();
      s.enrolled_position = e.position;
      s.enrolled_at = e.time;
      IndexStudent(id, s, true);
    } else if (e.type == "StudentProfileUpdated"sv) {
      const std::string id = Str(e.Data(), "student_id");
      const auto it = students_.find(id);
      const std::string_view changes_text = events::field::Object(e.Data(), "changes");
      if (it == students_.end() || changes_text.empty()) return;
      const Json changes = events::field::ToJson(changes_text);
      Student& s = it->second;
      IndexStudent(id, s, false);
      Json profile = Json::parse(s.profile);
      for (const auto& [field, value] : changes.items()) {
        if (field == "roll_number") {
          s.roll_number = value.is_string() ? value.get<std::string>() : "";
        } else {
          profile[field] = value;
        }
      }
      s.profile = profile.dump();
      IndexStudent(id, s, true);
      s.history.push_back({e.position, e.time, e.actor.id, e.actor.role, "profile_updated",
                           changes.dump(), PreviousOf(e.Data())});
    } else if (e.type == "MentorAssigned"sv) {
      const auto it = students_.find(Str(e.Data(), "student_id"));
      if (it == students_.end()) return;
      Json previous = Json::object();
      previous["mentor_id"] = StrOrNull(it->second.mentor_id);
      it->second.mentor_id = Str(e.Data(), "mentor_id");
      it->second.history.push_back({e.position, e.time, e.actor.id, e.actor.role, "mentor_assigned",
                                    Json{{"mentor_id", it->second.mentor_id}}.dump(),
                                    previous.dump()});
    }
  }

  std::string SaveBinary() const override {
    Encoder e;
    EncodeAll(e, students_, roster_);
    return e.Take();
  }

  bool LoadBinary(std::string_view bytes) override {
    Decoder d(bytes);
    if (!DecodeAll(d, students_, roster_) || !d.AtEnd()) return false;
    for (const auto& [id, s] : students_) {
      if (!IsObjectText(s.profile)) return false;
      for (const Change& c : s.history) {
        if (!IsObjectText(c.changes) || !IsObjectText(c.previous)) return false;
      }
    }
    names_.clear();
    rolls_.clear();
    for (const auto& [id, s] : students_) IndexStudent(id, s, true);
    return true;
  }

  bool Load(const Json& j) override {
    students_ = j.at("students").get<std::map<std::string, Student>>();
    roster_.Load(j.at("roster"));
    names_.clear();
    rolls_.clear();
    for (const auto& [id, s] : students_) IndexStudent(id, s, true);
    return true;
  }

 private:
  std::expected<Json, ViewError> One(const ViewRequest& r, const std::string& id) const {
    const bool mine =
        (IsMentor(r) && roster_.MentorOf(id) == r.reader.id) || (IsMentee(r) && r.reader.id == id);
    if (!ReadsAll(r) && !mine) {
      return std::unexpected(Forbidden("not a student this token may read", "key"));
    }
    const auto it = students_.find(id);
    if (it == students_.end()) return std::unexpected(NotFound("no such student", "key"));
    const Student& s = it->second;
    Json out = Json::parse(s.profile);
    out["student_id"] = id;
    out["roll_number"] = s.roll_number;
    out["mentor_id"] = StrOrNull(s.mentor_id);
    out["enrolled_at"] = events::FormatTime(s.enrolled_at);
    out["enrolled_position"] = s.enrolled_position;
    Json history = Json::array();
    for (const Change& c : s.history) {
      history.push_back({{"position", c.position},
                         {"time", events::FormatTime(c.time)},
                         {"actor", {{"id", c.actor_id}, {"role", c.actor_role}}},
                         {"kind", c.kind},
                         {"changes", Json::parse(c.changes)},
                         {"previous", Json::parse(c.previous)}});
    }
    out["history"] = std::move(history);
    return out;
  }

  // Search keys: the lowercased whole name, each word of it, and the roll number.
  void IndexStudent(const std::string& id, const Student& s, bool add) {
    const events::IndexedObject profile(s.profile);
    const std::string name = Lower(events::field::Str(profile.View(), "name"));
    std::vector<std::string> keys = {name};
    std::size_t start = 0;
    while (start < name.size()) {
      const std::size_t space = name.find(' ', start);
      const std::size_t end = space == std::string::npos ? name.size() : space;
      if (end > start && start > 0) keys.push_back(name.substr(start, end - start));
      start = end + 1;
    }
    const auto update = [&](std::multimap<std::string, std::string>& index, const std::string& k) {
      if (add) {
        index.emplace(k, id);
        return;
      }
      auto [first, last] = index.equal_range(k);
      for (auto it = first; it != last; ++it) {
        if (it->second == id) {
          index.erase(it);
          return;
        }
      }
    };
    for (const std::string& k : keys) update(names_, k);
    update(rolls_, Lower(s.roll_number));
  }

  std::map<std::string, Student> students_;
  Roster roster_;
  std::multimap<std::string, std::string> names_;  // derived: search key -> id
  std::multimap<std::string, std::string> rolls_;  // derived
};

}  // namespace

std::unique_ptr<Projection> NewStudentsProjection() {
  return std::make_unique<StudentsProjection>();
}

}  // namespace mentorlog::projections::internal
