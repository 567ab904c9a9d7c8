#include "face/compact_landmarks.hpp"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace idphoto::face {
namespace {

constexpr char kMagic[8] = {'I', 'D', 'P', 'L', 'M', '6', '8', '\n'};
constexpr std::uint32_t kVersion = 1;
constexpr std::uint32_t kByteOrder = 0x01020304;  // read back as written: a big-endian reader refuses
constexpr std::uint64_t kAlign = 64;

// 64 bytes, then the sections in this order, each starting on a 64-byte boundary: initial shape
// (float[2P]), anchors (u32[C*F]), deltas (float[2*C*F]), splits ({u32,u32,float}[C*T*(2^D-1)]),
// leaves (float[C*T*2^D*2P]). Offsets follow from the counts; docs/models.md.
struct Header {
  char magic[8];
  std::uint32_t version;
  std::uint32_t byte_order;
  std::uint32_t num_points;
  std::uint32_t num_cascades;
  std::uint32_t trees_per_cascade;
  std::uint32_t tree_depth;
  std::uint32_t features_per_cascade;
  std::uint32_t reserved;
  std::uint64_t source_size;
  std::int64_t source_mtime_ns;
  std::uint64_t file_size;
};
static_assert(sizeof(Header) == 64);
static_assert(sizeof(LandmarkModelArrays::Split) == 12);

std::uint64_t align_up(std::uint64_t v) { return (v + kAlign - 1) / kAlign * kAlign; }

struct Layout {
  std::uint64_t initial, anchor, deltas, splits, leaves, end;
  std::uint64_t n_initial, n_anchor, n_deltas, n_splits, n_leaves;  // element counts
};

// Counts are bounded first, so no product below can overflow 64 bits.
std::string check_counts(std::uint32_t P, std::uint32_t C, std::uint32_t T, std::uint32_t D, std::uint32_t F) {
  if (P != 68) return "it has " + std::to_string(P) + " points, the 68-point scheme is required";
  if (C < 1 || C > 64 || T < 1 || T > 4096 || D < 1 || D > 12 || F < 1 || F > 65536)
    return "its cascade sizes are out of range";
  return "";
}

Layout layout_of(std::uint32_t P, std::uint32_t C, std::uint32_t T, std::uint32_t D, std::uint32_t F) {
  Layout l{};
  const std::uint64_t leaves_per_tree = 1ull << D;
  l.n_initial = 2ull * P;
  l.n_anchor = std::uint64_t{C} * F;
  l.n_deltas = 2ull * C * F;
  l.n_splits = std::uint64_t{C} * T * (leaves_per_tree - 1);
  l.n_leaves = std::uint64_t{C} * T * leaves_per_tree * 2 * P;
  l.initial = align_up(sizeof(Header));
  l.anchor = align_up(l.initial + l.n_initial * sizeof(float));
  l.deltas = align_up(l.anchor + l.n_anchor * sizeof(std::uint32_t));
  l.splits = align_up(l.deltas + l.n_deltas * sizeof(float));
  l.leaves = align_up(l.splits + l.n_splits * sizeof(LandmarkModelArrays::Split));
  l.end = l.leaves + l.n_leaves * sizeof(float);
  return l;
}

bool all_finite(const float* p, std::uint64_t n) {
  for (std::uint64_t i = 0; i < n; ++i)
    if (!std::isfinite(p[i])) return false;
  return true;
}

Error corrupt(const std::string& path, const std::string& why) {
  return Error{ErrorCode::model_corrupt, "compact landmark model " + path + " is unusable: " + why +
                                            " (delete it; it is rebuilt from the dlib model)"};
}

}  // namespace

