#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>

#include "cli.hpp"

namespace idphoto::cli {

namespace {
struct ModelsArgs {
  std::string models;
};

std::string expected_dir(const std::string& flag) {
  if (!flag.empty()) return flag;
  if (const char* env = std::getenv("IDPHOTO_MODEL_DIR"); env && *env) return env;
  return "/usr/share/dlib";
}
}  // namespace

Command add_models_command(CLI::App& root) {
  auto args = std::make_shared<ModelsArgs>();
  CLI::App* app = root.add_subcommand(
      "models",
      "Show the face models the engine loads: path, size, licence and whether each is present. The "
      "68-point landmark model (Debian package libdlib-data) is trained on iBUG 300-W, whose terms "
      "allow NON-COMMERCIAL research use only: commercial use of idphoto needs a landmark model "
      "with a licence that allows it. The HOG face detector is built into dlib (Boost licence); on a "
      "CPU with AVX2 and FMA the same detector compiled for them is loaded from idphoto-hog-avx2.so "
      "(IDPHOTO_HOG_MODULE=off keeps the baseline build). The "
      "landmarks are computed from a compact, memory-mapped copy of the dlib model kept in "
      "$IDPHOTO_CACHE_DIR (default ~/.cache/idphoto; 'off' = none): the same points, loaded in "
      "milliseconds instead of ~2 s; made by idphoto-prepare-models or on first use (docs/models.md).");
  app->add_option(
      "--models", args->models,
      "Directory holding shape_predictor_68_face_landmarks.dat (default $IDPHOTO_MODEL_DIR, "
      "else /usr/share/dlib)");
  app->footer("Examples:\n  idphoto models\n  idphoto models --models /opt/models\n\n" +
              exit_codes_help());
  Command c;
  c.app = app;
  c.run = [args]() -> int {
    EngineOptions opts;
    opts.model_dir = args->models;
    auto engine = Engine::create(opts);
    if (!engine) {
      const std::string path =
          expected_dir(args->models) + "/shape_predictor_68_face_landmarks.dat";
      std::cout << "shape_predictor_68_face_landmarks\n"
                << "  path:     " << path << "\n"
                << "  present:  no (" << error_code_name(engine.error().code) << ")\n"
                << "  licence:  iBUG 300-W: non-commercial research use only\n"
                << "  package:  libdlib-data\n";
      std::cerr << "idphoto models: " << engine.error().message << "\n";
      return Exit::usage;
    }
    for (const ModelInfo& m : engine->models()) {
      const bool builtin = !m.path.empty() && m.path.front() == '(';
      std::cout << m.name << "\n"
                << "  path:     " << m.path << "\n";
      if (!builtin) std::cout << "  size:     " << m.bytes << " bytes\n";
      std::cout << "  present:  yes" << (builtin ? " (built in)" : " (loaded)") << "\n"
                << "  licence:  " << m.licence << "\n"
                << "  package:  " << m.provided_by << "\n";
    }
    return Exit::ok;
  };
  return c;
}

}  // namespace idphoto::cli
