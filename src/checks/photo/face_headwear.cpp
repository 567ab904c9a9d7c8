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

extern const CheckDef check_face_headwear;
const CheckDef check_face_headwear{
    .id = "photo.face.headwear",
    .kind = "photo",
    .title_zh = "免冠（无帽子头饰）",
    .title_en = "No headwear",
    .clause = "Best effort: the region between the crown and the brows must be hair (dark, or grey and white in a colour photo), skin or background; a large share of anything else is taken as a hat (一寸彩色免冠照); undecided cases are not_assessed",
    .fixable = false,
    .params = {{"fail_above", ParamType::number, true, "share of non-hair, non-skin, non-background pixels above the forehead that fails"},
               {"pass_below", ParamType::number, true, "share below which the head is judged uncovered; between the two: not_assessed"}},
    .run = run,
    .unit = "share",
};

namespace {

Finding run(const analysis::Analysis& a, const Params& p) {
  const CheckDef& d = check_face_headwear;
  if (!a.head()) return no_face(d, "share");
  const auto& ap = a.appearance();
  if (ap.forehead_region.area() < 20)
    return not_assessed(d, "share", {"额头上方区域不在照片内，无法判断是否戴帽", "The area above the forehead is outside the photo; headwear not assessed"});
  const double fail_above = p.number("fail_above", 1), pass_below = p.number("pass_below", 0);
  Finding f = make_finding(d, "share");
  f.value = ap.above_other;
  f.range = Range{std::nullopt, pass_below};
  if (ap.above_other <= pass_below) {
    f.status = Status::pass;
    f.message = {"未发现帽子或头饰", "No headwear seen"};
  } else if (ap.above_other >= fail_above) {
    f.status = Status::fail;
    f.message = {"疑似佩戴帽子或头饰（额头上方有非头发区域）",
                 "Headwear likely: the area above the forehead is neither hair, skin nor background"};
    f.hint = {"请摘下帽子、头饰后拍摄（一寸免冠照）", "Remove hats and head ornaments (bare-headed photo)"};
    apply_severity(f, p);
  } else {
    f.message = {"无法确定是否佩戴帽子（额头上方颜色不确定）", "Could not decide whether headwear is worn (ambiguous area above the forehead)"};
  }
  return f;
}

}  // namespace
}  // namespace idphoto::checks
