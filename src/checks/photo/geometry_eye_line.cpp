#include "analysis/analysis.hpp"
#include "checks/finding_util.hpp"

namespace idphoto::checks {
namespace {
Finding run(const analysis::Analysis& a, const Params& p);
}

extern const CheckDef check_geometry_eye_line;
const CheckDef check_geometry_eye_line{
    .id = "photo.geometry.eye_line",
    .kind = "photo",
    .title_zh = "眼睛高度",
    .title_en = "Eye height",
    .clause =
        "Height of the eye midpoint from the top as a share of the photo height (ISO/IEC 19794-5 "
        "eye band)",
    .fixable = true,
    .params = {{"range", ParamType::range, true, "allowed eye_mid.y / H, measured from the top"}},
    .run = run,
    .unit = "ratio of height",
};

namespace {

Finding run(const analysis::Analysis& a, const Params& p) {
  const analysis::Head* h = a.head();
  if (!h) return no_face(check_geometry_eye_line, "ratio of height");
  return range_finding(
      check_geometry_eye_line, p, h->eye_mid.y / a.height(), "ratio of height", p.range("range"),
      Fmt::percent,
      {.ok = {"眼睛位置合格", "Eye position OK"},
       .too_low = {"眼睛位置过高", "Eyes too high in the photo"},
       .too_high = {"眼睛位置过低", "Eyes too low in the photo"},
       .what_zh = "双眼到照片上边缘的距离占照片高度的 ",
       .what_en = "the eyes are",
       .what_en_after = " of the photo height from the top",
       .hint_low = {"请调整裁剪，使眼睛位置低一些（头顶上方多留空间）",
                    "Crop so that the eyes sit lower (more space above the head)"},
       .hint_high = {"请调整裁剪，使眼睛位置高一些（头顶上方少留空间）",
                     "Crop so that the eyes sit higher (less space above the head)"}});
}

}  // namespace
}  // namespace idphoto::checks
