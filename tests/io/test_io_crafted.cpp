// io::decode and io::parse_exif on inputs crafted in memory: formats, limits, metadata, hostile
// bytes.
#include <random>
#include <string>

#include <opencv2/imgproc.hpp>

#include "io/decode.hpp"
#include "io/exif.hpp"
#include "io_test_util.hpp"
#include "support/test_support.hpp"

namespace idphoto::io {
namespace {

using test::Bytes;

bool contains(const std::string& hay, const std::string& needle) {
  return hay.find(needle) != std::string::npos;
}

// Smooth colour gradient with structure, so that decoded content can be compared.
cv::Mat gradient(int w, int h) {
  cv::Mat m(h, w, CV_8UC3);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      m.at<cv::Vec3b>(y, x) =
          cv::Vec3b(static_cast<std::uint8_t>(255 * x / w), static_cast<std::uint8_t>(255 * y / h),
                    static_cast<std::uint8_t>(128));
    }
  }
  return m;
}

// White with a red 16x16 block at the stored top-left corner.
cv::Mat marked(int w, int h) {
  cv::Mat m(h, w, CV_8UC3, cv::Scalar(255, 255, 255));
  m(cv::Rect(0, 0, 16, 16)).setTo(cv::Scalar(0, 0, 255));
  return m;
}

bool is_red(const cv::Mat& m, int x, int y) {
  const auto p = m.at<cv::Vec3b>(y, x);
  return p[2] > 200 && p[1] < 60 && p[0] < 60;
}
bool is_white(const cv::Mat& m, int x, int y) {
  const auto p = m.at<cv::Vec3b>(y, x);
  return p[0] > 200 && p[1] > 200 && p[2] > 200;
}

Error error_of(const Bytes& b, const Limits& limits = {}) {
  auto r = decode(b, limits);
  REQUIRE_FALSE(r.ok());
  return r.error();
}

}  // namespace

TEST_CASE("empty, text and unknown bytes") {
  CHECK(error_of({}).code == ErrorCode::unreadable);
  const std::string text = "This is not a photo, just some words.\n";
  const Error t = error_of(Bytes(text.begin(), text.end()));
  CHECK(t.code == ErrorCode::unsupported_format);
  CHECK(contains(t.message, "text"));
  const Error u = error_of(Bytes{0x00, 0x01, 0x02, 0x03, 0xFE, 0x00});
  CHECK(u.code == ErrorCode::unsupported_format);
  CHECK(contains(u.message, "unrecognised"));
  const std::string heic(
      "\0\0\0\x18"
      "ftypheic\0\0\0\0mif1heic",
      24);
  const Error h = error_of(Bytes(heic.begin(), heic.end()));
  CHECK(h.code == ErrorCode::unsupported_format);
  CHECK(contains(h.message, "HEIC image"));
  CHECK(contains(h.message, "the core reads JPEG and PNG"));
  CHECK(error_of(Bytes{0xFF, 0xD8, 0xFF}).code == ErrorCode::unreadable);
}

TEST_CASE("a crafted JPEG decodes; its truncations are unreadable") {
  const cv::Mat img = gradient(64, 48);
  const Bytes jpeg = test::write_jpeg(img);
  auto r = decode(jpeg, Limits{});
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  CHECK(r->format == "jpeg");
  CHECK(r->width == 64);
  CHECK(r->height == 48);
  CHECK_FALSE(r->progressive);
  CHECK(cv::norm(r->bgr, img, cv::NORM_L1) / img.total() / 3 < 4.0);
  for (std::size_t keep : {jpeg.size() / 2, jpeg.size() - 2, std::size_t{300}, std::size_t{20}}) {
    CAPTURE(keep);
    const Error e = error_of(Bytes(jpeg.begin(), jpeg.begin() + static_cast<std::ptrdiff_t>(keep)));
    CHECK(e.code == ErrorCode::unreadable);
  }
}

TEST_CASE("a JPEG decoded in bands (rows_decoded) gives the pixels or the error of one call") {
  // Sizes around the 32-row band and the DCT scales, colour (4:2:0) and grey files, a progressive one (no
  // bands: its rows come only at the end), a small file cut every 7 bytes, and damaged entropy data.
  // test::decode_in_bands_as_whole also compares the pixels with TurboJPEG's tjDecompress2.
  int banded = 0;
  for (const auto& [w, h] : std::vector<std::pair<int, int>>{{1, 1}, {64, 31}, {64, 32}, {70, 33}, {333, 517}}) {
    for (const DecodeOptions o : {DecodeOptions{}, DecodeOptions{w / 4, h / 4}, DecodeOptions{1, 1}}) {
      CAPTURE(w);
      CAPTURE(h);
      CAPTURE(o.min_width);
      banded += test::decode_in_bands_as_whole(test::write_jpeg(gradient(w, h)), Limits{}, o) > 0;
      cv::Mat grey;
      cv::cvtColor(gradient(w, h), grey, cv::COLOR_BGR2GRAY);
      banded += test::decode_in_bands_as_whole(test::write_jpeg(grey), Limits{}, o) > 0;
      test::JpegWriteOptions prog;
      prog.progressive = true;
      CHECK(test::decode_in_bands_as_whole(test::write_jpeg(gradient(w, h), prog), Limits{}, o) == 0);
    }
  }
  CHECK(banded == 30);
  const Bytes jpeg = test::write_jpeg(gradient(96, 80));
  for (std::size_t keep = 0; keep <= jpeg.size(); keep += 7) {
    CAPTURE(keep);
    test::decode_in_bands_as_whole(Bytes(jpeg.begin(), jpeg.begin() + static_cast<std::ptrdiff_t>(keep)), Limits{}, {});
  }
  std::mt19937 rng(99);
  cv::Mat noise(240, 320, CV_8UC3);
  cv::randu(noise, 0, 256);
  const Bytes busy = test::write_jpeg(noise);
  int refused = 0;
  for (int i = 0; i < 200; ++i) {
    Bytes b = busy;
    for (int k = 0; k < 4; ++k) b[b.size() / 3 + rng() % (b.size() / 2)] = static_cast<std::uint8_t>(rng());
    CAPTURE(i);
    test::decode_in_bands_as_whole(b, Limits{}, DecodeOptions{100, 100});
    refused += !decode(b, Limits{}).ok();
  }
  CHECK(refused > 0);  // the damaged files include refusals, compared as errors
  MESSAGE("damaged entropy data: " << refused << " of 200 refused, the same way in bands and in one call");
}

