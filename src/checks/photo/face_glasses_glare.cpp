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

extern const CheckDef check_face_glasses_glare;
const CheckDef check_face_glasses_glare{
    .id = "photo.face.glasses_glare",
    .kind = "photo",
    .title_zh = "眼镜反光",
    .title_en = "Glasses glare",
    .clause = "Best effort: specular highlights (near-white, low-chroma blobs at least 20 levels brighter than the cheeks) on the spectacle-lens area around each eye; the eye opening (the white of the eye) is left out, and bright skin that runs out of the lens area is lighting, not glare (ISO/IEC 19794-5: no glare)",
    .fixable = false,
    .params = {{"max_blob_px", ParamType::number, true, "largest allowed specular blob in px at an inter-eye distance of 64 px"},
               {"assess_min_ied", ParamType::number, false, "smallest inter-eye distance in px at which highlights are judged (default 30)"}},
    .run = run,
    .unit = "px at IED 64",
};

namespace {

Finding run(const analysis::Analysis& a, const Params& p) {
  const CheckDef& d = check_face_glasses_glare;
  const auto* h = a.head();
  if (!h) return no_face(d, "px at IED 64");
  if (h->ied_px * a.image().scale < p.number("assess_min_ied", 30))
    return not_assessed(d, "px at IED 64", {"眼部分辨率太低，无法判断反光", "The eyes are too small in pixels to judge glare"});
  const auto& ap = a.appearance();
  return range_finding(d, p, ap.glare_blob_px, "px at IED 64", Range{std::nullopt, p.number("max_blob_px", 0)}, Fmt::px,
                       {.ok = {"眼部无明显反光", "No glare over the eyes"},
                        .too_low = {"眼部无明显反光", "No glare over the eyes"},
                        .too_high = {"眼镜或眼部有反光", "Glare over the eyes (glasses reflection)"},
                        .what_zh = "眼部最大高光面积 ",
                        .what_en = "largest highlight over the eyes is",
                        .what_en_after = "",
                        .hint_low = {},
                        .hint_high = {"请调整灯光角度或摘下眼镜，避免镜片反光", "Tilt the light or remove the glasses to avoid reflections"}});
}

}  // namespace
}  // namespace idphoto::checks
