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

}  // namespace idphoto
