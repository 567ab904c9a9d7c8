#include <algorithm>
#include <cmath>
#include <map>

#include "checks/signature/signature_check_util.hpp"

namespace idphoto::checks {
namespace {
Finding run(const signature::InkAnalysis& a, const Params& p);
}

extern const CheckDef check_sig_ink_present;
const CheckDef check_sig_ink_present{
    .id = "signature.ink.present",
    .kind = "signature",
    .title_zh = "签名笔迹",
    .title_en = "Signature present",
    .clause = "The image holds handwriting beyond scan noise (白纸黑字: there must be 字)",
    .fixable = false,
    .params = {{"min_fraction", ParamType::number, false, "least ink pixels as a fraction of the image (0..1)"}},
    .run = nullptr,
    .unit = "%",
    .run_signature = run,
};

namespace {

Finding run(const signature::InkAnalysis& a, const Params& p) {
  const CheckDef& def = check_sig_ink_present;
  const double min = p.number("min_fraction", 0.002);
  const bool ok = a.found && a.ink_fraction >= min;
  Finding f = pass_fail(def, p, ok, "%", {"找到签名笔迹", "Signature ink found"},
                        {"未找到签名", "No signature found"},
                        {"请在白纸上用黑色签字笔签名后重新拍摄或扫描", "Sign on white paper with a black pen and photograph or scan it again"});
  f.value = a.ink_fraction;
  f.range = Range{min, std::nullopt};
  return f;
}

}  // namespace
}  // namespace idphoto::checks
