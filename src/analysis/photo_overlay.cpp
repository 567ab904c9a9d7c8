#include <opencv2/imgproc.hpp>

#include "analysis/analysis.hpp"
#include "analysis/appearance.hpp"
#include "core/engine_impl.hpp"
#include "idphoto/idphoto.hpp"
#include "io/decode.hpp"

namespace idphoto {

Result<PhotoOverlay> PhotoOverlay::of(const Engine& engine, std::span<const std::uint8_t> bytes) {
  auto decoded = io::decode(bytes, engine.options().limits, analysis::decode_options());  // as check_photo
  if (!decoded) return decoded.error();
  try {
    analysis::Analysis a(std::move(decoded.value()), engine.impl().models);
    PhotoOverlay o;
    o.width = a.width();
    o.height = a.height();
    const double inv = 1.0 / a.image().scale;  // decoded → full size
    auto region = [&](const char* name, const cv::Rect& r) {
      if (r.area() > 0)
        o.regions.push_back({name, cvRound(r.x * inv), cvRound(r.y * inv), cvRound(r.width * inv),
                             cvRound(r.height * inv)});
    };
    if (const analysis::Head* h = a.head()) {
      for (const auto& p : h->landmarks) o.landmarks.emplace_back(p.x, p.y);
      o.left_eye = std::make_pair(static_cast<double>(h->left_eye.x), static_cast<double>(h->left_eye.y));
      o.right_eye = std::make_pair(static_cast<double>(h->right_eye.x), static_cast<double>(h->right_eye.y));
      o.crown_y = h->crown_y;
      o.chin_y = h->chin_y;
      const auto& ap = a.appearance();
      region("face", cv::boundingRect(ap.face_polygon));
      region("eye_left", ap.eye_left_region);
      region("eye_right", ap.eye_right_region);
      region("cheek_left", ap.cheek_left);
      region("cheek_right", ap.cheek_right);
      region("mouth", ap.mouth_region);
      region("clothing", ap.clothing_region);
      region("forehead", ap.forehead_region);
    }
    const cv::Mat& mask = a.background_mask();
    if (!mask.empty()) {
      std::vector<std::vector<cv::Point>> contours;
      cv::findContours(mask.clone(), contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
      for (const auto& c : contours) {
        if (c.size() < 3) continue;
        std::vector<std::pair<int, int>> out;
        for (const auto& p : c) out.emplace_back(cvRound(p.x * inv), cvRound(p.y * inv));
        o.background_outline.push_back(std::move(out));
      }
    }
    return o;
  } catch (const std::exception& e) {
    return Error{ErrorCode::internal, std::string("analysis failed: ") + e.what()};
  }
}

}  // namespace idphoto
