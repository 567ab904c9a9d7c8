// The only library translation unit that includes dlib (compile time ~40 s; keep it that way; the AVX2
// detector module, hog_module.cpp, is a separate shared object). dlib serves the
// face detector and reads its landmark model file once, into the compact model (compact_landmarks.hpp).
#include "face/face_models.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <sstream>
#include <system_error>

#include <dlfcn.h>
#include <sys/stat.h>

#include <dlib/image_processing.h>
#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/revision.h>
#include <dlib/serialize.h>

#include "face/hog_module_abi.h"
#include "face/hog_scan.hpp"

namespace idphoto::face {

namespace {

// idphoto-hog-avx2.so (hog_module.cpp), loaded once per process when the CPU has AVX2 and FMA, found
// next to the object holding this code (libidphoto.so, or an executable linking the static archive) or
// in its idphoto/ subdirectory. IDPHOTO_HOG_MODULE=off keeps the baseline detector; =PATH names the file.
struct HogModule {
  std::string path;
  void* (*create)(const char*, size_t) = nullptr;
  int (*detect)(void*, const unsigned char*, long, long, long, double, int, double*, int) = nullptr;
  void (*destroy)(void*) = nullptr;
};

const HogModule* load_hog_module() {
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__EMSCRIPTEN__)
  const char* env = std::getenv("IDPHOTO_HOG_MODULE");
  if (env && std::string_view(env) == "off") return nullptr;
  __builtin_cpu_init();
  if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma")) return nullptr;
  std::vector<std::string> candidates;
  if (env && *env) {
    candidates.emplace_back(env);
  } else {
    Dl_info where{};
    if (dladdr(reinterpret_cast<const void*>(&load_hog_module), &where) != 0 && where.dli_fname) {
      std::error_code ec;
      auto dir = std::filesystem::path(where.dli_fname).parent_path();
      if (auto c = std::filesystem::weakly_canonical(dir, ec); !ec) dir = c;
      candidates.push_back((dir / "idphoto-hog-avx2.so").string());
      candidates.push_back((dir / "idphoto" / "idphoto-hog-avx2.so").string());
    }
  }
  for (const std::string& c : candidates) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(c, ec)) continue;
    void* h = dlopen(c.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!h) continue;
    auto abi = reinterpret_cast<int (*)()>(dlsym(h, "idphoto_hog_abi"));
    HogModule m;
    m.path = c;
    m.create = reinterpret_cast<decltype(m.create)>(dlsym(h, "idphoto_hog_create"));
    m.detect = reinterpret_cast<decltype(m.detect)>(dlsym(h, "idphoto_hog_detect"));
    m.destroy = reinterpret_cast<decltype(m.destroy)>(dlsym(h, "idphoto_hog_destroy"));
    if (!abi || abi() != IDPHOTO_HOG_MODULE_ABI || !m.create || !m.detect || !m.destroy) {
      dlclose(h);
      continue;
    }
    return new HogModule(std::move(m));  // kept for the process (never unloaded: detectors may outlive engines)
  }
#endif
  return nullptr;
}

const HogModule* hog_module() {
  static const HogModule* const m = load_hog_module();
  return m;
}

// One detector of the pool: the module's, or dlib's baseline-compiled one.
struct Detector {
  std::unique_ptr<dlib::frontal_face_detector> dlib_det;
  hog::LevelScan scan;  // dlib_det's scratch (the module keeps its own)
  const HogModule* module = nullptr;
  void* handle = nullptr;
  Detector() = default;
  Detector(const Detector&) = delete;
  Detector& operator=(const Detector&) = delete;
  ~Detector() {
    if (handle) module->destroy(handle);
  }
};

}  // namespace

struct FaceModels::Impl {
  std::string path;
  LoadInfo info;
  std::unique_ptr<const CompactLandmarks> landmarks;  // predict() is const and thread-safe
  dlib::frontal_face_detector prototype;
  const HogModule* module = nullptr;  // set when the module made a detector at load
  std::string serialized;             // the prototype in dlib's serialisation, for the module
  // object_detector keeps scratch buffers inside (not safe concurrently): a mutex-guarded pool of copies,
  // grown on demand, so N threads use at most N copies and an instance owns them (no thread_local leak).
  std::mutex pool_mutex;
  std::vector<std::unique_ptr<Detector>> pool;

