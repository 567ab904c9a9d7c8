#include <cmath>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "idphoto/idphoto.hpp"

namespace idphoto {

namespace {

using ojson = nlohmann::ordered_json;

// Rounded to `decimals` places so output is byte-stable; integral values print as integers.
ojson number(double v, int decimals = 4) {
  if (!std::isfinite(v)) return nullptr;
  const double scale = std::pow(10.0, decimals);
  double r = std::round(v * scale) / scale;
  if (r == 0.0) r = 0.0;  // no "-0"
  if (std::fabs(r) < 9.0e15 && r == std::floor(r)) return static_cast<std::int64_t>(r);
  return r;
}

ojson optional_number(const std::optional<double>& v) { return v ? number(*v) : ojson(nullptr); }

ojson local_text(const LocalText& t) {
  ojson j = ojson::object();
  j["zh-CN"] = t.zh;
  j["en"] = t.en;
  return j;
}

ojson finding_json(const Finding& f) {
  ojson j = ojson::object();
  j["id"] = f.id;
  j["status"] = std::string(status_name(f.status));
  if (f.value) {
    j["value"] = number(*f.value);
  } else if (f.value_text) {
    j["value"] = *f.value_text;
  } else {
    j["value"] = nullptr;
  }
  j["unit"] = f.unit;
  if (f.range) {
    j["range"] = ojson::array({optional_number(f.range->lo), optional_number(f.range->hi)});
  } else {
    j["range"] = nullptr;
  }
  j["message"] = local_text(f.message);
  j["hint"] = local_text(f.hint);
  j["fixable"] = f.fixable;
  return j;
}

}  // namespace

Verdict Report::verdict() const {
  if (error) return Verdict::error;
  for (const Finding& f : findings) {
    if (f.status == Status::fail) return Verdict::fail;
  }
  return Verdict::pass;
}

const Finding* Report::find(std::string_view id) const {
  for (const Finding& f : findings) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

std::string Report::to_json() const {
  ojson j = ojson::object();
  j["schema_version"] = 1;
  j["input"] = input;
  j["profile"] = profile;
  j["kind"] = kind;
  j["verdict"] = std::string(verdict_name(verdict()));
  if (error) {
    ojson e = ojson::object();
    e["code"] = std::string(error_code_name(error->code));
    e["message"] = error->message;
    j["error"] = std::move(e);
  } else {
    j["error"] = nullptr;
  }
  if (image) {
    ojson im = ojson::object();
    im["format"] = image->format;
    im["width"] = image->width;
    im["height"] = image->height;
    im["bytes"] = image->bytes;
    if (image->dpi) {
      im["dpi"] = ojson::array({number(image->dpi->first, 2), number(image->dpi->second, 2)});
    } else {
      im["dpi"] = nullptr;
    }
    j["image"] = std::move(im);
  } else {
    j["image"] = nullptr;
  }
  ojson fs = ojson::array();
  for (const Finding& f : findings) fs.push_back(finding_json(f));
  j["findings"] = std::move(fs);
  ojson t = ojson::object();
  for (const auto& [name, ms] : timing_ms) t[name] = number(ms, 2);
  j["timing_ms"] = std::move(t);
  // Invalid UTF-8 (e.g. a file name) is replaced rather than thrown.
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace idphoto
