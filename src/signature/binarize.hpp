// Binarization of signature and document images: ink-contrast grey, illumination flattening, adaptive
// thresholds computed from integral images (cost independent of the window size).
#pragma once

#include <opencv2/core.hpp>

namespace idphoto::signature {

// Ink contrast in [0, 1] (CV_32F): 1 - (pixel / background), the strongest over the colour channels,
// so blue, red and green ink count as much as black ink and shadows/vignettes cancel out. Both 8-bit
// with the same channels (the background: a per-channel grey closing larger than a stroke at reduced
// scale, smoothed, brought back to size, never below 1).
cv::Mat ink_contrast(const cv::Mat& img, const cv::Mat& background);

// Plain Sauvola (1999) on a grey image: ink where g < m (1 + k (s / R - 1)). Integral images.
// Returns CV_8U, 255 = ink.
cv::Mat sauvola(const cv::Mat& grey8, int window, double k, double r = 128.0);

struct BinarizeParams {
  int window = 0;         // local window (px); 0 = from the estimated stroke width
  double k = 0.2;         // local-contrast weight on the flattened image
  double min_contrast = 0.08;  // never ink below this contrast (noise floor, fraction of background)
  double strong = 0.8;  // contrast (× the global threshold) that is ink without the local test
  double seed = 1.5;    // a connected ink candidate needs one pixel above this (× the global threshold)
};

struct Binarized {
  cv::Mat ink;             // CV_8U, 255 = ink, input size
  cv::Mat contrast;        // CV_32F ink contrast, input size
  double stroke_width = 0; // estimated median stroke width (px)
  double threshold = 0;    // global contrast threshold chosen (fraction)
};

// The project's binarization: flatten, then a Sauvola-style threshold on the ink-contrast image,
// bounded by a global threshold with hysteresis (candidates kept only when connected to a clearly dark
// seed), then speckles smaller than the stroke scale removed. strong 0.8 / seed 1.5 were chosen on the
// 30 DIBCO pages (docs/accuracy.md: the mean F is within 0.3 of its best over strong 0.6–0.9, seed 1.2–2).
Binarized binarize(const cv::Mat& img, const BinarizeParams& params = {});

// Morphological opening of a 0/255 mask by a straight line of length px (horizontal: 1×length,
// else length×1), equal to cv::morphologyEx(MORPH_OPEN) with that rectangle and OpenCV's default
// anchor and borders, but from pixel runs: its cost does not grow with the length.
cv::Mat open_line(const cv::Mat& mask, int length, bool horizontal);

// Median stroke width of an ink mask (2 × median distance to background on the skeleton ridge).
double stroke_width(const cv::Mat& ink);

}  // namespace idphoto::signature
