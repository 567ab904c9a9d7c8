#include "fix/kb_encode.hpp"

#include <algorithm>
#include <climits>
#include <cstdio>

#include "io/encode.hpp"

namespace idphoto::fix {
namespace {

std::string kb(std::size_t bytes) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f KB", static_cast<double>(bytes) / 1024.0);
  return b;
}

}  // namespace

Result<WindowJpeg> encode_into_window(const cv::Mat& bgr, std::size_t min_bytes, std::size_t max_bytes,
                                      std::optional<int> dpi, const io::StopFn& stop) {
  if (min_bytes > max_bytes) return Error{ErrorCode::invalid_argument, "byte window: minimum above maximum"};
  // Baseline (4:2:0, then 4:4:4), then progressive: the highest quality that fits.
  std::optional<Error> first;
  for (bool progressive : {false, true}) {
    auto r = io::encode_jpeg_to_size(bgr, min_bytes, max_bytes, dpi, progressive, stop);
    if (r) return WindowJpeg{std::move(r->bytes), r->quality, r->chroma_420, r->progressive};
    if (r.error().code != ErrorCode::invalid_argument) return r.error();
    if (!first) first = r.error();
  }
  // Quality 1 and 100 bound what is reachable; report them.
  std::size_t smallest = SIZE_MAX, largest = 0;
  for (bool progressive : {false, true}) {
    for (bool c420 : {true, false}) {
      for (int q : {1, 100}) {
        if (stop && stop()) return io::stopped_error();
        if (auto r = io::encode_jpeg(bgr, {q, dpi, true, progressive, c420})) {
          smallest = std::min(smallest, r->size());
          largest = std::max(largest, r->size());
        }
      }
    }
  }
  if (largest == 0) return *first;  // nothing encodes: the image itself is refused
  const std::string window = kb(min_bytes) + "–" + kb(max_bytes);
  const std::string reach = kb(smallest) + "–" + kb(largest);
  std::string why = largest < min_bytes   ? "the photo is too plain to reach the minimum even at quality 100"
                    : smallest > max_bytes ? "the photo is too detailed to fit under the maximum even at quality 1"
                                           : "no quality step lands inside the window";
  return Error{ErrorCode::invalid_argument,
               "cannot encode a JPEG of " + window + " (reachable sizes " + reach + "): " + why};
}

Result<WindowPng> encode_png_into_window(const cv::Mat& bgr, std::size_t min_bytes, std::size_t max_bytes,
                                         std::optional<int> dpi, const io::StopFn& stop) {
  if (min_bytes > max_bytes) return Error{ErrorCode::invalid_argument, "byte window: minimum above maximum"};
  std::size_t smallest = SIZE_MAX, largest = 0;
  for (int level : {9, 6, 3, 1, 0}) {
    if (level != 9 && stop && stop()) return io::stopped_error();
    auto r = io::encode_png(bgr, {dpi, level});
    if (!r) return r.error();
    const std::size_t n = r->size();
    smallest = std::min(smallest, n);
    largest = std::max(largest, n);
    if (n >= min_bytes && n <= max_bytes) return WindowPng{std::move(r.value()), level};
  }
  const std::string why = smallest > max_bytes ? "PNG is lossless and even its strongest compression is too large"
                          : largest < min_bytes ? "the photo is too plain to reach the minimum as PNG"
                                                : "no compression level lands inside the window";
  return Error{ErrorCode::invalid_argument, "cannot encode a PNG of " + kb(min_bytes) + "–" + kb(max_bytes) +
                                                " (reachable sizes " + kb(smallest) + "–" + kb(largest) + "): " + why};
}

}  // namespace idphoto::fix
