#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <set>

#include "checks/check.hpp"
#include "profiles/profile_loader.hpp"

namespace idphoto {
namespace profiles {
namespace {

using nlohmann::json;

Error bad(std::string msg) { return {ErrorCode::bad_profile, std::move(msg)}; }

std::string qk(std::string_view s) { return std::string(1, '"').append(s).append(1, '"'); }

std::string type_of(const json& j) { return j.type_name(); }

// Cheap scan before the (recursive) parser: size and nesting depth outside strings.
std::optional<std::string> precheck(std::string_view text) {
  if (text.size() > kMaxProfileBytes)
    return "profile is " + std::to_string(text.size()) + " bytes; profiles are limited to " +
           std::to_string(kMaxProfileBytes) + " bytes";
  // UTF-16 (a BOM, or the NUL of every other byte): JSON's parse error would name a stray character.
  if (text.rfind("\xFF\xFE", 0) == 0 || text.rfind("\xFE\xFF", 0) == 0 ||
      (text.size() >= 2 && (text[0] == '\0' || text[1] == '\0')))
    return "profile JSON is UTF-16 text; save it as UTF-8";
  int depth = 0;
  bool in_string = false, escaped = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > kMaxProfileDepth)
        return "profile JSON nests deeper than " + std::to_string(kMaxProfileDepth) +
               " levels (at byte " + std::to_string(i) + ")";
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return std::nullopt;
}

const std::set<std::string, std::less<>> kTopLevel = {
    "id",     "kind", "title", "source", "description", "extends", "background_colours",
    "checks", "fix"};
const std::set<std::string, std::less<>> kCommonParams = {"note", "enabled", "severity"};

std::optional<std::string> check_param(const std::string& field, checks::ParamType type,
                                       const json& v) {
  switch (type) {
    case checks::ParamType::range: {
      const bool shape = v.is_array() && v.size() == 2 && (v[0].is_number() || v[0].is_null()) &&
                         (v[1].is_number() || v[1].is_null());
      if (!shape ||
          (v[0].is_number() && v[1].is_number() && v[0].get<double>() > v[1].get<double>()))
        return field + ": expected [lo, hi] with lo <= hi (numbers, null for an open end), got " +
               v.dump();
      return std::nullopt;
    }
    case checks::ParamType::number:
      if (!v.is_number()) return field + ": expected a number, got " + type_of(v);
      return std::nullopt;
    case checks::ParamType::boolean:
      if (!v.is_boolean()) return field + ": expected true or false, got " + type_of(v);
      return std::nullopt;
    case checks::ParamType::string:
      if (!v.is_string()) return field + ": expected a string, got " + type_of(v);
      return std::nullopt;
    case checks::ParamType::string_list:
      if (!v.is_array() ||
          !std::all_of(v.begin(), v.end(), [](const json& e) { return e.is_string(); }))
        return field + ": expected an array of strings, got " + v.dump();
      return std::nullopt;
  }
  return std::nullopt;
}

std::string param_names(const checks::CheckDef& def) {
  std::string s;
  for (const auto& p : def.params) s += std::string(p.name) + ", ";
  return s + "note, enabled, severity";
}

// The "fix" object's keys (docs/fix.md, "Profile keys"): a number within [lo, hi] (whole when
// whole), or true/false.
struct FixKey {
  const char* name;
  bool boolean;
  double lo, hi;
  bool whole;
};
constexpr FixKey kFixKeys[] = {
    {"width", false, 1, 10000, true},           {"height", false, 1, 10000, true},
    {"band_inset", false, 0, 0.49, false},      {"allow_upscale", true, 0, 0, false},
    {"extend_background", true, 0, 0, false},   {"max_extend", false, 0, 1, false},
    {"max_extend_bottom", false, 0, 1, false},  {"min_plain_background", false, 0, 1, false},
};

std::optional<std::string> validate_fix(const json& fx) {
  for (const auto& [k, v] : fx.items()) {
    const std::string field = "fix." + qk(k);
    if (k == "note") {
      if (!v.is_string()) return field + ": expected a string, got " + type_of(v);
      continue;
    }
    const auto* key = std::find_if(std::begin(kFixKeys), std::end(kFixKeys),
                                   [&k = k](const FixKey& f) { return k == f.name; });
    if (key == std::end(kFixKeys)) {
      std::string names;
      for (const auto& f : kFixKeys) names += std::string(names.empty() ? "" : ", ") + f.name;
      return field + ": unknown key (allowed: " + names + ", note)";
    }
    if (v.is_null()) continue;  // removes an inherited value
    if (key->boolean) {
      if (!v.is_boolean()) return field + ": expected true or false, got " + v.dump();
      continue;
    }
    if (!v.is_number()) return field + ": expected a number, got " + type_of(v);
    const double d = v.get<double>();
    if (!(d >= key->lo && d <= key->hi) || (key->whole && d != std::floor(d))) {
      char range[96];
      std::snprintf(range, sizeof range, "%s %g to %g", key->whole ? "a whole number" : "a number", key->lo,
                    key->hi);
      return field + ": expected " + range + ", got " + v.dump();
    }
  }
  return std::nullopt;
}

// Structure and types of one profile document as written (before merging).
std::optional<std::string> validate_document(const json& j) {
  if (!j.is_object()) return "profile: expected a JSON object at the root, got " + type_of(j);
  for (const auto& [k, v] : j.items()) {
    if (!kTopLevel.contains(k) && k.rfind("x-", 0) != 0)
      return qk(k) +
             ": unknown field (allowed: id, kind, title, source, description, extends, "
             "background_colours, checks, fix, x-*)";
  }
  if (!j.contains("id") || !j["id"].is_string() || j["id"].get<std::string>().empty())
    return "id: expected a non-empty string";
  if (j.contains("kind")) {
    const json& k = j["kind"];
    if (!k.is_string() || (k != "photo" && k != "signature"))
      return "kind: expected \"photo\" or \"signature\", got " + k.dump();
  }
  if (j.contains("title")) {
    const json& t = j["title"];
    if (!t.is_object())
      return "title: expected an object {\"zh-CN\": ..., \"en\": ...}, got " + type_of(t);
    for (const auto& [k, v] : t.items()) {
      if (k != "zh-CN" && k != "en")
        return "title." + qk(k) + ": unknown language (allowed: zh-CN, en)";
      if (!v.is_string()) return "title." + qk(k) + ": expected a string, got " + type_of(v);
    }
  }
  for (const char* f : {"source", "description"})
    if (j.contains(f) && !j[f].is_string())
      return std::string(f) + ": expected a string, got " + type_of(j[f]);
  if (j.contains("extends") && !j["extends"].is_string() && !j["extends"].is_null())
    return "extends: expected a profile id or null, got " + type_of(j["extends"]);
  if (j.contains("fix") && !j["fix"].is_object() && !j["fix"].is_null())
    return "fix: expected an object, got " + type_of(j["fix"]);
  if (j.contains("fix") && j["fix"].is_object())
    if (auto e = validate_fix(j["fix"])) return e;
  if (j.contains("background_colours") && !j["background_colours"].is_null()) {
    const json& b = j["background_colours"];
    if (!b.is_object())
      return "background_colours: expected an object of \"name\": \"#RRGGBB\", got " + type_of(b);
    for (const auto& [k, v] : b.items()) {
      if (v.is_null()) continue;
      const bool ok =
          v.is_string() && v.get<std::string>().size() == 7 && v.get<std::string>()[0] == '#' &&
          v.get<std::string>().find_first_not_of("0123456789abcdefABCDEF", 1) == std::string::npos;
      if (!ok) return "background_colours." + qk(k) + ": expected \"#RRGGBB\", got " + v.dump();
    }
  }
  if (j.contains("checks")) {
    const json& c = j["checks"];
    if (!c.is_object())
      return "checks: expected an object of check id → parameters, got " + type_of(c);
    for (const auto& [id, params] : c.items()) {
      const std::string field = "checks." + qk(id);
      const checks::CheckDef* def = checks::find_check(id);
      if (!def) return field + ": unknown check id (see `idphoto checks`)";
      if (params.is_null()) continue;
      if (!params.is_object())
        return field + ": expected an object of parameters or null, got " + type_of(params);
      for (const auto& [name, v] : params.items()) {
        const std::string pf = field + "." + name;
        if (name == "note") {
          if (!v.is_string()) return pf + ": expected a string, got " + type_of(v);
          continue;
        }
        if (name == "enabled") {
          if (!v.is_boolean()) return pf + ": expected true or false, got " + type_of(v);
          continue;
        }
        if (name == "severity") {
          if (v != "fail" && v != "warn")
            return pf + ": expected \"fail\" or \"warn\", got " + v.dump();
          continue;
        }
        auto it = std::find_if(def->params.begin(), def->params.end(),
                               [&name = name](const checks::ParamSpec& s) { return s.name == name; });
        if (it == def->params.end())
          return pf + ": unknown parameter (allowed: " + param_names(*def) + ")";
        if (v.is_null()) continue;  // removes an inherited value
        if (auto e = check_param(pf, it->type, v)) return e;
      }
    }
  }
  return std::nullopt;
}

// What only the merged profile can tell: kind, title, required parameters, check kinds.
std::optional<std::string> validate_merged(const json& m) {
  if (!m.contains("kind")) return "kind: required (\"photo\" or \"signature\")";
  const std::string kind = m["kind"];
  if (!m.contains("title") || !m["title"].contains("zh-CN") || !m["title"].contains("en"))
    return "title: required, with \"zh-CN\" and \"en\" strings";
  if (!m.contains("checks")) return std::nullopt;
  for (const auto& [id, params] : m["checks"].items()) {
    const checks::CheckDef* def = checks::find_check(id);
    const std::string field = "checks." + qk(id);
    if (params.contains("enabled") && params["enabled"] == false) continue;
    if (def->kind != kind)
      return field + ": a " + std::string(def->kind) + " check in a " + kind + " profile";
    for (const auto& spec : def->params)
      if (spec.required && (!params.contains(spec.name) || params[spec.name].is_null()))
        return field + "." + std::string(spec.name) + ": required parameter missing (" +
               std::string(spec.doc) + ")";
  }
  return std::nullopt;
}

Result<json> parse(std::string_view text) {
  if (auto e = precheck(text)) return bad(*e);
  try {
    return json::parse(text.begin(), text.end());
  } catch (const json::exception& e) {  // parse_error, and out_of_range for numbers like 1e999
    std::string what = e.what();
    if (auto p = what.find("] "); p != std::string::npos) what = what.substr(p + 2);
    return bad("profile JSON: " + what);
  }
}

Result<json> merged_json(std::string_view text, const ParentLookup& lookup,
                         std::vector<std::string>& chain) {
  auto parsed = parse(text);
  if (!parsed) return parsed.error();
  json doc = std::move(parsed.value());
  if (auto e = validate_document(doc)) return bad(*e);
  const std::string id = doc["id"];
  json merged = json::object();
  if (doc.contains("extends") && doc["extends"].is_string()) {
    const std::string parent = doc["extends"];
    chain.push_back(id);
    if (std::find(chain.begin(), chain.end(), parent) != chain.end() ||
        static_cast<int>(chain.size()) > kMaxExtendsChain) {
      std::string path;
      for (const auto& c : chain) path += qk(c) + " → ";
      return bad("extends: cycle " + path + qk(parent));
    }
    std::optional<std::string> parent_text = lookup ? lookup(parent) : std::nullopt;
    if (!parent_text) return bad("extends: unknown profile " + qk(parent));
    auto pm = merged_json(*parent_text, lookup, chain);
    if (!pm) return bad("extends: in profile " + qk(parent) + ": " + pm.error().message);
    merged = std::move(pm.value());
  }
  merged.merge_patch(doc);
  merged["extends"] = nullptr;  // the merged profile stands alone (to_json loads again unchanged)
  return merged;
}

std::shared_ptr<const ProfileData> to_data(json merged) {
  auto d = std::make_shared<ProfileData>();
  d->id = merged["id"];
  d->kind = merged["kind"];
  d->title = {merged["title"]["zh-CN"], merged["title"]["en"]};
  if (d->kind == "photo") {
    json colours = {{"white", "#FFFFFF"}, {"blue", "#438EDB"}, {"red", "#FF0000"}};  // CONTRACTS.md
    if (merged.contains("background_colours")) colours.merge_patch(merged["background_colours"]);
    merged["background_colours"] = colours;
  }
  if (!merged.contains("checks")) merged["checks"] = json::object();
  for (const checks::CheckDef* def : checks::registry()) {
    auto it = merged["checks"].find(std::string(def->id));
    if (it == merged["checks"].end()) continue;
    if (it->contains("enabled") && (*it)["enabled"] == false) continue;
    // The colour check reads names through the profile's own colour table (CONTRACTS.md: named
    // colours are overridable per profile).
    json context = def->id == std::string_view("photo.background.colour") ? merged["background_colours"] : json();
    d->checks.emplace_back(def, checks::Params(*it, std::move(context)));
  }
  d->merged = std::move(merged);
  return d;
}

std::map<std::string, Result<std::shared_ptr<const ProfileData>>, std::less<>>& builtin_cache() {
  static std::map<std::string, Result<std::shared_ptr<const ProfileData>>, std::less<>> cache = [] {
    std::map<std::string, Result<std::shared_ptr<const ProfileData>>, std::less<>> m;
    for (const auto& e : embedded_profiles()) {
      auto r = load_profile(e.json, builtin_lookup());
      if (r && r.value()->id != e.id)
        r = bad("built-in profile file " + std::string(e.id) + ".json has id " + qk(r.value()->id));
      m.emplace(std::string(e.id), std::move(r));
    }
    return m;
  }();
  return cache;
}

}  // namespace

Result<std::shared_ptr<const ProfileData>> load_profile(std::string_view json_text,
                                                        const ParentLookup& lookup) {
  try {
    std::vector<std::string> chain;
    auto m = merged_json(json_text, lookup, chain);
    if (!m) return m.error();
    if (auto e = validate_merged(m.value())) return bad(*e);
    return to_data(std::move(m.value()));
  } catch (const nlohmann::json::exception& e) {  // validation should make this unreachable
    return bad(std::string("profile: ") + e.what());
  }
}

ParentLookup builtin_lookup() {
  return [](std::string_view id) -> std::optional<std::string> {
    for (const auto& e : embedded_profiles())
      if (e.id == id) return std::string(e.json);
    return std::nullopt;
  };
}

}  // namespace profiles

