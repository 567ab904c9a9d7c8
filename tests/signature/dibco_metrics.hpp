// DIBCO evaluation of the signature binarization: F-measure and PSNR against ground truth
// (text = 0, background = 255), per page, next to plain Sauvola (window 25, k 0.2) in the same run.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace idphoto::test {

struct BinScores {
  double f = 0;     // F-measure, percent
  double psnr = 0;  // dB (C = 1)
  double precision = 0, recall = 0;  // percent
};

// ink: 255 = ink (any size equal to gt); gt: 0 = text.
BinScores score_binarization(const cv::Mat& ink, const cv::Mat& gt);

struct DibcoPage {
  std::string year, name;
  BinScores ours, sauvola;
  double ms = 0;  // our binarization time
};

// Every Originals/GT pair under dibco/<year> for the given years.
std::vector<DibcoPage> evaluate_dibco(const std::filesystem::path& dibco_dir,
                                      const std::vector<std::string>& years);

// Markdown tables (per page, per year, overall).
std::string dibco_markdown(const std::vector<DibcoPage>& pages);

}  // namespace idphoto::test
