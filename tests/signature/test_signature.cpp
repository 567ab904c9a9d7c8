#include <algorithm>
#include <filesystem>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "checks/check.hpp"
#include "profiles/profile_data.hpp"
#include "dibco_metrics.hpp"
#include "io/decode.hpp"
#include "signature/binarize.hpp"
#include "signature/ink_analysis.hpp"
#include "support/test_support.hpp"

using namespace idphoto;
namespace fs = std::filesystem;

namespace {

const Engine& engine() {
  static Engine e = Engine::create().value();
  return e;
}

std::vector<std::uint8_t> png_of(const cv::Mat& m) {
  std::vector<std::uint8_t> b;
  cv::imencode(".png", m, b);
  return b;
}

cv::Mat decode(const std::vector<std::uint8_t>& b) { return cv::imdecode(b, cv::IMREAD_GRAYSCALE); }

// A synthetic phone-like signature: grey paper with a gradient, a blue scrawl, a ruled line.
cv::Mat synthetic(bool blue, bool ruled) {
  cv::Mat img(600, 1500, CV_8UC3);
  for (int y = 0; y < img.rows; ++y)
    for (int x = 0; x < img.cols; ++x) {
      const int v = 170 + x * 60 / img.cols;
      img.at<cv::Vec3b>(y, x) = {std::uint8_t(v), std::uint8_t(v), std::uint8_t(v)};
    }
  const cv::Scalar ink = blue ? cv::Scalar(160, 40, 20) : cv::Scalar(25, 25, 25);
  if (ruled) cv::line(img, {0, 380}, {1499, 380}, cv::Scalar(120, 120, 120), 3);
  std::vector<cv::Point> pts;
  for (int i = 0; i <= 200; ++i) {
    const double t = i / 200.0;
    pts.emplace_back(int(400 + 700 * t), int(300 + 70 * std::sin(t * 25)));
  }
  cv::polylines(img, pts, false, ink, 6, cv::LINE_AA);
  cv::line(img, {450, 220}, {520, 400}, ink, 6, cv::LINE_AA);
  return img;
}

const Finding& finding(const Report& r, std::string_view id) {
  const Finding* f = r.find(id);
  REQUIRE_MESSAGE(f != nullptr, "missing finding " << id);
  return *f;
}

}  // namespace

TEST_CASE("every signature check is registered with kind signature and validates in cn-signature") {
  auto p = Profile::builtin("cn-signature");
  REQUIRE(p.ok());
  CHECK(p->kind() == "signature");
  for (const char* id : {"signature.file.format", "signature.file.size", "signature.image.dimensions",
                         "signature.ink.present", "signature.ink.contrast", "signature.ink.stroke_width",
                         "signature.ink.colour", "signature.layout.centring", "signature.layout.margins",
                         "signature.layout.aspect", "signature.background.clean", "signature.noise"}) {
    const checks::CheckDef* d = checks::find_check(id);
    REQUIRE_MESSAGE(d != nullptr, id);
    CHECK(d->kind == "signature");
    CHECK(bool(d->run_signature));
    CHECK(std::any_of(p->data().checks.begin(), p->data().checks.end(),
                      [&](const auto& c) { return c.first == d; }));
  }
  // A signature check in a photo profile is refused.
  auto bad = Profile::from_json(R"({"id":"x","kind":"photo","title":{"zh-CN":"x","en":"x"},
      "checks":{"signature.noise":{"max_fraction":0.2}}})");
  CHECK_FALSE(bad.ok());
}

TEST_CASE("Sauvola from integral images does not depend on the window for its cost shape") {
  cv::Mat g(200, 300, CV_8U, cv::Scalar(220));
  cv::putText(g, "Ab", {40, 150}, cv::FONT_HERSHEY_SIMPLEX, 4, cv::Scalar(30), 8);
  const cv::Mat s15 = signature::sauvola(g, 15, 0.2), s101 = signature::sauvola(g, 101, 0.2);
  const cv::Mat truth = g < 128;
  // Both windows find the text and nothing far from it.
  CHECK(cv::countNonZero(s15 & truth) > 0.8 * cv::countNonZero(truth));
  CHECK(cv::countNonZero(s101 & truth) > 0.8 * cv::countNonZero(truth));
  CHECK(cv::countNonZero(s101 & ~truth) < 0.05 * cv::countNonZero(truth) + 50);
}

