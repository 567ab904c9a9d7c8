// Face models: model loading errors, detection counts, landmark accuracy (HELEN / 300-W), pose signs.
#include <algorithm>
#include <cmath>
#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <opencv2/imgproc.hpp>

#include "analysis/analysis.hpp"
#include "face/face_models.hpp"
#include "face/head_pose.hpp"
#include "face_test_support.hpp"
#include "support/three_faces.hpp"

using namespace idphoto;

namespace {

struct HelenRow {
  std::string image;
  std::string group;
};

std::vector<HelenRow> read_selection(const std::filesystem::path& csv) {
  std::ifstream f(csv);
  std::string line;
  std::vector<HelenRow> rows;
  std::getline(f, line);  // header
  while (std::getline(f, line)) {
    if (line.empty()) continue;
    const auto first = line.find(',');
    const auto last = line.rfind(',');
    rows.push_back({line.substr(0, first), line.substr(last + 1)});
  }
  return rows;
}

double normalised_error(const face::Landmarks68& lm, const std::vector<cv::Point2f>& gt) {
  const double norm = cv::norm(gt[36] - gt[45]);  // outer eye corners, points 37 and 46 (1-based)
  double sum = 0;
  for (size_t i = 0; i < 68; ++i) sum += cv::norm(lm[i] - gt[i]);
  return sum / 68.0 / norm;
}

}  // namespace

TEST_CASE("missing model file is model_missing and names the path and the package") {
  const std::string path = "/nonexistent/dir/shape_predictor_68_face_landmarks.dat";
  auto r = face::FaceModels::load(path);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::model_missing);
  CHECK(r.error().message.find(path) != std::string::npos);
  CHECK(r.error().message.find("libdlib-data") != std::string::npos);
}

TEST_CASE("garbage and empty model files are model_corrupt") {
  const auto dir = std::filesystem::temp_directory_path();
  const auto garbage = dir / ("idphoto_face_garbage_" + std::to_string(::getpid()) + ".dat");
  const auto empty = dir / ("idphoto_face_empty_" + std::to_string(::getpid()) + ".dat");
  {
    std::ofstream f(garbage, std::ios::binary);
    for (int i = 0; i < 5000; ++i) f.put(static_cast<char>((i * 7919 + 13) & 0xff));
    std::ofstream e(empty, std::ios::binary);
  }
  for (const auto& p : {garbage, empty}) {
    auto r = face::FaceModels::load(p.string());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::model_corrupt);
    CHECK(r.error().message.find(p.string()) != std::string::npos);
  }
  std::filesystem::remove(garbage);
  std::filesystem::remove(empty);
}

TEST_CASE("the Debian model loads with 68 points") {
  const auto m = test::default_models();
  REQUIRE(m);
  CHECK(m->landmark_model_path() == test::kDefaultModel);
}

TEST_CASE("face counts on real images") {
  const auto data = test::shared_data();
  if (!data) return;
  const auto models = test::default_models();
  const auto faces_in = [&](const char* rel) {
    analysis::Analysis a(test::load_decoded(*data / rel), models);
    return a.faces().size();
  };
  CHECK(faces_in("faces/face_recognition/two_people.jpg") == 2);
  CHECK(faces_in("faces/dlib_examples_faces/dogs.jpg") == 0);
  CHECK(faces_in("faces/deepface/img30.jpg") == 1);
  CHECK(faces_in("faces/deepface/img33.jpg") == 1);
  CHECK(faces_in("faces/HivisionIDPhotos/test0.jpg") == 1);
}

TEST_CASE("detect() is largest first and thread-safe on a shared const object") {
  const auto data = test::shared_data();
  if (!data) return;
  const auto models = test::default_models();
  cv::Mat grey = cv::imread((*data / "faces/face_recognition/two_people.jpg").string(), cv::IMREAD_GRAYSCALE);
  REQUIRE(!grey.empty());
  const auto ref = models->detect(grey);
  REQUIRE(ref.size() == 2);
  CHECK(ref[0].box.area() >= ref[1].box.area());
  CHECK(ref[0].score > 0);
  std::vector<std::vector<face::Detection>> got(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < got.size(); ++t) threads.emplace_back([&, t] { got[t] = models->detect(grey); });
  for (auto& t : threads) t.join();
  for (const auto& g : got) {
    REQUIRE(g.size() == ref.size());
    for (size_t i = 0; i < g.size(); ++i) CHECK(g[i].box == ref[i].box);
  }
}

