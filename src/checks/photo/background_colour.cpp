#include <algorithm>
#include <cmath>
#include <cstdio>

#include "analysis/analysis.hpp"
#include "analysis/appearance.hpp"
#include "checks/finding_util.hpp"

namespace idphoto::checks {
namespace {
Finding run(const analysis::Analysis& a, const Params& p);
}

extern const CheckDef check_background_colour;
const CheckDef check_background_colour{
    .id = "photo.background.colour",
    .kind = "photo",
    .title_zh = "背景颜色",
    .title_en = "Background colour",
    .clause = "Mean CIELAB colour of the background mask within max_delta_e (CIE76) of an allowed colour, and its L* within the lightness band (CPTA: white background). With no plain background, the top corners outside the head fail when each is more than max_delta_e from every allowed colour; otherwise not assessed",
    .fixable = true,
    .params = {{"allowed", ParamType::string_list, true, "allowed colours: names (white, blue, red: CONTRACTS.md values) or #RRGGBB"},
               {"max_delta_e", ParamType::number, true, "largest CIE76 ΔE between the background mean and an allowed colour"},
               {"lightness", ParamType::range, false, "allowed L* (0-100) of the background mean"}},
    .run = run,
    .unit = "delta E",
};

namespace {

// A name through the profile's colour table (filled with CONTRACTS.md's white/blue/red and the
// profile's overrides when it loads); anything else is taken as #RRGGBB.
std::string to_hex(const std::string& name, const Params& p) {
  if (const auto& c = p.context(); c.is_object())
    if (auto it = c.find(name); it != c.end() && it->is_string()) return it->get<std::string>();
  return name;
}

struct Nearest {
  double delta_e = 1e9;
  std::string name;
};

Nearest nearest_allowed(const cv::Vec3f& lab, const Params& p) {
  Nearest n;
  for (const std::string& name : p.strings("allowed")) {
    const auto ref = analysis::hex_to_lab(to_hex(name, p));
    if (!ref) continue;
    const double de = cv::norm(lab - *ref);
    if (de < n.delta_e) n = {de, name};
  }
  return n;
}

// CONTRACTS.md's colour names in Chinese messages; a profile's own names and #RRGGBB stay as written.
std::string name_zh(const std::string& name) {
  if (name == "white") return "白色";
  if (name == "blue") return "蓝色";
  if (name == "red") return "红色";
  return name;
}

std::string lab_text(const cv::Vec3f& lab) {
  return "L*=" + fixed(lab[0], 1) + " a*=" + fixed(lab[1], 1) + " b*=" + fixed(lab[2], 1);
}

const LocalText kHint{"请在纯白（或规定颜色）背景前拍摄，或用 `idphoto fix` 替换背景",
                 "Photograph against a plain white (or the required) background, or let `idphoto fix` replace it"};

// No plain background: the top corners clear of the head still show its colour. When every such corner
// is far from every allowed colour the background is the wrong colour whatever else it shows; otherwise
// its colour is unknown.
Finding busy_background(const analysis::Appearance& ap, const Params& p) {
  const CheckDef& d = check_background_colour;
  const double max_de = p.number("max_delta_e", 0);
  Nearest closest;
  const cv::Vec3f* closest_lab = nullptr;
  for (const cv::Vec3f& c : ap.corner_lab)
    if (Nearest n = nearest_allowed(c, p); !closest_lab || n.delta_e < closest.delta_e) closest = n, closest_lab = &c;
  if (!closest_lab || closest.delta_e <= max_de)
    return not_assessed(d, "delta E",
                        {"未找到纯色背景区域（背景杂乱或人像占满画面），无法判断背景颜色",
                         "No plain background area was found (busy background or no margin), so its colour was not assessed"});
  Finding f = make_finding(d, "delta E");
  f.value = closest.delta_e;
  f.range = Range{std::nullopt, max_de};
  f.status = Status::fail;
  f.message = {"背景颜色不符：背景杂乱，照片上角与允许颜色相差 ΔE " + fixed(closest.delta_e, 1) + "，应不大于 " + fixed(max_de, 1),
               "Wrong background colour: the background is not plain and the photo's top corners are ΔE " +
                   fixed(closest.delta_e, 1) + " or more from the nearest allowed colour (" + closest.name + "); at most " +
                   fixed(max_de, 1) + " (" + lab_text(*closest_lab) + ")"};
  f.hint = kHint;
  apply_severity(f, p);
  return f;
}

Finding run(const analysis::Analysis& a, const Params& p) {
  const CheckDef& d = check_background_colour;
  const auto& ap = a.appearance();
  if (!ap.background_ok) return busy_background(ap, p);
  Finding f = make_finding(d, "delta E");
  const auto [best, best_name] = nearest_allowed(ap.background_lab, p);
  const double max_de = p.number("max_delta_e", 0);
  const double L = ap.background_lab[0];
  f.value = best;
  f.range = Range{std::nullopt, max_de};
  const Range light = p.has("lightness") ? p.range("lightness") : Range{};
  const std::string desc = lab_text(ap.background_lab);
  if (best <= max_de && light.contains(L)) {
    f.status = Status::pass;
    f.message = {"背景颜色合格（" + name_zh(best_name) + "，ΔE " + fixed(best, 1) + "）",
                 "Background colour OK (" + best_name + ", ΔE " + fixed(best, 1) + ", " + desc + ")"};
    return f;
  }
  f.status = Status::fail;
  if (best <= max_de)
    f.message = {"背景亮度不符：L*=" + fixed(L, 1), "Background lightness out of range: " + desc};
  else
    f.message = {"背景颜色不符：与允许颜色相差 ΔE " + fixed(best, 1) + "，应不大于 " + fixed(max_de, 1),
                 "Wrong background colour: ΔE " + fixed(best, 1) + " from the nearest allowed colour (" + best_name +
                     "); at most " + fixed(max_de, 1) + " (" + desc + ")"};
  f.hint = kHint;
  apply_severity(f, p);
  return f;
}

}  // namespace
}  // namespace idphoto::checks
