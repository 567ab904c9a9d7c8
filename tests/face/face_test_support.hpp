// Shared by the face and analysis tests: the installed landmark model and images as io::DecodedImage.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>
#include <memory>
#include <string>

#include <opencv2/imgcodecs.hpp>

#include "face/face_models.hpp"
#include "io/decode.hpp"
#include "support/test_support.hpp"

namespace idphoto::test {

inline const std::string kDefaultModel = "/usr/share/dlib/shape_predictor_68_face_landmarks.dat";

// The Debian model, loaded once per test executable (about a second).
inline std::shared_ptr<const face::FaceModels> default_models() {
  static const auto models = [] {
    auto r = face::FaceModels::load(kDefaultModel);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? std::string() : r.error().message));
    return r.value();
  }();
  return models;
}

// 68 "x y" lines, with or without the 300-W header ("version", "n_points", braces); 1-based like 300-W.
inline std::vector<cv::Point2f> read_pts(const std::filesystem::path& p) {
  std::ifstream f(p);
  std::string line;
  std::vector<cv::Point2f> pts;
  while (std::getline(f, line)) {
    std::istringstream s(line);
    float x = 0, y = 0;
    if (s >> x >> y) pts.emplace_back(x - 1.0f, y - 1.0f);
  }
  return pts;
}

// Builds a DecodedImage with imgcodecs, independently of the io module.
inline io::DecodedImage load_decoded(const std::filesystem::path& p) {
  io::DecodedImage d;
  d.bgr = cv::imread(p.string(), cv::IMREAD_COLOR);
  REQUIRE_MESSAGE(!d.bgr.empty(), "cannot read " << p.string());
  d.format = "jpeg";
  d.width = d.bgr.cols;
  d.height = d.bgr.rows;
  d.scale = 1.0;
  d.colour_space = "rgb";
  return d;
}

inline io::DecodedImage from_mat(cv::Mat bgr) {
  io::DecodedImage d;
  d.bgr = std::move(bgr);
  d.format = "png";
  d.width = d.bgr.cols;
  d.height = d.bgr.rows;
  d.colour_space = "rgb";
  return d;
}

}  // namespace idphoto::test
