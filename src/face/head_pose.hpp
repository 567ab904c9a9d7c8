// Head pose from the 68 landmarks (iBUG 300-W scheme).
#pragma once

#include <opencv2/core.hpp>

#include "face/face_models.hpp"

namespace idphoto::face {

struct Pose {
  double yaw_deg = 0;    // + = face turned to the image's right
  double pitch_deg = 0;  // + = chin up
  double roll_deg = 0;   // + = clockwise in the image (right eye lower), from the eye line
};

// image_size: the image the landmarks are in (focal length ≈ its width, principal point at its centre).
Pose estimate_pose(const Landmarks68& lm, cv::Size image_size);

}  // namespace idphoto::face
