// train-eye-closure: writes src/face/eye_closure_model.inc, the linear SVM of face/eye_closure.hpp, from
// the labelled tuning half of ../shared/data (docs/decisions/0008), or checks the committed one.
//
//   train-eye-closure DATA_DIR SOURCE_DIR            print the model (C++ source) on stdout
//   train-eye-closure DATA_DIR SOURCE_DIR --check F  rebuild it and compare with F (exit 0 same, 1 differs,
//                                                    77 skipped: DATA_DIR absent and CI is not "true")
// IDPHOTO_SHARED_DATA, when set, replaces DATA_DIR (as in the tests).
//
// Training rows: tests/golden/appearance_labels.csv, check photo.face.eyes_open, split "tune", portraits
// only (portrait() below) — Yale subjects 01–08, the sample and img30. Expected fail = both eyes closed (+1), pass = open
// (−1); winks are left out, since their labels do not say which eye is shut. Each eye is one sample (the
// image-right eye mirrored, as at run time). dlib's svm_c_linear_trainer (C = 10) is deterministic.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <dlib/svm.h>

#include "analysis/analysis.hpp"
#include "core/engine_impl.hpp"
#include "face/eye_closure.hpp"
#include "idphoto/idphoto.hpp"
#include "io/decode.hpp"

using namespace idphoto;
namespace fs = std::filesystem;

namespace {

using Sample = dlib::matrix<double, 0, 1>;
constexpr double kC = 10;

std::vector<std::string> split_csv_head(const std::string& line, size_t n) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  std::string field;
  while (out.size() < n && std::getline(ss, field, ',')) out.push_back(field);
  return out;
}

std::vector<double> numbers_after(const std::string& text, const std::string& marker) {
  std::vector<double> v;
  const auto at = text.find(marker);
  if (at == std::string::npos) return v;
  const auto end = text.find(';', at);
  const std::string body = text.substr(at + marker.size(), end - at - marker.size());
  const char* p = body.c_str();
  while (*p) {
    char* next = nullptr;
    const double x = std::strtod(p, &next);
    if (next != p) {
      v.push_back(x);
      p = next;
    } else {
      ++p;
    }
  }
  return v;
}

// Portraits taken for the purpose against a plain wall: the Yale set (which holds the shut eyes) and
// the ID-style photos. Snapshots (HELEN) hold open eyes only; as training data they teach "colour
// snapshot = open" and cost three Yale winks (decision 0008), so their labels only evaluate.
bool portrait(const std::string& image) {
  for (const char* prefix : {"faces/yalefaces/", "samples/", "faces/deepface/", "faces/HivisionIDPhotos/"})
    if (image.rfind(prefix, 0) == 0) return true;
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 && !(argc == 5 && std::string(argv[3]) == "--check")) {
    std::cerr << "usage: train-eye-closure DATA_DIR SOURCE_DIR [--check MODEL.inc]\n";
    return 2;
  }
  fs::path data = argv[1];
  const fs::path src = argv[2];
  if (const char* env = std::getenv("IDPHOTO_SHARED_DATA"); env && *env) data = env;  // as the tests do
  if (!fs::exists(data / "README.md")) {
    const char* ci = std::getenv("CI");
    std::cerr << "shared test data not found at " << data.string() << "\n";
    return ci && std::string(ci) == "true" ? 1 : 77;
  }
  auto engine = Engine::create();
  if (!engine) {
    std::cerr << "engine: " << engine.error().message << "\n";
    return 2;
  }
  auto models = face::FaceModels::load(engine->impl().landmark_model_path);
  if (!models) {
    std::cerr << "models: " << models.error().message << "\n";
    return 2;
  }
  std::ifstream labels(src / "tests/golden/appearance_labels.csv");
  std::string line;
  std::getline(labels, line);  // header
  std::vector<Sample> x;
  std::vector<double> y;
  int images = 0, closed = 0;
  while (std::getline(labels, line)) {
    const auto f = split_csv_head(line, 4);
    if (f.size() < 4 || f[2] != "photo.face.eyes_open" || f[1] != "tune" || f[0].find(".wink.") != std::string::npos) continue;
    if (!portrait(f[0])) continue;
    const fs::path path = (f[0].rfind("samples/", 0) == 0 ? src : data) / f[0];
    std::ifstream in(path, std::ios::binary);
    const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto decoded = io::decode(bytes, Limits{});
    if (!decoded) {
      std::cerr << path.string() << ": " << decoded.error().message << "\n";
      return 2;
    }
    analysis::Analysis a(std::move(decoded.value()), models.value());
    if (!a.head()) {
      std::cerr << path.string() << ": no face\n";
      return 2;
    }
    face::Landmarks68 lm;
    const auto scale = static_cast<float>(a.image().scale);
    for (size_t i = 0; i < lm.size(); ++i) lm[i] = a.head()->landmarks[i] * scale;
    const double label = f[3] == "fail" ? 1 : -1;
    for (int first : {36, 42}) {
      const auto v = face::eye_features(face::eye_patch(a.grey(), lm, first));
      x.push_back(dlib::mat(v));
      y.push_back(label);
    }
    ++images;
    closed += label > 0;
  }
  dlib::svm_c_linear_trainer<dlib::linear_kernel<Sample>> trainer;
  trainer.set_c(kC);
  const auto df = trainer.train(x, y);
  const Sample w = df.alpha(0) * df.basis_vectors(0);

  std::ostringstream out;
  out << "// Generated by models/train_eye_closure.cpp (train-eye-closure DATA_DIR SOURCE_DIR); do not edit.\n"
      << "// Linear SVM (dlib svm_c_linear_trainer, C = " << kC << ") over the FHOG features of face/eye_closure.hpp,\n"
      << "// trained on " << images << " labelled tuning-half portraits of ../shared/data (" << closed
      << " with both eyes closed), " << x.size() << " eyes. score = w . features - bias; > 0 = closed.\n";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", df.b);
  out << "constexpr double kEyeClosureBias = " << buf << ";\n";
  out << "constexpr double kEyeClosureWeights[] = {";
  for (long i = 0; i < w.size(); ++i) {
    std::snprintf(buf, sizeof buf, "%.17g", w(i));
    out << (i % 6 == 0 ? "\n    " : " ") << buf << ",";
  }
  out << "\n};\n";

  if (argc == 3) {
    std::cout << out.str();
    return 0;
  }
  std::ifstream committed_in(argv[4]);
  const std::string committed((std::istreambuf_iterator<char>(committed_in)), std::istreambuf_iterator<char>());
  const std::string rebuilt = out.str();
  const auto cb = numbers_after(committed, "kEyeClosureBias ="), rb = numbers_after(rebuilt, "kEyeClosureBias =");
  const auto cw = numbers_after(committed, "kEyeClosureWeights[] ="), rw = numbers_after(rebuilt, "kEyeClosureWeights[] =");
  bool same = cb.size() == 1 && rb.size() == 1 && cw.size() == rw.size() && !cw.empty();
  double worst = 0;
  if (same) {
    worst = std::abs(cb[0] - rb[0]);
    for (size_t i = 0; i < cw.size(); ++i) worst = std::max(worst, std::abs(cw[i] - rw[i]));
    same = worst <= 1e-6;
  }
  std::cout << (same ? "same" : "DIFFERS") << ": " << images << " images, " << x.size() << " eyes, "
            << cw.size() << " committed / " << rw.size() << " rebuilt weights, largest difference " << worst << "\n";
  return same ? 0 : 1;
}
