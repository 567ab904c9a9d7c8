// Loads idphoto-codecs.so on first use (codecs.hpp) and forwards to its table (codecs_abi.hpp).
#include "codecs.hpp"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "codecs_abi.hpp"
#include "idphoto/idphoto.hpp"

#ifndef IDPHOTO_CODECS_RELDIR
#error "IDPHOTO_CODECS_RELDIR (the module's directory relative to the executable's, installed) is set by cli/CMakeLists.txt"
#endif

namespace idphoto::cli::codecs {
namespace {

namespace fs = std::filesystem;

struct Module {
  const CodecsTable* table = nullptr;
  // Why it is not loaded, completing "<purpose> needs ...".
  std::string problem;
};

Module load() {
  Module m;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec || exe.empty()) {
    m.problem = std::string("the codec module ") + kCodecsModuleFile +
                ", which cannot be looked for: /proc/self/exe is unreadable";
    return m;
  }
  const fs::path dir = exe.parent_path();
  const fs::path dirs[] = {dir, (dir / IDPHOTO_CODECS_RELDIR).lexically_normal()};
  for (const fs::path& d : dirs) {
    const fs::path file = d / kCodecsModuleFile;
    if (!fs::exists(file, ec)) continue;
    // The first one present is the one used: a broken one is reported, not skipped.
    const std::string what = "the codec module " + file.string();
    // OpenCV's decoders read their size caps from the environment once, when imgcodecs loads: give them
    // the engine's (200 MP, 65500 px a side) unless the user set their own, so a compressed TIFF or WebP
    // that unpacks to gigabytes is refused by OpenCV before it allocates (its own default is 1 G pixels).
    const Limits limits;
    setenv("OPENCV_IO_MAX_IMAGE_PIXELS", std::to_string(limits.max_pixels).c_str(), 0);
    setenv("OPENCV_IO_MAX_IMAGE_WIDTH", std::to_string(limits.max_dimension).c_str(), 0);
    setenv("OPENCV_IO_MAX_IMAGE_HEIGHT", std::to_string(limits.max_dimension).c_str(), 0);
    void* h = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!h) {
      const char* e = dlerror();
      m.problem = what + ", which cannot be loaded: " + (e ? e : "unknown error");
      return m;
    }
    const auto entry = reinterpret_cast<CodecsEntryPoint>(dlsym(h, kCodecsEntryPoint));
    const CodecsTable* t = entry ? entry() : nullptr;
    if (!t) {
      m.problem = what + ", which has no " + kCodecsEntryPoint + " (not an idphoto codec module)";
    } else if (t->abi_version != kCodecsAbiVersion || t->size < sizeof(CodecsTable)) {
      m.problem = what + ", which is from another idphoto build (codec table v" +
                  std::to_string(t->abi_version) + ", " + std::to_string(t->size) +
                  " bytes; this idphoto needs v" + std::to_string(kCodecsAbiVersion) + ")";
    } else {
      m.table = t;  // never unloaded: used until the process ends
      return m;
    }
    dlclose(h);
    return m;
  }
  m.problem = std::string("the codec module ") + kCodecsModuleFile + ", not found in " +
              dirs[0].string() + " or " + dirs[1].string();
  return m;
}

// Loaded once, on first use, by whichever thread comes first (a function-local static).
const Module& module() {
  static const Module m = load();
  return m;
}

Failure unavailable_failure(std::string_view purpose) {
  return Failure{true, std::string(purpose) + " needs " + module().problem};
}

}  // namespace

std::optional<std::string> unavailable(std::string_view purpose) {
  if (module().table) return std::nullopt;
  return unavailable_failure(purpose).message;
}

std::optional<Failure> decode(const std::vector<std::uint8_t>& bytes, int flags, cv::Mat& out,
                              std::string_view purpose) {
  const CodecsTable* t = module().table;
  if (!t) return unavailable_failure(purpose);
  char err[1024] = "";
  if (t->decode(bytes.data(), bytes.size(), flags, &out, err, sizeof err)) return std::nullopt;
  return Failure{false, err};
}

std::optional<Failure> encode(const std::string& ext, const cv::Mat& img,
                              std::vector<std::uint8_t>& out, std::string_view purpose) {
  const CodecsTable* t = module().table;
  if (!t) return unavailable_failure(purpose);
  char err[1024] = "";
  if (t->encode(ext.c_str(), &img, &out, err, sizeof err)) return std::nullopt;
  return Failure{false, err};
}

std::optional<Failure> write(const std::string& path, const cv::Mat& img, std::string_view purpose) {
  const CodecsTable* t = module().table;
  if (!t) return unavailable_failure(purpose);
  char err[1024] = "";
  if (t->write(path.c_str(), &img, err, sizeof err)) return std::nullopt;
  return Failure{false, err};
}

}  // namespace idphoto::cli::codecs
