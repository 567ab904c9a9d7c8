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

extern const CheckDef check_background_uniformity;
const CheckDef check_background_uniformity{
    .id = "photo.background.uniformity",
    .kind = "photo",
    .title_zh = "背景均匀",
    .title_en = "Background uniformity",
    .clause = "Mean Sobel gradient magnitude of the luminance over the background mask (ISO/IEC 29794-5 background uniformity); texture, objects or patterns fail",
    .fixable = true,
    .params = {{"max_gradient", ParamType::number, true, "largest allowed mean Sobel magnitude (8-bit grey, 3x3 kernel)"}},
    .run = run,
    .unit = "mean gradient",
};

namespace {

Finding run(const analysis::Analysis& a, const Params& p) {
  const CheckDef& d = check_background_uniformity;
  const auto& ap = a.appearance();
  if (!ap.background_ok) {
    if (!a.head())
      return not_assessed(d, "mean gradient", {"未找到纯色背景区域，也未检测到人脸", "No plain background and no face found; not assessed"});
    Finding f = make_finding(d, "mean gradient");
    f.status = Status::fail;
    f.message = {"背景不是纯色：照片边缘找不到均匀的背景区域", "Background not plain: no uniform background area along the photo's borders"};
    f.hint = {"请在无纹理的纯色背景前拍摄", "Use a plain background without texture or objects"};
    apply_severity(f, p);
    return f;
  }
  Finding f = range_finding(d, p, ap.background_gradient, "mean gradient", Range{std::nullopt, p.number("max_gradient", 0)},
                            Fmt::chroma,
                            {.ok = {"背景均匀", "Background uniform"},
                             .too_low = {"背景均匀", "Background uniform"},
                             .too_high = {"背景不均匀（有纹理或杂物）", "Background not uniform (texture or objects)"},
                             .what_zh = "背景平均梯度 ",
                             .what_en = "mean background gradient",
                             .what_en_after = "",
                             .hint_low = {},
                             .hint_high = {"请在无纹理的纯色背景前拍摄", "Use a plain background without texture or objects"}});
  if (ap.background_share < 0.05 && f.status == Status::pass)
    f.message.en += " (small background area)";
  return f;
}

}  // namespace
}  // namespace idphoto::checks
