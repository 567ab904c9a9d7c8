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
    .clause = "Both eyes open: min over eyes of the max eyelid gap (landmarks 37-41, 38-40, 43-47, 44-46) / eye-to-chin distance (ISO/IEC 29794-5 eyes open), and neither eye closed by its look (a linear SVM on the eye's FHOG features, docs/decisions/0008); a wink fails",
    .fixable = false,
    .params = {{"min", ParamType::number, true, "smallest allowed eyelid gap / eye-to-chin distance"},
               {"max_closure", ParamType::number, false, "largest allowed eye-closure score of either eye (the model's decision value; 0 = its boundary, above = looks closed); absent: the gap alone decides"}},
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
  const bool by_look = p.has("max_closure");
  const double max_closure = p.number("max_closure", 0);
  const bool left_shut = ap.left_eye_open < lo || (by_look && ap.left_eye_closure > max_closure);
  const bool right_shut = ap.right_eye_open < lo || (by_look && ap.right_eye_closure > max_closure);
  const std::string look = by_look ? "; closure score " + fixed(std::max(ap.left_eye_closure, ap.right_eye_closure), 2) +
                                         " (at most " + fixed(max_closure, 2) + ")"
                                   : "";
  if (!left_shut && !right_shut) {
    f.status = Status::pass;
    f.message = {"双眼睁开：眼睑间距 " + fixed(ap.eye_openness, 3) + "（应不小于 " + fixed(lo, 3) + "）",
                 "Eyes open: eyelid gap " + fixed(ap.eye_openness, 3) + " (at least " + fixed(lo, 3) + ")" + look};
    return f;
  }
  // Which eye: the landmark predictor moves both eyelids together, so when the look tells one eye from
  // the other it names the shut one; otherwise the gaps do.
  const bool left_look = by_look && ap.left_eye_closure > max_closure;
  const bool right_look = by_look && ap.right_eye_closure > max_closure;
  const bool wink = left_look != right_look || (!left_look && !right_look && left_shut != right_shut);
  const bool left_named = left_look != right_look ? left_look : left_shut;
  const bool gap_ok = ap.eye_openness >= lo;
  f.status = Status::fail;
  const std::string which_zh = wink ? (left_named ? "（图像左侧）" : "（图像右侧）") : "";
  const std::string which_en = wink ? (left_named ? " (image-left eye)" : " (image-right eye)") : "";
  if (gap_ok)
    f.message = {std::string(wink ? "一只眼睛闭合（眨眼）" : "眼睛闭合或睁得不够") + which_zh + "：眼部外观呈闭眼状态",
                 std::string(wink ? "One eye is closed (wink)" : "Eyes closed or not open enough") + which_en +
                     ": the eye looks shut although the landmarks leave a gap of " + fixed(ap.eye_openness, 3) + look};
  else
    f.message = {std::string(wink ? "一只眼睛闭合（眨眼）" : "眼睛闭合或睁得不够") + which_zh + "：眼睑间距 " +
                     fixed(ap.eye_openness, 3) + "，应不小于 " + fixed(lo, 3),
                 std::string(wink ? "One eye is closed (wink)" : "Eyes closed or not open enough") + which_en +
                     ": eyelid gap " + fixed(ap.eye_openness, 3) + "; at least " + fixed(lo, 3) + look};
  f.hint = {"请自然睁开双眼，目视镜头", "Keep both eyes naturally open and look at the camera"};
  apply_severity(f, p);
  return f;
}

}  // namespace
}  // namespace idphoto::checks
