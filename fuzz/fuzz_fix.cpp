// libFuzzer target: bytes → fixed photo through Engine::fix_photo with the cn-1inch profile (decode,
// analysis, crop, levels, optional background replacement, encode, re-check, JSON). The first byte
// picks the background (even: keep, odd: white), the rest is the image.
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
  if (size == 0) return 0;
  static const idphoto::Profile profile = idphoto::Profile::builtin("cn-1inch").value();
  idphoto::FixOptions options;
  options.background = (data[0] & 1) ? "white" : "keep";
  auto result = engine().fix_photo(std::span<const std::uint8_t>(data + 1, size - 1), profile,
                                   options, "fuzz");
  if (!result.output.empty()) (void)result.output.back();
  (void)result.to_json();
  (void)result.verdict();
  return 0;
}
