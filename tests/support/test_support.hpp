// Helpers shared by the tests: paths to samples and to ../shared/data.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <doctest/doctest.h>

namespace idphoto::test {

inline std::filesystem::path source_dir() { return IDPHOTO_SOURCE_DIR; }

// ../shared/data, or nullopt (with a message) when absent. Under CI=true its absence fails the test:
// CI must never pass silently without the real images.
inline std::optional<std::filesystem::path> shared_data() {
  std::filesystem::path p = IDPHOTO_SHARED_DATA_DIR;
  if (const char* env = std::getenv("IDPHOTO_SHARED_DATA")) p = env;
  if (std::filesystem::exists(p / "README.md")) return p;
  const char* ci = std::getenv("CI");
  if (ci && std::string(ci) == "true") {
    FAIL("shared test data missing at " << p.string() << " (CI=true requires it)");
  }
  MESSAGE("SKIPPED: shared test data not found at " << p.string());
  return std::nullopt;
}

inline std::vector<std::uint8_t> read_file(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  REQUIRE_MESSAGE(f.good(), "cannot open " << p.string());
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

}  // namespace idphoto::test
