#include <algorithm>
#include <cmath>
#include <map>

#include "checks/signature/signature_check_util.hpp"

namespace idphoto::checks {
namespace {
Finding run(const signature::InkAnalysis& a, const Params& p);
}

extern const CheckDef check_sig_file_format;
const CheckDef check_sig_file_format{
    .id = "signature.file.format",
    .kind = "signature",
    .title_zh = "文件格式",
    .title_en = "File format",
    .clause = "The file is in a format the portal accepts (detected from its bytes, not its name)",
    .fixable = true,
    .params = {{"allowed", ParamType::string_list, true, "accepted formats: jpeg, png, bmp, tiff, ..."}},
    .run = nullptr,
    .unit = "",
    .run_signature = run,
};

namespace {

Finding run(const signature::InkAnalysis& a, const Params& p) {
  const CheckDef& def = check_sig_file_format;
  const auto allowed = p.strings("allowed");
  const std::string fmt = a.image.format;
  bool ok = false;
  std::string list;
  for (const auto& s : allowed) {
    ok = ok || s == fmt;
    list += (list.empty() ? "" : ", ") + s;
  }
  Finding f = pass_fail(def, p, ok, "", {"文件格式合格：" + fmt, "File format OK: " + fmt},
                        {"文件格式不符：检测到 " + fmt + "，应为 " + list,
                         "Wrong file format: the file is " + fmt + "; allowed " + list},
                        {"请用 `idphoto signature clean` 生成 " + list + " 文件",
                         "Let `idphoto signature clean` write a " + list + " file"});
  f.value_text = fmt;
  return f;
}

}  // namespace
}  // namespace idphoto::checks
