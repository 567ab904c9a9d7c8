// libFuzzer target: bytes → report through Engine::check_photo (decode, analysis, every check, JSON).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "fuzz_engine.hpp"
#include "idphoto/idphoto.hpp"

using idphoto::fuzz::engine;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const idphoto::Profile profile = idphoto::Profile::builtin("cn-1inch").value();
  auto report = engine().check_photo(std::span<const std::uint8_t>(data, size), profile, "fuzz");
  (void)report.to_json();
  (void)report.verdict();
  return 0;
}
