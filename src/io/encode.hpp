// JPEG encoding with JFIF density, and a quality search into a byte window (fix output, samples).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include <opencv2/core.hpp>

#include "idphoto/idphoto.hpp"

namespace idphoto::io {

struct JpegEncodeOptions {
  int quality = 90;          // 1..100
  std::optional<int> dpi;    // written as JFIF density (units: dots per inch); none: 1:1 aspect only
  bool optimize = true;      // optimised Huffman tables
  bool progressive = false;
  bool chroma_420 = true;    // 4:2:0 subsampling, else 4:4:4
};

// bgr: CV_8UC3 or CV_8UC1. A baseline (or progressive) JFIF JPEG.
Result<std::vector<std::uint8_t>> encode_jpeg(const cv::Mat& bgr, const JpegEncodeOptions& options);

struct SizedJpeg {
  std::vector<std::uint8_t> bytes;
  int quality = 0;
  bool chroma_420 = true;
};

// The highest quality whose file lies in [min_bytes, max_bytes] (a real JPEG, never padded). Tries
// 4:2:0 then 4:4:4. invalid_argument with the sizes reached when no quality lands in the window.
Result<SizedJpeg> encode_jpeg_to_size(const cv::Mat& bgr, std::size_t min_bytes, std::size_t max_bytes,
                                      std::optional<int> dpi);

}  // namespace idphoto::io
