// analysis::bgr_to_lab, which replaces OpenCV's BGR→Lab (its first call in a process builds tables with
// software floats, ~225 ms): against the CIE formulas in double precision, and against OpenCV's float
// conversion (itself a 3-D table with trilinear interpolation, off the formulas by up to ~0.5). Also
// analysis::shrink, the resize by a factor that check, fix and the signature analysis share.
#include <cmath>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "analysis/analysis.hpp"
#include "analysis/crown_estimate.hpp"
#include "analysis/lab.hpp"
#include "analysis/shrink.hpp"
#include "support/test_support.hpp"

using namespace idphoto;

namespace {

// The formulas as OpenCV documents them for floating-point input (sRGB, D65).
cv::Vec3d exact_lab(int b, int g, int r) {
  const auto lin = [](int v) {
    const double c = v / 255.0;
    return c > 0.04045 ? std::pow((c + 0.055) / 1.055, 2.4) : c / 12.92;
  };
  const double R = lin(r), G = lin(g), B = lin(b);
  const double X = (0.412453 * R + 0.357580 * G + 0.180423 * B) / 0.950456;
  const double Y = 0.212671 * R + 0.715160 * G + 0.072169 * B;
  const double Z = (0.019334 * R + 0.119193 * G + 0.950227 * B) / 1.088754;
  const auto f = [](double t) { return t > 0.008856 ? std::cbrt(t) : 7.787 * t + 16.0 / 116.0; };
  const double L = Y > 0.008856 ? 116.0 * std::cbrt(Y) - 16.0 : 903.3 * Y;
  return {L, 500.0 * (f(X) - f(Y)), 200.0 * (f(Y) - f(Z))};
}

}  // namespace

TEST_CASE("bgr_to_lab follows the CIE formulas (within 0.005) and OpenCV's scale (within 0.6) on the 8-bit cube") {
  std::vector<cv::Vec3b> px;
  for (int v = 0; v < 256; ++v) px.emplace_back(v, v, v);
  for (int b = 0; b < 256; b += 4)
    for (int g = 0; g < 256; g += 4)
      for (int r = 0; r < 256; r += 4) px.emplace_back(b, g, r);
  px.emplace_back(255, 255, 255);
  px.emplace_back(0, 0, 255);
  const cv::Mat bgr = cv::Mat(px, true).reshape(3, 1);
  cv::Mat f, opencv;
  bgr.convertTo(f, CV_32F, 1.0 / 255.0);
  cv::cvtColor(f, opencv, cv::COLOR_BGR2Lab);
  const cv::Mat ours = analysis::bgr_to_lab(bgr);
  REQUIRE(ours.size() == bgr.size());
  REQUIRE(ours.type() == CV_32FC3);
  double worst_exact = 0, worst_opencv = 0;
  for (int i = 0; i < ours.cols; ++i) {
    const cv::Vec3b c = bgr.at<cv::Vec3b>(0, i);
    const cv::Vec3d e = exact_lab(c[0], c[1], c[2]);
    for (int k = 0; k < 3; ++k) {
      worst_exact = std::max(worst_exact, std::abs(ours.at<cv::Vec3f>(0, i)[k] - e[k]));
      worst_opencv = std::max(worst_opencv, double(std::abs(ours.at<cv::Vec3f>(0, i)[k] - opencv.at<cv::Vec3f>(0, i)[k])));
    }
  }
  MESSAGE("over " << ours.cols << " colours, largest difference from the formulas " << worst_exact
                  << ", from OpenCV's float conversion " << worst_opencv);
  CHECK(worst_exact < 0.005);
  CHECK(worst_opencv < 0.6);
  const cv::Vec3f white = analysis::bgr_to_lab(255, 255, 255);
  CHECK(white[0] == doctest::Approx(100).epsilon(0.0001));
  CHECK(std::abs(white[1]) < 0.005);
  CHECK(std::abs(white[2]) < 0.005);
  const cv::Vec3f red = analysis::bgr_to_lab(0, 0, 255);
  CHECK(red[1] == doctest::Approx(exact_lab(0, 0, 255)[1]).epsilon(0.0001));
  // A grey image reads as R = G = B.
  const cv::Mat grey(2, 2, CV_8UC1, cv::Scalar(128));
  CHECK(analysis::bgr_to_lab(grey).at<cv::Vec3f>(1, 1)[0] == doctest::Approx(exact_lab(128, 128, 128)[0]).epsilon(0.0001));
}

TEST_CASE("shrink is OpenCV's resize by the factor, and keeps a side that would round to 0 px") {
  cv::Mat img(413, 295, CV_8UC3);
  cv::randu(img, 0, 255);
  for (const double s : {0.8, 0.5, 0.3}) {
    CAPTURE(s);
    cv::Mat ref;
    cv::resize(img, ref, cv::Size(), s, s, s >= 0.5 ? cv::INTER_LINEAR : cv::INTER_AREA);
    const cv::Mat out = analysis::shrink(img, s);
    REQUIRE(out.size() == ref.size());
    CHECK(cv::norm(out, ref, cv::NORM_INF) == 0);
  }
  CHECK(analysis::shrink(img, 1.0).data == img.data);  // not shrunk: the same pixels, no copy
  const cv::Mat strip(1, 60000, CV_8U, cv::Scalar(200));
  const cv::Mat small = analysis::shrink(strip, 700.0 / 60000);
  CHECK(small.size() == cv::Size(700, 1));
  CHECK(small.at<unsigned char>(0, 350) == 200);
  CHECK(analysis::shrink(strip.t(), 700.0 / 60000).size() == cv::Size(1, 700));
}

