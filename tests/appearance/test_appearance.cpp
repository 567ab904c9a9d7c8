// Appearance checks on the committed sample and on controlled edits of it, and on labelled real photos.
#include <memory>
#include <string>
#include <vector>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "analysis/analysis.hpp"
#include "analysis/appearance.hpp"
#include "idphoto/idphoto.hpp"
#include "core/engine_impl.hpp"
#include "face/eye_closure.hpp"
#include "io/decode.hpp"
#include "support/test_support.hpp"

using namespace idphoto;

namespace {

const Engine& engine() {
  static const Engine e = [] {
    auto r = Engine::create();
    REQUIRE(r);
    return std::move(r.value());
  }();
  return e;
}

Report check_bytes(const std::vector<std::uint8_t>& bytes) {
  return engine().check_photo(bytes, *Profile::builtin("cn-1inch"), "x");
}

Report check_mat(const cv::Mat& bgr, int quality = 95) {
  std::vector<std::uint8_t> out;
  cv::imencode(".jpg", bgr, out, {cv::IMWRITE_JPEG_QUALITY, quality});
  return check_bytes(out);
}

Status status(const Report& r, std::string_view id) {
  const Finding* f = r.find(id);
  REQUIRE_MESSAGE(f != nullptr, id);
  return f->status;
}

cv::Mat sample() { return cv::imread((test::source_dir() / "samples/cn-1inch-obama.jpg").string(), cv::IMREAD_COLOR); }

// The library's analysis of the committed sample, with the engine's models.
std::unique_ptr<analysis::Analysis> analyse_sample() {
  auto d = io::decode(test::read_file(test::source_dir() / "samples/cn-1inch-obama.jpg"), Limits{});
  REQUIRE(d);
  auto models = face::FaceModels::load(engine().impl().landmark_model_path);
  REQUIRE(models);
  return std::make_unique<analysis::Analysis>(std::move(d.value()), models.value());
}

const std::vector<std::string> kAppearanceIds = {
    "photo.face.eyes_open",        "photo.background.colour", "photo.background.uniformity",
    "photo.background.shadow",     "photo.light.exposure",    "photo.light.uniformity",
    "photo.image.sharpness",       "photo.image.colour_cast", "photo.image.compression",
    "photo.clothing.contrast",     "photo.face.glasses_glare", "photo.face.headwear",
    "photo.face.occlusion"};

}  // namespace

TEST_CASE("the compliant sample passes every appearance check (mouth_closed aside: it smiles with teeth)") {
  const Report r = check_bytes(test::read_file(test::source_dir() / "samples/cn-1inch-obama.jpg"));
  for (const auto& id : kAppearanceIds) CHECK_MESSAGE(status(r, id) == Status::pass, id);
}

TEST_CASE("the appearance is computed once per image and reused") {
  const auto owner = analyse_sample();
  const analysis::Analysis& a = *owner;
  const analysis::Appearance* first = &a.appearance();
  CHECK(first == &a.appearance());
  CHECK(first->background_ok);
  CHECK(first->face.pixels > 1000);
  CHECK(first->cheek_lab.has_value());
}

TEST_CASE("a blue background fails the colour check of a white-background profile") {
  cv::Mat img = sample();
  cv::Mat hsv;
  // Replace the near-white wall with the profile's blue.
  cv::Mat wall;
  cv::inRange(img, cv::Scalar(225, 225, 225), cv::Scalar(255, 255, 255), wall);
  cv::Mat top = wall.clone();
  top.rowRange(img.rows / 2, img.rows).setTo(0);  // leave the shirt alone
  img.setTo(cv::Scalar(0xDB, 0x8E, 0x43), top);
  const Report r = check_mat(img);
  CHECK(status(r, "photo.background.colour") == Status::fail);
}

