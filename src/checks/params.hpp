// A check's parameters from the profile ("checks": {"<id>": {...}}), already validated on load.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "idphoto/idphoto.hpp"

namespace idphoto::checks {

class Params {
 public:
  Params() = default;
  explicit Params(nlohmann::json j, nlohmann::json context = nullptr)
      : j_(std::move(j)), context_(std::move(context)) {}
  bool has(std::string_view name) const;
  // [lo, hi] with null for an open end.
  Range range(std::string_view name) const;
  double number(std::string_view name, double fallback) const;
  bool boolean(std::string_view name, bool fallback) const;
  std::string string(std::string_view name, std::string_view fallback) const;
  std::vector<std::string> strings(std::string_view name) const;
  const nlohmann::json& json() const { return j_; }
  // What a check needs from the profile beyond its own parameters (photo.background.colour: the
  // profile's named colour table); null for the others. Never part of json().
  const nlohmann::json& context() const { return context_; }

 private:
  nlohmann::json j_ = nlohmann::json::object();
  nlohmann::json context_;
};

}  // namespace idphoto::checks
