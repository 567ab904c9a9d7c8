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

extern const CheckDef check_image_compression;
const CheckDef check_image_compression{
    .id = "photo.image.compression",
    .kind = "photo",
    .title_zh = "压缩质量",
    .title_en = "Compression",
    .clause = "JPEG quality estimated from the luminance quantisation table against the IJG standard table (quality = 50 at scale 100 %); heavy compression is a warning",
    .fixable = false,
    .params = {{"min_quality", ParamType::number, true, "smallest estimated IJG quality (1-100) before a warning"}},
    .run = run,
    .unit = "JPEG quality",
};

namespace {

// IJG / ITU-T T.81 Annex K luminance table, natural order.
constexpr int kStd[64] = {16, 11, 10, 16, 24,  40,  51,  61,  12, 12, 14, 19, 26,  58,  60,  55,
                          14, 13, 16, 24, 40,  57,  69,  56,  14, 17, 22, 29, 51,  87,  80,  62,
                          18, 22, 37, 56, 68,  109, 103, 77,  24, 35, 55, 64, 81,  104, 113, 92,
                          49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99};

Finding run(const analysis::Analysis& a, const Params& p) {
  const CheckDef& d = check_image_compression;
  const auto& img = a.image();
  if (!img.has_qtable)
    return not_assessed(d, "JPEG quality", {"非 JPEG 文件，无压缩质量可估计", "Not a JPEG file: no compression quality to estimate"});
  double scale = 0;
  int n = 0;
  for (int i = 0; i < 64; ++i) {
    if (img.luma_qtable[static_cast<size_t>(i)] <= 1 && kStd[i] * 0.005 < 1) continue;
    scale += 100.0 * img.luma_qtable[static_cast<size_t>(i)] / kStd[i];
    ++n;
  }
  if (n == 0) return not_assessed(d, "JPEG quality", {"量化表为空", "Empty quantisation table"});
  scale /= n;
  double q = scale <= 100 ? (200 - scale) / 2 : 5000 / scale;
  if (scale < 1.0) q = 100;
  q = std::clamp(q, 1.0, 100.0);
  Finding f = range_finding(d, p, std::round(q), "JPEG quality", Range{p.number("min_quality", 0), std::nullopt}, Fmt::count,
                            {.ok = {"压缩质量合格", "Compression OK"},
                             .too_low = {"压缩过度，可能有明显压缩痕迹", "Heavy JPEG compression: visible artefacts likely"},
                             .too_high = {"压缩质量合格", "Compression OK"},
                             .what_zh = "估计 JPEG 质量 ",
                             .what_en = "estimated JPEG quality",
                             .what_en_after = "",
                             .hint_low = {"请用较高质量保存原始照片，不要反复压缩", "Save the original with a higher quality; do not re-compress repeatedly"},
                             .hint_high = {}});
  if (f.status == Status::fail) f.status = Status::warn;
  return f;
}

}  // namespace
}  // namespace idphoto::checks