TEST_CASE("a busy background fails the colour check when its top corners are not white, else it is not assessed") {
  const cv::Mat img = sample();
  cv::Mat wall;
  cv::inRange(img, cv::Scalar(225, 225, 225), cv::Scalar(255, 255, 255), wall);
  wall.rowRange(img.rows / 2, img.rows).setTo(0);  // leave the shirt alone
  // Stripes every 6 px over the wall: no plain border is left, so there is no background mask.
  auto striped = [&](const cv::Scalar& ground, const cv::Scalar& stripe) {
    cv::Mat m = img.clone();
    m.setTo(ground, wall);
    cv::Mat lines = cv::Mat::zeros(img.size(), CV_8U);
    for (int y = 0; y < lines.rows; y += 6) cv::line(lines, {0, y}, {lines.cols - 1, y + lines.cols / 3}, 255, 2);
    m.setTo(stripe, lines & wall);
    return check_mat(m);
  };
  const Report dark_red = striped(cv::Scalar(40, 50, 150), cv::Scalar(20, 120, 40));
  REQUIRE(dark_red.find("photo.background.colour"));
  CHECK(status(dark_red, "photo.background.uniformity") == Status::fail);
  CHECK(status(dark_red, "photo.background.colour") == Status::fail);
  CHECK(dark_red.find("photo.background.colour")->message.en.find("not plain") != std::string::npos);
  // White with dark lines: the corners' median is white, the colour cannot be told.
  const Report lined_white = striped(cv::Scalar(250, 250, 250), cv::Scalar(60, 60, 60));
  CHECK(status(lined_white, "photo.background.uniformity") == Status::fail);
  CHECK(status(lined_white, "photo.background.colour") == Status::not_assessed);
}

// Paints the eye opening (landmarks first..first+5, widened) with the skin just below it and draws a dark,
// slightly curved lash line along the lower lid: a shut eye.
void shut_eye(cv::Mat& img, const face::Landmarks68& lm, int first) {
  std::vector<cv::Point> opening;
  for (int i = first; i < first + 6; ++i) opening.emplace_back(cvRound(lm[static_cast<size_t>(i)].x), cvRound(lm[static_cast<size_t>(i)].y));
  const cv::Rect box = cv::boundingRect(opening);
  const cv::Rect below(box.x, box.br().y + box.height, box.width, std::max(2, box.height / 2));
  const cv::Scalar skin = cv::mean(img(below));
  cv::Mat mask = cv::Mat::zeros(img.size(), CV_8U);
  cv::fillConvexPoly(mask, opening, 255);
  cv::dilate(mask, mask, cv::getStructuringElement(cv::MORPH_ELLIPSE, {7, 7}));
  img.setTo(skin, mask);
  const cv::Point c0 = opening[0], c1 = opening[3];
  const cv::Point mid((c0.x + c1.x) / 2, std::max(c0.y, c1.y) + box.height / 3);
  std::vector<cv::Point> lash = {c0, mid, c1};
  cv::polylines(img, lash, false, cv::Scalar(40, 35, 30), 2, cv::LINE_AA);
}

TEST_CASE("eye closure: the sample's open eyes score below the model's boundary, shut eyes above; a wink fails") {
  const auto owner = analyse_sample();
  const analysis::Head& h = *owner->head();
  const face::Landmarks68& lm = h.landmarks;  // the sample decodes at full size
  cv::Mat grey;
  cv::cvtColor(sample(), grey, cv::COLOR_BGR2GRAY);
  const auto open = face::eye_closure_scores(grey, lm);
  CHECK(open[0] < -0.5);
  CHECK(open[1] < -0.5);
  CHECK(owner->appearance().left_eye_closure == doctest::Approx(open[0]).epsilon(0.05));

  cv::Mat both = sample();
  shut_eye(both, lm, 36);
  shut_eye(both, lm, 42);
  cv::Mat both_grey;
  cv::cvtColor(both, both_grey, cv::COLOR_BGR2GRAY);
  const auto shut = face::eye_closure_scores(both_grey, lm);  // same landmarks: the look alone decides
  MESSAGE("closure scores open " << open[0] << " / " << open[1] << ", shut " << shut[0] << " / " << shut[1]);
  CHECK(shut[0] > 0);
  CHECK(shut[1] > 0);
  CHECK(status(check_mat(both), "photo.face.eyes_open") == Status::fail);

  cv::Mat wink = sample();
  shut_eye(wink, lm, 42);
  const Report r = check_mat(wink);
  CHECK(status(r, "photo.face.eyes_open") == Status::fail);
  MESSAGE(r.find("photo.face.eyes_open")->message.en);
  CHECK(r.find("photo.face.eyes_open")->message.en.find("wink") != std::string::npos);
  CHECK(r.find("photo.face.eyes_open")->message.en.find("image-right eye") != std::string::npos);
}

