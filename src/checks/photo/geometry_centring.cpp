#include "analysis/analysis.hpp"
#include "checks/finding_util.hpp"

namespace idphoto::checks {
namespace {
Finding run(const analysis::Analysis& a, const Params& p);
}

extern const CheckDef check_geometry_centring;
const CheckDef check_geometry_centring{
    .id = "photo.geometry.centring",
    .kind = "photo",
    .title_zh = "左右居中",
    .title_en = "Horizontal centring",
    .clause =
        "Offset of the face centre line from the image centre as a share of the width, signed (+ = "
        "right)",
    .fixable = true,
    .params = {{"range", ParamType::range, true, "allowed (centre_x - W/2) / W, signed"}},
    .run = run,
    .unit = "ratio of width",
};

namespace {

Finding run(const analysis::Analysis& a, const Params& p) {
  const analysis::Head* h = a.head();
  if (!h) return no_face(check_geometry_centring, "ratio of width");
  return range_finding(
      check_geometry_centring, p, (h->centre_x - a.width() / 2.0) / a.width(), "ratio of width",
      p.range("range"), Fmt::signed_percent,
      {.ok = {"人像居中", "Face centred"},
       .too_low = {"人像偏左", "Face left of centre"},
       .too_high = {"人像偏右", "Face right of centre"},
       .what_zh = "脸部中线相对照片中线的偏移占照片宽度的 ",
       .what_en = "the face centre is off by",
       .what_en_after = " of the photo width",
       .hint_low = {"请使人像在照片中左右居中", "Centre the face horizontally in the photo"},
       .hint_high = {"请使人像在照片中左右居中", "Centre the face horizontally in the photo"}});
}

}  // namespace
}  // namespace idphoto::checks