TEST_CASE("CIELAB in bands (LabRows), and the work beside the decoding (decode_for_analysis), is the Analysis's own") {
  cv::Mat img(413, 295, CV_8UC3);
  cv::randu(img, 0, 255);
  img(cv::Rect(0, 0, 295, 100)).setTo(cv::Scalar(250, 250, 250));  // runs of one colour, as backgrounds have
  const cv::Mat whole = analysis::bgr_to_lab(img);
  cv::Mat banded(img.size(), CV_32FC3, cv::Scalar::all(-1));
  analysis::LabRows rows;
  for (int y = 0; y < img.rows;) {
    const int next = std::min(img.rows, y + 1 + (y * 7) % 45);  // bands of uneven height
    rows.convert(img, banded, y, next);
    y = next;
  }
  CHECK(cv::norm(banded, whole, cv::NORM_INF) == 0);
  // The top corners' colour from a Lab image given is the one from the pixels.
  const auto from_pixels = analysis::estimate_border_colour(img);
  const auto from_lab = analysis::estimate_border_colour(img, &whole);
  REQUIRE(from_pixels.has_value());
  REQUIRE(from_lab.has_value());
  CHECK(cv::norm(from_pixels->lab, from_lab->lab, cv::NORM_INF) == 0);
  CHECK(from_pixels->noise == from_lab->noise);

  // Decoded at full scale: nothing beside (it would not keep pace with the decoder). Enlarged 5x, the
  // 1-inch sample decodes at 1/2 and img30 enlarged 3x at 1/4: the work runs beside the decoder.
  std::vector<std::vector<std::uint8_t>> files;
  files.push_back(test::read_file(test::source_dir() / "samples/cn-1inch-obama.jpg"));
  files.push_back(test::read_file(test::source_dir() / "samples/obama-source.jpg"));
  auto enlarged = [](const std::vector<std::uint8_t>& jpeg, double f) {
    cv::Mat big;
    cv::resize(cv::imdecode(jpeg, cv::IMREAD_COLOR), big, cv::Size(), f, f, cv::INTER_CUBIC);
    std::vector<std::uint8_t> out;
    cv::imencode(".jpg", big, out, {cv::IMWRITE_JPEG_QUALITY, 92});
    return out;
  };
  files.push_back(enlarged(files[0], 5));
  if (auto data = test::shared_data()) {
    files.push_back(test::read_file(*data / "faces/deepface/img30.jpg"));
    files.push_back(enlarged(files.back(), 3));
    files.push_back(test::read_file(*data / "faces/helen_300W_testset/3213949024_1.jpg"));  // 10 MP, at 1/4
  }
  int beside = 0, scaled = 0, plain = 0;
  for (const auto& bytes : files) {
    auto one = analysis::decode_for_analysis(bytes, Limits{}, analysis::decode_options(), 1);
    auto two = analysis::decode_for_analysis(bytes, Limits{}, analysis::decode_options(), 2);
    REQUIRE(one.image.ok());
    REQUIRE(two.image.ok());
    CHECK_FALSE(one.beside.valid());  // one thread: nothing beside
    const cv::Mat& bgr = two.image->bgr;
    CHECK(cv::norm(one.image->bgr, bgr, cv::NORM_INF) == 0);
    scaled += two.image->scale < 1.0;
    CHECK(two.beside.valid() == (two.image->scale < 1.0));
    if (!two.beside.valid()) continue;
    ++beside;
    const analysis::BesideDecode b = two.beside.get();
    REQUIRE(b.lab.size() == bgr.size());
    CHECK(cv::norm(b.lab, analysis::bgr_to_lab(bgr), cv::NORM_INF) == 0);
    cv::Mat grey;
    cv::cvtColor(bgr, grey, cv::COLOR_BGR2GRAY);
    REQUIRE(b.grey.size() == bgr.size());
    CHECK(cv::norm(b.grey, grey, cv::NORM_INF) == 0);
    REQUIRE(b.border.has_value());
    const auto expected = analysis::estimate_border_colour(bgr);
    REQUIRE(b.border->has_value() == expected.has_value());
    if (expected) {
      ++plain;
      CHECK(cv::norm((*b.border)->lab, expected->lab, cv::NORM_INF) == 0);
      CHECK((*b.border)->noise == expected->noise);
      cv::Mat near(bgr.size(), CV_8U);
      analysis::near_border_rows(analysis::bgr_to_lab(bgr), *expected, near, 0, bgr.rows);
      REQUIRE(b.near_border.size() == bgr.size());
      CHECK(cv::norm(b.near_border, near, cv::NORM_INF) == 0);
      CHECK(cv::countNonZero(near) > bgr.total() / 10);  // a real background, not an empty map
    } else {
      CHECK(b.near_border.empty());
    }
  }
  CHECK(beside == scaled);
  CHECK(scaled >= 1);
  if (files.size() > 3) CHECK(plain >= 2);  // the 1-inch sample's white and img30's plain wall

  // A progressive file is not decoded in bands: nothing beside (use_threads starts its own conversion).
  std::vector<std::uint8_t> progressive;
  cv::imencode(".jpg", cv::imdecode(files[2], cv::IMREAD_COLOR), progressive, {cv::IMWRITE_JPEG_PROGRESSIVE, 1});
  auto p = analysis::decode_for_analysis(progressive, Limits{}, analysis::decode_options(), 2);
  REQUIRE(p.image.ok());
  CHECK(p.image->scale < 1.0);
  CHECK_FALSE(p.beside.valid());
  // A file cut short: an error, and the thread ends (no hang).
  std::vector<std::uint8_t> cut(files[2].begin(), files[2].begin() + static_cast<std::ptrdiff_t>(files[2].size() / 2));
  auto c = analysis::decode_for_analysis(cut, Limits{}, analysis::decode_options(), 2);
  CHECK_FALSE(c.image.ok());
  CHECK_FALSE(c.beside.valid());
}
