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

// The largest reduction d (1, 2, 4 or 8) whose image, ceil(width / d) × ceil(height / d) as oriented,
// still meets options' minimums: a JPEG decodes at DCT scale 1/d, a PNG is area-averaged down by d,
// so both formats reach the analysis at the same size.
int reduction_for(int width, int height, const DecodeOptions& options);

Result<DecodedImage> decode_jpeg(std::span<const std::uint8_t> bytes, const Limits& limits,
                                 const DecodeOptions& options, const RowsDecoded& rows_decoded = {});
Result<DecodedImage> decode_png(std::span<const std::uint8_t> bytes, const Limits& limits,
                                const DecodeOptions& options);

}  // namespace idphoto::io::detail
