// KB-window encoder: real JPEGs inside the window for very different content; impossible windows said plainly.
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "fix/kb_encode.hpp"
#include "io/encode.hpp"
#include "support/test_support.hpp"

using namespace idphoto;

namespace {

// JFIF APP0 density as written: {units, x, y}; units 1 = dots per inch.
std::array<int, 3> jfif_density(const std::vector<std::uint8_t>& b) {
  REQUIRE(b.size() > 20);
  REQUIRE(b[0] == 0xFF);
  REQUIRE(b[1] == 0xD8);
  REQUIRE(b[2] == 0xFF);
  REQUIRE(b[3] == 0xE0);
  REQUIRE(std::string(reinterpret_cast<const char*>(&b[6]), 4) == "JFIF");
  return {b[13], b[14] << 8 | b[15], b[16] << 8 | b[17]};
}

cv::Mat sample_photo() {
  const auto path = test::source_dir() / "samples" / "cn-1inch-obama.jpg";
  cv::Mat m = cv::imread(path.string(), cv::IMREAD_COLOR);
  REQUIRE_MESSAGE(!m.empty(), "cannot read " << path.string());
  return m;
}

cv::Mat noise_image() {
  cv::Mat m(413, 295, CV_8UC3);
  cv::randu(m, cv::Scalar::all(0), cv::Scalar::all(255));
  return m;
}

cv::Mat flat_image() { return cv::Mat(413, 295, CV_8UC3, cv::Scalar(250, 250, 250)); }

void check_lands(const cv::Mat& img, std::size_t lo, std::size_t hi) {
  auto r = fix::encode_into_window(img, lo, hi, 300);
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  const auto& b = r->bytes;
  CHECK(b.size() >= lo);
  CHECK(b.size() <= hi);
  // Not padded: the file ends at its EOI marker and decodes to the same size.
  CHECK(b[b.size() - 2] == 0xFF);
  CHECK(b[b.size() - 1] == 0xD9);
  const auto d = jfif_density(b);
  CHECK(d[0] == 1);
  CHECK(d[1] == 300);
  CHECK(d[2] == 300);
  const cv::Mat back = cv::imdecode(b, cv::IMREAD_COLOR);
  REQUIRE(!back.empty());
  CHECK(back.cols == img.cols);
  CHECK(back.rows == img.rows);
}

}  // namespace

TEST_CASE("a real 295x413 photo lands in 10-30 KB, and in a narrow 12-13 KB window") {
  const cv::Mat img = sample_photo();
  check_lands(img, 10 * 1024, 30 * 1024);
  check_lands(img, 12 * 1024, 13 * 1024);
}

TEST_CASE("a very detailed image and a smooth one both land in a window they can reach") {
  check_lands(noise_image(), 60 * 1024, 120 * 1024);
  cv::Mat smooth(413, 295, CV_8UC3);
  for (int y = 0; y < smooth.rows; ++y)
    for (int x = 0; x < smooth.cols; ++x) smooth.at<cv::Vec3b>(y, x) = cv::Vec3b(x % 256, y % 256, (x + y) % 256);
  check_lands(smooth, 5 * 1024, 10 * 1024);
}

TEST_CASE("impossible windows are reported with the window, the reachable sizes and the reason") {
  auto detailed = fix::encode_into_window(noise_image(), 1 * 1024, 2 * 1024, 300);
  REQUIRE_FALSE(detailed.ok());
  CHECK(detailed.error().code == ErrorCode::invalid_argument);
  CHECK(detailed.error().message.find("1.0 KB–2.0 KB") != std::string::npos);
  CHECK(detailed.error().message.find("too detailed") != std::string::npos);

  auto plain = fix::encode_into_window(flat_image(), 10 * 1024, 30 * 1024, 300);
  REQUIRE_FALSE(plain.ok());
  CHECK(plain.error().message.find("too plain") != std::string::npos);
  CHECK(plain.error().message.find("reachable sizes") != std::string::npos);
}

TEST_CASE("a stop function is asked between encodes: false changes nothing, true ends the search") {
  const cv::Mat img = sample_photo();
  const auto plain = fix::encode_into_window(img, 10 * 1024, 30 * 1024, 300);
  REQUIRE(plain.ok());
  int asked = 0;
  const auto kept = fix::encode_into_window(img, 10 * 1024, 30 * 1024, 300, [&] { return ++asked, false; });
  REQUIRE(kept.ok());
  CHECK(kept->bytes == plain->bytes);
  CHECK(asked >= 2);  // once before each encode of the quality search (at least q and q + 1)

  asked = 0;
  const auto stopped = fix::encode_into_window(img, 10 * 1024, 30 * 1024, 300, [&] { return ++asked == 2; });
  REQUIRE_FALSE(stopped.ok());
  CHECK(stopped.error().code == ErrorCode::internal);
  CHECK(stopped.error().message.find("stopped") != std::string::npos);
  CHECK(asked == 2);

  // PNG: asked before each level after the first.
  asked = 0;
  const auto png = fix::encode_png_into_window(img, 1, 2, 300, [&] { return ++asked == 1; });
  REQUIRE_FALSE(png.ok());
  CHECK(png.error().message.find("stopped") != std::string::npos);
  CHECK(asked == 1);
}

TEST_CASE("the quality found is the highest that fits: one step more does not, at every window tried") {
  // The search probes where the size should cross the ceiling instead of bisecting 1..100; whatever it
  // probes, the quality it returns fits and the next one up (encoded here) does not.
  const cv::Mat img = sample_photo();
  cv::Mat big;
  cv::resize(img, big, {354, 472}, 0, 0, cv::INTER_CUBIC);
  for (const cv::Mat* m : std::initializer_list<const cv::Mat*>{&img, &big}) {
    for (const std::size_t hi : std::initializer_list<std::size_t>{9000, 14000, 20000, 26000, 30720, 38000}) {
      CAPTURE(m->cols);
      CAPTURE(hi);
      const auto r = io::encode_jpeg_to_size(*m, 1024, hi, 300);
      REQUIRE(r.ok());
      CHECK(r->bytes.size() <= hi);
      const auto same = io::encode_jpeg(*m, {r->quality, 300, true, false, r->chroma_420});
      REQUIRE(same.ok());
      CHECK(*same == r->bytes);  // the file is the plain encode at that quality
      if (r->quality < 100) {
        const auto up = io::encode_jpeg(*m, {r->quality + 1, 300, true, false, r->chroma_420});
        REQUIRE(up.ok());
        CHECK(up->size() > hi);
      }
    }
  }
}
