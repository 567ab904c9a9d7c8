#include <algorithm>
#include <cmath>
#include <map>

#include "checks/signature/signature_check_util.hpp"

namespace idphoto::checks {
namespace {
Finding run(const signature::InkAnalysis& a, const Params& p);
}

extern const CheckDef check_sig_background_clean;
const CheckDef check_sig_background_clean{
    .id = "signature.background.clean",
    .kind = "signature",
    .title_zh = "背景干净",
    .title_en = "Clean background",
    .clause = "White paper with no ruled lines, box borders, shadows or paper edges (白纸)",
    .fixable = true,
    .params = {{"min_paper_grey", ParamType::number, true, "least median paper brightness (0..255)"}, {"max_spread", ParamType::number, true, "largest paper brightness spread (grey levels: shadows, gradients, texture)"}, {"max_lines", ParamType::number, true, "most ruled lines, borders or paper edges"}},
    .run = nullptr,
    .unit = "",
    .run_signature = run,
};

namespace {

Finding run(const signature::InkAnalysis& a, const Params& p) {
  const CheckDef& def = check_sig_background_clean;
  const double grey = p.number("min_paper_grey", 235), spread = p.number("max_spread", 10);
  const int lines = int(p.number("max_lines", 0));
  std::string why_zh, why_en;
  const std::string g = std::to_string(int(a.paper_grey)), sp = std::to_string(int(std::lround(a.paper_spread)));
  if (a.paper_grey < grey)
    why_zh += "纸面发灰或有阴影（纸面亮度中位数 " + g + "，应不小于 " + std::to_string(int(grey)) + "）；",
        why_en += "grey or shadowed paper (median " + g + "); ";
  if (a.paper_spread > spread)
    why_zh += "背景明暗不均（亮度起伏 " + sp + "，应不大于 " + std::to_string(int(spread)) + "）；",
        why_en += "uneven background (spread " + sp + "); ";
  if (a.lines_removed > lines)
    why_zh += "有 " + std::to_string(a.lines_removed) + " 条横线、框线或纸边；",
        why_en += std::to_string(a.lines_removed) + " ruled line(s), border(s) or paper edge(s); ";
  const bool ok = why_en.empty();
  if (!ok) why_en.resize(why_en.size() - 2), why_zh.resize(why_zh.size() - std::string("；").size());
  Finding f = pass_fail(def, p, ok, "", {"背景干净", "Background clean"},
                        {"背景不干净：" + why_zh, "Background not clean: " + why_en},
                        {"请用 `idphoto signature clean` 清理背景，或在无线白纸上重新签名", "Let `idphoto signature clean` clear the background, or sign on plain white paper"});
  f.value = a.paper_grey;
  return f;
}

}  // namespace
}  // namespace idphoto::checks
