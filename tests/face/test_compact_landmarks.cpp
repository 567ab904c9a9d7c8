// The compact landmark model (face/compact_landmarks.hpp): same points as dlib's shape_predictor on real
// faces, the cache (written, mapped, rebuilt when stale or damaged), and hostile compact files.
// This file includes dlib for the reference predictor (compile time ~40 s).
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <dlib/image_processing.h>
#include <dlib/opencv.h>
#include <opencv2/imgproc.hpp>

#include "analysis/analysis.hpp"
#include "face/compact_landmarks.hpp"
#include "face/face_models.hpp"
#include "face_test_support.hpp"

using namespace idphoto;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    std::string t = (fs::temp_directory_path() / "idphoto-compact-XXXXXX").string();
    REQUIRE(mkdtemp(t.data()) != nullptr);
    path = t;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

double nme(const face::Landmarks68& lm, const std::vector<cv::Point2f>& gt) {
  const double norm = cv::norm(gt[36] - gt[45]);  // outer eye corners
  double sum = 0;
  for (size_t i = 0; i < 68; ++i) sum += cv::norm(lm[i] - gt[i]);
  return sum / 68.0 / norm;
}

std::uintmax_t file_size(const fs::path& p) {
  std::error_code ec;
  return fs::file_size(p, ec);
}

}  // namespace

TEST_CASE("compact model gives dlib's landmarks on the HELEN / 300-W faces (NME within 0.1 % of the eye distance)") {
  const auto data = test::shared_data();
  if (!data) return;
  TempDir cache;
  auto loaded = face::FaceModels::load(test::kDefaultModel, cache.path.string());
  REQUIRE(loaded.ok());
  const auto models = loaded.value();
  CHECK(models->load_info().compact_state == "written");

  dlib::shape_predictor reference;
  dlib::deserialize(test::kDefaultModel) >> reference;

  const fs::path dir = *data / "faces/helen_300W_testset";
  int faces = 0, on_annotated = 0, points = 0, identical = 0;
  double worst_px = 0, nme_dlib = 0, nme_compact = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".jpg") continue;
    const auto gt = test::read_pts(fs::path(entry.path()).replace_extension(".pts"));
    REQUIRE(gt.size() == 68);
    analysis::Analysis a(test::load_decoded(entry.path()), models);
    const cv::Mat& grey = a.grey();
    // Every detected face and the annotated box: boxes the detector gives and boxes it does not.
    std::vector<cv::Rect2f> boxes;
    for (const auto& d : a.faces()) boxes.push_back(d.box);
    boxes.push_back(cv::boundingRect(gt));
    for (const auto& box : boxes) {
      const face::Landmarks68 ours = models->landmarks(grey, box);
      const dlib::rectangle rect(std::lround(box.x), std::lround(box.y), std::lround(box.x + box.width) - 1,
                                 std::lround(box.y + box.height) - 1);
      const dlib::full_object_detection ref = reference(dlib::cv_image<unsigned char>(grey), rect);
      REQUIRE(ref.num_parts() == 68);
      face::Landmarks68 theirs{};
      for (unsigned long i = 0; i < 68; ++i) {
        theirs[i] = cv::Point2f(static_cast<float>(ref.part(i).x()), static_cast<float>(ref.part(i).y()));
        const double d = cv::norm(theirs[i] - ours[i]);
        worst_px = std::max(worst_px, d);
        identical += d == 0;
        ++points;
      }
      ++faces;
      // The error against the annotation only for boxes on the annotated face (images show others too).
      const cv::Rect2f gt_box = cv::boundingRect(gt);
      if (gt_box.contains(cv::Point2f(box.x + box.width / 2, box.y + box.height / 2))) {
        nme_dlib += nme(theirs, gt);
        nme_compact += nme(ours, gt);
        ++on_annotated;
      }
    }
  }
  REQUIRE(faces >= 40);
  REQUIRE(on_annotated >= 40);
  nme_dlib /= on_annotated;
  nme_compact /= on_annotated;
  MESSAGE("HELEN: " << faces << " faces, " << identical << "/" << points << " points identical to dlib's, worst "
                    << worst_px << " px; mean NME on the " << on_annotated << " boxes of annotated faces: dlib " << nme_dlib * 100 << " %, compact " << nme_compact * 100
                    << " %");
  CHECK(nme_compact <= nme_dlib + 0.001);  // the bound: +0.1 % of the outer-eye distance
  CHECK(identical >= points * 99 / 100);   // the same arithmetic: rare rounding differences at most
}

