// check --annotate: the drawing changes pixels exactly where the lines, bands and marks belong.
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "annotate.hpp"
#include "support/test_support.hpp"

using namespace idphoto;

namespace {

// Mean absolute difference between two same-size images along row y (all columns) or a rect.
double diff_in(const cv::Mat& a, const cv::Mat& b, const cv::Rect& r) {
  cv::Mat d;
  cv::absdiff(a(r), b(r), d);
  const cv::Scalar m = cv::mean(d);
  return (m[0] + m[1] + m[2]) / 3;
}

struct Drawn {
  cv::Mat before, after;
  PhotoOverlay o;
  Report r;
  double k = 1;
};

Drawn draw(const std::vector<std::uint8_t>& bytes, const Profile& profile) {
  auto engine = Engine::create();
  REQUIRE(engine);
  Drawn d;
  d.r = engine->check_photo(bytes, profile, "x");
  auto o = PhotoOverlay::of(*engine, bytes);
  REQUIRE(o);
  d.o = o.value();
  const cv::Mat bgr = cv::imdecode(bytes, cv::IMREAD_COLOR);
  REQUIRE(!bgr.empty());
  d.after = cli::draw_annotation(bgr, d.o, d.r, profile);
  d.k = static_cast<double>(d.after.cols) / bgr.cols;
  cv::resize(bgr, d.before, d.after.size(), 0, 0, cv::INTER_LINEAR);
  return d;
}

}  // namespace

TEST_CASE("annotation of the compliant sample: lines, bands and the mask outline change the pixels there") {
  const auto bytes = test::read_file(test::source_dir() / "samples/cn-1inch-obama.jpg");
  const Profile p = *Profile::builtin("cn-1inch");
  const Drawn d = draw(bytes, p);
  REQUIRE(d.o.landmarks.size() == 68);
  REQUIRE(d.o.crown_y);
  REQUIRE(d.o.chin_y);
  CHECK(d.after.cols >= 600);
  const int W = d.after.cols, H = d.after.rows;
  // Chin line: a full-width row.
  const int chin = cvRound(*d.o.chin_y * d.k);
  CHECK(diff_in(d.before, d.after, cv::Rect(W / 2, chin, W / 2 - 1, 1)) > 20);
  // Crown line.
  const int crown = cvRound(*d.o.crown_y * d.k);
  CHECK(diff_in(d.before, d.after, cv::Rect(W / 2, crown, W / 2 - 1, 1)) > 20);
  // The allowed bands are gauges in the right margin (crown margin 3–12 % of H, eye line 30–50 %) and
  // along the bottom (centring): the bars change the pixels there ...
  CHECK(diff_in(d.before, d.after, cv::Rect(W - 40, cvRound(0.05 * H), 30, 2)) > 5);
  CHECK(diff_in(d.before, d.after, cv::Rect(W - 19, cvRound(0.40 * H), 8, 4)) > 20);
  CHECK(diff_in(d.before, d.after, cv::Rect(W / 2 - 2, H - 6, 4, 4)) > 20);
  // ... and the photo itself is not tinted: inside the crown band, away from the margin and the lines,
  // and on the cheek inside the eye band, the pixels are the photo's.
  CHECK(diff_in(d.before, d.after, cv::Rect(W / 2 + W / 10, cvRound(0.05 * H), 20, 2)) < 2);
  const cv::Point cheek(cvRound((d.o.landmarks[2].first + d.o.landmarks[31].first) / 2 * d.k),
                        cvRound((d.o.landmarks[2].second + d.o.landmarks[31].second) / 2 * d.k));
  CHECK(diff_in(d.before, d.after, cv::Rect(cheek.x - 3, cheek.y - 8, 6, 4)) < 2);
  // A landmark dot (nose tip, 30).
  const cv::Point nose(cvRound(d.o.landmarks[30].first * d.k), cvRound(d.o.landmarks[30].second * d.k));
  CHECK(diff_in(d.before, d.after, cv::Rect(nose.x - 1, nose.y - 1, 3, 3)) > 20);
  // The background outline passes through some mask contour point.
  REQUIRE(!d.o.background_outline.empty());
  int changed = 0, n = 0;
  for (const auto& [x, y] : d.o.background_outline.front()) {
    const cv::Point q(std::clamp(cvRound(x * d.k), 0, W - 1), std::clamp(cvRound(y * d.k), 0, H - 1));
    ++n;
    changed += diff_in(d.before, d.after, cv::Rect(q, cv::Size(1, 1))) > 10;
  }
  CHECK(changed * 2 > n);
}

TEST_CASE("annotation marks a failing check where it is: closed eyes boxed in red") {
  auto data = test::shared_data();
  if (!data) return;
  const auto bytes = test::read_file(*data / "faces/yalefaces/subject09.sleepy.png");
  const Profile p = *Profile::builtin("cn-1inch");
  const Drawn d = draw(bytes, p);
  const Finding* f = d.r.find("photo.face.eyes_open");
  REQUIRE(f);
  REQUIRE(f->status == Status::fail);
  const PhotoOverlay::Region* eye = nullptr;
  for (const auto& r : d.o.regions)
    if (r.name == "eye_left") eye = &r;
  REQUIRE(eye);
  // The red box's left edge: red dominates there after drawing.
  const cv::Point q(cvRound(eye->x * d.k), cvRound((eye->y + eye->h / 2.0) * d.k));
  const cv::Vec3b px = d.after.at<cv::Vec3b>(q);
  CHECK(px[2] > 150);
  CHECK(px[2] > px[1] + 60);
  CHECK(diff_in(d.before, d.after, cv::Rect(q.x - 1, q.y - 1, 3, 3)) > 20);
}
