// Loading, validating and merging profile JSON (DESIGN.md rule 2). Profile (idphoto.hpp) wraps
// this.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "idphoto/idphoto.hpp"
#include "profiles/profile_data.hpp"

namespace idphoto::profiles {

struct EmbeddedProfile {
  std::string_view id;
  std::string_view json;
};
// The src/profiles/*.json files, embedded at build time (generated builtin_profiles.cpp), in
// listing order.
std::span<const EmbeddedProfile> embedded_profiles();

inline constexpr std::size_t kMaxProfileBytes =
    1024 * 1024;                             // larger text is refused before parsing
inline constexpr int kMaxProfileDepth = 32;  // deeper {[ nesting is refused before parsing
inline constexpr int kMaxExtendsChain = 16;

// Text of the profile a child "extends", by id; nullopt when unknown.
using ParentLookup = std::function<std::optional<std::string>(std::string_view id)>;

// Parses, validates (errors are bad_profile and name the field) and merges the "extends" chain.
Result<std::shared_ptr<const ProfileData>> load_profile(std::string_view json_text,
                                                        const ParentLookup& lookup);

// Lookup over the embedded profiles.
ParentLookup builtin_lookup();

}  // namespace idphoto::profiles
