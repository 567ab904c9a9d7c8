#include <cmath>
#include <memory>
#include <set>

#include "analysis/analysis.hpp"
#include "checks/check.hpp"
#include "checks/finding_util.hpp"
#include "support/test_support.hpp"

using namespace idphoto;
using nlohmann::json;

namespace {

constexpr double kEps = 1e-6;

io::DecodedImage image(int w, int h, const char* format = "jpeg") {
  io::DecodedImage d;
  d.bgr = cv::Mat(h, w, CV_8UC3, cv::Scalar(40, 120, 200));
  d.format = format;
  d.width = w;
  d.height = h;
  d.bytes = 20 * 1024;
  d.colour_space = "rgb";
  d.dpi = std::array<double, 2>{300, 300};
  return d;
}

// A head in a W×H image; geometry set by the caller.
analysis::Head head(int w, int h) {
  analysis::Head hd;
  hd.box = cv::Rect2f(0.3f * w, 0.3f * h, 0.4f * w, 0.4f * w);
  hd.left_eye = {0.4f * w, 0.45f * h};
  hd.right_eye = {0.6f * w, 0.45f * h};
  hd.eye_mid = {0.5f * w, 0.45f * h};
  hd.ied_px = 0.2 * w;
  hd.crown_y = 0.08 * h;
  hd.chin_y = 0.72 * h;
  hd.face_left_x = 0.2 * w;
  hd.face_right_x = 0.8 * w;
  hd.face_width_px = 0.6 * w;
  hd.centre_x = 0.5 * w;
  return hd;
}

std::unique_ptr<analysis::Analysis> with_head(io::DecodedImage img,
                                              std::optional<analysis::Head> hd) {
  std::vector<face::Detection> faces;
  if (hd) faces.push_back({hd->box, 1.0});
  return std::make_unique<analysis::Analysis>(std::move(img), std::move(faces), std::move(hd));
}

Finding run(std::string_view id, const analysis::Analysis& a, json params) {
  const checks::CheckDef* def = checks::find_check(id);
  REQUIRE_MESSAGE(def, "no check " << id);
  Finding f = def->run(a, checks::Params(std::move(params)));
  CHECK(f.id == id);
  CHECK(f.fixable == def->fixable);
  return f;
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("the registry holds every photo check of the foundation, each described") {
  const char* ids[] = {"photo.file.format",          "photo.file.size",
                       "photo.image.dimensions",     "photo.image.dpi",
                       "photo.image.colour",         "photo.face.count",
                       "photo.face.pose.yaw",        "photo.face.pose.pitch",
                       "photo.face.pose.roll",       "photo.face.ied",
                       "photo.geometry.head_height", "photo.geometry.crown_margin",
                       "photo.geometry.eye_line",    "photo.geometry.centring",
                       "photo.geometry.face_width"};
  for (const char* id : ids) {
    CAPTURE(id);
    const checks::CheckDef* d = checks::find_check(id);
    REQUIRE(d);
    CHECK(d->kind == "photo");
    CHECK(!d->title_zh.empty());
    CHECK(!d->title_en.empty());
    CHECK(!d->clause.empty());
    CHECK(!d->unit.empty());
    CHECK(static_cast<bool>(d->run));
  }
  CHECK(checks::find_check("photo.nope") == nullptr);
  const auto listed = list_checks();
  REQUIRE(listed.size() == checks::registry().size());
  for (std::size_t i = 0; i < listed.size(); ++i) CHECK(listed[i].id == checks::registry()[i]->id);
  std::set<std::string_view> unique;
  for (const auto* d : checks::registry()) CHECK(unique.insert(d->id).second);
}

TEST_CASE("photo.file.format: detected format against the allowed list") {
  auto jpeg = with_head(image(295, 413, "jpeg"), std::nullopt);
  Finding f = run("photo.file.format", *jpeg, {{"allowed", {"jpeg"}}});
  CHECK(f.status == Status::pass);
  CHECK(f.value_text == "jpeg");
  auto png = with_head(image(295, 413, "png"), std::nullopt);
  f = run("photo.file.format", *png, {{"allowed", {"jpeg"}}});
  CHECK(f.status == Status::fail);
  CHECK(f.value_text == "png");
  CHECK(contains(f.message.en, "PNG"));
  CHECK(contains(f.message.zh, "JPEG"));
  CHECK(!f.hint.en.empty());
  CHECK(run("photo.file.format", *png, {{"allowed", {"jpeg", "png"}}}).status == Status::pass);
  CHECK(run("photo.file.format", *png, {{"allowed", {"jpeg"}}, {"severity", "warn"}}).status ==
        Status::warn);
}

TEST_CASE("photo.file.size: KB = 1024 bytes, inclusive bounds") {
  const json p = {{"kb", {10, 30}}};
  auto at = [&](std::uint64_t bytes) {
    auto img = image(295, 413);
    img.bytes = bytes;
    auto a = with_head(std::move(img), std::nullopt);
    return run("photo.file.size", *a, p);
  };
  Finding f = at(10 * 1024);
  CHECK(f.status == Status::pass);
  CHECK(f.value == doctest::Approx(10.0));
  CHECK(f.unit == "KB");
  CHECK(f.range->lo == 10);
  CHECK(f.range->hi == 30);
  CHECK(at(30 * 1024).status == Status::pass);
  f = at(10 * 1024 - 1);
  CHECK(f.status == Status::fail);
  CHECK(contains(f.message.en, "too small"));
  CHECK(contains(f.message.en, "10–30 KB"));
  f = at(30 * 1024 + 1);
  CHECK(f.status == Status::fail);
  CHECK(contains(f.message.zh, "文件太大"));
  CHECK(contains(f.hint.en, "compression"));
  // open end
  auto img = image(295, 413);
  img.bytes = 5'000'000;
  auto a = with_head(std::move(img), std::nullopt);
  CHECK(run("photo.file.size", *a, {{"kb", {10, nullptr}}}).status == Status::pass);
  f = run("photo.file.size", *a, {{"kb", {nullptr, 240}}});
  CHECK(f.status == Status::fail);
  CHECK(contains(f.message.en, "at most 240 KB"));
}

TEST_CASE("photo.image.dimensions: WxH, the failing side named") {
  const json p = {{"width", {295, 295}}, {"height", {413, 413}}};
  auto ok = with_head(image(295, 413), std::nullopt);
  Finding f = run("photo.image.dimensions", *ok, p);
  CHECK(f.status == Status::pass);
  CHECK(f.value_text == "295x413");
  auto wide = with_head(image(296, 413), std::nullopt);
  f = run("photo.image.dimensions", *wide, p);
  CHECK(f.status == Status::fail);
  CHECK(contains(f.message.en, "width is 296 px"));
  CHECK(!contains(f.message.en, "height"));
  CHECK(contains(f.message.zh, "宽度"));
  auto short_ = with_head(image(295, 412), std::nullopt);
  f = run("photo.image.dimensions", *short_, p);
  CHECK(f.status == Status::fail);
  CHECK(contains(f.message.en, "height is 412 px"));
  CHECK(!contains(f.message.en, "width"));
  CHECK(contains(f.hint.en, "must not be enlarged"));
  auto range = with_head(image(600, 600), std::nullopt);
  CHECK(run("photo.image.dimensions", *range, {{"width", {600, 1200}}, {"height", {600, 1200}}})
            .status == Status::pass);
  auto big = with_head(image(1201, 599), std::nullopt);
  f = run("photo.image.dimensions", *big, {{"width", {600, 1200}}, {"height", {600, 1200}}});
  CHECK(f.status == Status::fail);
  CHECK(contains(f.message.en, "width is 1201 px"));
  CHECK(contains(f.message.en, "height is 599 px"));
}

TEST_CASE("photo.image.dpi: min of x and y; no density fails a profile that requires one") {
  const json p = {{"range", {300, 300}}};
  auto ok = with_head(image(295, 413), std::nullopt);
  Finding f = run("photo.image.dpi", *ok, p);
  CHECK(f.status == Status::pass);
  CHECK(f.value == 300);
  CHECK(f.unit == "dpi");
  auto img = image(295, 413);
  img.dpi = std::array<double, 2>{300, 300 - kEps};
  auto low = with_head(std::move(img), std::nullopt);
  CHECK(run("photo.image.dpi", *low, p).status == Status::fail);
  img = image(295, 413);
  img.dpi = std::array<double, 2>{300, 72};
  auto mixed = with_head(std::move(img), std::nullopt);
  f = run("photo.image.dpi", *mixed, p);
  CHECK(f.status == Status::fail);
  CHECK(f.value == 72);
  CHECK(contains(f.message.en, "72 dpi"));
  img = image(295, 413);
  img.dpi.reset();
  auto none = with_head(std::move(img), std::nullopt);
  f = run("photo.image.dpi", *none, p);
  CHECK(f.status == Status::fail);
  CHECK(!f.value.has_value());
  CHECK(!f.value_text.has_value());
  CHECK(contains(f.message.en, "no resolution"));
  CHECK(contains(f.message.en, "300 dpi"));
  CHECK(run("photo.image.dpi", *none, {{"range", {nullptr, nullptr}}}).status == Status::pass);
}

TEST_CASE("photo.image.colour: greyscale fails with the mean chroma as value") {
  auto img = image(50, 60);
  img.bgr = cv::Mat(60, 50, CV_8UC3, cv::Scalar(128, 128, 128));
  img.colour_space = "grey";
  auto grey = with_head(std::move(img), std::nullopt);
  Finding f = run("photo.image.colour", *grey, json::object());
  CHECK(f.status == Status::fail);
  REQUIRE(f.value.has_value());
  CHECK(*f.value == doctest::Approx(0.0));
  CHECK(contains(f.message.en, "greyscale"));
  auto colour = with_head(image(50, 60), std::nullopt);  // BGR (40, 120, 200): chroma 160
  f = run("photo.image.colour", *colour, json::object());
  CHECK(f.status == Status::pass);
  CHECK(*f.value == doctest::Approx(160.0));
}

TEST_CASE("photo.face.count: small background faces are ignored; none or two fail") {
  auto with_faces = [](std::vector<float> widths) {
    std::vector<face::Detection> faces;
    for (float w : widths) faces.push_back({cv::Rect2f(10, 10, w, w), 1.0});
    return std::make_unique<analysis::Analysis>(image(400, 500), std::move(faces), std::nullopt);
  };
  const json p = {{"range", {1, 1}}, {"min_relative_width", 0.5}};
  auto none = with_faces({});
  Finding f = run("photo.face.count", *none, p);
  CHECK(f.status == Status::fail);
  CHECK(f.value == 0);
  CHECK(contains(f.message.en, "No face"));
  CHECK(run("photo.face.count", *with_faces({100}), p).status == Status::pass);
  f = run("photo.face.count", *with_faces({100, 50}), p);  // exactly half counts
  CHECK(f.status == Status::fail);
  CHECK(f.value == 2);
  CHECK(contains(f.message.en, "More than one face"));
  f = run("photo.face.count", *with_faces({100, 49.99f}), p);
  CHECK(f.status == Status::pass);
  CHECK(f.value == 1);
  CHECK(run("photo.face.count", *with_faces({100, 40}), {{"min_relative_width", 0.3}}).status ==
        Status::fail);
  CHECK(run("photo.face.count", *with_faces({100}), json::object()).status ==
        Status::pass);  // defaults
}

TEST_CASE("pose checks: symmetric limits, signed values, inclusive") {
  struct Case {
    const char* id;
    double analysis::Head::*field;
  };
  for (const Case c : {Case{"photo.face.pose.yaw", &analysis::Head::yaw_deg},
                       Case{"photo.face.pose.pitch", &analysis::Head::pitch_deg},
                       Case{"photo.face.pose.roll", &analysis::Head::roll_deg}}) {
    CAPTURE(c.id);
    const json p = {{"max_deg", 8}};
    auto at = [&](double v) {
      auto hd = head(295, 413);
      hd.*c.field = v;
      auto a = with_head(image(295, 413), hd);
      return run(c.id, *a, p);
    };
    Finding f = at(8);
    CHECK(f.status == Status::pass);
    CHECK(f.value == 8);
    CHECK(f.unit == "deg");
    CHECK(f.range->lo == -8);
    CHECK(f.range->hi == 8);
    CHECK(at(-8).status == Status::pass);
    CHECK(at(0).status == Status::pass);
    f = at(8 + kEps);
    CHECK(f.status == Status::fail);
    CHECK(contains(f.message.en, "±8°"));
    CHECK(contains(f.message.zh, "应在 ±8° 以内"));
    f = at(-8.04);
    CHECK(f.status == Status::fail);
    CHECK(contains(f.message.en, "-8.04°"));  // never shown as the bound it exceeds
    CHECK(!f.hint.en.empty());
    f = at(-8 - kEps);
    CHECK(f.status == Status::fail);
    CHECK(*f.value < 0);
    CHECK(at(-12).message.en != at(12).message.en);  // says which way
    auto none = with_head(image(295, 413), std::nullopt);
    f = run(c.id, *none, p);
    CHECK(f.status == Status::not_assessed);
    CHECK(contains(f.message.en, "No face"));
  }
}

TEST_CASE("photo.face.ied: px, lower bound inclusive") {
  const json p = {{"range", {60, nullptr}}};
  auto at = [&](double ied) {
    auto hd = head(295, 413);
    hd.ied_px = ied;
    auto a = with_head(image(295, 413), hd);
    return run("photo.face.ied", *a, p);
  };
  Finding f = at(60);
  CHECK(f.status == Status::pass);
  CHECK(f.unit == "px");
  f = at(60 - kEps);
  CHECK(f.status == Status::fail);
  CHECK(contains(f.message.en, "at least 60 px"));
  CHECK(contains(f.message.zh, "应不小于 60 px"));
  auto none = with_head(image(295, 413), std::nullopt);
  CHECK(run("photo.face.ied", *none, p).status == Status::not_assessed);
}

TEST_CASE("photo.geometry.head_height: (chin - crown) / H") {
  const json p = {{"range", {0.55, 0.72}}};
  auto at = [&](double crown, double chin) {
    auto hd = head(300, 400);
    hd.crown_y = crown;
    hd.chin_y = chin;
    auto a = with_head(image(300, 400), hd);
    return run("photo.geometry.head_height", *a, p);
  };
  Finding f = at(40, 260);  // 220 / 400 = 0.55
  CHECK(f.status == Status::pass);
  CHECK(f.value == doctest::Approx(0.55));
  CHECK(f.unit == "ratio of height");
  CHECK(at(40, 328).status == Status::pass);  // 288 / 400 = 0.72
  f = at(40, 260 - kEps);
  CHECK(f.status == Status::fail);
  CHECK(contains(f.message.en, "Head too small"));
  f = at(40, 328 + kEps);
  CHECK(f.status == Status::fail);
  f = at(10, 322);  // 312 / 400 = 78%
  CHECK(f.status == Status::fail);
  CHECK(f.message.zh == "头部过大：头顶到下巴占照片高度的 78%，应为 55%–72%");
  CHECK(f.message.en == "Head too large: crown to chin is 78% of the photo height; allowed 55–72%");
  CHECK(f.hint.en == "Crop wider or step back from the camera");
  auto hd = head(300, 400);
  hd.crown_y.reset();
  auto nocrown = with_head(image(300, 400), hd);
  f = run("photo.geometry.head_height", *nocrown, p);
  CHECK(f.status == Status::not_assessed);
  CHECK(contains(f.message.en, "top of the head could not be found"));
  auto none = with_head(image(300, 400), std::nullopt);
  CHECK(run("photo.geometry.head_height", *none, p).status == Status::not_assessed);
}

TEST_CASE("photo.geometry.crown_margin: crown_y / H from the top") {
  const json p = {{"range", {0.03, 0.12}}};
  auto at = [&](double crown) {
    auto hd = head(300, 400);
    hd.crown_y = crown;
    auto a = with_head(image(300, 400), hd);
    return run("photo.geometry.crown_margin", *a, p);
  };
  CHECK(at(12).status == Status::pass);  // 0.03
  CHECK(at(48).status == Status::pass);  // 0.12
  Finding f = at(12 - kEps);
  CHECK(f.status == Status::fail);
  CHECK(contains(f.message.en, "too close to the top"));
  f = at(48 + kEps);
  CHECK(f.status == Status::fail);
  CHECK(contains(f.message.en, "Too much space above"));
  auto hd = head(300, 400);
  hd.crown_y.reset();
  auto nocrown = with_head(image(300, 400), hd);
  CHECK(run("photo.geometry.crown_margin", *nocrown, p).status == Status::not_assessed);
  auto none = with_head(image(300, 400), std::nullopt);
  CHECK(run("photo.geometry.crown_margin", *none, p).status == Status::not_assessed);
}

TEST_CASE("photo.geometry.eye_line: eye_mid.y / H from the top; assessed without a crown") {
  const json p = {{"range", {0.40, 0.52}}};
  auto at = [&](float y, bool crown = true) {
    auto hd = head(300, 400);
    hd.eye_mid.y = y;
    if (!crown) hd.crown_y.reset();
    auto a = with_head(image(300, 400), hd);
    return run("photo.geometry.eye_line", *a, p);
  };
  CHECK(at(160).status == Status::pass);  // 0.40
  CHECK(at(208).status == Status::pass);  // 0.52
  CHECK(at(160, false).status == Status::pass);
  Finding f = at(159.99f);
  CHECK(f.status == Status::fail);
  CHECK(contains(f.message.en, "Eyes too high"));
  f = at(208.01f);
  CHECK(f.status == Status::fail);
  CHECK(contains(f.message.en, "Eyes too low"));
  auto none = with_head(image(300, 400), std::nullopt);
  CHECK(run("photo.geometry.eye_line", *none, p).status == Status::not_assessed);
}

TEST_CASE("photo.geometry.centring: signed (centre_x - W/2) / W") {
  const json p = {{"range", {-0.04, 0.04}}};
  auto at = [&](double cx) {
    auto hd = head(400, 500);
    hd.centre_x = cx;
    auto a = with_head(image(400, 500), hd);
    return run("photo.geometry.centring", *a, p);
  };
  Finding f = at(216);  // +0.04
  CHECK(f.status == Status::pass);
  CHECK(f.value == doctest::Approx(0.04));
  CHECK(f.unit == "ratio of width");
  CHECK(at(184).status == Status::pass);  // -0.04
  f = at(216 + kEps);
  CHECK(f.status == Status::fail);
  CHECK(contains(f.message.en, "right of centre"));
  CHECK(contains(f.message.en, "±4%"));
  f = at(184 - kEps);
  CHECK(f.status == Status::fail);
  CHECK(contains(f.message.en, "left of centre"));
  CHECK(*f.value < 0);
}

TEST_CASE("photo.geometry.face_width: face_width_px / W") {
  const json p = {{"range", {0.5, 0.68}}};
  auto at = [&](double w) {
    auto hd = head(400, 500);
    hd.face_width_px = w;
    auto a = with_head(image(400, 500), hd);
    return run("photo.geometry.face_width", *a, p);
  };
  CHECK(at(200).status == Status::pass);
  CHECK(at(272).status == Status::pass);
  Finding f = at(200 - kEps);
  CHECK(f.status == Status::fail);
  CHECK(contains(f.message.en, "Face too narrow"));
  f = at(272 + kEps);
  CHECK(f.status == Status::fail);
  CHECK(contains(f.message.zh, "脸部过宽"));
  auto none = with_head(image(400, 500), std::nullopt);
  CHECK(run("photo.geometry.face_width", *none, p).status == Status::not_assessed);
}

TEST_CASE("value and range formatting") {
  using checks::Fmt;
  using checks::format_range;
  using checks::format_value;
  CHECK(format_value(0.78, Fmt::percent) == "78%");
  CHECK(format_value(0.035, Fmt::percent) == "3.5%");
  CHECK(format_value(25.34, Fmt::kb) == "25.3 KB");
  CHECK(format_value(-3.26, Fmt::deg) == "-3.3°");
  CHECK(format_range({0.55, 0.72}, Fmt::percent, false) == "55–72%");
  CHECK(format_range({0.55, 0.72}, Fmt::percent, true) == "55%–72%");
  CHECK(format_range({-0.02, 0.04}, Fmt::signed_percent, false) == "-2% to +4%");
  CHECK(format_range({60, std::nullopt}, Fmt::px, false) == "at least 60 px");
  CHECK(format_range({60, std::nullopt}, Fmt::px, true) == "不小于 60 px");
  CHECK(format_range({std::nullopt, 240}, Fmt::kb, false) == "at most 240 KB");
  CHECK(format_range({-8, 8}, Fmt::deg, false) == "within ±8°");
  CHECK(format_range({300, 300}, Fmt::dpi, false) == "300 dpi");
}
