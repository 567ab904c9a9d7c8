// `fix` on the real photos of ../shared/data against tests/fix/fix_golden.csv. Passing outputs are verified
// independently of the project's checks: decoded by OpenCV, JFIF density read from the bytes, byte count, and
// the face found again by a fresh detection whose landmarks are measured here.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "face/face_models.hpp"
#include "io/decode.hpp"
#include "support/test_support.hpp"

using namespace idphoto;

namespace {

const Engine& engine() {
  static Engine e = [] {
    auto r = Engine::create();
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
    return std::move(r.value());
  }();
  return e;
}

const face::FaceModels& models() {
  static std::shared_ptr<const face::FaceModels> m = [] {
    auto r = face::FaceModels::load("/usr/share/dlib/shape_predictor_68_face_landmarks.dat");
    REQUIRE(r.ok());
    return r.value();
  }();
  return *m;
}

const Profile& cn_1inch() {
  static Profile p = Profile::builtin("cn-1inch").value();
  return p;
}

struct Row {
  std::string path, background, expect;
  std::vector<std::string> ids;
  std::string requires_check;
};

std::vector<std::string> split(const std::string& s, char c) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, c)) out.push_back(item);
  if (!s.empty() && s.back() == c) out.emplace_back();
  return out;
}

std::vector<Row> golden() {
  std::ifstream f(test::source_dir() / "tests" / "fix" / "fix_golden.csv");
  REQUIRE(f.good());
  std::vector<Row> rows;
  std::string line;
  while (std::getline(f, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto c = split(line, ',');
    REQUIRE(c.size() == 5);
    Row r{c[0], c[1], c[2], {}, c[4]};
    for (auto& id : split(c[3], ';'))
      if (!id.empty()) r.ids.push_back(id);
    rows.push_back(r);
  }
  return rows;
}

bool registered(const std::string& id) {
  const auto all = list_checks();
  return std::any_of(all.begin(), all.end(), [&](const CheckInfo& c) { return c.id == id; });
}

// Core formats as they are; others (PPM, ...) through OpenCV into PNG, as the CLI does.
std::vector<std::uint8_t> load(const std::filesystem::path& p) {
  auto bytes = test::read_file(p);
  const std::string fmt = io::sniff_format(bytes);
  if (fmt == "jpeg" || fmt == "png") return bytes;
  const cv::Mat img = cv::imread(p.string(), cv::IMREAD_COLOR);
  REQUIRE(!img.empty());
  std::vector<std::uint8_t> png;
  REQUIRE(cv::imencode(".png", img, png));
  return png;
}

struct Measured {
  int width = 0, height = 0, faces = 0;
  cv::Point2f eye_mid;
  double face_width = 0, chin_y = 0, roll_deg = 0;
};

// The output measured independently: OpenCV decode, fresh HOG detection, 68 landmarks, geometry computed here.
Measured measure(const std::vector<std::uint8_t>& jpeg) {
  Measured m;
  const cv::Mat img = cv::imdecode(jpeg, cv::IMREAD_COLOR);
  REQUIRE(!img.empty());
  m.width = img.cols;
  m.height = img.rows;
  cv::Mat grey;
  cv::cvtColor(img, grey, cv::COLOR_BGR2GRAY);
  const auto dets = models().detect(grey);
  m.faces = static_cast<int>(dets.size());
  if (dets.empty()) return m;
  const auto lm = models().landmarks(grey, dets.front().box);
  cv::Point2f l(0, 0), r(0, 0);
  for (int i = 36; i <= 41; ++i) l += lm[static_cast<size_t>(i)] / 6.0f;
  for (int i = 42; i <= 47; ++i) r += lm[static_cast<size_t>(i)] / 6.0f;
  m.eye_mid = (l + r) * 0.5f;
  m.face_width = lm[15].x - lm[1].x;
  m.chin_y = lm[8].y;
  m.roll_deg = std::atan2(r.y - l.y, r.x - l.x) * 180 / CV_PI;
  return m;
}

std::array<int, 3> jfif_density(const std::vector<std::uint8_t>& b) {
  REQUIRE(b.size() > 20);
  REQUIRE(std::string(reinterpret_cast<const char*>(&b[6]), 4) == "JFIF");
  return {b[13], b[14] << 8 | b[15], b[16] << 8 | b[17]};
}

std::string describe(const FixResult& r) {
  std::string s = "refused=" + std::to_string(r.refused) + "\n";
  for (const auto& f : r.refusal) s += "  refusal " + f.id + ": " + f.message.en + "\n";
  for (const auto& c : r.changes) s += "  change: " + c.en + "\n";
  if (r.before.error) s += "  error: " + r.before.error->message + "\n";
  if (r.after)
    for (const auto& f : r.after->findings)
      s += "  after " + f.id + " " + std::string(status_name(f.status)) + " " + f.message.en + "\n";
  return s;
}

void verify_output(const FixResult& r, const std::string& label) {
  INFO(label << "\n" << describe(r));
  REQUIRE(r.passed());
  REQUIRE(!r.output.empty());
  CHECK(r.output_format == "jpeg");
  // File: a JPEG of 10-30 KB at 300 dpi.
  CHECK(r.output.size() >= 10 * 1024);
  CHECK(r.output.size() <= 30 * 1024);
  const auto d = jfif_density(r.output);
  CHECK(d[0] == 1);
  CHECK(d[1] == 300);
  CHECK(d[2] == 300);
  // Pixels and the face, found afresh.
  const Measured m = measure(r.output);
  CHECK(m.width == 295);
  CHECK(m.height == 413);
  REQUIRE(m.faces == 1);
  CHECK(m.eye_mid.x / m.width == doctest::Approx(0.5).epsilon(0.08));
  CHECK(m.eye_mid.y / m.height >= 0.30);
  CHECK(m.eye_mid.y / m.height <= 0.50);
  CHECK(m.face_width / m.width >= 0.50);
  CHECK(m.face_width / m.width <= 0.68);
  CHECK(m.chin_y / m.height <= 0.85);
  CHECK(std::abs(m.roll_deg) <= 2.0);
  // And the engine's own re-check agrees.
  REQUIRE(r.after.has_value());
  CHECK(r.after->verdict() == Verdict::pass);
}

}  // namespace

