#include "analysis/analysis.hpp"
#include "checks/finding_util.hpp"

namespace idphoto::checks {
namespace {
Finding run(const analysis::Analysis& a, const Params& p);
}

extern const CheckDef check_geometry_head_height;
const CheckDef check_geometry_head_height{
    .id = "photo.geometry.head_height",
    .kind = "photo",
    .title_zh = "头部大小",
    .title_en = "Head size",
    .clause =
        "Crown (top of hair) to chin as a share of the photo height (CPTA: head about 2/3 of the "
        "photo)",
    .fixable = true,
    .params = {{"range", ParamType::range, true, "allowed (chin_y - crown_y) / H"}},
    .run = run,
    .unit = "ratio of height",
};

namespace {

Finding run(const analysis::Analysis& a, const Params& p) {
  const analysis::Head* h = a.head();
  if (!h) return no_face(check_geometry_head_height, "ratio of height");
  if (!h->crown_y)
    return not_assessed(check_geometry_head_height, "ratio of height",
                        {"未能找到头顶（头发上沿），无法判断头部大小",
                         "The top of the head could not be found, so head size was not assessed"});
  return range_finding(
      check_geometry_head_height, p, (h->chin_y - *h->crown_y) / a.height(), "ratio of height",
      p.range("range"), Fmt::percent,
      {.ok = {"头部大小合格", "Head size OK"},
       .too_low = {"头部过小", "Head too small"},
       .too_high = {"头部过大", "Head too large"},
       .what_zh = "头顶到下巴占照片高度的 ",
       .what_en = "crown to chin is",
       .what_en_after = " of the photo height",
       .hint_low = {"请缩小取景范围或靠近相机", "Crop tighter or move closer to the camera"},
       .hint_high = {"请扩大取景范围或离相机远一些", "Crop wider or step back from the camera"}});
}

}  // namespace
}  // namespace idphoto::checks
