// The engine every engine-level fuzz target shares: created once, pixel limit lowered so that
// detection stays fast per execution. Aborts without the landmark model (libdlib-data).
#pragma once

#include <cstdlib>

#include "idphoto/idphoto.hpp"

namespace idphoto::fuzz {

inline const Engine& engine() {
  static const Engine e = [] {
    EngineOptions o;
    o.limits.max_pixels = 2'000'000;
    auto r = Engine::create(o);
    if (!r) std::abort();
    return r.value();
  }();
  return e;
}

}  // namespace idphoto::fuzz