TEST_CASE("grey and progressive JPEGs") {
  cv::Mat grey(40, 30, CV_8UC1, cv::Scalar(90));
  auto g = decode(test::write_jpeg(grey), Limits{});
  REQUIRE(g.ok());
  CHECK(g->colour_space == "grey");
  CHECK(g->bgr.type() == CV_8UC3);
  CHECK(std::abs(cv::mean(g->bgr)[2] - 90) < 2);

  test::JpegWriteOptions o;
  o.progressive = true;
  const Bytes prog = test::write_jpeg(gradient(64, 48), o);
  auto p = decode(prog, Limits{});
  REQUIRE(p.ok());
  CHECK(p->progressive);
  Limits few;
  few.max_jpeg_scans = 3;
  const Error e = error_of(prog, few);
  CHECK(e.code == ErrorCode::limit_exceeded);
  CHECK(contains(e.message, "scans"));
}

TEST_CASE("CMYK JPEG (Adobe-inverted) converts to the right BGR") {
  // Left half red ink (M+Y), right half 50% black; stored inverted as Photoshop does.
  cv::Mat cmyk(32, 32, CV_8UC4);
  cmyk(cv::Rect(0, 0, 16, 32)).setTo(cv::Scalar(255, 0, 0, 255));
  cmyk(cv::Rect(16, 0, 16, 32)).setTo(cv::Scalar(255, 255, 255, 128));
  auto r = decode(test::write_jpeg(cmyk), Limits{});
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  CHECK(r->colour_space == "cmyk");
  REQUIRE(r->bgr.type() == CV_8UC3);
  const cv::Vec3b red = r->bgr.at<cv::Vec3b>(16, 4);
  CHECK(red[0] < 10);
  CHECK(red[1] < 10);
  CHECK(red[2] > 245);
  const cv::Vec3b grey = r->bgr.at<cv::Vec3b>(16, 28);
  for (int c = 0; c < 3; ++c) CHECK(std::abs(grey[c] - 128) < 6);
}

TEST_CASE("JPEG density: JFIF dpi, dots/cm, none, EXIF fallback") {
  const cv::Mat img = gradient(16, 16);
  test::JpegWriteOptions dpi;
  dpi.density_unit = 1;
  dpi.x_density = dpi.y_density = 300;
  auto a = decode(test::write_jpeg(img, dpi), Limits{});
  REQUIRE(a.ok());
  REQUIRE(a->dpi.has_value());
  CHECK((*a->dpi)[0] == 300);
  CHECK((*a->dpi)[1] == 300);
  CHECK(a->dpi_source == "jfif");

  test::JpegWriteOptions cm;
  cm.density_unit = 2;
  cm.x_density = cm.y_density = 118;
  auto b = decode(test::write_jpeg(img, cm), Limits{});
  REQUIRE(b.ok());
  REQUIRE(b->dpi.has_value());
  CHECK((*b->dpi)[0] == doctest::Approx(299.72).epsilon(0.001));
  CHECK(b->dpi_source == "jfif");

  auto none = decode(test::write_jpeg(img), Limits{});  // JFIF aspect ratio 1:1, no unit
  REQUIRE(none.ok());
  CHECK_FALSE(none->dpi.has_value());
  CHECK(none->dpi_source.empty());
  test::JpegWriteOptions nojfif;
  nojfif.jfif = false;
  auto bare = decode(test::write_jpeg(img, nojfif), Limits{});
  REQUIRE(bare.ok());
  CHECK_FALSE(bare->dpi.has_value());

  auto ex =
      decode(test::insert_app1(test::write_jpeg(img), test::exif_payload(1, 350, 2)), Limits{});
  REQUIRE(ex.ok());
  REQUIRE(ex->dpi.has_value());
  CHECK((*ex->dpi)[0] == doctest::Approx(350));
  CHECK(ex->dpi_source == "exif");
  auto jfif_wins =
      decode(test::insert_app1(test::write_jpeg(img, dpi), test::exif_payload(1, 72, 2)), Limits{});
  REQUIRE(jfif_wins.ok());
  CHECK((*jfif_wins->dpi)[0] == 300);
  CHECK(jfif_wins->dpi_source == "jfif");
}

