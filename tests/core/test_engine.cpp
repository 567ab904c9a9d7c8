#include <filesystem>
#include <fstream>
#include <string>

#include "face/face_models.hpp"
#include "idphoto/idphoto.hpp"
#include "profiles/profile_data.hpp"
#include "support/test_support.hpp"
#include "support/three_faces.hpp"

using namespace idphoto;

namespace {

const Engine& engine() {
  static Result<Engine> e = Engine::create();
  REQUIRE_MESSAGE(e.ok(), (e.ok() ? "" : e.error().message));
  return e.value();
}

std::span<const std::uint8_t> bytes_of(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

}  // namespace

TEST_CASE("Engine::create: a missing model directory is model_missing naming the path") {
  EngineOptions o;
  o.model_dir = "/nonexistent/idphoto-models";
  auto e = Engine::create(o);
  REQUIRE_FALSE(e.ok());
  CHECK(e.error().code == ErrorCode::model_missing);
  CHECK(e.error().message.find("/nonexistent/idphoto-models") != std::string::npos);
}

TEST_CASE(
    "Engine::models: the 68-point model with its non-commercial licence, its compact copy, and the HOG detector") {
  const auto models = engine().models();
  // The compact copy is listed when a cache directory exists (it does here unless IDPHOTO_CACHE_DIR=off).
  REQUIRE(models.size() == (face::FaceModels::default_cache_dir().empty() ? 2u : 3u));
  if (models.size() == 3) {
    CHECK(models[1].path.ends_with(".idlm"));
    CHECK(models[1].bytes > 60000000);
    CHECK(models[1].licence.find("carry over") != std::string::npos);
  }
  CHECK(models[0].path.ends_with("shape_predictor_68_face_landmarks.dat"));
  CHECK(models[0].bytes > 1000000);
  CHECK(models[0].licence.find("non-commercial") != std::string::npos);
  CHECK(models[0].provided_by == "libdlib-data");
  CHECK(models.back().licence.find("Boost") != std::string::npos);
  CHECK(engine().options().model_dir ==
        std::filesystem::path(models[0].path).parent_path().string());
}

TEST_CASE("check_photo: undecodable bytes give an error report with the sniffed format") {
  auto profile = Profile::builtin("cn-1inch");
  REQUIRE(profile.ok());
  const std::string text = "just some text, not an image\n";
  Report r = engine().check_photo(bytes_of(text), *profile, "notes.jpg");
  CHECK(r.verdict() == Verdict::error);
  REQUIRE(r.error);
  CHECK(r.error->code == ErrorCode::unsupported_format);
  CHECK(r.input == "notes.jpg");
  CHECK(r.profile == "cn-1inch");
  REQUIRE(r.image);
  CHECK(r.image->format == "text");
  CHECK(r.image->bytes == text.size());
  CHECK(r.findings.empty());

  Report empty = engine().check_photo({}, *profile, "empty.jpg");
  CHECK(empty.verdict() == Verdict::error);
}

TEST_CASE("check_photo: a signature profile is invalid_argument") {
  auto sig = Profile::builtin("cn-signature");
  if (!sig.ok()) {
    MESSAGE("SKIPPED: cn-signature not available: " << sig.error().message);
    return;
  }
  const std::string text = "x";
  Report r = engine().check_photo(bytes_of(text), *sig, "s.png");
  REQUIRE(r.error);
  CHECK(r.error->code == ErrorCode::invalid_argument);
}

TEST_CASE(
    "check_photo: a real source photo runs every profile check in order and fails as uploaded") {
  auto data = test::shared_data();
  if (!data) return;
  auto profile = Profile::builtin("cn-1inch");
  REQUIRE(profile.ok());
  const auto bytes = test::read_file(*data / "faces/deepface/img30.jpg");
  Report r = engine().check_photo(bytes, *profile, "img30.jpg");
  REQUIRE_FALSE(r.error);
  REQUIRE(r.image);
  CHECK(r.image->format == "jpeg");
  CHECK(r.image->width > 295);
  CHECK(r.image->bytes == bytes.size());
  const auto& enabled = profile->data().checks;
  REQUIRE(r.findings.size() == enabled.size());
  for (std::size_t i = 0; i < enabled.size(); ++i) CHECK(r.findings[i].id == enabled[i].first->id);
  CHECK(r.verdict() == Verdict::fail);
  REQUIRE(r.find("photo.image.dimensions"));
  CHECK(r.find("photo.image.dimensions")->status == Status::fail);
  bool has_total = false;
  for (const auto& [k, v] : r.timing_ms) has_total |= (k == "total" && v > 0);
  CHECK(has_total);
  // Same input, same JSON apart from timing.
  Report again = engine().check_photo(bytes, *profile, "img30.jpg");
  r.timing_ms.clear();
  again.timing_ms.clear();
  CHECK(r.to_json() == again.to_json());
}

TEST_CASE("background colour names go through the profile's own colour table") {
  // The sample stands before white: it passes cn-1inch's "white", and fails once a profile
  // redefines "white" as mid grey (CONTRACTS.md: named colours are overridable per profile).
  const auto bytes = test::read_file(test::source_dir() / "samples/cn-1inch-obama.jpg");
  auto plain = Profile::builtin("cn-1inch");
  auto grey = Profile::from_json(
      R"({"id": "grey-white", "extends": "cn-1inch", "background_colours": {"white": "#808080"}})");
  REQUIRE(plain.ok());
  REQUIRE(grey.ok());
  const Report a = engine().check_photo(bytes, *plain, "obama.jpg");
  const Report b = engine().check_photo(bytes, *grey, "obama.jpg");
  REQUIRE(a.find("photo.background.colour"));
  REQUIRE(b.find("photo.background.colour"));
  CHECK(a.find("photo.background.colour")->status == Status::pass);
  CHECK(b.find("photo.background.colour")->status == Status::fail);
  CHECK(*b.find("photo.background.colour")->value > 30);  // ΔE from #808080
  // The table reaches the check as context, not as a parameter a profile may set or see.
  for (const auto& [def, params] : grey->data().checks)
    if (def->id == std::string_view("photo.background.colour")) {
      CHECK(params.context()["white"] == "#808080");
      CHECK_FALSE(params.json().contains("background_colours"));
    }
}

TEST_CASE("check_photo looks for faces down to the profile's photo.face.count min_relative_width") {
  const cv::Mat group = test::three_faces(cv::IMREAD_COLOR);  // faces 151, 105 and 73 px wide
  std::vector<std::uint8_t> png;
  REQUIRE(cv::imencode(".png", group, png));

  auto builtin = Profile::builtin("cn-1inch");
  REQUIRE(builtin.ok());
  CHECK(faces_down_to(builtin->data()) == 0.5);
  auto wide = Profile::from_json(
      R"({"id": "wide", "extends": "cn-1inch", "checks": {"photo.face.count": {"min_relative_width": 0.4}}})");
  REQUIRE_MESSAGE(wide.ok(), wide.error().message);
  CHECK(faces_down_to(wide->data()) == 0.4);
  auto narrow = Profile::from_json(
      R"({"id": "narrow", "extends": "cn-1inch", "checks": {"photo.face.count": {"min_relative_width": 0.8}}})");
  REQUIRE(narrow.ok());
  CHECK(faces_down_to(narrow->data()) == 0.5);  // never less than half: see profile_data.hpp
  auto none = Profile::from_json(R"({"id": "none", "extends": "cn-1inch", "checks": {"photo.face.count": null}})");
  REQUIRE(none.ok());
  CHECK(faces_down_to(none->data()) == 0.5);

  const Finding* f = nullptr;
  Report r = engine().check_photo(png, *builtin, "group.png");
  REQUIRE((f = r.find("photo.face.count")));
  CHECK(f->value == 2);  // the 0.4 face is under half the main face's width
  r = engine().check_photo(png, *wide, "group.png");
  REQUIRE((f = r.find("photo.face.count")));
  CHECK(f->value == 3);  // found because this profile counts it
}

TEST_CASE("an engine with threads = 2 gives the same reports and fixed files as one with 1") {
  // threads >= 2 converts to CIELAB on a second thread beside the face search, or beside the decoding for a
  // DCT-scaled JPEG (img33 at 1/2, the 10 MP HELEN photo at 1/4); nothing else changes.
  EngineOptions two;
  two.threads = 2;
  auto e2 = Engine::create(two);
  REQUIRE(e2.ok());
  CHECK(e2->options().threads == 2);
  const auto strip = [](Report r) {
    r.timing_ms.clear();
    return r.to_json();
  };
  std::vector<std::filesystem::path> photos = {test::source_dir() / "samples/cn-1inch-obama.jpg",
                                               test::source_dir() / "samples/obama-source.jpg"};
  if (const auto data = test::shared_data()) {
    for (const char* p : {"faces/deepface/img30.jpg", "faces/HivisionIDPhotos/test0.jpg", "faces/yalefaces/subject01.glasses",
                          "faces/deepface/img33.jpg", "faces/helen_300W_testset/3213949024_1.jpg"})
      if (std::filesystem::exists(*data / p)) photos.push_back(*data / p);
  }
  const Profile cn = Profile::builtin("cn-1inch").value();
  for (const auto& p : photos) {
    CAPTURE(p);
    const auto bytes = test::read_file(p);
    CHECK(strip(engine().check_photo(bytes, cn, "x")) == strip(e2->check_photo(bytes, cn, "x")));
  }
  // fix on two threads judges the source beside the rendering and takes back what one thread would not
  // have done (photo_fix.cpp, step 2): the whole result must be the same, the stages timed included.
  // The photos of the fix golden table cover passing, refused by the source (with a crop that would
  // have rendered), refused by the plan, and no face; each with the background kept and made white.
  if (const auto data = test::shared_data()) {
    std::ifstream table(test::source_dir() / "tests/fix/fix_golden.csv");
    for (std::string line; std::getline(table, line);)
      if (!line.empty() && line[0] != '#') photos.push_back(*data / line.substr(0, line.find(',')));
  }
  const auto strip_fix = [](FixResult r) {
    std::string stages;
    for (const auto& t : r.timing_ms) stages += t.first + " ";
    r.timing_ms.clear();
    r.before.timing_ms.clear();
    if (r.after) r.after->timing_ms.clear();
    return stages + r.to_json();
  };
  int refused_by_source = 0, passed = 0;
  for (const auto& p : photos) {
    CAPTURE(p);
    const auto bytes = test::read_file(p);
    for (const char* background : {"keep", "white"}) {
      CAPTURE(background);
      FixOptions o;
      o.background = background;
      const FixResult a = engine().fix_photo(bytes, cn, o, "x"), b = e2->fix_photo(bytes, cn, o, "x");
      CHECK(a.output == b.output);
      CHECK(strip_fix(a) == strip_fix(b));
      passed += a.passed();
      refused_by_source += a.refused && !a.refusal.empty() && a.before.find(a.refusal.front().id) &&
                           a.before.find(a.refusal.front().id)->status == Status::fail;
    }
  }
  if (test::shared_data()) {
    CHECK(passed >= 4);
    CHECK(refused_by_source >= 4);
  }
  // Undecodable input: the same error either way.
  CHECK(strip(engine().check_photo(bytes_of("not a photo"), cn, "x")) ==
        strip(e2->check_photo(bytes_of("not a photo"), cn, "x")));
}
