// libFuzzer target: bytes → fixed photo through Engine::fix_photo with the cn-1inch profile (decode,
// analysis, crop, levels, optional background replacement, encode, re-check, JSON). The first byte
// picks the background (even: keep, odd: white), the rest is the image.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "fuzz_engine.hpp"
#include "idphoto/idphoto.hpp"

using idphoto::fuzz::engine;

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
