#include "checks/finding_util.hpp"

#include <cmath>
#include <cstdio>

namespace idphoto::checks {
namespace {

// Up to `decimals` decimals, trailing zeros trimmed.
std::string num(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  if (s.find('.') != std::string::npos) {
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

std::string bare(double v, Fmt f, int extra = 0) {
  switch (f) {
    case Fmt::percent:
      return num(v * 100.0, 1 + extra);
    case Fmt::signed_percent:
      return std::string(v > 0 ? "+" : "").append(num(v * 100.0, 1 + extra));
    case Fmt::px:
      return num(v, 1 + extra);
    case Fmt::kb:
      return num(v, 1 + extra);
    case Fmt::dpi:
      return num(v, 1 + extra);
    case Fmt::deg:
      return std::string(v > 0 ? "+" : "").append(num(v, 1 + extra));
    case Fmt::count:
      return num(v, extra);
    case Fmt::chroma:
      return num(v, 1 + extra);
  }
  return num(v, 2 + extra);
}

std::string suffix(Fmt f) {
  switch (f) {
    case Fmt::percent:
    case Fmt::signed_percent:
      return "%";
    case Fmt::px:
      return " px";
    case Fmt::kb:
      return " KB";
    case Fmt::dpi:
      return " dpi";
    case Fmt::deg:
      return "°";
    case Fmt::count:
      return "";
    case Fmt::chroma:
      return "";
  }
  return "";
}

}  // namespace

std::string format_value(double v, Fmt f) { return bare(v, f) + suffix(f); }

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

Finding signed_angle_finding(const CheckDef& def, const Params& p, const double* angle_deg,
                             const RangeText& t) {
  if (!angle_deg) return no_face(def, "deg");
  const double max_deg = p.number("max_deg", 0);
  return range_finding(def, p, *angle_deg, "deg", Range{-max_deg, max_deg}, Fmt::deg, t);
}

std::string format_range(const Range& r, Fmt f, bool zh) {
  if (r.lo && r.hi) {
    if (*r.lo == *r.hi) return format_value(*r.lo, f);
    if (*r.hi > 0 && *r.lo == -*r.hi) {
      Fmt unsigned_f = f == Fmt::signed_percent ? Fmt::percent : f;
      std::string m =
          unsigned_f == Fmt::deg ? num(*r.hi, 1) + "°" : format_value(*r.hi, unsigned_f);
      return zh ? "±" + m + " 以内" : "within ±" + m;
    }
    if (zh) return format_value(*r.lo, f) + "–" + format_value(*r.hi, f);
    if (*r.lo < 0) return format_value(*r.lo, f) + " to " + format_value(*r.hi, f);
    return bare(*r.lo, f) + "–" + format_value(*r.hi, f);
  }
  if (r.lo) return (zh ? "不小于 " : "at least ") + format_value(*r.lo, f);
  if (r.hi) return (zh ? "不大于 " : "at most ") + format_value(*r.hi, f);
  return zh ? "任意值" : "any value";
}

std::string expect_zh(const Range& r, Fmt f) {
  const std::string text = format_range(r, f, true);
  if (r.lo && r.hi && *r.hi > 0 && *r.lo == -*r.hi) return "应在 " + text;
  if (r.lo && r.hi) return "应为 " + text;
  if (r.lo || r.hi) return "应" + text;
  return text;
}

Finding make_finding(const CheckDef& def, std::string unit) {
  Finding f;
  f.id = std::string(def.id);
  f.unit = std::move(unit);
  f.fixable = def.fixable;
  f.status = Status::not_assessed;
  return f;
}

Finding not_assessed(const CheckDef& def, std::string unit, LocalText reason) {
  Finding f = make_finding(def, std::move(unit));
  f.message = std::move(reason);
  return f;
}

Finding no_face(const CheckDef& def, std::string unit) {
  return not_assessed(
      def, std::move(unit),
      {"未检测到人脸，无法检查此项", "No face was found, so this was not assessed"});
}

void apply_severity(Finding& f, const Params& p) {
  if (f.status == Status::fail && p.string("severity", "fail") == "warn") f.status = Status::warn;
}

Finding range_finding(const CheckDef& def, const Params& p, double value, std::string unit,
                      const Range& range, Fmt fmt, const RangeText& t) {
  Finding f = make_finding(def, std::move(unit));
  f.value = value;
  f.range = range;
  std::string v = format_value(value, fmt);
  // A failing value must not display as its bound ("-8°; allowed ±8°"): add decimals until it
  // differs.
  for (const auto& bound : {range.lo, range.hi})
    for (int extra = 1;
         bound && !range.contains(value) && extra <= 6 && v == format_value(*bound, fmt); ++extra)
      v = bare(value, fmt, extra) + suffix(fmt);
  const std::string rz = expect_zh(range, fmt);
  const std::string re = format_range(range, fmt, false);
  const bool low = range.lo && value < *range.lo;
  const bool high = range.hi && value > *range.hi;
  if (!low && !high) {
    f.status = Status::pass;
    f.message.zh = t.ok.zh + "：" + t.what_zh + v + "（" + rz + "）";
    f.message.en = t.ok.en + ": " + t.what_en + " " + v + t.what_en_after + " (allowed " + re + ")";
    return f;
  }
  const LocalText& label = low ? t.too_low : t.too_high;
  f.status = Status::fail;
  f.message.zh = label.zh + "：" + t.what_zh + v + "，" + rz;
  f.message.en = label.en + ": " + t.what_en + " " + v + t.what_en_after + "; allowed " + re;
  f.hint = low ? t.hint_low : t.hint_high;
  apply_severity(f, p);
  return f;
}

}  // namespace idphoto::checks
