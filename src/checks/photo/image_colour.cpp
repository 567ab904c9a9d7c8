#include "analysis/analysis.hpp"
#include "checks/finding_util.hpp"

namespace idphoto::checks {
namespace {
Finding run(const analysis::Analysis& a, const Params& p);
}

extern const CheckDef check_image_colour;
const CheckDef check_image_colour{
    .id = "photo.image.colour",
    .kind = "photo",
    .title_zh = "彩色照片",
    .title_en = "Colour photo",
    .clause = "A colour photo is required (一寸彩色免冠照); stored grey or all-neutral pixels fail",
    .fixable = false,
    .params = {},
    .run = run,
    .unit = "mean chroma (0-255)",
};

namespace {

Finding run(const analysis::Analysis& a, const Params& p) {
  Finding f = make_finding(check_image_colour, "mean chroma (0-255)");
  f.value = a.mean_chroma();
  if (!a.is_greyscale()) {
    f.status = Status::pass;
    f.message = {"彩色照片", "Colour photo"};
    return f;
  }
  f.status = Status::fail;
  f.message = {"照片是黑白（灰度）的，应为彩色照片",
               "The photo is black and white (greyscale); a colour photo is required"};
  f.hint = {"请使用彩色原始照片，不要使用黑白滤镜",
            "Use the original colour photo, without a black-and-white filter"};
  apply_severity(f, p);
  return f;
}

}  // namespace
}  // namespace idphoto::checks
