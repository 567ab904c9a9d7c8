#include "analysis/crown_estimate.hpp"
#include "analysis/lab.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <opencv2/imgproc.hpp>

namespace idphoto::analysis {
namespace {

double delta_e(const cv::Vec3f& a, const cv::Vec3f& b) {
  const cv::Vec3f d = a - b;
  return std::sqrt(d.dot(d));
}

// 90th percentile of the ΔE of lab's pixels to ref.
double spread(const cv::Mat& lab, const cv::Vec3f& ref) {
  std::vector<float> d;
  d.reserve(lab.total());
  for (int y = 0; y < lab.rows; ++y) {
    const auto* p = lab.ptr<cv::Vec3f>(y);
    for (int x = 0; x < lab.cols; ++x) d.push_back(static_cast<float>(delta_e(p[x], ref)));
  }
  if (d.empty()) return 0;
  auto q = d.begin() + static_cast<std::ptrdiff_t>(d.size() * 9 / 10);
  std::nth_element(d.begin(), q, d.end());
  return *q;
}

constexpr double kMaxCornerSpread = 12.0;    // ΔE, p90 inside a corner strip: above that it is not plain
constexpr double kMaxCornerMismatch = 15.0;  // ΔE between the two corners' medians

}  // namespace

std::optional<BorderColour> estimate_border_colour(const cv::Mat& bgr, const cv::Mat* bgr_lab) {
  if (bgr.empty() || bgr.type() != CV_8UC3 || bgr.cols < 8 || bgr.rows < 8) return std::nullopt;
  const int w = std::max(2, bgr.cols / 8);
  const int h = std::max(2, bgr.rows / 10);
  const bool have_lab = bgr_lab && bgr_lab->size() == bgr.size() && bgr_lab->type() == CV_32FC3;
  const cv::Rect lr(0, 0, w, h), rr(bgr.cols - w, 0, w, h);
  const cv::Mat left = have_lab ? (*bgr_lab)(lr) : bgr_to_lab(bgr(lr));
  const cv::Mat right = have_lab ? (*bgr_lab)(rr) : bgr_to_lab(bgr(rr));
  const cv::Vec3f ml = median_lab(left), mr = median_lab(right);
  const double sl = spread(left, ml), sr = spread(right, mr);
  if (sl > kMaxCornerSpread || sr > kMaxCornerSpread || delta_e(ml, mr) > kMaxCornerMismatch) return std::nullopt;
  cv::Mat both;
  cv::hconcat(left, right, both);
  const cv::Vec3f m = median_lab(both);
  return BorderColour{m, spread(both, m)};
}

std::optional<double> estimate_crown(const cv::Mat& bgr, const face::Landmarks68& lm) {
  return estimate_crown(bgr, lm, estimate_border_colour(bgr));
}

std::optional<double> estimate_crown(const cv::Mat& bgr, const face::Landmarks68& lm,
                                     const std::optional<BorderColour>& border) {
  if (!border) return std::nullopt;
  float brow = lm[17].y;
  for (int i = 18; i <= 26; ++i) brow = std::min(brow, lm[i].y);
  const int x0 = std::clamp(static_cast<int>(std::lround(lm[36].x)), 0, bgr.cols - 1);
  const int x1 = std::clamp(static_cast<int>(std::lround(lm[45].x)), 0, bgr.cols - 1);
  const int y_start = std::clamp(static_cast<int>(std::lround(brow)), 0, bgr.rows - 1);
  if (y_start < 1) return 0.0;  // the brows touch the top edge
  if (x1 - x0 < 4) return std::nullopt;
  const cv::Mat lab = bgr_to_lab(bgr(cv::Rect(x0, 0, x1 - x0 + 1, y_start + 1)));
  const double threshold = std::max(12.0, 2.5 * border->noise);  // ΔE: "differs from the background"
  std::vector<double> frac(static_cast<size_t>(lab.rows));
  for (int y = 0; y < lab.rows; ++y) {
    const auto* p = lab.ptr<cv::Vec3f>(y);
    int n = 0;
    for (int x = 0; x < lab.cols; ++x) n += delta_e(p[x], border->lab) > threshold;
    frac[static_cast<size_t>(y)] = static_cast<double>(n) / lab.cols;
  }
  // Smooth over a few rows, then walk up from the brows: the crown is the last head row before a gap.
  const double span = cv::norm(lm[45] - lm[36]);
  const int r = std::max(1, static_cast<int>(span / 60));
  const int gap = std::max(2, static_cast<int>(span * 0.08));
  constexpr double kHeadFraction = 0.2;
  auto smooth = [&](int y) {
    double s = 0;
    int n = 0;
    for (int k = std::max(0, y - r); k <= std::min(lab.rows - 1, y + r); ++k, ++n) s += frac[static_cast<size_t>(k)];
    return s / std::max(1, n);
  };
  int crown = y_start;
  int misses = 0;
  for (int y = y_start; y >= 0; --y) {
    if (smooth(y) >= kHeadFraction) {
      crown = y;
      misses = 0;
    } else if (++misses > gap) {
      break;
    }
  }
  return static_cast<double>(crown);
}

}  // namespace idphoto::analysis