TEST_CASE("EXIF orientation is applied to the pixels") {
  const Bytes base = test::write_jpeg(marked(64, 48), {95});
  auto plain = decode(base, Limits{});
  REQUIRE(plain.ok());
  CHECK(is_red(plain->bgr, 4, 4));

  auto r6 = decode(test::insert_app1(base, test::exif_payload(6)), Limits{});
  REQUIRE(r6.ok());
  CHECK(r6->exif_orientation == 6);
  CHECK(r6->width == 48);
  CHECK(r6->height == 64);
  REQUIRE(r6->bgr.cols == 48);
  CHECK(is_red(r6->bgr, 40, 4));  // stored top-left -> top-right (90 deg clockwise)
  CHECK(is_white(r6->bgr, 4, 4));

  auto r3 = decode(test::insert_app1(base, test::exif_payload(3)), Limits{});
  REQUIRE(r3.ok());
  CHECK(r3->width == 64);
  CHECK(is_red(r3->bgr, 60, 44));  // -> bottom-right
  CHECK(is_white(r3->bgr, 4, 4));

  auto r8 = decode(test::insert_app1(base, test::exif_payload(8)), Limits{});
  REQUIRE(r8.ok());
  CHECK(r8->width == 48);
  CHECK(r8->height == 64);
  CHECK(is_red(r8->bgr, 4, 60));  // -> bottom-left (90 deg counter-clockwise)
  CHECK(is_white(r8->bgr, 44, 4));

  auto r2 = decode(test::insert_app1(base, test::exif_payload(2)), Limits{});
  REQUIRE(r2.ok());
  CHECK(is_red(r2->bgr, 60, 4));  // mirrored
  auto r5 = decode(test::insert_app1(base, test::exif_payload(5)), Limits{});
  REQUIRE(r5.ok());
  CHECK(r5->width == 48);
  CHECK(is_red(r5->bgr, 4, 4));  // transpose keeps the origin
  auto r7 = decode(test::insert_app1(base, test::exif_payload(7)), Limits{});
  REQUIRE(r7.ok());
  CHECK(is_red(r7->bgr, 44, 60));  // transverse: origin -> opposite corner
}

TEST_CASE("scaled JPEG decode keeps the smallest DCT scale above the minimum") {
  const cv::Mat img = gradient(2000, 1500);
  const Bytes jpeg = test::write_jpeg(img, {85});
  auto full = decode(jpeg, Limits{});
  REQUIRE(full.ok());
  CHECK(full->scale == 1.0);

  auto half = decode(jpeg, Limits{}, DecodeOptions{295, 413});
  REQUIRE(half.ok());
  CHECK(half->scale == 0.5);  // 1/4 is 500 x 375: below 413 high
  CHECK(half->width == 2000);
  CHECK(half->height == 1500);
  CHECK(half->bgr.cols == 1000);
  CHECK(half->bgr.rows == 750);
  cv::Mat down;
  cv::resize(full->bgr, down, half->bgr.size(), 0, 0, cv::INTER_AREA);
  CHECK(cv::norm(down, half->bgr, cv::NORM_L1) / down.total() / 3 < 3.0);

  auto eighth = decode(jpeg, Limits{}, DecodeOptions{200, 150});
  REQUIRE(eighth.ok());
  CHECK(eighth->scale == 0.125);
  CHECK(eighth->bgr.cols == 250);
  CHECK(eighth->bgr.rows == 188);

  // Portrait after EXIF orientation 6: 1500 x 2000, so 1/4 (375 x 500) now suffices.
  auto rotated =
      decode(test::insert_app1(jpeg, test::exif_payload(6)), Limits{}, DecodeOptions{295, 413});
  REQUIRE(rotated.ok());
  CHECK(rotated->scale == 0.25);
  CHECK(rotated->width == 1500);
  CHECK(rotated->height == 2000);
  CHECK(rotated->bgr.cols == 375);
  CHECK(rotated->bgr.rows == 500);
}

namespace {
// Independent reference for the PNG reduction: each output pixel is the rounded mean of its d × d block of
// the full image, the blocks of the last row and column holding what is left.
cv::Mat block_means(const cv::Mat& full, int d) {
  cv::Mat out((full.rows + d - 1) / d, (full.cols + d - 1) / d, CV_8UC3);
  for (int by = 0; by < out.rows; ++by)
    for (int bx = 0; bx < out.cols; ++bx) {
      const cv::Rect r = cv::Rect(bx * d, by * d, d, d) & cv::Rect(0, 0, full.cols, full.rows);
      const cv::Mat block = full(r);
      for (int c = 0; c < 3; ++c) {
        long sum = 0;
        for (int y = 0; y < block.rows; ++y)
          for (int x = 0; x < block.cols; ++x) sum += block.at<cv::Vec3b>(y, x)[c];
        const long n = static_cast<long>(r.area());
        out.at<cv::Vec3b>(by, bx)[c] = static_cast<uchar>((sum + n / 2) / n);
      }
    }
  return out;
}
}  // namespace

