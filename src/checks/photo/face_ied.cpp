#include "analysis/analysis.hpp"
#include "checks/finding_util.hpp"

namespace idphoto::checks {
namespace {
Finding run(const analysis::Analysis& a, const Params& p);
}

extern const CheckDef check_face_ied;
const CheckDef check_face_ied{
    .id = "photo.face.ied",
    .kind = "photo",
    .title_zh = "双眼间距（像素）",
    .title_en = "Inter-eye distance (px)",
    .clause =
        "Distance between the eye centres in full-size pixels (ISO/IEC 19794-5: >= 90 px; PRC "
        "visa: > 60 px)",
    .fixable = false,
    .params = {{"range", ParamType::range, true, "allowed distance between eye centres in px"}},
    .run = run,
    .unit = "px",
};

namespace {

Finding run(const analysis::Analysis& a, const Params& p) {
  const analysis::Head* h = a.head();
  if (!h) return no_face(check_face_ied, "px");
  return range_finding(
      check_face_ied, p, h->ied_px, "px", p.range("range"), Fmt::px,
      {.ok = {"面部分辨率合格", "Face resolution OK"},
       .too_low = {"面部分辨率不足", "Face too small in pixels"},
       .too_high = {"双眼间距过大", "Eyes too far apart in pixels"},
       .what_zh = "双眼间距为 ",
       .what_en = "the eyes are",
       .what_en_after = " apart",
       .hint_low = {"请使用更高分辨率的照片，或靠近相机拍摄",
                    "Use a higher-resolution photo or move closer to the camera"},
       .hint_high = {"请缩小照片或扩大取景范围", "Use a smaller image or frame the photo wider"}});
}

}  // namespace
}  // namespace idphoto::checks
