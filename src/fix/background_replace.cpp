#include "fix/background_replace.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include <opencv2/imgproc.hpp>

namespace idphoto::fix {

cv::Mat guided_filter(const cv::Mat& guide, const cv::Mat& src, int radius, double eps) {
  const cv::Size k(2 * radius + 1, 2 * radius + 1);
  cv::Mat mean_i, mean_p, corr_ii, corr_ip;
  cv::boxFilter(guide, mean_i, CV_32F, k);
  cv::boxFilter(src, mean_p, CV_32F, k);
  cv::boxFilter(guide.mul(guide), corr_ii, CV_32F, k);
  cv::boxFilter(guide.mul(src), corr_ip, CV_32F, k);
  const cv::Mat var_i = corr_ii - mean_i.mul(mean_i);
  const cv::Mat cov_ip = corr_ip - mean_i.mul(mean_p);
  cv::Mat a = cov_ip / (var_i + eps);
  cv::Mat b = mean_p - a.mul(mean_i);
  cv::Mat mean_a, mean_b;
  cv::boxFilter(a, mean_a, CV_32F, k);
  cv::boxFilter(b, mean_b, CV_32F, k);
  return mean_a.mul(guide) + mean_b;
}

namespace {

// 255 where the person is expected: head ellipse from crown to chin, neck and a widening torso below.
cv::Mat prior_region(cv::Size size, const PersonPrior& p, double grow) {
  cv::Mat m(size, CV_8U, cv::Scalar(0));
  const double fw = p.face_width * (1 + grow);
  const double head = p.chin_y - p.crown_y;
  const cv::Point centre(cvRound(p.eye_mid.x), cvRound((p.crown_y + p.chin_y) / 2));
  cv::ellipse(m, centre, cv::Size(cvRound(0.62 * fw), cvRound(0.5 * head * (1 + grow))), 0, 0, 360,
              cv::Scalar(255), cv::FILLED);
  const double top = p.chin_y - 0.15 * head;
  const double shoulders = p.chin_y + 0.35 * head;
  const double bottom = std::max<double>(size.height, shoulders + 1);
  const float cx = p.eye_mid.x;
  const std::vector<cv::Point> body = {
      cv::Point(cvRound(cx - 0.42 * fw), cvRound(top)), cv::Point(cvRound(cx + 0.42 * fw), cvRound(top)),
      cv::Point(cvRound(cx + 1.5 * fw), cvRound(shoulders)), cv::Point(cvRound(cx + 1.9 * fw), cvRound(bottom)),
      cv::Point(cvRound(cx - 1.9 * fw), cvRound(bottom)), cv::Point(cvRound(cx - 1.5 * fw), cvRound(shoulders))};
  cv::fillPoly(m, std::vector<std::vector<cv::Point>>{body}, cv::Scalar(255));
  return m;
}

}  // namespace

double plain_background_share(const cv::Mat& bg_hint, const PersonPrior& prior) {
  if (bg_hint.empty()) return 0.0;
  cv::Mat expected;
  cv::bitwise_not(prior_region(bg_hint.size(), prior, 0.25), expected);
  const double n = cv::countNonZero(expected);
  if (n < 1) return 1.0;
  cv::Mat both;
  cv::bitwise_and(expected, bg_hint, both);
  return cv::countNonZero(both) / n;
}

cv::Mat person_alpha(const cv::Mat& bgr, const cv::Mat& bg_hint, const PersonPrior& prior) {
  const cv::Size size = bgr.size();
  cv::Mat gc(size, CV_8U, cv::Scalar(cv::GC_PR_BGD));
  gc.setTo(cv::GC_PR_FGD, prior_region(size, prior, 0.1));
  if (!bg_hint.empty()) {
    cv::Mat sure;
    cv::erode(bg_hint, sure, cv::Mat(), cv::Point(-1, -1), 2);
    gc.setTo(cv::GC_BGD, sure);
  }
  // The image's top corners are background in any ID-photo framing.
  const int cw = std::max(2, size.width / 10), ch = std::max(2, size.height / 20);
  gc(cv::Rect(0, 0, cw, ch)).setTo(cv::GC_BGD);
  gc(cv::Rect(size.width - cw, 0, cw, ch)).setTo(cv::GC_BGD);
  // Sure person: the face inside its landmark hull, and the neck/chest column under the chin.
  std::vector<cv::Point> pts;
  for (const auto& q : prior.face) pts.emplace_back(cvRound(q.x), cvRound(q.y));
  cv::Mat sure_fg(size, CV_8U, cv::Scalar(0));
  if (pts.size() >= 3) {
    std::vector<cv::Point> hull;
    cv::convexHull(pts, hull);
    cv::fillConvexPoly(sure_fg, hull, cv::Scalar(255));
    cv::erode(sure_fg, sure_fg, cv::Mat(), cv::Point(-1, -1), 2);
  }
  const double fw = prior.face_width;
  const int x0 = std::clamp(cvRound(prior.eye_mid.x - 0.3 * fw), 0, size.width - 1);
  const int x1 = std::clamp(cvRound(prior.eye_mid.x + 0.3 * fw), x0 + 1, size.width);
  const int y0 = std::clamp(cvRound(prior.chin_y + 0.1 * fw), 0, size.height);
  if (y0 < size.height) sure_fg(cv::Rect(x0, y0, x1 - x0, size.height - y0)).setTo(255);
  gc.setTo(cv::GC_FGD, sure_fg);

  cv::Mat bgd, fgd;
  {
    // GrabCut seeds its colour models' k-means from cv::theRNG(), the calling thread's generator, whose
    // state carries over from whatever ran before on that thread: the second fix of one photo in a
    // process wrote a different file. Seeded with OpenCV's initial state (what a fresh process has), and
    // the caller's state given back.
    cv::RNG& rng = cv::theRNG();
    const std::uint64_t saved = rng.state;
    rng.state = 0xffffffffu;
    try {
      cv::grabCut(bgr, gc, cv::Rect(), bgd, fgd, 4, cv::GC_INIT_WITH_MASK);
    } catch (...) {
      rng.state = saved;
      throw;
    }
    rng.state = saved;
  }
  cv::Mat fg = (gc == cv::GC_FGD) | (gc == cv::GC_PR_FGD);
  // Keep the component(s) touching the sure person region; islands in the background are dropped.
  cv::Mat labels;
  const int n = cv::connectedComponents(fg, labels, 8, CV_32S);
  std::vector<unsigned char> keep(static_cast<size_t>(n), 0);
  for (int y = 0; y < size.height; ++y) {
    const auto* s = sure_fg.ptr<unsigned char>(y);
    const int* l = labels.ptr<int>(y);
    for (int x = 0; x < size.width; ++x)
      if (s[x] && l[x] > 0) keep[static_cast<size_t>(l[x])] = 1;
  }
  for (int y = 0; y < size.height; ++y) {
    auto* f = fg.ptr<unsigned char>(y);
    const int* l = labels.ptr<int>(y);
    for (int x = 0; x < size.width; ++x) f[x] = keep[static_cast<size_t>(l[x])] ? 255 : 0;
  }

  cv::Mat grey, guide, p;
  cv::cvtColor(bgr, grey, cv::COLOR_BGR2GRAY);
  grey.convertTo(guide, CV_32F, 1.0 / 255);
  fg.convertTo(p, CV_32F, 1.0 / 255);
  const int r = std::max(2, size.height / 110);
  cv::Mat alpha = guided_filter(guide, p, r, 1e-3);
  // Sharpen the ramp slightly and pin the sure regions.
  alpha = (alpha - 0.05) * (1.0 / 0.9);
  cv::min(cv::max(alpha, 0.0), 1.0, alpha);
  alpha.setTo(1.0, sure_fg);
  if (!bg_hint.empty()) {
    cv::Mat far;
    cv::erode(bg_hint, far, cv::Mat(), cv::Point(-1, -1), r + 2);
    alpha.setTo(0.0, far);
  }
  return alpha;
}

cv::Mat composite_on_colour(const cv::Mat& bgr, const cv::Mat& alpha, const cv::Scalar& colour_bgr) {
  cv::Mat img;
  bgr.convertTo(img, CV_32FC3);
  // Local old-background colour: mean over nearby pixels that are clearly background.
  cv::Mat w = alpha < 0.05;
  cv::Mat wf;
  w.convertTo(wf, CV_32F, 1.0 / 255);
  const int R = std::max(6, bgr.rows / 25);
  const cv::Size k(2 * R + 1, 2 * R + 1);
  cv::Mat wsum, csum;
  cv::boxFilter(wf, wsum, CV_32F, k, cv::Point(-1, -1), false);
  cv::Mat wf3;
  cv::merge(std::vector<cv::Mat>{wf, wf, wf}, wf3);
  cv::boxFilter(img.mul(wf3), csum, CV_32F, k, cv::Point(-1, -1), false);
  const cv::Scalar global = cv::countNonZero(w) > 0 ? cv::mean(bgr, w) : cv::Scalar(255, 255, 255);
  cv::Mat out(bgr.size(), CV_8UC3);
  for (int y = 0; y < bgr.rows; ++y) {
    const auto* I = img.ptr<cv::Vec3f>(y);
    const auto* A = alpha.ptr<float>(y);
    const auto* S = csum.ptr<cv::Vec3f>(y);
    const auto* N = wsum.ptr<float>(y);
    auto* o = out.ptr<cv::Vec3b>(y);
    for (int x = 0; x < bgr.cols; ++x) {
      const float a = A[x];
      cv::Vec3f b_old;
      if (N[x] > 3.0f) {
        b_old = S[x] / N[x];
      } else {
        b_old = cv::Vec3f(static_cast<float>(global[0]), static_cast<float>(global[1]), static_cast<float>(global[2]));
      }
      for (int c = 0; c < 3; ++c) {
        const auto col = static_cast<float>(colour_bgr[c]);
        const float v = a >= 0.999f ? I[x][c] : a <= 0.001f ? col : I[x][c] + (1.0f - a) * (col - b_old[c]);
        o[x][c] = cv::saturate_cast<unsigned char>(v);
      }
    }
  }
  return out;
}

}  // namespace idphoto::fix
