#include <algorithm>

#include "analysis/analysis.hpp"
#include "checks/finding_util.hpp"

namespace idphoto::checks {
namespace {
Finding run(const analysis::Analysis& a, const Params& p);
}

extern const CheckDef check_face_count;
const CheckDef check_face_count{
    .id = "photo.face.count",
    .kind = "photo",
    .title_zh = "人脸数量",
    .title_en = "Number of faces",
    .clause =
        "Exactly one person: faces at least min_relative_width of the largest face's width are "
        "counted",
    .fixable = false,
    .params = {{"range", ParamType::range, false, "allowed number of faces, default [1, 1]"},
               {"min_relative_width", ParamType::number, false,
                "a face counts when its box is at least this fraction of the largest box's width, "
                "default 0.5"}},
    .run = run,
    .unit = "faces",
};

namespace {

Finding run(const analysis::Analysis& a, const Params& p) {
  const Range r = p.has("range") ? p.range("range") : Range{1.0, 1.0};
  const double rel = p.number("min_relative_width", 0.5);
  const auto& faces = a.faces();
  float largest = 0;
  for (const auto& d : faces) largest = std::max(largest, d.box.width);
  int n = 0;
  for (const auto& d : faces)
    if (d.box.width >= rel * largest) ++n;
  if (n == 0) {
    Finding f = make_finding(check_face_count, "faces");
    f.value = 0;
    f.range = r;
    f.status = r.contains(0) ? Status::pass : Status::fail;
    f.message = {"未检测到人脸", "No face was found"};
    if (f.status == Status::fail)
      f.hint = {"请使用正面、清晰、光线充足的免冠照片",
                "Use a clear, well-lit photo of your face looking straight at the camera"};
    apply_severity(f, p);
    return f;
  }
  return range_finding(
      check_face_count, p, n, "faces", r, Fmt::count,
      {.ok = {"人脸数量合格", "Number of faces OK"},
       .too_low = {"人脸数量不足", "Too few faces"},
       .too_high = {"照片中有多张人脸", "More than one face in the photo"},
       .what_zh = "检测到的人脸数为 ",
       .what_en = "faces found:",
       .what_en_after = "",
       .hint_low = {"请使用正面、清晰的免冠照片",
                    "Use a clear photo of your face looking at the camera"},
       .hint_high = {"照片中只能有申请人本人", "Only the applicant may appear in the photo"}});
}

}  // namespace
}  // namespace idphoto::checks
