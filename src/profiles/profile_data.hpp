// The validated, merged form of a profile (extends resolved).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "checks/check.hpp"
#include "idphoto/idphoto.hpp"

namespace idphoto {

struct ProfileData {
  std::string id;
  std::string kind;  // "photo" | "signature"
  LocalText title;
  nlohmann::json merged;  // whole profile after "extends"
  // Enabled checks in registry order, each with its parameters.
  std::vector<std::pair<const checks::CheckDef*, checks::Params>> checks;
};

// The narrowest face that photo.face.count counts, as a share of the largest face's width (its
// min_relative_width, at most 0.5 — the share the check's default counts; 0.5 when the profile has
// no such check): how far down analysis::Analysis has to look for faces.
double faces_down_to(const ProfileData& d);

}  // namespace idphoto
