// `fix` to cn-1inch: whole pipeline (scaled decode → re-check) on the samples, a 10 MP, a 14 MP and a 576×768 JPEG,
// a 14 MP enlargement of a fixable photo, the same on progressive copies, background replacement separately, and the naive path (full decode, HOG over
// the full image, landmarks: bench::DlibBaseline) in the same run. Medians go to docs/performance.md.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "baseline_dlib.hpp"
#include "idphoto/idphoto.hpp"
#include "io/decode.hpp"
#include "io/encode.hpp"
#include <opencv2/imgproc.hpp>
#include "bench_allocator.hpp"
#include "bench_detector.hpp"

namespace fs = std::filesystem;
using namespace idphoto;

namespace {

const std::string model_path = "/usr/share/dlib/shape_predictor_68_face_landmarks.dat";

fs::path data_dir() {
  if (const char* e = std::getenv("IDPHOTO_SHARED_DATA")) return e;
  return IDPHOTO_SHARED_DATA_DIR;
}

std::vector<std::uint8_t> slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

Engine make_engine(int threads) {
  EngineOptions o;
  o.threads = threads;
  auto r = Engine::create(o);
  if (!r) {
    std::fprintf(stderr, "engine: %s\n", r.error().message.c_str());
    std::exit(2);
  }
  return std::move(r.value());
}

// One thread a call (the library's default), and two (as the CLI's `fix` creates its engine).
const Engine& engine(int threads = 1) {
  static Engine one = make_engine(1), two = make_engine(2);
  return threads >= 2 ? two : one;
}

const Profile& profile() {
  static Profile p = Profile::builtin("cn-1inch").value();
  return p;
}

const bench::DlibBaseline& baseline() {
  static bench::DlibBaseline b(model_path);
  return b;
}

struct Input {
  std::string label;
  fs::path path;
  std::vector<std::uint8_t> bytes;
};

std::vector<Input>& inputs() {
  static std::vector<Input> v;
  return v;
}

void BM_fix(benchmark::State& st, const Input* in, std::string background, int threads) {
  FixOptions o;
  o.background = background;
  bool passed = false;
  for (auto _ : st) {
    FixResult r = engine(threads).fix_photo(in->bytes, profile(), o, in->label);
    passed = r.passed();
    benchmark::DoNotOptimize(r.output.data());
  }
  st.counters["passed"] = passed ? 1 : 0;
}

void BM_naive(benchmark::State& st, const Input* in) {
  int faces = 0;
  for (auto _ : st) faces = baseline().run(in->path.string());
  st.counters["faces"] = faces;
}

}  // namespace

int main(int argc, char** argv) {
  bench_allocator();
  const fs::path d = data_dir();
  const std::vector<std::pair<std::string, std::string>> files = {
      {"10MP_3593x2848", "faces/helen_300W_testset/3213949024_1.jpg"},
      {"14MP_3162x4434_turned", "faces/helen_300W_testset/3081187199_1.jpg"},
      {"576x768_test0", "faces/HivisionIDPhotos/test0.jpg"},
      {"1453x1004_img30", "faces/deepface/img30.jpg"},
  };
  // The project's samples first: the compliant 295×413 upload (fix keeps its framing) and its 1024×1280 source.
  const fs::path samples = fs::path(IDPHOTO_SOURCE_DIR) / "samples";
  for (const auto& [label, name] : std::vector<std::pair<std::string, std::string>>{
           {"sample_295x413_compliant", "cn-1inch-obama.jpg"}, {"sample_source_910x1137", "obama-source.jpg"}})
    inputs().push_back({label, samples / name, slurp(samples / name)});
  for (const auto& [label, rel] : files) {
    if (!fs::exists(d / rel)) {
      std::fprintf(stderr, "missing %s: benchmarks need ../shared/data\n", (d / rel).c_str());
      return 1;
    }
    inputs().push_back({label, d / rel, slurp(d / rel)});
  }
  // Generated inputs, written to temporary files for the baseline (quality 92).
  auto add_encoded = [](const std::string& label, const cv::Mat& bgr, bool progressive) {
    io::JpegEncodeOptions o;
    o.quality = 92;
    o.progressive = progressive;
    if (auto enc = io::encode_jpeg(bgr, o)) {
      const fs::path tmp = fs::temp_directory_path() / ("idphoto_bench_" + label + ".jpg");
      std::ofstream(tmp, std::ios::binary).write(reinterpret_cast<const char*>(enc->data()),
                                                 static_cast<std::streamsize>(enc->size()));
      inputs().push_back({label, tmp, std::move(enc.value())});
    }
  };
  // A progressive copy of the 10 MP photo (full size).
  if (auto dec = io::decode(inputs()[2].bytes, Limits{})) add_encoded("10MP_progressive", dec->bgr, true);
  // A 14 MP photo that fix can finish: img30 (fixable, ../shared/data README) enlarged 3.1× to 4504×3112
  // (bicubic), baseline and progressive. No real 14 MP photo in ../shared/data is fixable.
  if (auto dec = io::decode(inputs()[5].bytes, Limits{})) {
    cv::Mat big;
    cv::resize(dec->bgr, big, cv::Size(4504, 3112), 0, 0, cv::INTER_CUBIC);
    add_encoded("14MP_4504x3112_img30_enlarged", big, false);
    add_encoded("14MP_img30_enlarged_progressive", big, true);
  }
  bench_detector(engine());
  (void)baseline();
  for (const Input& in : inputs()) {
    benchmark::RegisterBenchmark(("fix/keep/" + in.label).c_str(), BM_fix, &in, std::string("keep"), 1)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("fix_threads2/keep/" + in.label).c_str(), BM_fix, &in, std::string("keep"), 2)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("fix/white/" + in.label).c_str(), BM_fix, &in, std::string("white"), 1)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("naive_decode_detect_landmarks/" + in.label).c_str(), BM_naive, &in)
        ->Unit(benchmark::kMillisecond);
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
