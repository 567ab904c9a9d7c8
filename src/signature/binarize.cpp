#include "signature/binarize.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <opencv2/imgproc.hpp>

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

cv::Mat estimate_background(const cv::Mat& img, int stroke_hint_px) {
  const int longest = std::max(img.cols, img.rows);
  const double s = std::min(1.0, 640.0 / std::max(1, longest));
  cv::Mat small;
  if (s < 1.0)
    cv::resize(img, small, cv::Size(), s, s, cv::INTER_AREA);
  else
    small = img.clone();
  // Closing larger than a stroke: dark ink disappears, paper, shadows and vignettes stay.
  int k = stroke_hint_px > 0 ? int(std::lround(3.0 * stroke_hint_px * s)) | 1 : 9;
  k = std::clamp(k, 5, 31) | 1;
  const cv::Mat se = cv::getStructuringElement(cv::MORPH_RECT, cv::Size(k, k));
  cv::Mat closed;
  cv::dilate(small, closed, se);
  cv::erode(closed, closed, se);
  cv::blur(closed, closed, cv::Size(k, k));
  cv::Mat bg;
  if (s < 1.0)
    cv::resize(closed, bg, img.size(), 0, 0, cv::INTER_LINEAR);
  else
    bg = closed;
  cv::Mat out;
  bg.convertTo(out, CV_32F);
  cv::max(out, 1.0, out);
  return out;
}

cv::Mat ink_contrast(const cv::Mat& img, const cv::Mat& background) {
  // 1 − (darkest channel ÷ its background), clamped to [0, 1], in one pass (the image is 8-bit, the
  // background float with the same channels).
  CV_Assert(img.depth() == CV_8U && background.type() == CV_MAKETYPE(CV_32F, img.channels()) &&
            background.size() == img.size());
  const int ch = img.channels();
  cv::Mat c(img.size(), CV_32F);
  for (int y = 0; y < img.rows; ++y) {
    const std::uint8_t* p = img.ptr<std::uint8_t>(y);
    const float* b = background.ptr<float>(y);
    float* o = c.ptr<float>(y);
    for (int x = 0; x < img.cols; ++x) {
      float m = float(p[0]) / b[0];
      for (int k = 1; k < ch; ++k) m = std::min(m, float(p[k]) / b[k]);
      o[x] = std::clamp(1.0f - m, 0.0f, 1.0f);
      p += ch;
      b += ch;
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
    for (int x = 0; x < w; ++x) {
      // The window clipped to the image; its sums from the four integral corners.
      const int x0 = std::max(0, x - half), x1 = std::min(w, x + half + 1);
      const double n = double(x1 - x0) * double(y1 - y0);
      const double m = (s1[x1] - s0[x1] - s1[x0] + s0[x0]) / n;
      const double q = q1[x1] - q0[x1] - q1[x0] + q0[x0];
      const double sd = std::sqrt(std::max(0.0, q / n - m * m));
      o[x] = g[x] < m * (1.0 + k * (sd / r - 1.0)) ? 255 : 0;
    }
  }
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
  // First pass, only to size the strokes: at the background estimate's working scale (≤ 640 px).
  double sw = 0;
  {
    const double s = std::min(1.0, 640.0 / std::max(1, std::max(img.cols, img.rows)));
    cv::Mat small;
    if (s < 1.0)
      cv::resize(img, small, cv::Size(), s, s, cv::INTER_AREA);
    else
      small = img;
    const cv::Mat c_small = ink_contrast(small, estimate_background(small));
    cv::Mat c8_small;
    c_small.convertTo(c8_small, CV_8U, 255.0);
    const double t_otsu = otsu_threshold(c8_small) / 255.0;
    sw = stroke_width(c_small > std::max(params.min_contrast, t_otsu)) / s;
  }
  // Second pass: background closing sized to the strokes found.
  cv::Mat bg = estimate_background(img, sw > 0 ? int(std::lround(sw)) : 0);
  cv::Mat c = ink_contrast(img, bg);
  cv::Mat c8;
  c.convertTo(c8, CV_8U, 255.0);
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
