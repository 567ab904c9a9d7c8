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

extern const CheckDef check_face_occlusion;
const CheckDef check_face_occlusion{
    .id = "photo.face.occlusion",
    .kind = "photo",
    .title_zh = "面部无遮挡",
    .title_en = "Face not occluded",
    .clause = "Best effort: share of the lower face (jaw hull, mouth excluded) that matches the cheek skin colour; hands, objects or masks break the skin continuity (ISO/IEC 19794-5: face fully visible)",
    .fixable = false,
    .params = {{"min_skin", ParamType::number, true, "smallest allowed skin share of the lower face"}},
    .run = run,
    .unit = "share",
};

namespace {

Finding run(const analysis::Analysis& a, const Params& p) {
  const CheckDef& d = check_face_occlusion;
  if (!a.head()) return no_face(d, "share");
  const auto& ap = a.appearance();
  if (!ap.cheek_lab || !ap.skin_model_ok)
    return not_assessed(d, "share", {"两侧脸颊颜色不一致，无法建立肤色模型判断遮挡",
                                     "The two cheeks disagree, so no skin model could be built to judge occlusion"});
  return range_finding(d, p, ap.skin_fraction, "share", Range{p.number("min_skin", 0), std::nullopt}, Fmt::percent,
                       {.ok = {"面部无遮挡", "Face not occluded"},
                        .too_low = {"面部可能被遮挡", "Face may be occluded"},
                        .too_high = {"面部无遮挡", "Face not occluded"},
                        .what_zh = "下半脸皮肤比例 ",
                        .what_en = "skin covers",
                        .what_en_after = " of the lower face",
                        .hint_low = {"请露出完整面部，不要用手、口罩或物品遮挡", "Show the whole face: no hands, masks or objects in front of it"},
                        .hint_high = {}});
}

}  // namespace
}  // namespace idphoto::checks