TEST_CASE("a dark photo fails exposure; side light fails illumination uniformity") {
  cv::Mat img = sample();
  cv::Mat dark;
  img.convertTo(dark, -1, 0.18, 0);
  CHECK(status(check_mat(dark), "photo.light.exposure") == Status::fail);

  cv::Mat side = img.clone();
  cv::Mat half = side.colRange(0, side.cols / 2);
  half.convertTo(half, -1, 0.35, 0);
  CHECK(status(check_mat(side), "photo.light.uniformity") == Status::fail);
}

TEST_CASE("under-exposure is counted above the nose base: a dark beard passes, a dark band over the eyes fails") {
  const auto owner = analyse_sample();
  const analysis::Head& h = *owner->head();
  auto pt = [&](int i) { return cv::Point(cvRound(h.landmarks[static_cast<size_t>(i)].x), cvRound(h.landmarks[static_cast<size_t>(i)].y)); };
  const int nose_base = pt(33).y;
  // The jaw below the nose base painted near-black (luminance < 25): a full dark beard, a third of the face.
  cv::Mat beard = sample();
  std::vector<cv::Point> jaw;
  for (int i = 2; i <= 14; ++i) jaw.push_back(pt(i));
  cv::Mat jaw_mask = cv::Mat::zeros(beard.size(), CV_8U);
  cv::fillPoly(jaw_mask, std::vector<std::vector<cv::Point>>{jaw}, 255);
  jaw_mask.rowRange(0, nose_base + 1).setTo(0);
  REQUIRE(cv::countNonZero(jaw_mask) > 2000);
  beard.setTo(cv::Scalar(12, 14, 16), jaw_mask);
  const Report bearded = check_mat(beard);
  CHECK(status(bearded, "photo.light.exposure") == Status::pass);
  // The photo above the nose base darkened to a tenth (the face stays detectable): under-exposure.
  cv::Mat band = sample();
  cv::Mat upper = band.rowRange(0, nose_base);
  upper.convertTo(upper, -1, 0.1, 0);
  const Report dark_eyes = check_mat(band);
  REQUIRE(status(dark_eyes, "photo.face.count") == Status::pass);
  CHECK(status(dark_eyes, "photo.light.exposure") == Status::fail);
}

TEST_CASE("illumination uniformity is the darker half's brightness over the brighter's (decision 0005)") {
  const cv::Mat img = sample();
  auto darken_left = [&](double k) {
    cv::Mat m = img.clone();
    cv::Mat half = m.colRange(0, m.cols / 2);
    half.convertTo(half, -1, k, 0);
    return check_mat(m);
  };
  const Finding* even = nullptr;
  const Report r0 = check_mat(img);
  for (const auto& f : r0.findings)
    if (f.id == "photo.light.uniformity") even = &f;
  REQUIRE(even);
  REQUIRE(even->value);
  CHECK(*even->value > 0.8);  // the sample is lit evenly
  CHECK(even->unit == "ratio");
  // A mild difference passes although the halves' histograms already overlap little.
  CHECK(status(darken_left(0.9), "photo.light.uniformity") == Status::pass);
  const Report strong = darken_left(0.5);
  for (const auto& f : strong.findings) {
    if (f.id != "photo.light.uniformity") continue;
    CHECK(f.status == Status::fail);
    REQUIRE(f.value);
    CHECK(*f.value < 0.6);
    CHECK(f.message.en.find("image-left half darker") != std::string::npos);
    CHECK(f.message.en.find("as bright as the other") != std::string::npos);
  }
}

