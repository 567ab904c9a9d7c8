#include "analysis/analysis.hpp"
#include "checks/finding_util.hpp"

namespace idphoto::checks {
namespace {
Finding run(const analysis::Analysis& a, const Params& p);
}

extern const CheckDef check_geometry_face_width;
const CheckDef check_geometry_face_width{
    .id = "photo.geometry.face_width",
    .kind = "photo",
    .title_zh = "脸部宽度",
    .title_en = "Face width",
    .clause =
        "Face width at cheek level (jaw contour) as a share of the photo width (GA 461: 207 +/- 14 "
        "px of 358)",
    .fixable = true,
    .params = {{"range", ParamType::range, true, "allowed face_width_px / W"}},
    .run = run,
    .unit = "ratio of width",
};

namespace {

Finding run(const analysis::Analysis& a, const Params& p) {
  const analysis::Head* h = a.head();
  if (!h) return no_face(check_geometry_face_width, "ratio of width");
  return range_finding(
      check_geometry_face_width, p, h->face_width_px / a.width(), "ratio of width",
      p.range("range"), Fmt::percent,
      {.ok = {"脸部宽度合格", "Face width OK"},
       .too_low = {"脸部过窄（人像过小）", "Face too narrow (too small in the photo)"},
       .too_high = {"脸部过宽（人像过大）", "Face too wide (too large in the photo)"},
       .what_zh = "脸宽占照片宽度的 ",
       .what_en = "the face is",
       .what_en_after = " of the photo width",
       .hint_low = {"请缩小取景范围或靠近相机", "Crop tighter or move closer to the camera"},
       .hint_high = {"请扩大取景范围或离相机远一些", "Crop wider or step back from the camera"}});
}

}  // namespace
}  // namespace idphoto::checks