struct CompactLandmarks::Impl {
  LandmarkModelArrays owned;           // from_arrays
  void* map = nullptr;                 // open: the mapped file
  std::size_t map_len = 0;
  std::vector<unsigned char> buffer;   // open, when mmap is unavailable
  std::uint32_t P = 0, C = 0, T = 0, F = 0, S = 0, L = 0;  // points, cascades, trees, features, splits/leaves per tree
  const float* initial = nullptr;
  const std::uint32_t* anchor = nullptr;
  const float* deltas = nullptr;
  const LandmarkModelArrays::Split* splits = nullptr;
  const float* leaves = nullptr;
  std::uint64_t bytes = 0;

  ~Impl() {
    if (map) munmap(map, map_len);
  }

  // The counts the evaluator loops over (splits and leaves per tree follow from the depth).
  void set_counts(std::uint32_t points, std::uint32_t cascades, std::uint32_t trees, std::uint32_t depth,
                  std::uint32_t features) {
    P = points, C = cascades, T = trees, F = features, L = 1u << depth, S = L - 1;
  }

  // Every index the evaluator follows is checked once here, so predict() needs no bounds checks.
  std::string validate() const {
    for (std::uint64_t i = 0; i < std::uint64_t{C} * F; ++i)
      if (anchor[i] >= P) return "a feature anchor is out of range";
    for (std::uint64_t i = 0; i < std::uint64_t{C} * T * S; ++i)
      if (splits[i].idx1 >= F || splits[i].idx2 >= F || std::isnan(splits[i].thresh))
        return "a split refers to a feature out of range";
    if (!all_finite(initial, 2ull * P) || !all_finite(deltas, 2ull * C * F)) return "a coordinate is not finite";
    return "";
  }
};

CompactLandmarks::CompactLandmarks() : impl_(std::make_unique<Impl>()) {}
CompactLandmarks::~CompactLandmarks() = default;

std::uint64_t CompactLandmarks::bytes() const { return impl_->bytes; }
bool CompactLandmarks::mapped() const { return impl_->map != nullptr; }

Result<std::unique_ptr<const CompactLandmarks>> CompactLandmarks::open(const std::string& path,
                                                                       const SourceStamp* expect) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error{ErrorCode::model_missing, "compact landmark model not found: " + path};
  struct stat st{};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < static_cast<off_t>(sizeof(Header))) {
    ::close(fd);
    return corrupt(path, "it is not a regular file of the expected size");
  }
  std::unique_ptr<CompactLandmarks> m(new CompactLandmarks());
  Impl& im = *m->impl_;
  const auto len = static_cast<std::size_t>(st.st_size);
  void* p = mmap(nullptr, len, PROT_READ, MAP_PRIVATE, fd, 0);
  const unsigned char* base = nullptr;
  if (p != MAP_FAILED) {
    im.map = p;
    im.map_len = len;
    base = static_cast<const unsigned char*>(p);
  } else {  // no mmap (some sandboxes): read it
    try {
      im.buffer.resize(len);
    } catch (const std::bad_alloc&) {
      ::close(fd);
      return Error{ErrorCode::internal, "out of memory reading " + path};
    }
    std::size_t got = 0;
    while (got < len) {
      const ssize_t r = ::pread(fd, im.buffer.data() + got, len - got, static_cast<off_t>(got));
      if (r <= 0) break;
      got += static_cast<std::size_t>(r);
    }
    if (got != len) {
      ::close(fd);
      return corrupt(path, "it could not be read");
    }
    base = im.buffer.data();
  }
  ::close(fd);

  Header h{};
  std::memcpy(&h, base, sizeof h);
  if (std::memcmp(h.magic, kMagic, sizeof kMagic) != 0) return corrupt(path, "it is not an idphoto landmark file");
  if (h.byte_order != kByteOrder) return corrupt(path, "it was written with another byte order");
  if (h.version != kVersion) return corrupt(path, "its format version " + std::to_string(h.version) + " is not " +
                                                      std::to_string(kVersion));
  if (auto why = check_counts(h.num_points, h.num_cascades, h.trees_per_cascade, h.tree_depth,
                              h.features_per_cascade);
      !why.empty())
    return corrupt(path, why);
  const Layout l = layout_of(h.num_points, h.num_cascades, h.trees_per_cascade, h.tree_depth, h.features_per_cascade);
  if (h.file_size != l.end || len != l.end) return corrupt(path, "its size does not match its header (truncated?)");
  if (expect && (expect->size != h.source_size || expect->mtime_ns != h.source_mtime_ns))
    return Error{ErrorCode::model_corrupt, "compact landmark model " + path + " was made from another dlib file"};

  im.set_counts(h.num_points, h.num_cascades, h.trees_per_cascade, h.tree_depth, h.features_per_cascade);
  im.initial = reinterpret_cast<const float*>(base + l.initial);
  im.anchor = reinterpret_cast<const std::uint32_t*>(base + l.anchor);
  im.deltas = reinterpret_cast<const float*>(base + l.deltas);
  im.splits = reinterpret_cast<const LandmarkModelArrays::Split*>(base + l.splits);
  im.leaves = reinterpret_cast<const float*>(base + l.leaves);
  im.bytes = len;
  if (auto why = im.validate(); !why.empty()) return corrupt(path, why);
  return std::unique_ptr<const CompactLandmarks>(std::move(m));
}

