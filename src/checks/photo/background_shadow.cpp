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

extern const CheckDef check_background_shadow;
const CheckDef check_background_shadow{
    .id = "photo.background.shadow",
    .kind = "photo",
    .title_zh = "背景阴影",
    .title_en = "Background shadow",
    .clause = "A shadow of the head on the wall: the darkest background sector beside or above the head against the median background L* (best effort; CPTA: bad light)",
    .fixable = false,
    .params = {{"max_delta_l", ParamType::number, true, "largest allowed L* drop (0-100) of a sector next to the head"}},
    .run = run,
    .unit = "delta L*",
};

namespace {

Finding run(const analysis::Analysis& a, const Params& p) {
  const CheckDef& d = check_background_shadow;
  if (!a.head()) return no_face(d, "delta L*");
  const auto& ap = a.appearance();
  if (!ap.background_ok)
    return not_assessed(d, "delta L*",
                        {"未找到纯色背景区域，无法判断背景阴影", "No plain background area was found, so shadows were not assessed"});
  return range_finding(d, p, ap.background_shadow, "delta L*", Range{std::nullopt, p.number("max_delta_l", 0)}, Fmt::chroma,
                       {.ok = {"背景无明显阴影", "No shadow on the background"},
                        .too_low = {"背景无明显阴影", "No shadow on the background"},
                        .too_high = {"背景上有头部阴影", "Shadow of the head on the background"},
                        .what_zh = "头部旁背景比其余背景暗 ",
                        .what_en = "the background next to the head is darker by L*",
                        .what_en_after = "",
                        .hint_low = {},
                        .hint_high = {"请离背景墙远一些，并从正面均匀打光", "Stand further from the wall and light the face evenly from the front"}});
}

}  // namespace
}  // namespace idphoto::checks
