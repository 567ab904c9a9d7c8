#include "checks/check.hpp"

// One line per check, in report order (DESIGN.md rule 1).
#define IDPHOTO_CHECKS(X)  \
  X(file_format)           \
  X(file_size)             \
  X(image_dimensions)      \
  X(image_dpi)             \
  X(image_colour)          \
  X(face_count)            \
  X(face_pose_yaw)         \
  X(face_pose_pitch)       \
  X(face_pose_roll)        \
  X(face_ied)              \
  X(geometry_head_height)  \
  X(geometry_crown_margin) \
  X(geometry_eye_line)     \
  X(geometry_centring)     \
  X(geometry_face_width)   \
  X(face_eyes_open)        \
  X(face_mouth_closed)     \
  X(background_colour)     \
  X(background_uniformity) \
  X(background_shadow)     \
  X(light_exposure)        \
  X(light_uniformity)      \
  X(image_sharpness)       \
  X(image_colour_cast)     \
  X(image_compression)     \
  X(clothing_contrast)     \
  X(face_glasses_glare)    \
  X(face_headwear)         \
  X(face_occlusion)

// Signature checks (run_signature), after the photo checks.
#define IDPHOTO_SIGNATURE_CHECKS(X) \
  X(sig_file_format)                \
  X(sig_file_size)                  \
  X(sig_image_dimensions)           \
  X(sig_ink_present)                \
  X(sig_ink_contrast)               \
  X(sig_ink_stroke_width)           \
  X(sig_ink_colour)                 \
  X(sig_layout_centring)            \
  X(sig_layout_margins)             \
  X(sig_layout_aspect)              \
  X(sig_background_clean)           \
  X(sig_noise)

namespace idphoto::checks {

#define IDPHOTO_DECLARE(name) extern const CheckDef check_##name;
IDPHOTO_CHECKS(IDPHOTO_DECLARE)
IDPHOTO_SIGNATURE_CHECKS(IDPHOTO_DECLARE)
#undef IDPHOTO_DECLARE

const std::vector<const CheckDef*>& registry() {
#define IDPHOTO_ENTRY(name) &check_##name,
  static const std::vector<const CheckDef*> all = {
      IDPHOTO_CHECKS(IDPHOTO_ENTRY) IDPHOTO_SIGNATURE_CHECKS(IDPHOTO_ENTRY)};
#undef IDPHOTO_ENTRY
  return all;
}

const CheckDef* find_check(std::string_view id) {
  for (const CheckDef* c : registry())
    if (c->id == id) return c;
  return nullptr;
}

}  // namespace idphoto::checks

namespace idphoto {

std::vector<CheckInfo> list_checks() {
  std::vector<CheckInfo> out;
  for (const checks::CheckDef* c : checks::registry())
    out.push_back({std::string(c->id),
                   std::string(c->kind),
                   {std::string(c->title_zh), std::string(c->title_en)},
                   std::string(c->clause)});
  return out;
}

}  // namespace idphoto
