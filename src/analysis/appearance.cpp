#include "analysis/appearance.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "analysis/analysis.hpp"
#include "analysis/lab.hpp"
#include "face/eye_closure.hpp"

namespace idphoto::analysis {
namespace {

const std::array<float, 256>& srgb_to_linear() {
  static const std::array<float, 256> t = [] {
    std::array<float, 256> r{};
    for (int i = 0; i < 256; ++i) {
      const double c = i / 255.0;
      r[static_cast<size_t>(i)] =
          static_cast<float>(c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4));
    }
    return r;
  }();
  return t;
}

// Linear Y at which the sRGB-encoded Y, rounded to 0..255, steps from k − 1 to k (k = 1..255): the
// encoding is monotonic, so a binary search over these replaces a pow() per pixel.
const std::array<double, 255>& luminance_steps() {
  static const std::array<double, 255> t = [] {
    std::array<double, 255> r{};
    for (int k = 1; k <= 255; ++k) {
      const double e = (k - 0.5) / 255.0;
      r[static_cast<size_t>(k - 1)] = e <= 0.04045 ? e / 12.92 : std::pow((e + 0.055) / 1.055, 2.4);
    }
    return r;
  }();
  return t;
}

// Where to start looking in luminance_steps() for a linear Y in bucket b = ⌊Y·4096⌋: the number of steps
// at or below (b − 1) / 4096, which every Y of the bucket is above whatever the rounding of Y·4096.
constexpr int kLumBuckets = 4096;
const std::array<unsigned char, kLumBuckets + 2>& luminance_start() {
  static const std::array<unsigned char, kLumBuckets + 2> t = [] {
    std::array<unsigned char, kLumBuckets + 2> r{};
    const auto& steps = luminance_steps();
    for (int b = 1; b < kLumBuckets + 2; ++b) {
      const double lo = (b - 1) / static_cast<double>(kLumBuckets);
      r[static_cast<size_t>(b)] =
          static_cast<unsigned char>(std::upper_bound(steps.begin(), steps.end(), lo) - steps.begin());
    }
    return r;
  }();
  return t;
}

// Y (0..255, sRGB-encoded) of one BGR pixel: the number of steps at or below the linear Y (what
// std::upper_bound over all 255 steps gives), counted on from the bucket's start (one or two steps).
int luminance(const cv::Vec3b& p) {
  const auto& lin = srgb_to_linear();
  const double y = 0.2126 * lin[p[2]] + 0.7152 * lin[p[1]] + 0.0722 * lin[p[0]];
  const auto& steps = luminance_steps();
  const int b = std::clamp(static_cast<int>(y * kLumBuckets), 0, kLumBuckets + 1);
  int i = luminance_start()[static_cast<size_t>(b)];
  while (i < 255 && steps[static_cast<size_t>(i)] <= y) ++i;
  return i;
}

cv::Rect clip(const cv::Rect& r, const cv::Size& s) { return r & cv::Rect(0, 0, s.width, s.height); }

cv::Rect rect_around(cv::Point2f c, double half_w, double half_h, const cv::Size& s) {
  return clip(cv::Rect(cvRound(c.x - half_w), cvRound(c.y - half_h), std::max(1, cvRound(2 * half_w)),
                       std::max(1, cvRound(2 * half_h))),
              s);
}

cv::Mat polygon_mask(const cv::Size& s, const std::vector<cv::Point>& poly) {
  cv::Mat m = cv::Mat::zeros(s, CV_8U);
  if (poly.size() >= 3) cv::fillPoly(m, std::vector<std::vector<cv::Point>>{poly}, cv::Scalar(255));
  return m;
}

std::optional<cv::Vec3f> mean_lab(const cv::Mat& lab, const cv::Rect& r) {
  if (r.area() <= 0) return std::nullopt;
  const cv::Scalar m = cv::mean(lab(r));
  return cv::Vec3f(static_cast<float>(m[0]), static_cast<float>(m[1]), static_cast<float>(m[2]));
}

float delta_e(const cv::Vec3f& a, const cv::Vec3f& b) { return static_cast<float>(cv::norm(a - b)); }

LuminanceStats luminance_stats(const std::array<long, 256>& hist) {
  LuminanceStats s;
  long n = 0;
  double sum = 0;
  for (int i = 0; i < 256; ++i) {
    n += hist[static_cast<size_t>(i)];
    sum += static_cast<double>(i) * static_cast<double>(hist[static_cast<size_t>(i)]);
  }
  s.pixels = static_cast<int>(n);
  if (n == 0) return s;
  s.mean = sum / static_cast<double>(n);
  long dark = 0, bright = 0;
  for (int i = 0; i <= 25; ++i) dark += hist[static_cast<size_t>(i)];
  for (int i = 247; i < 256; ++i) bright += hist[static_cast<size_t>(i)];
  s.frac_dark = static_cast<double>(dark) / static_cast<double>(n);
  s.frac_bright = static_cast<double>(bright) / static_cast<double>(n);
  for (long c : hist)
    if (c > 0) {
      const double p = static_cast<double>(c) / static_cast<double>(n);
      s.entropy -= p * std::log2(p);
    }
  return s;
}

}  // namespace