Result<std::unique_ptr<const CompactLandmarks>> CompactLandmarks::from_arrays(LandmarkModelArrays a) {
  const auto bad = [](const std::string& why) {
    return Error{ErrorCode::model_corrupt, "landmark model: " + why};
  };
  if (auto why = check_counts(a.num_points, a.num_cascades, a.trees_per_cascade, a.tree_depth,
                              a.features_per_cascade);
      !why.empty())
    return bad(why);
  const Layout l = layout_of(a.num_points, a.num_cascades, a.trees_per_cascade, a.tree_depth, a.features_per_cascade);
  if (a.initial_shape.size() != l.n_initial || a.anchor.size() != l.n_anchor || a.deltas.size() != l.n_deltas ||
      a.splits.size() != l.n_splits || a.leaves.size() != l.n_leaves)
    return bad("its arrays do not match its cascade sizes");
  std::unique_ptr<CompactLandmarks> m(new CompactLandmarks());
  Impl& im = *m->impl_;
  im.owned = std::move(a);
  const auto& o = im.owned;
  im.set_counts(o.num_points, o.num_cascades, o.trees_per_cascade, o.tree_depth, o.features_per_cascade);
  im.initial = o.initial_shape.data();
  im.anchor = o.anchor.data();
  im.deltas = o.deltas.data();
  im.splits = o.splits.data();
  im.leaves = o.leaves.data();
  im.bytes = l.end;
  if (auto why = im.validate(); !why.empty()) return bad(why);
  return std::unique_ptr<const CompactLandmarks>(std::move(m));
}