namespace {
// The faces at least `share` of the widest one's width, left to right.
std::vector<cv::Rect2f> counted(const std::vector<face::Detection>& dets, double share) {
  float widest = 0;
  for (const auto& d : dets) widest = std::max(widest, d.box.width);
  std::vector<cv::Rect2f> r;
  for (const auto& d : dets)
    if (d.box.width >= share * widest) r.push_back(d.box);
  std::sort(r.begin(), r.end(), [](const cv::Rect2f& a, const cv::Rect2f& b) {
    return a.x < b.x || (a.x == b.x && a.y < b.y);
  });
  return r;
}

// The samples and every face image of ../shared/data (when present), sorted.
std::vector<std::filesystem::path> face_images() {
  std::vector<std::filesystem::path> images = {test::source_dir() / "samples/cn-1inch-obama.jpg",
                                               test::source_dir() / "samples/obama-source.jpg"};
  if (const auto data = test::shared_data())
    for (const char* dir : {"faces/face_recognition", "faces/deepface", "faces/HivisionIDPhotos", "faces/insightface",
                            "faces/helen_300W_testset", "faces/dlib_examples_faces"})
      for (const auto& e : std::filesystem::directory_iterator(*data / dir)) {
        const auto ext = e.path().extension().string();
        if (ext == ".jpg" || ext == ".png" || ext == ".jpeg") images.push_back(e.path());
      }
  std::sort(images.begin(), images.end());
  return images;
}

// The image in grey, at most 800 px on its longer side, as analysis.cpp's detection copy.
cv::Mat detection_copy(const std::filesystem::path& p) {
  cv::Mat grey = cv::imread(p.string(), cv::IMREAD_GRAYSCALE);
  REQUIRE_MESSAGE(!grey.empty(), p);
  const double s = std::min(1.0, 800.0 / std::max(grey.cols, grey.rows));
  if (s < 1) cv::resize(grey, grey, cv::Size(), s, s, cv::INTER_AREA);
  return grey;
}
}  // namespace

TEST_CASE("detect() down to half the widest face finds exactly the faces a full scan counts") {
  const auto models = test::default_models();
  const cv::Mat group = test::three_faces(cv::IMREAD_GRAYSCALE);
  const auto all = models->detect(group), half = models->detect(group, 0.5);
  // The full scan sees all three: 151, 105 and 73 px wide (the 0.4 face's best box is on the finest level,
  // 73 px; it also fires, more weakly, 87 px wide one level up).
  REQUIRE(all.size() == 3);
  CHECK(counted(all, 0.5).size() == 2);
  CHECK(counted(all, 0.5) == counted(half, 0.5));  // the 87 px box must not stand in for the 73 px one
  CHECK(counted(all, 0.3) == counted(models->detect(group, 0.3), 0.3));
  CHECK(models->detect(group, 0.3).size() == 3);

  const std::vector<std::filesystem::path> images = face_images();
  int faces = 0, pruned = 0;
  for (const auto& p : images) {
    const cv::Mat grey = detection_copy(p);
    const auto a = models->detect(grey), b = models->detect(grey, 0.5);
    INFO(p.filename().string());
    CHECK(counted(a, 0.5) == counted(b, 0.5));
    faces += static_cast<int>(counted(a, 0.5).size());
    pruned += static_cast<int>(a.size() - b.size());
  }
  MESSAGE(images.size() << " images: the same " << faces << " counted faces; " << pruned
                        << " smaller detections left out by the half scan");
  CHECK(faces >= static_cast<int>(images.size()) / 2);
}

