// The C API over the public C++ API (DESIGN.md, C API shape). Nothing throws across this boundary.
// version.hpp first: the library reports the project version; a test checks idphoto.h agrees.
#include "idphoto/version.hpp"
#include "idphoto.h"

#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "idphoto/idphoto.hpp"

static_assert(IDPHOTO_VERSION_NUMBER ==
                  IDPHOTO_VERSION_MAJOR * 10000 + IDPHOTO_VERSION_MINOR * 100 + IDPHOTO_VERSION_PATCH,
              "version macros disagree");
static_assert(IDPHOTO_ERR_IO == static_cast<int>(idphoto::ErrorCode::io_error),
              "C status codes must mirror idphoto::ErrorCode");

struct idphoto_engine {
  idphoto::Engine engine;
  std::string options_json;
  std::string models_json;
};

struct idphoto_profile {
  idphoto::Profile profile;
  std::string json;
};

struct idphoto_report {
  std::string json;
  int32_t verdict = IDPHOTO_VERDICT_ERROR;
  idphoto_status error = IDPHOTO_OK;
  std::vector<std::uint8_t> output;
};

namespace {

using idphoto::ErrorCode;

thread_local std::string t_last_error;
thread_local idphoto_status t_last_status = IDPHOTO_OK;

idphoto_status fail(idphoto_status s, std::string message) {
  t_last_status = s;
  try {
    t_last_error = std::move(message);
  } catch (...) {
    t_last_error.clear();
  }
  return s;
}

idphoto_status succeed() {
  t_last_status = IDPHOTO_OK;
  t_last_error.clear();
  return IDPHOTO_OK;
}

idphoto_status from_error(const idphoto::Error& e) {
  return fail(static_cast<idphoto_status>(e.code), e.message);
}

// Runs f (returning idphoto_status); exceptions become statuses.
template <class F>
idphoto_status guarded(F&& f) {
  try {
    return f();
  } catch (const std::bad_alloc&) {
    return fail(IDPHOTO_ERR_NO_MEMORY, "out of memory");
  } catch (const std::exception& e) {
    return fail(IDPHOTO_ERR_INTERNAL, std::string("internal error: ") + e.what());
  } catch (...) {
    return fail(IDPHOTO_ERR_INTERNAL, "internal error");
  }
}

struct CheckTable {
  std::vector<idphoto::CheckInfo> checks;
  std::string json;
};

const CheckTable& check_table() {
  static const CheckTable table = [] {
    CheckTable t;
    t.checks = idphoto::list_checks();
    nlohmann::ordered_json a = nlohmann::ordered_json::array();
    for (const auto& c : t.checks) {
      a.push_back({{"id", c.id},
                   {"kind", c.kind},
                   {"title", {{"zh-CN", c.title.zh}, {"en", c.title.en}}},
                   {"clause", c.clause}});
    }
    t.json = a.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    return t;
  }();
  return table;
}

const std::vector<std::string>& builtin_ids() {
  static const std::vector<std::string> ids = idphoto::Profile::builtin_ids();
  return ids;
}

// Parses the engine options object; unknown keys and wrong types are errors naming the key.
std::optional<std::string> parse_options(const char* text, idphoto::EngineOptions& o) {
  if (text == nullptr || *text == '\0') return std::nullopt;
  const std::size_t len = std::strlen(text);
  if (len > 64 * 1024) return "options JSON longer than 64 KiB";
  nlohmann::json j = nlohmann::json::parse(text, text + len, nullptr, false);
  if (j.is_discarded()) return "options are not valid JSON";
  if (!j.is_object()) return "options must be a JSON object";
  auto get_uint = [](const nlohmann::json& v, const char* key,
                     std::uint64_t max) -> std::variant<std::uint64_t, std::string> {
    if (!v.is_number_integer() || (v.is_number_integer() && v.get<std::int64_t>() < 0 &&
                                   !v.is_number_unsigned()))
      return std::string("\"") + key + "\" must be a non-negative integer";
    const std::uint64_t u = v.get<std::uint64_t>();
    if (u > max) return std::string("\"") + key + "\" is too large";
    return u;
  };
  for (const auto& [key, v] : j.items()) {
    if (key == "model_dir") {
      if (!v.is_string()) return "\"model_dir\" must be a string";
      o.model_dir = v.get<std::string>();
    } else if (key == "threads") {
      auto r = get_uint(v, "threads", 1024);
      if (auto* e = std::get_if<std::string>(&r)) return *e;
      const auto n = std::get<std::uint64_t>(r);
      if (n < 1) return "\"threads\" must be at least 1";
      o.threads = static_cast<int>(n);
    } else if (key == "limits") {
      if (!v.is_object()) return "\"limits\" must be an object";
      for (const auto& [lk, lv] : v.items()) {
        if (lk == "time_cap_ms") {
          if (!lv.is_number() || lv.get<double>() < 0) return "\"time_cap_ms\" must be a number >= 0";
          o.limits.time_cap_ms = lv.get<double>();
          continue;
        }
        std::uint64_t max = UINT64_MAX;
        if (lk == "max_dimension" || lk == "max_jpeg_scans") max = UINT32_MAX;
        else if (lk != "max_bytes" && lk != "max_pixels")
          return "unknown key \"limits." + lk + "\"";
        auto r = get_uint(lv, lk.c_str(), max);
        if (auto* e = std::get_if<std::string>(&r)) return *e;
        const auto u = std::get<std::uint64_t>(r);
        if (lk == "max_bytes") o.limits.max_bytes = u;
        else if (lk == "max_pixels") o.limits.max_pixels = u;
        else if (lk == "max_dimension") o.limits.max_dimension = static_cast<std::uint32_t>(u);
        else o.limits.max_jpeg_scans = static_cast<std::uint32_t>(u);
      }
    } else {
      return "unknown option \"" + key + "\" (known: model_dir, threads, limits)";
    }
  }
  return std::nullopt;
}

std::string options_to_json(const idphoto::EngineOptions& o) {
  nlohmann::ordered_json j;
  j["model_dir"] = o.model_dir;
  j["threads"] = o.threads;
  j["limits"] = {{"max_bytes", o.limits.max_bytes},
                 {"max_pixels", o.limits.max_pixels},
                 {"max_dimension", o.limits.max_dimension},
                 {"max_jpeg_scans", o.limits.max_jpeg_scans},
                 {"time_cap_ms", o.limits.time_cap_ms}};
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::string models_to_json(const std::vector<idphoto::ModelInfo>& models) {
  nlohmann::ordered_json a = nlohmann::ordered_json::array();
  for (const auto& m : models) {
    a.push_back({{"name", m.name},
                 {"path", m.path},
                 {"bytes", m.bytes},
                 {"licence", m.licence},
                 {"provided_by", m.provided_by}});
  }
  return a.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

int32_t verdict_code(idphoto::Verdict v) {
  switch (v) {
    case idphoto::Verdict::pass: return IDPHOTO_VERDICT_PASS;
    case idphoto::Verdict::fail: return IDPHOTO_VERDICT_FAIL;
    case idphoto::Verdict::error: return IDPHOTO_VERDICT_ERROR;
  }
  return IDPHOTO_VERDICT_ERROR;
}

idphoto_status make_report(const idphoto::Report& r, idphoto_report** out) {
  auto h = std::make_unique<idphoto_report>();
  h->json = r.to_json();
  h->verdict = verdict_code(r.verdict());
  h->error = r.error ? static_cast<idphoto_status>(r.error->code) : IDPHOTO_OK;
  *out = h.release();
  return succeed();
}

// The profile of a call: the given one (which must be of kind), else the kind's default.
std::variant<idphoto::Profile, idphoto_status> pick_profile(const idphoto_profile* profile,
                                                            const char* kind, const char* what) {
  if (profile == nullptr) {
    auto p = idphoto::Profile::builtin(idphoto::Profile::default_id(kind));
    if (!p) return from_error(p.error());
    return std::move(p.value());
  }
  if (profile->profile.kind() != kind)
    return fail(IDPHOTO_ERR_BAD_PROFILE, "profile '" + profile->profile.id() + "' is a " +
                                             profile->profile.kind() + " profile; " + what +
                                             " needs a " + kind + " profile");
  return profile->profile;
}

std::span<const std::uint8_t> input_span(const std::uint8_t* data, std::size_t size) {
  static const std::uint8_t kEmpty[1] = {0};
  return data ? std::span<const std::uint8_t>(data, size) : std::span<const std::uint8_t>(kEmpty, 0);
}

// An options object of at most 64 KiB (NULL or "": none); each member goes to on_key, which returns
// an error for an unknown key or a bad value.
template <class OnKey>
std::optional<std::string> parse_call_options(const char* text, const char* what, OnKey&& on_key) {
  if (text == nullptr || *text == '\0') return std::nullopt;
  const std::size_t len = std::strlen(text);
  if (len > 64 * 1024) return std::string(what) + " options JSON longer than 64 KiB";
  nlohmann::json j = nlohmann::json::parse(text, text + len, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::string(what) + " options must be a JSON object";
  for (const auto& [key, v] : j.items())
    if (auto err = on_key(key, v)) return err;
  return std::nullopt;
}

// {"background": "keep|white|blue|red|#rrggbb", "output_name": str, "format": "jpeg|png"}; unknown
// keys are errors.
std::optional<std::string> parse_fix_options(const char* text, idphoto::FixOptions& o) {
  return parse_call_options(text, "fix", [&](const std::string& key, const nlohmann::json& v)
                                              -> std::optional<std::string> {
    if (!v.is_string()) return "\"" + key + "\" must be a string";
    if (key == "background") o.background = v.get<std::string>();
    else if (key == "output_name") o.output_name = v.get<std::string>();
    else if (key == "format") o.format = v.get<std::string>();
    else return "unknown fix option \"" + key + "\" (known: background, output_name, format)";
    return std::nullopt;
  });
}

// {"rotate": 0|90|180|270, "transparent": bool, "deskew": bool, "format": "jpeg|png"}; unknown keys
// are errors.
std::optional<std::string> parse_clean_options(const char* text, idphoto::SignatureOptions& o) {
  return parse_call_options(text, "clean", [&](const std::string& key, const nlohmann::json& v)
                                                -> std::optional<std::string> {
    if (key == "rotate") {
      const bool quarter = v.is_number_integer() && (v == 0 || v == 90 || v == 180 || v == 270);
      if (!quarter) return "\"rotate\" must be 0, 90, 180 or 270";
      o.rotate = v.get<int>();
    } else if (key == "transparent") {
      if (!v.is_boolean()) return "\"transparent\" must be true or false";
      o.transparent = v.get<bool>();
    } else if (key == "deskew") {
      if (!v.is_boolean()) return "\"deskew\" must be true or false";
      o.deskew = v.get<bool>();
    } else if (key == "format") {
      if (!v.is_string()) return "\"format\" must be a string";
      o.format = v.get<std::string>();
    } else {
      return "unknown clean option \"" + key + "\" (known: rotate, transparent, deskew, format)";
    }
    return std::nullopt;
  });
}

// The argument checks shared by the check, fix and clean entry points.
std::optional<idphoto_status> bad_call_args(const idphoto_engine* engine, const std::uint8_t* data,
                                            std::size_t size, idphoto_report** out) {
  if (out == nullptr) return fail(IDPHOTO_ERR_INVALID_ARGUMENT, "out is NULL");
  *out = nullptr;
  if (engine == nullptr) return fail(IDPHOTO_ERR_INVALID_ARGUMENT, "engine is NULL");
  if (data == nullptr && size != 0) return fail(IDPHOTO_ERR_INVALID_ARGUMENT, "data is NULL");
  return std::nullopt;
}

using CheckFn = idphoto::Report (idphoto::Engine::*)(std::span<const std::uint8_t>,
                                                     const idphoto::Profile&, std::string_view) const;

// idphoto_photo_check and idphoto_signature_check: the profile must be of kind.
idphoto_status run_check(CheckFn check, const char* kind, const char* what,
                         const idphoto_engine* engine, const std::uint8_t* data, std::size_t size,
                         const idphoto_profile* profile, const char* input_name,
                         idphoto_report** out) {
  if (auto st = bad_call_args(engine, data, size, out)) return *st;
  return guarded([&]() -> idphoto_status {
    auto prof = pick_profile(profile, kind, what);
    if (auto* st = std::get_if<idphoto_status>(&prof)) return *st;
    return make_report((engine->engine.*check)(input_span(data, size),
                                               std::get<idphoto::Profile>(prof),
                                               input_name ? input_name : ""),
                       out);
  });
}

// The report handle of a fix or a clean: JSON, verdict, the source's error and the made file.
idphoto_status made_report(std::string json, int32_t verdict, const std::optional<idphoto::Error>& e,
                           std::vector<std::uint8_t> output, idphoto_report** out) {
  auto h = std::make_unique<idphoto_report>();
  h->json = std::move(json);
  h->verdict = verdict;
  h->error = e ? static_cast<idphoto_status>(e->code) : IDPHOTO_OK;
  h->output = std::move(output);
  *out = h.release();
  return succeed();
}

}  // namespace

extern "C" {

uint32_t idphoto_version_number(void) { return IDPHOTO_VERSION_NUMBER; }

const char* idphoto_version_string(void) { return IDPHOTO_VERSION_STRING; }

const char* idphoto_status_name(idphoto_status status) {
  switch (status) {
    case IDPHOTO_OK: return "ok";
    case IDPHOTO_ERR_UNREADABLE: return "unreadable";
    case IDPHOTO_ERR_UNSUPPORTED_FORMAT: return "unsupported_format";
    case IDPHOTO_ERR_LIMIT_EXCEEDED: return "limit_exceeded";
    case IDPHOTO_ERR_BAD_PROFILE: return "bad_profile";
    case IDPHOTO_ERR_MODEL_MISSING: return "model_missing";
    case IDPHOTO_ERR_MODEL_CORRUPT: return "model_corrupt";
    case IDPHOTO_ERR_INVALID_ARGUMENT: return "invalid_argument";
    case IDPHOTO_ERR_INTERNAL: return "internal";
    case IDPHOTO_ERR_IO: return "io_error";
    case IDPHOTO_ERR_NO_MEMORY: return "no_memory";
    case IDPHOTO_ERR_NOT_AVAILABLE: return "not_available";
    default: return "unknown";
  }
}

const char* idphoto_last_error(void) { return t_last_error.c_str(); }

idphoto_status idphoto_last_status(void) { return t_last_status; }

idphoto_status idphoto_engine_create(const char* options_json, idphoto_engine** out) {
  if (out == nullptr) return fail(IDPHOTO_ERR_INVALID_ARGUMENT, "out is NULL");
  *out = nullptr;
  return guarded([&]() -> idphoto_status {
    idphoto::EngineOptions o;
    try {
      if (auto err = parse_options(options_json, o)) return fail(IDPHOTO_ERR_INVALID_ARGUMENT, *err);
    } catch (const nlohmann::json::exception& e) {
      return fail(IDPHOTO_ERR_INVALID_ARGUMENT, std::string("bad options: ") + e.what());
    }
    auto engine = idphoto::Engine::create(o);
    if (!engine) return from_error(engine.error());
    auto* h = new idphoto_engine{std::move(engine.value()), {}, {}};
    try {
      h->options_json = options_to_json(h->engine.options());
      h->models_json = models_to_json(h->engine.models());
    } catch (...) {
      delete h;
      throw;
    }
    *out = h;
    return succeed();
  });
}

void idphoto_engine_free(idphoto_engine* engine) { delete engine; }

const char* idphoto_engine_options_json(const idphoto_engine* engine) {
  return engine ? engine->options_json.c_str() : nullptr;
}

const char* idphoto_engine_models_json(const idphoto_engine* engine) {
  return engine ? engine->models_json.c_str() : nullptr;
}

size_t idphoto_profile_builtin_count(void) {
  try {
    return builtin_ids().size();
  } catch (...) {
    return 0;
  }
}

const char* idphoto_profile_builtin_id(size_t index) {
  try {
    const auto& ids = builtin_ids();
    return index < ids.size() ? ids[index].c_str() : nullptr;
  } catch (...) {
    return nullptr;
  }
}

const char* idphoto_profile_default_id(const char* kind) {
  if (kind == nullptr) return nullptr;
  static const std::string photo = idphoto::Profile::default_id("photo");
  static const std::string signature = idphoto::Profile::default_id("signature");
  if (std::strcmp(kind, "photo") == 0) return photo.c_str();
  if (std::strcmp(kind, "signature") == 0) return signature.c_str();
  return nullptr;
}

idphoto_status idphoto_profile_get(const char* id, idphoto_profile** out) {
  if (out == nullptr) return fail(IDPHOTO_ERR_INVALID_ARGUMENT, "out is NULL");
  *out = nullptr;
  if (id == nullptr) return fail(IDPHOTO_ERR_INVALID_ARGUMENT, "id is NULL");
  return guarded([&]() -> idphoto_status {
    auto p = idphoto::Profile::builtin(id);
    if (!p) return from_error(p.error());
    *out = new idphoto_profile{std::move(p.value()), {}};
    (*out)->json = (*out)->profile.to_json();
    return succeed();
  });
}

idphoto_status idphoto_profile_load_json(const char* json, size_t size, idphoto_profile** out) {
  if (out == nullptr) return fail(IDPHOTO_ERR_INVALID_ARGUMENT, "out is NULL");
  *out = nullptr;
  if (json == nullptr) return fail(IDPHOTO_ERR_INVALID_ARGUMENT, "json is NULL");
  return guarded([&]() -> idphoto_status {
    auto p = idphoto::Profile::from_json(std::string_view(json, size));
    if (!p) return from_error(p.error());
    auto* h = new idphoto_profile{std::move(p.value()), {}};
    try {
      h->json = h->profile.to_json();
    } catch (...) {
      delete h;
      throw;
    }
    *out = h;
    return succeed();
  });
}

void idphoto_profile_free(idphoto_profile* profile) { delete profile; }

const char* idphoto_profile_id(const idphoto_profile* profile) {
  return profile ? profile->profile.id().c_str() : nullptr;
}

const char* idphoto_profile_kind(const idphoto_profile* profile) {
  return profile ? profile->profile.kind().c_str() : nullptr;
}

const char* idphoto_profile_json(const idphoto_profile* profile) {
  return profile ? profile->json.c_str() : nullptr;
}

size_t idphoto_check_count(void) {
  try {
    return check_table().checks.size();
  } catch (...) {
    return 0;
  }
}

const char* idphoto_check_id(size_t index) {
  try {
    const auto& c = check_table().checks;
    return index < c.size() ? c[index].id.c_str() : nullptr;
  } catch (...) {
    return nullptr;
  }
}

const char* idphoto_check_kind(size_t index) {
  try {
    const auto& c = check_table().checks;
    return index < c.size() ? c[index].kind.c_str() : nullptr;
  } catch (...) {
    return nullptr;
  }
}

const char* idphoto_check_title(size_t index, const char* lang) {
  try {
    const auto& c = check_table().checks;
    if (index >= c.size()) return nullptr;
    if (lang == nullptr || std::strcmp(lang, "en") == 0) return c[index].title.en.c_str();
    if (std::strcmp(lang, "zh-CN") == 0 || std::strcmp(lang, "zh") == 0)
      return c[index].title.zh.c_str();
    return nullptr;
  } catch (...) {
    return nullptr;
  }
}

const char* idphoto_check_clause(size_t index) {
  try {
    const auto& c = check_table().checks;
    return index < c.size() ? c[index].clause.c_str() : nullptr;
  } catch (...) {
    return nullptr;
  }
}

const char* idphoto_checks_json(void) {
  try {
    return check_table().json.c_str();
  } catch (...) {
    return nullptr;
  }
}

idphoto_status idphoto_photo_check(const idphoto_engine* engine, const uint8_t* data, size_t size,
                                   const idphoto_profile* profile, const char* input_name,
                                   idphoto_report** out) {
  return run_check(&idphoto::Engine::check_photo, "photo", "a photo check", engine, data, size,
                   profile, input_name, out);
}

idphoto_status idphoto_photo_fix(const idphoto_engine* engine, const uint8_t* data, size_t size,
                                 const idphoto_profile* profile, const char* input_name,
                                 const char* options_json, idphoto_report** out) {
  if (auto st = bad_call_args(engine, data, size, out)) return *st;
  return guarded([&]() -> idphoto_status {
    idphoto::FixOptions o;
    if (auto err = parse_fix_options(options_json, o)) return fail(IDPHOTO_ERR_INVALID_ARGUMENT, *err);
    auto prof = pick_profile(profile, "photo", "a photo fix");
    if (auto* st = std::get_if<idphoto_status>(&prof)) return *st;
    idphoto::FixResult r = engine->engine.fix_photo(
        input_span(data, size), std::get<idphoto::Profile>(prof), o, input_name ? input_name : "");
    std::string json = r.to_json();  // before r.output is moved from (argument order is unspecified)
    return made_report(std::move(json), verdict_code(r.verdict()), r.before.error,
                       std::move(r.output), out);
  });
}

idphoto_status idphoto_signature_check(const idphoto_engine* engine, const uint8_t* data,
                                       size_t size, const idphoto_profile* profile,
                                       const char* input_name, idphoto_report** out) {
  return run_check(&idphoto::Engine::check_signature, "signature", "a signature check", engine,
                   data, size, profile, input_name, out);
}

idphoto_status idphoto_signature_clean(const idphoto_engine* engine, const uint8_t* data,
                                       size_t size, const idphoto_profile* profile,
                                       const char* input_name, const char* options_json,
                                       idphoto_report** out) {
  if (auto st = bad_call_args(engine, data, size, out)) return *st;
  return guarded([&]() -> idphoto_status {
    idphoto::SignatureOptions o;
    if (auto err = parse_clean_options(options_json, o))
      return fail(IDPHOTO_ERR_INVALID_ARGUMENT, *err);
    auto prof = pick_profile(profile, "signature", "a signature clean");
    if (auto* st = std::get_if<idphoto_status>(&prof)) return *st;
    idphoto::SignatureResult r = engine->engine.clean_signature(
        input_span(data, size), std::get<idphoto::Profile>(prof), o, input_name ? input_name : "");
    // As SignatureResult::to_json: an error first, no output is a fail, else the output's re-check.
    const int32_t verdict = r.before.error                 ? IDPHOTO_VERDICT_ERROR
                            : r.output.empty() || !r.after ? IDPHOTO_VERDICT_FAIL
                                                           : verdict_code(r.after->verdict());
    std::string json = r.to_json();  // before r.output is moved from (argument order is unspecified)
    return made_report(std::move(json), verdict, r.before.error, std::move(r.output), out);
  });
}

void idphoto_report_free(idphoto_report* report) { delete report; }

const char* idphoto_report_json(const idphoto_report* report) {
  return report ? report->json.c_str() : nullptr;
}

int32_t idphoto_report_verdict(const idphoto_report* report) {
  return report ? report->verdict : -1;
}

idphoto_status idphoto_report_error(const idphoto_report* report) {
  return report ? report->error : IDPHOTO_OK;
}

const uint8_t* idphoto_report_output(const idphoto_report* report, size_t* size) {
  if (size) *size = 0;
  if (report == nullptr || report->output.empty()) return nullptr;
  if (size) *size = report->output.size();
  return report->output.data();
}

}  // extern "C"