TEST_CASE("a large PNG is reduced as a JPEG is: same factor, same size, block means") {
  // A PNG used to reach the analysis whole: a 196 MP one took 3 GB and ran past the 10 s time cap
  // where the same photo as a JPEG is decoded at 1/8.
  const cv::Mat img = gradient(2000, 1500);
  std::vector<Bytes> rows;
  for (int y = 0; y < img.rows; ++y) {
    Bytes r;
    for (int x = 0; x < img.cols; ++x) {
      const cv::Vec3b p = img.at<cv::Vec3b>(y, x);
      r.insert(r.end(), {p[2], p[1], p[0]});
    }
    rows.push_back(r);
  }
  const Bytes png = test::write_png(2000, 1500, PNG_COLOR_TYPE_RGB, 8, rows);
  const Bytes jpeg = test::write_jpeg(img, {85});
  auto full = decode(png, Limits{});
  REQUIRE(full.ok());
  CHECK(full->scale == 1.0);
  CHECK(full->bgr.size() == cv::Size(2000, 1500));
  for (const DecodeOptions o : {DecodeOptions{295, 413}, DecodeOptions{200, 150}, DecodeOptions{0, 0, 700},
                                DecodeOptions{2000, 1500}}) {
    CAPTURE(o.min_width);
    CAPTURE(o.min_long_side);
    auto p = decode(png, Limits{}, o);
    auto j = decode(jpeg, Limits{}, o);
    REQUIRE(p.ok());
    REQUIRE(j.ok());
    CHECK(p->scale == j->scale);
    CHECK(p->bgr.size() == j->bgr.size());
    CHECK(p->width == 2000);
    CHECK(p->height == 1500);
    const int d = static_cast<int>(std::lround(1 / p->scale));
    CHECK(cv::norm(block_means(full->bgr, d), p->bgr, cv::NORM_INF) == 0);
  }
  // Interlaced, its rows come in seven passes and the image is reduced after reading: the same pixels as
  // the non-interlaced file, which is reduced row by row while it is read.
  test::PngWriteOptions adam7;
  adam7.interlace = PNG_INTERLACE_ADAM7;
  auto inter = decode(test::write_png(2000, 1500, PNG_COLOR_TYPE_RGB, 8, rows, adam7), Limits{}, DecodeOptions{295, 413});
  auto plain = decode(png, Limits{}, DecodeOptions{295, 413});
  REQUIRE(inter.ok());
  REQUIRE(plain.ok());
  CHECK(inter->progressive);
  CHECK(inter->scale == plain->scale);
  CHECK(cv::norm(inter->bgr, plain->bgr, cv::NORM_INF) == 0);
  // With alpha: every pixel composed over white first, then the blocks averaged.
  std::vector<Bytes> rgba_rows;
  cv::Mat over_white(1500, 2000, CV_8UC3);
  for (int y = 0; y < img.rows; ++y) {
    Bytes r;
    for (int x = 0; x < img.cols; ++x) {
      const cv::Vec3b p = img.at<cv::Vec3b>(y, x);
      const int a = (x * 7 + y * 3) % 256;
      r.insert(r.end(), {p[2], p[1], p[0], static_cast<std::uint8_t>(a)});
      for (int c = 0; c < 3; ++c) over_white.at<cv::Vec3b>(y, x)[c] = static_cast<uchar>((p[c] * a + 255 * (255 - a) + 127) / 255);
    }
    rgba_rows.push_back(r);
  }
  auto rgba = decode(test::write_png(2000, 1500, PNG_COLOR_TYPE_RGB_ALPHA, 8, rgba_rows), Limits{}, DecodeOptions{295, 413});
  REQUIRE(rgba.ok());
  CHECK(rgba->alpha_used);
  CHECK(rgba->scale == 0.5);  // landscape 2000 x 1500: 1/2 keeps 413 rows
  CHECK(cv::norm(block_means(over_white, 2), rgba->bgr, cv::NORM_INF) == 0);
  auto eighth = decode(png, Limits{}, DecodeOptions{200, 150});
  REQUIRE(eighth.ok());
  CHECK(eighth->scale == 0.125);
  CHECK(eighth->bgr.size() == cv::Size(250, 188));
  // EXIF orientation 6 (eXIf chunk): portrait 1500 x 2000, so 1/4 suffices, as for the JPEG.
  test::PngWriteOptions w;
  const Bytes app1 = test::exif_payload(6);
  w.exif = Bytes(app1.begin() + 6, app1.end());  // eXIf holds the TIFF data without "Exif\0\0"
  const Bytes with_exif = test::write_png(2000, 1500, PNG_COLOR_TYPE_RGB, 8, rows, w);
  auto rotated = decode(with_exif, Limits{}, DecodeOptions{295, 413});
  REQUIRE(rotated.ok());
  CHECK(rotated->scale == 0.25);
  CHECK(rotated->width == 1500);
  CHECK(rotated->height == 2000);
  CHECK(rotated->bgr.size() == cv::Size(375, 500));
  // The same eXIf chunk only after the image data: the rows are reduced while read for the photo as
  // stored (1/2 keeps 413 rows), then the turn becomes known. The result does not depend on the chunk's place.
  Bytes late;
  {
    // Chunks: length (4), type (4), data, CRC (4) after the 8-byte signature. One eXIf, just before IEND.
    Bytes exif_chunk;
    late.assign(with_exif.begin(), with_exif.begin() + 8);
    std::size_t at = 8;
    while (at + 12 <= with_exif.size()) {
      const std::size_t len = (std::size_t{with_exif[at]} << 24) | (std::size_t{with_exif[at + 1]} << 16) |
                              (std::size_t{with_exif[at + 2]} << 8) | with_exif[at + 3];
      const std::string type(with_exif.begin() + static_cast<long>(at) + 4, with_exif.begin() + static_cast<long>(at) + 8);
      const Bytes chunk(with_exif.begin() + static_cast<long>(at), with_exif.begin() + static_cast<long>(at + 12 + len));
      if (type == "eXIf") exif_chunk = chunk;
      else if (type == "IEND") {
        late.insert(late.end(), exif_chunk.begin(), exif_chunk.end());
        late.insert(late.end(), chunk.begin(), chunk.end());
      } else late.insert(late.end(), chunk.begin(), chunk.end());
      at += 12 + len;
    }
    REQUIRE(!exif_chunk.empty());  // (libpng writes it twice, before and after the image data: both go)
  }
  auto turned_late = decode(late, Limits{}, DecodeOptions{295, 413});
  REQUIRE(turned_late.ok());
  CHECK(turned_late->exif_orientation == 6);
  CHECK(turned_late->scale == 0.25);
  CHECK(turned_late->bgr.size() == cv::Size(375, 500));
  CHECK(cv::norm(turned_late->bgr, rotated->bgr, cv::NORM_INF) == 0);
  // (That took a second reading of the file, whole.) The other way: stored 2000 x 1500 would be reduced
  // by 1/8 to 250 x 188; turned, 188 wide is under 200, so 1/4 is wanted.
  auto reread = decode(late, Limits{}, DecodeOptions{200, 150});
  REQUIRE(reread.ok());
  CHECK(reread->scale == 0.25);
  CHECK(reread->bgr.size() == cv::Size(375, 500));
}