TEST_CASE("golden table: fixable photos pass cn-1inch after fix; the others are refused with the right ids") {
  const auto data = test::shared_data();
  if (!data) return;
  for (const Row& row : golden()) {
    if (!row.requires_check.empty() && !registered(row.requires_check)) {
      MESSAGE("SKIPPED row " << row.path << ": check " << row.requires_check << " not registered");
      continue;
    }
    CAPTURE(row.path);
    FixOptions o;
    o.background = row.background;
    o.output_name = "out.jpg";
    const FixResult r = engine().fix_photo(load(*data / row.path), cn_1inch(), o, row.path);
    if (row.expect == "pass") {
      verify_output(r, row.path);
      if (row.background != "keep") CHECK(r.background_replaced);
    } else {
      INFO(describe(r));
      CHECK(r.refused);
      CHECK(r.output.empty());
      CHECK_FALSE(r.passed());
      for (const std::string& id : row.ids) {
        const bool found = std::any_of(r.refusal.begin(), r.refusal.end(), [&](const Finding& f) { return f.id == id; });
        CHECK_MESSAGE(found, "expected refusal id " << id);
      }
      for (const Finding& f : r.refusal) {
        CHECK(f.status == Status::fail);
        CHECK_FALSE(f.message.en.empty());
        CHECK_FALSE(f.message.zh.empty());
      }
    }
  }
}

TEST_CASE("idempotence: a fixed photo fixed again keeps its geometry within a pixel") {
  const auto data = test::shared_data();
  if (!data) return;
  for (const char* p : {"faces/deepface/img30.jpg", "faces/deepface/img33.jpg"}) {
    CAPTURE(p);
    const FixResult first = engine().fix_photo(load(*data / p), cn_1inch(), {}, p);
    REQUIRE_MESSAGE(first.passed(), describe(first));
    const FixResult second = engine().fix_photo(first.output, cn_1inch(), {}, "fixed.jpg");
    REQUIRE_MESSAGE(second.passed(), describe(second));
    const Measured a = measure(first.output), b = measure(second.output);
    REQUIRE(a.faces == 1);
    REQUIRE(b.faces == 1);
    CHECK(std::abs(a.eye_mid.x - b.eye_mid.x) <= 1.0);
    CHECK(std::abs(a.eye_mid.y - b.eye_mid.y) <= 1.0);
    CHECK(std::abs(a.chin_y - b.chin_y) <= 1.0);
    CHECK(std::abs(a.face_width - b.face_width) <= 1.0);
  }
}

