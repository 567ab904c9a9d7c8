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
    .clause = "Histogram intersection of the normalised luminance histograms of the left and right face halves (ISO/IEC 29794-5 illumination uniformity); strong side light fails",
    .fixable = false,
    .params = {{"min_intersection", ParamType::number, true, "smallest allowed histogram intersection (0-1, 32 bins)"}},
    .run = run,
    .unit = "histogram intersection",
};

namespace {

Finding run(const analysis::Analysis& a, const Params& p) {
  const CheckDef& d = check_light_uniformity;
  if (!a.head()) return no_face(d, "histogram intersection");
  const auto& ap = a.appearance();
  if (ap.face.pixels < 50)
    return not_assessed(d, "histogram intersection", {"面部区域太小，无法判断光照", "The face region is too small to judge the light"});
  return range_finding(d, p, ap.lr_intersection, "histogram intersection", Range{p.number("min_intersection", 0), std::nullopt},
                       Fmt::percent,
                       {.ok = {"面部光照均匀", "Even light on the face"},
                        .too_low = {ap.lr_mean_left < ap.lr_mean_right ? "面部光照不均（左侧偏暗）" : "面部光照不均（右侧偏暗）",
                                    ap.lr_mean_left < ap.lr_mean_right ? "Uneven light (image-left half darker)" : "Uneven light (image-right half darker)"},
                        .too_high = {"面部光照均匀", "Even light on the face"},
                        .what_zh = "左右半脸亮度分布重合 ",
                        .what_en = "left and right face halves overlap",
                        .what_en_after = "",
                        .hint_low = {"请从正面均匀打光，避免侧光和阴阳脸", "Light the face evenly from the front; avoid side light"},
                        .hint_high = {}});
}

}  // namespace
}  // namespace idphoto::checks