std::string CompactLandmarks::write(const std::string& path, const LandmarkModelArrays& a, const SourceStamp& stamp) {
  if (auto why = check_counts(a.num_points, a.num_cascades, a.trees_per_cascade, a.tree_depth,
                              a.features_per_cascade);
      !why.empty())
    return why;
  const Layout l = layout_of(a.num_points, a.num_cascades, a.trees_per_cascade, a.tree_depth, a.features_per_cascade);
  if (a.initial_shape.size() != l.n_initial || a.anchor.size() != l.n_anchor || a.deltas.size() != l.n_deltas ||
      a.splits.size() != l.n_splits || a.leaves.size() != l.n_leaves)
    return "the arrays do not match the cascade sizes";
  if (!all_finite(a.leaves.data(), a.leaves.size())) return "a shape increment is not finite";

  Header h{};
  std::memcpy(h.magic, kMagic, sizeof kMagic);
  h.version = kVersion;
  h.byte_order = kByteOrder;
  h.num_points = a.num_points;
  h.num_cascades = a.num_cascades;
  h.trees_per_cascade = a.trees_per_cascade;
  h.tree_depth = a.tree_depth;
  h.features_per_cascade = a.features_per_cascade;
  h.source_size = stamp.size;
  h.source_mtime_ns = stamp.mtime_ns;
  h.file_size = l.end;

  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path target(path);
  if (target.has_parent_path()) fs::create_directories(target.parent_path(), ec);
  std::random_device rd;
  const std::string tmp = path + ".tmp" + std::to_string(rd());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return "cannot create " + tmp;
    std::uint64_t at = 0;
    const auto put = [&](std::uint64_t offset, const void* data, std::uint64_t n) {
      static const char zeros[kAlign] = {};
      out.write(zeros, static_cast<std::streamsize>(offset - at));
      out.write(static_cast<const char*>(data), static_cast<std::streamsize>(n));
      at = offset + n;
    };
    put(0, &h, sizeof h);
    put(l.initial, a.initial_shape.data(), l.n_initial * sizeof(float));
    put(l.anchor, a.anchor.data(), l.n_anchor * sizeof(std::uint32_t));
    put(l.deltas, a.deltas.data(), l.n_deltas * sizeof(float));
    put(l.splits, a.splits.data(), l.n_splits * sizeof(LandmarkModelArrays::Split));
    put(l.leaves, a.leaves.data(), l.n_leaves * sizeof(float));
    out.flush();
    if (!out) {
      out.close();
      fs::remove(tmp, ec);
      return "cannot write " + tmp + " (disk full?)";
    }
  }
  fs::rename(tmp, target, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return "cannot rename " + tmp + " to " + path;
  }
  return "";
}

