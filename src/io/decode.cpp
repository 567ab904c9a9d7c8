#include "io/decode.hpp"

#include <algorithm>
#include <cctype>
#include <exception>
#include <new>

#include <opencv2/core.hpp>

#include "io/decode_internal.hpp"

namespace idphoto::io {
namespace detail {

std::optional<Error> check_dimensions(std::uint64_t width, std::uint64_t height,
                                      const Limits& limits) {
  if (width == 0 || height == 0) {
    return Error{ErrorCode::unreadable, "image header declares a zero width or height"};
  }
  if (width > limits.max_dimension || height > limits.max_dimension) {
    return Error{ErrorCode::limit_exceeded, "image is " + std::to_string(width) + "x" +
                                                std::to_string(height) +
                                                ": a side exceeds the limit of " +
                                                std::to_string(limits.max_dimension) + " pixels"};
  }
  if (width * height > limits.max_pixels) {
    return Error{ErrorCode::limit_exceeded,
                 "image is " + std::to_string(width) + "x" + std::to_string(height) + " = " +
                     std::to_string(width * height) + " pixels, above the limit of " +
                     std::to_string(limits.max_pixels)};
  }
  return std::nullopt;
}

cv::Mat apply_orientation(const cv::Mat& image, int orientation) {
  cv::Mat out;
  switch (orientation) {
    case 2:
      cv::flip(image, out, 1);
      break;
    case 3:
      cv::rotate(image, out, cv::ROTATE_180);
      break;
    case 4:
      cv::flip(image, out, 0);
      break;
    case 5:
      cv::transpose(image, out);
      break;
    case 6:
      cv::rotate(image, out, cv::ROTATE_90_CLOCKWISE);
      break;
    case 7:
      cv::transpose(image, out);
      cv::rotate(out, out, cv::ROTATE_180);
      break;
    case 8:
      cv::rotate(image, out, cv::ROTATE_90_COUNTERCLOCKWISE);
      break;
    default:
      out = image;
      break;
  }
  return out;
}

int reduction_for(int width, int height, const DecodeOptions& options) {
  if (options.min_width <= 0 && options.min_height <= 0 && options.min_long_side <= 0) return 1;
  int best = 1;
  for (const int d : {2, 4, 8}) {
    const int w = (width + d - 1) / d, h = (height + d - 1) / d;
    if (w >= options.min_width && h >= options.min_height && std::max(w, h) >= options.min_long_side) best = d;
  }
  return best;
}

}  // namespace detail

namespace {

std::string describe(const std::string& format) {
  if (format == "text") return "text, not an image";
  if (format == "unknown") return "unrecognised data, not a known image format";
  if (format == "ppm") return "PPM/PGM (PNM) image (ppm)";
  if (format == "pdf") return "PDF document";
  std::string upper = format;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return upper + " image (" + format + ")";
}

}  // namespace

Result<DecodedImage> decode(std::span<const std::uint8_t> bytes, const Limits& limits,
                            const DecodeOptions& options, const RowsDecoded& rows_decoded) {
  try {
    if (bytes.size() > limits.max_bytes) {
      return Error{ErrorCode::limit_exceeded, "input is " + std::to_string(bytes.size()) +
                                                  " bytes, above the limit of " +
                                                  std::to_string(limits.max_bytes)};
    }
    const std::string format = sniff_format(bytes);
    if (format == "empty") return Error{ErrorCode::unreadable, "empty input (0 bytes)"};
    if (format == "jpeg") return detail::decode_jpeg(bytes, limits, options, rows_decoded);
    if (format == "png") return detail::decode_png(bytes, limits, options);
    return Error{ErrorCode::unsupported_format,
                 "unsupported format: " + describe(format) + "; the core reads JPEG and PNG"};
  } catch (const cv::Exception& e) {
    return Error{ErrorCode::internal, std::string("image processing failed: ") + e.what()};
  } catch (const std::bad_alloc&) {
    return Error{ErrorCode::limit_exceeded, "not enough memory to decode the image"};
  } catch (const std::exception& e) {
    return Error{ErrorCode::internal, std::string("decoding failed: ") + e.what()};
  } catch (...) {
    return Error{ErrorCode::internal, "decoding failed with an unknown exception"};
  }
}

}  // namespace idphoto::io
