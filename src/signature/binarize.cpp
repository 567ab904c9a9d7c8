#include "signature/binarize.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "analysis/shrink.hpp"

namespace idphoto::signature {

namespace {

// Integral images (CV_64F, (h+1)×(w+1)) of the values and their squares: window sums in O(1).
struct BoxStats {
  cv::Mat sum, sqsum;
  BoxStats(const cv::Mat& src) { cv::integral(src, sum, sqsum, CV_64F, CV_64F); }
};

double otsu_threshold(const cv::Mat& c8) {
  cv::Mat dst;
  return cv::threshold(c8, dst, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
}

}  // namespace

namespace {

// The background estimator's working scale: at most 640 px a side, but an image up to 700 px (the
// signature analysis' work size) is used as it is: shrinking it and enlarging the estimate back
// would cost more than the closing on the few more pixels.
constexpr int kBackgroundSide = 640, kBackgroundAsIs = 700;

double background_scale(const cv::Mat& img) {
  const int longest = std::max(img.cols, img.rows);
  return longest <= kBackgroundAsIs ? 1.0 : double(kBackgroundSide) / longest;
}


// estimate_background from img already shrunk by s (small), brought back to size.
// The background closing's size at scale s: three strokes wide (9 px without a hint), 5…31 px.
int closing_size(int stroke_hint_px, double s) {
  const int k = stroke_hint_px > 0 ? int(std::lround(3.0 * stroke_hint_px * s)) | 1 : 9;
  return std::clamp(k, 5, 31) | 1;
}

cv::Mat background_from(const cv::Mat& small, double s, cv::Size size, int stroke_hint_px) {
  // Closing larger than a stroke: dark ink disappears, paper, shadows and vignettes stay.
  const int k = closing_size(stroke_hint_px, s);
  const cv::Mat se = cv::getStructuringElement(cv::MORPH_RECT, cv::Size(k, k));
  cv::Mat closed;
  cv::dilate(small, closed, se);
  cv::erode(closed, closed, se);
  cv::blur(closed, closed, cv::Size(k, k));
  cv::Mat bg;
  if (s < 1.0)
    cv::resize(closed, bg, size, 0, 0, cv::INTER_LINEAR);
  else
    bg = closed;
  cv::max(bg, cv::Scalar::all(1), bg);
  return bg;
}

}  // namespace

cv::Mat ink_contrast(const cv::Mat& img, const cv::Mat& background) {
  // 1 − (darkest channel ÷ its background), clamped to [0, 1], in one pass (both 8-bit with the same
  // channels; the background is never 0). The quotients come from a table of all 256 × 256 of them,
  // computed once: three float divisions per pixel were a tenth of clean's work.
  CV_Assert(img.depth() == CV_8U && background.type() == img.type() && background.size() == img.size());
  static const std::vector<float> quotient = [] {
    std::vector<float> q(256 * 256);
    for (int b = 0; b < 256; ++b)
      for (int p = 0; p < 256; ++p) q[b * 256 + p] = float(p) / float(std::max(b, 1));
    return q;
  }();
  const float* qt = quotient.data();
  const int ch = img.channels();
  cv::Mat c(img.size(), CV_32F);
  for (int y = 0; y < img.rows; ++y) {
    const std::uint8_t* p = img.ptr<std::uint8_t>(y);
    const std::uint8_t* b = background.ptr<std::uint8_t>(y);
    float* o = c.ptr<float>(y);
    if (ch == 3) {
      for (int x = 0; x < img.cols; ++x, p += 3, b += 3) {
        const float m = std::min({qt[b[0] * 256 + p[0]], qt[b[1] * 256 + p[1]], qt[b[2] * 256 + p[2]]});
        o[x] = std::clamp(1.0f - m, 0.0f, 1.0f);
      }
    } else {
      for (int x = 0; x < img.cols; ++x, p += ch, b += ch) {
        float m = qt[b[0] * 256 + p[0]];
        for (int k = 1; k < ch; ++k) m = std::min(m, qt[b[k] * 256 + p[k]]);
        o[x] = std::clamp(1.0f - m, 0.0f, 1.0f);
      }
    }
  }
  return c;
}

cv::Mat sauvola(const cv::Mat& grey8, int window, double k, double r) {
  CV_Assert(grey8.type() == CV_8UC1);
  const int w = grey8.cols, h = grey8.rows, half = std::max(1, window / 2);
  BoxStats st(grey8);
  cv::Mat out(grey8.size(), CV_8U);
  for (int y = 0; y < h; ++y) {
    const std::uint8_t* g = grey8.ptr<std::uint8_t>(y);
    std::uint8_t* o = out.ptr<std::uint8_t>(y);
    const int y0 = std::max(0, y - half), y1 = std::min(h, y + half + 1);
    const double* s0 = st.sum.ptr<double>(y0);
    const double* s1 = st.sum.ptr<double>(y1);
    const double* q0 = st.sqsum.ptr<double>(y0);
    const double* q1 = st.sqsum.ptr<double>(y1);
    // The window clipped to the image; its sums from the four integral corners. Left and right
    // borders clip it; in between its width is fixed.
    const auto at = [&](int x, int x0, int x1) {
      const double n = double(x1 - x0) * double(y1 - y0);
      const double m = (s1[x1] - s0[x1] - s1[x0] + s0[x0]) / n;
      const double q = q1[x1] - q0[x1] - q1[x0] + q0[x0];
      const double sd = std::sqrt(std::max(0.0, q / n - m * m));
      o[x] = g[x] < m * (1.0 + k * (sd / r - 1.0)) ? 255 : 0;
    };
    const int left_end = std::min(w, half), right_start = std::max(left_end, w - half - 1);
    for (int x = 0; x < left_end; ++x) at(x, 0, std::min(w, x + half + 1));
    const int span = 2 * half + 1;
    if (k >= 0 && r > 0) {
      // g < m (1 − k) + (m k / r)·sd, i.e. A < B·sd with B ≥ 0: true when A < 0, else A² < B²·var —
      // no square root or division per pixel.
      const double inv_n = 1.0 / (double(span) * double(y1 - y0)), c1 = 1.0 - k, kr = k / r;
      for (int x = left_end; x < right_start; ++x) {
        const int x0 = x - half;
        const double m = (s1[x0 + span] - s0[x0 + span] - s1[x0] + s0[x0]) * inv_n;
        const double var = std::max(0.0, (q1[x0 + span] - q0[x0 + span] - q1[x0] + q0[x0]) * inv_n - m * m);
        const double a = double(g[x]) - m * c1, b = m * kr;
        o[x] = (a < 0.0) | (a * a < b * b * var) ? 255 : 0;
      }
    } else {
      for (int x = left_end; x < right_start; ++x) at(x, x - half, x + half + 1);
    }
    for (int x = right_start; x < w; ++x) at(x, std::max(0, x - half), std::min(w, x + half + 1));
  }
  return out;
}

namespace {
// Opening of each row of m (CV_8U, 0/255) by a 1×length line with OpenCV's conventions (anchor at
// length / 2; outside the image counts as set for the erosion and unset for the dilation), from runs.
void open_rows(const cv::Mat& m, cv::Mat& out, int length) {
  out.create(m.size(), CV_8U);
  const int w = m.cols, a = length / 2;
  for (int y = 0; y < m.rows; ++y) {
    const std::uint8_t* p = m.ptr<std::uint8_t>(y);
    std::uint8_t* o = out.ptr<std::uint8_t>(y);
    std::fill(o, o + w, std::uint8_t(0));
    for (int x = 0; x < w;) {
      if (!p[x]) {
        ++x;
        continue;
      }
      const int r0 = x;
      while (x < w && p[x]) ++x;
      const int r1 = x - 1;
      // Where the eroding window [j - a, j + length - 1 - a] stays inside the run (or past the border).
      const long e0 = r0 == 0 ? 0 : long(r0) + a;
      const long e1 = r1 == w - 1 ? w - 1 : long(r1) - length + 1 + a;
      if (e0 > e1) continue;
      // The dilation puts back [j - (length - 1 - a), j + a] for each such j.
      const long d0 = std::max(0L, e0 - (length - 1 - a)), d1 = std::min(long(w - 1), e1 + a);
      if (d0 <= d1) std::fill(o + d0, o + d1 + 1, std::uint8_t(255));
    }
  }
}
}  // namespace

cv::Mat open_line(const cv::Mat& mask, int length, bool horizontal) {
  CV_Assert(mask.type() == CV_8UC1 && length >= 1);
  cv::Mat out;
  if (horizontal) {
    open_rows(mask, out, length);
    return out;
  }
  cv::Mat t, ot;
  cv::transpose(mask, t);
  open_rows(t, ot, length);
  cv::transpose(ot, out);
  return out;
}

double stroke_width(const cv::Mat& ink) {
  const int area = cv::countNonZero(ink);
  if (area == 0) return 0;
  cv::Mat eroded;
  cv::erode(ink, eroded, cv::getStructuringElement(cv::MORPH_CROSS, cv::Size(3, 3)));
  const int edge = area - cv::countNonZero(eroded);
  if (edge == 0) return std::sqrt(double(area));
  // A stroke of width w and length L has area w·L and about 2·L boundary pixels.
  return std::max(1.0, 2.0 * area / edge);
}

Binarized binarize(const cv::Mat& img, const BinarizeParams& params) {
  Binarized out;
  // First pass, only to size the strokes: at the background estimate's working scale (≤ 640 px), on
  // the same shrunk copy the second pass's background estimate starts from.
  const double s = background_scale(img);
  const cv::Mat small = analysis::shrink(img, s);
  double sw = 0;
  cv::Mat c_small, c8_small;
  {
    c_small = ink_contrast(small, background_from(small, 1.0, small.size(), 0));
    c_small.convertTo(c8_small, CV_8U, 255.0);
    const double t_otsu = otsu_threshold(c8_small) / 255.0;
    sw = stroke_width(c_small > std::max(params.min_contrast, t_otsu)) / s;
  }
  // Second pass: background closing sized to the strokes found. When the first pass ran on the image
  // itself with the same closing, its contrast is this pass's.
  const int hint = sw > 0 ? int(std::lround(sw)) : 0;
  cv::Mat c, c8;
  if (s >= 1.0 && closing_size(hint, s) == closing_size(0, 1.0)) {
    c = c_small;
    c8 = c8_small;
  } else {
    c = ink_contrast(img, background_from(small, s, img.size(), hint));
    c.convertTo(c8, CV_8U, 255.0);
  }
  const double t_global = std::max(params.min_contrast, otsu_threshold(c8) / 255.0);
  const int window = params.window > 0 ? params.window
                                       : std::clamp(int(std::lround(sw * 4)) | 1, 15, 151);
  // Sauvola on the flattened grey (paper ≈ 255) with hysteresis: a candidate is ink where the local test
  // passes and the contrast clears half the global threshold, or where the contrast clears `strong` × it;
  // a connected candidate survives only when it holds a seed pixel above `seed` × the threshold — faint
  // parts of real strokes are kept with their stroke, faint stains and bleed-through on their own go.
  cv::Mat flat8 = 255 - c8;
  cv::Mat local = sauvola(flat8, window, params.k, 128.0);
  cv::Mat ink = local & (c > t_global * 0.5);
  ink |= (c > t_global * params.strong);
  const cv::Mat seed = c > t_global * params.seed;
  // Speckles smaller than the stroke scale, and candidates without a seed.
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(ink, labels, stats, centroids, 8, CV_32S);
  const double min_area = std::max(3.0, 0.25 * sw * sw);
  std::vector<std::uint8_t> keep(n, 1), seeded(n, 0);
  keep[0] = 0;
  for (int y = 0; y < ink.rows; ++y) {
    const int* l = labels.ptr<int>(y);
    const std::uint8_t* sd = seed.ptr<std::uint8_t>(y);
    for (int x = 0; x < ink.cols; ++x) if (sd[x]) seeded[l[x]] = 1;
  }
  for (int i = 1; i < n; ++i)
    if (stats.at<int>(i, cv::CC_STAT_AREA) < min_area || !seeded[i]) keep[i] = 0;
  for (int y = 0; y < ink.rows; ++y) {
    const int* l = labels.ptr<int>(y);
    std::uint8_t* o = ink.ptr<std::uint8_t>(y);
    for (int x = 0; x < ink.cols; ++x) o[x] = keep[l[x]] ? 255 : 0;
  }
  out.ink = ink;
  out.contrast = c;
  out.stroke_width = stroke_width(ink);
  out.threshold = t_global;
  return out;
}

}  // namespace idphoto::signature
