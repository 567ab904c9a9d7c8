// The face models: dlib's HOG frontal face detector and a 68-point shape predictor (iBUG 300-W scheme).
// This header includes no dlib; face_models.cpp is the only translation unit that does.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "face/compact_landmarks.hpp"
#include "idphoto/idphoto.hpp"

namespace idphoto::face {

struct Detection {
  cv::Rect2f box;      // in the coordinates of the image passed to detect()
  double score = 0.0;  // detector confidence
};

class FaceModels {
 public:
  // path: a dlib shape_predictor file with the 68-point scheme, or a compact file (compact_landmarks.hpp).
  // Missing → model_missing, unreadable or wrong scheme → model_corrupt; messages name the path and the
  // Debian package (libdlib-data). With a cache_dir, a dlib file is served from its compact copy there
  // (made and written on first use, ~1.5 s; later loads map it in milliseconds) and the face detector
  // from its serialised copy; a cache that cannot be written only costs time. "" = no cache.
  // The detector runs from idphoto-hog-avx2.so when the CPU has AVX2 + FMA and the module is found
  // (LoadInfo::detector_code); baseline_detector forces dlib's baseline build (tests compare the two).
  static Result<std::shared_ptr<const FaceModels>> load(const std::string& landmark_model_path,
                                                        const std::string& cache_dir = default_cache_dir(),
                                                        bool baseline_detector = false);
  // $IDPHOTO_CACHE_DIR ("off" = none), else $XDG_CACHE_HOME/idphoto, else $HOME/.cache/idphoto, else "".
  static std::string default_cache_dir();
  ~FaceModels();

  // Frontal faces in an 8-bit grey image, largest first. Thread-safe. Every face dlib's detector finds
  // when min_relative is 0; otherwise the faces at least min_relative times as wide as the widest, exactly
  // as dlib finds them, while smaller ones may be missing — the pyramid levels that hold only those are
  // skipped, the largest share of the work when the faces are large (face/hog_scan.hpp). threads >= 2: a
  // second thread scans every other pyramid level ahead; the faces found are the same.
  std::vector<Detection> detect(const cv::Mat& grey, double min_relative = 0, int threads = 1) const;
  // 68 landmarks inside box (grey image coordinates). Thread-safe.
  Landmarks68 landmarks(const cv::Mat& grey, const cv::Rect2f& box) const;

  const std::string& landmark_model_path() const;

  struct LoadInfo {
    std::string compact_path;   // the compact landmark file used or meant ("" without a cache)
    std::string compact_state;  // given | cached | written | not written | no cache
    std::string note;           // why a cached file was not used or not written ("" when fine)
    double load_ms = 0;         // wall time of load()
    std::string detector_code;  // "avx2" (idphoto-hog-avx2.so, hog_module.cpp) or "baseline"
    std::string detector_module;  // the module's path when it is used
  };
  const LoadInfo& load_info() const;

  struct Impl;

 private:
  FaceModels();
  std::unique_ptr<Impl> impl_;
};

}  // namespace idphoto::face
