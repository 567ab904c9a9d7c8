#include <algorithm>
#include <cmath>
#include <map>

#include "checks/signature/signature_check_util.hpp"

namespace idphoto::checks {
namespace {
Finding run(const signature::InkAnalysis& a, const Params& p);
}

extern const CheckDef check_sig_ink_colour;
const CheckDef check_sig_ink_colour{
    .id = "signature.ink.colour",
    .kind = "signature",
    .title_zh = "笔迹颜色",
    .title_en = "Ink colour",
    .clause = "Black ink (白纸黑字); blue, red or green ink is reported, and turned black by clean",
    .fixable = true,
    .params = {{"allowed", ParamType::string_list, true, "ink colours accepted: black, blue, red, green, other"}},
    .run = nullptr,
    .unit = "",
    .run_signature = run,
};

namespace {

Finding run(const signature::InkAnalysis& a, const Params& p) {
  const CheckDef& def = check_sig_ink_colour;
  if (!a.found) return no_ink(def, "");
  const auto allowed = p.strings("allowed");
  const bool ok = std::find(allowed.begin(), allowed.end(), a.ink_colour) != allowed.end();
  static const std::map<std::string, std::string> zh = {{"black", "黑色"}, {"blue", "蓝色"}, {"red", "红色"}, {"green", "绿色"}, {"other", "彩色"}};
  const std::string czh = zh.count(a.ink_colour) ? zh.at(a.ink_colour) : a.ink_colour;
  Finding f = pass_fail(def, p, ok, "", {"笔迹颜色合格：" + czh, "Ink colour OK: " + a.ink_colour},
                        {"笔迹不是黑色：检测到" + czh + "笔迹，要求白纸黑字", "Ink is not black: " + a.ink_colour + " ink found; black on white is required"},
                        {"请用黑色笔签名，或用 `idphoto signature clean` 转为黑色", "Sign with black ink, or let `idphoto signature clean` turn it black"});
  f.value_text = a.ink_colour;
  return f;
}

}  // namespace
}  // namespace idphoto::checks
