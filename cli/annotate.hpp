// `check --annotate OUT.png`: the photo with what the audit measured and where each failure is.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <opencv2/core.hpp>

#include "idphoto/idphoto.hpp"

namespace idphoto::cli {

// Draws landmarks, eye line, crown and chin lines, the profile's allowed bands, the background mask
// outline and a labelled mark for each failing finding onto a copy of bgr (the photo as oriented).
// The canvas is enlarged to at least 600 px wide so that labels stay legible.
cv::Mat draw_annotation(const cv::Mat& bgr, const PhotoOverlay& overlay, const Report& report, const Profile& profile);

// What needs the codec module (codecs.hpp) for an annotation: decoding the photo and writing the PNG.
inline constexpr std::string_view kAnnotatePurpose = "writing the annotation (--annotate)";

// Decodes bytes (EXIF orientation applied), draws, writes PNG. Returns an error message or "".
std::string write_annotation(const std::vector<std::uint8_t>& bytes, const Engine& engine, const Report& report,
                             const Profile& profile, const std::string& out_path);

}  // namespace idphoto::cli