Result<Profile> Profile::builtin(std::string_view id) {
  auto& cache = profiles::builtin_cache();
  auto it = cache.find(id);
  if (it == cache.end()) {
    std::string ids;
    for (const auto& i : builtin_ids()) ids += (ids.empty() ? "" : ", ") + i;
    return Error{ErrorCode::bad_profile,
                 "unknown profile \"" + std::string(id) + "\" (built-in: " + ids + ")"};
  }
  if (!it->second) return it->second.error();
  return Profile(it->second.value());
}

Result<Profile> Profile::from_json(std::string_view json_text) {
  auto d = profiles::load_profile(json_text, profiles::builtin_lookup());
  if (!d) return d.error();
  return Profile(std::move(d.value()));
}

Result<Profile> Profile::resolve(std::string_view id_or_path) {
  for (const auto& e : profiles::embedded_profiles())
    if (e.id == id_or_path) return builtin(id_or_path);
  const std::filesystem::path path{std::string(id_or_path)};
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  std::ifstream f(path, std::ios::binary);
  if (ec || !f) {
    std::string ids;
    for (const auto& i : builtin_ids()) ids += (ids.empty() ? "" : ", ") + i;
    return Error{ErrorCode::bad_profile, "profile \"" + std::string(id_or_path) +
                                             "\": no built-in profile has this id (" + ids +
                                             ") and no readable file exists at this path"};
  }
  if (size > profiles::kMaxProfileBytes)
    return Error{ErrorCode::bad_profile, path.string() + ": profile is " + std::to_string(size) +
                                             " bytes; profiles are limited to " +
                                             std::to_string(profiles::kMaxProfileBytes) + " bytes"};
  std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  auto p = from_json(text);
  if (!p) return Error{ErrorCode::bad_profile, path.string() + ": " + p.error().message};
  return p;
}

