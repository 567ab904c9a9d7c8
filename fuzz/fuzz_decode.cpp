// libFuzzer target: io::decode on arbitrary bytes (JPEG/PNG/EXIF parsers, limits).
#include <cstddef>
#include <cstdint>
#include <span>

#include "io/decode.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  idphoto::Limits limits;
  limits.max_pixels = 4'000'000;  // keeps each execution fast; the limit path itself is fuzzed
  (void)idphoto::io::sniff_format(std::span<const std::uint8_t>(data, size));
  auto r = idphoto::io::decode(std::span<const std::uint8_t>(data, size), limits);
  if (r) {
    idphoto::io::DecodeOptions scaled;
    scaled.min_width = 64;
    scaled.min_height = 64;
    (void)idphoto::io::decode(std::span<const std::uint8_t>(data, size), limits, scaled);
  }
  return 0;
}
