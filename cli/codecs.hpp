// Image codecs the core lacks, for the CLI only: reading BMP/TIFF/PPM/PGM/WebP inputs, decoding the
// photo for --annotate, thumbnails and writing the batch contact sheet. They are OpenCV's imgcodecs,
// which on Debian pulls GDAL and ~140 shared libraries (~120 ms at every start), so they live in the
// module idphoto-codecs.so (codecs_module.cpp), loaded with dlopen on first use only (thread-safe).
// It is looked for next to the running executable (build tree), then in
// <exe dir>/IDPHOTO_CODECS_RELDIR (the installed tree: ../lib/idphoto).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <opencv2/core.hpp>
// cv::IMREAD_* flags only: the CLI does not link imgcodecs.
#include <opencv2/imgcodecs.hpp>

namespace idphoto::cli::codecs {

// Why a codec call failed.
struct Failure {
  // The module could not be loaded; message is complete ("<purpose> needs the codec module
  // idphoto-codecs.so, not found in A or B").
  bool unavailable = false;
  // Otherwise the codec's own message (an OpenCV exception); empty when it simply failed.
  std::string message;
};

// `purpose` names what needs the module, e.g. "reading BMP"; it starts the unavailable message.
// Each returns nothing on success.
std::optional<Failure> decode(const std::vector<std::uint8_t>& bytes, int flags, cv::Mat& out,
                              std::string_view purpose);
std::optional<Failure> encode(const std::string& ext, const cv::Mat& img,
                              std::vector<std::uint8_t>& out, std::string_view purpose);
std::optional<Failure> write(const std::string& path, const cv::Mat& img, std::string_view purpose);

// Loads the module now; its unavailable message when it cannot be (to refuse early, before work).
std::optional<std::string> unavailable(std::string_view purpose);

}  // namespace idphoto::cli::codecs
