// Process-wide allocator tuning for the CLI and the benchmarks (docs/decisions/0004-allocator-tuning.md).
//
// Image work allocates and frees buffers of 1–30 MB per file (decoded pixels, float contrast maps,
// integral images). glibc serves blocks above its mmap threshold with a fresh mmap each time and hands
// freed heap tops back to the kernel, so every file pays page faults and zeroing again: 40 % of a
// signature binarization was kernel time. Serving blocks up to 32 MB from the heap and trimming only
// above 256 MB keeps those pages mapped between files. The library itself never changes process-wide
// settings; embedders can do the same with GLIBC_TUNABLES (docs/performance.md).
#pragma once

#include <cstdlib>
#include <cstring>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace idphoto::cli {

// Returns true when the settings were applied (glibc, and GLIBC_TUNABLES does not set malloc itself).
inline bool tune_allocator() {
#if defined(__GLIBC__)
  if (const char* t = std::getenv("GLIBC_TUNABLES"); t && std::strstr(t, "glibc.malloc.")) return false;
  const bool a = mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024) == 1;
  const bool b = mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024) == 1;
  return a && b;
#else
  return false;
#endif
}

}  // namespace idphoto::cli