TEST_CASE("Sauvola equals the clipped-window definition, at the borders and inside") {
  cv::Mat g(61, 97, CV_8U);
  cv::RNG rng(7);
  rng.fill(g, cv::RNG::UNIFORM, 0, 256);
  cv::GaussianBlur(g, g, {5, 5}, 0);
  for (const int window : {3, 15, 51, 301}) {
    const cv::Mat got = signature::sauvola(g, window, 0.2);
    const int half = std::max(1, window / 2);
    int wrong = 0;
    for (int y = 0; y < g.rows; ++y)
      for (int x = 0; x < g.cols; ++x) {
        const cv::Rect r = cv::Rect(x - half, y - half, 2 * half + 1, 2 * half + 1) & cv::Rect(0, 0, g.cols, g.rows);
        cv::Scalar m, sd;
        cv::meanStdDev(g(r), m, sd);
        const double t = m[0] * (1.0 + 0.2 * (sd[0] / 128.0 - 1.0));
        // Pixels within rounding of the threshold may go either way.
        if (std::abs(g.at<std::uint8_t>(y, x) - t) > 1e-6 && (got.at<std::uint8_t>(y, x) == 255) != (g.at<std::uint8_t>(y, x) < t))
          ++wrong;
      }
    CAPTURE(window);
    CHECK(wrong == 0);
  }
}

TEST_CASE("open_line equals OpenCV's opening by a line, for odd and even lengths and at the borders") {
  cv::RNG rng(11);
  for (int trial = 0; trial < 40; ++trial) {
    cv::Mat m(37 + trial, 53 + 2 * trial, CV_8U);
    rng.fill(m, cv::RNG::UNIFORM, 0, 2);
    m *= 255;
    // Long runs, some touching the borders, so the opening keeps something.
    for (int k = 0; k < 6; ++k) {
      const int y = rng.uniform(0, m.rows), x0 = rng.uniform(-10, m.cols), len = rng.uniform(5, m.cols);
      cv::line(m, {x0, y}, {x0 + len, y}, cv::Scalar(255));
      const int x = rng.uniform(0, m.cols), y0 = rng.uniform(-10, m.rows);
      cv::line(m, {x, y0}, {x, y0 + rng.uniform(5, m.rows)}, cv::Scalar(255));
    }
    for (const int length : {1, 2, 7, 8, 25, 26, 200}) {
      cv::Mat h_ref, v_ref;
      cv::morphologyEx(m, h_ref, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, {length, 1}));
      cv::morphologyEx(m, v_ref, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, {1, length}));
      CAPTURE(trial);
      CAPTURE(length);
      CHECK(cv::countNonZero(signature::open_line(m, length, true) != h_ref) == 0);
      CHECK(cv::countNonZero(signature::open_line(m, length, false) != v_ref) == 0);
    }
  }
}

TEST_CASE("blue ink on grey ruled paper cleans to centred black on white, colour reported") {
  const auto bytes = png_of(synthetic(true, true));
  const Report before = engine().check_signature(bytes, Profile::builtin("cn-signature").value(), "syn.png");
  REQUIRE_FALSE(before.error);
  CHECK(finding(before, "signature.ink.colour").status == Status::fail);
  CHECK(finding(before, "signature.ink.colour").value_text == "blue");
  CHECK(finding(before, "signature.background.clean").status == Status::fail);
  CHECK(finding(before, "signature.file.format").status == Status::fail);  // PNG, profile wants JPG

  const SignatureResult res = engine().clean_signature(bytes, Profile::builtin("cn-signature").value());
  REQUIRE_FALSE(res.output.empty());
  REQUIRE(res.after);
  for (const auto& f : res.after->findings)
    CHECK_MESSAGE(f.status == Status::pass, f.id << ": " << f.message.en);
  CHECK(res.passed());
  const cv::Mat out = decode(res.output);
  REQUIRE(out.cols == 450);
  REQUIRE(out.rows == 150);
  // Pure-white border, black strokes, no trace of the ruled line at the edges.
  CHECK(cv::countNonZero(out.col(0) < 250) == 0);
  CHECK(cv::countNonZero(out.col(out.cols - 1) < 250) == 0);
  double mn, mx;
  cv::minMaxLoc(out, &mn, &mx);
  CHECK(mn < 40);
  CHECK(mx >= 250);
}