TEST_CASE("blur fails sharpness; a blue cast fails natural colour; heavy JPEG compression warns") {
  cv::Mat img = sample();
  cv::Mat blurred;
  cv::GaussianBlur(img, blurred, cv::Size(0, 0), 3.0);
  CHECK(status(check_mat(blurred), "photo.image.sharpness") == Status::fail);

  cv::Mat cast = img.clone();
  std::vector<cv::Mat> ch;
  cv::split(cast, ch);
  ch[0] += cv::Scalar(60);  // blue up
  ch[2] -= cv::Scalar(40);  // red down
  cv::merge(ch, cast);
  CHECK(status(check_mat(cast), "photo.image.colour_cast") == Status::fail);

  const Report q = check_mat(img, 8);
  CHECK(status(q, "photo.image.compression") == Status::warn);
  const Finding* f = q.find("photo.image.compression");
  REQUIRE(f->value);
  CHECK(*f->value < 20);
  CHECK(*check_mat(img, 90).find("photo.image.compression")->value >= 85);
}

TEST_CASE("a reflection on a spectacle lens fails glasses glare; a bright eye white does not") {
  // Where the eyes are, from the unedited sample (295x413: analysis and file pixels coincide).
  const auto owner = analyse_sample();
  const analysis::Analysis& a = *owner;
  REQUIRE(a.head() != nullptr);
  REQUIRE(a.image().scale == doctest::Approx(1.0));
  const analysis::Head h = *a.head();
  const double ied = h.ied_px;

  // A saturated, elliptical highlight on the upper outer part of each lens (ISO/IEC 19794-5's glare),
  // about 150 px at an inter-eye distance of 64 (the limit is 120).
  cv::Mat lens = sample();
  for (const auto& [eye, out] : {std::pair{h.left_eye, -1.0}, std::pair{h.right_eye, 1.0}}) {
    const cv::Point centre(cvRound(eye.x + out * 0.2 * ied), cvRound(eye.y - 0.17 * ied));
    cv::ellipse(lens, centre, cv::Size(cvRound(0.15 * ied), cvRound(0.08 * ied)), 0, 0, 360,
                cv::Scalar(255, 255, 255), cv::FILLED);
  }
  const Report glare = check_mat(lens);
  CHECK(status(glare, "photo.face.glasses_glare") == Status::fail);
  REQUIRE(glare.find("photo.face.glasses_glare")->value);
  CHECK(*glare.find("photo.face.glasses_glare")->value > 120);

  // The whole eye opening painted white (an over-lit eye white) is not glare.
  cv::Mat sclera = sample();
  for (int first : {36, 42}) {
    std::vector<cv::Point> opening;
    for (int i = first; i < first + 6; ++i)
      opening.emplace_back(cvRound(h.landmarks[static_cast<size_t>(i)].x), cvRound(h.landmarks[static_cast<size_t>(i)].y));
    cv::fillConvexPoly(sclera, opening, cv::Scalar(255, 255, 255));
  }
  CHECK(status(check_mat(sclera), "photo.face.glasses_glare") == Status::pass);
}

TEST_CASE("a white shirt on a white background fails clothing contrast") {
  cv::Mat img = sample();
  cv::Mat lower = img.rowRange(img.rows * 3 / 4, img.rows);
  lower.setTo(cv::Scalar(250, 250, 250));
  CHECK(status(check_mat(img), "photo.clothing.contrast") == Status::fail);
}

TEST_CASE("a face cut by the photo's edge fails occlusion, and the message names the edge") {
  const cv::Mat img = sample();
  const auto a = analyse_sample();
  REQUIRE(a->head() != nullptr);
  const analysis::Head& h = *a->head();
  // The left fifth of the face cut away (the jaw line's leftmost point is landmark 0 or 1).
  const int cut = static_cast<int>(std::min(h.landmarks[0].x, h.landmarks[1].x) + 0.2 * h.face_width_px);
  const Report left = check_mat(img.colRange(cut, img.cols).clone());
  REQUIRE(left.find("photo.face.occlusion") != nullptr);
  CHECK(status(left, "photo.face.occlusion") == Status::fail);
  CHECK(left.find("photo.face.occlusion")->message.en.find("left edge") != std::string::npos);
  // The chin cut away: the photo ends a tenth of the face width above it.
  const int chin = static_cast<int>(h.chin_y - 0.1 * h.face_width_px);
  const Report bottom = check_mat(img.rowRange(0, chin).clone());
  CHECK(status(bottom, "photo.face.occlusion") == Status::fail);
  CHECK(bottom.find("photo.face.occlusion")->message.en.find("bottom edge") != std::string::npos);
  // The same photo with the whole face in it is not cut off.
  CHECK(status(check_mat(img), "photo.face.occlusion") == Status::pass);
  // The allowance is the profile's: at half the face width the left cut passes this rule.
  auto lenient = Profile::from_json(
      R"({"id": "lenient", "extends": "cn-1inch", "checks": {"photo.face.occlusion": {"max_outside": 0.5}}})");
  REQUIRE(lenient);
  std::vector<std::uint8_t> bytes;
  cv::imencode(".jpg", img.colRange(cut, img.cols), bytes, {cv::IMWRITE_JPEG_QUALITY, 95});
  const Report r = engine().check_photo(bytes, *lenient, "x");
  REQUIRE(r.find("photo.face.occlusion") != nullptr);
  CHECK(r.find("photo.face.occlusion")->message.en.find("cut off") == std::string::npos);
}

