#include "analysis/analysis.hpp"

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <future>
#include <mutex>
#include <system_error>

#include <opencv2/imgproc.hpp>

#include "analysis/appearance.hpp"
#include "analysis/crown_estimate.hpp"
#include "analysis/lab.hpp"
#include "analysis/shrink.hpp"
#include "face/head_pose.hpp"

namespace idphoto::analysis {
namespace {

constexpr int kDetectMaxSide = 800;  // detection runs on a grey copy at most this long (never upscaled)

cv::Point2f mean_of(const face::Landmarks68& lm, int first, int last) {
  cv::Point2f s(0, 0);
  for (int i = first; i <= last; ++i) s += lm[static_cast<size_t>(i)];
  return s / static_cast<float>(last - first + 1);
}

}  // namespace

namespace {
// Builds the Head from landmarks at decoded scale; all outputs are full-size (÷ scale).
Head make_head(const cv::Mat& bgr, const cv::Rect2f& box_full, const face::Landmarks68& lm_decoded, double scale,
               const std::optional<BorderColour>& border) {
  Head h;
  h.box = box_full;
  const auto inv = static_cast<float>(1.0 / scale);
  for (size_t i = 0; i < 68; ++i) h.landmarks[i] = lm_decoded[i] * inv;
  const face::Pose pose = face::estimate_pose(lm_decoded, bgr.size());
  h.yaw_deg = pose.yaw_deg;
  h.pitch_deg = pose.pitch_deg;
  h.roll_deg = pose.roll_deg;
  const auto& lm = h.landmarks;
  h.left_eye = mean_of(lm, 36, 41);
  h.right_eye = mean_of(lm, 42, 47);
  h.eye_mid = (h.left_eye + h.right_eye) * 0.5f;
  h.ied_px = cv::norm(h.right_eye - h.left_eye);
  h.chin_y = lm[8].y;
  // Face width at cheek level: jaw contour points 1 and 15 (about the level of the eye bottoms / nose bridge).
  h.face_left_x = lm[1].x;
  h.face_right_x = lm[15].x;
  h.face_width_px = h.face_right_x - h.face_left_x;
  h.centre_x = (h.eye_mid.x + lm[27].x) / 2.0;  // eye midpoint and top of the nose bridge
  try {
    if (const auto c = estimate_crown(bgr, lm_decoded, border)) h.crown_y = *c / scale;
  } catch (const std::exception&) {
    h.crown_y.reset();
  }
  return h;
}
}  // namespace

struct Analysis::Impl {
  io::DecodedImage image;
  std::shared_ptr<const face::FaceModels> models;
  double faces_down_to = 0;  // FaceModels::detect's min_relative
  mutable int threads = 1;   // use_threads()
  bool given = false;  // faces and head supplied by the caller

  mutable bool grey_done = false;
  mutable cv::Mat grey;
  mutable bool lab_done = false;
  mutable cv::Mat lab;
  mutable std::future<cv::Mat> lab_pending;  // use_threads(): the conversion on its own thread
  mutable std::future<BesideDecode> beside;  // use_threads(): decode_for_analysis's work, taken once
  mutable cv::Mat near_border;                // from it: the background mask's first step, used once
  mutable bool faces_done = false;
  mutable std::vector<face::Detection> faces;
  mutable std::optional<Head> head;
  mutable bool mask_done = false;
  mutable cv::Mat mask;
  mutable std::optional<std::optional<BorderColour>> border;  // estimate_border_colour(image.bgr), once
  mutable bool colour_done = false;
  mutable double mean_chroma = 0;
  mutable bool greyscale = false;
  mutable std::unique_ptr<Appearance> appearance;

  // What decode_for_analysis computed beside the decoding, in place of computing it (first use of any).
  void take_beside() const {
    if (!beside.valid()) return;
    try {
      BesideDecode b = beside.get();
      if (!lab_done && !b.lab.empty()) {
        lab = std::move(b.lab);
        lab_done = true;
      }
      if (!grey_done && !b.grey.empty()) {
        grey = std::move(b.grey);
        grey_done = true;
      }
      if (!border && b.border) {
        border = std::move(b.border);
        near_border = std::move(b.near_border);
      }
    } catch (const std::exception&) {
      // Computed on this thread as usual.
    }
  }

