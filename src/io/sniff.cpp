#include <algorithm>
#include <cstring>

#include "io/decode.hpp"

namespace idphoto::io {
namespace {

bool starts(std::span<const std::uint8_t> b, const char* magic, std::size_t n, std::size_t at = 0) {
  return b.size() >= at + n && std::memcmp(b.data() + at, magic, n) == 0;
}

// ISO-BMFF "ftyp" box: major and compatible brands decide HEIC vs AVIF.
std::string ftyp_format(std::span<const std::uint8_t> b) {
  if (b.size() < 16 || !starts(b, "ftyp", 4, 4)) return {};
  std::size_t box =
      (std::size_t{b[0]} << 24) | (std::size_t{b[1]} << 16) | (std::size_t{b[2]} << 8) | b[3];
  if (box < 16 || box > b.size()) box = b.size();
  bool heic = false, avif = false;
  for (std::size_t off = 8; off + 4 <= box; off += 4) {
    if (off == 12) continue;  // minor version
    const std::string brand(reinterpret_cast<const char*>(b.data() + off), 4);
    if (brand == "avif" || brand == "avis") avif = true;
    if (brand == "heic" || brand == "heix" || brand == "heim" || brand == "heis" ||
        brand == "hevc" || brand == "hevx" || brand == "mif1" || brand == "msf1") {
      heic = true;
    }
  }
  if (avif) return "avif";
  if (heic) return "heic";
  return {};
}

constexpr std::size_t kTextSample = 4096;

// Printable ASCII or valid UTF-8, tabs and line breaks allowed, no NUL or other control bytes.
bool is_text(std::span<const std::uint8_t> b) {
  std::size_t i = 0;
  while (i < b.size()) {
    const std::uint8_t c = b[i];
    if (c < 0x80) {
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') return false;
      if (c == 0x7F) return false;
      ++i;
      continue;
    }
    std::size_t len = 0;
    if ((c & 0xE0) == 0xC0 && c >= 0xC2)
      len = 2;
    else if ((c & 0xF0) == 0xE0)
      len = 3;
    else if ((c & 0xF8) == 0xF0 && c <= 0xF4)
      len = 4;
    else
      return false;
    if (i + len > b.size())
      return b.size() == kTextSample;  // cut mid-character at the sample's end
    for (std::size_t k = 1; k < len; ++k) {
      if ((b[i + k] & 0xC0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}

}  // namespace

std::string sniff_format(std::span<const std::uint8_t> b) {
  if (b.empty()) return "empty";
  if (starts(b, "\xFF\xD8\xFF", 3)) return "jpeg";
  if (starts(b, "\x89PNG\r\n\x1A\n", 8)) return "png";
  if (starts(b, "GIF87a", 6) || starts(b, "GIF89a", 6)) return "gif";
  if (starts(b, "RIFF", 4) && starts(b, "WEBP", 4, 8)) return "webp";
  if (starts(b, "II*\0", 4) || starts(b, "MM\0*", 4)) return "tiff";
  if (starts(b, "%PDF-", 5)) return "pdf";
  if (auto f = ftyp_format(b); !f.empty()) return f;
  if (b.size() >= 3 && b[0] == 'P' && b[1] >= '1' && b[1] <= '6' &&
      (b[2] == ' ' || b[2] == '\n' || b[2] == '\r' || b[2] == '\t')) {
    return "ppm";
  }
  if (starts(b, "BM", 2) && b.size() >= 18) {
    const std::uint32_t dib =
        b[14] | b[15] << 8 | b[16] << 16 | static_cast<std::uint32_t>(b[17]) << 24;
    if (dib == 12 || dib == 16 || dib == 40 || dib == 52 || dib == 56 || dib == 64 || dib == 108 ||
        dib == 124) {
      return "bmp";
    }
  }
  if (is_text(b.first(std::min(b.size(), kTextSample)))) return "text";
  return "unknown";
}

}  // namespace idphoto::io