TEST_CASE("compact cache: written on first use, mapped after, rebuilt when damaged or stale") {
  TempDir cache;
  auto first = face::FaceModels::load(test::kDefaultModel, cache.path.string());
  REQUIRE(first.ok());
  const auto info = first.value()->load_info();
  CHECK(info.compact_state == "written");
  CHECK(info.note.empty());
  REQUIRE(fs::exists(info.compact_path));
  CHECK(file_size(info.compact_path) > 60u * 1000 * 1000);
  // The detector's serialised copy sits beside it.
  int detector_files = 0;
  for (const auto& e : fs::directory_iterator(cache.path)) detector_files += e.path().extension() == ".idfd";
  CHECK(detector_files == 1);

  auto second = face::FaceModels::load(test::kDefaultModel, cache.path.string());
  REQUIRE(second.ok());
  CHECK(second.value()->load_info().compact_state == "cached");
  CHECK(second.value()->load_info().load_ms < first.value()->load_info().load_ms);

  // Both give the same points on a real photo.
  analysis::Analysis a(test::load_decoded(test::source_dir() / "samples/cn-1inch-obama.jpg"), second.value());
  REQUIRE(!a.faces().empty());
  const auto p1 = first.value()->landmarks(a.grey(), a.faces().front().box);
  const auto p2 = second.value()->landmarks(a.grey(), a.faces().front().box);
  for (size_t i = 0; i < 68; ++i) CHECK(p1[i] == p2[i]);

  SUBCASE("a truncated cache file is rebuilt, saying why") {
    fs::resize_file(info.compact_path, file_size(info.compact_path) / 2);
    auto r = face::FaceModels::load(test::kDefaultModel, cache.path.string());
    REQUIRE(r.ok());
    CHECK(r.value()->load_info().compact_state == "written");
    CHECK(r.value()->load_info().note.find("truncated") != std::string::npos);
    CHECK(file_size(info.compact_path) > 60u * 1000 * 1000);
  }
  SUBCASE("a cache file made from another dlib file is rebuilt") {
    {
      std::fstream f(info.compact_path, std::ios::in | std::ios::out | std::ios::binary);
      f.seekp(40);  // source_size in the header
      const std::uint64_t other = 12345;
      f.write(reinterpret_cast<const char*>(&other), sizeof other);
    }
    auto r = face::FaceModels::load(test::kDefaultModel, cache.path.string());
    REQUIRE(r.ok());
    CHECK(r.value()->load_info().compact_state == "written");
    CHECK(r.value()->load_info().note.find("another dlib file") != std::string::npos);
  }
  SUBCASE("a damaged detector copy is rebuilt") {
    for (const auto& e : fs::directory_iterator(cache.path))
      if (e.path().extension() == ".idfd") fs::resize_file(e.path(), 100);
    auto r = face::FaceModels::load(test::kDefaultModel, cache.path.string());
    REQUIRE(r.ok());
    const cv::Mat grey = a.grey();
    CHECK(r.value()->detect(grey).size() == 1);
  }
  SUBCASE("an unwritable cache costs time, not the answer") {
    const fs::path blocked = cache.path / "not-a-dir";
    std::ofstream(blocked) << "x";
    auto r = face::FaceModels::load(test::kDefaultModel, blocked.string());
    REQUIRE(r.ok());
    CHECK(r.value()->load_info().compact_state == "not written");
    CHECK(!r.value()->load_info().note.empty());
    const auto p3 = r.value()->landmarks(a.grey(), a.faces().front().box);
    for (size_t i = 0; i < 68; ++i) CHECK(p3[i] == p1[i]);
  }
  SUBCASE("no cache directory at all") {
    auto r = face::FaceModels::load(test::kDefaultModel, "");
    REQUIRE(r.ok());
    CHECK(r.value()->load_info().compact_state == "no cache");
  }
  SUBCASE("a compact file can be given as the model itself") {
    auto r = face::FaceModels::load(info.compact_path, "");
    REQUIRE(r.ok());
    CHECK(r.value()->load_info().compact_state == "given");
    const auto p4 = r.value()->landmarks(a.grey(), a.faces().front().box);
    for (size_t i = 0; i < 68; ++i) CHECK(p4[i] == p1[i]);
  }
}

