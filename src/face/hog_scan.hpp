// dlib's HOG face detector scanned level by level, so that a search can skip the pyramid levels that can
// only hold faces too small to matter. Included by face_models.cpp (baseline build) and hog_module.cpp
// (AVX2 build); each compiles its own copy. docs/performance.md ("Pyramid levels").
//
// object_detector::operator() builds the whole feature pyramid (level l = the image shrunk l times by
// pyramid_down<6>, box widths growing 1.2x a level), runs every filter on every level, maps each hit
// up with rect_up(rect, l), then keeps the best of overlapping boxes (non-maximum suppression). The
// same steps are done here with dlib's own pieces, a range of levels at a time: scanning levels [0, n)
// in one range gives exactly dlib's result. detect_down_to() scans from the coarsest level (large faces,
// cheap) towards the finest and stops once a level's boxes are too narrow to count beside the widest
// face found: the answer is dlib's for every face at least `min_relative` times as wide as the widest,
// and the finest levels — the largest part of the work — are skipped when the faces are large.
#ifndef IDPHOTO_FACE_HOG_SCAN_HPP
#define IDPHOTO_FACE_HOG_SCAN_HPP

#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

#include <dlib/image_processing.h>
#include <dlib/image_processing/frontal_face_detector.h>

namespace idphoto::face::hog {

// A read-only dlib generic-image view over caller-owned 8-bit grey rows.
struct GreyRows {
  const unsigned char* data;
  long rows, cols, step;
};
inline long num_rows(const GreyRows& v) { return v.rows; }
inline long num_columns(const GreyRows& v) { return v.cols; }
inline long width_step(const GreyRows& v) { return v.step; }
inline const void* image_data(const GreyRows& v) { return v.data; }

}  // namespace idphoto::face::hog

namespace dlib {
template <>
struct image_traits<idphoto::face::hog::GreyRows> {
  using pixel_type = unsigned char;
};
}  // namespace dlib

namespace idphoto::face::hog {

using Detector = dlib::frontal_face_detector;
using Scanner = Detector::image_scanner_type;
using Pyramid = Scanner::pyramid_type;

// One level's working buffers: its features and a filter's output. One per thread scanning.
struct LevelScratch {
  dlib::array<dlib::array2d<float>> feats;
  dlib::array2d<float> saliency;
};

// Per-image scratch: the shrunk images and the buffers of two threads. One per detector copy (not shared).
class LevelScan {
 public:
  // Starts a new image (the view must outlive the scan). Returns the number of pyramid levels dlib uses.
  unsigned long load(const Detector& d, const GreyRows& img) {
    img_ = img;
    images_.clear();
    const Scanner& s = d.get_scanner();
    Pyramid pyr;
    dlib::rectangle rect = dlib::get_rect(img);
    unsigned long levels = 0;
    do {  // as dlib's create_fhog_pyramid counts them
      rect = pyr.rect_down(rect);
      ++levels;
    } while (rect.width() >= s.get_min_pyramid_layer_width() && rect.height() >= s.get_min_pyramid_layer_height() &&
             levels < s.get_max_pyramid_levels());
    levels_ = levels;
    return levels_;
  }

  unsigned long levels() const { return levels_; }

  // Width of a box found at a level (every box of a level has this width, give or take a pixel of rounding).
  static double box_width(const Detector& d, unsigned long level) {
    const Scanner& s = d.get_scanner();
    const unsigned long bw = s.get_fhog_window_width() - 2 * s.get_padding();
    const unsigned long bh = s.get_fhog_window_height() - 2 * s.get_padding();
    // A box away from the feature image's corner (at the corner feats_to_image clips it).
    const dlib::rectangle r = s.get_feature_extractor().feats_to_image(
        dlib::centered_rect(dlib::point(static_cast<long>(bw), static_cast<long>(bh)), bw, bh),
        static_cast<int>(s.get_cell_size()), static_cast<int>(s.get_fhog_window_height()),
        static_cast<int>(s.get_fhog_window_width()));
    Pyramid pyr;
    return static_cast<double>(dlib::rectangle(pyr.rect_up(dlib::drectangle(r), static_cast<unsigned>(level))).width());
  }

  // Makes the shrunk images of levels [1, hi) (level l's is images_[l - 1]; level 0 is the view).
  void build(unsigned long hi) {
    hi = std::min(hi, levels_);
    Pyramid pyr;
    while (images_.size() + 1 < hi) {
      images_.emplace_back();
      if (images_.size() == 1) pyr(img_, images_.back());
      else pyr(images_[images_.size() - 2], images_.back());
    }
  }