TEST_CASE("a blank page is 'no signature found' and clean refuses") {
  cv::Mat blank(600, 1500, CV_8UC3, cv::Scalar(235, 235, 235));
  const auto bytes = png_of(blank);
  const auto p = Profile::builtin("cn-signature").value();
  const Report r = engine().check_signature(bytes, p, "blank.png");
  CHECK(finding(r, "signature.ink.present").status == Status::fail);
  CHECK(finding(r, "signature.ink.contrast").status == Status::not_assessed);
  const SignatureResult res = engine().clean_signature(bytes, p);
  CHECK(res.output.empty());
  CHECK_FALSE(res.passed());
}

TEST_CASE("an image one pixel thin gets findings, not an internal error") {
  // Shrunk to the 700 px work size, a 60000 × 1 strip had 0 rows and OpenCV threw (exit 4, "internal").
  const auto p = Profile::builtin("cn-signature").value();
  for (const cv::Size size : {cv::Size(60000, 1), cv::Size(1, 60000)}) {
    CAPTURE(size);
    cv::Mat strip(size, CV_8UC3, cv::Scalar(255, 255, 255));
    strip(cv::Rect(0, 0, std::min(size.width, 300), std::min(size.height, 300))).setTo(cv::Scalar(0, 0, 0));
    const auto bytes = png_of(strip);
    const Report r = engine().check_signature(bytes, p, "strip.png");
    CHECK_FALSE(r.error);
    CHECK(finding(r, "signature.image.dimensions").status == Status::fail);
    CHECK(finding(r, "signature.layout.aspect").status == Status::fail);
    const SignatureResult res = engine().clean_signature(bytes, p);
    CHECK_FALSE(res.before.error);
    CHECK_FALSE(res.passed());
    auto bin = engine().binarize_signature(bytes);
    REQUIRE(bin.ok());
    CHECK(decode(*bin).size() == size);
    const Report photo = engine().check_photo(bytes, Profile::builtin("cn-1inch").value(), "strip.png");
    CHECK_FALSE(photo.error);
    CHECK(finding(photo, "photo.face.count").status == Status::fail);
  }
}

TEST_CASE("a profile asking for a canvas no one can use is bad_profile before any decoding") {
  // A 100000 px square canvas took 14 GB and over a minute; 1e300 × -5 threw from OpenCV ("internal").
  const std::vector<std::uint8_t> junk = {'h', 'e', 'l', 'l', 'o'};
  for (const char* dims : {R"({"width": [100000, 100000], "height": [100000, 100000]})",
                           R"({"width": [1e300, null], "height": [-5, null]})",
                           R"({"width": [0, 0], "height": [0, 0]})", R"({"width": [450, 450], "height": [8, 8]})"}) {
    CAPTURE(dims);
    auto p = Profile::from_json(std::string(R"({"id": "odd-canvas", "extends": "cn-signature", "checks": )") +
                                R"({"signature.image.dimensions": )" + dims + "}}");
    REQUIRE(p);
    const SignatureResult res = engine().clean_signature(junk, *p);
    REQUIRE(res.before.error);
    CHECK(res.before.error->code == ErrorCode::bad_profile);
    CHECK(res.before.error->message.find("16 to 10000 px") != std::string::npos);
    CHECK(res.output.empty());
  }
  // A margin range whose middle leaves the ink no room (or is negative: OpenCV threw on the placement).
  for (const char* range : {"[-1, -1]", "[0.6, 0.9]"}) {
    CAPTURE(range);
    auto p = Profile::from_json(std::string(R"({"id": "odd-margins", "extends": "cn-signature", "checks": )") +
                                R"({"signature.layout.margins": {"range": )" + range + "}}}");
    REQUIRE(p);
    const SignatureResult res = engine().clean_signature(junk, *p);
    REQUIRE(res.before.error);
    CHECK(res.before.error->code == ErrorCode::bad_profile);
    CHECK(res.before.error->message.find("must be 0 to 0.4") != std::string::npos);
  }
  // The smallest canvas allowed is laid out and judged (its KB window then refuses it), not refused.
  auto small = Profile::from_json(R"({"id": "small", "extends": "cn-signature", "checks": )"
                                  R"({"signature.image.dimensions": {"width": [48, 48], "height": [16, 16]}}})");
  REQUIRE(small);
  const SignatureResult res = engine().clean_signature(png_of(synthetic(false, false)), *small);
  CHECK_FALSE(res.before.error);
}

