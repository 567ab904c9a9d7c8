#include <algorithm>

#include "analysis/analysis.hpp"
#include "checks/finding_util.hpp"

namespace idphoto::checks {
namespace {
Finding run(const analysis::Analysis& a, const Params& p);
}

extern const CheckDef check_image_dpi;
const CheckDef check_image_dpi{
    .id = "photo.image.dpi",
    .kind = "photo",
    .title_zh = "分辨率（DPI）",
    .title_en = "Resolution (DPI)",
    .clause =
        "The density stored in the file (JFIF/EXIF/pHYs) lies in range; no density fails "
        "(CONTRACTS.md)",
    .fixable = true,
    .params = {{"range", ParamType::range, true, "allowed dots per inch (the smaller of x and y)"}},
    .run = run,
    .unit = "dpi",
};

namespace {

Finding run(const analysis::Analysis& a, const Params& p) {
  const Range r = p.range("range");
  const auto& dpi = a.image().dpi;
  if (!dpi) {
    Finding f = make_finding(check_image_dpi, "dpi");
    f.range = r;
    if (!r.lo && !r.hi) {
      f.status = Status::pass;
      f.message = {"文件未记录分辨率（不要求）", "The file records no resolution (not required)"};
      return f;
    }
    f.status = Status::fail;
    f.message = {
        "文件未记录分辨率（DPI），" + expect_zh(r, Fmt::dpi),
        "The file records no resolution (DPI); required " + format_range(r, Fmt::dpi, false)};
    f.hint = {"请用照片处理工具保存，以写入 " + format_range(r, Fmt::dpi, true) + " 的分辨率",
              "Save the photo with a tool that writes the resolution (" +
                  format_range(r, Fmt::dpi, false) + ")"};
    apply_severity(f, p);
    return f;
  }
  const double v = std::min((*dpi)[0], (*dpi)[1]);
  return range_finding(check_image_dpi, p, v, "dpi", r, Fmt::dpi,
                       {.ok = {"分辨率合格", "Resolution OK"},
                        .too_low = {"分辨率过低", "Resolution too low"},
                        .too_high = {"分辨率过高", "Resolution too high"},
                        .what_zh = "文件记录的分辨率为 ",
                        .what_en = "the file says",
                        .what_en_after = "",
                        .hint_low = {"请将分辨率设置为规定值后重新保存",
                                     "Set the resolution to the required value and save again"},
                        .hint_high = {"请将分辨率设置为规定值后重新保存",
                                      "Set the resolution to the required value and save again"}});
}

}  // namespace
}  // namespace idphoto::checks
