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

extern const CheckDef check_clothing_contrast;
const CheckDef check_clothing_contrast{
    .id = "photo.clothing.contrast",
    .kind = "photo",
    .title_zh = "服装与背景区分",
    .title_en = "Clothing against background",
    .clause = "Share of the region below the chin (beside the neck) within CIELAB ΔE 12 of the background colour (CPTA: clothes close to the background colour are rejected)",
    .fixable = false,
    .params = {{"max_share", ParamType::number, true, "largest allowed share of clothing pixels that look like the background"}},
    .run = run,
    .unit = "share",
};

namespace {

Finding run(const analysis::Analysis& a, const Params& p) {
  const CheckDef& d = check_clothing_contrast;
  if (!a.head()) return no_face(d, "share");
  const auto& ap = a.appearance();
  if (!ap.background_ok)
    return not_assessed(d, "share", {"未找到纯色背景区域，无法比较服装与背景", "No plain background was found to compare the clothing with"});
  if (ap.clothing_region.area() <= 0 || !ap.clothing_lab)
    return not_assessed(d, "share", {"照片下缘未包含肩部服装，无法判断", "The photo ends above the shoulders, so the clothing was not assessed"});
  return range_finding(d, p, ap.clothing_like_background, "share", Range{std::nullopt, p.number("max_share", 1)}, Fmt::percent,
                       {.ok = {"服装与背景区分明显", "Clothing stands out from the background"},
                        .too_low = {"服装与背景区分明显", "Clothing stands out from the background"},
                        .too_high = {"服装颜色与背景相近", "Clothing colour close to the background"},
                        .what_zh = "与背景颜色相近的服装比例 ",
                        .what_en = "clothing pixels like the background:",
                        .what_en_after = "",
                        .hint_low = {},
                        .hint_high = {"请穿与背景颜色反差明显的深色或彩色上衣（白底勿穿白衣）",
                                      "Wear clothes that contrast with the background (no white shirt on white)"}});
}

}  // namespace
}  // namespace idphoto::checks
