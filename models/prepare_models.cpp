// idphoto-prepare-models: converts dlib's 68-point landmark model into the project's compact file
// (flat arrays, memory-mapped in milliseconds; face/compact_landmarks.hpp) and serialises dlib's HOG face
// detector, both into the user's cache. The files derive from the dlib model, whose terms (iBUG 300-W:
// non-commercial research use) carry over: they stay in the cache and are never committed.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include <CLI/CLI.hpp>

#include "face/face_models.hpp"

int main(int argc, char** argv) {
  using idphoto::face::FaceModels;
  CLI::App app{
      "Prepares idphoto's fast-loading face model files: converts dlib's 68-point landmark model "
      "(Debian package libdlib-data) into the compact memory-mappable file and serialises the HOG face "
      "detector, in the cache directory. The library does the same on first use; running this at set-up "
      "keeps the first check fast. Re-running is cheap: a current cache is only verified."};
  std::string models_dir;
  std::string cache_dir;
  app.add_option("--models", models_dir,
                 "Directory holding shape_predictor_68_face_landmarks.dat (default $IDPHOTO_MODEL_DIR, else "
                 "/usr/share/dlib)");
  app.add_option("--cache", cache_dir,
                 "Cache directory (default $IDPHOTO_CACHE_DIR, else $XDG_CACHE_HOME/idphoto, else "
                 "~/.cache/idphoto)");
  app.footer(
      "Exit codes: 0 prepared (or already current), 2 usage, 3 model missing or unreadable, 5 the cache "
      "could not be written (checks still work, each start converts again, ~1.5 s).");
  CLI11_PARSE(app, argc, argv);

  if (models_dir.empty()) {
    const char* env = std::getenv("IDPHOTO_MODEL_DIR");
    models_dir = env && *env ? env : "/usr/share/dlib";
  }
  if (cache_dir.empty()) cache_dir = FaceModels::default_cache_dir();
  if (cache_dir.empty()) {
    std::cerr << "idphoto-prepare-models: no cache directory (set IDPHOTO_CACHE_DIR, XDG_CACHE_HOME or HOME)\n";
    return 5;
  }
  const std::string source = models_dir + "/shape_predictor_68_face_landmarks.dat";
  auto first = FaceModels::load(source, cache_dir);
  if (!first) {
    std::cerr << "idphoto-prepare-models: " << first.error().message << "\n";
    return 3;
  }
  const auto& info = first.value()->load_info();
  if (info.compact_state == "not written") {
    std::cerr << "idphoto-prepare-models: " << info.note << "\n";
    return 5;
  }
  // Load again, as a check will: from the cache.
  auto again = FaceModels::load(source, cache_dir);
  if (!again || again.value()->load_info().compact_state != "cached") {
    std::cerr << "idphoto-prepare-models: the cache was written but does not load back"
              << (again ? ": " + again.value()->load_info().note : "") << "\n";
    return 5;
  }
  std::error_code ec;
  const auto bytes = std::filesystem::file_size(info.compact_path, ec);
  std::printf("landmarks: %s (%s, %.1f MB) from %s\n", info.compact_path.c_str(), info.compact_state.c_str(),
              ec ? 0.0 : static_cast<double>(bytes) / 1e6, source.c_str());
  std::printf("load time: %.0f ms %s, %.1f ms from the cache (face detector included)\n", info.load_ms,
              info.compact_state == "cached" ? "(already current)" : "converting", again.value()->load_info().load_ms);
  return 0;
}
