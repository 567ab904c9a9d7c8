// The 68-point landmark model in the project's own flat file (".idlm"), memory-mapped, and its evaluator.
//
// dlib's shape_predictor_68_face_landmarks.dat deserialises in ~1.4 s (every float is stored as a
// variable-length mantissa/exponent pair and every leaf is its own heap vector). The same cascade of
// regression trees (Kazemi & Sullivan 2014) written as flat little-endian arrays maps in well under a
// millisecond and is shared between processes through the page cache. The file is derived from the
// dlib model, so the model's terms (iBUG 300-W: non-commercial research use) carry over: it is made at
// set-up or first use in the user's cache, never committed. docs/models.md describes the layout.
//
// No dlib here: face_models.cpp reads the dlib file and calls write().
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "idphoto/idphoto.hpp"

namespace idphoto::face {

using Landmarks68 = std::array<cv::Point2f, 68>;

// Where a loaded model's numbers live: the fields of a dlib shape_predictor, flattened.
struct LandmarkModelArrays {
  std::uint32_t num_points = 0;      // 68
  std::uint32_t num_cascades = 0;    // 15 in dlib's model
  std::uint32_t trees_per_cascade = 0;
  std::uint32_t tree_depth = 0;      // splits per tree = 2^depth - 1, leaves = 2^depth
  std::uint32_t features_per_cascade = 0;
  std::vector<float> initial_shape;  // 2 * num_points, x0 y0 x1 y1 ... in the unit face box
  std::vector<std::uint32_t> anchor;  // [cascade][feature]: the shape point a feature pixel hangs on
  std::vector<float> deltas;          // [cascade][feature][2]: its offset from that point
  struct Split {
    std::uint32_t idx1, idx2;  // feature pixels compared
    float thresh;              // go left when value[idx1] - value[idx2] > thresh
  };
  std::vector<Split> splits;  // [cascade][tree][node], breadth-first (children of i: 2i+1, 2i+2)
  std::vector<float> leaves;  // [cascade][tree][leaf][2 * num_points]: shape increments
};

// Identifies the dlib file a compact file was made from (a changed source invalidates the cache).
struct SourceStamp {
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
};

class CompactLandmarks {
 public:
  // Maps a compact file. Refuses (model_corrupt, saying why) a wrong magic, version, byte order or
  // size, any index out of range, or a stamp that differs from `expect` when it is given.
  static Result<std::unique_ptr<const CompactLandmarks>> open(const std::string& path,
                                                              const SourceStamp* expect = nullptr);
  // Evaluates from arrays already in memory (e.g. just converted).
  static Result<std::unique_ptr<const CompactLandmarks>> from_arrays(LandmarkModelArrays arrays);
  // Writes arrays as a compact file: to a temporary name beside `path`, then renamed (readers never see
  // a partial file). Returns an empty string, or why it could not write.
  static std::string write(const std::string& path, const LandmarkModelArrays& arrays, const SourceStamp& stamp);

  ~CompactLandmarks();
  CompactLandmarks(const CompactLandmarks&) = delete;
  CompactLandmarks& operator=(const CompactLandmarks&) = delete;

  // 68 landmarks for the face in `box` (image coordinates) of an 8-bit grey image; the same points
  // as dlib's shape_predictor gives for the same model (integer positions, as dlib returns them).
  // Thread-safe (no shared mutable state).
  Landmarks68 predict(const cv::Mat& grey, const cv::Rect2f& box) const;

  std::uint64_t bytes() const;  // size of the mapped file or of the arrays
  bool mapped() const;          // served from a memory map

  struct Impl;

 private:
  CompactLandmarks();
  std::unique_ptr<Impl> impl_;
};

}  // namespace idphoto::face
