#include <csetjmp>
#include <vector>

#include <png.h>

#include "signature/ink_analysis.hpp"

namespace idphoto::signature {

namespace {
void on_write(png_structp png, png_bytep data, png_size_t n) {
  auto* out = static_cast<std::vector<std::uint8_t>*>(png_get_io_ptr(png));
  out->insert(out->end(), data, data + n);
}
void on_flush(png_structp) {}
}  // namespace

Result<std::vector<std::uint8_t>> encode_png(const cv::Mat& grey, bool transparent) {
  if (grey.type() != CV_8UC1 || grey.empty())
    return Error{ErrorCode::invalid_argument, "encode_png: expected a non-empty 8-bit grey image"};
  std::vector<std::uint8_t> out;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  if (!png) return Error{ErrorCode::internal, "png_create_write_struct failed"};
  png_infop info = png_create_info_struct(png);
  std::vector<std::uint8_t> row(grey.cols * 2);
  if (!info || setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return Error{ErrorCode::internal, "PNG encoding failed"};
  }
  png_set_write_fn(png, &out, on_write, on_flush);
  png_set_IHDR(png, info, grey.cols, grey.rows, 8,
               transparent ? PNG_COLOR_TYPE_GRAY_ALPHA : PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (int y = 0; y < grey.rows; ++y) {
    const std::uint8_t* g = grey.ptr<std::uint8_t>(y);
    if (transparent) {
      // Ink black with coverage as alpha: paper fully transparent.
      for (int x = 0; x < grey.cols; ++x) row[2 * x] = 0, row[2 * x + 1] = std::uint8_t(255 - g[x]);
      png_write_row(png, row.data());
    } else {
      png_write_row(png, const_cast<png_bytep>(g));
    }
  }
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return out;
}

}  // namespace idphoto::signature
