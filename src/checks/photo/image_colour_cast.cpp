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

extern const CheckDef check_image_colour_cast;
const CheckDef check_image_colour_cast{
    .id = "photo.image.colour_cast",
    .kind = "photo",
    .title_zh = "肤色自然（偏色）",
    .title_en = "Natural colour (colour cast)",
    .clause = "Mean CIELAB a*, b* on both cheeks within the natural skin box (ISO/IEC 29794-5 natural colour: a* 5-25, b* 5-35)",
    .fixable = false,
    .params = {{"a", ParamType::range, true, "allowed mean cheek a*"},
               {"b", ParamType::range, true, "allowed mean cheek b*"}},
    .run = run,
    .unit = "a*",
};

namespace {

Finding run(const analysis::Analysis& a, const Params& p) {
  const CheckDef& d = check_image_colour_cast;
  if (!a.head()) return no_face(d, "a*");
  const auto& ap = a.appearance();
  if (!ap.colour)
    return not_assessed(d, "a*", {"黑白照片没有颜色，无法判断偏色", "A greyscale photo has no colour, so colour cast was not assessed"});
  if (!ap.cheek_lab) return not_assessed(d, "a*", {"未找到脸颊区域", "The cheeks could not be located"});
  const double A = (*ap.cheek_lab)[1], B = (*ap.cheek_lab)[2];
  const Range ra = p.range("a"), rb = p.range("b");
  Finding f = make_finding(d, "a*");
  f.value = A;
  f.range = ra;
  const std::string v = "a*=" + fixed(A, 1) + ", b*=" + fixed(B, 1);
  if (ra.contains(A) && rb.contains(B)) {
    f.status = Status::pass;
    f.message = {"肤色自然：" + v, "Natural skin colour: " + v};
    return f;
  }
  std::string zh, en;
  if (ra.lo && A < *ra.lo) zh = "偏绿", en = "green cast";
  else if (ra.hi && A > *ra.hi) zh = "偏红（品红）", en = "red/magenta cast";
  else if (rb.lo && B < *rb.lo) zh = "偏蓝", en = "blue cast";
  else zh = "偏黄", en = "yellow cast";
  f.status = Status::fail;
  f.message = {"照片偏色（" + zh + "）：脸颊 " + v, "Colour cast (" + en + "): cheeks " + v};
  f.hint = {"请在白光下拍摄并关闭滤镜/美颜，保持自然肤色", "Use neutral white light and no filters, so the skin colour stays natural"};
  apply_severity(f, p);
  return f;
}

}  // namespace
}  // namespace idphoto::checks
