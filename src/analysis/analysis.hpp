// Everything checks read, computed once per image and lazily (DESIGN.md rule 3).
// An Analysis belongs to one image and one thread; the engine's models are shared.
#pragma once

#include <future>
#include <memory>
#include <optional>
#include <vector>

#include <opencv2/core.hpp>

#include "analysis/crown_estimate.hpp"
#include "face/face_models.hpp"
#include "io/decode.hpp"

namespace idphoto::analysis {

struct Appearance;  // analysis/appearance.hpp

// How photos are decoded for analysis (check, fix's "before", --annotate): a JPEG at the smallest DCT
// scale (1/2, 1/4, 1/8) that keeps it at least 600 px (or the profile's output size, when larger) on
// both sides. Detection runs on <= 800 px anyway and a 600 px face region is more than any output
// photo keeps, while a 14 MP upload costs a sixteenth of the work. File size, dimensions and DPI are
// read from the file, not from the decoded pixels.
inline io::DecodeOptions decode_options(int out_width = 0, int out_height = 0) {
  constexpr int kMinSide = 600;
  io::DecodeOptions o;
  o.min_width = out_width > kMinSide ? out_width : kMinSide;
  o.min_height = out_height > kMinSide ? out_height : kMinSide;
  return o;
}

// What a second thread makes of an image while it is being decoded (decode_for_analysis): exactly what
// the Analysis would compute from the decoded image.
struct BesideDecode {
  cv::Mat lab;   // bgr_to_lab(bgr)
  cv::Mat grey;  // cv::cvtColor(bgr, COLOR_BGR2GRAY)
  std::optional<std::optional<BorderColour>> border;  // estimate_border_colour(bgr), when computed
  cv::Mat near_border;  // near_border_rows(lab, border): the background mask's first step; empty without a border
};

// decode_for_analysis's result: the decoded image, and what was computed beside the decoding (hand it to
// Analysis::use_threads).
struct DecodedForAnalysis {
  Result<io::DecodedImage> image;
  std::future<BesideDecode> beside;  // valid only when something was
};

// io::decode, and with threads >= 2 a baseline JPEG decoded at a DCT scale (1/2 or less) has its rows
// converted to CIELAB and grey on a second thread while the later rows are still being decoded (io::decode's
// rows_decoded), the top corners' colour estimated as soon as their rows are in, and from then on each band
// compared with it (the background mask's first step): lab(), grey(), the colour and that map are ready soon
// after decoding, and the face search has both threads to itself. The same pixels and values as decoding,
// then computing.
DecodedForAnalysis decode_for_analysis(std::span<const std::uint8_t> bytes, const Limits& limits,
                                       const io::DecodeOptions& options, int threads);

// The main face. Coordinates are full-size pixels of the file as oriented (image().width × height),
// whatever scale the image was decoded at; y grows downwards.
struct Head {
  cv::Rect2f box;                 // detector box
  face::Landmarks68 landmarks;
  double yaw_deg = 0;             // + = face turned to the image's right
  double pitch_deg = 0;           // + = chin up
  double roll_deg = 0;            // + = clockwise in the image (right eye lower)
  cv::Point2f left_eye;           // centre of landmarks 36–41 (image left)
  cv::Point2f right_eye;          // centre of landmarks 42–47
  cv::Point2f eye_mid;
  double ied_px = 0;              // |right_eye − left_eye|, full-size px
  double chin_y = 0;              // landmark 8
  std::optional<double> crown_y;  // top of the head (hair included); none when not found
  double face_left_x = 0;         // face width extent at cheek level (jaw contour)
  double face_right_x = 0;
  double face_width_px = 0;
  double centre_x = 0;            // face centre line (nose bridge / eye midpoint)
};

class Analysis {
 public:
  // models may be null: then faces() is empty and head() is null (used by tests and signatures).
  // faces_down_to > 0: faces() need only hold the faces at least that share of the largest face's width
  // (check and fix pass the profile's photo.face.count min_relative_width); the detector then skips the
  // work that can only find smaller ones (FaceModels::detect). 0: every face the detector finds.
  Analysis(io::DecodedImage image, std::shared_ptr<const face::FaceModels> models, double faces_down_to = 0);
  // Tests and tools: faces and head given rather than detected (coordinates as in faces()/head()).
  Analysis(io::DecodedImage image, std::vector<face::Detection> faces, std::optional<Head> head);
  ~Analysis();
  Analysis(const Analysis&) = delete;
  Analysis& operator=(const Analysis&) = delete;

  const io::DecodedImage& image() const;
  // Full-size dimensions (after orientation) — what geometry is judged against.
  int width() const;
  int height() const;

  const cv::Mat& grey() const;  // 8-bit grey of image().bgr (decoded scale)
  const cv::Mat& lab() const;   // CIE Lab (CV_32FC3, analysis/lab.hpp) of image().bgr; empty if not 8-bit
  // threads >= 2 (an engine given them): lab() starts now on a second thread, to overlap with face
  // detection, unless beside (decode_for_analysis's work, done while decoding) brings it already, and the
  // face search scans pyramid levels on two threads (FaceModels::detect). The threads read only
  // image().bgr and its grey copy; results are the same. Without this call (or with 1) everything runs on
  // the caller's thread (the WASM build's path).
  void use_threads(int threads, std::future<BesideDecode> beside = {}) const;

  // Faces in full-size coordinates, largest first (down to faces_down_to × the largest's width, see above).
  const std::vector<face::Detection>& faces() const;
  // Landmarks, pose and head model of the largest face; null when there is no face.
  const Head* head() const;

  // 255 where the pixel is background (plain area connected to the border around the person),
  // at decoded scale (image().bgr size). Empty Mat when it cannot be estimated.
  const cv::Mat& background_mask() const;

  // Colour statistics over the whole image.
  double mean_chroma() const;       // mean of max(R,G,B) − min(R,G,B), 0..255
  bool is_greyscale() const;        // stored grey, or every pixel neutral (chroma ≤ 2)

  // Face luminance, halves, cheeks, eyes, regions below the chin and above the forehead, background
  // colour/flatness/shadow: computed once on first use (analysis/appearance.hpp).
  const Appearance& appearance() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace idphoto::analysis
