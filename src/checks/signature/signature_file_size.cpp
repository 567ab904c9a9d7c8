#include <algorithm>
#include <cmath>
#include <map>

#include "checks/signature/signature_check_util.hpp"

namespace idphoto::checks {
namespace {
Finding run(const signature::InkAnalysis& a, const Params& p);
}

extern const CheckDef check_sig_file_size;
const CheckDef check_sig_file_size{
    .id = "signature.file.size",
    .kind = "signature",
    .title_zh = "文件大小",
    .title_en = "File size",
    .clause = "The file size lies in the portal's window (KB = 1024 bytes, inclusive)",
    .fixable = true,
    .params = {{"kb", ParamType::range, true, "allowed size in KB (1024 bytes), [lo, hi], null = open"}},
    .run = nullptr,
    .unit = "KB",
    .run_signature = run,
};

namespace {

Finding run(const signature::InkAnalysis& a, const Params& p) {
  const CheckDef& def = check_sig_file_size;
  const double kb = static_cast<double>(a.image.bytes) / 1024.0;
  return range_finding(def, p, kb, "KB", p.range("kb"), Fmt::kb,
                       {.ok = {"文件大小合格", "File size OK"},
                        .too_low = {"文件太小", "File too small"},
                        .too_high = {"文件太大", "File too large"},
                        .what_zh = "文件大小为 ",
                        .what_en = "the file is",
                        .what_en_after = "",
                        .hint_low = {"请用更高的质量保存", "Save with a higher quality"},
                        .hint_high = {"请用较低的质量保存", "Save with a lower quality"}});
}

}  // namespace
}  // namespace idphoto::checks
