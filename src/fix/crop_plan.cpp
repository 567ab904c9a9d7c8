#include "fix/crop_plan.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace idphoto::fix {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// An interval of admissible crop heights (source px) and the check that imposes it.
struct Bound {
  double lo = 0, hi = kInf;
  std::string id;
  std::string what_en, what_zh;
};

Range shrink(const Range& r, double inset) {
  if (!r.lo || !r.hi) return r;
  const double d = (*r.hi - *r.lo) * inset;
  return {*r.lo + d, *r.hi - d};
}

double margin(double v, const std::optional<Range>& r) {
  if (!r || !r->lo || !r->hi || *r->hi <= *r->lo) return 1.0;
  return std::min(v - *r->lo, *r->hi - v) / (*r->hi - *r->lo);
}

std::string fmt(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.0f", v);
  return b;
}

// Crop-height bounds from the bands (inset applied); the crown/eye pair also constrains the height.
std::vector<Bound> height_bounds(const HeadModel& h, const GeometryBands& g, double inset) {
  std::vector<Bound> out;
  const double H = g.out_height, W = g.out_width;
  const double head = h.chin_y - h.crown_y;
  if (g.head_height) {
    const Range r = shrink(*g.head_height, inset);
    Bound b{0, kInf, "photo.geometry.head_height", "head height", "头部大小"};
    if (r.hi && *r.hi > 0) b.lo = head / *r.hi;
    if (r.lo && *r.lo > 0) b.hi = head / *r.lo;
    out.push_back(b);
  }
  if (g.face_width) {
    const Range r = shrink(*g.face_width, inset);
    Bound b{0, kInf, "photo.geometry.face_width", "face width", "脸部宽度"};
    if (r.hi && *r.hi > 0) b.lo = h.face_width * H / (W * *r.hi);
    if (r.lo && *r.lo > 0) b.hi = h.face_width * H / (W * *r.lo);
    out.push_back(b);
  }
  if (g.min_ied && *g.min_ied > 0) {
    out.push_back({0, h.ied * H / *g.min_ied, "photo.face.ied", "inter-eye distance", "双眼间距"});
  }
  if (!g.allow_upscale) {
    out.push_back({H, kInf, "photo.image.dimensions", "no upscaling (the source is too small)",
                   "禁止放大（原图太小）"});
  }
  if (g.crown_margin && g.eye_line) {
    const Range m = shrink(*g.crown_margin, inset), e = shrink(*g.eye_line, inset);
    const double d = h.eye_y - h.crown_y;
    Bound b{0, kInf, "photo.geometry.eye_line", "eye line with the space above the head",
            "眼睛高度与头顶留白"};
    if (e.hi && m.lo && *e.hi > *m.lo) b.lo = d / (*e.hi - *m.lo);
    if (e.lo && m.hi && *e.lo > *m.hi) b.hi = d / (*e.lo - *m.hi);
    if (e.hi && m.lo && *e.hi <= *m.lo) b.lo = kInf;  // eyes would have to sit above the crown
    out.push_back(b);
  }
  return out;
}

// [lo, hi] of admissible values for the top edge y0 at crop height c.
std::pair<double, double> top_interval(const HeadModel& h, const GeometryBands& g, double c, double inset) {
  double lo = -kInf, hi = kInf;
  if (g.crown_margin) {
    const Range r = shrink(*g.crown_margin, inset);
    if (r.hi) lo = std::max(lo, h.crown_y - *r.hi * c);
    if (r.lo) hi = std::min(hi, h.crown_y - *r.lo * c);
  }
  if (g.eye_line) {
    const Range r = shrink(*g.eye_line, inset);
    if (r.hi) lo = std::max(lo, h.eye_y - *r.hi * c);
    if (r.lo) hi = std::min(hi, h.eye_y - *r.lo * c);
  }
  if (!std::isfinite(lo) && !std::isfinite(hi)) lo = hi = h.crown_y - 0.08 * c;
  if (!std::isfinite(lo)) lo = hi - 0.1 * c;
  if (!std::isfinite(hi)) hi = lo + 0.1 * c;
  return {lo, hi};
}

// The value in [lo, hi] nearest the middle that also keeps [v, v + len] inside [0, limit] when possible.
double place(double lo, double hi, double len, double limit) {
  const double mid = (lo + hi) / 2;
  const double in_lo = 0, in_hi = limit - len;  // positions fully inside
  if (in_lo > in_hi) return mid;
  const double a = std::max(lo, in_lo), b = std::min(hi, in_hi);
  if (a <= b) return std::clamp(mid, a, b);
  return std::clamp(in_hi < lo ? lo : hi, lo, hi);  // nearest admissible end to the inside range
}

void predict(CropPlan& p, const HeadModel& h, const GeometryBands& g) {
  const double k = p.scale;
  p.head_height = (h.chin_y - h.crown_y) / p.height;
  p.crown_margin = (h.crown_y - p.y) / p.height;
  p.eye_line = (h.eye_y - p.y) / p.height;
  p.centring = (h.centre_x - p.x) / p.width - 0.5;
  p.face_width = h.face_width / p.width;
  p.ied = h.ied * k;
  (void)g;
}

}  // namespace

