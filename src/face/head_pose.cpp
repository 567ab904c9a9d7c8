#include "face/head_pose.hpp"

#include <cmath>
#include <numbers>
#include <vector>

#include <opencv2/calib3d.hpp>

namespace idphoto::face {
namespace {

constexpr double kDeg = 180.0 / std::numbers::pi;

// Generic head, mm, camera axes (x image-right, y down, z away from the camera): 12 stable points of the
// OpenFace mean 3D face (the 68-point "wild face" model; outer eye corners 91 mm apart, nose tip 43 mm in
// front of them). Jaw sides and brows are left out (silhouette and expression move them).
struct ModelPoint {
  int index;
  cv::Point3d p;
};
const ModelPoint kModel[] = {
    {8, {0.098749, 77.061286, -0.881698}},      // chin
    {27, {0.653940, -42.193790, -13.380835}},   // nose bridge top
    {30, {1.226783, -8.414541, -36.948060}},    // nose tip
    {31, {-14.772472, 2.598255, -20.132003}},   // nostril, image left
    {33, {0.555920, 6.562900, -25.944448}},     // nose base
    {35, {15.214351, 2.643046, -20.858157}},    // nostril, image right
    {36, {-46.047290, -37.471411, 7.037989}},   // outer eye corner, image left
    {39, {-19.648268, -36.754742, -0.111088}},  // inner eye corner, image left
    {42, {19.265868, -37.032306, -0.665746}},   // inner eye corner, image right
    {45, {45.170805, -38.086515, 4.894163}},    // outer eye corner, image right
    {48, {-28.916267, 28.612716, -2.240310}},   // mouth corner, image left
    {54, {28.794412, 28.079924, -3.217393}},    // mouth corner, image right
};

}  // namespace

Pose estimate_pose(const Landmarks68& lm, cv::Size image_size) {
  Pose pose;
  const cv::Point2f le = (lm[36] + lm[37] + lm[38] + lm[39] + lm[40] + lm[41]) / 6.0f;
  const cv::Point2f re = (lm[42] + lm[43] + lm[44] + lm[45] + lm[46] + lm[47]) / 6.0f;
  pose.roll_deg = std::atan2(re.y - le.y, re.x - le.x) * kDeg;

  std::vector<cv::Point3d> object;
  std::vector<cv::Point2d> image;
  for (const auto& m : kModel) {
    object.push_back(m.p);
    image.emplace_back(lm[m.index].x, lm[m.index].y);
  }
  const double f = std::max(image_size.width, image_size.height);
  const cv::Matx33d k(f, 0, image_size.width / 2.0, 0, f, image_size.height / 2.0, 0, 0, 1);
  cv::Mat rvec, tvec;
  try {
    // Initial guess: facing the camera at a distance consistent with the eye-corner span.
    const double span = std::max(1.0, cv::norm(lm[45] - lm[36]));
    const cv::Point2f nose = lm[30];
    const double z = f * 91.2 / span;
    rvec = cv::Mat::zeros(3, 1, CV_64F);
    tvec = (cv::Mat_<double>(3, 1) << (nose.x - k(0, 2)) * z / f, (nose.y - k(1, 2)) * z / f, z);
    if (!cv::solvePnP(object, image, k, cv::noArray(), rvec, tvec, true, cv::SOLVEPNP_ITERATIVE)) return pose;
    cv::Matx33d r;
    cv::Rodrigues(rvec, r);
    // The face's forward direction and the line of sight (face → camera), both in camera axes: the pose is
    // judged against the line of sight, so a frontal face off the image centre still reads 0.
    const cv::Vec3d fwd(-r(0, 2), -r(1, 2), -r(2, 2));
    const cv::Vec3d sight(-tvec.at<double>(0), -tvec.at<double>(1), -tvec.at<double>(2));
    const auto yaw_of = [](const cv::Vec3d& v) { return std::atan2(v[0], -v[2]); };
    const auto pitch_of = [](const cv::Vec3d& v) { return std::atan2(-v[1], std::hypot(v[0], v[2])); };
    pose.yaw_deg = (yaw_of(fwd) - yaw_of(sight)) * kDeg;
    pose.pitch_deg = (pitch_of(fwd) - pitch_of(sight)) * kDeg;
  } catch (const std::exception&) {
    return pose;
  }
  return pose;
}

}  // namespace idphoto::face