TEST_CASE("pixel and dimension limits come from the header") {
  const Bytes jpeg = test::write_jpeg(gradient(2000, 1500), {85});
  Limits px;
  px.max_pixels = 1000 * 1000;
  CHECK(error_of(jpeg, px).code == ErrorCode::limit_exceeded);
  Limits side;
  side.max_dimension = 1999;
  CHECK(error_of(jpeg, side).code == ErrorCode::limit_exceeded);

  const Error huge = error_of(test::png_header_only(30000, 30000));
  CHECK(huge.code == ErrorCode::limit_exceeded);
  CHECK(contains(huge.message, "30000x30000"));
  CHECK(error_of(test::png_header_only(70000, 10)).code == ErrorCode::limit_exceeded);
  CHECK(error_of(test::png_header_only(100, 100)).code ==
        ErrorCode::unreadable);  // within limits, no data
  CHECK(error_of(test::png_header_only(0, 100)).code == ErrorCode::unreadable);
}

TEST_CASE("PNG colour types, depths and alpha") {
  auto one = decode(test::write_png(1, 1, PNG_COLOR_TYPE_RGB, 8, {{10, 20, 30}}), Limits{});
  REQUIRE_MESSAGE(one.ok(), one.error().message);
  CHECK(one->width == 1);
  CHECK(one->height == 1);
  CHECK(one->colour_space == "rgb");
  CHECK(one->bgr.at<cv::Vec3b>(0, 0) == cv::Vec3b(30, 20, 10));
  CHECK_FALSE(one->has_alpha);
  CHECK_FALSE(one->dpi.has_value());

  // 16-bit RGB, samples big-endian: 0xFFFF, 0x8080, 0x0000 and 0x4000, 0x0000, 0xFFFF.
  auto deep = decode(
      test::write_png(2, 1, PNG_COLOR_TYPE_RGB, 16,
                      {{0xFF, 0xFF, 0x80, 0x80, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0xFF, 0xFF}}),
      Limits{});
  REQUIRE_MESSAGE(deep.ok(), deep.error().message);
  CHECK(deep->bit_depth == 16);
  CHECK(deep->bgr.at<cv::Vec3b>(0, 0) == cv::Vec3b(0, 128, 255));
  CHECK(deep->bgr.at<cv::Vec3b>(0, 1) == cv::Vec3b(255, 0, 64));

  test::PngWriteOptions pal;
  pal.palette = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {10, 20, 30}};
  auto p =
      decode(test::write_png(2, 2, PNG_COLOR_TYPE_PALETTE, 8, {{0, 1}, {2, 3}}, pal), Limits{});
  REQUIRE_MESSAGE(p.ok(), p.error().message);
  CHECK(p->colour_space == "palette");
  CHECK_FALSE(p->has_alpha);
  CHECK(p->bgr.at<cv::Vec3b>(0, 0) == cv::Vec3b(0, 0, 255));
  CHECK(p->bgr.at<cv::Vec3b>(0, 1) == cv::Vec3b(0, 255, 0));
  CHECK(p->bgr.at<cv::Vec3b>(1, 0) == cv::Vec3b(255, 0, 0));
  CHECK(p->bgr.at<cv::Vec3b>(1, 1) == cv::Vec3b(30, 20, 10));
  pal.trns = {255, 0};  // entry 1 fully transparent
  auto pt =
      decode(test::write_png(2, 2, PNG_COLOR_TYPE_PALETTE, 8, {{0, 1}, {2, 3}}, pal), Limits{});
  REQUIRE(pt.ok());
  CHECK(pt->has_alpha);
  CHECK(pt->alpha_used);
  CHECK(pt->bgr.at<cv::Vec3b>(0, 1) == cv::Vec3b(255, 255, 255));

  // grey+alpha: transparent black -> white, opaque black, grey 100 at alpha 128.
  auto ga = decode(test::write_png(3, 1, PNG_COLOR_TYPE_GRAY_ALPHA, 8, {{0, 0, 0, 255, 100, 128}}),
                   Limits{});
  REQUIRE_MESSAGE(ga.ok(), ga.error().message);
  CHECK(ga->colour_space == "grey_alpha");
  CHECK(ga->has_alpha);
  CHECK(ga->alpha_used);
  CHECK(ga->bgr.at<cv::Vec3b>(0, 0) == cv::Vec3b(255, 255, 255));
  CHECK(ga->bgr.at<cv::Vec3b>(0, 1) == cv::Vec3b(0, 0, 0));
  CHECK(std::abs(ga->bgr.at<cv::Vec3b>(0, 2)[1] - 177) <= 1);

  auto opaque = decode(test::write_png(1, 1, PNG_COLOR_TYPE_RGBA, 8, {{1, 2, 3, 255}}), Limits{});
  REQUIRE(opaque.ok());
  CHECK(opaque->has_alpha);
  CHECK_FALSE(opaque->alpha_used);

  auto grey1 = decode(test::write_png(8, 1, PNG_COLOR_TYPE_GRAY, 1, {{0xA5}}), Limits{});
  REQUIRE(grey1.ok());
  CHECK(grey1->bit_depth == 1);
  CHECK(grey1->bgr.at<cv::Vec3b>(0, 0) == cv::Vec3b(255, 255, 255));
  CHECK(grey1->bgr.at<cv::Vec3b>(0, 1) == cv::Vec3b(0, 0, 0));
}

