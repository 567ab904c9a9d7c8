// The only translation unit that includes dlib (compile time ~40 s; keep it that way).
#include "face/face_models.hpp"

#include <algorithm>
#include <filesystem>
#include <mutex>
#include <system_error>

#include <dlib/image_processing.h>
#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/serialize.h>

namespace idphoto::face {
namespace {

// A read-only dlib generic-image view over an 8-bit grey cv::Mat: no copy (dlib reads rows via width_step).
struct GreyView {
  const cv::Mat* mat = nullptr;
};
long num_rows(const GreyView& v) { return v.mat->rows; }
long num_columns(const GreyView& v) { return v.mat->cols; }
long width_step(const GreyView& v) { return static_cast<long>(v.mat->step[0]); }
const void* image_data(const GreyView& v) { return v.mat->data; }

}  // namespace
}  // namespace idphoto::face

namespace dlib {
template <>
struct image_traits<idphoto::face::GreyView> {
  using pixel_type = unsigned char;
};
}  // namespace dlib

namespace idphoto::face {

struct FaceModels::Impl {
  std::string path;
  dlib::shape_predictor predictor;  // operator() is const and touches no shared state: thread-safe
  dlib::frontal_face_detector prototype;
  // object_detector keeps scratch buffers inside (not safe concurrently): a mutex-guarded pool of copies,
  // grown on demand, so N threads use at most N copies and an instance owns them (no thread_local leak).
  std::mutex pool_mutex;
  std::vector<std::unique_ptr<dlib::frontal_face_detector>> pool;

  std::unique_ptr<dlib::frontal_face_detector> acquire() {
    std::lock_guard lock(pool_mutex);
    if (!pool.empty()) {
      auto d = std::move(pool.back());
      pool.pop_back();
      return d;
    }
    return std::make_unique<dlib::frontal_face_detector>(prototype);  // the prototype itself never runs
  }
  void release(std::unique_ptr<dlib::frontal_face_detector> d) {
    std::lock_guard lock(pool_mutex);
    pool.push_back(std::move(d));
  }
};

FaceModels::FaceModels() : impl_(std::make_unique<Impl>()) {}
FaceModels::~FaceModels() = default;

const std::string& FaceModels::landmark_model_path() const { return impl_->path; }

Result<std::shared_ptr<const FaceModels>> FaceModels::load(const std::string& landmark_model_path) {
  const std::string advice = " (install the Debian package libdlib-data or pass --models DIR)";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(landmark_model_path, ec)) {
    return Error{ErrorCode::model_missing, "landmark model not found: " + landmark_model_path + advice};
  }
  std::shared_ptr<FaceModels> m(new FaceModels());
  m->impl_->path = landmark_model_path;
  try {
    dlib::deserialize(landmark_model_path) >> m->impl_->predictor;
  } catch (const std::exception& e) {
    return Error{ErrorCode::model_corrupt, "landmark model unreadable: " + landmark_model_path + ": " +
                                               std::string(e.what()).substr(0, 200) + advice};
  } catch (...) {
    return Error{ErrorCode::model_corrupt, "landmark model unreadable: " + landmark_model_path + advice};
  }
  if (m->impl_->predictor.num_parts() != 68) {
    return Error{ErrorCode::model_corrupt,
                 "landmark model " + landmark_model_path + " has " +
                     std::to_string(m->impl_->predictor.num_parts()) +
                     " points, the 68-point iBUG 300-W scheme is required" + advice};
  }
  try {
    m->impl_->prototype = dlib::get_frontal_face_detector();
    m->impl_->pool.push_back(std::make_unique<dlib::frontal_face_detector>(m->impl_->prototype));
  } catch (const std::exception& e) {
    return Error{ErrorCode::internal, std::string("face detector initialisation failed: ") + e.what()};
  }
  return std::shared_ptr<const FaceModels>(std::move(m));
}

std::vector<Detection> FaceModels::detect(const cv::Mat& grey) const {
  std::vector<Detection> out;
  if (grey.empty() || grey.type() != CV_8UC1) return out;
  GreyView view{&grey};
  std::vector<dlib::rect_detection> dets;
  std::unique_ptr<dlib::frontal_face_detector> det;
  try {
    det = impl_->acquire();
    (*det)(view, dets, 0.0);
  } catch (...) {
    dets.clear();
  }
  if (det) {
    try {
      impl_->release(std::move(det));
    } catch (...) {  // out of memory growing the pool: the copy is simply dropped
    }
  }
  out.reserve(dets.size());
  for (const auto& d : dets) {
    const auto& r = d.rect;
    out.push_back({cv::Rect2f(static_cast<float>(r.left()), static_cast<float>(r.top()),
                              static_cast<float>(r.width()), static_cast<float>(r.height())),
                   d.detection_confidence});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Detection& a, const Detection& b) { return a.box.area() > b.box.area(); });
  return out;
}

Landmarks68 FaceModels::landmarks(const cv::Mat& grey, const cv::Rect2f& box) const {
  Landmarks68 pts{};
  if (grey.empty() || grey.type() != CV_8UC1) return pts;
  GreyView view{&grey};
  const dlib::rectangle rect(std::lround(box.x), std::lround(box.y), std::lround(box.x + box.width) - 1,
                             std::lround(box.y + box.height) - 1);
  try {
    const dlib::full_object_detection shape = impl_->predictor(view, rect);
    for (unsigned long i = 0; i < 68 && i < shape.num_parts(); ++i) {
      pts[i] = cv::Point2f(static_cast<float>(shape.part(i).x()), static_cast<float>(shape.part(i).y()));
    }
  } catch (...) {
    pts = {};
  }
  return pts;
}

}  // namespace idphoto::face
