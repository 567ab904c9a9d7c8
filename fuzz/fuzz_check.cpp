// libFuzzer target: bytes → report through Engine::check_photo (decode, analysis, every check, JSON).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "idphoto/idphoto.hpp"

namespace {
const idphoto::Engine& engine() {
  static const idphoto::Engine e = [] {
    idphoto::EngineOptions o;
    o.limits.max_pixels = 2'000'000;  // keeps detection fast per execution
    auto r = idphoto::Engine::create(o);
    if (!r) std::abort();  // the fuzzer needs the landmark model (libdlib-data)
    return r.value();
  }();
  return e;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const idphoto::Profile profile = idphoto::Profile::builtin("cn-1inch").value();
  auto report = engine().check_photo(std::span<const std::uint8_t>(data, size), profile, "fuzz");
  (void)report.to_json();
  (void)report.verdict();
  return 0;
}
