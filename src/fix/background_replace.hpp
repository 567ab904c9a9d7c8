// Background replacement for the fixed photo: GrabCut person mask refined by a guided filter, with colour
// decontamination at the edge (no halos).
#pragma once

#include <array>
#include <vector>

#include <opencv2/core.hpp>

namespace idphoto::fix {

// Guided filter (He, Sun, Tang, "Guided Image Filtering", TPAMI 2013) with a grey guide, from box filters.
// guide, src: CV_32F of one size; r: box radius in px; eps: regulariser (guide in 0..1 units).
cv::Mat guided_filter(const cv::Mat& guide, const cv::Mat& src, int radius, double eps);

// Where the person is expected, in the coordinates of the image being processed.
struct PersonPrior {
  std::vector<cv::Point2f> face;  // landmarks 0..26 (jaw and brows)
  cv::Point2f eye_mid;
  double crown_y = 0;
  double chin_y = 0;
  double face_width = 0;
};

// Person mask: 0..1 alpha (CV_32F), 1 = person. bg_hint: 255 = surely background, 0 = unknown (may be empty).
cv::Mat person_alpha(const cv::Mat& bgr, const cv::Mat& bg_hint, const PersonPrior& prior);

// Share of the region expected to be background (outside the dilated person prior) that bg_hint marks as
// background: low values mean a busy background.
double plain_background_share(const cv::Mat& bg_hint, const PersonPrior& prior);

// out = I + (1 - alpha) (colour - B_old), B_old the local old background colour: the compositing model's
// foreground estimate laid on the new colour.
cv::Mat composite_on_colour(const cv::Mat& bgr, const cv::Mat& alpha, const cv::Scalar& colour_bgr);

}  // namespace idphoto::fix
