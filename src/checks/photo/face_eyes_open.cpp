#include <algorithm>
#include <cmath>
#include <cstdio>

#include "analysis/analysis.hpp"
#include "analysis/appearance.hpp"
#include "checks/finding_util.hpp"

namespace idphoto::checks {
namespace {
Finding run(const analysis::Analysis& a, const Params& p);
}

extern const CheckDef check_face_eyes_open;
const CheckDef check_face_eyes_open{
    .id = "photo.face.eyes_open",
    .kind = "photo",
    .title_zh = "双眼睁开",
    .title_en = "Eyes open",
    .clause = "Both eyes open: min over eyes of the max eyelid gap (landmarks 37-41, 38-40, 43-47, 44-46) / eye-to-chin distance (ISO/IEC 29794-5 eyes open); a wink fails",
    .fixable = false,
    .params = {{"min", ParamType::number, true, "smallest allowed eyelid gap / eye-to-chin distance"}},
    .run = run,
    .unit = "ratio of eye-chin distance",
};

namespace {

Finding run(const analysis::Analysis& a, const Params& p) {
  const CheckDef& d = check_face_eyes_open;
  if (!a.head()) return no_face(d, "ratio of eye-chin distance");
  const auto& ap = a.appearance();
  Finding f = make_finding(d, "ratio of eye-chin distance");
  const double lo = p.number("min", 0);
  f.value = ap.eye_openness;
  f.range = Range{lo, std::nullopt};
  if (ap.eye_openness >= lo) {
    f.status = Status::pass;
    f.message = {"双眼睁开：眼睑间距 " + fixed(ap.eye_openness, 3) + "（应不小于 " + fixed(lo, 3) + "）",
                 "Eyes open: eyelid gap " + fixed(ap.eye_openness, 3) + " (at least " + fixed(lo, 3) + ")"};
    return f;
  }
  const bool wink = std::max(ap.left_eye_open, ap.right_eye_open) >= lo;
  f.status = Status::fail;
  f.message = {std::string(wink ? "一只眼睛闭合（眨眼）" : "眼睛闭合或睁得不够") + "：眼睑间距 " +
                   fixed(ap.eye_openness, 3) + "，应不小于 " + fixed(lo, 3),
               std::string(wink ? "One eye is closed (wink)" : "Eyes closed or not open enough") +
                   ": eyelid gap " + fixed(ap.eye_openness, 3) + "; at least " + fixed(lo, 3)};
  f.hint = {"请自然睁开双眼，目视镜头", "Keep both eyes naturally open and look at the camera"};
  apply_severity(f, p);
  return f;
}

}  // namespace
}  // namespace idphoto::checks