  std::unique_ptr<Detector> make() const {
    auto d = std::make_unique<Detector>();
    if (module) {
      d->handle = module->create(serialized.data(), serialized.size());
      if (d->handle) {
        d->module = module;
        return d;
      }
    }
    d->dlib_det = std::make_unique<dlib::frontal_face_detector>(prototype);  // the prototype itself never runs
    return d;
  }
  std::unique_ptr<Detector> acquire() {
    {
      std::lock_guard lock(pool_mutex);
      if (!pool.empty()) {
        auto d = std::move(pool.back());
        pool.pop_back();
        return d;
      }
    }
    return make();
  }
  void release(std::unique_ptr<Detector> d) {
    std::lock_guard lock(pool_mutex);
    pool.push_back(std::move(d));
  }
};

namespace {

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

std::uint64_t fnv1a(const void* data, std::size_t n, std::uint64_t h = 14695981039346656037ull) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 1099511628211ull;
  return h;
}

std::string hex16(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

// Reads the fields of a dlib shape_predictor in the order its serialize() writes them (version,
// initial shape, forests, anchors, deltas) into flat arrays. Throws dlib::serialization_error.
LandmarkModelArrays read_dlib_shape_predictor(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw dlib::serialization_error("cannot open the file");
  int version = 0;
  dlib::deserialize(version, in);
  if (version != 1) throw dlib::serialization_error("not a dlib shape_predictor (version " + std::to_string(version) + ")");
  dlib::matrix<float, 0, 1> initial;
  std::vector<std::vector<dlib::impl::regression_tree>> forests;
  std::vector<std::vector<unsigned long>> anchors;
  std::vector<std::vector<dlib::vector<float, 2>>> deltas;
  dlib::deserialize(initial, in);
  dlib::deserialize(forests, in);
  dlib::deserialize(anchors, in);
  dlib::deserialize(deltas, in);

  LandmarkModelArrays a;
  a.num_points = static_cast<std::uint32_t>(initial.size() / 2);
  a.num_cascades = static_cast<std::uint32_t>(forests.size());
  if (forests.empty() || forests[0].empty() || anchors.size() != forests.size() || deltas.size() != forests.size())
    throw dlib::serialization_error("its cascades are inconsistent");
  a.trees_per_cascade = static_cast<std::uint32_t>(forests[0].size());
  a.features_per_cascade = static_cast<std::uint32_t>(anchors[0].size());
  const std::size_t leaves = forests[0][0].leaf_values.size();
  std::uint32_t depth = 0;
  while ((std::size_t{1} << depth) < leaves) ++depth;
  a.tree_depth = depth;
  if ((std::size_t{1} << depth) != leaves) throw dlib::serialization_error("its trees are not full binary trees");
  a.initial_shape.assign(initial.begin(), initial.end());
  for (std::size_t c = 0; c < forests.size(); ++c) {
    if (forests[c].size() != a.trees_per_cascade || anchors[c].size() != a.features_per_cascade ||
        deltas[c].size() != a.features_per_cascade)
      throw dlib::serialization_error("its cascades differ in size");
    for (const unsigned long idx : anchors[c]) a.anchor.push_back(static_cast<std::uint32_t>(idx));
    for (const auto& d : deltas[c]) {
      a.deltas.push_back(d.x());
      a.deltas.push_back(d.y());
    }
    for (const auto& tree : forests[c]) {
      if (tree.leaf_values.size() != leaves || tree.splits.size() + 1 != leaves)
        throw dlib::serialization_error("its trees differ in depth");
      for (const auto& sp : tree.splits)
        a.splits.push_back({static_cast<std::uint32_t>(sp.idx1), static_cast<std::uint32_t>(sp.idx2), sp.thresh});
      for (const auto& leaf : tree.leaf_values) {
        if (leaf.size() != static_cast<long>(a.initial_shape.size()))
          throw dlib::serialization_error("a leaf has the wrong length");
        a.leaves.insert(a.leaves.end(), leaf.begin(), leaf.end());
      }
    }
  }
  return a;
}

// The detector in dlib's own serialisation behind a small header (magic, payload length, FNV-1a of the
// payload): get_frontal_face_detector() rebuilds it from an embedded compressed string in ~0.5 s,
// while deserialising the 155 KB payload takes ~3 ms.
constexpr char kDetectorMagic[8] = {'I', 'D', 'P', 'F', 'D', '0', '1', '\n'};

bool load_cached_detector(const std::string& path, dlib::frontal_face_detector& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  char magic[8];
  std::uint64_t len = 0, hash = 0;
  if (!in.read(magic, 8) || std::memcmp(magic, kDetectorMagic, 8) != 0) return false;
  if (!in.read(reinterpret_cast<char*>(&len), 8) || !in.read(reinterpret_cast<char*>(&hash), 8)) return false;
  if (len == 0 || len > (64u << 20)) return false;
  std::string payload(len, '\0');
  if (!in.read(payload.data(), static_cast<std::streamsize>(len))) return false;
  if (fnv1a(payload.data(), payload.size()) != hash) return false;  // torn or altered: rebuild
  try {
    std::istringstream s(payload);
    dlib::deserialize(out, s);
  } catch (...) {
    return false;
  }
  return out.num_detectors() > 0;
}

void store_detector(const std::string& path, const dlib::frontal_face_detector& d) {
  std::ostringstream s;
  dlib::serialize(d, s);
  const std::string payload = s.str();
  const std::uint64_t len = payload.size(), hash = fnv1a(payload.data(), payload.size());
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  const std::string tmp = path + ".tmp" + std::to_string(std::random_device{}());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(kDetectorMagic, 8);
    out.write(reinterpret_cast<const char*>(&len), 8);
    out.write(reinterpret_cast<const char*>(&hash), 8);
    out.write(payload.data(), static_cast<std::streamsize>(payload.size()));
    if (!out) {
      out.close();
      std::filesystem::remove(tmp, ec);
      return;
    }
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) std::filesystem::remove(tmp, ec);
}

