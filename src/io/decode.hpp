// Decoding of uploaded bytes into a BGR image plus what the file says about itself.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>

#include <opencv2/core.hpp>

#include "idphoto/idphoto.hpp"

namespace idphoto::io {

// Format from magic bytes, never from a file name: "jpeg", "png", "bmp", "tiff", "webp", "gif",
// "heic", "avif", "pdf", "ppm" (PNM family), "text", "empty" or "unknown".
std::string sniff_format(std::span<const std::uint8_t> bytes);

struct DecodeOptions {
  // When > 0, a JPEG may be decoded at a DCT scale (1/2, 1/4, 1/8), and a PNG area-averaged down by
  // the same factor, as long as the decoded image stays at least this wide and high (after
  // orientation). 0 = full size.
  int min_width = 0;
  int min_height = 0;
  // When > 0, likewise: the decoded image's longer side stays at least this long (signatures: the
  // analysis works at a bounded longer side whatever the aspect).
  int min_long_side = 0;
};

struct DecodedImage {
  cv::Mat bgr;                // CV_8UC3, EXIF orientation applied, alpha composited on white
  std::string format;         // as sniff_format
  int width = 0;              // full-size width after orientation (bgr may be smaller: see scale)
  int height = 0;
  double scale = 1.0;         // bgr.cols / width (1, 1/2, 1/4, 1/8)
  std::uint64_t bytes = 0;    // input size
  std::string colour_space;   // "grey", "rgb", "cmyk", "ycck", "palette", "grey_alpha", "rgba"
  int bit_depth = 8;          // per channel, as stored
  bool has_alpha = false;     // the file had an alpha channel (composited on white)
  bool alpha_used = false;    // some pixel was not fully opaque
  bool progressive = false;   // progressive JPEG or interlaced PNG
  int exif_orientation = 1;   // 1..8 as stored; already applied to bgr
  std::optional<std::array<double, 2>> dpi;  // x, y; none when the file has no density
  std::string dpi_source;     // "jfif", "exif", "png_phys" or ""
  std::array<std::uint16_t, 64> luma_qtable{};  // JPEG luminance quantisation table (natural order); zeros otherwise
  bool has_qtable = false;
};

// Decodes JPEG (libjpeg-turbo) and PNG (libpng) — the core formats. Other formats: unsupported_format
// naming the detected format. Limits are checked from the header before any large allocation.
// rows_decoded, when set: a baseline JPEG whose decoded pixels are its final ones (no EXIF rotation, no
// CMYK) is decoded in bands, and this is called on the decoding thread after each band with the image
// being decoded into (the buffer that becomes DecodedImage::bgr), the number of its rows decoded so far,
// and the DCT scale's denominator (1, 2, 4 or 8: decoding a row of a 1/4-scale image reads the data of
// 16 times its pixels): a second thread can work on the top rows while later ones are decoded. The pixels
// are the same either way. Not called for other inputs, nor after an error (which may follow some calls).
using RowsDecoded = std::function<void(const cv::Mat& bgr, int rows, int scale_denom)>;
Result<DecodedImage> decode(std::span<const std::uint8_t> bytes, const Limits& limits,
                            const DecodeOptions& options = {}, const RowsDecoded& rows_decoded = {});

}  // namespace idphoto::io
