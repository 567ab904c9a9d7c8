#include "analysis/analysis.hpp"
#include "checks/finding_util.hpp"

namespace idphoto::checks {
namespace {
Finding run(const analysis::Analysis& a, const Params& p);
}

extern const CheckDef check_face_pose_pitch;
const CheckDef check_face_pose_pitch{
    .id = "photo.face.pose.pitch",
    .kind = "photo",
    .title_zh = "抬头/低头",
    .title_en = "Head tilt up/down (pitch)",
    .clause = "Chin raised or lowered at most max_deg (ISO/IEC 19794-5 frontal pose; + = chin up)",
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
      check_face_pose_pitch, p, h ? &h->pitch_deg : nullptr,
      {.ok = {"平视镜头", "Looking straight ahead"},
       .too_low = {"低头", "Chin lowered"},
       .too_high = {"抬头", "Chin raised"},
       .what_zh = "俯仰角度为 ",
       .what_en = "the head is tilted",
       .what_en_after = "",
       .hint_low = {"请稍微抬头，平视镜头",
                    "Raise your chin slightly and look straight into the camera"},
       .hint_high = {"请稍微低头，平视镜头",
                     "Lower your chin slightly and look straight into the camera"}});
}

}  // namespace
}  // namespace idphoto::checks
