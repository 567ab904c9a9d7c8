#include "analysis/lab.hpp"

#include <array>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace idphoto::analysis {
namespace {

constexpr double kKnee = 0.008856;
constexpr int kCbrtSteps = 8192;  // f(t) sampled on [0, 1]; X, Y, Z are normalised to the white point

double srgb_to_linear(double c) { return c > 0.04045 ? std::pow((c + 0.055) / 1.055, 2.4) : c / 12.92; }
double lab_f(double t) { return t > kKnee ? std::cbrt(t) : 7.787 * t + 16.0 / 116.0; }

// sRGB (linear) to XYZ, each row divided by the white point's component (X/0.950456, Z/1.088754).
constexpr double kM[3][3] = {{0.412453 / 0.950456, 0.357580 / 0.950456, 0.180423 / 0.950456},
                             {0.212671, 0.715160, 0.072169},
                             {0.019334 / 1.088754, 0.119193 / 1.088754, 0.950227 / 1.088754}};

struct Tables {
  // xyz[k][c][v]: the contribution of 8-bit value v of channel c (0 R, 1 G, 2 B) to X, Y or Z.
  std::array<std::array<std::array<float, 256>, 3>, 3> xyz{};
  std::array<float, kCbrtSteps + 2> f{};
  Tables() {
    for (int i = 0; i < 256; ++i) {
      const double lin = srgb_to_linear(i / 255.0);
      for (size_t k = 0; k < 3; ++k)
        for (size_t c = 0; c < 3; ++c) xyz[k][c][static_cast<size_t>(i)] = static_cast<float>(kM[k][c] * lin);
    }
    for (int i = 0; i <= kCbrtSteps + 1; ++i)
      f[static_cast<size_t>(i)] = static_cast<float>(lab_f(static_cast<double>(i) / kCbrtSteps));
  }
};

const Tables& tables() {
  static const Tables t;  // ~0.1 ms, once
  return t;
}

inline float f_of(const Tables& t, float v) {
  v = v < 0.f ? 0.f : (v > 1.f ? 1.f : v);
  const float x = v * kCbrtSteps;
  const int i = static_cast<int>(x);
  const float w = x - static_cast<float>(i);
  return t.f[static_cast<size_t>(i)] + w * (t.f[static_cast<size_t>(i) + 1] - t.f[static_cast<size_t>(i)]);
}

inline cv::Vec3f lab_of_xyz(const Tables& t, float X, float Y, float Z) {
  const float fx = f_of(t, X), fy = f_of(t, Y), fz = f_of(t, Z);
  const float L = Y > static_cast<float>(kKnee) ? 116.f * fy - 16.f : 903.3f * Y;
  return {L, 500.f * (fx - fy), 200.f * (fy - fz)};
}

inline cv::Vec3f lab_of_linear(const Tables& t, float R, float G, float B) {
  return lab_of_xyz(t, static_cast<float>(kM[0][0] * R + kM[0][1] * G + kM[0][2] * B),
                    static_cast<float>(kM[1][0] * R + kM[1][1] * G + kM[1][2] * B),
                    static_cast<float>(kM[2][0] * R + kM[2][1] * G + kM[2][2] * B));
}

// An 8-bit pixel: X, Y and Z as sums of per-channel table entries (no multiplications).
inline cv::Vec3f lab_of_bgr8(const Tables& t, unsigned b, unsigned g, unsigned r) {
  return lab_of_xyz(t, t.xyz[0][0][r] + t.xyz[0][1][g] + t.xyz[0][2][b], t.xyz[1][0][r] + t.xyz[1][1][g] + t.xyz[1][2][b],
                    t.xyz[2][0][r] + t.xyz[2][1][g] + t.xyz[2][2][b]);
}

}  // namespace

cv::Mat bgr_to_lab(const cv::Mat& bgr) {
  CV_Assert(bgr.type() == CV_8UC3 || bgr.type() == CV_8UC1);
  const Tables& t = tables();
  cv::Mat lab(bgr.size(), CV_32FC3);
  if (bgr.type() == CV_8UC1) {  // grey: R = G = B
    for (int y = 0; y < bgr.rows; ++y) {
      const auto* p = bgr.ptr<unsigned char>(y);
      auto* q = lab.ptr<cv::Vec3f>(y);
      for (int x = 0; x < bgr.cols; ++x) q[x] = lab_of_bgr8(t, p[x], p[x], p[x]);
    }
    return lab;
  }
  LabRows rows;
  rows.convert(bgr, lab, 0, bgr.rows);
  return lab;
}

// Photos repeat colours: 7-44 % of the pixels equal their left neighbour (flat backgrounds, clipped
// highlights) and copy its result, and a direct-mapped cache of 16 K recent colours serves 30-50 % more
// (measured on the sample, img30, test0, HELEN and a 14 MP photo; docs/performance.md). Same
// arithmetic for every colour, so the output does not depend on which pixels were served from the cache.
constexpr int kCacheBits = 14;

LabRows::LabRows() : cache_(std::size_t{1} << kCacheBits, Entry{0xffffffffu, cv::Vec3f()}) {}

void LabRows::convert(const cv::Mat& bgr, cv::Mat& lab, int y0, int y1) {
  CV_Assert(bgr.type() == CV_8UC3 && lab.type() == CV_32FC3 && lab.size() == bgr.size());
  CV_Assert(0 <= y0 && y0 <= y1 && y1 <= bgr.rows);
  const Tables& t = tables();
  for (int y = y0; y < y1; ++y) {
    const auto* p = bgr.ptr<cv::Vec3b>(y);
    auto* q = lab.ptr<cv::Vec3f>(y);
    for (int x = 0; x < bgr.cols; ++x) {
      if (x > 0 && p[x] == p[x - 1]) {
        q[x] = q[x - 1];
        continue;
      }
      const std::uint32_t key = static_cast<std::uint32_t>(p[x][0]) | (static_cast<std::uint32_t>(p[x][1]) << 8) |
                                (static_cast<std::uint32_t>(p[x][2]) << 16);
      Entry& e = cache_[(key * 2654435761u) >> (32 - kCacheBits)];  // Fibonacci hashing
      if (e.key != key) {
        e.key = key;
        e.lab = lab_of_bgr8(t, p[x][0], p[x][1], p[x][2]);
      }
      q[x] = e.lab;
    }
  }
}

cv::Vec3f bgr_to_lab(double b, double g, double r) {
  const auto lin = [](double c) { return static_cast<float>(srgb_to_linear(std::clamp(c, 0.0, 255.0) / 255.0)); };
  return lab_of_linear(tables(), lin(r), lin(g), lin(b));
}

cv::Vec3f median_lab(const cv::Mat& lab) {
  CV_Assert(lab.empty() || lab.type() == CV_32FC3);
  std::vector<float> c[3];
  for (auto& v : c) v.reserve(lab.total());
  for (int y = 0; y < lab.rows; ++y) {
    const auto* p = lab.ptr<cv::Vec3f>(y);
    for (int x = 0; x < lab.cols; ++x)
      for (int k = 0; k < 3; ++k) c[k].push_back(p[x][k]);
  }
  cv::Vec3f m(0, 0, 0);
  for (int k = 0; k < 3; ++k) {
    if (c[k].empty()) continue;
    const auto mid = c[k].begin() + static_cast<std::ptrdiff_t>(c[k].size() / 2);
    std::nth_element(c[k].begin(), mid, c[k].end());
    m[k] = *mid;
  }
  return m;
}

}  // namespace idphoto::analysis
