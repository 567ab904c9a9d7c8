#include <algorithm>
#include <cmath>
#include <map>

#include "checks/signature/signature_check_util.hpp"

namespace idphoto::checks {
namespace {
Finding run(const signature::InkAnalysis& a, const Params& p);
}

extern const CheckDef check_sig_image_dimensions;
const CheckDef check_sig_image_dimensions{
    .id = "signature.image.dimensions",
    .kind = "signature",
    .title_zh = "图像尺寸",
    .title_en = "Image dimensions",
    .clause = "Width and height in pixels lie in the profile's ranges (SPECS.md §4: about 300×100 … 600×200 px)",
    .fixable = true,
    .params = {{"width", ParamType::range, true, "width in px, [lo, hi]"}, {"height", ParamType::range, true, "height in px, [lo, hi]"}},
    .run = nullptr,
    .unit = "px",
    .run_signature = run,
};

namespace {

Finding run(const signature::InkAnalysis& a, const Params& p) {
  const CheckDef& def = check_sig_image_dimensions;
  const Range w = p.range("width"), h = p.range("height");
  const std::string size = std::to_string(a.image.width) + "×" + std::to_string(a.image.height);
  const std::string want = format_range(w, Fmt::px, false) + " × " + format_range(h, Fmt::px, false);
  Finding f = pass_fail(def, p, w.contains(a.image.width) && h.contains(a.image.height), "px",
                        {"图像尺寸合格：" + size, "Image dimensions OK: " + size + " px"},
                        {"图像尺寸不符：" + size + "，应为 " + want, "Wrong dimensions: " + size + " px; allowed " + want},
                        {"请用 `idphoto signature clean` 按要求尺寸输出", "Let `idphoto signature clean` write the required size"});
  f.value = a.image.width;
  f.value_text = size;
  return f;
}

}  // namespace
}  // namespace idphoto::checks