TEST_CASE("a photo profile is refused for signatures and rotate forces the turn") {
  const auto bytes = png_of(synthetic(false, false));
  const Report r = engine().check_signature(bytes, Profile::builtin("cn-1inch").value());
  REQUIRE(r.error);
  SignatureOptions o;
  o.rotate = 90;
  const auto res = engine().clean_signature(bytes, Profile::builtin("cn-signature").value(), o);
  // Turned upright text becomes vertical: it no longer fills a 3:1 canvas the same way.
  REQUIRE_FALSE(res.output.empty());
  const cv::Mat out = decode(res.output);
  cv::Mat ink = out < 128;
  const cv::Rect box = cv::boundingRect(ink);
  CHECK(box.height > box.width);
}

TEST_CASE("binarize_signature writes ink 0, paper 255 at the input size") {
  const cv::Mat img = synthetic(true, false);
  auto png = engine().binarize_signature(png_of(img));
  REQUIRE(png.ok());
  const cv::Mat b = decode(*png);
  REQUIRE(b.size() == img.size());
  CHECK(cv::countNonZero((b != 0) & (b != 255)) == 0);
  CHECK(cv::countNonZero(b == 0) > 2000);
}

TEST_CASE("DIBCO 2009/2010/2014: F-measure and PSNR pinned, above plain Sauvola") {
  auto data = test::shared_data();
  if (!data) return;
  const auto pages = test::evaluate_dibco(*data / "dibco", {"2009", "2010", "2014"});
  REQUIRE(pages.size() == 30);
  double f = 0, psnr = 0, sf = 0;
  for (const auto& p : pages) f += p.ours.f, psnr += p.ours.psnr, sf += p.sauvola.f;
  f /= pages.size(), psnr /= pages.size(), sf /= pages.size();
  MESSAGE("DIBCO mean F " << f << " PSNR " << psnr << " (Sauvola F " << sf << ")");
  // Pinned from the recorded run (docs/accuracy.md) minus 0.5: a regression fails.
  CHECK(f >= IDPHOTO_DIBCO_MIN_F);
  CHECK(psnr >= IDPHOTO_DIBCO_MIN_PSNR);
  CHECK(f > sf + 5);
  for (const auto& p : pages) CHECK_MESSAGE(p.ours.f > 60, p.name << " F " << p.ours.f);
}

TEST_CASE("SigComp scans clean to centred black on white keeping the binarized ink") {
  auto data = test::shared_data();
  if (!data) return;
  const auto p = Profile::builtin("cn-signature").value();
  int n = 0, passed = 0, kept95 = 0;
  for (const auto& d : fs::recursive_directory_iterator(*data / "signatures/mapo80_sigver_sigcomp2011")) {
    if (!d.is_regular_file()) continue;
    const cv::Mat img = cv::imread(d.path().string(), cv::IMREAD_COLOR);
    if (img.empty()) continue;
    ++n;
    const auto bytes = png_of(img);
    const auto res = engine().clean_signature(bytes, p);
    if (res.passed()) ++passed;
    else if (res.after)
      for (const auto& f : res.after->findings)
        if (f.status == Status::fail) MESSAGE(d.path().filename().string() << " after: " << f.message.en);
    // Ink kept: binarized ink inside the crop box versus all binarized ink.
    signature::AnalyseOptions o;
    const auto a = signature::analyse_ink(img, o);
    const double all = cv::countNonZero(a.ink);
    const double inside = a.box.area() ? cv::countNonZero(a.ink(a.box)) : 0;
    if (all > 0 && inside / all >= 0.95) ++kept95;
    else MESSAGE(d.path().filename().string() << " keeps " << inside / std::max(1.0, all));
  }
  MESSAGE("SigComp: " << n << " images, " << passed << " clean outputs pass, " << kept95 << " keep ≥ 95 % ink");
  REQUIRE(n > 100);
  // Pinned at today's figure (138 of 139 outputs pass every check; issue 5 wants all): a regression fails.
  CHECK(passed >= 139);  // 003_11 too since an underline running a little past the name is writing
  CHECK(kept95 == n);
}

