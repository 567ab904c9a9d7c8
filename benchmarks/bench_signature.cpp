// Signature cleaning and binarization speed (docs/performance.md): clean of a 2000×800 phone photo,
// clean of a 4000×3000 baseline JPEG (decode included), Sauvola at three window sizes, and same-run
// comparisons of the work side (analysis) and of the DCT-scaled decode.
#include <benchmark/benchmark.h>

#include <cmath>

#include <opencv2/imgproc.hpp>

#include "idphoto/idphoto.hpp"
#include "io/encode.hpp"
#include "io/decode.hpp"
#include "signature/binarize.hpp"
#include "signature/ink_analysis.hpp"
#include "bench_allocator.hpp"

namespace {

cv::Mat phone_photo(int w, int h) {
  cv::Mat img(h, w, CV_8UC3);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const int v = 150 + 70 * x / w - 30 * y / h;
      img.at<cv::Vec3b>(y, x) = {std::uint8_t(v), std::uint8_t(v + 3), std::uint8_t(v + 6)};
    }
  std::vector<cv::Point> pts;
  for (int i = 0; i <= 400; ++i) {
    const double t = i / 400.0;
    pts.emplace_back(int(w * (0.25 + 0.5 * t)), int(h * (0.5 + 0.1 * std::sin(t * 30))));
  }
  cv::polylines(img, pts, false, cv::Scalar(150, 40, 20), std::max(3, w / 300), cv::LINE_AA);
  cv::line(img, {0, h * 2 / 3}, {w - 1, h * 2 / 3}, cv::Scalar(110, 110, 110), 3);
  return img;
}

std::vector<std::uint8_t> jpeg(const cv::Mat& m) {
  idphoto::io::JpegEncodeOptions o;
  o.quality = 90;
  return idphoto::io::encode_jpeg(m, o).value();
}

const idphoto::Engine& engine() {
  static idphoto::Engine e = idphoto::Engine::create().value();
  return e;
}

void clean(benchmark::State& st, int w, int h) {
  const auto bytes = jpeg(phone_photo(w, h));
  const auto profile = idphoto::Profile::builtin("cn-signature").value();
  for (auto _ : st) {
    auto r = engine().clean_signature(bytes, profile);
    benchmark::DoNotOptimize(r.output.data());
  }
}

void BM_clean_2000x800(benchmark::State& st) { clean(st, 2000, 800); }
void BM_clean_4000x3000_jpeg(benchmark::State& st) { clean(st, 4000, 3000); }

void BM_sauvola_window(benchmark::State& st) {
  cv::Mat grey;
  cv::cvtColor(phone_photo(2000, 800), grey, cv::COLOR_BGR2GRAY);
  for (auto _ : st) benchmark::DoNotOptimize(idphoto::signature::sauvola(grey, int(st.range(0)), 0.2).data);
}

void BM_binarize_2000x800(benchmark::State& st) {
  const cv::Mat img = phone_photo(2000, 800);
  for (auto _ : st) benchmark::DoNotOptimize(idphoto::signature::binarize(img).ink.data);
}

// The analysis alone at a given work side (the clean's default is signature::AnalyseOptions{}; 1400
// was the earlier one): the same image, so rows compare within one run.
void BM_analyse_2000x800_work_side(benchmark::State& st) {
  const cv::Mat img = phone_photo(2000, 800);
  idphoto::signature::AnalyseOptions o;
  o.max_work_side = int(st.range(0));
  for (auto _ : st) benchmark::DoNotOptimize(idphoto::signature::analyse_ink(img, o).box.area());
}

// Decoding the 4000×3000 JPEG in full (the earlier path) and at the DCT scale the clean uses now.
void BM_decode_4000x3000(benchmark::State& st) {
  const auto bytes = jpeg(phone_photo(4000, 3000));
  idphoto::io::DecodeOptions o;
  o.min_long_side = int(st.range(0));
  for (auto _ : st) benchmark::DoNotOptimize(idphoto::io::decode(bytes, idphoto::Limits{}, o)->bgr.data);
}

}  // namespace

BENCHMARK(BM_analyse_2000x800_work_side)->Arg(1400)->Arg(1000)->Unit(benchmark::kMillisecond)->Repetitions(5)->ReportAggregatesOnly(true);
BENCHMARK(BM_decode_4000x3000)->Arg(0)->Arg(1000)->Unit(benchmark::kMillisecond)->Repetitions(5)->ReportAggregatesOnly(true);
BENCHMARK(BM_clean_2000x800)->Unit(benchmark::kMillisecond)->Repetitions(5)->ReportAggregatesOnly(true);
BENCHMARK(BM_clean_4000x3000_jpeg)->Unit(benchmark::kMillisecond)->Repetitions(5)->ReportAggregatesOnly(true);
BENCHMARK(BM_binarize_2000x800)->Unit(benchmark::kMillisecond)->Repetitions(5)->ReportAggregatesOnly(true);
BENCHMARK(BM_sauvola_window)->Arg(15)->Arg(51)->Arg(151)->Unit(benchmark::kMillisecond)->Repetitions(5)->ReportAggregatesOnly(true);
int main(int argc, char** argv) {
  bench_allocator();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
