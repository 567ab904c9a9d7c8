#include <algorithm>
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <jpeglib.h>
#include <turbojpeg.h>

#include "io/decode_internal.hpp"
#include "io/exif.hpp"

namespace idphoto::io::detail {
namespace {

// What libjpeg's header pass says about the file (metadata TurboJPEG 2.1 does not expose).
struct JpegHeader {
  int width = 0;
  int height = 0;
  J_COLOR_SPACE colour = JCS_UNKNOWN;
  bool progressive = false;
  bool adobe = false;
  bool jfif = false;
  int density_unit = 0;
  int x_density = 0;
  int y_density = 0;
  bool has_qtable = false;
  std::array<std::uint16_t, 64> qtable{};
  std::vector<std::uint8_t> exif;  // APP1 "Exif\0\0" payload
  char message[JMSG_LENGTH_MAX] = {};
};

struct JpegErrorMgr {
  jpeg_error_mgr pub;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

void jpeg_error_exit(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<JpegErrorMgr*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, err->message);
  std::longjmp(err->jump, 1);
}

void jpeg_silent(j_common_ptr) {}

// Only trivially destructible locals live in this frame: libjpeg errors longjmp back to it.
bool read_jpeg_header(std::span<const std::uint8_t> bytes, JpegHeader* out) {
  jpeg_decompress_struct cinfo;
  JpegErrorMgr err;
  std::memset(&cinfo, 0, sizeof cinfo);
  cinfo.err = jpeg_std_error(&err.pub);
  err.pub.error_exit = jpeg_error_exit;
  err.pub.output_message = jpeg_silent;
  err.message[0] = '\0';
  if (setjmp(err.jump)) {
    std::snprintf(out->message, sizeof out->message, "%s", err.message);
    jpeg_destroy_decompress(&cinfo);
    return false;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, bytes.data(), static_cast<unsigned long>(bytes.size()));
  jpeg_save_markers(&cinfo, JPEG_APP0 + 1, 0xFFFF);
  jpeg_read_header(&cinfo, TRUE);
  out->width = static_cast<int>(cinfo.image_width);
  out->height = static_cast<int>(cinfo.image_height);
  out->colour = cinfo.jpeg_color_space;
  out->progressive = cinfo.progressive_mode != 0;
  out->adobe = cinfo.saw_Adobe_marker != 0;
  out->jfif = cinfo.saw_JFIF_marker != 0;
  out->density_unit = cinfo.density_unit;
  out->x_density = cinfo.X_density;
  out->y_density = cinfo.Y_density;
  if (cinfo.num_components > 0 && cinfo.comp_info != nullptr) {
    const int q = cinfo.comp_info[0].quant_tbl_no;
    if (q >= 0 && q < NUM_QUANT_TBLS && cinfo.quant_tbl_ptrs[q] != nullptr) {
      out->has_qtable = true;
      for (int i = 0; i < DCTSIZE2; ++i)
        out->qtable[i] = cinfo.quant_tbl_ptrs[q]->quantval[i];  // natural order
    }
  }
  for (jpeg_saved_marker_ptr m = cinfo.marker_list; m != nullptr; m = m->next) {
    if (m->marker == JPEG_APP0 + 1 && m->data_length >= 6 &&
        std::memcmp(m->data, "Exif\0\0", 6) == 0) {
      out->exif.assign(m->data, m->data + m->data_length);
      break;
    }
  }
  jpeg_destroy_decompress(&cinfo);
  return true;
}

// decompress's error manager: errors longjmp as in read_jpeg_header. Of the warnings it keeps the first
// that means damaged image data (damaging_warning), else the first.
struct DecompressErrorMgr {
  JpegErrorMgr base;
  char warning[JMSG_LENGTH_MAX];
  bool warned;
  bool damaged;
};

bool damaging_warning(const std::string& msg);

void decompress_emit_message(j_common_ptr cinfo, int msg_level) {
  auto* err = reinterpret_cast<DecompressErrorMgr*>(cinfo->err);
  if (msg_level >= 0 || err->damaged) return;
  char text[JMSG_LENGTH_MAX];
  (*cinfo->err->format_message)(cinfo, text);
  const bool damaging = damaging_warning(text);
  if (err->warned && !damaging) return;
  err->warned = true;
  err->damaged = damaging;
  std::memcpy(err->warning, text, sizeof text);
}

// A second guard behind walk_markers' count (as TurboJPEG's TJFLAG_LIMITSCANS): a progressive file
// with more scans than allowed stops as soon as libjpeg starts the scan after the last allowed one.
struct ScanLimit {
  jpeg_progress_mgr pub;
  int max_scans;
};

void limit_scans(j_common_ptr cinfo) {
  const auto* limit = reinterpret_cast<const ScanLimit*>(cinfo->progress);
  if (reinterpret_cast<j_decompress_ptr>(cinfo)->input_scan_number > limit->max_scans) {
    auto* err = reinterpret_cast<JpegErrorMgr*>(cinfo->err);
    std::snprintf(err->message, sizeof err->message, "progressive JPEG with more than %d scans refused",
                  limit->max_scans);
    std::longjmp(err->jump, 1);
  }
}

// libjpeg's decompression, as TurboJPEG's tjDecompress2 set it up (BGR or CMYK output, the scaled IDCT
// at 1/denom, fancy upsampling, the accurate integer DCT), into pixels (CV_8UC3, or CV_8UC4 for CMYK, at
// the scaled size). rows, when set, is told after each band of at least 32 rows how many are done.
// Returns false on a libjpeg error (message in *error). A fatal error is fatal even after a warning (for
// TurboJPEG 2.1 it would then count as a warning: tjGetErrorCode says TJERR_WARNING whenever one came
// first). *warning: the first damaging warning, else the first warning, else "".
// Only trivially destructible locals live in this frame: libjpeg errors longjmp back to it.
bool decompress(std::span<const std::uint8_t> bytes, int denom, int max_scans, cv::Mat& pixels,
                const RowsDecoded& rows, std::string* error, std::string* warning) {
  jpeg_decompress_struct cinfo;
  DecompressErrorMgr err;
  ScanLimit limit;
  std::memset(&cinfo, 0, sizeof cinfo);
  std::memset(&limit, 0, sizeof limit);
  cinfo.err = jpeg_std_error(&err.base.pub);
  err.base.pub.error_exit = jpeg_error_exit;
  err.base.pub.emit_message = decompress_emit_message;
  err.base.pub.output_message = jpeg_silent;
  err.base.message[0] = '\0';
  err.warning[0] = '\0';
  err.warned = false;
  err.damaged = false;
  limit.pub.progress_monitor = limit_scans;
  limit.max_scans = max_scans;
  if (setjmp(err.base.jump)) {
    *error = err.base.message;
    jpeg_destroy_decompress(&cinfo);
    return false;
  }
  jpeg_create_decompress(&cinfo);
  cinfo.progress = &limit.pub;
  jpeg_mem_src(&cinfo, bytes.data(), static_cast<unsigned long>(bytes.size()));
  jpeg_read_header(&cinfo, TRUE);
  cinfo.out_color_space = pixels.channels() == 4 ? JCS_CMYK : JCS_EXT_BGR;
  cinfo.scale_num = 1;
  cinfo.scale_denom = static_cast<unsigned int>(denom);
  jpeg_start_decompress(&cinfo);
  if (static_cast<int>(cinfo.output_width) != pixels.cols || static_cast<int>(cinfo.output_height) != pixels.rows ||
      cinfo.output_components != pixels.channels()) {
    std::snprintf(err.base.message, sizeof err.base.message, "unexpected output: %u x %u, %d components",
                  cinfo.output_width, cinfo.output_height, cinfo.output_components);
    *error = err.base.message;
    jpeg_destroy_decompress(&cinfo);
    return false;
  }
  constexpr int kBand = 32;
  JSAMPROW band[kBand];
  int told = 0;
  bool telling = static_cast<bool>(rows);
  while (cinfo.output_scanline < cinfo.output_height) {
    const int y = static_cast<int>(cinfo.output_scanline);
    const int n = std::min(kBand, pixels.rows - y);
    for (int i = 0; i < n; ++i) band[i] = pixels.ptr<JSAMPLE>(y + i);
    jpeg_read_scanlines(&cinfo, band, static_cast<JDIMENSION>(n));
    const int done = static_cast<int>(cinfo.output_scanline);
    if (telling && (done - told >= kBand || done == pixels.rows)) {
      told = done;
      try {
        rows(pixels, done, denom);
      } catch (...) {
        telling = false;  // the listener failed; decoding goes on
      }
    }
  }
  jpeg_finish_decompress(&cinfo);
  *warning = err.warned ? err.warning : "";
  jpeg_destroy_decompress(&cinfo);
  return true;
}

// Walks the marker structure: counts scans (SOS) and tells whether the EOI marker is reached.
struct MarkerWalk {
  std::uint32_t scans = 0;
  bool eoi = false;
};

MarkerWalk walk_markers(std::span<const std::uint8_t> b, std::uint32_t stop_after_scans) {
  MarkerWalk w;
  const std::size_t n = b.size();
  std::size_t i = 2;  // after SOI
  while (i < n) {
    if (b[i] != 0xFF) {  // extraneous byte between segments
      ++i;
      continue;
    }
    while (i < n && b[i] == 0xFF) ++i;
    if (i >= n) break;
    const std::uint8_t m = b[i++];
    if (m == 0xD9) {
      w.eoi = true;
      break;
    }
    if (m == 0x00 || m == 0x01 || (m >= 0xD0 && m <= 0xD8)) continue;
    if (n - i < 2) break;
    const std::size_t len = (std::size_t{b[i]} << 8) | b[i + 1];
    if (len < 2) break;
    i += len;
    if (m != 0xDA) continue;
    if (++w.scans > stop_after_scans) break;
    // Entropy-coded data: runs to the next marker that is neither a stuffed 0xFF00 nor a restart.
    while (i < n) {
      const void* ff = std::memchr(b.data() + i, 0xFF, n - i);
      if (ff == nullptr) {
        i = n;
        break;
      }
      i = static_cast<std::size_t>(static_cast<const std::uint8_t*>(ff) - b.data());
      if (i + 1 >= n) {
        i = n;
        break;
      }
      const std::uint8_t next = b[i + 1];
      if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) {
        i += 2;
      } else if (next == 0xFF) {
        i += 1;
      } else {
        break;
      }
    }
  }
  return w;
}

// libjpeg warnings that mean missing or damaged image data (the decoder would fill it with grey).
bool damaging_warning(const std::string& msg) {
  static const char* const kDamaging[] = {"Premature end",    "premature end",
                                          "bad Huffman code", "bad arithmetic code",
                                          "instead of RST",   "too few"};
  for (const char* k : kDamaging) {
    if (msg.find(k) != std::string::npos) return true;
  }
  return false;
}

// CMYK from libjpeg (YCCK already converted) to BGR. Adobe files store inverted CMYK.
cv::Mat cmyk_to_bgr(const cv::Mat& cmyk, bool inverted) {
  cv::Mat bgr(cmyk.rows, cmyk.cols, CV_8UC3);
  for (int y = 0; y < cmyk.rows; ++y) {
    const std::uint8_t* s = cmyk.ptr<std::uint8_t>(y);
    std::uint8_t* d = bgr.ptr<std::uint8_t>(y);
    for (int x = 0; x < cmyk.cols; ++x, s += 4, d += 3) {
      int c = s[0], m = s[1], ye = s[2], k = s[3];
      if (!inverted) {
        c = 255 - c;
        m = 255 - m;
        ye = 255 - ye;
        k = 255 - k;
      }
      d[0] = static_cast<std::uint8_t>((ye * k + 127) / 255);
      d[1] = static_cast<std::uint8_t>((m * k + 127) / 255);
      d[2] = static_cast<std::uint8_t>((c * k + 127) / 255);
    }
  }
  return bgr;
}

struct TjDeleter {
  void operator()(void* h) const {
    if (h != nullptr) tjDestroy(h);
  }
};

Error unreadable(std::string msg) { return Error{ErrorCode::unreadable, std::move(msg)}; }

}  // namespace

