#include <algorithm>
#include <cmath>
#include <map>

#include "checks/signature/signature_check_util.hpp"

namespace idphoto::checks {
namespace {
Finding run(const signature::InkAnalysis& a, const Params& p);
}

extern const CheckDef check_sig_ink_contrast;
const CheckDef check_sig_ink_contrast{
    .id = "signature.ink.contrast",
    .kind = "signature",
    .title_zh = "笔迹对比度",
    .title_en = "Ink contrast",
    .clause = "Strokes are dark enough against the paper to stay legible (median stroke contrast)",
    .fixable = true,
    .params = {{"min", ParamType::number, true, "least median ink contrast, fraction of the paper brightness (0..1)"}},
    .run = nullptr,
    .unit = "%",
    .run_signature = run,
};

namespace {

Finding run(const signature::InkAnalysis& a, const Params& p) {
  const CheckDef& def = check_sig_ink_contrast;
  if (!a.found) return no_ink(def, "%");
  const Range r{p.number("min", 0.35), std::nullopt};
  return range_finding(def, p, a.contrast, "%", r, Fmt::percent,
                       {.ok = {"笔迹对比度合格", "Ink contrast OK"},
                        .too_low = {"笔迹太淡", "Ink too faint"},
                        .too_high = {"笔迹对比度合格", "Ink contrast OK"},
                        .what_zh = "笔迹对比度为 ",
                        .what_en = "the ink contrast is",
                        .what_en_after = "",
                        .hint_low = {"请用更粗、更黑的笔重新签名，光线要充足", "Sign again with a darker, broader pen in good light"},
                        .hint_high = {}});
}

}  // namespace
}  // namespace idphoto::checks