TEST_CASE("a centring band far off the photo is refused as centring, with or without a colour change") {
  // centring [1e300, 1e300] planned a crop 1e300 crop-widths to the side; with --background white the
  // background mask was rendered from it and OpenCV threw ("internal: fix failed").
  const auto data = test::shared_data();
  if (!data) return;
  const auto bytes = load(*data / "faces/deepface/img30.jpg");
  for (const char* range : {"[1e300, 1e300]", "[-1e300, -1e300]", "[3, 3]"}) {
    auto p = Profile::from_json(std::string(R"({"id": "far", "extends": "cn-1inch", "checks": )") +
                                R"({"photo.geometry.centring": {"range": )" + range + "}}}");
    REQUIRE(p);
    for (const char* bg : {"keep", "white"}) {
      CAPTURE(range);
      CAPTURE(bg);
      FixOptions o;
      o.background = bg;
      const FixResult r = engine().fix_photo(bytes, *p, o, "img30.jpg");
      CHECK_FALSE(r.before.error);
      CHECK(r.refused);
      CHECK(std::any_of(r.refusal.begin(), r.refusal.end(),
                        [](const Finding& f) { return f.id == "photo.geometry.centring"; }));
    }
  }
}

TEST_CASE("a background replacement writes the same file on every call, whatever ran before") {
  // GrabCut seeded its k-means from the thread's cv::theRNG(): the second `--background white` fix of
  // img30 in one process (a batch, a portal server) wrote a different file (28133 vs 28171 bytes).
  const auto data = test::shared_data();
  if (!data) return;
  const auto bytes = load(*data / "faces/deepface/img30.jpg");
  FixOptions o;
  o.background = "white";
  const FixResult first = engine().fix_photo(bytes, cn_1inch(), o, "img30.jpg");
  REQUIRE(first.passed());
  REQUIRE(first.background_replaced);
  cv::theRNG().state = 12345;  // a caller that uses OpenCV's generator itself
  const FixResult second = engine().fix_photo(bytes, cn_1inch(), o, "img30.jpg");
  CHECK(second.output == first.output);
  CHECK(cv::theRNG().state == 12345);  // and its generator is given back untouched
}

TEST_CASE("a roll of several degrees is levelled about the eye midpoint") {
  const auto data = test::shared_data();
  if (!data) return;
  cv::Mat img = cv::imread((*data / "faces/deepface/img30.jpg").string(), cv::IMREAD_COLOR);
  REQUIRE(!img.empty());
  const cv::Point2f c(img.cols / 2.0f, img.rows / 2.0f);
  cv::Mat rotated;
  cv::warpAffine(img, rotated, cv::getRotationMatrix2D(c, 7.0, 1.0), img.size(), cv::INTER_LINEAR,
                 cv::BORDER_REPLICATE);
  std::vector<std::uint8_t> jpg;
  REQUIRE(cv::imencode(".jpg", rotated, jpg, {cv::IMWRITE_JPEG_QUALITY, 95}));
  const FixResult r = engine().fix_photo(jpg, cn_1inch(), {}, "rotated.jpg");
  verify_output(r, "img30 rotated 7°");
  const Measured m = measure(r.output);
  CHECK(std::abs(m.roll_deg) <= 1.5);
}

TEST_CASE("the JSON of a fix carries output, before, after and the refusal") {
  const auto data = test::shared_data();
  if (!data) return;
  FixOptions o;
  o.output_name = "out.jpg";
  const FixResult ok = engine().fix_photo(load(*data / "faces/deepface/img30.jpg"), cn_1inch(), o, "img30.jpg");
  REQUIRE(ok.passed());
  const std::string j = ok.to_json();
  CHECK(j.find("\"schema_version\":1") != std::string::npos);
  CHECK(j.find("\"verdict\":\"pass\"") != std::string::npos);
  CHECK(j.find("\"output\":\"out.jpg\"") != std::string::npos);
  CHECK(j.find("\"before\":{") != std::string::npos);
  CHECK(j.find("\"after\":{") != std::string::npos);

  const FixResult no = engine().fix_photo(load(*data / "faces/dlib_examples_faces/dogs.jpg"), cn_1inch(), o, "dogs.jpg");
  REQUIRE(no.refused);
  const std::string k = no.to_json();
  CHECK(k.find("\"verdict\":\"fail\"") != std::string::npos);
  CHECK(k.find("\"output\":null") != std::string::npos);
  CHECK(k.find("\"after\":null") != std::string::npos);
  CHECK(k.find("photo.face.count") != std::string::npos);
}