Result<DecodedImage> decode_jpeg(std::span<const std::uint8_t> bytes, const Limits& limits,
                                 const DecodeOptions& options, const RowsDecoded& rows_decoded) {
  std::unique_ptr<void, TjDeleter> tj(tjInitDecompress());
  if (!tj) return Error{ErrorCode::internal, "TurboJPEG could not initialise"};
  auto* data = bytes.data();
  const auto size = static_cast<unsigned long>(bytes.size());

  int width = 0, height = 0, subsamp = 0, tj_colour = 0;
  const bool tj_header =
      tjDecompressHeader3(tj.get(), data, size, &width, &height, &subsamp, &tj_colour) == 0;
  std::string tj_message = tj_header ? "" : tjGetErrorStr2(tj.get());
  if (tj_header) {
    if (auto e = check_dimensions(static_cast<std::uint64_t>(width),
                                  static_cast<std::uint64_t>(height), limits)) {
      return *e;
    }
  }
  JpegHeader header;
  if (!read_jpeg_header(bytes, &header)) {
    return unreadable("unreadable JPEG header: " +
                      (header.message[0] != '\0' ? std::string(header.message) : tj_message));
  }
  if (!tj_header) {  // e.g. a sampling layout TurboJPEG 2.1 cannot name; libjpeg read the header
    width = header.width;
    height = header.height;
  }
  if (auto e = check_dimensions(static_cast<std::uint64_t>(width),
                                static_cast<std::uint64_t>(height), limits)) {
    return *e;
  }
  const MarkerWalk walk = walk_markers(bytes, limits.max_jpeg_scans);
  if (walk.scans > limits.max_jpeg_scans) {
    return Error{ErrorCode::limit_exceeded, "progressive JPEG with more than " +
                                                std::to_string(limits.max_jpeg_scans) +
                                                " scans refused"};
  }
  if (walk.scans == 0) return unreadable("JPEG has no image data (no scan)");
  if (!walk.eoi) return unreadable("truncated JPEG: the data ends before the end-of-image marker");

  DecodedImage out;
  out.format = "jpeg";
  out.bytes = bytes.size();
  out.progressive = header.progressive;
  out.has_qtable = header.has_qtable;
  out.luma_qtable = header.qtable;
  const bool cmyk = header.colour == JCS_CMYK || header.colour == JCS_YCCK;
  switch (header.colour) {
    case JCS_GRAYSCALE:
      out.colour_space = "grey";
      break;
    case JCS_CMYK:
      out.colour_space = "cmyk";
      break;
    case JCS_YCCK:
      out.colour_space = "ycck";
      break;
    default:
      out.colour_space = "rgb";
      break;
  }
  std::optional<ExifInfo> exif;
  if (!header.exif.empty()) exif = parse_exif(header.exif);
  out.exif_orientation = exif ? exif->orientation : 1;
  if (header.jfif && (header.density_unit == 1 || header.density_unit == 2) &&
      header.x_density > 0 && header.y_density > 0) {
    const double k = header.density_unit == 2 ? 2.54 : 1.0;
    out.dpi = std::array<double, 2>{header.x_density * k, header.y_density * k};
    out.dpi_source = "jfif";
  } else if (exif && exif->dpi()) {
    out.dpi = exif->dpi();
    out.dpi_source = "exif";
  }
  const bool swaps = out.exif_orientation >= 5;
  out.width = swaps ? height : width;
  out.height = swaps ? width : height;

  // The smallest DCT scale that keeps the oriented image at least min_width x min_height and its longer
  // side at least min_long_side.
  // (libjpeg-turbo's 1/2, 1/4 and 1/8 give ceil(side / d), as reduction_for counts.)
  const tjscalingfactor scale{1, reduction_for(out.width, out.height, options)};
  const int dw = TJSCALED(width, scale), dh = TJSCALED(height, scale);
  cv::Mat pixels(dh, dw, cmyk ? CV_8UC4 : CV_8UC3);
  // The listener only when the decoded pixels are the final ones.
  const bool banded = rows_decoded && !cmyk && !header.progressive && out.exif_orientation == 1;
  std::string error, warning;
  if (!decompress(bytes, scale.denom, static_cast<int>(std::min<std::uint32_t>(limits.max_jpeg_scans, 1u << 30)),
                  pixels, banded ? rows_decoded : RowsDecoded{}, &error, &warning))
    return unreadable("JPEG decoding failed: " + error);
  if (damaging_warning(warning)) return unreadable("corrupt JPEG data: " + warning);
  cv::Mat bgr = cmyk ? cmyk_to_bgr(pixels, header.adobe) : pixels;
  out.bgr = apply_orientation(bgr, out.exif_orientation);
  out.scale = static_cast<double>(scale.num) / scale.denom;
  return out;
}

}  // namespace idphoto::io::detail
