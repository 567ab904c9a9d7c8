#include <algorithm>
#include <cmath>
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <optional>
#include <vector>

#include <opencv2/imgproc.hpp>
#include <png.h>

#include "io/decode_internal.hpp"
#include "io/exif.hpp"

namespace idphoto::io::detail {
namespace {

// One row of 8-bit BGR or BGRA pixels as BGR, a transparent pixel composed over white (what a portal's
// page shows behind it). Returns whether any pixel was not opaque.
bool to_bgr_row(const std::uint8_t* p, int channels, int width, std::uint8_t* d) {
  if (channels == 3) {
    std::memcpy(d, p, static_cast<std::size_t>(width) * 3);
    return false;
  }
  bool translucent = false;
  for (int x = 0; x < width; ++x, p += 4, d += 3) {
    const int a = p[3];
    if (a != 255) translucent = true;
    for (int c = 0; c < 3; ++c) d[c] = static_cast<std::uint8_t>((p[c] * a + 255 * (255 - a) + 127) / 255);
  }
  return translucent;
}

// Averages d × d blocks of BGR rows fed top to bottom into a ceil(width / d) × ceil(height / d) image;
// the blocks of the last column and row average the pixels that are left. Holds one row of sums, so a
// non-interlaced PNG is reduced while libpng reads it, never whole in memory.
class BoxReduce {
 public:
  void start(int width, int height, int d) {
    w_ = width;
    h_ = height;
    d_ = d;
    y_ = 0;
    out.create((height + d - 1) / d, (width + d - 1) / d, CV_8UC3);
    sums_.assign(static_cast<std::size_t>(out.cols) * 3, 0);
  }
  void add(const std::uint8_t* bgr) {
    std::uint32_t* s = sums_.data();
    for (int bx = 0, x = 0; bx < out.cols; ++bx, s += 3) {
      const int end = std::min(x + d_, w_);
      for (; x < end; ++x)
        for (int c = 0; c < 3; ++c) s[c] += bgr[3 * x + c];
    }
    ++y_;
    if (y_ % d_ != 0 && y_ != h_) return;
    const auto band = static_cast<std::uint32_t>((y_ - 1) % d_ + 1);
    std::uint8_t* o = out.ptr<std::uint8_t>((y_ - 1) / d_);
    for (int bx = 0; bx < out.cols; ++bx) {
      const std::uint32_t n = band * static_cast<std::uint32_t>(std::min(d_, w_ - bx * d_));
      for (int c = 0; c < 3; ++c) {
        std::uint32_t& v = sums_[static_cast<std::size_t>(3 * bx + c)];
        o[3 * bx + c] = static_cast<std::uint8_t>((v + n / 2) / n);
        v = 0;
      }
    }
  }
  cv::Mat out;