std::vector<std::string> Profile::builtin_ids() {
  std::vector<std::string> ids;
  for (const auto& e : profiles::embedded_profiles()) ids.emplace_back(e.id);
  return ids;
}

std::string Profile::default_id(std::string_view kind) {
  if (kind == "photo") return "cn-1inch";
  if (kind == "signature") return "cn-signature";
  return "";
}

const std::string& Profile::id() const { return d_->id; }
const std::string& Profile::kind() const { return d_->kind; }
const LocalText& Profile::title() const { return d_->title; }
std::string Profile::to_json() const { return d_->merged.dump(2); }

double faces_down_to(const ProfileData& d) {
  double share = 0.5;
  for (const auto& check : d.checks)
    if (std::string_view(check.first->id) == "photo.face.count")
      share = std::min(share, check.second.number("min_relative_width", 0.5));
  return std::max(0.0, share);
}

std::vector<std::string> allowed_formats(const ProfileData& d) {
  for (const auto& check : d.checks) {
    const std::string_view id = check.first->id;
    if (id == "photo.file.format" || id == "signature.file.format") return check.second.strings("allowed");
  }
  return {};
}

Result<std::string> output_format(const ProfileData& d, const std::string& requested, std::string_view tool) {
  const std::vector<std::string> allowed = allowed_formats(d);
  std::string format = requested;
  if (format.empty())
    format = allowed.empty() || std::find(allowed.begin(), allowed.end(), "jpeg") != allowed.end() ? "jpeg"
                                                                                                    : allowed.front();
  if (format != "jpeg" && format != "png")
    return Error{ErrorCode::invalid_argument,
                 (requested.empty() ? "profile '" + d.id + "' asks for " + format + " output"
                                    : "format '" + format + "'") +
                     "; " + std::string(tool) + " writes JPEG or PNG"};
  if (!requested.empty() && !allowed.empty() &&
      std::find(allowed.begin(), allowed.end(), format) == allowed.end()) {
    std::string list;
    for (const auto& f : allowed) list += (list.empty() ? "" : ", ") + f;
    return Error{ErrorCode::invalid_argument, "profile '" + d.id + "' accepts " + list + ", not " + format +
                                                  ": write a file of an accepted format"};
  }
  return format;
}

}  // namespace idphoto
