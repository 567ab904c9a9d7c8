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
  X(geometry_face_width)

namespace idphoto::checks {

#define IDPHOTO_DECLARE(name) extern const CheckDef check_##name;
IDPHOTO_CHECKS(IDPHOTO_DECLARE)
#undef IDPHOTO_DECLARE

const std::vector<const CheckDef*>& registry() {
#define IDPHOTO_ENTRY(name) &check_##name,
  static const std::vector<const CheckDef*> all = {IDPHOTO_CHECKS(IDPHOTO_ENTRY)};
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
