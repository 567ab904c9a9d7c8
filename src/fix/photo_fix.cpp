#include "fix/photo_fix.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <functional>
#include <future>
#include <system_error>

#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>

#include "analysis/analysis.hpp"
#include "analysis/crown_estimate.hpp"
#include "checks/check.hpp"
#include "core/engine_common.hpp"
#include "fix/background_replace.hpp"
#include "fix/crop_plan.hpp"
#include "fix/kb_encode.hpp"
#include "io/decode.hpp"
#include "profiles/profile_data.hpp"

namespace idphoto::fix {
namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

std::string num(double v, const char* f = "%.1f") {
  char b[48];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

// The largest output side a profile may ask for (ID photos are a few hundred pixels; a source large
// enough for more would be refused anyway, as no fix upscales).
constexpr int kMaxOutputSide = 10000;

// What the fix needs from the profile.
struct FixParams {
  int out_w = 0, out_h = 0;
  std::size_t min_bytes = 0, max_bytes = 0;
  std::optional<int> dpi;
  GeometryBands bands;
  bool extend_background = true;  // may plain background be extended past the photo's edge
  double max_extend = 0.2;        // at most this share of the crop height/width on any side
  double max_extend_bottom = 0.1; // clothing below the chin is repeated at most this share
  double min_plain_share = 0.85;  // background replacement needs this share of plain background
};

std::optional<Range> range_of(const json& checks, const char* id, const char* key) {
  if (!checks.contains(id) || !checks[id].is_object() || !checks[id].contains(key)) return std::nullopt;
  const json& a = checks[id][key];
  if (!a.is_array() || a.size() != 2) return std::nullopt;
  Range r;
  if (a[0].is_number()) r.lo = a[0].get<double>();
  if (a[1].is_number()) r.hi = a[1].get<double>();
  return r;
}

Result<FixParams> fix_params(const Profile& profile) {
  const json& m = profile.data().merged;
  const json checks = m.contains("checks") && m["checks"].is_object() ? m["checks"] : json::object();
  const json fx = m.contains("fix") && m["fix"].is_object() ? m["fix"] : json::object();
  FixParams p;
  const auto w = range_of(checks, "photo.image.dimensions", "width");
  const auto h = range_of(checks, "photo.image.dimensions", "height");
  // Read as numbers first: a value beyond int (1e300) must be refused, not cast.
  const auto side = [&](const char* key, const std::optional<Range>& r) {
    if (fx.contains(key) && fx[key].is_number()) return fx[key].get<double>();
    return r && r->lo ? *r->lo : 0.0;
  };
  const double out_w = side("width", w), out_h = side("height", h);
  if (out_w <= 0 || out_h <= 0)
    return Error{ErrorCode::bad_profile,
                 "profile '" + profile.id() + "' gives no output size (photo.image.dimensions or fix.width/height)"};
  if (!(out_w <= kMaxOutputSide && out_h <= kMaxOutputSide))
    return Error{ErrorCode::bad_profile, "profile '" + profile.id() + "' asks for a " + num(out_w, "%g") + " × " +
                                             num(out_h, "%g") + " px photo; each side may be at most " +
                                             std::to_string(kMaxOutputSide) + " px"};
  p.out_w = static_cast<int>(out_w);
  p.out_h = static_cast<int>(out_h);
  if (const auto kb = range_of(checks, "photo.file.size", "kb")) {
    if (kb->lo) p.min_bytes = static_cast<std::size_t>(std::ceil(*kb->lo * 1024));
    p.max_bytes = kb->hi ? static_cast<std::size_t>(std::floor(*kb->hi * 1024)) : 100u * 1024 * 1024;
  } else {
    p.max_bytes = 100u * 1024 * 1024;
  }
  if (const auto d = range_of(checks, "photo.image.dpi", "range"); d && (d->lo || d->hi)) {
    // The density the output records: the range's low end (else its high end), as a whole dpi that
    // a JFIF header (16 bits) can hold.
    const double v = d->lo ? *d->lo : *d->hi;
    if (!(v >= 0.5 && v < 65535.5))
      return Error{ErrorCode::bad_profile, "profile '" + profile.id() + "' asks for " + num(v, "%g") +
                                               " dpi; a fixed photo records 1 to 65535 dpi"};
    p.dpi = static_cast<int>(std::lround(v));
  }
  GeometryBands& g = p.bands;
  g.out_width = p.out_w;
  g.out_height = p.out_h;
  g.head_height = range_of(checks, "photo.geometry.head_height", "range");
  g.crown_margin = range_of(checks, "photo.geometry.crown_margin", "range");
  g.eye_line = range_of(checks, "photo.geometry.eye_line", "range");
  g.centring = range_of(checks, "photo.geometry.centring", "range");
  g.face_width = range_of(checks, "photo.geometry.face_width", "range");
  if (const auto ied = range_of(checks, "photo.face.ied", "range"); ied && ied->lo) g.min_ied = *ied->lo;
  g.allow_upscale = fx.value("allow_upscale", false);
  g.inset = fx.value("band_inset", 0.15);
  p.extend_background = fx.value("extend_background", true);
  p.max_extend = fx.value("max_extend", 0.2);
  p.max_extend_bottom = fx.value("max_extend_bottom", 0.1);
  p.min_plain_share = fx.value("min_plain_background", 0.85);
  return p;
}

Finding refusal(std::string id, LocalText message, LocalText hint = {}) {
  Finding f;
  f.id = std::move(id);
  f.status = Status::fail;
  f.message = std::move(message);
  f.hint = std::move(hint);
  f.fixable = false;
  return f;
}

// The profile's checks run over an analysis (the engine's loop, on a possibly scaled decode).
Report judge(const analysis::Analysis& a, const Profile& profile, std::string_view name) {
  Report r;
  r.input = std::string(name);
  r.profile = profile.id();
  r.image = input_info({}, &a.image());
  // Not a structured binding: clang 14 cannot capture one in a lambda (C++20 P1091, clang >= 16).
  for (const auto& check : profile.data().checks) {
    const checks::CheckDef* def = check.first;
    const checks::Params& params = check.second;
    r.findings.push_back(run_check_guarded(def->id, [&] { return def->run(a, params); }));
  }
  return r;
}

// Copies roi of img, filling what lies outside: constant fill above and at the sides, the last rows repeated below.
cv::Mat extract(const cv::Mat& img, cv::Rect roi, const std::function<cv::Scalar()>& fill) {
  const cv::Rect inside = roi & cv::Rect(0, 0, img.cols, img.rows);
  if (inside.area() == 0) return cv::Mat(roi.size(), img.type(), fill());
  cv::Mat part = img(inside);
  const int top = inside.y - roi.y, left = inside.x - roi.x;
  const int bottom = roi.y + roi.height - (inside.y + inside.height);
  const int right = roi.x + roi.width - (inside.x + inside.width);
  if (top == 0 && left == 0 && bottom == 0 && right == 0) return part;
  cv::Mat tmp, out;
  cv::copyMakeBorder(part, tmp, 0, bottom, 0, 0, cv::BORDER_REPLICATE);
  cv::copyMakeBorder(tmp, out, top, 0, left, right, cv::BORDER_CONSTANT,
                     top == 0 && left == 0 && right == 0 ? cv::Scalar() : fill());
  return out;
}

// Renders the crop: full-size → output affine `to_out` (2×3), img decoded at `scale` px per full px.
// Downscaling uses INTER_AREA to the output resolution, then one bilinear warp for rotation and sub-pixel shift.
cv::Mat render(const cv::Mat& img, double scale, const cv::Mat& to_out, cv::Size out,
               const std::function<cv::Scalar()>& fill, int interp_small) {
  cv::Mat M = to_out.clone();  // decoded → output
  M.col(0) /= scale;
  M.col(1) /= scale;
  cv::Mat inv;
  cv::invertAffineTransform(M, inv);
  std::vector<cv::Point2f> corners = {{0, 0}, {static_cast<float>(out.width), 0},
                                      {0, static_cast<float>(out.height)},
                                      {static_cast<float>(out.width), static_cast<float>(out.height)}};
  std::vector<cv::Point2f> src;
  cv::transform(corners, src, inv);
  float x0 = src[0].x, y0 = src[0].y, x1 = x0, y1 = y0;
  for (const auto& p : src) {
    x0 = std::min(x0, p.x), y0 = std::min(y0, p.y), x1 = std::max(x1, p.x), y1 = std::max(y1, p.y);
  }
  const double f = std::sqrt(std::abs(cv::determinant(M.colRange(0, 2))));  // output px per decoded px
  const int pad = 2 + static_cast<int>(std::ceil(2 / std::min(1.0, f)));
  const cv::Rect roi(static_cast<int>(std::floor(x0)) - pad, static_cast<int>(std::floor(y0)) - pad,
                     static_cast<int>(std::ceil(x1 - x0)) + 2 * pad, static_cast<int>(std::ceil(y1 - y0)) + 2 * pad);
  cv::Mat patch = extract(img, roi, fill);
  double sx = 1, sy = 1;
  if (f < 0.999) {
    const cv::Size small(std::max(1, static_cast<int>(std::lround(patch.cols * f))),
                         std::max(1, static_cast<int>(std::lround(patch.rows * f))));
    cv::Mat tmp;
    cv::resize(patch, tmp, small, 0, 0, interp_small);
    sx = static_cast<double>(small.width) / patch.cols;
    sy = static_cast<double>(small.height) / patch.rows;
    patch = tmp;
  }
  // patch px → decoded px: p_dec = roi.tl + (p + 0.5) / s - 0.5 (pixel centres).
  cv::Mat A = (cv::Mat_<double>(3, 3) << 1 / sx, 0, roi.x + 0.5 / sx - 0.5, 0, 1 / sy, roi.y + 0.5 / sy - 0.5, 0, 0, 1);
  cv::Mat M3 = cv::Mat::eye(3, 3, CV_64F);
  M.copyTo(M3.rowRange(0, 2));
  const cv::Mat M3A = M3 * A;
  const cv::Mat W = M3A.rowRange(0, 2);
  cv::Mat result;
  cv::warpAffine(patch, result, W, out, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
  return result;
}

// cv::mean(bgr, mask) of an 8-bit image, exactly (integer sums scaled by the reciprocal of the count, as
// OpenCV does), in a loop the compiler vectorises: OpenCV's masked mean goes pixel by pixel (about 2 ms
// over a 1126 × 778 photo's background).
cv::Scalar masked_mean(const cv::Mat& bgr, const cv::Mat& mask) {
  if (bgr.type() != CV_8UC3 || mask.type() != CV_8UC1 || mask.size() != bgr.size()) return cv::mean(bgr, mask);
  std::uint64_t b = 0, g = 0, r = 0, n = 0;
  for (int y = 0; y < bgr.rows; ++y) {
    const unsigned char* p = bgr.ptr<unsigned char>(y);
    const unsigned char* m = mask.ptr<unsigned char>(y);
    std::uint32_t rb = 0, rg = 0, rr = 0, rn = 0;  // a row's sums: at most 65 500 × 255 each
    for (int x = 0; x < bgr.cols; ++x) {
      const std::uint32_t k = m[x] ? 1u : 0u;
      rb += k * p[3 * x];
      rg += k * p[3 * x + 1];
      rr += k * p[3 * x + 2];
      rn += k;
    }
    b += rb, g += rg, r += rr, n += rn;
  }
  if (n == 0) return cv::Scalar::all(0);
  const double s = 1.0 / static_cast<double>(n);
  return cv::Scalar(static_cast<double>(b) * s, static_cast<double>(g) * s, static_cast<double>(r) * s, 0);
}

cv::Point2f apply(const cv::Mat& m, cv::Point2f p) {
  return {static_cast<float>(m.at<double>(0, 0) * p.x + m.at<double>(0, 1) * p.y + m.at<double>(0, 2)),
          static_cast<float>(m.at<double>(1, 0) * p.x + m.at<double>(1, 1) * p.y + m.at<double>(1, 2))};
}

}  // namespace

Result<std::optional<cv::Scalar>> parse_background(std::string_view spec, const Profile& profile) {
  if (spec.empty() || spec == "keep") return std::optional<cv::Scalar>{};
  std::string hex;
  if (spec.front() == '#') {
    hex = std::string(spec);
  } else {
    // Photo profiles always hold the table: CONTRACTS.md's white/blue/red plus their own overrides.
    const json& m = profile.data().merged;
    if (m.contains("background_colours") && m["background_colours"].contains(std::string(spec)))
      hex = m["background_colours"][std::string(spec)].get<std::string>();
  }
  std::string names;
  if (const json& m = profile.data().merged; m.contains("background_colours"))
    for (const auto& [name, value] : m["background_colours"].items()) names += name + ", ";
  auto bad = Error{ErrorCode::invalid_argument, "background '" + std::string(spec) + "': expected keep, " +
                                                    names + "or #rrggbb"};
  if (hex.size() != 7 || hex[0] != '#') return bad;
  int v[3];
  for (int i = 0; i < 3; ++i) {
    try {
      std::size_t used = 0;
      v[i] = std::stoi(hex.substr(1 + 2 * i, 2), &used, 16);
      if (used != 2) return bad;
    } catch (...) {
      return bad;
    }
  }
  return std::optional<cv::Scalar>{cv::Scalar(v[2], v[1], v[0])};
}

FixResult run_photo_fix(const EngineImpl& engine, std::span<const std::uint8_t> bytes, const Profile& profile,
                        const FixOptions& options, std::string_view input_name, const Recheck& recheck) {
  const auto t_total = Clock::now();
  FixResult r;
  r.before.input = std::string(input_name);
  r.before.profile = profile.id();
  // With two or more threads the source's checks run on a second thread while this one plans, renders,
  // encodes and re-checks; settle joins them before any return (step 2 below).
  std::function<void()> settle;
  auto settle_now = [&] {
    if (!settle) return;
    auto s = std::move(settle);
    settle = nullptr;
    s();
  };
  auto finish = [&]() -> FixResult {
    settle_now();
    r.timing_ms.emplace_back("total", ms_since(t_total));
    return std::move(r);
  };
  auto refuse = [&](Finding f) {
    r.refused = true;
    r.refusal.push_back(std::move(f));
  };
  if (profile.kind() != "photo") {
    r.before.error = Error{ErrorCode::invalid_argument,
                           "profile '" + profile.id() + "' is a " + profile.kind() + " profile; fix needs a photo profile"};
    return finish();
  }
  auto params_r = fix_params(profile);
  if (!params_r) {
    r.before.error = params_r.error();
    return finish();
  }
  const FixParams& P = *params_r;
  auto colour_r = parse_background(options.background, profile);
  if (!colour_r) {
    r.before.error = colour_r.error();
    return finish();
  }
  const std::optional<cv::Scalar> colour = *colour_r;
  auto format_r = output_format(profile.data(), options.format, "fix");
  if (!format_r) {
    r.output_format = options.format;
    r.before.error = format_r.error();
    return finish();
  }
  const std::string format = *format_r;
  r.output_format = format;

  try {
    // 1. Decode as check does (analysis::decode_options: the smallest DCT scale keeping ≥ 600 px).
    const Limits& limits = engine.options.limits;
    const auto t_decode = Clock::now();
    auto [decoded, beside_decode] =
        analysis::decode_for_analysis(bytes, limits, analysis::decode_options(P.out_w, P.out_h), engine.options.threads);
    r.timing_ms.emplace_back("decode", ms_since(t_decode));
    if (!decoded) {
      r.before.error = decoded.error();
      r.before.image = input_info(bytes);
      return finish();
    }
    const double scale1 = decoded->scale;
    analysis::Analysis a(std::move(decoded.value()), engine.models, faces_down_to(profile.data()));
    a.use_threads(engine.options.threads, std::move(beside_decode));  // as Engine::check_photo
    const auto t_an = Clock::now();
    const analysis::Head* head = a.head();
    r.timing_ms.emplace_back("analysis", ms_since(t_an));

    // 2. The source as judged; what no fix repairs is refused with its finding.
    auto source_refusals = [&](const Report& before) {
      std::vector<Finding> out;
      for (const Finding& f : before.findings) {
        if (f.status != Status::fail) continue;
        if (!f.fixable) {
          out.push_back(f);
        } else if (!colour && f.id.starts_with("photo.background.")) {
          Finding g = f;
          g.fixable = false;
          g.hint = {"背景不合格且未要求更换背景：请使用 --background white（或配置要求的颜色）",
                    "The background fails and keeping it was asked for: use --background white (or the colour "
                    "the profile requires)"};
          out.push_back(std::move(g));
        }
      }
      return out;
    };
    // On two threads (a face found): the checks of the source run beside steps 3–8, which read only the
    // decoded image, the head and the background mask (computed here first, so that neither thread
    // computes anything the other reads). Steps 3–8 cannot change the judgement, so they go on as if it
    // refused nothing; settle() then puts its refusals first, as one thread does, and when it refused
    // something it takes back what one thread would not have reached (everything after the gate below).
    std::future<std::pair<Report, double>> judging;
    const std::size_t timing_slot = r.timing_ms.size();
    std::size_t gate_changes = 0, gate_timing = 0;  // r.changes / r.timing_ms at the gate
    bool past_gate = false;
    if (head && engine.options.threads >= 2) {
      (void)a.background_mask();
      try {
        judging = std::async(std::launch::async, [&a, &profile, input_name] {
          const auto t_before = Clock::now();
          Report before = judge(a, profile, input_name);
          return std::pair<Report, double>(std::move(before), ms_since(t_before));
        });
      } catch (const std::system_error&) {
        // No thread to be had: judged on this thread below.
      }
    }
    if (judging.valid()) {
      settle = [&] {
        std::optional<Error> error = std::move(r.before.error);  // a later step's (the second decode)
        auto [before, ms] = judging.get();
        r.before = std::move(before);
        r.timing_ms.insert(r.timing_ms.begin() + static_cast<std::ptrdiff_t>(timing_slot),
                           {std::string("before_checks"), ms});
        std::vector<Finding> first = source_refusals(r.before);
        if (!first.empty() && past_gate) {
          // One thread stops at the gate: nothing after it happened.
          r.refusal.clear();
          r.changes.resize(gate_changes);
          r.timing_ms.resize(gate_timing + 1);
          r.background_replaced = false;
          r.after.reset();
          r.output.clear();
          error.reset();
        }
        if (!first.empty()) {
          r.refused = true;
          r.refusal.insert(r.refusal.begin(), std::make_move_iterator(first.begin()), std::make_move_iterator(first.end()));
        }
        if (error) r.before.error = std::move(error);
      };
    } else {
      const auto t_before = Clock::now();
      r.before = judge(a, profile, input_name);
      r.timing_ms.emplace_back("before_checks", ms_since(t_before));
      for (Finding& f : source_refusals(r.before)) refuse(std::move(f));
    }
    if (!head && r.refusal.empty())
      refuse(refusal("photo.face.count", {"未检测到人脸", "No face found"},
                     {"请使用一张正面、清晰、只有一人的照片", "Use a clear frontal photo of one person"}));
    if (!head) return finish();  // otherwise go on: the plan may add what else stands in the way

    // 3. Roll: rotate about the eye midpoint so the eyes are level.
    const double W = a.width(), H = a.height();
    double roll = std::atan2(head->right_eye.y - head->left_eye.y, head->right_eye.x - head->left_eye.x) * 180 / CV_PI;
    if (std::abs(roll) < 0.5) roll = 0;  // below half a degree a rotation only blurs
    const cv::Mat rot = cv::getRotationMatrix2D(head->eye_mid, roll, 1.0);
    const auto& lm = head->landmarks;
    HeadModel hm;
    hm.eye_y = head->eye_mid.y;
    hm.chin_y = apply(rot, lm[8]).y;
    hm.face_width = apply(rot, lm[15]).x - apply(rot, lm[1]).x;
    hm.centre_x = apply(rot, (head->eye_mid + lm[27]) * 0.5f).x;
    hm.ied = head->ied_px;
    if (head->crown_y) {
      hm.crown_y = apply(rot, cv::Point2f(static_cast<float>(head->centre_x), static_cast<float>(*head->crown_y))).y;
    } else {
      hm.crown_y = hm.chin_y - (hm.chin_y - hm.eye_y) / 0.54;  // eyes ≈ 46% of the head height below the crown
      r.changes.push_back({"未找到头顶，按脸部比例估计头顶位置", "The crown was not found; it was estimated from the face proportions"});
    }

    // 4. One crop meeting every band.
    const auto t_plan = Clock::now();
    const CropPlan plan = plan_crop(hm, P.bands, W, H);
    r.timing_ms.emplace_back("plan", ms_since(t_plan));
    if (!plan.feasible) {
      for (const std::string& id : plan.conflicting)
        refuse(refusal(id, plan.reason,
                       id == "photo.image.dimensions"
                           ? LocalText{"请提供分辨率更高的原始照片（照片不能放大）",
                                       "Provide a higher-resolution original (photos must not be enlarged)"}
                           : LocalText{"请重新拍摄：头部大小与位置需满足所有要求", "Retake the photo: the head's size and position cannot meet every rule"}));
      return finish();
    }
    const cv::Mat& bg_mask = a.background_mask();
    const bool plain = !bg_mask.empty();
    // Full-size → output: rotate about the eye midpoint, shift to the crop, scale.
    cv::Mat to_out = rot.clone();
    to_out.at<double>(0, 2) -= plan.x;
    to_out.at<double>(1, 2) -= plan.y;
    to_out *= plan.scale;
    const cv::Size out_size(P.out_w, P.out_h);
    // A colour change needs a plain background; judged here, on the planned crop, so that a refusal
    // lists it beside whatever else stands in the way.
    cv::Mat hint;
    PersonPrior prior;
    // A crop lying further off the photo than its own size is refused below (fix.max_extend is at
    // most 1); nothing is rendered from it (centring [1e300, 1e300] made OpenCV throw here).
    const bool reachable = std::max(plan.beyond_left, plan.beyond_right) <= plan.width &&
                           std::max(plan.beyond_top, plan.beyond_bottom) <= plan.height;
    if (colour && reachable) {
      const auto t_plain = Clock::now();
      if (plain) {
        cv::Mat m = render(bg_mask, scale1, to_out, out_size, [] { return cv::Scalar(255); }, cv::INTER_AREA);
        hint = m > 160;
      }
      for (int i = 0; i <= 26; ++i) prior.face.push_back(apply(to_out, lm[static_cast<size_t>(i)]));
      prior.eye_mid = apply(to_out, head->eye_mid);
      prior.crown_y = (hm.crown_y - plan.y) * plan.scale;
      prior.chin_y = (hm.chin_y - plan.y) * plan.scale;
      prior.face_width = hm.face_width * plan.scale;
      const double share = plain_background_share(hint, prior);
      if (share < P.min_plain_share)
        refuse(refusal("photo.background.uniformity",
                       {"背景不是纯色（纯色背景仅占预期背景区域的 " + num(share * 100, "%.0f") + "%），无法可靠更换背景",
                        "The background is busy (only " + num(share * 100, "%.0f") +
                            "% of the expected background area is plain): it cannot be replaced reliably"},
                       {"请在纯色墙面前重新拍摄", "Retake in front of a plain wall"}));
      r.timing_ms.emplace_back("background_plain", ms_since(t_plain));
    }
    if (r.refused) return finish();
    // The gate: one thread returns above when the source's checks refused anything.
    past_gate = true;
    gate_changes = r.changes.size();
    gate_timing = r.timing_ms.size();
    // Beyond the edge: only a plain background may be extended.
    auto space = [&](double beyond, double limit, const char* id, LocalText msg, LocalText hint) {
      if (beyond <= 0.5) return;
      if (P.extend_background && plain && beyond <= limit) return;
      refuse(refusal(id, msg, hint));
    };
    space(plan.beyond_top, P.max_extend * plan.height, "photo.geometry.crown_margin",
          {"头顶上方空间不足（需要 " + num(plan.beyond_top, "%.0f") + " 像素）" + (plain ? "" : "，且背景不是纯色，无法延伸"),
           "Needs more space above the head (" + num(plan.beyond_top, "%.0f") + " px short)" +
               (plain ? "" : "; the background is not plain, so it cannot be extended")},
          {"请重新拍摄，头顶上方多留一些空间", "Retake with more space above the head"});
    space(plan.beyond_left, P.max_extend * plan.width, "photo.geometry.centring",
          {"人像左侧空间不足（需要 " + num(plan.beyond_left, "%.0f") + " 像素）", "Needs more space on the left of the head (" + num(plan.beyond_left, "%.0f") + " px short)"},
          {"请重新拍摄，人像居中并留出两侧空间", "Retake centred, with space on both sides"});
    space(plan.beyond_right, P.max_extend * plan.width, "photo.geometry.centring",
          {"人像右侧空间不足（需要 " + num(plan.beyond_right, "%.0f") + " 像素）", "Needs more space on the right of the head (" + num(plan.beyond_right, "%.0f") + " px short)"},
          {"请重新拍摄，人像居中并留出两侧空间", "Retake centred, with space on both sides"});
    if (plan.beyond_bottom > P.max_extend_bottom * plan.height)
      refuse(refusal("photo.geometry.head_height",
                     {"下巴以下空间不足（需要 " + num(plan.beyond_bottom, "%.0f") + " 像素）", "Needs more space below the chin (" + num(plan.beyond_bottom, "%.0f") + " px short)"},
                     {"请重新拍摄，拍到肩部", "Retake including the shoulders"}));
    if (r.refused) return finish();

    // Decode again only when the first decode is too coarse for the output (never upscale).
    const auto t_render = Clock::now();
    io::DecodedImage second;
    const io::DecodedImage* img = &a.image();
    if (img->scale < plan.scale * 0.999 && img->scale < 1.0) {
      io::DecodeOptions o2;
      o2.min_width = static_cast<int>(std::ceil(W * plan.scale));
      o2.min_height = static_cast<int>(std::ceil(H * plan.scale));
      auto d2 = io::decode(bytes, limits, o2);
      if (!d2) {
        r.before.error = d2.error();
        return finish();
      }
      second = std::move(d2.value());
      img = &second;
    }
    r.changes.push_back({"以 1/" + num(1 / img->scale, "%.0f") + " 比例解码（DCT 缩放）",
                         "Decoded at 1/" + num(1 / img->scale, "%.0f") + " scale (JPEG DCT scaling)"});
    // 5. Full-size → output (to_out above).
    // The fill beyond the photo's edge (the plain background's mean colour) only when the crop reaches past it.
    const auto fill = [&] { return plain ? masked_mean(a.image().bgr, bg_mask) : cv::Scalar(255, 255, 255); };
    cv::Mat out = render(img->bgr, img->scale, to_out, out_size, fill, cv::INTER_AREA);
    if (roll != 0)
      r.changes.push_back({"绕双眼中点旋转 " + num(-roll) + "° 使双眼水平", "Rotated " + num(-roll) + "° about the eye midpoint to level the eyes"});
    r.changes.push_back({"裁剪 " + num(plan.width, "%.0f") + "×" + num(plan.height, "%.0f") + " 像素并缩小到 " +
                             std::to_string(P.out_w) + "×" + std::to_string(P.out_h) + "（区域重采样）",
                         "Cropped " + num(plan.width, "%.0f") + "×" + num(plan.height, "%.0f") + " px and resized to " +
                             std::to_string(P.out_w) + "×" + std::to_string(P.out_h) + " (area resampling)"});
    const double ext = plan.beyond_top + plan.beyond_left + plan.beyond_right;
    if (ext > 0.5)
      r.changes.push_back({"纯色背景向外延伸", "Extended the plain background past the photo's edge"});
    r.timing_ms.emplace_back("render", ms_since(t_render));

    // A source refused on the second thread ends the fix at the next step boundary, as on one thread;
    // the background replacement (GrabCut, the costliest step) always waits for the judgement.
    auto judged_refusal = [&](bool wait) {
      if (!settle) return false;
      if (!wait && judging.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return false;
      settle_now();
      return r.refused;
    };
    if (judged_refusal(colour.has_value())) return finish();

    // 6. Background.
    if (colour) {
      const auto t_bg = Clock::now();
      const cv::Mat alpha = person_alpha(out, hint, prior);
      out = composite_on_colour(out, alpha, *colour);
      r.background_replaced = true;
      char hex[8];
      std::snprintf(hex, sizeof hex, "#%02X%02X%02X", static_cast<int>((*colour)[2]), static_cast<int>((*colour)[1]),
                    static_cast<int>((*colour)[0]));
      r.changes.push_back({std::string("背景已更换为 ") + hex, std::string("Background replaced with ") + hex});
      r.timing_ms.emplace_back("background", ms_since(t_bg));
    }

    if (judged_refusal(false)) return finish();

    // 7. Encode into the KB window (the quality search also stops when the source is refused meanwhile).
    bool encode_stopped = false;
    io::StopFn stop_encoding;
    if (settle) stop_encoding = [&] { return encode_stopped = judged_refusal(false); };
    const auto t_enc = Clock::now();
    const std::string dpi_text = P.dpi ? ", " + std::to_string(*P.dpi) + " dpi" : "";
    const std::string dpi_zh = P.dpi ? "，" + std::to_string(*P.dpi) + " dpi" : "";
    std::vector<std::uint8_t> encoded;
    Result<LocalText> said = Error{ErrorCode::internal, "no encoder ran"};
    if (format == "png") {
      auto enc = encode_png_into_window(out, P.min_bytes, P.max_bytes, P.dpi, stop_encoding);
      if (enc) {
        said = LocalText{"PNG 压缩级别 " + std::to_string(enc->compression) + "，" + std::to_string(enc->bytes.size()) +
                             " 字节" + dpi_zh,
                         "PNG compression level " + std::to_string(enc->compression) + ", " +
                             std::to_string(enc->bytes.size()) + " bytes" + dpi_text};
        encoded = std::move(enc->bytes);
      } else {
        said = enc.error();
      }
    } else {
      auto enc = encode_into_window(out, P.min_bytes, P.max_bytes, P.dpi, stop_encoding);
      if (enc) {
        said = LocalText{"JPEG 质量 " + std::to_string(enc->quality) + (enc->chroma_420 ? "，4:2:0" : "，4:4:4") +
                             (enc->progressive ? "，渐进式" : "") + "，" + std::to_string(enc->bytes.size()) + " 字节" +
                             dpi_zh,
                         "JPEG quality " + std::to_string(enc->quality) + (enc->chroma_420 ? ", 4:2:0" : ", 4:4:4") +
                             (enc->progressive ? ", progressive" : "") + ", " + std::to_string(enc->bytes.size()) +
                             " bytes" + dpi_text};
        encoded = std::move(enc->bytes);
      } else {
        said = enc.error();
      }
    }
    if (encode_stopped) return finish();
    r.timing_ms.emplace_back("encode", ms_since(t_enc));
    if (!said) {
      refuse(refusal("photo.file.size", {"无法编码到要求的文件大小：" + said.error().message,
                                         "Cannot encode into the required file size: " + said.error().message}));
      return finish();
    }
    r.changes.push_back(*said);

    // 8. Re-check with the same engine; only a passing photo is handed out. While the second thread still
    // judges the source, the re-check runs beside it on this thread alone (the same report on any number
    // of threads), and a refusal then takes it back like the steps before; otherwise it may use both.
    const bool beside = settle && judging.wait_for(std::chrono::seconds(0)) != std::future_status::ready;
    if (!beside && judged_refusal(true)) return finish();
    const auto t_after = Clock::now();
    r.after = recheck(encoded, options.output_name.empty() ? std::string_view("(output)") : options.output_name,
                      beside ? 1 : engine.options.threads);
    r.timing_ms.emplace_back("recheck", ms_since(t_after));
    if (beside && judged_refusal(true)) return finish();
    if (r.after->verdict() == Verdict::pass) r.output = std::move(encoded);
    settle_now();  // while the second thread's future (a local of this block) is alive
  } catch (const std::exception& e) {
    settle = nullptr;  // the second thread's future went with the try block (it was waited for there)
    r.before.error = Error{ErrorCode::internal, std::string("fix failed: ") + e.what()};
  } catch (...) {
    settle = nullptr;
    r.before.error = Error{ErrorCode::internal, "fix failed"};
  }
  return finish();
}

}  // namespace idphoto::fix
