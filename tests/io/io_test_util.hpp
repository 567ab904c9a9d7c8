// In-memory JPEG/PNG writers and byte surgery for the io tests.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

#include <jpeglib.h>
#include <turbojpeg.h>
#include <png.h>
#include <zlib.h>

#include <opencv2/core.hpp>

#include <doctest/doctest.h>

#include "io/decode.hpp"

namespace idphoto::test {

using Bytes = std::vector<std::uint8_t>;

struct JpegWriteOptions {
  int quality = 92;
  bool progressive = false;
  bool jfif = true;
  int density_unit = 0;  // 0 aspect only, 1 dpi, 2 dots/cm
  int x_density = 1;
  int y_density = 1;
};

// image: CV_8UC3 (BGR), CV_8UC1 (grey) or CV_8UC4 (CMYK as stored, Adobe-inverted by convention).
inline Bytes write_jpeg(const cv::Mat& image, const JpegWriteOptions& o = {}) {
  jpeg_compress_struct c;
  jpeg_error_mgr err;
  c.err = jpeg_std_error(&err);
  jpeg_create_compress(&c);
  unsigned char* buf = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&c, &buf, &size);
  c.image_width = static_cast<JDIMENSION>(image.cols);
  c.image_height = static_cast<JDIMENSION>(image.rows);
  c.input_components = image.channels();
  c.in_color_space = image.channels() == 1   ? JCS_GRAYSCALE
                     : image.channels() == 4 ? JCS_CMYK
                                             : JCS_EXT_BGR;
  jpeg_set_defaults(&c);
  jpeg_set_quality(&c, o.quality, TRUE);
  if (o.progressive) jpeg_simple_progression(&c);
  c.write_JFIF_header = o.jfif ? TRUE : FALSE;
  c.density_unit = static_cast<UINT8>(o.density_unit);
  c.X_density = static_cast<UINT16>(o.x_density);
  c.Y_density = static_cast<UINT16>(o.y_density);
  jpeg_start_compress(&c, TRUE);
  while (c.next_scanline < c.image_height) {
    JSAMPROW row = const_cast<JSAMPROW>(image.ptr<std::uint8_t>(static_cast<int>(c.next_scanline)));
    jpeg_write_scanlines(&c, &row, 1);
  }
  jpeg_finish_compress(&c);
  Bytes out(buf, buf + size);
  jpeg_destroy_compress(&c);
  std::free(buf);
  return out;
}

// Inserts an APP1 segment with this payload right after SOI (and after a JFIF APP0 if present).
inline Bytes insert_app1(const Bytes& jpeg, const Bytes& payload) {
  std::size_t at = 2;
  if (jpeg.size() > 6 && jpeg[2] == 0xFF && jpeg[3] == 0xE0)
    at = 4 + (std::size_t{jpeg[4]} << 8 | jpeg[5]);
  Bytes seg = {0xFF, 0xE1, static_cast<std::uint8_t>((payload.size() + 2) >> 8),
               static_cast<std::uint8_t>((payload.size() + 2) & 0xFF)};
  seg.insert(seg.end(), payload.begin(), payload.end());
  Bytes out(jpeg.begin(), jpeg.begin() + static_cast<std::ptrdiff_t>(at));
  out.insert(out.end(), seg.begin(), seg.end());
  out.insert(out.end(), jpeg.begin() + static_cast<std::ptrdiff_t>(at), jpeg.end());
  return out;
}

// Little-endian EXIF payload: IFD0 with Orientation (SHORT) and optionally X/YResolution + unit.
inline Bytes exif_payload(int orientation, double resolution = 0, int unit = 2) {
  Bytes b = {'E', 'x', 'i', 'f', 0, 0, 'I', 'I', 42, 0, 8, 0, 0, 0};
  auto u16 = [&](unsigned v) {
    b.push_back(v & 0xFF);
    b.push_back((v >> 8) & 0xFF);
  };
  auto u32 = [&](unsigned v) {
    u16(v & 0xFFFF);
    u16(v >> 16);
  };
  const unsigned n = resolution > 0 ? 4 : 1;
  u16(n);
  const unsigned data = 8 + 2 + 12 * n + 4;  // TIFF offset of the rationals
  u16(0x0112);
  u16(3);
  u32(1);
  u16(static_cast<unsigned>(orientation));
  u16(0);
  if (resolution > 0) {
    u16(0x011A);
    u16(5);
    u32(1);
    u32(data);
    u16(0x011B);
    u16(5);
    u32(1);
    u32(data + 8);
    u16(0x0128);
    u16(3);
    u32(1);
    u16(static_cast<unsigned>(unit));
    u16(0);
  }
  u32(0);  // no next IFD
  if (resolution > 0) {
    const unsigned num = static_cast<unsigned>(resolution * 100);
    u32(num);
    u32(100);
    u32(num);
    u32(100);
  }
  return b;
}

struct PngWriteOptions {
  int interlace = PNG_INTERLACE_NONE;
  std::vector<png_color> palette;
  std::vector<png_byte> trns;
  png_uint_32 phys_x = 0, phys_y = 0;  // pixels per metre, 0 = no pHYs
  Bytes exif;                           // an eXIf chunk (TIFF header and IFD0), empty = none
};