  // Appends the hits of levels [lo, hi) of every filter, before suppression, on the caller's buffers.
  void scan(const Detector& d, unsigned long lo, unsigned long hi, std::vector<dlib::rect_detection>& hits) {
    hi = std::min(hi, levels_);
    build(hi);
    for (unsigned long l = lo; l < hi; ++l) scan_level(d, l, own_, hits, nullptr);
  }

  // Appends level l's hits (its image built) using the buffers given. Reads only the images, so two threads
  // may scan different levels at once with their own buffers. Returns false, appending nothing, when
  // *floor rises above l before the level is done (the level is no longer wanted).
  bool scan_level(const Detector& d, unsigned long l, LevelScratch& w, std::vector<dlib::rect_detection>& hits,
                  const std::atomic<long>* floor) const {
    const Scanner& s = d.get_scanner();
    const auto& fe = s.get_feature_extractor();
    const int cell = static_cast<int>(s.get_cell_size());
    const int fw = static_cast<int>(s.get_fhog_window_width()), fh = static_cast<int>(s.get_fhog_window_height());
    const unsigned long bw = s.get_fhog_window_width() - 2 * s.get_padding();
    const unsigned long bh = s.get_fhog_window_height() - 2 * s.get_padding();
    const auto cancelled = [floor, l] { return floor && static_cast<long>(l) < floor->load(std::memory_order_relaxed); };
    Pyramid pyr;
    if (l == 0) fe(img_, w.feats, cell, fh, fw);
    else fe(images_[l - 1], w.feats, cell, fh, fw);
    const size_t first = hits.size();
    for (unsigned long i = 0; i < d.num_detectors(); ++i) {
      if (cancelled()) {
        hits.resize(first);
        return false;
      }
      const double thresh = d.get_processed_w(i).w(s.get_num_dimensions());
      const dlib::rectangle area =
          dlib::impl::apply_filters_to_fhog(d.get_processed_w(i).get_detect_argument(), w.feats, w.saliency);
      for (long r = area.top(); r <= area.bottom(); ++r)
        for (long c = area.left(); c <= area.right(); ++c) {
          if (w.saliency[r][c] < thresh) continue;
          dlib::rectangle rect = fe.feats_to_image(dlib::centered_rect(dlib::point(c, r), bw, bh), cell, fh, fw);
          rect = pyr.rect_up(rect, static_cast<unsigned>(l));
          dlib::rect_detection hit;
          hit.detection_confidence = w.saliency[r][c] - thresh;
          hit.weight_index = i;
          hit.rect = rect;
          hits.push_back(hit);
        }
    }
    return true;
  }

  LevelScratch& helper_buffers() { return helper_; }

 private:
  GreyRows img_{nullptr, 0, 0, 0};
  unsigned long levels_ = 0;
  std::vector<dlib::array2d<unsigned char>> images_;
  LevelScratch own_, helper_;
};

// The levels' hits in the order of a scan from the coarsest level down. With a helper thread, the helper
// scans every other level (n - 2, n - 4, ...) while the caller scans the rest, so a level is usually ready
// when it is asked for; the hits, and their order, are those of a one-thread scan. The caller tells the
// feed the finest level it still expects to want (expect_down_to); the helper skips or abandons (between
// filters) the levels below it, and every level when the feed is destroyed. A level the helper did not
// scan and is asked for after all is scanned by the caller.
class LevelFeed {
 public:
  LevelFeed(const Detector& d, LevelScan& scan, unsigned long n, bool helper) : d_(d), scan_(scan), n_(n) {
    if (!helper || n < 2) return;
    scan_.build(n);
    ready_.assign(n, 0);
    results_.resize(n);
    try {
      helper_ = std::thread([this] { run(); });
    } catch (const std::system_error&) {
      // No thread to be had: every level on the caller's thread.
    }
  }
  ~LevelFeed() {
    floor_.store(std::numeric_limits<long>::max());
    if (helper_.joinable()) helper_.join();
  }
  LevelFeed(const LevelFeed&) = delete;
  LevelFeed& operator=(const LevelFeed&) = delete;

  // The finest level the caller expects to ask for (a guess: any level may still be asked for).
  void expect_down_to(unsigned long l) { floor_.store(static_cast<long>(l)); }

  // Appends level l's hits (levels are asked for from n - 1 down).
  void take(unsigned long l, std::vector<dlib::rect_detection>& hits) {
    if (helper_.joinable() && (n_ - 1 - l) % 2 == 1) {
      std::unique_lock<std::mutex> lock(mutex_);
      done_.wait(lock, [&] { return ready_[l] != 0; });
      if (ready_[l] == 1) {
        hits.insert(hits.end(), results_[l].begin(), results_[l].end());
        return;
      }
    }
    scan_.scan(d_, l, l + 1, hits);  // the caller's level, or one the helper could not scan
  }

