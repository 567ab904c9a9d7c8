#ifndef IDPHOTO_ANALYSIS_SHRINK_HPP
#define IDPHOTO_ANALYSIS_SHRINK_HPP

#include <opencv2/core.hpp>

namespace idphoto::analysis {

// img shrunk by the factor s (s >= 1 returns img itself): bilinear while every source pixel still lies
// next to a sample (s >= 1/2), area averaging below that — OpenCV's area averaging at a fractional ratio
// costs several times more (docs/performance.md). A side that would round to 0 px (a 60000 × 1 image shrunk
// to 700 px) is kept at 1 px instead of making OpenCV throw; every other size is OpenCV's own for s.
cv::Mat shrink(const cv::Mat& img, double s);

}  // namespace idphoto::analysis

#endif
