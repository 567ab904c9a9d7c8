// idphoto-hog-avx2.so: dlib's HOG face detector compiled with -mavx2 -mfma (dlib's SIMD paths switch on
// from the compiler's macros), behind hog_module_abi.h. Built as a module with hidden visibility and
// -Bsymbolic, so its dlib template instances never mix with the baseline ones in libidphoto (which
// runs everywhere); face_models.cpp loads it only on a CPU with AVX2 and FMA. docs/performance.md.
#include <exception>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <dlib/serialize.h>

#include "face/hog_module_abi.h"
#include "face/hog_scan.hpp"

namespace {
// A detector and its scratch (one thread at a time).
struct Handle {
  dlib::frontal_face_detector det;
  idphoto::face::hog::LevelScan scan;
};
}  // namespace

#define IDPHOTO_HOG_EXPORT extern "C" __attribute__((visibility("default")))

IDPHOTO_HOG_EXPORT int idphoto_hog_abi(void) { return IDPHOTO_HOG_MODULE_ABI; }

IDPHOTO_HOG_EXPORT void* idphoto_hog_create(const char* serialized, size_t bytes) {
  try {
    auto h = std::make_unique<Handle>();
    std::istringstream in(std::string(serialized, bytes));
    dlib::deserialize(h->det, in);
    if (h->det.num_detectors() == 0) return nullptr;
    return h.release();
  } catch (...) {
    return nullptr;
  }
}

IDPHOTO_HOG_EXPORT int idphoto_hog_detect(void* detector, const unsigned char* grey, long rows, long cols, long step,
                                         double min_relative, int threads, double* out, int max) {
  if (!detector || !grey || rows <= 0 || cols <= 0) return -1;
  try {
    auto& h = *static_cast<Handle*>(detector);
    const std::vector<dlib::rect_detection> dets = idphoto::face::hog::detect_down_to(
        h.det, idphoto::face::hog::GreyRows{grey, rows, cols, step}, h.scan, min_relative, threads);
    const int n = static_cast<int>(dets.size());
    for (int i = 0; i < n && i < max; ++i) {
      const auto& r = dets[static_cast<size_t>(i)].rect;
      double* o = out + 5 * i;
      o[0] = static_cast<double>(r.left());
      o[1] = static_cast<double>(r.top());
      o[2] = static_cast<double>(r.width());
      o[3] = static_cast<double>(r.height());
      o[4] = dets[static_cast<size_t>(i)].detection_confidence;
    }
    return n;
  } catch (...) {
    return -1;
  }
}

IDPHOTO_HOG_EXPORT void idphoto_hog_destroy(void* detector) {
  delete static_cast<Handle*>(detector);
}
