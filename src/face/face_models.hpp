// The face models: dlib's HOG frontal face detector and a 68-point shape predictor (iBUG 300-W scheme).
// This header includes no dlib; face_models.cpp is the only translation unit that does.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "idphoto/idphoto.hpp"

namespace idphoto::face {

using Landmarks68 = std::array<cv::Point2f, 68>;

struct Detection {
  cv::Rect2f box;      // in the coordinates of the image passed to detect()
  double score = 0.0;  // detector confidence
};

class FaceModels {
 public:
  // path: a dlib shape_predictor file with the 68-point scheme. Missing → model_missing, unreadable
  // or wrong scheme → model_corrupt; messages name the path and the Debian package (libdlib-data).
  static Result<std::shared_ptr<const FaceModels>> load(const std::string& landmark_model_path);
  ~FaceModels();

  // Frontal faces in an 8-bit grey image, largest first. Thread-safe.
  std::vector<Detection> detect(const cv::Mat& grey) const;
  // 68 landmarks inside box (grey image coordinates). Thread-safe.
  Landmarks68 landmarks(const cv::Mat& grey, const cv::Rect2f& box) const;

  const std::string& landmark_model_path() const;

  struct Impl;

 private:
  FaceModels();
  std::unique_ptr<Impl> impl_;
};

}  // namespace idphoto::face
