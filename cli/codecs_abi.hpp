// The table the codec module (codecs_module.cpp, built as idphoto-codecs.so) hands to the CLI
// (codecs.cpp). Shared by both sides; both are built together by this project with the same
// compiler, so cv::Mat and std::vector may cross. Nothing else may: no exceptions, errors come back
// as text in the caller's buffer. Change the layout or a meaning → bump kCodecsAbiVersion.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <opencv2/core.hpp>

namespace idphoto::cli {

inline constexpr std::uint32_t kCodecsAbiVersion = 1;
// The module's file name and its one exported entry point.
inline constexpr const char* kCodecsModuleFile = "idphoto-codecs.so";
inline constexpr const char* kCodecsEntryPoint = "idphoto_codecs_table";

// Each function returns true on success; on failure it writes a NUL-terminated message (truncated
// to err_size) into err. err may be null when err_size is 0.
struct CodecsTable {
  std::uint32_t abi_version;  // kCodecsAbiVersion of the module
  std::uint32_t size;         // sizeof(CodecsTable) of the module
  // cv::imdecode(data[0..size), flags) into *out (flags: cv::IMREAD_*).
  bool (*decode)(const std::uint8_t* data, std::size_t size, int flags, cv::Mat* out, char* err,
                 std::size_t err_size);
  // cv::imencode(ext, *img) into *out (ext like ".png").
  bool (*encode)(const char* ext, const cv::Mat* img, std::vector<std::uint8_t>* out, char* err,
                 std::size_t err_size);
  // cv::imwrite(path, *img): the format from the path's extension.
  bool (*write)(const char* path, const cv::Mat* img, char* err, std::size_t err_size);
};

// The entry point's type: extern "C" const CodecsTable* idphoto_codecs_table(void).
using CodecsEntryPoint = const CodecsTable* (*)();

}  // namespace idphoto::cli
