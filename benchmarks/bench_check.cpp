// Stage and whole-check timings for a 295×413 JPEG and a large photo, side by side with the dlib
// baseline in the same run. Prints medians and the baseline/idphoto ratio. See docs/performance.md.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "analysis/analysis.hpp"
#include "baseline_dlib.hpp"
#include "core/engine_impl.hpp"
#include "analysis/lab.hpp"
#include "face/face_models.hpp"
#include "idphoto/idphoto.hpp"
#include "io/decode.hpp"
#include "bench_allocator.hpp"
#include "bench_detector.hpp"

namespace fs = std::filesystem;
using namespace idphoto;

namespace {

struct Input {
  std::string label;
  fs::path path;
};

std::vector<Input> inputs;
const std::string model_path = "/usr/share/dlib/shape_predictor_68_face_landmarks.dat";

std::vector<std::uint8_t> slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

const Engine& engine() {
  static Engine e = [] {
    auto r = Engine::create();
    if (!r) {
      std::fprintf(stderr, "engine: %s\n", r.error().message.c_str());
      std::exit(2);
    }
    return std::move(r.value());
  }();
  return e;
}

const bench::DlibBaseline& baseline() {
  static bench::DlibBaseline b(model_path);
  return b;
}

void BM_decode(benchmark::State& st, const Input* in) {
  const auto bytes = slurp(in->path);
  for (auto _ : st) {
    auto r = io::decode(bytes, Limits{});
    benchmark::DoNotOptimize(r.ok());
  }
}

void BM_detect(benchmark::State& st, const Input* in) {
  auto img = io::decode(slurp(in->path), Limits{});
  const auto models = engine().impl().models;
  for (auto _ : st) {
    analysis::Analysis a(img.value(), models);
    benchmark::DoNotOptimize(a.faces().size());
  }
}

// As check and fix detect (FaceModels::detect down to half the widest face, face/hog_scan.hpp), beside
// BM_detect's scan of every pyramid level in the same run.
void BM_detect_half(benchmark::State& st, const Input* in) {
  auto img = io::decode(slurp(in->path), Limits{});
  const auto models = engine().impl().models;
  for (auto _ : st) {
    analysis::Analysis a(img.value(), models, 0.5);
    benchmark::DoNotOptimize(a.faces().size());
  }
}

void BM_landmarks(benchmark::State& st, const Input* in) {
  auto img = io::decode(slurp(in->path), Limits{});
  const auto models = engine().impl().models;
  analysis::Analysis a(img.value(), models);
  if (a.faces().empty()) {
    st.SkipWithError("no face");
    return;
  }
  const double s = img->scale;
  cv::Rect2f box = a.faces().front().box;
  box = cv::Rect2f(box.x * s, box.y * s, box.width * s, box.height * s);
  for (auto _ : st) benchmark::DoNotOptimize(models->landmarks(a.grey(), box));
}

void BM_check(benchmark::State& st, const Input* in) {
  const auto profile = Profile::builtin("cn-1inch").value();
  for (auto _ : st) {
    const auto bytes = slurp(in->path);  // read from disk: decode included
    benchmark::DoNotOptimize(engine().check_photo(bytes, profile, in->path.string()).verdict());
  }
}

void BM_baseline(benchmark::State& st, const Input* in) {
  for (auto _ : st) benchmark::DoNotOptimize(baseline().run(in->path.string()));
}

// With the model cache (docs/models.md; made by the first load if missing) and without it.
void BM_model_load(benchmark::State& st) {
  (void)face::FaceModels::load(model_path);
  for (auto _ : st) benchmark::DoNotOptimize(face::FaceModels::load(model_path).ok());
}

void BM_model_load_nocache(benchmark::State& st) {
  for (auto _ : st) benchmark::DoNotOptimize(face::FaceModels::load(model_path, "").ok());
}

void BM_lab(benchmark::State& st, const Input* in) {
  auto img = io::decode(slurp(in->path), Limits{});
  for (auto _ : st) benchmark::DoNotOptimize(analysis::bgr_to_lab(img->bgr).data);
}

void BM_baseline_model_load(benchmark::State& st) {
  for (auto _ : st) bench::DlibBaseline b(model_path);
}

// Collects the medians so that the ratios can be printed after the run.
class MedianReporter : public benchmark::ConsoleReporter {
 public:
  std::map<std::string, double> median_ms;
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const auto& r : runs)
      if (r.aggregate_name == "median")
        median_ms[r.run_name.function_name] = r.GetAdjustedRealTime() *
            (r.time_unit == benchmark::kMillisecond ? 1.0 : r.time_unit == benchmark::kMicrosecond ? 1e-3 : 1e-6);
    ConsoleReporter::ReportRuns(runs);
  }
};

}  // namespace