CropPlan plan_crop(const HeadModel& h, const GeometryBands& g, double source_width, double source_height) {
  CropPlan best;
  const double aspect = static_cast<double>(g.out_width) / g.out_height;
  if (h.chin_y <= h.crown_y || h.eye_y <= h.crown_y || h.chin_y <= h.eye_y || h.face_width <= 0) {
    best.conflicting = {"photo.geometry.head_height"};
    best.reason = {"头部几何数据不一致（头顶、眼睛、下巴的位置）", "Inconsistent head geometry (crown, eyes, chin)"};
    return best;
  }
  // A source already framed at the output size that meets every band is kept as it is (idempotence).
  if (std::abs(source_width - g.out_width) < 0.5 && std::abs(source_height - g.out_height) < 0.5) {
    CropPlan p;
    p.feasible = true;
    p.width = source_width, p.height = source_height, p.scale = g.out_height / source_height;
    predict(p, h, g);
    auto in = [](double v, const std::optional<Range>& r) { return !r || r->contains(v); };
    if (in(p.head_height, g.head_height) && in(p.crown_margin, g.crown_margin) && in(p.eye_line, g.eye_line) &&
        in(p.centring, g.centring) && in(p.face_width, g.face_width) && (!g.min_ied || p.ied >= *g.min_ied))
      return p;
  }
  for (double inset : {g.inset, g.inset / 2, 0.0}) {
    const auto bounds = height_bounds(h, g, inset);
    double lo = 0, hi = kInf;
    const Bound* lo_by = nullptr;
    const Bound* hi_by = nullptr;
    for (const Bound& b : bounds) {
      if (b.lo > lo) { lo = b.lo; lo_by = &b; }
      if (b.hi < hi) { hi = b.hi; hi_by = &b; }
    }
    if (!std::isfinite(hi)) hi = std::max(lo, 1.0) * 3;
    if (lo <= 0) lo = hi / 3;
    if (lo > hi) {
      if (inset > 0) continue;
      best.feasible = false;
      best.conflicting.clear();
      if (lo_by) best.conflicting.push_back(lo_by->id);
      if (hi_by && (!lo_by || hi_by->id != lo_by->id)) best.conflicting.push_back(hi_by->id);
      const std::string lo_en = lo_by ? lo_by->what_en : "", hi_en = hi_by ? hi_by->what_en : "";
      const std::string lo_zh = lo_by ? lo_by->what_zh : "", hi_zh = hi_by ? hi_by->what_zh : "";
      const bool upscale = lo_by && lo_by->id == "photo.image.dimensions";
      if (upscale) {
        best.reason = {"原图太小：要满足「" + hi_zh + "」，裁剪区域最多 " + fmt(hi) + " 像素高，需放大到 " +
                           std::to_string(g.out_height) + " 像素，而禁止放大照片",
                       "The source is too small: meeting the " + hi_en + " band allows a crop at most " + fmt(hi) +
                           " px tall, which would have to be enlarged to " + std::to_string(g.out_height) +
                           " px; upscaling is forbidden"};
      } else {
        best.reason = {"「" + lo_zh + "」要求裁剪高度至少 " + fmt(lo) + " 像素，而「" + hi_zh + "」要求至多 " +
                           fmt(hi) + " 像素，无法同时满足",
                       "The " + lo_en + " band needs a crop at least " + fmt(lo) + " px tall but the " + hi_en +
                           " band allows at most " + fmt(hi) + " px: they cannot be met together"};
      }
      return best;
    }
    // Search the admissible heights for the crop that stays inside the source and keeps every band's margin.
    double best_score = -kInf;
    constexpr int kSteps = 64;
    for (int i = 0; i <= kSteps; ++i) {
      const double c = lo + (hi - lo) * i / kSteps;
      const double w = c * aspect;
      const auto [ylo, yhi] = top_interval(h, g, c, inset);
      if (ylo > yhi + 1e-9) continue;
      const double y0 = place(ylo, yhi, c, source_height);
      double xlo = h.centre_x - w / 2, xhi = xlo;
      if (g.centring) {
        const Range r = shrink(*g.centring, inset);
        if (r.hi) xlo = h.centre_x - w / 2 - *r.hi * w;
        if (r.lo) xhi = h.centre_x - w / 2 - *r.lo * w;
      }
      const double x0 = place(xlo, xhi, w, source_width);
      CropPlan p;
      p.feasible = true;
      p.x = x0, p.y = y0, p.width = w, p.height = c;
      p.scale = g.out_height / c;
      p.beyond_top = std::max(0.0, -y0);
      p.beyond_left = std::max(0.0, -x0);
      p.beyond_bottom = std::max(0.0, y0 + c - source_height);
      p.beyond_right = std::max(0.0, x0 + w - source_width);
      predict(p, h, g);
      const double over = (p.beyond_top + p.beyond_left + p.beyond_right + p.beyond_bottom) / c;
      const double m = std::min({margin(p.head_height, g.head_height), margin(p.crown_margin, g.crown_margin),
                                 margin(p.eye_line, g.eye_line), margin(p.centring, g.centring),
                                 margin(p.face_width, g.face_width)});
      const double score = -1000.0 * std::floor(over * 1000) + m;
      if (score > best_score) {
        best_score = score;
        best = p;
      }
    }
    if (best.feasible) return best;
  }
  best.feasible = false;
  best.conflicting = {"photo.geometry.crown_margin", "photo.geometry.eye_line"};
  best.reason = {"头顶留白与眼睛高度无法同时满足", "The space above the head and the eye line cannot be met together"};
  return best;
}

}  // namespace idphoto::fix
