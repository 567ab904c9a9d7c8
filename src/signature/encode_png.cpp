#include <vector>

#include <opencv2/core.hpp>

#include "io/encode.hpp"
#include "signature/ink_analysis.hpp"

namespace idphoto::signature {

// A thin layer over io::encode_png: grey as is, or (transparent) black ink whose alpha is its
// coverage, so the paper is fully transparent. zlib level 6, libpng's default.
Result<std::vector<std::uint8_t>> encode_png(const cv::Mat& grey, bool transparent) {
  if (grey.type() != CV_8UC1 || grey.empty())
    return Error{ErrorCode::invalid_argument, "encode_png: expected a non-empty 8-bit grey image"};
  const io::PngEncodeOptions options{.dpi = std::nullopt, .compression = 6};
  if (!transparent) return io::encode_png(grey, options);
  cv::Mat grey_alpha;
  const cv::Mat planes[] = {cv::Mat::zeros(grey.size(), CV_8UC1), 255 - grey};
  cv::merge(planes, 2, grey_alpha);
  return io::encode_png(grey_alpha, options);
}

}  // namespace idphoto::signature
