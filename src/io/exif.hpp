// Bounds-checked EXIF/TIFF reader: orientation and resolution from a raw APP1 payload.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>

namespace idphoto::io {

struct ExifInfo {
  int orientation = 1;                 // 0x0112; 1 when absent or out of 1..8
  std::optional<double> x_resolution;  // 0x011A, per resolution_unit
  std::optional<double> y_resolution;  // 0x011B
  int resolution_unit = 2;             // 0x0128: 1 none, 2 inch, 3 cm
  // DPI (x, y) from the resolution tags; none unless both are present and positive with an inch or
  // centimetre unit. The decoders use it when the file has no density of its own (JFIF, pHYs).
  std::optional<std::array<double, 2>> dpi() const;
};

// payload: an APP1 body starting with "Exif\0\0", or a bare TIFF header ("II*\0" / "MM\0*").
// Reads IFD0 only; hostile offsets, counts and IFD loops are ignored safely. None when not EXIF.
std::optional<ExifInfo> parse_exif(std::span<const std::uint8_t> payload);

}  // namespace idphoto::io
