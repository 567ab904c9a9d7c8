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

extern const CheckDef check_face_mouth_closed;
const CheckDef check_face_mouth_closed{
    .id = "photo.face.mouth_closed",
    .kind = "photo",
    .title_zh = "嘴巴闭合",
    .title_en = "Mouth closed",
    .clause = "Neutral expression with the mouth closed: max inner-lip gap (landmarks 61-67, 62-66, 63-65) / eye-to-chin distance (ISO/IEC 29794-5 mouth closed)",
    .fixable = false,
    .params = {{"max", ParamType::number, true, "largest allowed inner-lip gap / eye-to-chin distance"}},
    .run = run,
    .unit = "ratio of eye-chin distance",
};

namespace {

Finding run(const analysis::Analysis& a, const Params& p) {
  const CheckDef& d = check_face_mouth_closed;
  if (!a.head()) return no_face(d, "ratio of eye-chin distance");
  const auto& ap = a.appearance();
  Finding f = make_finding(d, "ratio of eye-chin distance");
  const double hi = p.number("max", 1);
  f.value = ap.mouth_openness;
  f.range = Range{std::nullopt, hi};
  if (ap.mouth_openness <= hi) {
    f.status = Status::pass;
    f.message = {"嘴巴闭合：唇间距 " + fixed(ap.mouth_openness, 3) + "（应不大于 " + fixed(hi, 3) + "）",
                 "Mouth closed: lip gap " + fixed(ap.mouth_openness, 3) + " (at most " + fixed(hi, 3) + ")"};
    return f;
  }
  f.status = Status::fail;
  f.message = {"嘴巴张开（露齿或张嘴）：唇间距 " + fixed(ap.mouth_openness, 3) + "，应不大于 " + fixed(hi, 3),
               "Mouth open (teeth showing or mouth open): lip gap " + fixed(ap.mouth_openness, 3) +
                   "; at most " + fixed(hi, 3)};
  f.hint = {"请保持自然表情，嘴巴闭合，不要露齿", "Keep a neutral expression with the mouth closed"};
  apply_severity(f, p);
  return f;
}

}  // namespace
}  // namespace idphoto::checks
