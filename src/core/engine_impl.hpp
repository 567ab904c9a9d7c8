#pragma once

#include <memory>

#include "face/face_models.hpp"
#include "idphoto/idphoto.hpp"

namespace idphoto {

struct EngineImpl {
  EngineOptions options;
  std::string landmark_model_path;
  std::shared_ptr<const face::FaceModels> models;
};

// Engine::check_photo with the threads one call may use given here rather than by the engine's options
// (fix re-checks its output on one thread while its second thread still judges the source). The report is
// the same for any count.
Report check_photo_on(const EngineImpl& engine, std::span<const std::uint8_t> bytes, const Profile& profile,
                      std::string_view input_name, int threads);

}  // namespace idphoto
