// CIE L*a*b* (D65) from 8-bit BGR, in OpenCV's float scale (L 0..100, a and b about -128..127), without
// OpenCV's cvtColor: its first Lab conversion in a process builds bit-exact tables with software floats
// (~225 ms), which alone would exceed the budget of a cold `idphoto check`. Same formulas as OpenCV's
// documented float conversion (sRGB gamma, the sRGB/D65 matrix, the cube-root knee at 0.008856);
// the cube root is read from a table with linear interpolation (error < 0.001 in L).
#pragma once

#include <cstdint>
#include <vector>

#include <opencv2/core.hpp>

namespace idphoto::analysis {

// bgr: CV_8UC3 (or CV_8UC1, read as grey). Returns CV_32FC3 of the same size.
cv::Mat bgr_to_lab(const cv::Mat& bgr);

// bgr_to_lab a band of rows at a time, with the same values: rows [y0, y1) of bgr (CV_8UC3) into the
// same rows of lab (CV_32FC3, bgr's size). Keeps its cache of recent colours from band to band.
class LabRows {
 public:
  LabRows();
  void convert(const cv::Mat& bgr, cv::Mat& lab, int y0, int y1);

 private:
  struct Entry {
    std::uint32_t key;  // b | g << 8 | r << 16; never 0xffffffff
    cv::Vec3f lab;
  };
  std::vector<Entry> cache_;
};

// One colour, components 0..255.
cv::Vec3f bgr_to_lab(double b, double g, double r);
// Per-channel median of a CV_32FC3 image (e.g. a region of bgr_to_lab's result); zeros when empty.
cv::Vec3f median_lab(const cv::Mat& lab);

}  // namespace idphoto::analysis
