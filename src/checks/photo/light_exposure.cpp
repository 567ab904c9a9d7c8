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

extern const CheckDef check_light_exposure;
const CheckDef check_light_exposure{
    .id = "photo.light.exposure",
    .kind = "photo",
    .title_zh = "曝光",
    .title_en = "Exposure",
    .clause = "Face luminance (ISO/IEC 29794-5 luminance mean, under-exposure [0,25], over-exposure [247,255], dynamic range as histogram entropy in bits); under- and over-exposure are counted above the nose base, where no beard grows",
    .fixable = false,
    .params = {{"mean", ParamType::range, true, "allowed mean face luminance Y (0-255, sRGB-encoded)"},
               {"max_dark", ParamType::number, true, "largest share of face pixels above the nose base with Y <= 25"},
               {"max_bright", ParamType::number, true, "largest share of face pixels above the nose base with Y >= 247"},
               {"min_entropy", ParamType::number, true, "smallest face luminance entropy in bits (dynamic range)"}},
    .run = run,
    .unit = "mean luminance (0-255)",
};

namespace {

Finding run(const analysis::Analysis& a, const Params& p) {
  const CheckDef& d = check_light_exposure;
  if (!a.head()) return no_face(d, "mean luminance (0-255)");
  const auto& s = a.appearance().face;
  if (s.pixels < 50)
    return not_assessed(d, "mean luminance (0-255)", {"面部区域太小，无法判断曝光", "The face region is too small to judge exposure"});
  Finding f = make_finding(d, "mean luminance (0-255)");
  const Range mean = p.range("mean");
  f.value = s.mean;
  f.range = mean;
  const std::string desc_en = "mean " + fixed(s.mean, 1) + ", dark " + fixed(100 * s.frac_dark, 1) + "%, bright " +
                              fixed(100 * s.frac_bright, 1) + "%, range " + fixed(s.entropy, 2) + " bits";
  if (mean.lo && s.mean < *mean.lo) {
    f.status = Status::fail;
    f.message = {"面部曝光不足（太暗）", "Face under-exposed (too dark): " + desc_en};
  } else if (mean.hi && s.mean > *mean.hi) {
    f.status = Status::fail;
    f.message = {"面部曝光过度（太亮）", "Face over-exposed (too bright): " + desc_en};
  } else if (s.frac_dark > p.number("max_dark", 1)) {
    f.status = Status::fail;
    f.message = {"面部有大片过暗区域", "Large under-exposed areas on the face: " + desc_en};
  } else if (s.frac_bright > p.number("max_bright", 1)) {
    f.status = Status::fail;
    f.message = {"面部有大片过亮（过曝）区域", "Large over-exposed areas on the face: " + desc_en};
  } else if (s.entropy < p.number("min_entropy", 0)) {
    f.status = Status::fail;
    f.message = {"面部明暗层次不足（对比度过低）", "Face lacks dynamic range (flat contrast): " + desc_en};
  } else {
    f.status = Status::pass;
    f.message = {"曝光合格", "Exposure OK: " + desc_en};
    return f;
  }
  f.hint = {"请在光线充足、均匀的环境下拍摄，避免过暗或过曝", "Photograph in even, sufficient light; avoid dark or blown-out faces"};
  apply_severity(f, p);
  return f;
}

}  // namespace
}  // namespace idphoto::checks
