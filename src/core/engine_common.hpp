// Shared by the engine's paths (check, fix, signature): guarded check runs and the report's image
// block.
#pragma once

#include <cstdint>
#include <exception>
#include <span>
#include <string>
#include <string_view>

#include "idphoto/idphoto.hpp"
#include "io/decode.hpp"

namespace idphoto {

// The report's image block: from the decode, or (decode == nullptr, decoding failed) the sniffed
// format and size.
inline ImageInfo input_info(std::span<const std::uint8_t> bytes,
                            const io::DecodedImage* decode = nullptr) {
  ImageInfo info;
  info.bytes = bytes.size();
  if (!decode) {
    info.format = io::sniff_format(bytes);
    return info;
  }
  info.format = decode->format;
  info.width = decode->width;
  info.height = decode->height;
  if (decode->bytes) info.bytes = decode->bytes;
  if (decode->dpi) info.dpi = std::make_pair((*decode->dpi)[0], (*decode->dpi)[1]);
  return info;
}

// One check run: its finding, or not_assessed naming the exception.
template <class Run>
Finding run_check_guarded(std::string_view id, Run&& run) {
  std::string reason;
  try {
    Finding f = run();
    if (f.id.empty()) f.id = std::string(id);
    return f;
  } catch (const std::exception& e) {
    reason = e.what();
  } catch (...) {
    reason = "unknown error";
  }
  Finding f;
  f.id = std::string(id);
  f.status = Status::not_assessed;
  f.message = {"无法评估：" + reason, "Not assessed: " + reason};
  f.fixable = false;
  return f;
}

}  // namespace idphoto
