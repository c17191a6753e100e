#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "events/envelope.h"
#include "projections/symbol.h"

namespace mentorlog::http {

// Who each event is about, for the read rules on raw events (WebSocket
// subscriptions, /v1/streams): a mentee reads events about themself, a mentor
// events about themself or their current mentees, admins and auditors all.
// A small fold of its own (meeting participants, leave owners, assignments)
// because many events name their people only through the entity's first event.
// Thread-safe: Apply takes a writer lock, the queries a reader lock.
class Audience {
 public:
  struct People {
    std::vector<std::string> students;
    std::vector<std::string> mentors;
  };
  // How the fold keeps a meeting's People (public for the snapshot codec only).
  // Ids are interned (projections/symbol.h): 8 bytes each, the text shared with
  // the projections that name the same people and meetings. A term holds over a
  // million meetings; as vectors of strings they were ~200 MB of a 10 M-event
  // server.
  // A meeting has one mentor, so it is a symbol rather than a vector.
  using Symbol = projections::internal::Symbol;
  struct Party {
    std::vector<Symbol> students;
    Symbol mentor;  // empty when the meeting named none
  };

  // Folds one committed event, in position order.
  void Apply(const events::Envelope& e);

  // The position of the last event applied (0: none).
  std::uint64_t Position() const { return position_.load(); }

  // The fold's state in projections/state_codec.h's binary form, with the
  // position it reflects (taken together, under the lock), for the start-up
  // snapshot (EventHub::LoadFrom). Bump kSnapshotVersion when the form changes
  // (2: ids as interned symbols; 3: a meeting's one mentor as a symbol).
  static constexpr int kSnapshotVersion = 3;
  struct Saved {
    std::uint64_t position = 0;
    std::string state;
  };
  Saved Save() const;

  // Replaces the state with what Save wrote at `position`; false, and the
  // state unchanged, when `state` is not exactly one well-formed encoding.
  bool Restore(std::uint64_t position, std::string_view state);

  // Who may read `e` besides admins and auditors: the students it concerns,
  // and the mentors it names together with the current mentor of each of
  // those students. WebSocket fan-out works it out once per event, not once
  // per subscriber.
  People ReadersOf(const events::Envelope& e) const;

  // Whether `reader` may see an event whose readers are `readers`.
  static bool MayRead(const events::Actor& reader, const People& readers);

  // Whether `reader` may see `e`.
  bool MayRead(const events::Actor& reader, const events::Envelope& e) const;

  // Whether `reader` may read the whole stream: admin and auditor any; a mentee
  // `student-<self>`; a mentor `mentor-<self>` and `student-<mentee>`.
  bool MayReadStream(const events::Actor& reader, std::string_view stream) const;

  // The student's current mentor, empty when none.
  std::string MentorOf(const std::string& student_id) const;

 private:
  People OfLocked(const events::Envelope& e) const;

  mutable std::shared_mutex mu_;
  std::unordered_map<Symbol, Party, Symbol::Hash> meetings_;    // meeting id -> participants
  std::unordered_map<Symbol, Symbol, Symbol::Hash> leaves_;     // leave id -> student
  std::unordered_map<Symbol, Symbol, Symbol::Hash> mentor_of_;  // student -> mentor
  // Stored for every event, inside the lock for those that change the state,
  // so Save under the lock never pairs a state with a position it does not hold.
  std::atomic<std::uint64_t> position_{0};
};

}  // namespace mentorlog::http
