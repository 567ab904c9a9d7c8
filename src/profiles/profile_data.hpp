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

}  // namespace idphoto
