// Shared by the benchmark mains: run with the CLI's allocator settings.
#pragma once

#include <cstdio>
#include <cstdlib>

#include "cli/allocator.hpp"

// The CLI's allocator settings (cli/allocator.hpp), unless IDPHOTO_BENCH_DEFAULT_MALLOC=1.
inline void bench_allocator() {
  const char* d = std::getenv("IDPHOTO_BENCH_DEFAULT_MALLOC");
  const bool tuned = !(d && *d == '1') && idphoto::cli::tune_allocator();
  std::fprintf(stderr, "allocator: %s\n", tuned ? "tuned as the CLI (cli/allocator.hpp)" : "glibc defaults");
}
