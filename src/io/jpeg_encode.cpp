#include <algorithm>
#include <cmath>
#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include <jpeglib.h>

#include "io/encode.hpp"

namespace idphoto::io {
namespace {

struct ErrorMgr {
  jpeg_error_mgr pub;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

void on_error(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<ErrorMgr*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, err->message);
  std::longjmp(err->jump, 1);
}

// Everything touched after setjmp lives in this struct, outside the longjmp'd frame's registers.
struct Encoder {
  jpeg_compress_struct cinfo{};
  ErrorMgr err{};
  unsigned char* out = nullptr;
  unsigned long out_size = 0;
  ~Encoder() {
    jpeg_destroy_compress(&cinfo);
    std::free(out);
  }
};

bool run(Encoder& e, const cv::Mat& img, const JpegEncodeOptions& o) {
  e.cinfo.err = jpeg_std_error(&e.err.pub);
  e.err.pub.error_exit = on_error;
  if (setjmp(e.err.jump)) return false;
  jpeg_create_compress(&e.cinfo);
  jpeg_mem_dest(&e.cinfo, &e.out, &e.out_size);
  e.cinfo.image_width = static_cast<JDIMENSION>(img.cols);
  e.cinfo.image_height = static_cast<JDIMENSION>(img.rows);
  const bool grey = img.channels() == 1;
  e.cinfo.input_components = grey ? 1 : 3;
  e.cinfo.in_color_space = grey ? JCS_GRAYSCALE : JCS_EXT_BGR;
  jpeg_set_defaults(&e.cinfo);
  jpeg_set_quality(&e.cinfo, o.quality, TRUE);
  e.cinfo.optimize_coding = o.optimize ? TRUE : FALSE;
  if (!grey) {
    const int h = o.chroma_420 ? 2 : 1;
    e.cinfo.comp_info[0].h_samp_factor = h;
    e.cinfo.comp_info[0].v_samp_factor = h;
  }
  e.cinfo.write_JFIF_header = TRUE;
  if (o.dpi) {
    e.cinfo.density_unit = 1;
    e.cinfo.X_density = static_cast<UINT16>(*o.dpi);
    e.cinfo.Y_density = static_cast<UINT16>(*o.dpi);
  }
  if (o.progressive) jpeg_simple_progression(&e.cinfo);
  jpeg_start_compress(&e.cinfo, TRUE);
  while (e.cinfo.next_scanline < e.cinfo.image_height) {
    JSAMPROW row = const_cast<JSAMPROW>(img.ptr<unsigned char>(static_cast<int>(e.cinfo.next_scanline)));
    jpeg_write_scanlines(&e.cinfo, &row, 1);
  }
  jpeg_finish_compress(&e.cinfo);
  return true;
}

}  // namespace

Result<std::vector<std::uint8_t>> encode_jpeg(const cv::Mat& bgr, const JpegEncodeOptions& options) {
  if (bgr.empty() || bgr.depth() != CV_8U || (bgr.channels() != 3 && bgr.channels() != 1))
    return Error{ErrorCode::invalid_argument, "encode_jpeg: expected a non-empty 8-bit BGR or grey image"};
  if (options.quality < 1 || options.quality > 100)
    return Error{ErrorCode::invalid_argument, "encode_jpeg: quality must be 1..100"};
  if (options.dpi && (*options.dpi < 1 || *options.dpi > 65535))
    return Error{ErrorCode::invalid_argument, "encode_jpeg: dpi must be 1..65535"};
  const cv::Mat img = bgr.isContinuous() ? bgr : bgr.clone();
  Encoder e;
  if (!run(e, img, options))
    return Error{ErrorCode::internal, std::string("JPEG encoder: ") + e.err.message};
  return std::vector<std::uint8_t>(e.out, e.out + e.out_size);
}

namespace {

struct Probe {
  int quality;
  std::size_t bytes;
};

// The quality to try next, strictly between the highest that fitted (lo) and the lowest that did not
// (hi): where the file size, interpolated on a log scale between them, meets max_bytes; with one side
// only, extrapolated by how fast a photo's size typically grows with quality (about 4.5 % a step above
// 90, 2.5 % below), to the nearest step.
int next_quality(const std::optional<Probe>& lo, const std::optional<Probe>& hi, std::size_t max_bytes) {
  const double target = std::log(static_cast<double>(max_bytes));
  const auto log_of = [](const Probe& p) { return std::log(static_cast<double>(std::max<std::size_t>(p.bytes, 1))); };
  const auto growth = [](int q) { return q >= 90 ? 0.045 : 0.025; };
  double q = 90;
  if (lo && hi) {
    const double a = log_of(*lo), b = log_of(*hi);
    q = b > a ? lo->quality + (target - a) / (b - a) * (hi->quality - lo->quality) : (lo->quality + hi->quality) / 2.0;
  } else if (lo) {
    q = lo->quality + (target - log_of(*lo)) / growth(lo->quality);
  } else if (hi) {
    q = hi->quality - (log_of(*hi) - target) / growth(hi->quality - 1);
  }
  const int low = lo ? lo->quality + 1 : 1, high = hi ? hi->quality - 1 : 100;
  if (!std::isfinite(q)) return (low + high) / 2;
  return std::clamp(static_cast<int>(std::lround(q)), low, high);
}

}  // namespace

Result<SizedJpeg> encode_jpeg_to_size(const cv::Mat& bgr, std::size_t min_bytes, std::size_t max_bytes,
                                      std::optional<int> dpi, bool progressive, const StopFn& stop) {
  if (min_bytes > max_bytes) return Error{ErrorCode::invalid_argument, "size window: min > max"};
  std::size_t smallest = SIZE_MAX, largest = 0;
  for (bool c420 : {true, false}) {
    // The highest quality q that fits under max_bytes while q + 1 does not (or q = 100): found by probing
    // where the size should cross max_bytes, four encodes on average for a 1-inch photo. A bisection of
    // 1..100 took six or seven; where size grows with quality, as it does for real photos, both find the
    // same q (1 447 searches over ../shared/data's faces at six sizes and windows: the same files).
    std::optional<Probe> lo, hi;
    std::vector<std::uint8_t> lo_bytes;
    int q = 90;
    for (int probes = 1;; ++probes) {
      if (stop && stop()) return stopped_error();
      auto r = encode_jpeg(bgr, {q, dpi, true, progressive, c420});
      if (!r) return r.error();
      const std::size_t n = r->size();
      smallest = std::min(smallest, n);
      largest = std::max(largest, n);
      if (n > max_bytes) {
        hi = Probe{q, n};
      } else {
        lo = Probe{q, n};
        lo_bytes = std::move(r.value());
      }
      const int low = lo ? lo->quality + 1 : 1, high = hi ? hi->quality - 1 : 100;
      if (low > high) break;
      // Guesses for six probes; halving after that bounds a search the guesses do not close.
      q = probes < 6 ? next_quality(lo, hi, max_bytes) : (low + high) / 2;
    }
    if (lo && lo->bytes >= min_bytes) return SizedJpeg{std::move(lo_bytes), lo->quality, c420, progressive};
  }
  return Error{ErrorCode::invalid_argument,
               "no JPEG quality lands in " + std::to_string(min_bytes) + "–" + std::to_string(max_bytes) +
                   " bytes (sizes reached " + std::to_string(smallest) + "–" + std::to_string(largest) + ")"};
}

}  // namespace idphoto::io
