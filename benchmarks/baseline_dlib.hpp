// The path a user would write by hand with dlib's documented calls: decode the whole image
// (dlib::load_image), HOG over the full image, 68 landmarks on the largest face.
#pragma once

#include <memory>
#include <string>

namespace idphoto::bench {

class DlibBaseline {
 public:
  explicit DlibBaseline(const std::string& landmark_model_path);  // deserialises the model (dlib::deserialize)
  ~DlibBaseline();
  // Returns the number of faces found; landmarks are computed for the largest.
  int run(const std::string& image_path) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace idphoto::bench
