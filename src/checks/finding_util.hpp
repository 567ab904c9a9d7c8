// Shared building blocks for checks: findings, human-readable values and ranges, bilingual
// messages.
#pragma once

#include <optional>
#include <string>

#include "checks/check.hpp"
#include "checks/params.hpp"
#include "idphoto/idphoto.hpp"

namespace idphoto::checks {

// How a value is shown to the applicant.
enum class Fmt { percent, signed_percent, px, kb, dpi, deg, count, chroma };

std::string format_value(double v, Fmt f);
// v with exactly `decimals` decimals ("0.041", "99.9"): for values shown raw in messages.
std::string fixed(double v, int decimals);
// "55%–72%", "±8°", "at least 60 px" / "不小于 60 px", "exactly 1" / "1"; zh selects the language.
std::string format_range(const Range& r, Fmt f, bool zh);

// "应为 55%–72%", "应不小于 60 px", "应不大于 240 KB", "应在 ±8° 以内".
std::string expect_zh(const Range& r, Fmt f);

// A finding with id, unit and fixable set from the definition, status not_assessed.
Finding make_finding(const CheckDef& def, std::string unit);

Finding not_assessed(const CheckDef& def, std::string unit, LocalText reason);
// The standard "no face found" not_assessed finding for face, pose and geometry checks.
Finding no_face(const CheckDef& def, std::string unit);

// fail becomes warn when the profile says "severity": "warn".
void apply_severity(Finding& f, const Params& p);

// Texts of a range check. Messages read "<label>: <what_en> <value><what_en_after>; allowed
// <range>" and
// "<label>：<what_zh><value>，<expect_zh(range)>".
struct RangeText {
  LocalText ok;         // label when within range, e.g. {"头部大小合格", "Head size OK"}
  LocalText too_low;    // label below range
  LocalText too_high;   // label above range
  std::string what_zh;  // e.g. "头顶到下巴占照片高度的"
  std::string what_en;  // e.g. "crown to chin is"
  std::string what_en_after;  // e.g. " of the photo height"
  LocalText hint_low;
  LocalText hint_high;
};

// Compares value with range (inclusive, open ends allowed) and fills status, value, range and
// texts.
Finding range_finding(const CheckDef& def, const Params& p, double value, std::string unit,
                      const Range& range, Fmt fmt, const RangeText& t);

// A signed angle from the head pose against [-max_deg, max_deg] (param "max_deg"); angle_deg null
// (no face) gives the standard no_face finding.
Finding signed_angle_finding(const CheckDef& def, const Params& p, const double* angle_deg,
                             const RangeText& t);

}  // namespace idphoto::checks
