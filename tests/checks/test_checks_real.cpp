// The file-level checks of cn-1inch on real files (decoded by io, analysed without face models).
#include "analysis/analysis.hpp"
#include "checks/check.hpp"
#include "profiles/profile_data.hpp"
#include "support/test_support.hpp"

using namespace idphoto;

namespace {

// Findings of every cn-1inch check on a real file; models null, so no face is found.
std::vector<Finding> run_cn_1inch(const std::filesystem::path& file) {
  const auto bytes = test::read_file(file);
  auto img = io::decode(bytes, Limits{});
  REQUIRE_MESSAGE(img.ok(), file.string() << ": " << img.error().message);
  analysis::Analysis a(std::move(img.value()), nullptr);
  auto profile = Profile::builtin("cn-1inch");
  REQUIRE(profile.ok());
  std::vector<Finding> out;
  for (const auto& [def, params] : profile->data().checks) out.push_back(def->run(a, params));
  return out;
}

const Finding& get(const std::vector<Finding>& fs, std::string_view id) {
  for (const auto& f : fs)
    if (f.id == id) return f;
  FAIL("no finding " << id);
  return fs.front();
}

}  // namespace

TEST_CASE("cn-1inch file checks on a real grey Yale PNG") {
  auto data = test::shared_data();
  if (!data) return;
  const auto fs = run_cn_1inch(*data / "faces/yalefaces/subject01.normal.png");
  CHECK(get(fs, "photo.file.format").status == Status::fail);
  CHECK(get(fs, "photo.file.format").value_text == "png");
  CHECK(get(fs, "photo.file.size").value == doctest::Approx(22653 / 1024.0));
  CHECK(get(fs, "photo.file.size").status == Status::pass);  // 22.1 KB is inside 10–30 KB
  CHECK(get(fs, "photo.image.dimensions").status == Status::fail);
  CHECK(get(fs, "photo.image.dimensions").value_text == "320x243");
  CHECK(get(fs, "photo.image.colour").status == Status::fail);
  CHECK(get(fs, "photo.face.count").status == Status::fail);  // no models: no face
  CHECK(get(fs, "photo.geometry.head_height").status == Status::not_assessed);
  CHECK(get(fs, "photo.face.pose.yaw").status == Status::not_assessed);
}

TEST_CASE("cn-1inch file checks on a real colour JPEG and on a PNG named .jpg") {
  auto data = test::shared_data();
  if (!data) return;
  auto fs = run_cn_1inch(*data / "faces/deepface/img30.jpg");
  CHECK(get(fs, "photo.file.format").status == Status::pass);
  CHECK(get(fs, "photo.file.size").status == Status::fail);  // 251 KB
  CHECK(get(fs, "photo.file.size").message.en.find("File too large") != std::string::npos);
  CHECK(get(fs, "photo.image.dimensions").value_text == "1453x1004");
  CHECK(get(fs, "photo.image.colour").status == Status::pass);
  fs = run_cn_1inch(*data / "faces/HivisionIDPhotos/_suspected_ai_generated/test2.jpg");
  CHECK(get(fs, "photo.file.format").status == Status::fail);
  CHECK(get(fs, "photo.file.format").value_text == "png");
}