std::optional<cv::Vec3f> hex_to_lab(const std::string& hex) {
  if (hex.size() != 7 || hex[0] != '#') return std::nullopt;
  unsigned v = 0;
  for (size_t i = 1; i < 7; ++i) {
    const char c = hex[i];
    unsigned d = 0;
    if (c >= '0' && c <= '9') d = static_cast<unsigned>(c - '0');
    else if (c >= 'a' && c <= 'f') d = static_cast<unsigned>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') d = static_cast<unsigned>(c - 'A' + 10);
    else return std::nullopt;
    v = v * 16 + d;
  }
  return bgr_to_lab(v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff);
}

namespace {

// What the background checks need from the mask, in one pass over it instead of seven whole-image
// passes (two mask counts, a masked mean of the Lab image, two Sobel images, their magnitude image and
// its masked mean, the L* histogram): the same figures, summed in the order cv::mean sums them.
struct BackgroundPass {
  long pixels = 0;                 // mask pixels
  cv::Vec3f mean_lab{0, 0, 0};     // mean CIELAB over the mask
  double gradient = 0;             // mean 3×3 Sobel magnitude of grey over the mask eroded by 5×5
  std::array<long, 101> l_hist{};  // L* rounded to 0..100, over the mask
};

BackgroundPass background_pass(const cv::Mat& lab, const cv::Mat& grey, const cv::Mat& mask) {
  BackgroundPass r;
  if (mask.empty() || lab.size() != mask.size() || grey.size() != mask.size()) return r;
  double s0 = 0, s1 = 0, s2 = 0;
  for (int y = 0; y < mask.rows; ++y) {
    const auto* p = lab.ptr<cv::Vec3f>(y);
    const auto* m = mask.ptr<unsigned char>(y);
    for (int x = 0; x < mask.cols; ++x) {
      if (!m[x]) continue;
      ++r.pixels;
      s0 += p[x][0];
      s1 += p[x][1];
      s2 += p[x][2];
      ++r.l_hist[static_cast<size_t>(std::clamp(cvRound(p[x][0]), 0, 100))];
    }
  }
  if (r.pixels == 0) return r;
  const double k = 1.0 / static_cast<double>(r.pixels);  // cv::mean scales by the reciprocal
  r.mean_lab = cv::Vec3f(static_cast<float>(s0 * k), static_cast<float>(s1 * k), static_cast<float>(s2 * k));
  // Gradient: cv::Sobel (ksize 3, BORDER_REFLECT_101) of the grey image, evaluated only where the eroded
  // mask is set. The derivatives are exact integers and x² + y² stays below 2^24, so the float magnitude
  // is cv::magnitude's.
  cv::Mat inner;
  cv::erode(mask, inner, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(5, 5)));
  const int w = grey.cols, h = grey.rows;
  auto reflect = [](int i, int n) { return n == 1 ? 0 : i < 0 ? -i : i >= n ? 2 * n - 2 - i : i; };
  double g = 0;
  long n = 0;
  for (int y = 0; y < h; ++y) {
    const auto* m = inner.ptr<unsigned char>(y);
    const unsigned char* up = grey.ptr<unsigned char>(reflect(y - 1, h));
    const unsigned char* mid = grey.ptr<unsigned char>(y);
    const unsigned char* dn = grey.ptr<unsigned char>(reflect(y + 1, h));
    for (int x = 0; x < w; ++x) {
      if (!m[x]) continue;
      const int xl = reflect(x - 1, w), xr = reflect(x + 1, w);
      const int gx = (up[xr] - up[xl]) + 2 * (mid[xr] - mid[xl]) + (dn[xr] - dn[xl]);
      const int gy = (dn[xl] + 2 * dn[x] + dn[xr]) - (up[xl] + 2 * up[x] + up[xr]);
      g += std::sqrt(static_cast<float>(gx * gx + gy * gy));
      ++n;
    }
  }
  if (n > 0) r.gradient = g * (1.0 / static_cast<double>(n));
  return r;
}

}  // namespace

