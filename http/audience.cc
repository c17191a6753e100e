#include "http/audience.h"

#include <algorithm>
#include <mutex>

#include "events/data_fields.h"
#include "projections/state_codec.h"

namespace mentorlog::http {

// Apply runs on the store's commit path for every event: "…"sv compares the
// type's length first (see projections/fold_support.h).
using namespace std::string_view_literals;

namespace {

std::string_view IdOf(std::string_view stream, std::string_view aggregate) {
  if (stream.size() > aggregate.size() + 1 && stream.substr(0, aggregate.size()) == aggregate &&
      stream[aggregate.size()] == '-') {
    return stream.substr(aggregate.size() + 1);
  }
  return {};
}

using projections::internal::FindByText;
using projections::internal::Symbol;

template <class Id>
bool Contains(const std::vector<Id>& v, std::string_view x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// Adds `id` unless present: a meeting's own events name the people its
// MeetingScheduled named too.
template <class Id>
void AddOnce(std::string_view id, std::vector<Id>& out) {
  if (!Contains(out, id)) out.emplace_back(id);
}

template <class Id>
void AddString(events::DataView data, std::string_view name, std::vector<Id>& out) {
  if (const std::string_view id = events::field::View(data, name); !id.empty()) AddOnce(id, out);
}

template <class Id>
void AddStrings(events::DataView data, std::string_view name, std::vector<Id>& out) {
  for (const std::string& id : events::field::Strings(data, name)) AddOnce(id, out);
}

}  // namespace

MENTORLOG_BINARY_STATE(Audience::Party, students, mentor)

void Audience::Apply(const events::Envelope& e) {
  if (e.type != "MeetingScheduled"sv && e.type != "LeaveRequested"sv &&
      e.type != "MentorAssigned"sv) {
    position_.store(e.position);
    return;
  }
  std::unique_lock lock(mu_);
  position_.store(e.position);
  if (e.type == "MeetingScheduled"sv) {
    Party& party = meetings_[Symbol(IdOf(e.stream, "meeting"))];
    AddStrings(e.Data(), "student_ids", party.students);
    party.mentor = Symbol(events::field::View(e.Data(), "mentor_id"));
  } else if (e.type == "LeaveRequested"sv) {
    leaves_[Symbol(IdOf(e.stream, "leave"))] = Symbol(events::field::View(e.Data(), "student_id"));
  } else {
    mentor_of_[Symbol(events::field::View(e.Data(), "student_id"))] =
        Symbol(events::field::View(e.Data(), "mentor_id"));
  }
}

Audience::Saved Audience::Save() const {
  projections::internal::Encoder encoder;
  std::shared_lock lock(mu_);
  projections::internal::EncodeAll(encoder, meetings_, leaves_, mentor_of_);
  return {position_.load(), encoder.Take()};
}

bool Audience::Restore(std::uint64_t position, std::string_view state) {
  projections::internal::Decoder decoder(state);
  decltype(meetings_) meetings;
  decltype(leaves_) leaves;
  decltype(mentor_of_) mentor_of;
  if (!projections::internal::DecodeAll(decoder, meetings, leaves, mentor_of) || !decoder.ok() ||
      !decoder.AtEnd()) {
    return false;
  }
  std::unique_lock lock(mu_);
  meetings_ = std::move(meetings);
  leaves_ = std::move(leaves);
  mentor_of_ = std::move(mentor_of);
  position_.store(position);
  return true;
}

Audience::People Audience::OfLocked(const events::Envelope& e) const {
  People people;
  if (const auto id = IdOf(e.stream, "student"); !id.empty()) {
    people.students.emplace_back(id);
  } else if (const auto mentor = IdOf(e.stream, "mentor"); !mentor.empty()) {
    people.mentors.emplace_back(mentor);
  } else if (const auto meeting = IdOf(e.stream, "meeting"); !meeting.empty()) {
    if (const auto it = FindByText(meetings_, meeting); it != meetings_.end()) {
      people.students.assign(it->second.students.begin(), it->second.students.end());
      if (!it->second.mentor.empty()) people.mentors.push_back(it->second.mentor);
    }
  } else if (const auto leave = IdOf(e.stream, "leave"); !leave.empty()) {
    if (const auto it = FindByText(leaves_, leave); it != leaves_.end()) {
      people.students.push_back(it->second);
    }
  }
  // Whatever the data names directly (attendance entries, assignments, alerts).
  const events::DataView data = e.Data();
  AddString(data, "student_id", people.students);
  AddStrings(data, "student_ids", people.students);
  AddString(data, "mentor_id", people.mentors);
  AddString(data, "previous_mentor_id", people.mentors);
  events::field::ForEachObject(data, "entries", [&](events::DataView entry) {
    AddString(entry, "student_id", people.students);
  });
  return people;
}

Audience::People Audience::ReadersOf(const events::Envelope& e) const {
  std::shared_lock lock(mu_);
  People readers = OfLocked(e);
  for (const std::string& student : readers.students) {
    const auto it = FindByText(mentor_of_, student);
    if (it != mentor_of_.end()) AddOnce(it->second.view(), readers.mentors);
  }
  return readers;
}

bool Audience::MayRead(const events::Actor& reader, const People& readers) {
  if (reader.role == "admin" || reader.role == "auditor") return true;
  if (reader.role == "mentee") return Contains(readers.students, reader.id);
  return reader.role == "mentor" && Contains(readers.mentors, reader.id);
}

bool Audience::MayRead(const events::Actor& reader, const events::Envelope& e) const {
  if (reader.role == "admin" || reader.role == "auditor") return true;
  return MayRead(reader, ReadersOf(e));
}

bool Audience::MayReadStream(const events::Actor& reader, std::string_view stream) const {
  if (reader.role == "admin" || reader.role == "auditor") return true;
  const auto student = IdOf(stream, "student");
  if (reader.role == "mentee") return student == reader.id;
  if (reader.role != "mentor") return false;
  if (IdOf(stream, "mentor") == reader.id) return true;
  return !student.empty() && MentorOf(std::string(student)) == reader.id;
}

std::string Audience::MentorOf(const std::string& student_id) const {
  std::shared_lock lock(mu_);
  const auto it = FindByText(mentor_of_, student_id);
  return it == mentor_of_.end() ? std::string() : it->second.str();
}

}  // namespace mentorlog::http
