#pragma once

#include <cstdio>
#include <cstdlib>

// An invariant of a fuzz target. A violation prints what broke and aborts, which
// libFuzzer reports as a crash (and saves the input) and the g++ replay test
// (replay_main.cc) reports as a failure.
#define FUZZ_CHECK(condition, what)                                                         \
  do {                                                                                      \
    if (!(condition)) {                                                                     \
      std::fprintf(stderr, "%s:%d: invariant failed: %s\n  %s\n", __FILE__, __LINE__, what, \
                   #condition);                                                             \
      std::abort();                                                                         \
    }                                                                                       \
  } while (0)