TEST_CASE("unreadable input is an error, not a refusal") {
  const std::vector<std::uint8_t> junk = {'h', 'e', 'l', 'l', 'o'};
  const FixResult r = engine().fix_photo(junk, cn_1inch(), {}, "junk.txt");
  CHECK(r.verdict() == Verdict::error);
  CHECK(r.output.empty());
}

TEST_CASE("a profile whose DPI or output size no file can have is bad_profile before decoding") {
  // 70000 dpi used to reach the encoder and come back as "Cannot encode into the required file size".
  const std::vector<std::uint8_t> junk = {'h', 'e', 'l', 'l', 'o'};
  for (const char* dpi : {"[70000, 70000]", "[0.4, 0.4]", "[-3, null]", "[null, 1e300]"}) {
    CAPTURE(dpi);
    auto p = Profile::from_json(std::string(R"({"id": "odd-dpi", "extends": "cn-1inch", "checks": )") +
                                R"({"photo.image.dpi": {"range": )" + dpi + "}}}");
    if (!p) {  // the loader itself may refuse a value; then it names it
      CHECK(p.error().code == ErrorCode::bad_profile);
      continue;
    }
    const FixResult r = engine().fix_photo(junk, *p, {}, "junk.txt");
    REQUIRE(r.before.error);
    CHECK(r.before.error->code == ErrorCode::bad_profile);
    CHECK(r.before.error->message.find("dpi") != std::string::npos);
  }
  // An output side beyond int (1e300, which used to be cast) or beyond 10000 px: bad_profile naming it,
  // from the loader for fix.width, from the fix for the dimensions check (a check may allow any width).
  auto huge = Profile::from_json(R"({"id": "wide", "extends": "cn-1inch", "fix": {"width": 1e300}})");
  REQUIRE_FALSE(huge);
  CHECK(huge.error().message.find("fix.\"width\"") != std::string::npos);
  for (const char* p_json : {R"({"id": "wide", "extends": "cn-1inch", "checks": {"photo.image.dimensions": )"
                             R"({"width": [1e300, null], "height": [413, 413]}}})",
                             R"({"id": "wide", "extends": "cn-1inch", "checks": {"photo.image.dimensions": )"
                             R"({"width": [20000, 20000], "height": [413, 413]}}})"}) {
    auto p = Profile::from_json(p_json);
    REQUIRE(p);
    const FixResult r = engine().fix_photo(junk, *p, {}, "junk.txt");
    REQUIRE(r.before.error);
    CHECK(r.before.error->code == ErrorCode::bad_profile);
    CHECK(r.before.error->message.find("at most 10000 px") != std::string::npos);
  }
  auto ok = Profile::from_json(R"({"id": "ok-dpi", "extends": "cn-1inch", "checks": {"photo.image.dpi": {"range": [65535, null]}}})");
  REQUIRE(ok);
  const FixResult r = engine().fix_photo(junk, *ok, {}, "junk.txt");
  REQUIRE(r.before.error);
  CHECK(r.before.error->code == ErrorCode::unsupported_format);  // the junk, not the profile
}

