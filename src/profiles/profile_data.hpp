// The validated, merged form of a profile (extends resolved).
#pragma once

#include <string>
#include <string_view>
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

// The file formats ("jpeg", "png") that the profile's format check (photo.file.format or
// signature.file.format) allows, in the profile's order; empty when the check is off or lists none.
std::vector<std::string> allowed_formats(const ProfileData& d);

// The format fix and signature clean write: `requested` when given, else JPEG when the profile allows
// it (or lists nothing), else the profile's first allowed format. invalid_argument when it is neither JPEG nor PNG, or when it was requested and
// the profile does not allow it ("profile 'cn-1inch' accepts jpeg, not png: ...").
Result<std::string> output_format(const ProfileData& d, const std::string& requested, std::string_view tool);

}  // namespace idphoto