int main(int argc, char** argv) {
  bench_allocator();
  bench_detector(engine());
  const fs::path src = IDPHOTO_SOURCE_DIR;
  const fs::path shared = fs::path(IDPHOTO_SHARED_DATA_DIR);
  inputs.push_back({"cn1inch_295x413", src / "samples/cn-1inch-obama.jpg"});
  const fs::path large = shared / "faces/helen_300W_testset/3213949024_1.jpg";  // 3593×2848, near-frontal
  if (fs::exists(large)) inputs.push_back({"helen_3593x2848", large});
  else std::fprintf(stderr, "note: %s absent; large-photo rows skipped\n", large.c_str());
  const fs::path portrait = shared / "faces/HivisionIDPhotos/test0.jpg";  // 576×768, the face ~ 1/3 of the width
  if (fs::exists(portrait)) inputs.push_back({"test0_576x768", portrait});

  for (const auto& in : inputs) {
    for (auto [name, fn] : std::initializer_list<std::pair<const char*, void (*)(benchmark::State&, const Input*)>>{
             {"decode", BM_decode}, {"detect", BM_detect}, {"detect_half", BM_detect_half}, {"landmarks", BM_landmarks}, {"lab", BM_lab},
             {"check", BM_check}, {"baseline_dlib", BM_baseline}}) {
      benchmark::RegisterBenchmark((std::string(name) + "/" + in.label).c_str(), fn, &in)
          ->Unit(benchmark::kMillisecond)->Repetitions(5)->ReportAggregatesOnly(true);
    }
  }
  benchmark::RegisterBenchmark("model_load/idphoto", BM_model_load)
      ->Unit(benchmark::kMillisecond)->Iterations(1)->Repetitions(3)->ReportAggregatesOnly(true);
  benchmark::RegisterBenchmark("model_load/idphoto_cache_off", BM_model_load_nocache)
      ->Unit(benchmark::kMillisecond)->Iterations(1)->Repetitions(3)->ReportAggregatesOnly(true);
  benchmark::RegisterBenchmark("model_load/baseline_dlib", BM_baseline_model_load)
      ->Unit(benchmark::kMillisecond)->Iterations(1)->Repetitions(3)->ReportAggregatesOnly(true);

  benchmark::Initialize(&argc, argv);
  MedianReporter rep;
  benchmark::RunSpecifiedBenchmarks(&rep);
  std::printf("\nmedians (ms) and ratio baseline_dlib / idphoto check, %u cores:\n",
              std::thread::hardware_concurrency());
  for (const auto& in : inputs) {
    const double ours = rep.median_ms["check/" + in.label];
    const double base = rep.median_ms["baseline_dlib/" + in.label];
    std::printf("  %-18s check %8.2f  baseline %8.2f  ratio %.2fx\n", in.label.c_str(), ours, base,
                ours > 0 ? base / ours : 0.0);
  }
  std::printf("detection (analysis faces), every pyramid level vs down to half the widest face:\n");
  for (const auto& in : inputs) {
    const double all = rep.median_ms["detect/" + in.label], half = rep.median_ms["detect_half/" + in.label];
    std::printf("  %-18s all levels %8.2f  half %8.2f  ratio %.2fx\n", in.label.c_str(), all, half,
                half > 0 ? all / half : 0.0);
  }
  benchmark::Shutdown();
  return 0;
}