 private:
  int w_ = 0, h_ = 0, d_ = 1, y_ = 0;
  std::vector<std::uint32_t> sums_;
};

// The same block means for an interlaced (Adam7) PNG, whose pixels come in seven passes, each a sub-image
// spread over the whole image: every pass pixel is added to the sums of the d × d block it falls in, so
// the image is reduced as it is read, never whole in memory (sums for the reduced image only: a block of
// at most 8 × 8 pixels of ≤ 255 fits 16 bits). Integer sums do not depend on the order of the pixels, so
// the means are exactly BoxReduce's.
class PassReduce {
 public:
  void start(int width, int height, int d) {
    w_ = width;
    h_ = height;
    d_ = d;
    ow_ = (width + d - 1) / d;
    oh_ = (height + d - 1) / d;
    sums_.assign(static_cast<std::size_t>(ow_) * static_cast<std::size_t>(oh_) * 3, 0);
  }
  // Row pass_row of pass `pass` (0..6), pass_width BGR pixels.
  void add(int pass, png_uint_32 pass_row, const std::uint8_t* bgr, png_uint_32 pass_width) {
    const auto y = static_cast<int>(PNG_ROW_FROM_PASS_ROW(pass_row, pass));
    std::uint16_t* row = sums_.data() + static_cast<std::size_t>(y / d_) * static_cast<std::size_t>(ow_) * 3;
    for (png_uint_32 xp = 0; xp < pass_width; ++xp) {
      const auto x = static_cast<int>(PNG_COL_FROM_PASS_COL(xp, pass));
      std::uint16_t* s = row + static_cast<std::size_t>(x / d_) * 3;
      for (int c = 0; c < 3; ++c) s[c] = static_cast<std::uint16_t>(s[c] + bgr[3 * xp + static_cast<png_uint_32>(c)]);
    }
  }
  cv::Mat finish() const {
    cv::Mat out(oh_, ow_, CV_8UC3);
    for (int by = 0; by < oh_; ++by) {
      std::uint8_t* o = out.ptr<std::uint8_t>(by);
      const std::uint16_t* s = sums_.data() + static_cast<std::size_t>(by) * static_cast<std::size_t>(ow_) * 3;
      const auto rows = static_cast<std::uint32_t>(std::min(d_, h_ - by * d_));
      for (int bx = 0; bx < ow_; ++bx) {
        const std::uint32_t n = rows * static_cast<std::uint32_t>(std::min(d_, w_ - bx * d_));
        for (int c = 0; c < 3; ++c) o[3 * bx + c] = static_cast<std::uint8_t>((s[3 * bx + c] + n / 2) / n);
      }
    }
    return out;
  }

 private:
  int w_ = 0, h_ = 0, d_ = 1, ow_ = 0, oh_ = 0;
  std::vector<std::uint16_t> sums_;
};

// The EXIF orientation of an eXIf chunk's bytes (1 when none).
int orientation_of(const std::vector<std::uint8_t>& exif) {
  if (exif.empty()) return 1;
  const std::optional<ExifInfo> e = parse_exif(exif);
  return e ? e->orientation : 1;
}

bool swaps_sides(int orientation) { return orientation >= 5 && orientation <= 8; }

// State shared with libpng's callbacks. Owned by the caller so that libpng's longjmp never skips a
// destructor: the setjmp frame below holds only trivially destructible locals.
struct PngState {
  std::span<const std::uint8_t> bytes;
  std::size_t pos = 0;
  png_structp png = nullptr;
  png_infop info = nullptr;
  char message[256] = {};
  const Limits* limits = nullptr;
  const DecodeOptions* options = nullptr;
  bool stream = true;  // the image may be reduced as it is read (rows, or Adam7 passes)
  bool limit_hit = false;
  bool pixels_done = false;  // every row was read: a damaged tail (IEND) is tolerated
  cv::Mat pixels;            // BGR or BGRA, 8 bits (read whole: not reduced)
  std::vector<png_bytep> rows;
  int width = 0, height = 0;  // as stored (IHDR)
  int reduce = 1;            // > 1: rows were box-averaged into `box` by this factor as they were read
  BoxReduce box;
  PassReduce passes;
  std::vector<std::uint8_t> row, bgr_row;
  bool translucent = false;
  std::vector<std::uint8_t> exif;  // the eXIf chunk (a TIFF header and IFDs, as in a JPEG's APP1 after "Exif\0\0")
  DecodedImage* out = nullptr;

  // Keeps the eXIf chunk once libpng has seen it (before the image data, or after it at the end).
  void take_exif() {
#ifdef PNG_eXIf_SUPPORTED
    png_uint_32 n = 0;
    png_bytep data = nullptr;
    if (exif.empty() && png_get_eXIf_1(png, info, &n, &data) != 0 && data != nullptr && n > 0) exif.assign(data, data + n);
#endif
  }

