// libFuzzer target: the C API. The first byte picks the entry point (mod 7), the rest is its input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "idphoto.h"

namespace {
idphoto_engine* engine() {
  static idphoto_engine* e = [] {
    idphoto_engine* out = nullptr;
    if (idphoto_engine_create("{\"limits\": {\"max_pixels\": 2000000}}", &out) != IDPHOTO_OK)
      std::abort();
    return out;
  }();
  return e;
}

// Reads every byte of a report's output and its JSON, then frees it (for ASan to see). Call it
// after the entry point returns: as consume(call(&r), r) the copy of r may be taken first (a leak).
void consume(idphoto_status status, idphoto_report* r) {
  if (status == IDPHOTO_OK) {
    std::size_t out_size = 0;
    const std::uint8_t* out = idphoto_report_output(r, &out_size);
    if (out && out_size) (void)out[out_size - 1];
    (void)idphoto_report_json(r);
    (void)idphoto_report_verdict(r);
  }
  idphoto_report_free(r);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t op = data[0] % 7;
  const std::uint8_t* rest = data + 1;
  const std::size_t n = size - 1;
  const std::string text(reinterpret_cast<const char*>(rest), n);
  switch (op) {
    case 0: {  // profile JSON, then a check with it on a tiny image
      idphoto_profile* p = nullptr;
      if (idphoto_profile_load_json(text.data(), text.size(), &p) == IDPHOTO_OK) {
        (void)idphoto_profile_json(p);
        idphoto_report* r = nullptr;
        static const std::uint8_t tiny[] = {0x89, 'P', 'N', 'G'};
        (void)idphoto_photo_check(engine(), tiny, sizeof tiny, p, "t", &r);
        idphoto_report_free(r);
      }
      idphoto_profile_free(p);
      break;
    }
    case 1: {  // engine options JSON; a missing model dir keeps each run fast once options parse
      idphoto_engine* e = nullptr;
      auto j = nlohmann::json::parse(text, nullptr, false);
      std::string opts = text;
      if (j.is_object()) {
        j["model_dir"] = "/nonexistent/idphoto-fuzz";
        opts = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      }
      if (idphoto_engine_create(opts.c_str(), &e) == IDPHOTO_OK) {
        (void)idphoto_engine_options_json(e);
      }
      idphoto_engine_free(e);
      break;
    }
    case 2: {  // photo check, input name from the bytes too
      idphoto_report* r = nullptr;
      if (idphoto_photo_check(engine(), rest, n, nullptr, text.c_str(), &r) == IDPHOTO_OK) {
        (void)idphoto_report_json(r);
        (void)idphoto_report_verdict(r);
        (void)idphoto_report_error(r);
      }
      idphoto_report_free(r);
      break;
    }
    case 4: {  // photo fix (output bytes owned by the report)
      idphoto_report* r = nullptr;
      const idphoto_status st = idphoto_photo_fix(engine(), rest, n, nullptr, "f", nullptr, &r);
      consume(st, r);
      break;
    }
    case 5: {  // signature check
      idphoto_report* r = nullptr;
      const idphoto_status st = idphoto_signature_check(engine(), rest, n, nullptr, "s", &r);
      consume(st, r);
      break;
    }
    case 6: {  // signature clean; the next byte picks the options (detected, a forced turn, PNG)
      static const char* const kOptions[] = {nullptr, "{\"rotate\": 90}", "{\"rotate\": 180}",
                                             "{\"transparent\": true}"};
      const char* options = n ? kOptions[rest[0] % 4] : nullptr;
      const std::uint8_t* image = n ? rest + 1 : rest;
      idphoto_report* r = nullptr;
      const idphoto_status st =
          idphoto_signature_clean(engine(), image, n ? n - 1 : 0, nullptr, "k", options, &r);
      consume(st, r);
      break;
    }
    default: {  // lookups by id/index
      idphoto_profile* p = nullptr;
      (void)idphoto_profile_get(text.c_str(), &p);
      idphoto_profile_free(p);
      (void)idphoto_check_title(n, text.c_str());
      (void)idphoto_profile_default_id(text.c_str());
      (void)idphoto_status_name(static_cast<idphoto_status>(n));
      break;
    }
  }
  (void)idphoto_last_error();
  return 0;
}