Landmarks68 CompactLandmarks::predict(const cv::Mat& grey, const cv::Rect2f& box) const {
  Landmarks68 pts{};
  if (grey.empty() || grey.type() != CV_8UC1) return pts;
  const Impl& im = *impl_;
  const std::uint32_t P2 = 2 * im.P;
  // dlib's rectangle for the box (inclusive corners) and its "unnormalising" map of the unit square onto it.
  const double left = std::lround(box.x), top = std::lround(box.y);
  const double right = std::lround(box.x + box.width) - 1.0, bottom = std::lround(box.y + box.height) - 1.0;
  const double sx = right - left, sy = bottom - top;
  const int cols = grey.cols, rows = grey.rows;

  std::vector<float> shape(im.initial, im.initial + P2);
  std::vector<float> feat(im.F);
  std::vector<const float*> chosen(im.T);
  for (std::uint32_t c = 0; c < im.C; ++c) {
    // Similarity transform (least squares, Umeyama) from the mean shape to the current one; only its
    // linear part is needed (feature offsets are relative to their anchor point).
    double mfx = 0, mfy = 0, mtx = 0, mty = 0;
    for (std::uint32_t i = 0; i < im.P; ++i) {
      mfx += im.initial[2 * i], mfy += im.initial[2 * i + 1];
      mtx += shape[2 * i], mty += shape[2 * i + 1];
    }
    mfx /= im.P, mfy /= im.P, mtx /= im.P, mty /= im.P;
    double ff = 0, a_num = 0, b_num = 0, ra_num = 0, rb_num = 0, cxx = 0, cxy = 0, cyx = 0, cyy = 0;
    for (std::uint32_t i = 0; i < im.P; ++i) {
      const double fx = im.initial[2 * i] - mfx, fy = im.initial[2 * i + 1] - mfy;
      const double tx = shape[2 * i] - mtx, ty = shape[2 * i + 1] - mty;
      ff += fx * fx + fy * fy;
      a_num += fx * tx + fy * ty;
      b_num += fx * ty - fy * tx;
      ra_num += tx * fx - ty * fy;
      rb_num += tx * fy + ty * fx;
      cxx += tx * fx, cxy += tx * fy, cyx += ty * fx, cyy += ty * fy;
    }
    float m00 = 1, m01 = 0, m10 = 0, m11 = 1;
    if (ff > 0) {
      if (cxx * cyy - cxy * cyx >= 0) {  // rotation and scale
        m00 = static_cast<float>(a_num / ff), m01 = static_cast<float>(-b_num / ff);
        m10 = static_cast<float>(b_num / ff), m11 = static_cast<float>(a_num / ff);
      } else {  // the current shape is mirrored: the best similarity includes a reflection
        m00 = static_cast<float>(ra_num / ff), m01 = static_cast<float>(rb_num / ff);
        m10 = static_cast<float>(rb_num / ff), m11 = static_cast<float>(-ra_num / ff);
      }
    }
    // Grey values at the cascade's feature pixels, placed relative to the current shape (0 outside).
    const std::uint32_t* anchor = im.anchor + std::uint64_t{c} * im.F;
    const float* delta = im.deltas + 2ull * c * im.F;
    for (std::uint32_t i = 0; i < im.F; ++i) {
      const float dx = delta[2 * i], dy = delta[2 * i + 1];
      const float u = m00 * dx + m01 * dy + shape[2 * anchor[i]];
      const float v = m10 * dx + m11 * dy + shape[2 * anchor[i] + 1];
      const double X = left + static_cast<double>(u) * sx, Y = top + static_cast<double>(v) * sy;
      // floor(X + 0.5) inside [0, cols) <=> X in [-0.5, cols - 0.5); NaN fails every comparison.
      if (X >= -0.5 && X < cols - 0.5 && Y >= -0.5 && Y < rows - 0.5) {
        const int px = static_cast<int>(std::floor(X + 0.5)), py = static_cast<int>(std::floor(Y + 0.5));
        feat[i] = grey.ptr<unsigned char>(py)[px];
      } else {
        feat[i] = 0;
      }
    }
    // The cascade's trees: each walks to a leaf by pixel-difference tests and adds the leaf's increment.
    // The walks depend only on the feature values, so all leaves are chosen first (touching only the
    // small split arrays) and then summed in tree order with the next leaves prefetched: the leaves are
    // scattered over 65 MB and would otherwise cost a cache miss each.
    const auto* split = im.splits + std::uint64_t{c} * im.T * im.S;
    const float* leaf = im.leaves + std::uint64_t{c} * im.T * im.L * P2;
    for (std::uint32_t t = 0; t < im.T; ++t, split += im.S, leaf += std::uint64_t{im.L} * P2) {
      std::uint32_t node = 0;
      while (node < im.S) {
        const auto& sp = split[node];
        node = feat[sp.idx1] - feat[sp.idx2] > sp.thresh ? 2 * node + 1 : 2 * node + 2;
      }
      chosen[t] = leaf + std::uint64_t{node - im.S} * P2;
    }
    constexpr std::uint32_t kAhead = 8;
    const std::size_t leaf_bytes = std::size_t{P2} * sizeof(float);
    for (std::uint32_t t = 0; t < im.T; ++t) {
      if (t + kAhead < im.T) {
        const char* next = reinterpret_cast<const char*>(chosen[t + kAhead]);
        for (std::size_t b = 0; b < leaf_bytes; b += 64) __builtin_prefetch(next + b);
      }
      const float* inc = chosen[t];
      float* s = shape.data();
      for (std::uint32_t k = 0; k < P2; ++k) s[k] += inc[k];
    }
  }
  for (std::uint32_t i = 0; i < im.P && i < pts.size(); ++i) {
    const double X = left + static_cast<double>(shape[2 * i]) * sx, Y = top + static_cast<double>(shape[2 * i + 1]) * sy;
    if (!std::isfinite(X) || !std::isfinite(Y)) return Landmarks68{};
    pts[i] = cv::Point2f(static_cast<float>(std::floor(X + 0.5)), static_cast<float>(std::floor(Y + 0.5)));
  }
  return pts;
}

}  // namespace idphoto::face
