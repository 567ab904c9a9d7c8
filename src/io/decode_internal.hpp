// Per-format decoders behind io::decode (internal to src/io).
#pragma once

#include <optional>

#include "io/decode.hpp"

namespace idphoto::io::detail {

// limit_exceeded when a header's dimensions break the limits, checked before any pixel allocation.
std::optional<Error> check_dimensions(std::uint64_t width, std::uint64_t height,
                                      const Limits& limits);

// EXIF orientation 1..8 applied to the pixels (rotate/flip); other values leave the image as is.
cv::Mat apply_orientation(const cv::Mat& image, int orientation);

Result<DecodedImage> decode_jpeg(std::span<const std::uint8_t> bytes, const Limits& limits,
                                 const DecodeOptions& options);
Result<DecodedImage> decode_png(std::span<const std::uint8_t> bytes, const Limits& limits);

}  // namespace idphoto::io::detail
