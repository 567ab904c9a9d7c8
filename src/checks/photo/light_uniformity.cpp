#include <algorithm>
#include <cmath>
#include <cstdio>

#include "analysis/analysis.hpp"
#include "analysis/appearance.hpp"
#include "checks/finding_util.hpp"

namespace idphoto::checks {
namespace {
Finding run(const analysis::Analysis& a, const Params& p);
}

extern const CheckDef check_light_uniformity;
const CheckDef check_light_uniformity{
    .id = "photo.light.uniformity",
    .kind = "photo",
    .title_zh = "光照均匀",
    .title_en = "Illumination uniformity",
    .clause = "Mean luminance of the darker face half over that of the brighter half (left and right of the face centre line, inside the jaw and brow outline); strong side light fails. The ISO/IEC 29794-5 histogram intersection of the halves is reported beside it (docs/decisions/0005-yaw-and-light-calibration.md)",
    .fixable = false,
    .params = {{"min_ratio", ParamType::number, true, "smallest allowed darker-half / brighter-half mean luminance (0-1)"}},
    .run = run,
    .unit = "ratio",
};

namespace {

Finding run(const analysis::Analysis& a, const Params& p) {
  const CheckDef& d = check_light_uniformity;
  if (!a.head()) return no_face(d, "ratio");
  const auto& ap = a.appearance();
  if (ap.face.pixels < 50)
    return not_assessed(d, "ratio", {"面部区域太小，无法判断光照", "The face region is too small to judge the light"});
  const double hi = std::max(ap.lr_mean_left, ap.lr_mean_right);
  const double ratio = hi > 0 ? std::min(ap.lr_mean_left, ap.lr_mean_right) / hi : 1.0;
  const std::string overlap = fixed(100 * ap.lr_intersection, 0);
  return range_finding(d, p, ratio, "ratio", Range{p.number("min_ratio", 0), std::nullopt},
                       Fmt::percent,
                       {.ok = {"面部光照均匀", "Even light on the face"},
                        .too_low = {ap.lr_mean_left < ap.lr_mean_right ? "面部光照不均（左侧偏暗）" : "面部光照不均（右侧偏暗）",
                                    ap.lr_mean_left < ap.lr_mean_right ? "Uneven light (image-left half darker)" : "Uneven light (image-right half darker)"},
                        .too_high = {"面部光照均匀", "Even light on the face"},
                        .what_zh = "较暗半脸的平均亮度为较亮半脸的",
                        .what_en = "the darker face half is",
                        .what_en_after = " as bright as the other (their brightness histograms overlap " + overlap + "%)",
                        .hint_low = {"请从正面均匀打光，避免侧光和阴阳脸", "Light the face evenly from the front; avoid side light"},
                        .hint_high = {}});
}

}  // namespace
}  // namespace idphoto::checks
