// Head-top (crown) and background estimation helpers of the Analysis.
#pragma once

#include <optional>

#include <opencv2/core.hpp>

#include "face/face_models.hpp"

namespace idphoto::analysis {

// Lab colour of the plain background, from the two top-corner strips of bgr (CIE L*a*b*, L 0..100).
// none when the corners are not plain (busy) or disagree. bgr_lab: bgr_to_lab(bgr) when the caller has
// it (only its top-corner strips are read: the top tenth of its rows), else null.
struct BorderColour {
  cv::Vec3f lab;
  double noise = 0;  // robust spread (ΔE) of the corner pixels around lab
};
std::optional<BorderColour> estimate_border_colour(const cv::Mat& bgr, const cv::Mat* bgr_lab = nullptr);

// Crown row in bgr's coordinates (0 when the hair reaches the top edge); none when no plain
// background is seen above the face. lm: landmarks in bgr's coordinates.
// border: estimate_border_colour(bgr), when the caller has it (it serves the background mask too).
std::optional<double> estimate_crown(const cv::Mat& bgr, const face::Landmarks68& lm);
std::optional<double> estimate_crown(const cv::Mat& bgr, const face::Landmarks68& lm,
                                     const std::optional<BorderColour>& border);

// 255 = background (close to the border colour and connected to the top/left/right border), at bgr's
// size, with the person's region (face, neck and torso below the chin) excluded. Empty when the border is not
// plain. lm may be null (no face).
// bgr_lab: bgr_to_lab(bgr) when the caller has it (used when bgr needs no downscaling), else null;
// bgr_border likewise estimate_border_colour(bgr); near_border likewise near_border_rows' map of bgr_lab
// against that colour (used, and overwritten, with bgr_lab and bgr_border).
cv::Mat estimate_background_mask(const cv::Mat& bgr, const face::Landmarks68* lm, std::optional<double> crown_y,
                                 const cv::Mat* bgr_lab = nullptr,
                                 const std::optional<BorderColour>* bgr_border = nullptr,
                                 cv::Mat* near_border = nullptr);

// The background mask's first step for rows [y0, y1) of lab (CV_32FC3): 255 where the pixel is within
// ΔE max(14, 3 × noise) of the border colour, else 0, into near (CV_8U, lab's size).
void near_border_rows(const cv::Mat& lab, const BorderColour& border, cv::Mat& near, int y0, int y1);

}  // namespace idphoto::analysis