  // The plain background's colour from the top corners: the crown estimate and the background mask use it.
  const std::optional<BorderColour>& border_colour() const {
    take_beside();
    if (!border) {
      try {
        border = estimate_border_colour(image.bgr);
      } catch (const std::exception&) {
        border = std::optional<BorderColour>();
      }
    }
    return *border;
  }

  void ensure_grey() const {
    take_beside();
    if (grey_done) return;
    grey_done = true;
    try {
      if (image.bgr.type() == CV_8UC3) cv::cvtColor(image.bgr, grey, cv::COLOR_BGR2GRAY);
      else if (image.bgr.type() == CV_8UC1) grey = image.bgr;
    } catch (const std::exception&) {
      grey.release();
    }
  }

  void ensure_faces() const {
    if (faces_done) return;
    faces_done = true;
    if (given || !models) return;
    ensure_grey();
    if (grey.empty()) return;
    try {
      const double s = std::min(1.0, static_cast<double>(kDetectMaxSide) / std::max(grey.cols, grey.rows));
      const cv::Mat small = shrink(grey, s);
      std::vector<face::Detection> dets = models->detect(small, faces_down_to, threads);
      if (dets.empty()) return;
      const double to_decoded = 1.0 / s;
      const double to_full = to_decoded / image.scale;
      for (auto& d : dets) {
        const cv::Rect2f b = d.box;
        faces.push_back({cv::Rect2f(static_cast<float>(b.x * to_full), static_cast<float>(b.y * to_full),
                                    static_cast<float>(b.width * to_full), static_cast<float>(b.height * to_full)),
                         d.score});
      }
      const cv::Rect2f& b = dets.front().box;
      const auto k = static_cast<float>(to_decoded);
      const face::Landmarks68 lm = models->landmarks(grey, cv::Rect2f(b.x * k, b.y * k, b.width * k, b.height * k));
      head = make_head(image.bgr, faces.front().box, lm, image.scale, border_colour());
    } catch (const std::exception&) {
      faces.clear();
      head.reset();
    }
  }
};

Analysis::Analysis(io::DecodedImage image, std::shared_ptr<const face::FaceModels> models, double faces_down_to)
    : impl_(std::make_unique<Impl>()) {
  impl_->image = std::move(image);
  impl_->models = std::move(models);
  impl_->faces_down_to = faces_down_to;
}

Analysis::Analysis(io::DecodedImage image, std::vector<face::Detection> faces, std::optional<Head> head)
    : impl_(std::make_unique<Impl>()) {
  impl_->image = std::move(image);
  impl_->given = true;
  impl_->faces_done = true;
  impl_->faces = std::move(faces);
  impl_->head = std::move(head);
}

Analysis::~Analysis() = default;

const io::DecodedImage& Analysis::image() const { return impl_->image; }
int Analysis::width() const { return impl_->image.width > 0 ? impl_->image.width : impl_->image.bgr.cols; }
int Analysis::height() const { return impl_->image.height > 0 ? impl_->image.height : impl_->image.bgr.rows; }

const cv::Mat& Analysis::grey() const {
  impl_->ensure_grey();
  return impl_->grey;
}

namespace {

// cv::cvtColor(bgr, grey, COLOR_BGR2GRAY) for rows [y0, y1), with OpenCV 4's fixed-point arithmetic
// (Y = (3735 B + 19235 G + 9798 R + 2^14) >> 15: the same value for all 2^24 colours, checked), without its
// parallel_for, whose worker threads would take the core the decoder runs on.
void grey_rows(const cv::Mat& bgr, cv::Mat& grey, int y0, int y1) {
  for (int y = y0; y < y1; ++y) {
    const auto* p = bgr.ptr<unsigned char>(y);
    auto* q = grey.ptr<unsigned char>(y);
    for (int x = 0; x < bgr.cols; ++x, p += 3)
      q[x] = static_cast<unsigned char>((3735 * p[0] + 19235 * p[1] + 9798 * p[2] + (1 << 14)) >> 15);
  }
}

// The work beside a decode: the decoder tells (rows) how many rows are ready, and a thread of its own
// converts them to CIELAB and grey a band at a time, and estimates the top corners' colour once their rows
// are in. The thread holds the state, so a result handed on outlives this object; the object, when it
// goes, tells the thread no more rows will come.
class BesideDecoder {
 public:
  ~BesideDecoder() { state_->close(); }  // then job_'s destructor waits for the thread, if still held

