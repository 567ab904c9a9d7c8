#include "analysis/shrink.hpp"

#include <algorithm>

#include <opencv2/imgproc.hpp>

namespace idphoto::analysis {

cv::Mat shrink(const cv::Mat& img, double s) {
  if (s >= 1.0 || img.empty()) return img;
  const int interpolation = s >= 0.5 ? cv::INTER_LINEAR : cv::INTER_AREA;
  // OpenCV sizes the output as round(side * s) and samples with s itself; an explicit size would make
  // it sample with size / side instead, so it is passed only where s alone would give an empty image.
  const int w = cvRound(img.cols * s), h = cvRound(img.rows * s);
  cv::Mat out;
  if (w >= 1 && h >= 1) cv::resize(img, out, cv::Size(), s, s, interpolation);
  else cv::resize(img, out, cv::Size(std::max(1, w), std::max(1, h)), 0, 0, interpolation);
  return out;
}

}  // namespace idphoto::analysis