inline void png_write_cb(png_structp p, png_bytep d, png_size_t n) {
  auto* out = static_cast<Bytes*>(png_get_io_ptr(p));
  out->insert(out->end(), d, d + n);
}
inline void png_flush_cb(png_structp) {}

// rows: raw sample bytes as stored (16-bit samples big-endian), one vector per row.
inline Bytes write_png(int w, int h, int colour_type, int depth, const std::vector<Bytes>& rows,
                       const PngWriteOptions& o = {}) {
  Bytes out;
  png_structp p = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(p);
  if (setjmp(png_jmpbuf(p))) {
    png_destroy_write_struct(&p, &info);
    return {};
  }
  png_set_write_fn(p, &out, png_write_cb, png_flush_cb);
  png_set_IHDR(p, info, static_cast<png_uint_32>(w), static_cast<png_uint_32>(h), depth,
               colour_type, o.interlace, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  if (!o.palette.empty())
    png_set_PLTE(p, info, o.palette.data(), static_cast<int>(o.palette.size()));
  if (!o.trns.empty())
    png_set_tRNS(p, info, o.trns.data(), static_cast<int>(o.trns.size()), nullptr);
  if (o.phys_x > 0) png_set_pHYs(p, info, o.phys_x, o.phys_y, PNG_RESOLUTION_METER);
  if (!o.exif.empty()) png_set_eXIf_1(p, info, static_cast<png_uint_32>(o.exif.size()), const_cast<png_bytep>(o.exif.data()));
  std::vector<png_bytep> ptrs;
  for (const auto& r : rows) ptrs.push_back(const_cast<png_bytep>(r.data()));
  png_set_rows(p, info, ptrs.data());
  png_write_png(p, info, PNG_TRANSFORM_IDENTITY, nullptr);
  png_destroy_write_struct(&p, &info);
  return out;
}

// A PNG that is only a signature and an IHDR (correct CRC), declaring w x h RGB 8-bit.
inline Bytes png_header_only(std::uint32_t w, std::uint32_t h) {
  Bytes b = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
  auto be32 = [&](std::uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<std::uint8_t>(v >> s));
  };
  be32(w);
  be32(h);
  b.insert(b.end(), {8, 2, 0, 0, 0});
  const auto crc = static_cast<std::uint32_t>(crc32(0, b.data() + 12, 17));
  be32(crc);
  return b;
}

// io::decode with a rows_decoded listener against io::decode without one: the same pixels and
// metadata, or the same error. Checks the listener's calls (rising row counts, the last one all rows,
// none after an error) and returns how many there were.
inline int decode_in_bands_as_whole(const Bytes& bytes, const Limits& limits, const io::DecodeOptions& o) {
  std::vector<int> told;
  const cv::Mat* buffer = nullptr;
  bool same_buffer = true;
  auto banded = io::decode(bytes, limits, o, [&](const cv::Mat& bgr, int rows, int denom) {
    CHECK((denom == 1 || denom == 2 || denom == 4 || denom == 8));
    if (buffer != nullptr && bgr.data != buffer->data) same_buffer = false;
    buffer = &bgr;
    told.push_back(rows);
  });
  auto whole = io::decode(bytes, limits, o);
  REQUIRE_MESSAGE(banded.ok() == whole.ok(), (banded.ok() ? whole.error().message : banded.error().message));
  CHECK(same_buffer);
  for (std::size_t i = 1; i < told.size(); ++i) CHECK(told[i] > told[i - 1]);
  if (!whole.ok()) {
    CHECK(banded.error().code == whole.error().code);
    CHECK(banded.error().message == whole.error().message);
    return static_cast<int>(told.size());
  }
  const io::DecodedImage& a = banded.value();
  const io::DecodedImage& b = whole.value();
  // What decode gave when it called TurboJPEG (tjDecompress2) rather than libjpeg: the same pixels.
  if (a.format == "jpeg" && a.exif_orientation == 1 && a.colour_space != "cmyk" && a.colour_space != "ycck") {
    tjhandle tj = tjInitDecompress();
    cv::Mat t(a.bgr.size(), CV_8UC3);
    const int rc = tjDecompress2(tj, bytes.data(), static_cast<unsigned long>(bytes.size()), t.data, t.cols,
                                 static_cast<int>(t.step[0]), t.rows, TJPF_BGR, 0);
    const bool fatal = rc != 0 && tjGetErrorCode(tj) != TJERR_WARNING;
    const std::string message = rc != 0 ? tjGetErrorStr2(tj) : "";
    tjDestroy(tj);
    CHECK_FALSE_MESSAGE(fatal, message);
    if (!fatal) CHECK(cv::norm(a.bgr, t, cv::NORM_INF) == 0);
  }
  if (!told.empty()) {
    CHECK(told.back() == a.bgr.rows);
    CHECK(a.exif_orientation == 1);
    CHECK_FALSE(a.progressive);
  }
  CHECK(a.scale == b.scale);
  CHECK(a.width == b.width);
  CHECK(a.height == b.height);
  CHECK(a.colour_space == b.colour_space);
  CHECK(a.dpi == b.dpi);
  REQUIRE(a.bgr.size() == b.bgr.size());
  REQUIRE(a.bgr.type() == b.bgr.type());
  CHECK(cv::norm(a.bgr, b.bgr, cv::NORM_INF) == 0);
  return static_cast<int>(told.size());
}

}  // namespace idphoto::test
