// Geometry end to end: the compliant sample moved, zoomed, padded and turned by known amounts fails
// exactly the expected check ids, and passes again once the change is undone.
#include <opencv2/imgproc.hpp>

#include "e2e/e2e_support.hpp"
#include "io/decode.hpp"
#include "io/encode.hpp"
#include "support/test_support.hpp"

using namespace idphoto;
using namespace idphoto::test;

namespace {

constexpr int W = 295, H = 413;

// A 295×413 JPEG at 300 dpi inside cn-1inch's 10–30 KB window, so that only geometry can fail.
std::vector<std::uint8_t> encode(const cv::Mat& bgr) {
  auto r = io::encode_jpeg_to_size(bgr, 10 * 1024, 30 * 1024, 300);
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  return std::move(r->bytes);
}

cv::Mat warp(const cv::Mat& src, const cv::Mat& m) {
  cv::Mat out;
  cv::warpAffine(src, out, m, src.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar::all(255));
  return out;
}

// Scale s about (px, py) in pixels, then translate by (dx, dy) pixels.
cv::Mat affine(double s, double px, double py, double dx, double dy) {
  return (cv::Mat_<double>(2, 3) << s, 0, px - s * px + dx, 0, s, py - s * py + dy);
}

cv::Mat inverse(const cv::Mat& m) {
  cv::Mat inv;
  cv::invertAffineTransform(m, inv);
  return inv;
}

cv::Mat sample() {
  auto img = io::decode(read_file(source_dir() / "samples/cn-1inch-obama.jpg"), Limits{});
  REQUIRE(img.ok());
  REQUIRE(img->bgr.cols == W);
  REQUIRE(img->bgr.rows == H);
  return img->bgr;
}

// The eye midpoint and crown of the untouched sample, in pixels (from its own report).
struct Anchor {
  double crown_y, eye_x, eye_y;
};

Anchor anchor(const Report& r) {
  const Finding* crown = r.find("photo.geometry.crown_margin");
  const Finding* eye = r.find("photo.geometry.eye_line");
  const Finding* centre = r.find("photo.geometry.centring");
  REQUIRE((crown && eye && centre && crown->value && eye->value && centre->value));
  return {*crown->value * H, (0.5 + *centre->value) * W, *eye->value * H};
}

// lost_bottom: the change pushes the chest out of the frame, so the undone picture has a white band
// where the clothes were and photo.clothing.contrast may rightly fail on it (nothing else may).
void expect_fails(const cv::Mat& m, const std::set<std::string>& expected, const char* what,
                  bool lost_bottom = false) {
  const cv::Mat src = sample();
  const cv::Mat moved = warp(src, m);
  const Report r = check_bytes(encode(moved));
  INFO(what << "\n" << describe(r));
  CHECK(failed_ids(r) == expected);
  // Undo the change on the changed picture: every check passes again.
  const Report back = check_bytes(encode(warp(moved, inverse(m))));
  INFO("undone: " << describe(back));
  auto back_failed = failed_ids(back);
  if (lost_bottom) back_failed.erase("photo.clothing.contrast");
  CHECK(back_failed.empty());
}

}  // namespace

TEST_CASE("the untouched sample, re-encoded, passes") {
  const Report r = check_bytes(encode(sample()));
  INFO(describe(r));
  CHECK(r.verdict() == Verdict::pass);
}

TEST_CASE("geometry changes fail exactly the checks they should") {
  const Report base = check_bytes(encode(sample()));
  REQUIRE(base.verdict() == Verdict::pass);
  const Anchor a = anchor(base);

  SUBCASE("moved right by 8% of the width: off centre") {
    expect_fails(affine(1, 0, 0, 0.08 * W, 0), {"photo.geometry.centring"}, "shift right");
  }
  SUBCASE("moved left by 8% of the width: off centre") {
    expect_fails(affine(1, 0, 0, -0.08 * W, 0), {"photo.geometry.centring"}, "shift left");
  }
  SUBCASE("moved down by 6% of the height: too much space above the head") {
    expect_fails(affine(1, 0, 0, 0, 0.06 * H), {"photo.geometry.crown_margin"}, "shift down", true);
  }
  SUBCASE("moved up by 7.5% of the height: the crown touches the top") {
    expect_fails(affine(1, 0, 0, 0, -0.075 * H), {"photo.geometry.crown_margin"}, "shift up", true);
  }
  SUBCASE("zoomed in by 12% about the crown: head too large") {
    expect_fails(affine(1.12, W / 2.0, a.crown_y, 0, 0), {"photo.geometry.head_height"}, "zoom in", true);
  }
  SUBCASE("padded to 80% about the crown: head, face and eye distance too small") {
    expect_fails(affine(0.80, W / 2.0, a.crown_y, 0, 0),
                 {"photo.geometry.head_height", "photo.geometry.face_width", "photo.face.ied",
                  "photo.clothing.contrast"},  // the white pad below the chin reads as clothing like the background
                 "pad", true);
  }
  SUBCASE("turned by 8 degrees about the eyes: head tilted") {
    const cv::Mat m = cv::getRotationMatrix2D(cv::Point2f(float(a.eye_x), float(a.eye_y)), 8.0, 1.0);
    expect_fails(m, {"photo.face.pose.roll"}, "rotate");
  }
}