TEST_CASE("vzat phone photos come out upright and black") {
  auto data = test::shared_data();
  if (!data) return;
  const auto p = Profile::builtin("cn-signature").value();
  int n = 0, made = 0, passed = 0;
  for (const auto& d : fs::directory_iterator(*data / "signatures/vzat_signature_extractor")) {
    std::vector<std::uint8_t> bytes = test::read_file(d.path());
    if (!io::sniff_format(bytes).starts_with("jpeg") && io::sniff_format(bytes) != "png") bytes = png_of(cv::imread(d.path().string()));
    ++n;
    const auto res = engine().clean_signature(bytes, p);
    MESSAGE(d.path().filename().string() << ": " << (res.passed() ? "pass" : "fail")
            << " changes " << res.changes.size());
    if (!res.output.empty()) {
      ++made;
      passed += res.passed();
      const cv::Mat out = decode(res.output);
      const cv::Rect box = cv::boundingRect(out < 128);
      CHECK(box.width > box.height);  // horizontal writing
    }
  }
  CHECK(made == n);
  CHECK(passed == n);  // every one passes after cleaning (docs/accuracy.md)
}

TEST_CASE("Tobacco-800: signature found vs 'no signature' rates are measured") {
  auto data = test::shared_data();
  if (!data) return;
  const auto p = Profile::builtin("cn-signature").value();
  auto rate = [&](const char* sub, bool want_found) {
    int n = 0, hit = 0;
    for (const auto& d : fs::directory_iterator(*data / "signatures/tobacco800_Purefekt" / sub)) {
      const cv::Mat img = cv::imread(d.path().string(), cv::IMREAD_COLOR);
      if (img.empty()) continue;
      ++n;
      const Report r = engine().check_signature(png_of(img), p);
      const bool found = r.find("signature.ink.present") && r.find("signature.ink.present")->status == Status::pass;
      hit += found == want_found;
    }
    return std::make_pair(hit, n);
  };
  const auto [f_hit, f_n] = rate("signature", true);
  const auto [n_hit, n_n] = rate("no_signature", false);
  MESSAGE("Tobacco-800 found " << f_hit << "/" << f_n << ", no-signature " << n_hit << "/" << n_n);
  CHECK(f_n > 50);
  CHECK(n_n > 30);
  CHECK(f_hit >= f_n * 9 / 10);
}

namespace {
// Counts pixels of an annotation near a BGR colour.
int count_colour(const cv::Mat& bgr, const cv::Scalar& c, int tol = 40) {
  cv::Mat m;
  cv::inRange(bgr, c - cv::Scalar::all(tol), c + cv::Scalar::all(tol), m);
  return cv::countNonZero(m);
}

// m turned anticlockwise by deg about its centre, the paper continued at the edges.
cv::Mat tilt(const cv::Mat& m, double deg) {
  cv::Mat out;
  cv::warpAffine(m, out, cv::getRotationMatrix2D({m.cols / 2.0f, m.rows / 2.0f}, deg, 1.0), m.size(),
                 cv::INTER_LINEAR, cv::BORDER_REPLICATE);
  return out;
}
}  // namespace

TEST_CASE("annotate draws kept ink, the removed ruled line and the ink box in colour") {
  const auto p = Profile::builtin("cn-signature").value();
  SignatureOptions o;
  o.annotate = true;
  const auto ruled = engine().clean_signature(png_of(synthetic(true, true)), p, o);
  REQUIRE_FALSE(ruled.annotation.empty());
  const cv::Mat ann = cv::imdecode(ruled.annotation, cv::IMREAD_UNCHANGED);
  REQUIRE(ann.type() == CV_8UC3);
  // The annotation is at the work scale (700/1500): the 3 px line, about 1.4 px there, runs across
  // the whole width, less the strokes crossing it, and is red.
  const int red = count_colour(ann, {0, 0, 230}), blue = count_colour(ann, {255, 80, 0});
  const int green = count_colour(ann, {0, 170, 0});
  MESSAGE("annotation red " << red << " blue " << blue << " green " << green << " width " << ann.cols);
  CHECK(red > 2 * ann.cols);
  CHECK(blue > 2000);
  CHECK(green > 500);
  // Without a ruled line nothing is drawn as removed.
  const auto plain = engine().clean_signature(png_of(synthetic(true, false)), p, o);
  REQUIRE_FALSE(plain.annotation.empty());
  CHECK(count_colour(cv::imdecode(plain.annotation, cv::IMREAD_UNCHANGED), {0, 0, 230}) < 50);
}