TEST_CASE("PNG output: a profile that accepts PNG gets a PNG with pHYs DPI that passes check with that profile") {
  const auto data = test::shared_data();
  if (!data) return;
  auto png_profile = Profile::from_json(R"({"id": "cn-1inch-png", "extends": "cn-1inch",
    "checks": {"photo.file.format": {"allowed": ["png"]}, "photo.file.size": {"kb": [60, 400]}}})");
  REQUIRE_MESSAGE(png_profile.ok(), png_profile.error().message);
  const auto src = load(*data / "faces/deepface/img30.jpg");
  // The profile asks for PNG: no format given.
  FixOptions o;
  o.output_name = "out.png";
  const FixResult r = engine().fix_photo(src, *png_profile, o, "img30.jpg");
  INFO(describe(r));
  REQUIRE(r.passed());
  CHECK(r.output_format == "png");
  CHECK(io::sniff_format(r.output) == "png");
  CHECK(r.output.size() >= 60 * 1024);
  CHECK(r.output.size() <= 400 * 1024);
  // pHYs read independently of the decoder: 300 dpi = 11811 px/m.
  const std::string bytes(r.output.begin(), r.output.end());
  const auto at = bytes.find("pHYs");
  REQUIRE(at != std::string::npos);
  auto be32 = [&](std::size_t i) {
    return static_cast<std::uint32_t>(r.output[i]) << 24 | static_cast<std::uint32_t>(r.output[i + 1]) << 16 |
           static_cast<std::uint32_t>(r.output[i + 2]) << 8 | r.output[i + 3];
  };
  CHECK(be32(at + 4) == 11811);
  CHECK(be32(at + 8) == 11811);
  CHECK(r.output[at + 12] == 1);
  const Measured m = measure(r.output);
  CHECK(m.width == 295);
  CHECK(m.height == 413);
  CHECK(m.faces == 1);
  // The same engine's check of the written bytes with the same profile passes.
  const Report again = engine().check_photo(r.output, *png_profile, "out.png");
  CHECK(again.verdict() == Verdict::pass);
  // The same crop as the JPEG fix: the PNG is the lossless twin of the JPEG output.
  const FixResult jpeg = engine().fix_photo(src, cn_1inch(), {}, "img30.jpg");
  REQUIRE(jpeg.passed());
  const Measured mj = measure(jpeg.output);
  CHECK(std::abs(m.eye_mid.x - mj.eye_mid.x) <= 1.5);
  CHECK(std::abs(m.eye_mid.y - mj.eye_mid.y) <= 1.5);

  // Asking for PNG where the profile accepts only JPEG is a usage error naming the formats, and writes nothing.
  FixOptions p;
  p.format = "png";
  const FixResult no = engine().fix_photo(src, cn_1inch(), p, "img30.jpg");
  REQUIRE(no.before.error.has_value());
  CHECK(no.before.error->code == ErrorCode::invalid_argument);
  CHECK(no.before.error->message.find("accepts jpeg, not png") != std::string::npos);
  CHECK(no.output.empty());
  // A PNG window no lossless encoding reaches is refused under photo.file.size.
  auto tiny = Profile::from_json(R"({"id": "cn-1inch-png-tiny", "extends": "cn-1inch",
    "checks": {"photo.file.format": {"allowed": ["png"]}, "photo.file.size": {"kb": [5, 6]}}})");
  REQUIRE(tiny.ok());
  const FixResult t = engine().fix_photo(src, *tiny, {}, "img30.jpg");
  CHECK(t.refused);
  REQUIRE(t.refusal.size() == 1);
  CHECK(t.refusal[0].id == "photo.file.size");
  CHECK(t.refusal[0].message.en.find("lossless") != std::string::npos);
}

TEST_CASE("busy background: a colour change is refused before any replacement; keep is refused with the hint") {
  // samples/obama-source.jpg (in the tree): a frontal portrait in front of the Oval Office's curtains and flags.
  const auto src = test::read_file(test::source_dir() / "samples" / "obama-source.jpg");
  REQUIRE(!src.empty());
  FixOptions white;
  white.background = "white";
  const FixResult r = engine().fix_photo(src, cn_1inch(), white, "obama-source.jpg");
  INFO(describe(r));
  CHECK(r.refused);
  CHECK(r.output.empty());
  CHECK_FALSE(r.background_replaced);
  CHECK_FALSE(r.after.has_value());
  REQUIRE(r.refusal.size() == 1);
  CHECK(r.refusal[0].id == "photo.background.uniformity");
  CHECK(r.refusal[0].message.en.find("busy") != std::string::npos);
  CHECK(r.refusal[0].hint.en.find("plain wall") != std::string::npos);
  const FixResult k = engine().fix_photo(src, cn_1inch(), {}, "obama-source.jpg");
  CHECK(k.refused);
  CHECK(k.output.empty());
  const bool hinted = std::any_of(k.refusal.begin(), k.refusal.end(), [](const Finding& f) {
    return f.id.starts_with("photo.background.") && f.hint.en.find("--background") != std::string::npos;
  });
  CHECK(hinted);
}
