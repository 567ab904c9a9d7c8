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
#include <cmath>
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

// Per-image scratch: the shrunk images and one level's features. One per detector copy (not shared).
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

  // Appends the hits of levels [lo, hi) of every filter, before suppression.
  void scan(const Detector& d, unsigned long lo, unsigned long hi, std::vector<dlib::rect_detection>& hits) {
    hi = std::min(hi, levels_);
    const Scanner& s = d.get_scanner();
    const auto& fe = s.get_feature_extractor();
    const int cell = static_cast<int>(s.get_cell_size());
    const int fw = static_cast<int>(s.get_fhog_window_width()), fh = static_cast<int>(s.get_fhog_window_height());
    const unsigned long bw = s.get_fhog_window_width() - 2 * s.get_padding();
    const unsigned long bh = s.get_fhog_window_height() - 2 * s.get_padding();
    Pyramid pyr;
    std::vector<double> thresh(d.num_detectors());
    for (unsigned long i = 0; i < d.num_detectors(); ++i) thresh[i] = d.get_processed_w(i).w(s.get_num_dimensions());
    for (unsigned long l = lo; l < hi; ++l) {
      while (images_.size() < l) {  // level l's image is images_[l - 1]; level 0 is the view
        images_.emplace_back();
        if (images_.size() == 1) pyr(img_, images_.back());
        else pyr(images_[images_.size() - 2], images_.back());
      }
      if (l == 0) fe(img_, feats_, cell, fh, fw);
      else fe(images_[l - 1], feats_, cell, fh, fw);
      for (unsigned long i = 0; i < d.num_detectors(); ++i) {
        const dlib::rectangle area =
            dlib::impl::apply_filters_to_fhog(d.get_processed_w(i).get_detect_argument(), feats_, saliency_);
        for (long r = area.top(); r <= area.bottom(); ++r)
          for (long c = area.left(); c <= area.right(); ++c) {
            if (saliency_[r][c] < thresh[i]) continue;
            dlib::rectangle rect = fe.feats_to_image(dlib::centered_rect(dlib::point(c, r), bw, bh), cell, fh, fw);
            rect = pyr.rect_up(rect, static_cast<unsigned>(l));
            dlib::rect_detection hit;
            hit.detection_confidence = saliency_[r][c] - thresh[i];
            hit.weight_index = i;
            hit.rect = rect;
            hits.push_back(hit);
          }
      }
    }
  }

 private:
  GreyRows img_{nullptr, 0, 0, 0};
  unsigned long levels_ = 0;
  std::vector<dlib::array2d<unsigned char>> images_;
  dlib::array<dlib::array2d<float>> feats_;
  dlib::array2d<float> saliency_;
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
// face kept so far (scanning it only when a face near that limit may have its best box there).
inline std::vector<dlib::rect_detection> detect_down_to(const Detector& d, const GreyRows& img, LevelScan& scan,
                                                        double min_relative) {
  const unsigned long n = scan.load(d, img);
  std::vector<dlib::rect_detection> hits;
  if (min_relative <= 0) {
    scan.scan(d, 0, n, hits);
    return suppress(d, std::move(hits));
  }
  std::vector<dlib::rect_detection> kept;
  for (unsigned long l = n; l-- > 0;) {
    const size_t before = hits.size();
    scan.scan(d, l, l + 1, hits);
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
    if (l > 0 && LevelScan::box_width(d, l - 1) + 1 < limit) {
      bool near = false;
      for (const auto& k : kept) near = near || static_cast<double>(k.rect.width()) < limit * 1.2 * 1.2 + 1;
      if (!near) break;
    }
  }
  return kept;
}

}  // namespace idphoto::face::hog

#endif