  ~PngState() {
    if (png != nullptr) png_destroy_read_struct(&png, info != nullptr ? &info : nullptr, nullptr);
  }
};

void png_read_bytes(png_structp png, png_bytep dst, png_size_t n) {
  auto* s = static_cast<PngState*>(png_get_io_ptr(png));
  if (s->bytes.size() - s->pos < n) png_error(png, "truncated PNG: the data ends early");
  std::memcpy(dst, s->bytes.data() + s->pos, n);
  s->pos += n;
}

[[noreturn]] void png_on_error(png_structp png, png_const_charp msg) {
  auto* s = static_cast<PngState*>(png_get_error_ptr(png));
  std::snprintf(s->message, sizeof s->message, "%s", msg);
  png_longjmp(png, 1);
}

void png_on_warning(png_structp, png_const_charp) {}

bool run_png(PngState* s) {
  if (setjmp(png_jmpbuf(s->png))) return false;
  png_set_read_fn(s->png, s, png_read_bytes);
  png_set_user_limits(s->png, s->limits->max_dimension, s->limits->max_dimension);
  png_set_chunk_malloc_max(s->png, 64u << 20);
  // Ancillary chunks the decoder does not use are skipped unread (in small pieces, never stored): libpng
  // allocates a text chunk's declared length, up to 2 GB, before it finds the data missing — 4 s and 2 GB
  // of memory for a 205-byte file (found by fuzz_decode, 2026-11-27). Gamma and colour-space chunks are
  // among them: no gamma or colour conversion is asked of libpng, so the pixels are the same.
  static constexpr png_byte kUnused[] =
      "bKGD\0cHRM\0gAMA\0hIST\0iCCP\0iTXt\0oFFs\0pCAL\0sBIT\0sCAL\0sPLT\0sTER\0sRGB\0tEXt\0tIME\0zTXt";
  png_set_keep_unknown_chunks(s->png, PNG_HANDLE_CHUNK_NEVER, kUnused, static_cast<int>(sizeof kUnused / 5));
  png_read_info(s->png, s->info);
  s->take_exif();

  png_uint_32 w = 0, h = 0;
  int depth = 0, colour = 0, interlace = 0;
  png_get_IHDR(s->png, s->info, &w, &h, &depth, &colour, &interlace, nullptr, nullptr);
  if (auto e = check_dimensions(w, h, *s->limits)) {
    std::snprintf(s->message, sizeof s->message, "%s", e->message.c_str());
    s->limit_hit = true;
    return false;
  }
  DecodedImage& out = *s->out;
  s->width = static_cast<int>(w);
  s->height = static_cast<int>(h);
  out.bit_depth = depth;
  out.progressive = interlace != PNG_INTERLACE_NONE;
  const bool trns = png_get_valid(s->png, s->info, PNG_INFO_tRNS) != 0;
  out.has_alpha = (colour & PNG_COLOR_MASK_ALPHA) != 0 || trns;
  switch (colour) {
    case PNG_COLOR_TYPE_GRAY:
      out.colour_space = "grey";
      break;
    case PNG_COLOR_TYPE_GRAY_ALPHA:
      out.colour_space = "grey_alpha";
      break;
    case PNG_COLOR_TYPE_PALETTE:
      out.colour_space = "palette";
      break;
    case PNG_COLOR_TYPE_RGB_ALPHA:
      out.colour_space = "rgba";
      break;
    default:
      out.colour_space = "rgb";
      break;
  }
  png_uint_32 res_x = 0, res_y = 0;
  int unit = 0;
  if (png_get_pHYs(s->png, s->info, &res_x, &res_y, &unit) != 0 && unit == PNG_RESOLUTION_METER &&
      res_x > 0 && res_y > 0) {
    // Pixels per metre -> per inch; the value a writer stores for a whole dpi (lround(dpi / 0.0254)) reads back whole.
    auto per_inch = [](png_uint_32 ppm) {
      const double whole = std::round(ppm * 0.0254);
      return std::lround(whole / 0.0254) == static_cast<long>(ppm) ? whole : ppm * 0.0254;
    };
    out.dpi = std::array<double, 2>{per_inch(res_x), per_inch(res_y)};
    out.dpi_source = "png_phys";
  }

  png_set_expand(s->png);  // palette -> RGB, grey < 8 bits -> 8, tRNS -> alpha
  if (depth == 16) png_set_scale_16(s->png);
  png_set_gray_to_rgb(s->png);
  png_set_bgr(s->png);
  // Reduced as it is read when the analysis needs fewer pixels (see decode_png), for the orientation of
  // an eXIf chunk before the image data (none: as stored).
  const int iw = static_cast<int>(w), ih = static_cast<int>(h);
  const int d = !s->stream                             ? 1
                : swaps_sides(orientation_of(s->exif)) ? reduction_for(ih, iw, *s->options)
                                                       : reduction_for(iw, ih, *s->options);
  const bool interlaced = interlace != PNG_INTERLACE_NONE;
  // Interlaced and reduced: the passes are read as the sub-images they are (no interlace handling).
  if (!interlaced || d == 1) png_set_interlace_handling(s->png);
  png_read_update_info(s->png, s->info);
  const int channels = png_get_channels(s->png, s->info);
  if (channels != 3 && channels != 4) png_error(s->png, "unexpected PNG channel layout");
  if (interlaced && d > 1) {
    s->reduce = d;
    s->passes.start(iw, ih, d);
    s->row.resize(static_cast<std::size_t>(w) * static_cast<std::size_t>(channels));
    s->bgr_row.resize(static_cast<std::size_t>(w) * 3);
    for (int pass = 0; pass < 7; ++pass) {
      const png_uint_32 pw = PNG_PASS_COLS(w, pass), ph = PNG_PASS_ROWS(h, pass);
      if (pw == 0 || ph == 0) continue;  // libpng skips an empty pass too
      for (png_uint_32 yp = 0; yp < ph; ++yp) {
        png_read_row(s->png, s->row.data(), nullptr);
        s->translucent = to_bgr_row(s->row.data(), channels, static_cast<int>(pw), s->bgr_row.data()) || s->translucent;
        s->passes.add(pass, yp, s->bgr_row.data(), pw);
      }
    }
    s->box.out = s->passes.finish();
    s->pixels_done = true;
    png_read_end(s->png, s->info);
    s->take_exif();
    return true;
  }
  if (!interlaced) {
    if (d > 1) {
      s->reduce = d;
      s->box.start(iw, ih, d);
      s->row.resize(static_cast<std::size_t>(w) * static_cast<std::size_t>(channels));
      s->bgr_row.resize(static_cast<std::size_t>(w) * 3);
      for (png_uint_32 y = 0; y < h; ++y) {
        png_read_row(s->png, s->row.data(), nullptr);
        s->translucent = to_bgr_row(s->row.data(), channels, iw, s->bgr_row.data()) || s->translucent;
        s->box.add(s->bgr_row.data());
      }
      s->pixels_done = true;
      png_read_end(s->png, s->info);
      s->take_exif();
      return true;
    }
  }
  s->pixels.create(static_cast<int>(h), static_cast<int>(w), channels == 4 ? CV_8UC4 : CV_8UC3);
  s->rows.resize(h);
  for (png_uint_32 y = 0; y < h; ++y) s->rows[y] = s->pixels.ptr<png_byte>(static_cast<int>(y));
  png_read_image(s->png, s->rows.data());
  s->pixels_done = true;
  png_read_end(s->png, s->info);
  s->take_exif();
  return true;
}

// Reads width and height straight from the IHDR chunk (bytes 16..23), before libpng allocates
// anything.
bool ihdr_size(std::span<const std::uint8_t> b, std::uint32_t& w, std::uint32_t& h) {
  if (b.size() < 24 || std::memcmp(b.data() + 12, "IHDR", 4) != 0) return false;
  auto be32 = [&](std::size_t o) {
    return (std::uint32_t{b[o]} << 24) | (std::uint32_t{b[o + 1]} << 16) |
           (std::uint32_t{b[o + 2]} << 8) | b[o + 3];
  };
  w = be32(16);
  h = be32(20);
  return true;
}

// One reading of the file. nullopt: its rows were reduced as they were read, and an eXIf chunk after the
// image data turned the photo so that another factor is wanted: read it again whole (stream off), so that
// the result does not depend on where the chunk is.
std::optional<Result<DecodedImage>> decode_png_pass(std::span<const std::uint8_t> bytes, const Limits& limits,
                                                    const DecodeOptions& options, bool stream) {
  DecodedImage out;
  out.format = "png";
  out.bytes = bytes.size();
  PngState s;
  s.bytes = bytes;
  s.limits = &limits;
  s.options = &options;
  s.stream = stream;
  s.out = &out;
  s.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &s, png_on_error, png_on_warning);
  if (s.png == nullptr) return Error{ErrorCode::internal, "libpng could not initialise"};
  s.info = png_create_info_struct(s.png);
  if (s.info == nullptr) return Error{ErrorCode::internal, "libpng could not initialise"};
  if (!run_png(&s) && !s.pixels_done) {
    if (s.limit_hit) return Error{ErrorCode::limit_exceeded, s.message};
    return Error{ErrorCode::unreadable, std::string("unreadable PNG: ") + s.message};
  }
  // EXIF in a PNG (the eXIf chunk): orientation applied as for a JPEG, resolution when there is no pHYs.
  const std::optional<ExifInfo> exif = s.exif.empty() ? std::nullopt : parse_exif(s.exif);
  out.exif_orientation = exif ? exif->orientation : 1;
  if (!out.dpi && exif && exif->dpi()) {
    out.dpi = exif->dpi();
    out.dpi_source = "exif";
  }
  // Reduced as a JPEG would be at its DCT scale: a 196 MP PNG used to reach the analysis whole (3 GB and
  // past the 10 s time cap) where the same photo as a JPEG arrives at 1/8. It was reduced while it was
  // read (rows, or the seven passes of an interlaced one), unless an eXIf chunk after the image data asked
  // for another factor: then it was read whole (stream off) and is reduced here.
  const int full_w = s.width, full_h = s.height;
  const int wanted = swaps_sides(out.exif_orientation) ? reduction_for(full_h, full_w, options)
                                                       : reduction_for(full_w, full_h, options);
  if (s.reduce > 1 && s.reduce != wanted) return std::nullopt;
  cv::Mat bgr;
  int d = s.reduce;
  if (d > 1) {
    bgr = s.box.out;
    out.alpha_used = s.translucent;
  } else {
    const int pw = s.pixels.cols, ph = s.pixels.rows;
    d = wanted;
    if (d > 1) s.box.start(pw, ph, d);
    if (s.pixels.channels() == 3 && d == 1) {
      bgr = s.pixels;
    } else {
      if (d == 1) bgr.create(ph, pw, CV_8UC3);
      std::vector<std::uint8_t> line(d > 1 ? static_cast<std::size_t>(pw) * 3 : 0);
      for (int y = 0; y < ph; ++y) {
        std::uint8_t* dst = d > 1 ? line.data() : bgr.ptr<std::uint8_t>(y);
        out.alpha_used = to_bgr_row(s.pixels.ptr<std::uint8_t>(y), s.pixels.channels(), pw, dst) || out.alpha_used;
        if (d > 1) s.box.add(dst);
      }
      if (d > 1) bgr = s.box.out;
    }
  }
  out.bgr = apply_orientation(bgr, out.exif_orientation);
  out.width = swaps_sides(out.exif_orientation) ? full_h : full_w;
  out.height = swaps_sides(out.exif_orientation) ? full_w : full_h;
  if (d > 1) out.scale = 1.0 / d;
  return out;
}

}  // namespace

Result<DecodedImage> decode_png(std::span<const std::uint8_t> bytes, const Limits& limits,
                                const DecodeOptions& options) {
  std::uint32_t w = 0, h = 0;
  if (ihdr_size(bytes, w, h)) {
    if (auto e = check_dimensions(w, h, limits)) return *e;
  }
  if (auto r = decode_png_pass(bytes, limits, options, true)) return std::move(*r);
  return std::move(*decode_png_pass(bytes, limits, options, false));
}

}  // namespace idphoto::io::detail