Appearance compute_appearance(const Analysis& a) {
  Appearance ap;
  const cv::Mat& bgr = a.image().bgr;
  if (bgr.empty() || bgr.type() != CV_8UC3) return ap;
  const cv::Size size = bgr.size();
  ap.colour = !a.is_greyscale();
  const cv::Mat& lab = a.lab();
  const cv::Mat& grey = a.grey();

  // Background colour, flatness and shadow.
  const cv::Mat& mask = a.background_mask();
  const BackgroundPass bp = background_pass(lab, grey, mask);
  if (bp.pixels > 0) {
    ap.background_ok = true;
    ap.background_share = static_cast<double>(bp.pixels) / static_cast<double>(mask.total());
    ap.background_lab = bp.mean_lab;
    ap.background_gradient = bp.gradient;
  }

  const Head* h = a.head();
  if (!h) return ap;
  const auto sc = static_cast<float>(a.image().scale);
  face::Landmarks68 lm;
  for (size_t i = 0; i < 68; ++i) lm[i] = h->landmarks[i] * sc;
  const double ied = std::max(1.0, h->ied_px * sc);
  const cv::Point2f eye_mid = h->eye_mid * sc;
  const cv::Point2f chin = lm[8];
  const double t = std::max(1.0, static_cast<double>(cv::norm(chin - eye_mid)));
  float brow_y = lm[17].y;
  for (int i = 17; i <= 26; ++i) brow_y = std::min(brow_y, lm[static_cast<size_t>(i)].y);
  const double face_h = std::max(1.0, static_cast<double>(chin.y - brow_y));
  const double fw = std::max(1.0, static_cast<double>(lm[15].x - lm[1].x));
  const double cx = h->centre_x * sc;

  // A busy background still shows its colour in the top corners. Each corner strip (the strips the plain
  // background is taken from) counts when at least half of it lies outside a generous head ellipse: from
  // 0.6 face heights above the brows down to the chin, one face width either side of the face centre.
  const int strip_w = std::max(2, size.width / 8), strip_h = std::max(2, size.height / 10);
  if (!ap.background_ok && !lab.empty() && strip_w < size.width && strip_h < size.height) {
    const double top = brow_y - 0.6 * face_h;
    const double ecy = (top + chin.y) / 2, eb = (chin.y - top) / 2;
    std::vector<cv::Vec3f> kept;
    for (const int x0 : {0, size.width - strip_w}) {
      kept.clear();
      for (int y = 0; y < strip_h; ++y) {
        const auto* p = lab.ptr<cv::Vec3f>(y);
        for (int x = x0; x < x0 + strip_w; ++x) {
          const double u = (x - cx) / fw, v = (y - ecy) / eb;
          if (u * u + v * v > 1) kept.push_back(p[x]);
        }
      }
      if (kept.size() * 2 >= static_cast<size_t>(strip_w * strip_h)) ap.corner_lab.push_back(median_lab(cv::Mat(kept)));
    }
  }

  // Expression (SPECS.md §3): eyelid gaps 37–41, 38–40 / 43–47, 44–46; inner lips 61–67, 62–66, 63–65.
  auto gap = [&](int i, int j) {
    return static_cast<double>(cv::norm(lm[static_cast<size_t>(i)] - lm[static_cast<size_t>(j)])) / t;
  };
  ap.left_eye_open = std::max(gap(37, 41), gap(38, 40));
  ap.right_eye_open = std::max(gap(43, 47), gap(44, 46));
  ap.eye_openness = std::min(ap.left_eye_open, ap.right_eye_open);
  ap.mouth_openness = std::max({gap(61, 67), gap(62, 66), gap(63, 65)});
  const auto closure = face::eye_closure_scores(grey, lm);
  ap.left_eye_closure = closure[0];
  ap.right_eye_closure = closure[1];

  // Face luminance over the jaw + brow polygon; left/right halves split at the face centre line.
  for (int i = 0; i <= 16; ++i) ap.face_polygon.emplace_back(cvRound(lm[static_cast<size_t>(i)].x), cvRound(lm[static_cast<size_t>(i)].y));
  for (int i = 26; i >= 17; --i) ap.face_polygon.emplace_back(cvRound(lm[static_cast<size_t>(i)].x), cvRound(lm[static_cast<size_t>(i)].y));
  const cv::Rect face_rect = clip(cv::boundingRect(ap.face_polygon), size);
  std::array<long, 256> all{}, upper{}, left{}, right{};
  // Under- and over-exposure are counted above the nose base (landmark 33): below it a beard or
  // moustache is dark hair, not dark skin.
  const int nose_base_y = cvRound(lm[33].y);
  if (face_rect.area() > 0) {
    const cv::Mat pm = polygon_mask(size, ap.face_polygon);
    for (int y = face_rect.y; y < face_rect.br().y; ++y) {
      const auto* p = bgr.ptr<cv::Vec3b>(y);
      const auto* m = pm.ptr<unsigned char>(y);
      auto& up = y < nose_base_y ? upper : all;  // rows below the nose base only count in all
      for (int x = face_rect.x; x < face_rect.br().x; ++x) {
        if (!m[x]) continue;
        const int v = luminance(p[x]);
        ++up[static_cast<size_t>(v)];
        ++(x < cx ? left : right)[static_cast<size_t>(v)];
      }
    }
    for (size_t i = 0; i < 256; ++i) all[i] += upper[i];
  }
  ap.face = luminance_stats(all);
  if (const LuminanceStats u = luminance_stats(upper); u.pixels > 0) {
    ap.face.frac_dark = u.frac_dark;
    ap.face.frac_bright = u.frac_bright;
  }
  {
    const LuminanceStats l = luminance_stats(left), r = luminance_stats(right);
    ap.lr_mean_left = l.mean;
    ap.lr_mean_right = r.mean;
    if (l.pixels > 0 && r.pixels > 0) {
      double inter = 0;
      for (size_t i = 0; i < 256; ++i) {
        // 32 bins: a small exposure shift is not unevenness.
        if (i % 8) continue;
        long lc = 0, rc = 0;
        for (size_t k = i; k < i + 8; ++k) lc += left[k], rc += right[k];
        inter += std::min(static_cast<double>(lc) / l.pixels, static_cast<double>(rc) / r.pixels);
      }
      ap.lr_intersection = inter;
    }
  }

  // Cheeks: between the jaw (2 / 14) and the nose wing (31 / 35), at the nose-wing level.
  const double cr = 0.12 * ied;
  ap.cheek_left = rect_around((lm[2] + lm[31]) * 0.5f, cr, cr, size);
  ap.cheek_right = rect_around((lm[14] + lm[35]) * 0.5f, cr, cr, size);
  const auto cl = mean_lab(lab, ap.cheek_left), crt = mean_lab(lab, ap.cheek_right);
  if (cl && crt) {
    ap.cheek_lab = (*cl + *crt) * 0.5f;
    ap.skin_model_ok = delta_e(*cl, *crt) < 20.0f;
    // The upper nose (landmark 28, between the eyes) is skin that a mask, a hand or an object over the lower
    // face leaves bare: a cheek whose colour (a*, b*) is far from it is covered. Colour photos only. The
    // median, so that the thin bridge of a pair of glasses across the patch does not move it.
    ap.nose_bridge = rect_around(lm[28], 0.08 * ied, 0.08 * ied, size);
    if (ap.nose_bridge.area() > 0 && ap.colour) {
      const cv::Vec3f nb = median_lab(lab(ap.nose_bridge));
      const auto chroma_gap = [&](const cv::Vec3f& c) {
        return static_cast<double>(std::hypot(c[1] - nb[1], c[2] - nb[2]));
      };
      ap.cheek_nose_chroma = std::max(chroma_gap(*cl), chroma_gap(*crt));
    }
  }
  const cv::Vec3f skin = ap.cheek_lab.value_or(cv::Vec3f(0, 0, 0));
  auto is_skin = [&](const cv::Vec3f& p) {
    if (std::abs(p[0] - skin[0]) > 25.0f) return false;
    if (!ap.colour) return true;
    return std::abs(p[1] - skin[1]) < 9.0f && std::abs(p[2] - skin[2]) < 12.0f;
  };

  // Specular highlights in widened eye regions (spectacle lenses included). Two things look like glare
  // and are not: the white of the eye (inside the eye opening, landmarks 36–41 / 42–47: excluded, with a
  // margin for landmark error) and bright skin in an over-lit photo (a highlight must be clearly brighter
  // than the cheeks: at least 20 levels above their brightest channel, and never below 240).
  ap.eye_left_region = rect_around(h->left_eye * sc, 0.42 * ied, 0.28 * ied, size);
  ap.eye_right_region = rect_around(h->right_eye * sc, 0.42 * ied, 0.28 * ied, size);
  {
    int floor = 240;
    for (const cv::Rect& c : {ap.cheek_left, ap.cheek_right}) {
      if (c.area() <= 0) continue;
      const cv::Scalar m = cv::mean(bgr(c));
      floor = std::max(floor, static_cast<int>(std::lround(std::max({m[0], m[1], m[2]}))) + 20);
    }
    floor = std::min(floor, 255);
    const int margin = std::max(1, static_cast<int>(std::lround(0.05 * ied)));
    long spec = 0, n = 0;
    int blob = 0;
    for (const auto& [r, first] : {std::pair{ap.eye_left_region, 36}, std::pair{ap.eye_right_region, 42}}) {
      if (r.area() <= 0) continue;
      cv::Mat opening(r.size(), CV_8U, cv::Scalar(0));
      std::vector<cv::Point> eye;
      for (int i = first; i < first + 6; ++i) {
        const cv::Point2f q = lm[static_cast<size_t>(i)];
        eye.emplace_back(cvRound(q.x) - r.x, cvRound(q.y) - r.y);
      }
      cv::fillConvexPoly(opening, eye, cv::Scalar(255));
      cv::dilate(opening, opening, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(2 * margin + 1, 2 * margin + 1)));
      cv::Mat s(r.size(), CV_8U, cv::Scalar(0));
      for (int y = 0; y < r.height; ++y) {
        const auto* p = bgr.ptr<cv::Vec3b>(r.y + y);
        const auto* o = opening.ptr<unsigned char>(y);
        for (int x = 0; x < r.width; ++x) {
          if (o[x]) continue;
          const cv::Vec3b c = p[r.x + x];
          const int hi = std::max({c[0], c[1], c[2]}), lo = std::min({c[0], c[1], c[2]});
          if (hi >= floor && hi - lo <= 40) s.at<unsigned char>(y, x) = 255;
        }
      }
      n += r.area();
      spec += cv::countNonZero(s);
      cv::Mat labels, stats, cents;
      const int k = cv::connectedComponentsWithStats(s, labels, stats, cents, 8, CV_32S);
      for (int i = 1; i < k; ++i) {
        // A lens reflection lies on the lens, inside the widened eye region; bright skin that runs out of
        // the region (cheekbone, temple, brow) is lighting, not glare.
        const cv::Rect b(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
                         stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT));
        if (b.x == 0 || b.y == 0 || b.br().x == r.width || b.br().y == r.height) continue;
        blob = std::max(blob, stats.at<int>(i, cv::CC_STAT_AREA));
      }
    }
    ap.glare_fraction = n > 0 ? static_cast<double>(spec) / static_cast<double>(n) : 0;
    ap.glare_blob_px = static_cast<int>(std::lround(blob * (64.0 / ied) * (64.0 / ied)));
  }

  // Sharpness: inner face (jaw 1–15, brows to chin) resized to an IED of 64 px.
  {
    const cv::Rect r = clip(cv::Rect(cvRound(lm[1].x), cvRound(brow_y), cvRound(fw), cvRound(face_h)), size);
    if (r.width > 4 && r.height > 4) {
      const double k = 64.0 / ied;
      cv::Mat crop;
      cv::resize(grey(r), crop, cv::Size(), k, k, k < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
      cv::Mat lap;
      cv::Laplacian(crop, lap, CV_32F, 3);
      cv::Scalar mu, sd;
      cv::meanStdDev(lap, mu, sd);
      ap.sharpness = sd[0] * sd[0];
    }
  }

  ap.mouth_region = clip(cv::boundingRect(std::vector<cv::Point2f>(lm.begin() + 48, lm.begin() + 68)), size);

  // Clothing: the band from 0.35 to 1.0 face heights below the chin, ±1.3 face widths, minus the neck.
  {
    const int y0 = cvRound(chin.y + 0.35 * face_h);
    const int y1 = std::min(size.height, cvRound(chin.y + 1.0 * face_h));
    if (y1 - y0 >= std::max(3.0, 0.1 * face_h)) {
      ap.clothing_region = clip(cv::Rect(cvRound(cx - 1.3 * fw), y0, cvRound(2.6 * fw), y1 - y0), size);
      if (ap.clothing_region.area() > 0) {
        long n = 0, like = 0;
        cv::Vec3d sum(0, 0, 0);
        const cv::Rect& r = ap.clothing_region;
        for (int y = r.y; y < r.br().y; ++y) {
          const auto* p = lab.ptr<cv::Vec3f>(y);
          for (int x = r.x; x < r.br().x; ++x) {
            if (std::abs(x - cx) < 0.3 * fw) continue;
            ++n;
            sum += cv::Vec3d(p[x]);
            if (ap.background_ok && delta_e(p[x], ap.background_lab) < 12.0f) ++like;
          }
        }
        if (n > 0) {
          ap.clothing_like_background = static_cast<double>(like) / static_cast<double>(n);
          ap.clothing_lab = cv::Vec3f(sum * (1.0 / static_cast<double>(n)));
        }
      }
    }
  }

  // Above the forehead: from the crown (or brows − 0.6 face height) to 0.12 face height above the brows.
  {
    const double top = h->crown_y ? *h->crown_y * sc : brow_y - 0.6 * face_h;
    const double bottom = brow_y - 0.12 * face_h;
    ap.above_height = h->crown_y ? (brow_y - *h->crown_y * sc) / face_h : 0;
    ap.forehead_region = clip(cv::Rect(cvRound(lm[17].x), cvRound(top), cvRound(lm[26].x - lm[17].x),
                                       std::max(0, cvRound(bottom - top))),
                              size);
    const cv::Rect& r = ap.forehead_region;
    long n = 0, hair = 0, bg = 0, sk = 0;
    for (int y = r.y; y < r.br().y; ++y) {
      const auto* p = lab.ptr<cv::Vec3f>(y);
      for (int x = r.x; x < r.br().x; ++x) {
        const cv::Vec3f& c = p[x];
        ++n;
        const float chroma = std::hypot(c[1], c[2]);
        if (ap.background_ok && delta_e(c, ap.background_lab) < 14.0f) ++bg;
        else if (ap.cheek_lab && is_skin(c) && (ap.colour || c[0] > 45.0f)) ++sk;
        else if (c[0] < 45.0f && (chroma < 30.0f || (c[2] > 0 && c[1] > -5))) ++hair;
        else if (ap.colour && chroma < 8.0f && c[0] < 97.0f) ++hair;  // grey or white hair (neutral, below paper white)
        // Blonde or light-brown hair: yellowish (b* > 8 and above 1.4 |a*|), not pale, not vivid. A straw
        // or beige hat has these colours too and passes.
        else if (ap.colour && c[0] < 85.0f && chroma < 45.0f && c[2] > 8.0f && c[2] > 1.4f * std::abs(c[1])) ++hair;
      }
    }
    if (n > 0) {
      ap.above_hair = static_cast<double>(hair) / static_cast<double>(n);
      ap.above_background = static_cast<double>(bg) / static_cast<double>(n);
      ap.above_skin = static_cast<double>(sk) / static_cast<double>(n);
      ap.above_other = 1.0 - ap.above_hair - ap.above_background - ap.above_skin;
    }
  }

  // Occlusion: skin continuity over the lower face (jaw 2–14 and the nose bridge 29), mouth and nostrils excluded.
  if (ap.cheek_lab) {
    std::vector<cv::Point> lower;
    for (int i = 2; i <= 14; ++i) lower.emplace_back(cvRound(lm[static_cast<size_t>(i)].x), cvRound(lm[static_cast<size_t>(i)].y));
    lower.emplace_back(cvRound(lm[29].x), cvRound(lm[29].y));
    cv::Mat pm = polygon_mask(size, lower);
    std::vector<cv::Point> mouth;
    for (int i = 48; i <= 59; ++i) mouth.emplace_back(cvRound(lm[static_cast<size_t>(i)].x), cvRound(lm[static_cast<size_t>(i)].y));
    cv::fillPoly(pm, std::vector<std::vector<cv::Point>>{mouth}, cv::Scalar(0));
    const cv::Rect r = clip(cv::boundingRect(lower), size);
    long n = 0, sk = 0;
    for (int y = r.y; y < r.br().y; ++y) {
      const auto* p = lab.ptr<cv::Vec3f>(y);
      const auto* m = pm.ptr<unsigned char>(y);
      for (int x = r.x; x < r.br().x; ++x) {
        if (!m[x]) continue;
        ++n;
        if (is_skin(p[x])) ++sk;
      }
    }
    ap.skin_fraction = n > 0 ? static_cast<double>(sk) / static_cast<double>(n) : 0;
  }

  // Shadow: darkest background sector beside and above the head against the median background L*.
  if (ap.background_ok) {
    const auto& hist = bp.l_hist;
    const long total = bp.pixels;
    long acc = 0;
    int median = 0;
    for (int i = 0; i <= 100; ++i) {
      acc += hist[static_cast<size_t>(i)];
      if (acc * 2 >= total) {
        median = i;
        break;
      }
    }
    const double crown = h->crown_y ? *h->crown_y * sc : brow_y - 0.6 * face_h;
    const std::array<cv::Rect, 3> sectors = {
        clip(cv::Rect(cvRound(cx - 1.4 * fw), cvRound(crown), cvRound(0.7 * fw), cvRound(chin.y - crown)), size),
        clip(cv::Rect(cvRound(cx + 0.7 * fw), cvRound(crown), cvRound(0.7 * fw), cvRound(chin.y - crown)), size),
        clip(cv::Rect(cvRound(cx - 0.6 * fw), cvRound(crown - 0.4 * face_h), cvRound(1.2 * fw), cvRound(0.4 * face_h)),
             size)};
    double darkest = median;
    for (const cv::Rect& r : sectors) {
      if (r.area() <= 0) continue;
      const int n = cv::countNonZero(mask(r));
      if (n < std::max(20, r.area() / 5)) continue;
      darkest = std::min(darkest, cv::mean(lab(r), mask(r))[0]);
    }
    ap.background_shadow = median - darkest;
  }
  return ap;
}

}  // namespace idphoto::analysis