TEST_CASE("hostile compact files are refused with model_corrupt, never read out of bounds") {
  // A small valid model: 68 points, 1 cascade of 2 depth-1 trees over 3 feature pixels.
  face::LandmarkModelArrays m;
  m.num_points = 68;
  m.num_cascades = 1;
  m.trees_per_cascade = 2;
  m.tree_depth = 1;
  m.features_per_cascade = 3;
  for (int i = 0; i < 68; ++i) {
    m.initial_shape.push_back(0.2f + 0.6f * static_cast<float>(i % 9) / 8.0f);
    m.initial_shape.push_back(0.2f + 0.6f * static_cast<float>(i / 9) / 7.0f);
  }
  m.anchor = {0, 30, 67};
  m.deltas = {0.01f, 0.0f, 0.0f, 0.02f, -0.01f, 0.0f};
  m.splits = {{0, 1, 0.0f}, {1, 2, 5.0f}};
  m.leaves.assign(2 * 2 * 136, 0.001f);
  TempDir dir;
  const std::string good = (dir.path / "good.idlm").string();
  REQUIRE(face::CompactLandmarks::write(good, m, {}).empty());
  auto ok = face::CompactLandmarks::open(good);
  REQUIRE(ok.ok());
  CHECK(ok.value()->mapped());
  // It evaluates: a grey ramp, a box, 68 finite points inside the image's neighbourhood.
  cv::Mat grey(100, 100, CV_8UC1);
  for (int y = 0; y < 100; ++y)
    for (int x = 0; x < 100; ++x) grey.at<unsigned char>(y, x) = static_cast<unsigned char>(x + y);
  const auto pts = ok.value()->predict(grey, cv::Rect2f(10, 10, 80, 80));
  CHECK(pts[0].x >= 10);
  CHECK(pts[67].y <= 100);

  const auto bytes = test::read_file(good);
  const auto variant = [&](const std::string& name, auto&& mutate) {
    std::vector<std::uint8_t> b = bytes;
    mutate(b);
    const std::string p = (dir.path / name).string();
    std::ofstream(p, std::ios::binary).write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
    return face::CompactLandmarks::open(p);
  };
  const auto refused = [](const auto& r, const std::string& why) {
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::model_corrupt);
    CHECK_MESSAGE(r.error().message.find(why) != std::string::npos, r.error().message);
  };
  refused(variant("magic.idlm", [](auto& b) { b[0] = 'X'; }), "not an idphoto landmark file");
  refused(variant("short.idlm", [](auto& b) { b.resize(b.size() - 1); }), "truncated");
  refused(variant("long.idlm", [](auto& b) { b.push_back(0); }), "truncated");
  refused(variant("points.idlm", [](auto& b) { b[16] = 5; }), "68-point");
  refused(variant("huge.idlm", [](auto& b) { b[20] = 0xff, b[21] = 0xff; }), "out of range");
  refused(variant("version.idlm", [](auto& b) { b[8] = 9; }), "version");
  // Sections start on 64-byte boundaries: initial shape at 64 (544 B), anchors at 640 (12 B), deltas at
  // 704 (24 B), splits at 768. The first anchor pointing past the 68 points:
  refused(variant("anchor.idlm", [](auto& b) { b[640] = 200; }), "anchor");
  // The first split's idx1 (splits start after the deltas section) pointing past the 3 features.
  refused(variant("split.idlm", [](auto& b) {
            b[768] = 7;
          }),
          "split");
  refused(variant("nan.idlm", [](auto& b) {
            const float nan = std::nanf("");
            std::memcpy(b.data() + 64, &nan, 4);  // the first initial-shape coordinate
          }),
          "not finite");
  auto empty = variant("empty.idlm", [](auto& b) { b.clear(); });
  refused(empty, "not a regular file of the expected size");
  auto missing = face::CompactLandmarks::open((dir.path / "absent.idlm").string());
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::model_missing);
}