// The landmarks settle on the visible face, so the skin share of the lower face alone does not see an
// object over it (the object covers the cheek samples too). The cheeks against the bare skin between the
// eyes do. Not covered: a skin-coloured hand, and grey photos (no chroma to compare).
TEST_CASE("an object over the lower face fails occlusion: the cheeks no longer match the skin between the eyes") {
  const cv::Mat img = sample();
  const Report before = check_mat(img);
  REQUIRE(status(before, "photo.face.occlusion") == Status::pass);
  const cv::Rect across_mouth_and_jaw(img.cols / 4, img.rows * 47 / 100, img.cols / 2, img.rows / 7);
  for (const cv::Scalar& colour : {cv::Scalar(70, 70, 70), cv::Scalar(200, 180, 60)}) {  // dark grey, light blue (BGR)
    CAPTURE(colour);
    cv::Mat covered = img.clone();
    cv::rectangle(covered, across_mouth_and_jaw, colour, cv::FILLED);
    const Report r = check_mat(covered);
    CHECK(status(r, "photo.face.occlusion") == Status::fail);
    CHECK(r.find("photo.face.occlusion")->message.en.find("between the eyes") != std::string::npos);
  }
  // Dark spectacles, whose bridge crosses the skin sample between the eyes, are not an occlusion.
  {
    const auto a = analyse_sample();
    REQUIRE(a->head() != nullptr);
    const analysis::Head& h = *a->head();
    cv::Mat glasses = img.clone();
    const int t = std::max(2, static_cast<int>(0.06 * h.ied_px));
    const cv::Size lens(static_cast<int>(0.45 * h.ied_px), static_cast<int>(0.3 * h.ied_px));
    cv::ellipse(glasses, h.left_eye, lens, 0, 0, 360, cv::Scalar(20, 20, 20), t);
    cv::ellipse(glasses, h.right_eye, lens, 0, 0, 360, cv::Scalar(20, 20, 20), t);
    cv::line(glasses, h.left_eye + cv::Point2f(static_cast<float>(lens.width), 0),
             h.right_eye - cv::Point2f(static_cast<float>(lens.width), 0), cv::Scalar(20, 20, 20), t);
    CHECK(status(check_mat(glasses), "photo.face.occlusion") == Status::pass);
  }
  // The same object in grey photo: no chroma, so this rule stays silent (the skin share decides).
  cv::Mat grey;
  cv::cvtColor(img, grey, cv::COLOR_BGR2GRAY);
  cv::rectangle(grey, across_mouth_and_jaw, cv::Scalar(70), cv::FILLED);
  const Report g = check_mat(grey);
  REQUIRE(g.find("photo.face.occlusion") != nullptr);
  CHECK(g.find("photo.face.occlusion")->message.en.find("between the eyes") == std::string::npos);
}

TEST_CASE("Yale: a closed-eyes and a surprised face fail the expression checks; normal passes") {
  auto data = test::shared_data();
  if (!data) return;
  const auto y = *data / "faces/yalefaces";
  const Report normal = check_bytes(test::read_file(y / "subject09.normal.png"));
  CHECK(status(normal, "photo.face.eyes_open") == Status::pass);
  CHECK(status(normal, "photo.face.mouth_closed") == Status::pass);
  CHECK(status(check_bytes(test::read_file(y / "subject09.sleepy.png")), "photo.face.eyes_open") == Status::fail);
  CHECK(status(check_bytes(test::read_file(y / "subject09.surprised.png")), "photo.face.mouth_closed") != Status::pass);
  CHECK(status(normal, "photo.image.colour_cast") == Status::not_assessed);
}