  void rows(const cv::Mat& bgr, int rows, int scale_denom) {
    if (failed_) return;
    if (!job_.valid()) {
      // Only a DCT-scaled decode reads enough data per row for this work to keep pace with it: at full
      // scale (a 295 × 413 upload) the caller would wait for it, and the 1-inch check on two threads took
      // 7 % longer; at 1/2 scale a 2180 × 1506 photo's fix takes 9 % less.
      if (bgr.type() != CV_8UC3 || scale_denom < 2) {
        failed_ = true;
        return;
      }
      state_->src = bgr;  // a header: shares the buffer being decoded into
      try {
        job_ = std::async(std::launch::async, [s = state_] { return s->run(); });
      } catch (const std::system_error&) {
        failed_ = true;  // no thread: use_threads converts as usual
        return;
      }
    }
    {
      std::lock_guard<std::mutex> lock(state_->mutex);
      state_->ready = rows;
    }
    state_->more.notify_one();
  }

  // After a successful decode into bgr: the work, or an invalid future when none ran.
  std::future<BesideDecode> result(const cv::Mat& bgr) {
    state_->close();
    if (failed_ || !job_.valid() || bgr.data != state_->src.data || bgr.size() != state_->src.size()) return {};
    return std::move(job_);
  }

 private:
  struct State {
    std::mutex mutex;
    std::condition_variable more;
    cv::Mat src;
    int ready = 0;  // rows of src decoded
    bool closed = false;

    void close() {
      {
        std::lock_guard<std::mutex> lock(mutex);
        closed = true;
      }
      more.notify_one();
    }

    BesideDecode run() {
      BesideDecode out;
      LabRows conv;
      out.lab.create(src.size(), CV_32FC3);
      out.grey.create(src.size(), CV_8UC1);
      const int corner_rows = std::max(2, src.rows / 10);  // estimate_border_colour's strips
      int done = 0;
      for (;;) {
        int upto = 0;
        {
          std::unique_lock<std::mutex> lock(mutex);
          more.wait(lock, [&] { return ready > done || closed; });
          upto = ready;
        }
        if (upto == done) break;  // closed, and no rows came since
        conv.convert(src, out.lab, done, upto);
        grey_rows(src, out.grey, done, upto);
        if (!out.border && upto >= corner_rows) {
          out.border = estimate_border_colour(src, &out.lab);
          if (*out.border) {
            out.near_border.create(src.size(), CV_8U);
            near_border_rows(out.lab, **out.border, out.near_border, 0, done);  // the rows before this band
          }
        }
        if (!out.near_border.empty()) near_border_rows(out.lab, **out.border, out.near_border, done, upto);
        done = upto;
      }
      if (done < src.rows) return {};  // the decode stopped short
      return out;
    }
  };