TEST_CASE("deskew levels tilted writing and leaves level writing alone") {
  signature::AnalyseOptions o;
  o.deskew = true;
  const cv::Mat level = synthetic(false, false);
  CHECK(signature::analyse_ink(level, o).skew_deg == 0);
  for (const double deg : {8.0, -6.0, 3.0}) {
    const auto a = signature::analyse_ink(tilt(level, deg), o);
    MESSAGE("tilted " << deg << "°: found " << a.skew_deg << "°");
    CHECK(std::abs(a.skew_deg - deg) <= 1.0);
  }
  // Through the engine: the change is reported and the output's ink is flatter than without deskew.
  const auto p = Profile::builtin("cn-signature").value();
  const auto bytes = png_of(tilt(level, 8.0));
  SignatureOptions with;
  with.deskew = true;
  const auto fixed = engine().clean_signature(bytes, p, with);
  const auto kept = engine().clean_signature(bytes, p);
  REQUIRE_FALSE(fixed.output.empty());
  REQUIRE_FALSE(kept.output.empty());
  CHECK(std::any_of(fixed.changes.begin(), fixed.changes.end(),
                    [](const auto& c) { return c.en.find("Straightened") != std::string::npos; }));
  const cv::Rect a = cv::boundingRect(decode(fixed.output) < 128);
  const cv::Rect b = cv::boundingRect(decode(kept.output) < 128);
  CHECK(double(a.width) / a.height > double(b.width) / b.height);
}

TEST_CASE("orientation: SigComp scans turned by each quarter come back upright (accuracy measured)") {
  auto data = test::shared_data();
  if (!data) return;
  // Every second scan, each turned 0/90/180/270° clockwise; the detected turn should undo it.
  std::vector<fs::path> files;
  for (const auto& d : fs::recursive_directory_iterator(*data / "signatures/mapo80_sigver_sigcomp2011"))
    if (d.is_regular_file()) files.push_back(d.path());
  std::sort(files.begin(), files.end());
  int right[4] = {0, 0, 0, 0}, total[4] = {0, 0, 0, 0}, unsure180 = 0;
  for (std::size_t i = 0; i < files.size(); i += 2) {
    const cv::Mat img = cv::imread(files[i].string(), cv::IMREAD_COLOR);
    if (img.empty()) continue;
    for (int q = 0; q < 4; ++q) {
      cv::Mat turned;  // a new buffer: rotating into one that shares img's would change img
      if (q) cv::rotate(img, turned, q == 1 ? cv::ROTATE_90_CLOCKWISE : q == 2 ? cv::ROTATE_180 : cv::ROTATE_90_COUNTERCLOCKWISE);
      else turned = img;
      signature::AnalyseOptions o;
      o.orient = true;
      const auto a = signature::analyse_ink(turned, o);
      ++total[q];
      right[q] += (q * 90 + a.rotation) % 360 == 0;
      if (q == 2 && a.rotation == 0) ++unsure180;
      if (std::getenv("IDPHOTO_ORIENT_DEBUG") && (q * 90 + a.rotation) % 360 != 0) {
        signature::AnalyseOptions plain;
        const auto b = signature::analyse_ink(turned, plain);
        MESSAGE(files[i].filename().string() << " turned " << q * 90 << " got " << a.rotation
                << " box " << b.box.width << "x" << b.box.height);
      }
    }
  }
  MESSAGE("orientation over " << total[0] << " SigComp scans: upright kept " << right[0] << ", 90° undone "
          << right[1] << ", 180° undone " << right[2] << " (left as is " << unsure180 << "), 270° undone "
          << right[3]);
  REQUIRE(total[0] > 50);
  // Pinned from the recorded run (docs/accuracy.md): a regression fails.
  CHECK(right[0] >= total[0] * IDPHOTO_ORIENT_MIN_UPRIGHT_PCT / 100);
  CHECK(right[1] >= total[1] * IDPHOTO_ORIENT_MIN_QUARTER_PCT / 100);
  CHECK(right[3] >= total[3] * IDPHOTO_ORIENT_MIN_QUARTER_PCT / 100);
  CHECK(right[2] >= total[2] * IDPHOTO_ORIENT_MIN_HALF_PCT / 100);
}


