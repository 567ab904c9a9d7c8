#include <algorithm>
#include <cmath>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "analysis/crown_estimate.hpp"
#include "analysis/lab.hpp"

namespace idphoto::analysis {

void near_border_rows(const cv::Mat& lab, const BorderColour& border, cv::Mat& near, int y0, int y1) {
  const double threshold = std::max(14.0, 3.0 * border.noise);  // ΔE from the border colour
  const float t2 = static_cast<float>(threshold * threshold);
  const float L = border.lab[0], A = border.lab[1], B = border.lab[2];
  for (int y = y0; y < y1; ++y) {
    // cv::Vec3f's difference and dot product (0 + dL² + da² + db², in float) over plain floats: 2.3 →
    // 1.4 ms over a 1126 × 778 photo, where reading the 10 MB of Lab sets the pace.
    const float* p = lab.ptr<float>(y);
    auto* m = near.ptr<unsigned char>(y);
    for (int x = 0; x < lab.cols; ++x) {
      const float dl = p[3 * x] - L, da = p[3 * x + 1] - A, db = p[3 * x + 2] - B;
      float d2 = 0;
      d2 += dl * dl;
      d2 += da * da;
      d2 += db * db;
      m[x] = d2 <= t2 ? 255 : 0;
    }
  }
}

cv::Mat estimate_background_mask(const cv::Mat& bgr, const face::Landmarks68* lm, std::optional<double> crown_y,
                                 const cv::Mat* bgr_lab, const std::optional<BorderColour>* bgr_border,
                                 cv::Mat* near_border) {
  if (bgr.empty() || bgr.type() != CV_8UC3) return {};
  // Work at ≤ 1000 px on the longest side (≤ 1600 px when the caller has bgr's Lab already: shrinking
  // and converting again would cost more than the finer mask); the mask is scaled back (nearest) to bgr's size.
  const bool have_lab = bgr_lab && bgr_lab->size() == bgr.size();
  const double s = std::min(1.0, (have_lab ? 1600.0 : 1000.0) / std::max(bgr.cols, bgr.rows));
  cv::Mat small = bgr;
  if (s < 1.0) cv::resize(bgr, small, cv::Size(), s, s, cv::INTER_AREA);
  const auto border = s == 1.0 && bgr_border ? *bgr_border : estimate_border_colour(small);
  if (!border) return {};
  cv::Mat close;
  if (s == 1.0 && have_lab && bgr_border && near_border && near_border->size() == bgr.size() &&
      near_border->type() == CV_8U) {
    close = *near_border;  // computed beside the decoding (decode_for_analysis)
  } else {
    const cv::Mat lab = s == 1.0 && have_lab ? *bgr_lab : bgr_to_lab(small);
    close.create(small.size(), CV_8U);
    near_border_rows(lab, *border, close, 0, lab.rows);
  }
  // The person: head ellipse from crown to chin, and a widening band from the chin down.
  if (lm) {
    const auto& l = *lm;
    const float fw = static_cast<float>(s) * std::abs(l[15].x - l[1].x);
    const float cx = static_cast<float>(s) * (l[27].x + (l[36].x + l[45].x) / 2) / 2;
    const float chin = static_cast<float>(s) * l[8].y;
    float brow = l[19].y;
    for (int i = 17; i <= 26; ++i) brow = std::min(brow, l[i].y);
    const float crown = crown_y ? static_cast<float>(s * *crown_y) : static_cast<float>(s) * brow - 0.6f * fw;
    cv::ellipse(close, cv::Point(cvRound(cx), cvRound((crown + chin) / 2)),
                cv::Size(cvRound(0.55f * fw), cvRound(0.5f * (chin - crown))), 0, 0, 360, cv::Scalar(0), cv::FILLED);
    const float bottom = static_cast<float>(close.rows);
    if (bottom > chin) {
      const std::vector<cv::Point> body = {
          cv::Point(cvRound(cx - 0.6f * fw), cvRound(chin)), cv::Point(cvRound(cx + 0.6f * fw), cvRound(chin)),
          cv::Point(cvRound(cx + 1.6f * fw), cvRound(bottom)), cv::Point(cvRound(cx - 1.6f * fw), cvRound(bottom))};
      cv::fillConvexPoly(close, body, cv::Scalar(0));
    }
  }
  // Keep the plain areas connected to the top, left or right border.
  cv::Mat labels;
  const int n = cv::connectedComponents(close, labels, 8, CV_32S);
  std::vector<unsigned char> keep(static_cast<size_t>(n), 0);
  auto mark = [&](int y, int x) {
    const int v = labels.at<int>(y, x);
    if (v > 0) keep[static_cast<size_t>(v)] = 1;
  };
  for (int x = 0; x < labels.cols; ++x) mark(0, x);
  for (int y = 0; y < labels.rows; ++y) {
    mark(y, 0);
    mark(y, labels.cols - 1);
  }
  cv::Mat mask(small.size(), CV_8U);
  for (int y = 0; y < labels.rows; ++y) {
    const int* lp = labels.ptr<int>(y);
    auto* m = mask.ptr<unsigned char>(y);
    for (int x = 0; x < labels.cols; ++x) m[x] = keep[static_cast<size_t>(lp[x])] ? 255 : 0;
  }
  if (s < 1.0) {
    cv::Mat full;
    cv::resize(mask, full, bgr.size(), 0, 0, cv::INTER_NEAREST);
    return full;
  }
  return mask;
}

}  // namespace idphoto::analysis
