#include <algorithm>
#include <cmath>
#include <map>

#include "checks/signature/signature_check_util.hpp"

namespace idphoto::checks {
namespace {
Finding run(const signature::InkAnalysis& a, const Params& p);
}

extern const CheckDef check_sig_layout_aspect;
const CheckDef check_sig_layout_aspect{
    .id = "signature.layout.aspect",
    .kind = "signature",
    .title_zh = "宽高比",
    .title_en = "Aspect ratio",
    .clause = "Landscape image, width / height in the profile's range (about 3:1)",
    .fixable = true,
    .params = {{"range", ParamType::range, true, "width / height, [lo, hi]"}},
    .run = nullptr,
    .unit = "ratio",
    .run_signature = run,
};

namespace {

Finding run(const signature::InkAnalysis& a, const Params& p) {
  const CheckDef& def = check_sig_layout_aspect;
  const double ratio = a.image.height > 0 ? double(a.image.width) / a.image.height : 0;
  Finding f = range_finding(def, p, ratio, "ratio", p.range("range"), Fmt::count,
                       {.ok = {"宽高比合格", "Aspect ratio OK"},
                        .too_low = {"图像不够宽", "Image not wide enough"},
                        .too_high = {"图像太宽", "Image too wide"},
                        .what_zh = "宽高比为 ",
                        .what_en = "width / height is",
                        .what_en_after = "",
                        .hint_low = {"请用 `idphoto signature clean` 输出横向图像", "Let `idphoto signature clean` write a landscape image"},
                        .hint_high = {"请用 `idphoto signature clean` 输出约 3:1 的图像", "Let `idphoto signature clean` write an image of about 3:1"}});
  return f;
}

}  // namespace
}  // namespace idphoto::checks