TEST_CASE("clean's 'before' report is check_signature's, with or without a turn or straightening") {
  const auto p = Profile::builtin("cn-signature").value();
  auto without_timing = [](Report r) {
    r.timing_ms.clear();
    return r.to_json();
  };
  SignatureOptions turned;
  turned.rotate = 90;
  SignatureOptions straightened;
  straightened.deskew = true;
  const std::vector<std::pair<std::vector<std::uint8_t>, SignatureOptions>> cases = {
      {png_of(synthetic(true, true)), SignatureOptions{}},
      {png_of(synthetic(true, true)), turned},
      {png_of(tilt(synthetic(false, false), 8.0)), straightened}};
  for (const auto& [bytes, options] : cases) {
    const SignatureResult res = engine().clean_signature(bytes, p, options, "s.png");
    REQUIRE_FALSE(res.before.error);
    CHECK(without_timing(res.before) == without_timing(engine().check_signature(bytes, p, "s.png")));
    CHECK_FALSE(res.output.empty());
  }
  CHECK(engine().clean_signature(png_of(synthetic(true, true)), p, straightened).changes.size() > 0);
}

namespace {

std::vector<std::uint8_t> jpeg_of(const cv::Mat& m) {
  std::vector<std::uint8_t> b;
  cv::imencode(".jpg", m, b, {cv::IMWRITE_JPEG_QUALITY, 95});
  return b;
}

// White paper 4000×3000 with a black scrawl of stroke `stroke` px spanning `span` of the width.
cv::Mat big_page(int stroke, double span) {
  cv::Mat img(3000, 4000, CV_8UC3, cv::Scalar(235, 235, 235));
  std::vector<cv::Point> pts;
  for (int i = 0; i <= 300; ++i) {
    const double t = i / 300.0;
    pts.emplace_back(int(2000 + 4000 * span * (t - 0.5)), int(1500 + 4000 * span * 0.12 * std::sin(t * 25)));
  }
  cv::polylines(img, pts, false, cv::Scalar(20, 20, 20), stroke, cv::LINE_8);
  return img;
}

double iou(const cv::Mat& a, const cv::Mat& b) {
  const cv::Mat ia = a < 128, ib = b < 128;
  const double u = cv::countNonZero(ia | ib);
  return u > 0 ? cv::countNonZero(ia & ib) / u : 0;
}

}  // namespace

TEST_CASE("a large JPEG is analysed from a DCT-scaled decode, stroke width still in the file's pixels") {
  const auto bytes = jpeg_of(big_page(16, 0.5));
  const auto p = Profile::builtin("cn-signature").value();
  const Report r = engine().check_signature(bytes, p);
  REQUIRE_FALSE(r.error);
  REQUIRE(r.image);
  CHECK(r.image->width == 4000);
  const Finding& sw = finding(r, "signature.ink.stroke_width");
  REQUIRE(sw.value);
  INFO("stroke width " << *sw.value);
  CHECK(*sw.value > 12);  // 16 px drawn; a DCT-scale slip would say 8 or 4
  CHECK(*sw.value < 24);
}

TEST_CASE("a small signature in a large photo is cleaned from a finer analysis, like its crop") {
  // The scrawl spans 12 % of a 4000-px page: the coarse analysis (700 px) would have to enlarge it
  // 4× onto the canvas; clean analyses again at the size the canvas needs. Its output matches the
  // clean of a crop around the signature (analysed at full resolution).
  const cv::Mat page = big_page(6, 0.12);
  const auto p = Profile::builtin("cn-signature").value();
  const auto whole = engine().clean_signature(jpeg_of(page), p);
  const auto crop = engine().clean_signature(png_of(page(cv::Rect(1600, 1100, 800, 800)).clone()), p);
  REQUIRE(whole.passed());
  REQUIRE(crop.passed());
  const cv::Mat a = decode(whole.output), b = decode(crop.output);
  REQUIRE(a.size() == b.size());
  const double overlap = iou(a, b);
  MESSAGE("ink overlap with the crop's clean: " << overlap);
  CHECK(overlap > 0.8);
}
