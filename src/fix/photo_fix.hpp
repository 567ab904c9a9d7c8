// The photo fix pipeline: scaled decode → analysis → refusals → roll → crop plan → render → background →
// encode into the KB window → re-check (issue 4).
#pragma once

#include <functional>
#include <span>
#include <string_view>

#include <opencv2/core.hpp>

#include "core/engine_impl.hpp"
#include "idphoto/idphoto.hpp"

namespace idphoto::fix {

// The output's check as Engine::check_photo gives it, on at most `threads` threads.
using Recheck = std::function<Report(std::span<const std::uint8_t> bytes, std::string_view name, int threads)>;

FixResult run_photo_fix(const EngineImpl& engine, std::span<const std::uint8_t> bytes, const Profile& profile,
                        const FixOptions& options, std::string_view input_name, const Recheck& recheck);

// "keep" → none; a name of the profile's background_colours (or white/blue/red per CONTRACTS.md) or #rrggbb →
// the colour as BGR; anything else → invalid_argument.
Result<std::optional<cv::Scalar>> parse_background(std::string_view spec, const Profile& profile);

}  // namespace idphoto::fix