  std::shared_ptr<State> state_ = std::make_shared<State>();
  std::future<BesideDecode> job_;
  bool failed_ = false;
};

}  // namespace

DecodedForAnalysis decode_for_analysis(std::span<const std::uint8_t> bytes, const Limits& limits,
                                       const io::DecodeOptions& options, int threads) {
  if (threads < 2) return {io::decode(bytes, limits, options), {}};
  BesideDecoder beside;
  const io::RowsDecoded tell = [&beside](const cv::Mat& bgr, int rows, int denom) { beside.rows(bgr, rows, denom); };
  DecodedForAnalysis d{io::decode(bytes, limits, options, tell), {}};
  if (d.image) d.beside = beside.result(d.image.value().bgr);
  return d;
}

void Analysis::use_threads(int threads, std::future<BesideDecode> beside) const {
  impl_->threads = std::max(1, threads);
  if (threads < 2) return;
  const cv::Mat& bgr = impl_->image.bgr;
  if (impl_->lab_done || impl_->lab_pending.valid() || impl_->beside.valid() ||
      (bgr.type() != CV_8UC3 && bgr.type() != CV_8UC1))
    return;
  if (beside.valid()) {
    impl_->beside = std::move(beside);
    return;
  }
  try {
    impl_->lab_pending = std::async(std::launch::async, [bgr] { return bgr_to_lab(bgr); });
  } catch (const std::system_error&) {
    // No thread to be had: lab() converts on the caller's thread as usual.
  }
}

const cv::Mat& Analysis::lab() const {
  impl_->take_beside();
  if (!impl_->lab_done) {
    impl_->lab_done = true;
    const cv::Mat& bgr = impl_->image.bgr;
    try {
      if (impl_->lab_pending.valid()) impl_->lab = impl_->lab_pending.get();
      else if (bgr.type() == CV_8UC3 || bgr.type() == CV_8UC1) impl_->lab = bgr_to_lab(bgr);
    } catch (const std::exception&) {
      impl_->lab.release();
    }
  }
  return impl_->lab;
}

const std::vector<face::Detection>& Analysis::faces() const {
  impl_->ensure_faces();
  return impl_->faces;
}

const Head* Analysis::head() const {
  impl_->ensure_faces();
  return impl_->head ? &*impl_->head : nullptr;
}

const cv::Mat& Analysis::background_mask() const {
  if (impl_->mask_done) return impl_->mask;
  impl_->mask_done = true;
  const Head* h = head();
  try {
    if (h) {
      // Landmarks back to decoded scale for the mask, which lives there.
      face::Landmarks68 lm;
      const auto s = static_cast<float>(impl_->image.scale);
      for (size_t i = 0; i < 68; ++i) lm[i] = h->landmarks[i] * s;
      std::optional<double> crown;
      if (h->crown_y) crown = *h->crown_y * impl_->image.scale;
      impl_->mask =
          estimate_background_mask(impl_->image.bgr, &lm, crown, &lab(), &impl_->border_colour(), &impl_->near_border);
    } else {
      impl_->mask = estimate_background_mask(impl_->image.bgr, nullptr, std::nullopt, &lab(), &impl_->border_colour(),
                                             &impl_->near_border);
    }
    impl_->near_border.release();  // the mask drew the person on it
  } catch (const std::exception&) {
    impl_->mask.release();
  }
  return impl_->mask;
}

namespace {
void colour_stats(const io::DecodedImage& img, double& mean_chroma, bool& greyscale) {
  mean_chroma = 0;
  greyscale = img.colour_space == "grey";
  const cv::Mat& bgr = img.bgr;
  if (bgr.empty() || bgr.type() != CV_8UC3) {
    greyscale = greyscale || (!bgr.empty() && bgr.type() == CV_8UC1);
    return;
  }
  // Chroma = max(B, G, R) − min(B, G, R) per pixel, in OpenCV's vectorised plane operations (a loop over
  // interleaved pixels does not vectorise: 23 instructions a pixel against about 2).
  cv::Mat ch[3], hi, lo;
  cv::split(bgr, ch);
  cv::max(ch[0], ch[1], hi);
  cv::max(hi, ch[2], hi);
  cv::min(ch[0], ch[1], lo);
  cv::min(lo, ch[2], lo);
  cv::subtract(hi, lo, hi);
  double largest = 0;
  cv::minMaxLoc(hi, nullptr, &largest);
  mean_chroma = cv::sum(hi)[0] / static_cast<double>(bgr.total());
  greyscale = greyscale || largest <= 2;
}
}  // namespace

double Analysis::mean_chroma() const {
  if (!impl_->colour_done) {
    colour_stats(impl_->image, impl_->mean_chroma, impl_->greyscale);
    impl_->colour_done = true;
  }
  return impl_->mean_chroma;
}

const Appearance& Analysis::appearance() const {
  if (!impl_->appearance) {
    try {
      impl_->appearance = std::make_unique<Appearance>(compute_appearance(*this));
    } catch (const std::exception&) {
      impl_->appearance = std::make_unique<Appearance>();
    }
  }
  return *impl_->appearance;
}

bool Analysis::is_greyscale() const {
  mean_chroma();
  return impl_->greyscale;
}

}  // namespace idphoto::analysis
