// Encoding the fixed photo into the profile's byte window: a real JPEG whose quality (then chroma
// subsampling, then progressive coding) is searched, or a PNG; never padded.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "idphoto/idphoto.hpp"
#include "io/encode.hpp"

namespace idphoto::fix {

struct WindowJpeg {
  std::vector<std::uint8_t> bytes;
  int quality = 0;
  bool chroma_420 = true;
  bool progressive = false;
};

// min_bytes..max_bytes inclusive. invalid_argument naming the window and the sizes reachable when no
// encoding lands inside it.
// stop: asked between encodes (io::StopFn); true ends the search with io::stopped_error().
Result<WindowJpeg> encode_into_window(const cv::Mat& bgr, std::size_t min_bytes, std::size_t max_bytes,
                                      std::optional<int> dpi, const io::StopFn& stop = {});

struct WindowPng {
  std::vector<std::uint8_t> bytes;
  int compression = 9;
};

// PNG is lossless: only the zlib level moves its size. The strongest level (smallest file) whose size lies in
// min_bytes..max_bytes; invalid_argument naming the window and the sizes reachable otherwise.
Result<WindowPng> encode_png_into_window(const cv::Mat& bgr, std::size_t min_bytes, std::size_t max_bytes,
                                         std::optional<int> dpi, const io::StopFn& stop = {});

}  // namespace idphoto::fix
