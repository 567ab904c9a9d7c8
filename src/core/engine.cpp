#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <system_error>

#include "analysis/analysis.hpp"
#include "core/engine_common.hpp"
#include "core/engine_impl.hpp"
#include "io/decode.hpp"
#include "profiles/profile_data.hpp"

#ifndef IDPHOTO_DEFAULT_MODEL_DIR
#define IDPHOTO_DEFAULT_MODEL_DIR "/usr/share/dlib"
#endif

namespace idphoto {

namespace {

constexpr const char* kLandmarkModelFile = "shape_predictor_68_face_landmarks.dat";

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// "10000", "0.5": the cap as the user wrote it, without a trailing ".000000".
std::string format_ms(double ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", ms);
  return buf;
}

std::string resolve_model_dir(const EngineOptions& o) {
  if (!o.model_dir.empty()) return o.model_dir;
  if (const char* env = std::getenv("IDPHOTO_MODEL_DIR"); env && *env) return env;
  return IDPHOTO_DEFAULT_MODEL_DIR;
}

// Checks that read the face: detection and landmarks are timed separately before they run.
bool needs_face(const ProfileData& d) {
  for (const auto& [def, params] : d.checks) {
    const std::string_view id = def->id;
    if (id.starts_with("photo.face.") || id.starts_with("photo.geometry.")) return true;
  }
  return false;
}

}  // namespace

Result<Engine> Engine::create(const EngineOptions& options) {
  auto impl = std::make_shared<EngineImpl>();
  impl->options = options;
  impl->options.model_dir = resolve_model_dir(options);
  if (impl->options.threads < 1) impl->options.threads = 1;
  impl->landmark_model_path = impl->options.model_dir + "/" + kLandmarkModelFile;
  auto models = face::FaceModels::load(impl->landmark_model_path);
  if (!models) return models.error();
  impl->models = std::move(models.value());
  return Engine(std::move(impl));
}

const EngineOptions& Engine::options() const { return impl_->options; }

std::vector<ModelInfo> Engine::models() const {
  std::vector<ModelInfo> out;
  ModelInfo lm;
  lm.name = "shape_predictor_68_face_landmarks";
  lm.path = impl_->landmark_model_path;
  std::error_code ec;
  const auto size = std::filesystem::file_size(lm.path, ec);
  lm.bytes = ec ? 0 : static_cast<std::uint64_t>(size);
  lm.licence =
      "iBUG 300-W: non-commercial research use only (the 68-point model is trained on the iBUG "
      "300-W "
      "dataset, whose licence excludes commercial use)";
  lm.provided_by = "libdlib-data";
  out.push_back(std::move(lm));

  // The compact copy the landmarks are computed from (face/compact_landmarks.hpp), when there is one.
  const auto& info = impl_->models->load_info();
  if (!info.compact_path.empty()) {
    ModelInfo c;
    c.name = "landmarks, compact copy (" + info.compact_state + ")";
    c.path = info.compact_path;
    const auto csize = std::filesystem::file_size(c.path, ec);
    c.bytes = ec ? 0 : static_cast<std::uint64_t>(csize);
    c.licence = "derived from the model above; its terms carry over";
    c.provided_by = "made by idphoto from libdlib-data (idphoto-prepare-models, or on first use)";
    out.push_back(std::move(c));
  }

  ModelInfo hog;
  const bool avx2 = info.detector_code == "avx2";
  hog.name = avx2 ? "dlib HOG frontal face detector (AVX2 + FMA build)" : "dlib HOG frontal face detector";
  hog.path = avx2 ? info.detector_module : "(built into dlib)";
  hog.bytes = 0;
  if (avx2) {
    const auto msize = std::filesystem::file_size(hog.path, ec);
    hog.bytes = ec ? 0 : static_cast<std::uint64_t>(msize);
  }
  hog.licence = "Boost Software License 1.0";
  hog.provided_by = "libdlib19.1";
  out.push_back(std::move(hog));
  return out;
}

Report Engine::check_photo(std::span<const std::uint8_t> bytes, const Profile& profile,
                           std::string_view input_name) const {
  return check_photo_on(*impl_, bytes, profile, input_name, impl_->options.threads);
}

Report check_photo_on(const EngineImpl& engine, std::span<const std::uint8_t> bytes, const Profile& profile,
                      std::string_view input_name, int threads) {
  const auto t_total = Clock::now();
  Report report;
  report.input = std::string(input_name);
  report.profile = profile.id();
  report.kind = "photo";

  if (profile.kind() != "photo") {
    report.error =
        Error{ErrorCode::invalid_argument, "profile '" + profile.id() + "' is a " + profile.kind() +
                                               " profile; check_photo needs a photo profile"};
    report.timing_ms.emplace_back("total", ms_since(t_total));
    return report;
  }

  const Limits& limits = engine.options.limits;
  const auto t_decode = Clock::now();
  auto [decoded, beside] = analysis::decode_for_analysis(bytes, limits, analysis::decode_options(), threads);
  report.timing_ms.emplace_back("decode", ms_since(t_decode));
  if (!decoded) {
    report.error = decoded.error();
    report.image = input_info(bytes);
    report.timing_ms.emplace_back("total", ms_since(t_total));
    return report;
  }

  report.image = input_info(bytes, &decoded.value());

  try {
    const ProfileData& pd = profile.data();
    analysis::Analysis a(std::move(decoded.value()), engine.models, faces_down_to(pd));
    // A second thread, when the call may use one, converts to CIELAB (and grey, and finds the top corners'
    // colour) beside the decoding when it can, else beside the face search, and scans pyramid levels.
    a.use_threads(threads, std::move(beside));

    if (needs_face(pd)) {
      // Failures here resurface in the checks that need them, which report them as not_assessed.
      const auto t_detect = Clock::now();
      try {
        (void)a.faces();
      } catch (...) {
      }
      report.timing_ms.emplace_back("detect", ms_since(t_detect));
      const auto t_landmarks = Clock::now();
      try {
        (void)a.head();
      } catch (...) {
      }
      report.timing_ms.emplace_back("landmarks", ms_since(t_landmarks));
    }

    const auto t_checks = Clock::now();
    // Named references, not a structured binding: clang 14 cannot capture a binding in a lambda
    // (C++20 P1091/P1381, clang >= 16).
    for (const auto& check : pd.checks) {
      const checks::CheckDef* def = check.first;
      const checks::Params& params = check.second;
      if (limits.time_cap_ms > 0 && ms_since(t_total) > limits.time_cap_ms) {
        report.error =
            Error{ErrorCode::limit_exceeded,
                  "time cap of " + format_ms(limits.time_cap_ms) +
                      " ms per image exceeded before check " + std::string(def->id)};
        break;
      }
      report.findings.push_back(run_check_guarded(def->id, [&] { return def->run(a, params); }));
    }
    report.timing_ms.emplace_back("checks", ms_since(t_checks));
  } catch (const std::exception& e) {
    report.error = Error{ErrorCode::internal, std::string("analysis failed: ") + e.what()};
  } catch (...) {
    report.error = Error{ErrorCode::internal, "analysis failed"};
  }
  report.timing_ms.emplace_back("total", ms_since(t_total));
  return report;
}

}  // namespace idphoto