bool has_compact_magic(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char m[8] = {};
  return in.read(m, 8) && std::memcmp(m, "IDPLM68\n", 8) == 0;
}

}  // namespace

std::string FaceModels::default_cache_dir() {
  if (const char* env = std::getenv("IDPHOTO_CACHE_DIR"); env && *env) {
    if (std::string_view(env) == "off") return "";
    return env;
  }
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return std::string(xdg) + "/idphoto";
  if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.cache/idphoto";
  return "";
}

FaceModels::FaceModels() : impl_(std::make_unique<Impl>()) {}
FaceModels::~FaceModels() = default;

const std::string& FaceModels::landmark_model_path() const { return impl_->path; }
const FaceModels::LoadInfo& FaceModels::load_info() const { return impl_->info; }

Result<std::shared_ptr<const FaceModels>> FaceModels::load(const std::string& landmark_model_path,
                                                           const std::string& cache_dir, bool baseline_detector) {
  const auto t0 = Clock::now();
  const std::string advice = " (install the Debian package libdlib-data or pass --models DIR)";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(landmark_model_path, ec)) {
    return Error{ErrorCode::model_missing, "landmark model not found: " + landmark_model_path + advice};
  }
  std::shared_ptr<FaceModels> m(new FaceModels());
  Impl& im = *m->impl_;
  im.path = landmark_model_path;
  LoadInfo& info = im.info;

  if (has_compact_magic(landmark_model_path)) {  // given a compact file directly
    auto c = CompactLandmarks::open(landmark_model_path);
    if (!c) return c.error();
    im.landmarks = std::move(c.value());
    info.compact_path = landmark_model_path;
    info.compact_state = "given";
  } else {
    // The compact copy in the cache, keyed by the dlib file's absolute path and checked against its
    // size and modification time; made (and written) when missing or stale.
    SourceStamp stamp;
    struct stat st{};
    if (::stat(landmark_model_path.c_str(), &st) == 0) {
      stamp.size = static_cast<std::uint64_t>(st.st_size);
      stamp.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    }
    if (!cache_dir.empty()) {
      const std::string abs = std::filesystem::absolute(landmark_model_path, ec).string();
      const std::string stem = std::filesystem::path(landmark_model_path).stem().string();
      info.compact_path = cache_dir + "/" + stem + "-" + hex16(fnv1a(abs.data(), abs.size())) + ".idlm";
      if (auto c = CompactLandmarks::open(info.compact_path, &stamp)) {
        im.landmarks = std::move(c.value());
        info.compact_state = "cached";
      } else if (c.error().code != ErrorCode::model_missing) {
        info.note = c.error().message;
      }
    }
    if (!im.landmarks) {
      LandmarkModelArrays arrays;
      try {
        arrays = read_dlib_shape_predictor(landmark_model_path);
      } catch (const std::exception& e) {
        return Error{ErrorCode::model_corrupt, "landmark model unreadable: " + landmark_model_path + ": " +
                                                   std::string(e.what()).substr(0, 200) + advice};
      } catch (...) {
        return Error{ErrorCode::model_corrupt, "landmark model unreadable: " + landmark_model_path + advice};
      }
      if (arrays.num_points != 68) {
        return Error{ErrorCode::model_corrupt,
                     "landmark model " + landmark_model_path + " has " + std::to_string(arrays.num_points) +
                         " points, the 68-point iBUG 300-W scheme is required" + advice};
      }
      if (!info.compact_path.empty()) {
        const std::string why = CompactLandmarks::write(info.compact_path, arrays, stamp);
        info.compact_state = why.empty() ? "written" : "not written";
        if (!why.empty()) info.note = "compact landmark model not cached: " + why;
      } else {
        info.compact_state = "no cache";
      }
      auto c = CompactLandmarks::from_arrays(std::move(arrays));
      if (!c) return Error{c.error().code, c.error().message + " (" + landmark_model_path + ")" + advice};
      im.landmarks = std::move(c.value());
    }
  }

  try {
    const std::string det_path = cache_dir.empty() ? std::string()
                                                   : cache_dir + "/frontal_face_detector-dlib" +
                                                         std::to_string(DLIB_MAJOR_VERSION) + "." +
                                                         std::to_string(DLIB_MINOR_VERSION) + ".idfd";
    if (det_path.empty() || !load_cached_detector(det_path, im.prototype)) {
      im.prototype = dlib::get_frontal_face_detector();
      if (!det_path.empty()) store_detector(det_path, im.prototype);
    }
    if (const HogModule* hm = baseline_detector ? nullptr : hog_module()) {
      std::ostringstream ser;
      dlib::serialize(im.prototype, ser);
      im.serialized = ser.str();
      im.module = hm;
    }
    auto first = im.make();
    if (im.module && !first->handle) {  // the module could not read the detector: baseline only
      im.module = nullptr;
      im.serialized.clear();
    }
    info.detector_code = im.module ? "avx2" : "baseline";
    info.detector_module = im.module ? im.module->path : std::string();
    im.pool.push_back(std::move(first));
  } catch (const std::exception& e) {
    return Error{ErrorCode::internal, std::string("face detector initialisation failed: ") + e.what()};
  }
  info.load_ms = ms_since(t0);
  return std::shared_ptr<const FaceModels>(std::move(m));
}

