#include <algorithm>
#include <cmath>
#include <map>

#include "checks/signature/signature_check_util.hpp"

namespace idphoto::checks {
namespace {
Finding run(const signature::InkAnalysis& a, const Params& p);
}

extern const CheckDef check_sig_ink_stroke_width;
const CheckDef check_sig_ink_stroke_width{
    .id = "signature.ink.stroke_width",
    .kind = "signature",
    .title_zh = "笔画粗细",
    .title_en = "Stroke width",
    .clause = "Strokes are wide enough at the output size to stay legible, not blotted",
    .fixable = false,
    .params = {{"px", ParamType::range, true, "median stroke width in px at the image size, [lo, hi]"}},
    .run = nullptr,
    .unit = "px",
    .run_signature = run,
};

namespace {

Finding run(const signature::InkAnalysis& a, const Params& p) {
  const CheckDef& def = check_sig_ink_stroke_width;
  if (!a.found) return no_ink(def, "px");
  return range_finding(def, p, a.stroke_px, "px", p.range("px"), Fmt::px,
                       {.ok = {"笔画粗细合格", "Stroke width OK"},
                        .too_low = {"笔画太细", "Strokes too thin"},
                        .too_high = {"笔画太粗", "Strokes too thick"},
                        .what_zh = "笔画宽度为 ",
                        .what_en = "the strokes are",
                        .what_en_after = " wide",
                        .hint_low = {"请用更粗的笔签名，或签得更大一些", "Use a broader pen or sign larger"},
                        .hint_high = {"请用较细的笔签名", "Use a finer pen"}});
}

}  // namespace
}  // namespace idphoto::checks