TEST_CASE("headwear: grey and blonde hair are hair, a coloured cap over the same area is not") {
  const auto a = analyse_sample();
  const cv::Rect region = a->appearance().forehead_region;
  REQUIRE(region.area() > 100);
  cv::Mat img = sample();
  // The dark hair of the region turned silver-grey (neutral, L* ≈ 70): still hair.
  cv::Mat grey_hair = img.clone();
  cv::Mat roi = grey_hair(region);
  cv::Mat dark;
  cv::cvtColor(roi, dark, cv::COLOR_BGR2GRAY);
  roi.setTo(cv::Scalar(172, 172, 172), dark < 90);
  CHECK(status(check_mat(grey_hair), "photo.face.headwear") == Status::pass);
  // The same hair blonde (sRGB 200, 170, 110: L* ≈ 71, b* ≈ 33): still hair.
  cv::Mat blonde = img.clone();
  blonde(region).setTo(cv::Scalar(110, 170, 200), dark < 90);
  CHECK(status(check_mat(blonde), "photo.face.headwear") == Status::pass);
  // The whole region a saturated blue cap: headwear.
  cv::Mat cap = img.clone();
  cap(region).setTo(cv::Scalar(230, 120, 40));
  CHECK(status(check_mat(cap), "photo.face.headwear") == Status::fail);
}

// The background figures come from one pass over the mask (appearance.cpp, background_pass); they must
// equal what OpenCV's whole-image operations give: cv::mean of the Lab image over the mask, cv::Sobel +
// cv::magnitude + cv::mean over the mask eroded by 5×5, and the median L* of the shadow measure's
// histogram. Exactly, since the sums run in the same order.
TEST_CASE("background colour, flatness and share equal OpenCV's whole-image computation, bit for bit") {
  std::vector<std::filesystem::path> files = {test::source_dir() / "samples/cn-1inch-obama.jpg",
                                              test::source_dir() / "samples/obama-source.jpg"};
  if (auto data = test::shared_data()) {
    for (const char* f : {"faces/HivisionIDPhotos/test0.jpg", "faces/deepface/img30.jpg", "faces/deepface/img33.jpg",
                          "faces/yalefaces/subject09.normal.png"})
      files.push_back(*data / f);
  }
  auto models = face::FaceModels::load(engine().impl().landmark_model_path);
  REQUIRE(models);
  int with_background = 0;
  for (const auto& file : files) {
    CAPTURE(file.string());
    auto d = io::decode(test::read_file(file), Limits{}, analysis::decode_options());
    REQUIRE(d);
    analysis::Analysis a(std::move(d.value()), models.value(), 0.5);
    const analysis::Appearance& ap = a.appearance();
    const cv::Mat& mask = a.background_mask();
    if (mask.empty() || cv::countNonZero(mask) == 0) {
      CHECK_FALSE(ap.background_ok);
      continue;
    }
    ++with_background;
    REQUIRE(ap.background_ok);
    CHECK(ap.background_share == static_cast<double>(cv::countNonZero(mask)) / static_cast<double>(mask.total()));
    const cv::Scalar m = cv::mean(a.lab(), mask);
    CHECK(ap.background_lab[0] == static_cast<float>(m[0]));
    CHECK(ap.background_lab[1] == static_cast<float>(m[1]));
    CHECK(ap.background_lab[2] == static_cast<float>(m[2]));
    cv::Mat gx, gy, mag, inner;
    cv::Sobel(a.grey(), gx, CV_32F, 1, 0, 3);
    cv::Sobel(a.grey(), gy, CV_32F, 0, 1, 3);
    cv::magnitude(gx, gy, mag);
    cv::erode(mask, inner, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(5, 5)));
    CHECK(ap.background_gradient == (cv::countNonZero(inner) > 0 ? cv::mean(mag, inner)[0] : 0.0));
  }
  CHECK(with_background >= 1);
}
