#include <cmath>
#include <csetjmp>
#include <string>

#include <png.h>

#include "io/encode.hpp"

namespace idphoto::io {
namespace {

void append(png_structp png, png_bytep data, png_size_t n) {
  auto* out = static_cast<std::vector<std::uint8_t>*>(png_get_io_ptr(png));
  out->insert(out->end(), data, data + n);
}

void no_flush(png_structp) {}

void on_error(png_structp png, png_const_charp message) {
  auto* msg = static_cast<std::string*>(png_get_error_ptr(png));
  *msg = message;
  png_longjmp(png, 1);
}

void on_warning(png_structp, png_const_charp) {}

// Everything touched after setjmp lives here, outside the longjmp'd frame's registers.
struct Writer {
  png_structp png = nullptr;
  png_infop info = nullptr;
  std::string message;
  std::vector<std::uint8_t> out;
  ~Writer() { png_destroy_write_struct(&png, &info); }
};

bool write(Writer& w, const cv::Mat& img, const PngEncodeOptions& o) {
  if (setjmp(png_jmpbuf(w.png))) return false;
  png_set_write_fn(w.png, &w.out, append, no_flush);
  static constexpr int kColourType[] = {0, PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GRAY_ALPHA,
                                        PNG_COLOR_TYPE_RGB, PNG_COLOR_TYPE_RGB_ALPHA};
  png_set_IHDR(w.png, w.info, static_cast<png_uint_32>(img.cols),
               static_cast<png_uint_32>(img.rows), 8, kColourType[img.channels()],
               PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_set_compression_level(w.png, o.compression);
  if (o.dpi) {
    const auto ppm = static_cast<png_uint_32>(std::lround(*o.dpi / 0.0254));
    png_set_pHYs(w.png, w.info, ppm, ppm, PNG_RESOLUTION_METER);
  }
  png_write_info(w.png, w.info);
  if (img.channels() >= 3) png_set_bgr(w.png);
  for (int y = 0; y < img.rows; ++y) png_write_row(w.png, img.ptr<png_byte>(y));
  png_write_end(w.png, nullptr);
  return true;
}

}  // namespace

Result<std::vector<std::uint8_t>> encode_png(const cv::Mat& img, const PngEncodeOptions& options) {
  if (img.empty() || img.depth() != CV_8U)
    return Error{ErrorCode::invalid_argument, "encode_png: expected a non-empty 8-bit image"};
  if (options.compression < 0 || options.compression > 9)
    return Error{ErrorCode::invalid_argument, "encode_png: compression must be 0..9"};
  if (options.dpi && (*options.dpi < 1 || *options.dpi > 100000))
    return Error{ErrorCode::invalid_argument, "encode_png: dpi must be 1..100000"};
  Writer w;
  w.png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &w.message, on_error, on_warning);
  if (!w.png) return Error{ErrorCode::internal, "PNG encoder: out of memory"};
  w.info = png_create_info_struct(w.png);
  if (!w.info) return Error{ErrorCode::internal, "PNG encoder: out of memory"};
  if (!write(w, img, options)) return Error{ErrorCode::internal, "PNG encoder: " + w.message};
  return std::move(w.out);
}

}  // namespace idphoto::io
