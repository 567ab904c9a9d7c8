// Appearance measures of the main face and the background, computed once per image from the Analysis.
// Definitions follow ISO/IEC 29794-5 as BSI OFIQ computes them (SPECS.md §3) unless noted.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace idphoto::analysis {

class Analysis;

// Luminance Y = 0.2126 R + 0.7152 G + 0.0722 B on linearised sRGB, re-encoded with the sRGB curve to 0..255.
struct LuminanceStats {
  double mean = 0;         // 0..255
  double frac_dark = 0;    // share of pixels with Y in [0, 25]
  double frac_bright = 0;  // share of pixels with Y in [247, 255]
  double entropy = 0;      // bits, 256-bin histogram
  int pixels = 0;
};

// Regions are rectangles at decoded scale (Analysis::image().bgr), clipped to the image; empty = outside.
struct Appearance {
  // Face: polygon of the jaw (0–16) and brows (26–17), decoded scale.
  std::vector<cv::Point> face_polygon;
  LuminanceStats face;  // over the face polygon; frac_dark and frac_bright above the nose base (landmark 33) only
  double lr_intersection = 1;  // histogram intersection of left vs right face half, 0..1 (1 = alike)
  double lr_mean_left = 0;     // mean Y of each half
  double lr_mean_right = 0;

  double eye_openness = 0;    // min over eyes of the max eyelid gap ÷ T (T = eye midpoint → chin)
  double left_eye_open = 0;
  double right_eye_open = 0;
  double mouth_openness = 0;  // max inner-lip gap ÷ T
  // Eye-closure model (face/eye_closure.hpp, docs/decisions/0008): SVM decision value per eye, > 0 = the
  // eye looks closed.
  double left_eye_closure = 0;
  double right_eye_closure = 0;

  cv::Rect cheek_left, cheek_right;
  cv::Rect nose_bridge;             // skin between the eyes (landmark 28)
  double cheek_nose_chroma = 0;     // larger a*b* distance of a cheek from the nose bridge; 0 without colour
  std::optional<cv::Vec3f> cheek_lab;  // mean CIELAB of both cheeks (L 0..100); none when no colour
  bool colour = true;                  // false: the image carries no colour (grey)

  cv::Rect eye_left_region, eye_right_region;  // eye boxes widened to hold a spectacle lens
  double glare_fraction = 0;    // share of eye-region pixels that are specular (near-white, low chroma)
  int glare_blob_px = 0;        // largest specular blob, px at a canonical IED of 64 px (area scaled)

  double sharpness = 0;  // variance of the Laplacian on the face resized to an IED of 64 px

  cv::Rect mouth_region;
  cv::Rect clothing_region;  // below the chin and neck; empty when the photo ends at the chin
  double clothing_like_background = 0;  // share of clothing pixels within ΔE 12 of the background colour
  std::optional<cv::Vec3f> clothing_lab;

  cv::Rect forehead_region;  // between the crown (or brows − 0.6 face height) and the brows
  double above_hair = 0;        // share of the region that is hair-like (dark or brown L* < 45, grey, blonde)
  double above_background = 0;  // share within ΔE 14 of the background colour
  double above_skin = 0;        // share close to the cheek colour
  double above_other = 0;       // the rest: neither hair, background nor skin
  double above_height = 0;      // (brow − crown) ÷ (chin − brow); 0 when no crown

  double skin_fraction = 0;      // share of the lower face (nose, mouth, jaw hull) close to the cheek colour
  bool skin_model_ok = false;    // cheeks agree with each other (the skin model is usable)

  // Background (needs Analysis::background_mask()).
  bool background_ok = false;
  double background_share = 0;        // mask pixels ÷ image pixels
  cv::Vec3f background_lab{0, 0, 0};  // mean CIELAB over the mask
  double background_gradient = 0;     // mean Sobel magnitude of 8-bit luminance over the eroded mask
  double background_shadow = 0;       // ΔL*: median far background − darkest sector next to the head
  // When there is no plain background but a face: median CIELAB of each top-corner strip (⅛ W × ⅒ H, the
  // strips the background colour is taken from) outside the head, when at least half of the strip is;
  // empty otherwise.
  std::vector<cv::Vec3f> corner_lab;
};

// Computes everything above; head-dependent fields stay at their defaults when there is no face.
Appearance compute_appearance(const Analysis& a);

// CIELAB (L 0..100) of an sRGB colour "#RRGGBB"; none when malformed.
std::optional<cv::Vec3f> hex_to_lab(const std::string& hex);

}  // namespace idphoto::analysis
