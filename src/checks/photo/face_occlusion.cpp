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

extern const CheckDef check_face_occlusion;
const CheckDef check_face_occlusion{
    .id = "photo.face.occlusion",
    .kind = "photo",
    .title_zh = "面部无遮挡",
    .title_en = "Face not occluded",
    .clause = "Face fully visible (ISO/IEC 19794-5): fails when the jaw line (landmarks 0-16) runs past the photo's edge, or (colour photos) when a cheek's colour is far from the bare skin between the eyes (a mask or an object over it); otherwise, best effort, the share of the lower face (jaw hull, mouth excluded) that matches the cheek skin colour",
    .fixable = false,
    .params = {{"min_skin", ParamType::number, true, "smallest allowed skin share of the lower face"},
               {"max_outside", ParamType::number, false,
                "how far a jaw landmark may lie outside the photo before the face counts as cut off, as a share of the "
                "face width, default 0.01"},
               {"max_cheek_chroma", ParamType::number, false,
                "largest a*b* distance of a cheek from the skin between the eyes before the cheek counts as covered "
                "(colour photos), default 24"}},
    .run = run,
    .unit = "share",
};

namespace {

Finding run(const analysis::Analysis& a, const Params& p) {
  const CheckDef& d = check_face_occlusion;
  const analysis::Head* h = a.head();
  if (!h) return no_face(d, "share");
  // A face cut by the photo's edge is not fully visible, whatever the skin colour says: the landmarks
  // follow the visible part, so the skin share alone passes it. The jaw line carries the sides and the chin.
  const double w = a.width(), ht = a.height();
  double outside = 0;  // furthest a jaw landmark lies beyond the left, right or bottom edge, px
  int edge = -1;       // 0 left, 1 right, 2 bottom
  for (size_t i = 0; i <= 16; ++i) {
    const cv::Point2f q = h->landmarks[i];
    const double beyond[3] = {-static_cast<double>(q.x), q.x - (w - 1), q.y - (ht - 1)};
    for (int e = 0; e < 3; ++e)
      if (beyond[e] > outside) outside = beyond[e], edge = e;
  }
  if (edge >= 0 && outside / std::max(1.0, h->face_width_px) > p.number("max_outside", 0.01)) {
    static const char* const kEdgeZh[3] = {"左", "右", "下"};
    static const char* const kEdgeEn[3] = {"left", "right", "bottom"};
    const std::string by = format_value(outside / std::max(1.0, h->face_width_px), Fmt::percent);
    Finding f = make_finding(d, "share");  // no value: the skin share was not what decided
    f.status = Status::fail;
    f.message = {std::string("面部不完整：脸部轮廓超出照片") + kEdgeZh[edge] + "边缘（超出脸宽的 " + by + "）",
                 std::string("Face cut off: the jaw line runs past the photo's ") + kEdgeEn[edge] + " edge (by " + by +
                     " of the face width)"};
    f.hint = {"请让整个面部都在照片内，四周留出空间", "Keep the whole face inside the photo, with space around it"};
    apply_severity(f, p);
    return f;
  }
  const auto& ap = a.appearance();
  if (ap.cheek_nose_chroma > p.number("max_cheek_chroma", 24)) {
    Finding f = make_finding(d, "share");  // no value: the skin share was not what decided
    f.status = Status::fail;
    const std::string gap = fixed(ap.cheek_nose_chroma, 1);
    f.message = {"面部可能被遮挡：脸颊颜色与两眼之间的皮肤不同（色度差 " + gap + "）",
                 "Face may be occluded: a cheek's colour differs from the skin between the eyes (chroma distance " + gap +
                     ")"};
    f.hint = {"请露出完整面部，不要用手、口罩或物品遮挡", "Show the whole face: no hands, masks or objects in front of it"};
    apply_severity(f, p);
    return f;
  }
  if (!ap.cheek_lab || !ap.skin_model_ok)
    return not_assessed(d, "share", {"两侧脸颊颜色不一致，无法建立肤色模型判断遮挡",
                                     "The two cheeks disagree, so no skin model could be built to judge occlusion"});
  return range_finding(d, p, ap.skin_fraction, "share", Range{p.number("min_skin", 0), std::nullopt}, Fmt::percent,
                       {.ok = {"面部无遮挡", "Face not occluded"},
                        .too_low = {"面部可能被遮挡", "Face may be occluded"},
                        .too_high = {"面部无遮挡", "Face not occluded"},
                        .what_zh = "下半脸皮肤比例 ",
                        .what_en = "skin covers",
                        .what_en_after = " of the lower face",
                        .hint_low = {"请露出完整面部，不要用手、口罩或物品遮挡", "Show the whole face: no hands, masks or objects in front of it"},
                        .hint_high = {}});
}

}  // namespace
}  // namespace idphoto::checks
