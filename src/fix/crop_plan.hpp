// Crop planning: one head model (crown, eyes, chin, face width) against every geometry band at once.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "idphoto/idphoto.hpp"

namespace idphoto::fix {

// The head after roll correction, in source pixels (full size); y grows downwards.
struct HeadModel {
  double crown_y = 0;
  double eye_y = 0;       // eye midpoint (eyes level)
  double chin_y = 0;
  double centre_x = 0;    // face centre line
  double face_width = 0;  // jaw width at cheek level
  double ied = 0;         // inter-eye distance
};

// The profile's geometry bands (ratios as in the photo.geometry.* checks); an unset band is not enforced.
struct GeometryBands {
  int out_width = 295;
  int out_height = 413;
  std::optional<Range> head_height;   // (chin - crown) / H
  std::optional<Range> crown_margin;  // crown / H from the top
  std::optional<Range> eye_line;      // eye / H from the top
  std::optional<Range> centring;      // (centre_x - W/2) / W
  std::optional<Range> face_width;    // face width / W
  std::optional<double> min_ied;      // output px
  bool allow_upscale = false;         // CPTA: upscaling a smaller photo is forbidden
  double inset = 0.15;                // aim this share of each band's width inside its ends
};

struct CropPlan {
  bool feasible = false;
  // Crop rectangle in source pixels (may reach beyond the source); aspect = out_width / out_height.
  double x = 0, y = 0, width = 0, height = 0;
  double scale = 0;  // output px per source px
  // Pixels (source scale) the crop reaches beyond each edge; 0 when inside.
  double beyond_top = 0, beyond_bottom = 0, beyond_left = 0, beyond_right = 0;
  // When infeasible: the check ids whose bands cannot be met together, and why.
  std::vector<std::string> conflicting;
  LocalText reason;
  // Predicted measurements of the output (as the checks compute them).
  double head_height = 0, crown_margin = 0, eye_line = 0, centring = 0, face_width = 0, ied = 0;
};

// source_width/height: full-size source dimensions (for the beyond_* figures and the edge preference).
CropPlan plan_crop(const HeadModel& head, const GeometryBands& bands, double source_width, double source_height);

}  // namespace idphoto::fix