TEST_CASE("detect() on two threads finds the same faces, boxes and scores as on one") {
  // Both builds of the detector: the AVX2 module (when in use here) and dlib's baseline build.
  const auto path = std::string("/usr/share/dlib/shape_predictor_68_face_landmarks.dat");
  const std::shared_ptr<const face::FaceModels> builds[] = {
      test::default_models(), face::FaceModels::load(path, face::FaceModels::default_cache_dir(), true).value()};
  const cv::Mat group = test::three_faces(cv::IMREAD_GRAYSCALE);
  const std::vector<std::filesystem::path> images = face_images();
  for (const auto& models : builds) {
    INFO("detector " << models->load_info().detector_code);
    int faces = 0;
    for (size_t i = 0; i <= images.size(); ++i) {
      const cv::Mat grey = i < images.size() ? detection_copy(images[i]) : group;
      INFO((i < images.size() ? images[i].filename().string() : std::string("three faces")));
      for (const double down_to : {0.0, 0.5}) {
        const auto one = models->detect(grey, down_to, 1), two = models->detect(grey, down_to, 2);
        REQUIRE(one.size() == two.size());
        for (size_t k = 0; k < one.size(); ++k) {
          CHECK(one[k].box == two[k].box);
          CHECK(one[k].score == two[k].score);
        }
        if (down_to > 0) faces += static_cast<int>(one.size());
      }
    }
    MESSAGE((images.size() + 1) << " images, " << faces << " faces, the same on one and two threads ("
                              << models->load_info().detector_code << ")");
    CHECK(faces >= static_cast<int>(images.size()) / 2);
  }
}

TEST_CASE("the AVX2 detector module finds the same faces as dlib's baseline build") {
  const auto path = std::string("/usr/share/dlib/shape_predictor_68_face_landmarks.dat");
  const auto fast = face::FaceModels::load(path, face::FaceModels::default_cache_dir()).value();
  const auto base = face::FaceModels::load(path, face::FaceModels::default_cache_dir(), true).value();
  CHECK(base->load_info().detector_code == "baseline");
  // The build makes the module next to this test on x86-64; on a CPU with AVX2 + FMA it must be used.
  const auto exe_dir = std::filesystem::read_symlink("/proc/self/exe").parent_path();
  const bool built = std::filesystem::exists(exe_dir / "idphoto-hog-avx2.so");
#if defined(__x86_64__)
  const bool cpu = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  const bool cpu = false;
#endif
  if (!built || !cpu || std::getenv("IDPHOTO_HOG_MODULE")) {
    MESSAGE("AVX2 detector module not in use here (built " << built << ", CPU " << cpu << "): comparison skipped");
    return;
  }
  REQUIRE(fast->load_info().detector_code == "avx2");
  std::vector<std::filesystem::path> images = {test::source_dir() / "samples/cn-1inch-obama.jpg",
                                               test::source_dir() / "samples/obama-source.jpg"};
  if (const auto data = test::shared_data())
    for (const char* rel : {"faces/face_recognition/two_people.jpg", "faces/HivisionIDPhotos/test0.jpg",
                            "faces/deepface/img30.jpg", "faces/dlib_examples_faces/dogs.jpg",
                            "faces/face_recognition/test_obama_and_biden.jpg", "faces/insightface/t1.jpg",
                            "faces/helen_300W_testset/3166167569_1.jpg", "faces/helen_300W_testset/3220050079_2.jpg"})
      images.push_back(*data / rel);
  int faces = 0;
  for (const auto& p : images) {
    cv::Mat grey = cv::imread(p.string(), cv::IMREAD_GRAYSCALE);
    REQUIRE_MESSAGE(!grey.empty(), p);
    if (std::max(grey.cols, grey.rows) > 800) cv::resize(grey, grey, cv::Size(), 0.5, 0.5, cv::INTER_AREA);
    const auto a = fast->detect(grey), b = base->detect(grey);
    INFO(p.filename().string());
    REQUIRE(a.size() == b.size());
    for (size_t i = 0; i < a.size(); ++i) {
      CHECK(std::abs(a[i].box.x - b[i].box.x) <= 1);
      CHECK(std::abs(a[i].box.y - b[i].box.y) <= 1);
      CHECK(std::abs(a[i].box.width - b[i].box.width) <= 1);
      CHECK(a[i].score == doctest::Approx(b[i].score).epsilon(0.01));
    }
    faces += static_cast<int>(a.size());
  }
  MESSAGE(images.size() << " images, " << faces << " faces, the same in both builds");
  CHECK(faces >= 2);
}