TEST_CASE("truncated PNG is unreadable; a missing IEND alone is tolerated") {
  std::vector<Bytes> rows;
  for (int y = 0; y < 64; ++y) {
    Bytes r;
    for (int x = 0; x < 64; ++x)
      r.insert(r.end(),
               {static_cast<std::uint8_t>(x * 4 + y), static_cast<std::uint8_t>(y * 3), 9});
    rows.push_back(r);
  }
  const Bytes png = test::write_png(64, 64, PNG_COLOR_TYPE_RGB, 8, rows);
  REQUIRE(decode(png, Limits{}).ok());
  const Error half =
      error_of(Bytes(png.begin(), png.begin() + static_cast<std::ptrdiff_t>(png.size() / 2)));
  CHECK(half.code == ErrorCode::unreadable);
  CHECK(contains(half.message, "truncated"));
  CHECK(error_of(Bytes(png.begin(), png.begin() + 40)).code == ErrorCode::unreadable);
  auto no_iend = decode(Bytes(png.begin(), png.end() - 12), Limits{});
  REQUIRE_MESSAGE(no_iend.ok(), no_iend.error().message);
  CHECK(no_iend->bgr.at<cv::Vec3b>(63, 63) == cv::Vec3b(9, 189, 59));
}

TEST_CASE("interlaced PNG and pHYs density") {
  std::vector<Bytes> rows;
  for (int y = 0; y < 9; ++y) {
    Bytes r;
    for (int x = 0; x < 11; ++x)
      r.insert(r.end(), {static_cast<std::uint8_t>(x * 20), static_cast<std::uint8_t>(y * 25), 7});
    rows.push_back(r);
  }
  test::PngWriteOptions o;
  o.interlace = PNG_INTERLACE_ADAM7;
  o.phys_x = o.phys_y = 11811;
  auto r = decode(test::write_png(11, 9, PNG_COLOR_TYPE_RGB, 8, rows, o), Limits{});
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  CHECK(r->progressive);
  CHECK(r->bgr.at<cv::Vec3b>(8, 10) == cv::Vec3b(7, 200, 200));
  CHECK(r->bgr.at<cv::Vec3b>(3, 5) == cv::Vec3b(7, 75, 100));
  REQUIRE(r->dpi.has_value());
  CHECK((*r->dpi)[0] == doctest::Approx(300).epsilon(0.001));
  CHECK((*r->dpi)[1] == doctest::Approx(300).epsilon(0.001));
  CHECK(r->dpi_source == "png_phys");
}

