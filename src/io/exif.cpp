#include "io/exif.hpp"

#include <cstring>

namespace idphoto::io {
namespace {

class TiffReader {
 public:
  TiffReader(std::span<const std::uint8_t> d, bool little) : d_(d), le_(little) {}
  bool u16(std::size_t off, std::uint32_t& v) const {
    if (off > d_.size() || d_.size() - off < 2) return false;
    v = le_ ? (d_[off] | d_[off + 1] << 8) : (d_[off] << 8 | d_[off + 1]);
    return true;
  }
  bool u32(std::size_t off, std::uint32_t& v) const {
    if (off > d_.size() || d_.size() - off < 4) return false;
    const std::uint32_t b0 = d_[off], b1 = d_[off + 1], b2 = d_[off + 2], b3 = d_[off + 3];
    v = le_ ? (b0 | b1 << 8 | b2 << 16 | b3 << 24) : (b0 << 24 | b1 << 16 | b2 << 8 | b3);
    return true;
  }
  std::size_t size() const { return d_.size(); }

 private:
  std::span<const std::uint8_t> d_;
  bool le_;
};

constexpr std::uint32_t kShort = 3, kLong = 4, kRational = 5;

// A SHORT or LONG scalar stored inline in the entry.
std::optional<std::uint32_t> scalar(const TiffReader& r, std::size_t entry, std::uint32_t type,
                                    std::uint32_t count) {
  if (count < 1) return std::nullopt;
  std::uint32_t v = 0;
  if (type == kShort && r.u16(entry + 8, v)) return v;
  if (type == kLong && r.u32(entry + 8, v)) return v;
  return std::nullopt;
}

std::optional<double> rational(const TiffReader& r, std::size_t entry, std::uint32_t type,
                               std::uint32_t count) {
  if (count < 1) return std::nullopt;
  if (type != kRational) {
    auto s = scalar(r, entry, type, count);
    return s ? std::optional<double>(*s) : std::nullopt;
  }
  std::uint32_t off = 0, num = 0, den = 0;
  if (!r.u32(entry + 8, off) || !r.u32(off, num) || !r.u32(std::size_t{off} + 4, den) || den == 0) {
    return std::nullopt;
  }
  return static_cast<double>(num) / den;
}

}  // namespace

std::optional<std::array<double, 2>> ExifInfo::dpi() const {
  if (!x_resolution || !y_resolution || *x_resolution <= 0 || *y_resolution <= 0) return std::nullopt;
  if (resolution_unit != 2 && resolution_unit != 3) return std::nullopt;
  const double k = resolution_unit == 3 ? 2.54 : 1.0;
  return std::array<double, 2>{*x_resolution * k, *y_resolution * k};
}

std::optional<ExifInfo> parse_exif(std::span<const std::uint8_t> payload) {
  if (payload.size() >= 6 && std::memcmp(payload.data(), "Exif\0\0", 6) == 0)
    payload = payload.subspan(6);
  if (payload.size() < 8) return std::nullopt;
  bool little = false;
  if (payload[0] == 'I' && payload[1] == 'I' && payload[2] == 42 && payload[3] == 0) {
    little = true;
  } else if (!(payload[0] == 'M' && payload[1] == 'M' && payload[2] == 0 && payload[3] == 42)) {
    return std::nullopt;
  }
  const TiffReader r(payload, little);
  ExifInfo info;
  std::uint32_t ifd = 0;
  if (!r.u32(4, ifd)) return info;
  std::uint32_t n = 0;
  if (ifd < 8 || !r.u16(ifd, n)) return info;
  // Only the entries that fit in the buffer are read, so a huge count costs nothing.
  const std::size_t fit = (r.size() - ifd - 2) / 12;
  if (n > fit) n = static_cast<std::uint32_t>(fit);
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::size_t e = std::size_t{ifd} + 2 + std::size_t{i} * 12;
    std::uint32_t tag = 0, type = 0, count = 0;
    if (!r.u16(e, tag) || !r.u16(e + 2, type) || !r.u32(e + 4, count)) break;
    switch (tag) {
      case 0x0112:
        if (auto v = scalar(r, e, type, count); v && *v >= 1 && *v <= 8)
          info.orientation = static_cast<int>(*v);
        break;
      case 0x011A:
        info.x_resolution = rational(r, e, type, count);
        break;
      case 0x011B:
        info.y_resolution = rational(r, e, type, count);
        break;
      case 0x0128:
        if (auto v = scalar(r, e, type, count); v && *v >= 1 && *v <= 3)
          info.resolution_unit = static_cast<int>(*v);
        break;
      default:
        break;
    }
  }
  return info;
}

}  // namespace idphoto::io
