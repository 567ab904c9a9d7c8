#include <algorithm>
#include <cmath>
#include <map>

#include "checks/signature/signature_check_util.hpp"

namespace idphoto::checks {
namespace {
Finding run(const signature::InkAnalysis& a, const Params& p);
}

extern const CheckDef check_sig_noise;
const CheckDef check_sig_noise{
    .id = "signature.noise",
    .kind = "signature",
    .title_zh = "噪点",
    .title_en = "Noise",
    .clause = "The ink is mostly strokes, not specks (share of ink in components below the stroke scale)",
    .fixable = true,
    .params = {{"max_fraction", ParamType::number, true, "largest share of ink in specks (0..1)"}},
    .run = nullptr,
    .unit = "%",
    .run_signature = run,
};

namespace {

Finding run(const signature::InkAnalysis& a, const Params& p) {
  const CheckDef& def = check_sig_noise;
  if (!a.found) return no_ink(def, "%");
  return range_finding(def, p, a.noise_fraction, "%", Range{std::nullopt, p.number("max_fraction", 0.2)}, Fmt::percent,
                       {.ok = {"噪点合格", "Little noise"},
                        .too_low = {"噪点合格", "Little noise"},
                        .too_high = {"噪点过多", "Too much noise"},
                        .what_zh = "噪点占笔迹的 ",
                        .what_en = "specks are",
                        .what_en_after = " of the ink",
                        .hint_low = {},
                        .hint_high = {"请在光线充足处重新拍摄，或用扫描仪", "Photograph again in good light, or scan"}});
}

}  // namespace
}  // namespace idphoto::checks
