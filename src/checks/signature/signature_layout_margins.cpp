#include <algorithm>
#include <cmath>
#include <map>

#include "checks/signature/signature_check_util.hpp"

namespace idphoto::checks {
namespace {
Finding run(const signature::InkAnalysis& a, const Params& p);
}

extern const CheckDef check_sig_layout_margins;
const CheckDef check_sig_layout_margins{
    .id = "signature.layout.margins",
    .kind = "signature",
    .title_zh = "留白边距",
    .title_en = "Margins",
    .clause = "Every margin around the ink is at least the minimum and the tighter pair at most the maximum, as fractions of the side",
    .fixable = true,
    .params = {{"range", ParamType::range, true, "margin as a fraction of the side, [lo, hi]"}},
    .run = nullptr,
    .unit = "%",
    .run_signature = run,
};

namespace {

Finding run(const signature::InkAnalysis& a, const Params& p) {
  const CheckDef& def = check_sig_layout_margins;
  if (!a.found) return no_ink(def, "%");
  const double l = double(a.box.x) / a.work_width, r = 1.0 - double(a.box.x + a.box.width) / a.work_width;
  const double t = double(a.box.y) / a.work_height, b = 1.0 - double(a.box.y + a.box.height) / a.work_height;
  const Range rg = p.range("range");
  const double smallest = std::min({l, r, t, b});
  const double tighter = std::min((l + r) / 2, (t + b) / 2);
  const double value = rg.lo && smallest < *rg.lo ? smallest : tighter;
  return range_finding(def, p, value, "%", rg, Fmt::percent,
                       {.ok = {"边距合格", "Margins OK"},
                        .too_low = {"边距太小", "Margins too small"},
                        .too_high = {"边距太大", "Margins too large"},
                        .what_zh = "边距为 ",
                        .what_en = "the margin is",
                        .what_en_after = " of the side",
                        .hint_low = {"签名太靠近边缘：请用 `idphoto signature clean` 重新排版", "The ink runs to the edge: let `idphoto signature clean` lay it out"},
                        .hint_high = {"签名太小：请用 `idphoto signature clean` 放大排版", "The signature is small in the image: let `idphoto signature clean` enlarge it"}});
}

}  // namespace
}  // namespace idphoto::checks
