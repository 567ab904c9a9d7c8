#include "analysis/analysis.hpp"
#include "checks/finding_util.hpp"

namespace idphoto::checks {
namespace {
Finding run(const analysis::Analysis& a, const Params& p);
}

extern const CheckDef check_face_pose_roll;
const CheckDef check_face_pose_roll{
    .id = "photo.face.pose.roll",
    .kind = "photo",
    .title_zh = "头部倾斜",
    .title_en = "Head tilt sideways (roll)",
    .clause = "Eye line tilted at most max_deg (ISO/IEC 19794-5; + = clockwise, right eye lower)",
    .fixable = true,
    .params = {{"max_deg", ParamType::number, true,
                "largest allowed |angle| in degrees; range is [-max_deg, max_deg]"}},
    .run = run,
    .unit = "deg",
};

namespace {

Finding run(const analysis::Analysis& a, const Params& p) {
  const analysis::Head* h = a.head();
  return signed_angle_finding(
      check_face_pose_roll, p, h ? &h->roll_deg : nullptr,
      {.ok = {"头部端正", "Head upright"},
       .too_low = {"头部向左（逆时针）倾斜", "Head tilted anticlockwise"},
       .too_high = {"头部向右（顺时针）倾斜", "Head tilted clockwise"},
       .what_zh = "倾斜角度为 ",
       .what_en = "the eye line is tilted",
       .what_en_after = "",
       .hint_low = {"请保持头部端正，双眼保持水平", "Keep your head upright with both eyes level"},
       .hint_high = {"请保持头部端正，双眼保持水平",
                     "Keep your head upright with both eyes level"}});
}

}  // namespace
}  // namespace idphoto::checks