TEST_CASE("a PNG's eXIf chunk: orientation applied to the pixels, resolution without pHYs") {
  // 11 x 9, the top-left pixel red, the rest white; stored as a phone would with orientation 6.
  std::vector<Bytes> rows;
  for (int y = 0; y < 9; ++y) {
    Bytes r;
    for (int x = 0; x < 11; ++x) {
      const bool red = x < 2 && y < 2;
      r.insert(r.end(), {255, static_cast<std::uint8_t>(red ? 0 : 255), static_cast<std::uint8_t>(red ? 0 : 255)});
    }
    rows.push_back(r);
  }
  const auto tiff = [](int orientation, double dpi) {
    const Bytes app1 = test::exif_payload(orientation, dpi, 2);
    return Bytes(app1.begin() + 6, app1.end());  // eXIf holds the TIFF data without "Exif\0\0"
  };
  test::PngWriteOptions o;
  o.exif = tiff(6, 300);
  auto r = decode(test::write_png(11, 9, PNG_COLOR_TYPE_RGB, 8, rows, o), Limits{});
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  CHECK(r->exif_orientation == 6);
  CHECK(r->width == 9);
  CHECK(r->height == 11);
  REQUIRE(r->bgr.cols == 9);
  CHECK(r->bgr.at<cv::Vec3b>(0, 8) == cv::Vec3b(0, 0, 255));  // top-left -> top-right (90 deg clockwise)
  CHECK(r->bgr.at<cv::Vec3b>(0, 0) == cv::Vec3b(255, 255, 255));
  REQUIRE(r->dpi.has_value());
  CHECK((*r->dpi)[0] == doctest::Approx(300));
  CHECK(r->dpi_source == "exif");
  // pHYs wins over EXIF for the resolution, as JFIF does in a JPEG.
  o.phys_x = o.phys_y = 3780;  // 96 dpi
  r = decode(test::write_png(11, 9, PNG_COLOR_TYPE_RGB, 8, rows, o), Limits{});
  REQUIRE(r.ok());
  CHECK(r->dpi_source == "png_phys");
  // A hostile eXIf (not TIFF) is ignored: orientation 1.
  o.exif = Bytes{'n', 'o', 't', ' ', 't', 'i', 'f', 'f'};
  r = decode(test::write_png(11, 9, PNG_COLOR_TYPE_RGB, 8, rows, o), Limits{});
  REQUIRE(r.ok());
  CHECK(r->exif_orientation == 1);
  CHECK(r->width == 11);
}

TEST_CASE("parse_exif: valid in both byte orders, hostile input safe") {
  auto le = parse_exif(test::exif_payload(6, 300, 3));
  REQUIRE(le.has_value());
  CHECK(le->orientation == 6);
  REQUIRE(le->dpi());
  CHECK((*le->dpi())[0] == doctest::Approx(762));  // 300 px/cm
  CHECK((*le->dpi())[1] == doctest::Approx(762));
  // Big-endian: MM, IFD0 at 8, one entry Orientation = 8.
  const Bytes be = {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0,
                    3,   0,   0, 0,  1, 0, 8, 0, 0, 0, 0,    0,    0};
  auto b = parse_exif(be);
  REQUIRE(b.has_value());
  CHECK(b->orientation == 8);

  CHECK_FALSE(parse_exif(Bytes{'E', 'x', 'i', 'f', 0, 0, 'X', 'X'}).has_value());
  CHECK_FALSE(parse_exif(Bytes{}).has_value());

  Bytes far = test::exif_payload(6);
  far[10] = 0xF0;  // IFD0 offset beyond the buffer
  far[13] = 0x7F;
  auto f = parse_exif(far);
  REQUIRE(f.has_value());
  CHECK(f->orientation == 1);

  Bytes many = test::exif_payload(6, 300);
  many[14] = 0xFF;  // entry count 65535, far more than fit
  many[15] = 0xFF;
  auto m = parse_exif(many);
  REQUIRE(m.has_value());
  CHECK(m->orientation == 6);  // the entries that fit are still read

  Bytes badrat = test::exif_payload(1, 300);
  badrat[6 + 8 + 2 + 12 + 8] = 0xFF;  // XResolution value offset -> out of range
  badrat[6 + 8 + 2 + 12 + 11] = 0xFF;
  auto br = parse_exif(badrat);
  REQUIRE(br.has_value());
  CHECK_FALSE(br->x_resolution.has_value());
  CHECK(br->y_resolution.has_value());

  Bytes loop = test::exif_payload(6);
  loop[6 + 8 + 2 + 12] = 8;  // next-IFD pointer back to IFD0
  auto l = parse_exif(loop);
  REQUIRE(l.has_value());
  CHECK(l->orientation == 6);

  Bytes nine = test::exif_payload(9);
  CHECK(parse_exif(nine)->orientation == 1);

  std::mt19937 rng(1234);
  for (int i = 0; i < 3000; ++i) {
    Bytes junk = test::exif_payload(6, 300);
    const int flips = 1 + static_cast<int>(rng() % 6);
    for (int k = 0; k < flips; ++k)
      junk[6 + rng() % (junk.size() - 6)] = static_cast<std::uint8_t>(rng());
    junk.resize(6 + rng() % (junk.size() - 5));
    auto j = parse_exif(junk);
    if (j) CHECK((j->orientation >= 1 && j->orientation <= 8));
  }

  // A hostile APP1 inside a real JPEG: decodes, orientation 1.
  auto r = decode(test::insert_app1(test::write_jpeg(gradient(32, 32)), far), Limits{});
  REQUIRE(r.ok());
  CHECK(r->exif_orientation == 1);
  CHECK(r->width == 32);
}

