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

extern const CheckDef check_image_sharpness;
const CheckDef check_image_sharpness{
    .id = "photo.image.sharpness",
    .kind = "photo",
    .title_zh = "清晰度",
    .title_en = "Sharpness",
    .clause = "Variance of the Laplacian over the inner face resized to an inter-eye distance of 64 px, so that small and large photos are judged alike (CPTA: 面容清晰, blurred photos rejected)",
    .fixable = false,
    .params = {{"min", ParamType::number, true, "smallest allowed Laplacian variance at IED 64 px"}},
    .run = run,
    .unit = "Laplacian variance",
};

namespace {

Finding run(const analysis::Analysis& a, const Params& p) {
  const CheckDef& d = check_image_sharpness;
  if (!a.head()) return no_face(d, "Laplacian variance");
  const auto& ap = a.appearance();
  return range_finding(d, p, ap.sharpness, "Laplacian variance", Range{p.number("min", 0), std::nullopt}, Fmt::chroma,
                       {.ok = {"照片清晰", "Sharp"},
                        .too_low = {"照片模糊", "Blurred"},
                        .too_high = {"照片清晰", "Sharp"},
                        .what_zh = "面部清晰度 ",
                        .what_en = "face sharpness",
                        .what_en_after = "",
                        .hint_low = {"请对焦后重新拍摄，不要使用放大或翻拍的照片",
                                     "Retake in focus; do not use an enlarged, re-photographed or low-resolution copy"},
                        .hint_high = {}});
}

}  // namespace
}  // namespace idphoto::checks