TEST_CASE("landmark accuracy and yaw on HELEN / 300-W") {
  const auto data = test::shared_data();
  if (!data) return;
  const auto dir = *data / "faces/helen_300W_testset";
  const auto rows = read_selection(dir / "selection.csv");
  REQUIRE(rows.size() == 40);
  const auto models = test::default_models();
  int frontal = 0, frontal_missed = 0, turned = 0, turned_missed = 0;
  double err_detected = 0, err_all = 0;
  int n_detected = 0;
  int frontal_small_yaw = 0, turned_large_yaw = 0;
  std::vector<double> errs;
  double err_gt_box = 0, err_turned_detected = 0;
  int n_turned_detected = 0;
  for (const auto& row : rows) {
    const bool is_frontal = row.group == "near_frontal";
    const auto gt = test::read_pts(dir / (row.image.substr(0, row.image.rfind('.')) + ".pts"));
    REQUIRE(gt.size() == 68);
    analysis::Analysis a(test::load_decoded(dir / row.image), models);
    const cv::Rect2f gt_box = cv::boundingRect(gt);
    const cv::Point2f gt_c(gt_box.x + gt_box.width / 2, gt_box.y + gt_box.height / 2);
    // The detection whose centre lies inside the annotated face (images may show other people).
    const face::Detection* hit = nullptr;
    for (const auto& d : a.faces()) {
      const cv::Point2f c(d.box.x + d.box.width / 2, d.box.y + d.box.height / 2);
      if (gt_box.contains(c) && cv::norm(c - gt_c) < 0.3 * gt_box.width) { hit = &d; break; }
    }
    (is_frontal ? frontal : turned)++;
    face::Landmarks68 lm;
    if (hit) {
      lm = models->landmarks(a.grey(), hit->box);
    } else {
      (is_frontal ? frontal_missed : turned_missed)++;
      lm = models->landmarks(a.grey(), gt_box);  // still measure the landmarks from the annotated box
    }
    const double e = normalised_error(lm, gt);
    const face::Pose pose = face::estimate_pose(lm, a.grey().size());
    const double yaw = pose.yaw_deg;
    MESSAGE(row.image << " " << row.group << std::string(hit ? " detected" : " MISSED") << " err=" << e * 100 << "% yaw=" << yaw << " pitch=" << pose.pitch_deg);
    if (is_frontal) {
      err_gt_box += normalised_error(models->landmarks(a.grey(), gt_box), gt);
      err_all += e;
      errs.push_back(e);
      if (hit) { err_detected += e; ++n_detected; }
      frontal_small_yaw += std::abs(yaw) <= 10;
    } else {
      if (hit) { err_turned_detected += e; ++n_turned_detected; }
      turned_large_yaw += std::abs(yaw) > 15;
    }
    // Sign, checked by eye: this one looks towards the image's left, that one towards its right.
    if (row.image == "3016219064_1.jpg") CHECK(yaw < -15);
    if (row.image == "3241295295_1.jpg") CHECK(yaw > 15);
    // Pitch sign, by eye: a child looking down at a toy; a boy photographed from below (chin up).
    if (row.image == "3209573417_2.jpg") CHECK(pose.pitch_deg < -15);
    if (row.image == "3220050079_2.jpg") CHECK(pose.pitch_deg > 5);
  }
  REQUIRE(frontal == 30);
  REQUIRE(turned == 10);
  const double mean_all = err_all / frontal;
  const double mean_det = n_detected ? err_detected / n_detected : 1.0;
  MESSAGE("HELEN near-frontal: " << frontal - frontal_missed << "/30 detected; mean error (outer-eye norm) "
          << mean_det * 100 << " % on detected faces, " << mean_all * 100 << " % on all 30 (GT box on misses); worst " << *std::max_element(errs.begin(), errs.end()) * 100 << " %");
  MESSAGE("HELEN near-frontal from the annotated bounding box instead of the detector: mean error "
          << err_gt_box / frontal * 100 << " %; turned faces, detected: mean error "
          << (n_turned_detected ? err_turned_detected / n_turned_detected * 100 : 0) << " %");
  MESSAGE("HELEN turned: " << turned - turned_missed << "/10 detected; |yaw| > 15 deg on " << turned_large_yaw
          << "/10 turned; |yaw| <= 10 deg on " << frontal_small_yaw << "/30 near-frontal");
  CHECK(mean_all <= 0.05);
  CHECK(mean_det <= 0.05);
  CHECK(frontal_missed <= 3);
  CHECK(turned_large_yaw >= 8);
  CHECK(frontal_small_yaw >= 27);
}
