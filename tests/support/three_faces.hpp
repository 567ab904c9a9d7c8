// A made-up group photo for the detection-depth tests (test_face, test_core): the sample's face at full
// size and at 0.62 and 0.4 of it, side by side on white. dlib's boxes: 151, 105 and 73 px wide.
#pragma once

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "support/test_support.hpp"

namespace idphoto::test {

// imread_flag: cv::IMREAD_COLOR or cv::IMREAD_GRAYSCALE.
inline cv::Mat three_faces(int imread_flag) {
  const cv::Mat face = cv::imread((source_dir() / "samples/cn-1inch-obama.jpg").string(), imread_flag);
  REQUIRE(!face.empty());
  cv::Mat mid, small;
  cv::resize(face, mid, cv::Size(), 0.62, 0.62, cv::INTER_AREA);
  cv::resize(face, small, cv::Size(), 0.4, 0.4, cv::INTER_AREA);
  cv::Mat group(face.rows + 20, face.cols + mid.cols + small.cols + 40, face.type(), cv::Scalar::all(255));
  face.copyTo(group(cv::Rect(10, 10, face.cols, face.rows)));
  mid.copyTo(group(cv::Rect(face.cols + 20, 10, mid.cols, mid.rows)));
  small.copyTo(group(cv::Rect(face.cols + mid.cols + 30, 10, small.cols, small.rows)));
  return group;
}

}  // namespace idphoto::test