std::vector<Detection> FaceModels::detect(const cv::Mat& grey, double min_relative, int threads) const {
  std::vector<Detection> out;
  if (grey.empty() || grey.type() != CV_8UC1) return out;
  std::vector<dlib::rect_detection> dets;
  std::unique_ptr<Detector> det;
  try {
    det = impl_->acquire();
    if (det->handle) {
      std::vector<double> buf(5 * 16);
      int n = det->module->detect(det->handle, grey.data, grey.rows, grey.cols, static_cast<long>(grey.step[0]),
                                  min_relative, threads, buf.data(), 16);
      if (n > 16) {
        buf.resize(5 * static_cast<size_t>(n));
        n = det->module->detect(det->handle, grey.data, grey.rows, grey.cols, static_cast<long>(grey.step[0]),
                                min_relative, threads, buf.data(), n);
      }
      for (int i = 0; i < n; ++i) {
        const double* o = buf.data() + 5 * i;
        dlib::rect_detection d;
        d.rect = dlib::rectangle(static_cast<long>(o[0]), static_cast<long>(o[1]), static_cast<long>(o[0] + o[2] - 1),
                                 static_cast<long>(o[1] + o[3] - 1));
        d.detection_confidence = o[4];
        dets.push_back(d);
      }
    } else {
      dets = hog::detect_down_to(*det->dlib_det,
                                 hog::GreyRows{grey.data, grey.rows, grey.cols, static_cast<long>(grey.step[0])},
                                 det->scan, min_relative, threads);
    }
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
  try {
    return impl_->landmarks->predict(grey, box);
  } catch (...) {
    return Landmarks68{};
  }
}

}  // namespace idphoto::face
