// What the signature checks read: the ink of one image (the uploaded file, or a cleaned output).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "idphoto/idphoto.hpp"

namespace idphoto::signature {

struct InkAnalysis {
  ImageInfo image;              // format, size after orientation, bytes
  int work_width = 0;           // size the ink was analysed at
  int work_height = 0;
  cv::Mat ink;                  // CV_8U, 255 = ink, work size (lines and speckles removed)
  cv::Mat removed;              // CV_8U, 255 = ink taken away as ruled lines, borders or paper edges
  bool found = false;           // some ink beyond noise
  cv::Rect box;                 // ink bounding box (work px), far-away specks ignored
  double ink_fraction = 0;      // ink pixels / image pixels
  double contrast = 0;          // median ink contrast, fraction of the paper's brightness
  double stroke_px = 0;         // median stroke width at the image's full size (px)
  std::string ink_colour = "black";  // "black" | "blue" | "red" | "green" | "other"
  double ink_chroma = 0;        // mean chroma of ink pixels (0..255 scale, OpenCV Lab a*b* length)
  double paper_grey = 255;      // median paper brightness (0..255)
  double paper_spread = 0;      // MAD of paper brightness
  int lines_removed = 0;        // ruled lines, box borders and paper edges removed
  double line_residue = 0;      // fraction of width/height covered by long straight ink runs left
  int components = 0;           // ink components kept
  double noise_fraction = 0;    // ink in components below the stroke scale / all ink (before removal)
  int rotation = 0;             // 0, 90, 180, 270 applied (clockwise)
  bool rotation_uncertain = false;
  double skew_deg = 0;          // baseline skew corrected
  std::vector<std::string> notes;  // what cleaning did, in English (reports carry bilingual texts)
};

struct AnalyseOptions {
  int max_work_side = 700;      // analyse at most this long a side (speed); 0 = full size. clean
                                // analyses again finer when the ink box would be enlarged onto the canvas
  double source_scale = 1.0;    // bgr's size / the file's full size (a JPEG decoded at a DCT scale)
  bool remove_lines = true;
  bool orient = false;          // find 90° turns (clean only)
  std::optional<int> rotate;    // forced clockwise turn 0|90|180|270
  bool deskew = false;
};

// bgr: CV_8UC3 full size (EXIF orientation already applied). Fills everything but image.
InkAnalysis analyse_ink(const cv::Mat& bgr, const AnalyseOptions& options, cv::Mat* oriented = nullptr);

struct CanvasSpec {
  int width = 450, height = 150;   // output size, px
  double margin = 0.10;            // ink box margin on the tighter side, fraction of that side
  bool antialias = true;
};

// Canvas pixels per work pixel when the ink box is fitted into the canvas (> 1: enlarged); 0 without ink.
double placement_scale(const InkAnalysis& a, const CanvasSpec& spec);

// The cleaned signature: black ink on pure white, the ink box scaled into the canvas and centred.
// CV_8UC1.
cv::Mat place_on_canvas(const InkAnalysis& a, const CanvasSpec& spec);

// PNG (8-bit grey, or grey+alpha with ink opaque when transparent) through libpng.
Result<std::vector<std::uint8_t>> encode_png(const cv::Mat& grey, bool transparent = false);

}  // namespace idphoto::signature
