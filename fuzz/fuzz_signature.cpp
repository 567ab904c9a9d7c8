// libFuzzer target: bytes → signature report and cleaned signature through Engine::check_signature
// and Engine::clean_signature with the default signature profile (decode, binarization, line removal,
// turn detection, placement, encode, re-check, JSON). The whole input is the image.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "fuzz_engine.hpp"
#include "idphoto/idphoto.hpp"

using idphoto::fuzz::engine;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const idphoto::Profile profile =
      idphoto::Profile::builtin(idphoto::Profile::default_id("signature")).value();
  const std::span<const std::uint8_t> bytes(data, size);
  auto report = engine().check_signature(bytes, profile, "fuzz");
  (void)report.to_json();
  (void)report.verdict();
  auto cleaned = engine().clean_signature(bytes, profile, {}, "fuzz");
  if (!cleaned.output.empty()) (void)cleaned.output.back();
  (void)cleaned.to_json();
  (void)cleaned.passed();
  return 0;
}
