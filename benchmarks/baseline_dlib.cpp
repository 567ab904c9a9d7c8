#include "baseline_dlib.hpp"

#include <dlib/image_io.h>
#include <dlib/image_processing.h>
#include <dlib/image_processing/frontal_face_detector.h>

namespace idphoto::bench {

struct DlibBaseline::Impl {
  mutable dlib::frontal_face_detector detector = dlib::get_frontal_face_detector();
  dlib::shape_predictor predictor;
};

DlibBaseline::DlibBaseline(const std::string& landmark_model_path) : impl_(std::make_unique<Impl>()) {
  dlib::deserialize(landmark_model_path) >> impl_->predictor;
}

DlibBaseline::~DlibBaseline() = default;

int DlibBaseline::run(const std::string& image_path) const {
  dlib::array2d<dlib::rgb_pixel> img;
  dlib::load_image(img, image_path);
  std::vector<dlib::rectangle> faces = impl_->detector(img);
  if (faces.empty()) return 0;
  auto largest = *std::max_element(faces.begin(), faces.end(),
                                   [](auto& a, auto& b) { return a.area() < b.area(); });
  dlib::full_object_detection shape = impl_->predictor(img, largest);
  volatile long sink = shape.part(30).x();  // keep the landmark work observable
  (void)sink;
  return static_cast<int>(faces.size());
}

}  // namespace idphoto::bench
