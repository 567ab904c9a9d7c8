// JPEG encoding with JFIF density, a quality search into a byte window, and PNG encoding with pHYs density.
#pragma once

#include <cstdint>
#include <functional>
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
  bool progressive = false;
};

// Asked between two encodes of a search; true ends the search with an internal error ("stopped"): the
// caller no longer wants its result (fix: the source was refused meanwhile on another thread).
using StopFn = std::function<bool()>;

// The highest quality whose file lies in [min_bytes, max_bytes] (a real JPEG, never padded). Tries
// 4:2:0 then 4:4:4. invalid_argument with the sizes reached when no quality lands in the window.
Result<SizedJpeg> encode_jpeg_to_size(const cv::Mat& bgr, std::size_t min_bytes, std::size_t max_bytes,
                                      std::optional<int> dpi, bool progressive = false, const StopFn& stop = {});

// The error a search ended by its StopFn returns.
inline Error stopped_error() { return Error{ErrorCode::internal, "encoding stopped: its result is no longer wanted"}; }

struct PngEncodeOptions {
  std::optional<int> dpi;  // written as pHYs in pixels per metre (dpi / 0.0254, rounded); none: no pHYs
  int compression = 9;     // zlib level 0..9
};

// img: CV_8UC1 (grey), CV_8UC2 (grey + alpha), CV_8UC3 (BGR) or CV_8UC4 (BGRA). 8-bit, not interlaced.
Result<std::vector<std::uint8_t>> encode_png(const cv::Mat& img, const PngEncodeOptions& options);

}  // namespace idphoto::io
