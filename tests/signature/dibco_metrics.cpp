#include "dibco_metrics.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "signature/binarize.hpp"

namespace idphoto::test {

BinScores score_binarization(const cv::Mat& ink, const cv::Mat& gt) {
  CV_Assert(ink.size() == gt.size());
  const cv::Mat truth = gt < 128;
  const cv::Mat pred = ink > 127;
  const double tp = cv::countNonZero(truth & pred);
  const double fp = cv::countNonZero(~truth & pred);
  const double fn = cv::countNonZero(truth & ~pred);
  BinScores s;
  const double p = tp + fp > 0 ? tp / (tp + fp) : 0, r = tp + fn > 0 ? tp / (tp + fn) : 0;
  s.f = p + r > 0 ? 100.0 * 2 * p * r / (p + r) : 0;
  s.precision = 100.0 * p;
  s.recall = 100.0 * r;
  const double mse = (fp + fn) / double(gt.total());
  s.psnr = mse > 0 ? 10.0 * std::log10(1.0 / mse) : 99.0;
  return s;
}

std::vector<DibcoPage> evaluate_dibco(const std::filesystem::path& dibco_dir,
                                      const std::vector<std::string>& years) {
  namespace fs = std::filesystem;
  std::vector<DibcoPage> out;
  for (const auto& year : years) {
    std::vector<fs::path> originals;
    for (const auto& e : fs::directory_iterator(dibco_dir / year / "Originals"))
      originals.push_back(e.path());
    std::sort(originals.begin(), originals.end());
    for (const auto& o : originals) {
      fs::path gt_path;
      for (const auto& e : fs::directory_iterator(dibco_dir / year / "GT"))
        if (e.path().stem().string().rfind(o.stem().string(), 0) == 0) gt_path = e.path();
      if (gt_path.empty()) continue;
      const cv::Mat img = cv::imread(o.string(), cv::IMREAD_COLOR);
      const cv::Mat gt = cv::imread(gt_path.string(), cv::IMREAD_GRAYSCALE);
      if (img.empty() || gt.empty() || img.size() != gt.size()) continue;
      DibcoPage page;
      page.year = year;
      page.name = o.stem().string();
      const auto t0 = std::chrono::steady_clock::now();
      const auto ours = signature::binarize(img);
      page.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                    .count();
      page.ours = score_binarization(ours.ink, gt);
      cv::Mat grey;
      cv::cvtColor(img, grey, cv::COLOR_BGR2GRAY);
      page.sauvola = score_binarization(signature::sauvola(grey, 25, 0.2), gt);
      out.push_back(page);
    }
  }
  return out;
}

std::string dibco_markdown(const std::vector<DibcoPage>& pages) {
  std::string s;
  char buf[256];
  s += "| page | F (ours) | precision | recall | PSNR (ours) | F (Sauvola 25/0.2) | PSNR (Sauvola) |\n"
       "|---|---|---|---|---|---|---|\n";
  std::map<std::string, std::vector<const DibcoPage*>> by_year;
  for (const auto& p : pages) {
    std::snprintf(buf, sizeof buf, "| %s | %.2f | %.1f | %.1f | %.2f | %.2f | %.2f |\n", p.name.c_str(), p.ours.f,
                  p.ours.precision, p.ours.recall, p.ours.psnr, p.sauvola.f, p.sauvola.psnr);
    s += buf;
    by_year[p.year].push_back(&p);
  }
  s += "\n| year | pages | mean F (ours) | mean PSNR (ours) | mean F (Sauvola) | mean PSNR (Sauvola) |\n"
       "|---|---|---|---|---|---|\n";
  auto row = [&](const std::string& label, const std::vector<const DibcoPage*>& v) {
    double f = 0, p = 0, sf = 0, sp = 0;
    for (const auto* x : v) f += x->ours.f, p += x->ours.psnr, sf += x->sauvola.f, sp += x->sauvola.psnr;
    const double n = std::max<std::size_t>(1, v.size());
    std::snprintf(buf, sizeof buf, "| %s | %zu | %.2f | %.2f | %.2f | %.2f |\n", label.c_str(),
                  v.size(), f / n, p / n, sf / n, sp / n);
    s += buf;
  };
  std::vector<const DibcoPage*> all;
  for (const auto& [y, v] : by_year) {
    row(y, v);
    all.insert(all.end(), v.begin(), v.end());
  }
  row("all", all);
  return s;
}

}  // namespace idphoto::test
