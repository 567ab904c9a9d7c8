#include "analysis/analysis.hpp"
#include "checks/finding_util.hpp"

namespace idphoto::checks {
namespace {
Finding run(const analysis::Analysis& a, const Params& p);
}

extern const CheckDef check_geometry_crown_margin;
const CheckDef check_geometry_crown_margin{
    .id = "photo.geometry.crown_margin",
    .kind = "photo",
    .title_zh = "头顶留白",
    .title_en = "Space above the head",
    .clause =
        "Space between the top edge and the crown as a share of the photo height (GA 461: crown "
        "7-21 px of 441)",
    .fixable = true,
    .params = {{"range", ParamType::range, true, "allowed crown_y / H, measured from the top"}},
    .run = run,
    .unit = "ratio of height",
};

namespace {

Finding run(const analysis::Analysis& a, const Params& p) {
  const analysis::Head* h = a.head();
  if (!h) return no_face(check_geometry_crown_margin, "ratio of height");
  if (!h->crown_y)
    return not_assessed(
        check_geometry_crown_margin, "ratio of height",
        {"未能找到头顶（头发上沿），无法判断头顶留白",
         "The top of the head could not be found, so the space above the head was not assessed"});
  return range_finding(
      check_geometry_crown_margin, p, *h->crown_y / a.height(), "ratio of height", p.range("range"),
      Fmt::percent,
      {.ok = {"头顶留白合格", "Space above the head OK"},
       .too_low = {"头顶离上边缘太近", "Head too close to the top edge"},
       .too_high = {"头顶上方空白过多", "Too much space above the head"},
       .what_zh = "头顶以上的空白占照片高度的 ",
       .what_en = "the space above the head is",
       .what_en_after = " of the photo height",
       .hint_low = {"请在头顶上方留出更多空间，头发不能被裁掉",
                    "Leave more space above the head; the hair must not be cut off"},
       .hint_high = {"请减少头顶上方的留白", "Crop closer to the top of the head"}});
}

}  // namespace
}  // namespace idphoto::checks
