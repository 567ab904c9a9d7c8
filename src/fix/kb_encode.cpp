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
                                      std::optional<int> dpi) {
  if (min_bytes > max_bytes) return Error{ErrorCode::invalid_argument, "byte window: minimum above maximum"};
  std::size_t smallest = SIZE_MAX, largest = 0;
  // Baseline 4:2:0, baseline 4:4:4, progressive 4:2:0, progressive 4:4:4: the highest quality that fits.
  for (bool progressive : {false, true}) {
    for (bool c420 : {true, false}) {
      int lo = 1, hi = 100, best = -1;
      std::vector<std::uint8_t> best_bytes;
      while (lo <= hi) {
        const int q = (lo + hi) / 2;
        auto r = io::encode_jpeg(bgr, {q, dpi, true, progressive, c420});
        if (!r) return r.error();
        const std::size_t n = r->size();
        smallest = std::min(smallest, n);
        largest = std::max(largest, n);
        if (n > max_bytes) {
          hi = q - 1;
        } else {
          if (n >= min_bytes) {
            best = q;
            best_bytes = std::move(r.value());
          }
          lo = q + 1;
        }
      }
      if (best > 0) return WindowJpeg{std::move(best_bytes), best, c420, progressive};
    }
  }
  // Quality 1 and 100 bound what is reachable; report them.
  for (bool c420 : {true, false}) {
    for (int q : {1, 100}) {
      if (auto r = io::encode_jpeg(bgr, {q, dpi, true, false, c420})) {
        smallest = std::min(smallest, r->size());
        largest = std::max(largest, r->size());
      }
    }
  }
  const std::string window = kb(min_bytes) + "–" + kb(max_bytes);
  const std::string reach = kb(smallest) + "–" + kb(largest);
  std::string why = largest < min_bytes   ? "the photo is too plain to reach the minimum even at quality 100"
                    : smallest > max_bytes ? "the photo is too detailed to fit under the maximum even at quality 1"
                                           : "no quality step lands inside the window";
  return Error{ErrorCode::invalid_argument,
               "cannot encode a JPEG of " + window + " (reachable sizes " + reach + "): " + why};
}

}  // namespace idphoto::fix
