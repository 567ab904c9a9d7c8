#include "analysis/analysis.hpp"
#include "checks/finding_util.hpp"

namespace idphoto::checks {
namespace {
Finding run(const analysis::Analysis& a, const Params& p);
}

extern const CheckDef check_image_dimensions;
const CheckDef check_image_dimensions{
    .id = "photo.image.dimensions",
    .kind = "photo",
    .title_zh = "像素尺寸",
    .title_en = "Pixel dimensions",
    .clause = "Width and height in pixels, after EXIF orientation, lie in the profile's ranges",
    .fixable = true,
    .params = {{"width", ParamType::range, true, "allowed width in px, [lo, hi], null = open"},
               {"height", ParamType::range, true, "allowed height in px, [lo, hi], null = open"}},
    .run = run,
    .unit = "px",
};

namespace {

// One side's problem, or empty texts when it is within range.
LocalText side(const char* zh, const char* en, int v, const Range& r) {
  if (r.contains(v)) return {};
  return {std::string(zh) + " " + std::to_string(v) + " px，" + expect_zh(r, Fmt::px),
          std::string(en) + " is " + std::to_string(v) + " px (allowed " +
              format_range(r, Fmt::px, false) + ")"};
}

Finding run(const analysis::Analysis& a, const Params& p) {
  Finding f = make_finding(check_image_dimensions, "px");
  const int w = a.width(), h = a.height();
  f.value_text = std::to_string(w) + "x" + std::to_string(h);
  const Range rw = p.range("width"), rh = p.range("height");
  const LocalText sw = side("宽度", "width", w, rw), sh = side("高度", "height", h, rh);
  if (sw.en.empty() && sh.en.empty()) {
    f.status = Status::pass;
    f.message = {"像素尺寸合格：" + std::to_string(w) + "×" + std::to_string(h) + " px",
                 "Pixel dimensions OK: " + std::to_string(w) + "×" + std::to_string(h) + " px"};
    return f;
  }
  f.status = Status::fail;
  std::string zh = "像素尺寸不符：", en = "Wrong pixel dimensions: ";
  if (!sw.en.empty()) zh += sw.zh, en += sw.en;
  if (!sw.en.empty() && !sh.en.empty()) zh += "；", en += "; ";
  if (!sh.en.empty()) zh += sh.zh, en += sh.en;
  f.message = {zh, en};
  const bool too_small = (rw.lo && w < *rw.lo) || (rh.lo && h < *rh.lo);
  f.hint = too_small ? LocalText{"原图分辨率不足，不能放大：请使用更高分辨率的原始照片",
                                 "The photo is too small and must not be enlarged: use a "
                                 "higher-resolution original"}
                     : LocalText{"请将照片裁剪并缩放到规定的像素尺寸",
                                 "Crop and resize the photo to the required pixel size"};
  apply_severity(f, p);
  return f;
}

}  // namespace
}  // namespace idphoto::checks
