#include <algorithm>
#include <cmath>
#include <map>

#include "checks/signature/signature_check_util.hpp"

namespace idphoto::checks {
namespace {
Finding run(const signature::InkAnalysis& a, const Params& p);
}

extern const CheckDef check_sig_layout_centring;
const CheckDef check_sig_layout_centring{
    .id = "signature.layout.centring",
    .kind = "signature",
    .title_zh = "签名居中",
    .title_en = "Signature centred",
    .clause = "The ink box centre lies within the tolerance of the image centre, as a fraction of W and H (文字居中)",
    .fixable = true,
    .params = {{"max_offset", ParamType::number, true, "largest offset of the ink-box centre, fraction of W (horizontal) and H (vertical)"}},
    .run = nullptr,
    .unit = "%",
    .run_signature = run,
};

namespace {

Finding run(const signature::InkAnalysis& a, const Params& p) {
  const CheckDef& def = check_sig_layout_centring;
  if (!a.found) return no_ink(def, "%");
  const double cx = (a.box.x + a.box.width / 2.0) / a.work_width - 0.5;
  const double cy = (a.box.y + a.box.height / 2.0) / a.work_height - 0.5;
  const double off = std::max(std::abs(cx), std::abs(cy));
  const double max = p.number("max_offset", 0.05);
  return range_finding(def, p, off, "%", Range{std::nullopt, max}, Fmt::percent,
                       {.ok = {"签名居中", "Signature centred"},
                        .too_low = {"签名居中", "Signature centred"},
                        .too_high = {"签名未居中", "Signature off centre"},
                        .what_zh = "签名中心偏离图像中心 ",
                        .what_en = "the ink box centre is off by",
                        .what_en_after = " of the image size",
                        .hint_low = {},
                        .hint_high = {"请用 `idphoto signature clean` 居中", "Let `idphoto signature clean` centre it"}});
}

}  // namespace
}  // namespace idphoto::checks
