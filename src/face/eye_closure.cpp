#include "face/eye_closure.hpp"

#include <cmath>

#include <dlib/image_transforms/fhog.h>
#include <dlib/opencv/cv_image.h>
#include <opencv2/imgproc.hpp>

namespace idphoto::face {
namespace {
#include "face/eye_closure_model.inc"
static_assert(sizeof(kEyeClosureWeights) / sizeof(kEyeClosureWeights[0]) == kEyeFeatures);
}  // namespace

cv::Mat eye_patch(const cv::Mat& grey, const Landmarks68& lm, int first) {
  CV_Assert(grey.type() == CV_8UC1 && (first == 36 || first == 42));
  const cv::Point2f c0 = lm[static_cast<size_t>(first)], c1 = lm[static_cast<size_t>(first + 3)];
  cv::Point2f m(0, 0);
  for (int i = first; i < first + 6; ++i) m += lm[static_cast<size_t>(i)];
  m *= 1.0f / 6.0f;
  const double w = std::max(1.0, static_cast<double>(cv::norm(c1 - c0)));
  const double angle = std::atan2(c1.y - c0.y, c1.x - c0.x) * 180.0 / CV_PI;
  cv::Mat r = cv::getRotationMatrix2D(m, angle, kEyePatchWidth / (1.5 * w));
  r.at<double>(0, 2) += kEyePatchWidth / 2.0 - m.x;
  r.at<double>(1, 2) += kEyePatchHeight / 2.0 - m.y;
  cv::Mat patch;
  cv::warpAffine(grey, patch, r, cv::Size(kEyePatchWidth, kEyePatchHeight), cv::INTER_AREA, cv::BORDER_REPLICATE);
  if (first == 42) cv::flip(patch, patch, 1);
  return patch;
}

std::vector<double> eye_features(const cv::Mat& patch) {
  CV_Assert(patch.type() == CV_8UC1 && patch.cols == kEyePatchWidth && patch.rows == kEyePatchHeight);
  const dlib::cv_image<unsigned char> img(patch);
  dlib::array<dlib::array2d<float>> hog;
  dlib::extract_fhog_features(img, hog, kEyeCell);
  std::vector<double> v;
  v.reserve(kEyeFeatures);
  for (const auto& plane : hog)
    for (long y = 0; y < plane.nr(); ++y)
      for (long x = 0; x < plane.nc(); ++x) v.push_back(plane[y][x]);
  CV_Assert(static_cast<int>(v.size()) == kEyeFeatures);
  return v;
}

double eye_closure_score(const std::vector<double>& features) {
  CV_Assert(static_cast<int>(features.size()) == kEyeFeatures);
  double s = 0;
  for (int i = 0; i < kEyeFeatures; ++i) s += kEyeClosureWeights[i] * features[static_cast<size_t>(i)];
  return s - kEyeClosureBias;
}

std::array<double, 2> eye_closure_scores(const cv::Mat& grey, const Landmarks68& lm) {
  return {eye_closure_score(eye_features(eye_patch(grey, lm, 36))), eye_closure_score(eye_features(eye_patch(grey, lm, 42)))};
}

}  // namespace idphoto::face
