#include "analysis/analysis.hpp"
#include "checks/finding_util.hpp"

namespace idphoto::checks {
namespace {
Finding run(const analysis::Analysis& a, const Params& p);
}

extern const CheckDef check_face_pose_yaw;
const CheckDef check_face_pose_yaw{
    .id = "photo.face.pose.yaw",
    .kind = "photo",
    .title_zh = "脸部左右转动",
    .title_en = "Head turn (yaw)",
    .clause =
        "Face turned left/right at most max_deg (ISO/IEC 19794-5 frontal pose; + = towards the "
        "image right)",
    .fixable = false,
    .params = {{"max_deg", ParamType::number, true,
                "largest allowed |angle| in degrees; range is [-max_deg, max_deg]"}},
    .run = run,
    .unit = "deg",
};

namespace {

Finding run(const analysis::Analysis& a, const Params& p) {
  const analysis::Head* h = a.head();
  return signed_angle_finding(
      check_face_pose_yaw, p, h ? &h->yaw_deg : nullptr,
      {.ok = {"正脸", "Facing the camera"},
       .too_low = {"脸部偏向画面左侧", "Face turned towards the image left"},
       .too_high = {"脸部偏向画面右侧", "Face turned towards the image right"},
       .what_zh = "左右转动角度为 ",
       .what_en = "the head is turned",
       .what_en_after = "",
       .hint_low = {"请正对镜头，不要侧脸", "Face the camera squarely; do not turn your head"},
       .hint_high = {"请正对镜头，不要侧脸", "Face the camera squarely; do not turn your head"}});
}

}  // namespace
}  // namespace idphoto::checks
