// io::encode_png (pHYs density, channel layouts, zlib levels) round-tripped through io::decode, and
// the PNG byte-window encoder of fix.
#include <cstring>

#include <opencv2/imgproc.hpp>

#include "fix/kb_encode.hpp"
#include "io/decode.hpp"
#include "io/encode.hpp"
#include "support/test_support.hpp"

using namespace idphoto;

namespace {

cv::Mat noise(int w, int h, int type, unsigned seed) {
  cv::Mat m(h, w, type);
  cv::RNG rng(seed);
  rng.fill(m, cv::RNG::UNIFORM, 0, 256);
  return m;
}

// A smooth portrait-like gradient with a disc: compressible, unlike noise.
cv::Mat smooth(int w, int h) {
  cv::Mat m(h, w, CV_8UC3);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      m.at<cv::Vec3b>(y, x) =
          cv::Vec3b(static_cast<uchar>(200 - y / 4), static_cast<uchar>(180 + x / 8), 230);
  cv::circle(m, {w / 2, h * 2 / 5}, w / 4, cv::Scalar(90, 120, 170), cv::FILLED, cv::LINE_AA);
  return m;
}

// The pHYs chunk as stored: {x ppm, y ppm, unit}; none when the file has no pHYs.
std::optional<std::array<std::uint32_t, 3>> phys(const std::vector<std::uint8_t>& b) {
  auto be32 = [&](std::size_t i) {
    return std::uint32_t(b[i]) << 24 | std::uint32_t(b[i + 1]) << 16 |
           std::uint32_t(b[i + 2]) << 8 | b[i + 3];
  };
  for (std::size_t i = 8; i + 12 <= b.size();) {
    const std::uint32_t len = be32(i);
    if (std::memcmp(&b[i + 4], "pHYs", 4) == 0 && len == 9)
      return std::array<std::uint32_t, 3>{be32(i + 8), be32(i + 12), b[i + 16]};
    i += 12 + len;
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE(
    "encode_png: BGR, grey, grey+alpha and BGRA round-trip through the decoder pixel for pixel") {
  for (int type : {CV_8UC3, CV_8UC1, CV_8UC2, CV_8UC4}) {
    CAPTURE(type);
    const cv::Mat img = noise(37, 23, type, 7u + static_cast<unsigned>(type));
    auto png = io::encode_png(img, {300, 6});
    REQUIRE_MESSAGE(png.ok(), png.error().message);
    CHECK(io::sniff_format(*png) == "png");
    auto d = io::decode(*png, Limits{});
    REQUIRE_MESSAGE(d.ok(), d.error().message);
    CHECK(d->width == 37);
    CHECK(d->height == 23);
    cv::Mat expect;
    if (type == CV_8UC3) expect = img;
    if (type == CV_8UC1) cv::cvtColor(img, expect, cv::COLOR_GRAY2BGR);
    if (type == CV_8UC3 || type == CV_8UC1) {
      CHECK(cv::norm(d->bgr, expect, cv::NORM_INF) == 0);
    } else {
      CHECK(d->has_alpha);
      CHECK(d->alpha_used);
    }
    if (type == CV_8UC4) {
      // Opaque pixels come back unchanged (the decoder composites alpha on white).
      cv::Mat opaque = img.clone();
      opaque.forEach<cv::Vec4b>([](cv::Vec4b& p, const int*) { p[3] = 255; });
      auto o = io::decode(*io::encode_png(opaque, {}), Limits{});
      REQUIRE(o.ok());
      cv::Mat bgr;
      cv::cvtColor(opaque, bgr, cv::COLOR_BGRA2BGR);
      CHECK(cv::norm(o->bgr, bgr, cv::NORM_INF) == 0);
    }
  }
}

TEST_CASE(
    "encode_png: the dpi is stored as pHYs in pixels per metre and reads back as the whole dpi") {
  const cv::Mat img = smooth(60, 80);
  for (int dpi : {72, 96, 150, 300, 350, 600}) {
    CAPTURE(dpi);
    auto png = io::encode_png(img, {dpi, 9});
    REQUIRE(png.ok());
    const auto p = phys(*png);
    REQUIRE(p.has_value());
    CHECK((*p)[0] == static_cast<std::uint32_t>(std::lround(dpi / 0.0254)));
    CHECK((*p)[1] == (*p)[0]);
    CHECK((*p)[2] == 1);  // unit: metre
    auto d = io::decode(*png, Limits{});
    REQUIRE(d.ok());
    REQUIRE(d->dpi.has_value());
    CHECK((*d->dpi)[0] ==
          dpi);  // exactly: 300 dpi is 11811 ppm, which reads back as 300, not 299.9994
    CHECK((*d->dpi)[1] == dpi);
    CHECK(d->dpi_source == "png_phys");
  }
  auto none = io::encode_png(img, {});
  REQUIRE(none.ok());
  CHECK_FALSE(phys(*none).has_value());
  auto d = io::decode(*none, Limits{});
  REQUIRE(d.ok());
  CHECK_FALSE(d->dpi.has_value());
}

TEST_CASE("encode_png: zlib level moves the size, never the pixels; bad arguments are refused") {
  const cv::Mat img = smooth(295, 413);
  auto fast = io::encode_png(img, {300, 0});
  auto best = io::encode_png(img, {300, 9});
  REQUIRE(fast.ok());
  REQUIRE(best.ok());
  CHECK(fast->size() > 2 * best->size());
  CHECK(cv::norm(io::decode(*fast, Limits{})->bgr, io::decode(*best, Limits{})->bgr,
                 cv::NORM_INF) == 0);
  CHECK(io::encode_png(cv::Mat(), {}).error().code == ErrorCode::invalid_argument);
  CHECK(io::encode_png(cv::Mat(4, 4, CV_16UC3), {}).error().code == ErrorCode::invalid_argument);
  CHECK(io::encode_png(img, {300, 10}).error().code == ErrorCode::invalid_argument);
  CHECK(io::encode_png(img, {0, 9}).error().code == ErrorCode::invalid_argument);
}

TEST_CASE(
    "encode_png_into_window: the strongest level inside the window; impossible windows say why") {
  const cv::Mat img = smooth(295, 413);
  const std::size_t at9 = io::encode_png(img, {300, 9})->size();
  const std::size_t at0 = io::encode_png(img, {300, 0})->size();
  auto any = fix::encode_png_into_window(img, 0, at0, 300);
  REQUIRE(any.ok());
  CHECK(any->compression == 9);
  CHECK(any->bytes.size() == at9);
  // A minimum above the level-9 size pushes to a weaker level, still a real PNG of the same pixels.
  auto weaker = fix::encode_png_into_window(img, at9 + 1, at0, 300);
  REQUIRE_MESSAGE(weaker.ok(), weaker.error().message);
  CHECK(weaker->compression < 9);
  CHECK(weaker->bytes.size() > at9);
  CHECK(cv::norm(io::decode(weaker->bytes, Limits{})->bgr, img, cv::NORM_INF) == 0);
  auto small = fix::encode_png_into_window(noise(295, 413, CV_8UC3, 3), 10 * 1024, 30 * 1024, 300);
  REQUIRE_FALSE(small.ok());
  CHECK(small.error().code == ErrorCode::invalid_argument);
  CHECK(small.error().message.find("lossless") != std::string::npos);
  auto big = fix::encode_png_into_window(img, at0 + 1, at0 + 1024, 300);
  REQUIRE_FALSE(big.ok());
  CHECK(big.error().message.find("too plain") != std::string::npos);
}