TEST_CASE("an interlaced PNG is reduced pass by pass: the same pixels as the non-interlaced file, any size") {
  // Adam7's seven passes are sub-images spread over the picture; an image narrower or shorter than 8 px
  // has empty passes, which libpng skips. Every size from 1 × 1 up, each colour type the decoder turns
  // into BGR (grey, grey + alpha, RGB, RGBA, a palette with tRNS), 8 and 16 bits, both reductions.
  std::mt19937 rng(7);
  int compared = 0;
  struct Kind {
    int colour, depth, samples;
  };
  const std::vector<Kind> kinds = {{PNG_COLOR_TYPE_GRAY, 8, 1},       {PNG_COLOR_TYPE_GRAY_ALPHA, 8, 2},
                                   {PNG_COLOR_TYPE_RGB, 8, 3},        {PNG_COLOR_TYPE_RGB_ALPHA, 8, 4},
                                   {PNG_COLOR_TYPE_RGB_ALPHA, 16, 8}, {PNG_COLOR_TYPE_PALETTE, 8, 1}};
  test::PngWriteOptions palette;
  for (int i = 0; i < 16; ++i)
    palette.palette.push_back({static_cast<png_byte>(i * 16), static_cast<png_byte>(255 - i * 9), static_cast<png_byte>(i * 5)});
  palette.trns = {0, 128, 255, 40};
  for (const auto& [w, h] : std::vector<std::pair<int, int>>{{1, 1}, {2, 3}, {5, 3}, {7, 9}, {9, 7}, {17, 13}, {33, 2}, {64, 64}, {301, 203}}) {
    for (const Kind& k : kinds) {
      std::vector<Bytes> rows(static_cast<std::size_t>(h), Bytes(static_cast<std::size_t>(w * k.samples)));
      for (auto& r : rows)
        for (auto& b : r) b = static_cast<std::uint8_t>(k.colour == PNG_COLOR_TYPE_PALETTE ? rng() % 16 : rng());
      test::PngWriteOptions plain_o = k.colour == PNG_COLOR_TYPE_PALETTE ? palette : test::PngWriteOptions{};
      test::PngWriteOptions adam7_o = plain_o;
      adam7_o.interlace = PNG_INTERLACE_ADAM7;
      const Bytes plain = test::write_png(w, h, k.colour, k.depth, rows, plain_o);
      const Bytes adam7 = test::write_png(w, h, k.colour, k.depth, rows, adam7_o);
      for (const DecodeOptions o : {DecodeOptions{1, 1}, DecodeOptions{(w + 3) / 4, (h + 3) / 4}, DecodeOptions{}}) {
        CAPTURE(w);
        CAPTURE(h);
        CAPTURE(k.colour);
        CAPTURE(k.depth);
        CAPTURE(o.min_width);
        auto a = decode(adam7, Limits{}, o);
        auto b = decode(plain, Limits{}, o);
        REQUIRE(a.ok());
        REQUIRE(b.ok());
        CHECK(a->progressive);
        CHECK(a->scale == b->scale);
        CHECK(a->alpha_used == b->alpha_used);
        REQUIRE(a->bgr.size() == b->bgr.size());
        CHECK(cv::norm(a->bgr, b->bgr, cv::NORM_INF) == 0);
        compared += a->scale < 1.0;
      }
    }
  }
  CHECK(compared >= 60);  // most of them reduced (a 1 × 1 image is not)
}

TEST_CASE("mutated JPEG and PNG bytes never crash") {
  std::vector<Bytes> rows(24, Bytes(32 * 4));
  for (std::size_t y = 0; y < rows.size(); ++y) {
    for (std::size_t x = 0; x < rows[y].size(); ++x)
      rows[y][x] = static_cast<std::uint8_t>(x * 7 + y * 13);
  }
  test::PngWriteOptions interlaced;
  interlaced.interlace = PNG_INTERLACE_ADAM7;
  test::JpegWriteOptions prog;
  prog.progressive = true;
  const std::vector<Bytes> seeds = {
      test::write_jpeg(gradient(40, 24)), test::write_jpeg(gradient(40, 24), prog),
      test::write_png(32, 24, PNG_COLOR_TYPE_RGBA, 8, rows, interlaced)};
  std::mt19937 rng(42);
  Limits small;  // a mutated header may declare a large size: keep allocations small
  small.max_pixels = 1000 * 1000;
  int ok = 0, failed = 0;
  for (const Bytes& seed : seeds) {
    for (int i = 0; i < 400; ++i) {
      Bytes b = seed;
      const int flips = 1 + static_cast<int>(rng() % 8);
      for (int k = 0; k < flips; ++k) b[rng() % b.size()] = static_cast<std::uint8_t>(rng());
      if (rng() % 4 == 0) b.resize(1 + rng() % b.size());
      auto r = decode(b, small);
      if (r.ok()) {
        ++ok;
        CHECK(r->bgr.type() == CV_8UC3);
        CHECK(r->bgr.cols > 0);
      } else {
        ++failed;
        CHECK_FALSE(r.error().message.empty());
        CHECK(r.error().code != ErrorCode::internal);
      }
    }
  }
  CHECK(failed > 0);
  MESSAGE("mutations: " << ok << " decoded, " << failed << " refused");
}

}  // namespace idphoto::io
