#include "checks/params.hpp"

namespace idphoto::checks {
namespace {

const nlohmann::json* get(const nlohmann::json& j, std::string_view name) {
  if (!j.is_object()) return nullptr;
  auto it = j.find(std::string(name));
  if (it == j.end() || it->is_null()) return nullptr;
  return &*it;
}

}  // namespace

bool Params::has(std::string_view name) const { return get(j_, name) != nullptr; }

Range Params::range(std::string_view name) const {
  Range r;
  const nlohmann::json* v = get(j_, name);
  if (!v || !v->is_array() || v->size() != 2) return r;
  if ((*v)[0].is_number()) r.lo = (*v)[0].get<double>();
  if ((*v)[1].is_number()) r.hi = (*v)[1].get<double>();
  return r;
}

double Params::number(std::string_view name, double fallback) const {
  const nlohmann::json* v = get(j_, name);
  return v && v->is_number() ? v->get<double>() : fallback;
}

bool Params::boolean(std::string_view name, bool fallback) const {
  const nlohmann::json* v = get(j_, name);
  return v && v->is_boolean() ? v->get<bool>() : fallback;
}

std::string Params::string(std::string_view name, std::string_view fallback) const {
  const nlohmann::json* v = get(j_, name);
  return v && v->is_string() ? v->get<std::string>() : std::string(fallback);
}

std::vector<std::string> Params::strings(std::string_view name) const {
  std::vector<std::string> out;
  const nlohmann::json* v = get(j_, name);
  if (!v || !v->is_array()) return out;
  for (const auto& e : *v)
    if (e.is_string()) out.push_back(e.get<std::string>());
  return out;
}

}  // namespace idphoto::checks
