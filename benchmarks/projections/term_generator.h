#pragma once

#include <cstdint>
#include <expected>
#include <filesystem>
#include <string>

namespace mentorlog::benchmarks {

// What GenerateTerm writes.
struct TermOptions {
  // Students enrolled. Default: 10000.
  int students = 10'000;
  // Students per mentor (4,000 mentors for 100,000 students). Default: 25.
  int students_per_mentor = 25;
  // Students per class section (one AttendanceRecorded per section and period).
  // Default: 60.
  int section_size = 60;
  // Teaching days in the term (weekdays of 12 weeks). Default: 60.
  int days = 60;
  // Periods per day. Default: 6.
  int periods = 6;
  // 1:1 meetings per student over the term. Default: 12.
  int meetings_per_student = 12;
  // Seed of the random choices. Default: 7.
  std::uint32_t seed = 7;
};

// Writes a believable term into a fresh RocksDB log at `dir` (durability none):
// mentors and students registered, enrolled and assigned; daily attendance per
// section and period (most present, a few chronically absent students, who get
// alerts their mentors acknowledge); every meeting scheduled, accepted, observed
// with action items and a follow-up date, validated by both sides and confirmed,
// one action item completed; leave and on-duty requests approved or rejected;
// some profile updates. Event data has exactly the shapes commands/ produces.
// Returns the number of events written. Errors: the store's message.
std::expected<std::uint64_t, std::string> GenerateTerm(const std::filesystem::path& dir,
                                                       const TermOptions& options);

}  // namespace mentorlog::benchmarks
