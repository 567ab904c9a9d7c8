#include "analysis/analysis.hpp"
#include "checks/finding_util.hpp"

namespace idphoto::checks {
namespace {
Finding run(const analysis::Analysis& a, const Params& p);
}

extern const CheckDef check_file_size;
const CheckDef check_file_size{
    .id = "photo.file.size",
    .kind = "photo",
    .title_zh = "文件大小",
    .title_en = "File size",
    .clause = "The file size lies in the portal's window (KB = 1024 bytes, inclusive)",
    .fixable = true,
    .params = {{"kb", ParamType::range, true,
                "allowed size in KB (1024 bytes), [lo, hi], null = open"}},
    .run = run,
    .unit = "KB",
};

namespace {

Finding run(const analysis::Analysis& a, const Params& p) {
  const double kb = static_cast<double>(a.image().bytes) / 1024.0;
  return range_finding(
      check_file_size, p, kb, "KB", p.range("kb"), Fmt::kb,
      {.ok = {"文件大小合格", "File size OK"},
       .too_low = {"文件太小", "File too small"},
       .too_high = {"文件太大", "File too large"},
       .what_zh = "文件大小为 ",
       .what_en = "the file is",
       .what_en_after = "",
       .hint_low = {"请用更高的质量保存照片，不要使用反复压缩过的图片",
                    "Save with a higher quality setting; do not use a heavily compressed copy"},
       .hint_high = {"请用较低的质量（更强的压缩）保存照片",
                     "Save with a lower quality setting (stronger compression)"}});
}

}  // namespace
}  // namespace idphoto::checks