 private:
  void run() {
    for (unsigned long k = 1; k < n_; k += 2) {
      const unsigned long l = n_ - 1 - k;
      std::vector<dlib::rect_detection> hits;
      bool ok = false;
      if (static_cast<long>(l) >= floor_.load()) {
        try {
          ok = scan_.scan_level(d_, l, scan_.helper_buffers(), hits, &floor_);
        } catch (...) {
          ok = false;
        }
      }
      {
        std::lock_guard<std::mutex> lock(mutex_);
        results_[l] = std::move(hits);
        ready_[l] = ok ? 1 : 2;
      }
      done_.notify_all();
    }
  }

  const Detector& d_;
  LevelScan& scan_;
  const unsigned long n_;
  std::thread helper_;
  std::atomic<long> floor_{-1};  // levels below it are not wanted (expect_down_to)
  std::mutex mutex_;
  std::condition_variable done_;
  std::vector<int> ready_;  // per level: 0 pending, 1 scanned by the helper, 2 not (the caller scans it)
  std::vector<std::vector<dlib::rect_detection>> results_;
};

// dlib's non-maximum suppression (object_detector::operator()): best first, a box overlapping a kept one
// (the detector's own overlap test, whatever filter found either) is dropped.
inline std::vector<dlib::rect_detection> suppress(const Detector& d, std::vector<dlib::rect_detection> hits) {
  std::sort(hits.rbegin(), hits.rend());
  std::vector<dlib::rect_detection> kept;
  const dlib::test_box_overlap& overlaps = d.get_overlap_tester();
  for (const auto& h : hits) {
    bool drop = false;
    for (const auto& k : kept)
      if (overlaps(k.rect, h.rect)) {
        drop = true;
        break;
      }
    if (!drop) kept.push_back(h);
  }
  return kept;
}

// Faces in the image, as dlib's detector finds them, down to `min_relative` times the widest face's
// width (smaller ones may be missing); min_relative <= 0 scans every level. Levels are scanned coarse to
// fine, and the scan stops at the first level whose boxes are narrower than min_relative times the widest
// face kept so far (scanning it only when a face near that limit may have its best box there). With
// threads >= 2 a second thread scans every other level ahead (LevelFeed); the result is the same.
inline std::vector<dlib::rect_detection> detect_down_to(const Detector& d, const GreyRows& img, LevelScan& scan,
                                                        double min_relative, int threads = 1) {
  const unsigned long n = scan.load(d, img);
  std::vector<dlib::rect_detection> hits;
  LevelFeed feed(d, scan, n, threads >= 2);
  if (min_relative <= 0) {
    // dlib appends the levels fine to coarse, and suppression's sort sees them in that order.
    std::vector<std::vector<dlib::rect_detection>> per_level(n);
    for (unsigned long l = n; l-- > 0;) feed.take(l, per_level[l]);
    for (const auto& level : per_level) hits.insert(hits.end(), level.begin(), level.end());
    return suppress(d, std::move(hits));
  }
  std::vector<dlib::rect_detection> kept;
  for (unsigned long l = n; l-- > 0;) {
    const size_t before = hits.size();
    feed.take(l, hits);
    if (hits.size() != before) kept = suppress(d, hits);
    double widest = 0;
    for (const auto& k : kept) widest = std::max(widest, static_cast<double>(k.rect.width()));
    if (widest <= 0) continue;
    const double limit = min_relative * widest;
    // (+1 below: a box's width varies by a pixel with its position, from rounding.) Stop after the first
    // level whose boxes are too narrow to count ...
    if (LevelScan::box_width(d, l) + 1 < limit) break;
    // ... and before it when no face kept is near the limit: a face a little under the limit also fires,
    // more weakly, on the one or two levels above its own, and only its better box on the level below
    // keeps that weaker, wider one out. Without such a box in view the level below changes nothing counted.
    bool near = false;
    for (const auto& k : kept) near = near || static_cast<double>(k.rect.width()) < limit * 1.2 * 1.2 + 1;
    if (l > 0 && LevelScan::box_width(d, l - 1) + 1 < limit && !near) break;
    // As things stand, the scan ends at the coarsest level whose boxes are too narrow (or the one above it).
    unsigned long last = 0;
    for (unsigned long k = l; k-- > 0;)
      if (LevelScan::box_width(d, k) + 1 < limit) {
        last = near ? k : k + 1;
        break;
      }
    feed.expect_down_to(last);
  }
  return kept;
}

}  // namespace idphoto::face::hog

#endif
