// Shared by the benchmark mains: say which build of the face detector runs (docs/decisions/0006), so
// that figures are read against the right code. IDPHOTO_HOG_MODULE=off measures dlib's baseline build.
#pragma once

#include <cstdio>

#include "idphoto/idphoto.hpp"

inline void bench_detector(const idphoto::Engine& engine) {
  for (const idphoto::ModelInfo& m : engine.models())
    if (m.name.find("HOG") != std::string::npos)
      std::fprintf(stderr, "detector: %s, %s\n", m.name.c_str(), m.path.c_str());
}
