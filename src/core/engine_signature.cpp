#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <optional>

#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>

#include "core/engine_impl.hpp"
#include "core/engine_common.hpp"
#include "io/decode.hpp"
#include "io/encode.hpp"
#include "profiles/profile_data.hpp"
#include "signature/binarize.hpp"
#include "signature/ink_analysis.hpp"

namespace idphoto {

namespace {

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

Report start_report(std::string_view name, const Profile& profile) {
  Report r;
  r.input = std::string(name);
  r.profile = profile.id();
  r.kind = "signature";
  return r;
}

void run_checks(Report& r, const signature::InkAnalysis& a, const Profile& profile) {
  // Not a structured binding: clang 14 cannot capture one in a lambda (C++20 P1091, clang >= 16).
  for (const auto& check : profile.data().checks) {
    const checks::CheckDef* def = check.first;
    const checks::Params& params = check.second;
    if (!def->run_signature) continue;
    r.findings.push_back(run_check_guarded(def->id, [&] { return def->run_signature(a, params); }));
  }
}

// Decodes a signature input into r: timing "decode", the image block, and on failure the error
// (with the sniffed format and size) and no image. A large JPEG is decoded at the smallest DCT scale
// that still covers the analysis' working size (signature::AnalyseOptions::max_work_side), which it
// would be shrunk to anyway; the image block keeps the file's full size.
std::optional<io::DecodedImage> decode_into(Report& r, std::span<const std::uint8_t> bytes,
                                            const Limits& limits, Clock::time_point t0) {
  io::DecodeOptions o;
  o.min_long_side = signature::AnalyseOptions{}.max_work_side;
  auto decoded = io::decode(bytes, limits, o);
  r.timing_ms.emplace_back("decode", ms_since(t0));
  if (!decoded) {
    r.error = decoded.error();
    r.image = input_info(bytes);
    return std::nullopt;
  }
  r.image = input_info(bytes, &*decoded);
  return std::move(decoded.value());
}

// Judges the input as uploaded from its analysis a (started at t1): timings "analyse" and "total".
void judge(Report& r, signature::InkAnalysis a, const Profile& profile, Clock::time_point t0,
           Clock::time_point t1) {
  a.image = *r.image;
  r.timing_ms.emplace_back("analyse", ms_since(t1));
  run_checks(r, a, profile);
  r.timing_ms.emplace_back("total", ms_since(t0));
}

Report wrong_kind(std::string_view name, const Profile& profile) {
  Report r = start_report(name, profile);
  r.error = Error{ErrorCode::invalid_argument, "profile '" + profile.id() + "' is a " +
                                                   profile.kind() +
                                                   " profile; signatures need a signature profile"};
  return r;
}

// The canvas clean lays a signature on: a profile asking for more (a 100000 px square took 14 GB and
// over a minute) or for too little room to hold legible ink is bad_profile.
constexpr int kMinCanvasSide = 16;
constexpr int kMaxCanvasSide = 10000;
constexpr double kMaxMargin = 0.4;  // each side: 0.4 + 0.4 leaves the ink a fifth of the canvas

nlohmann::json param(const Profile& p, const char* check, const char* name) {
  const auto& c = p.data().merged.at("checks");
  if (!c.contains(check) || !c[check].contains(name)) return nullptr;
  return c[check][name];
}

double clamp_to(const nlohmann::json& range, double v) {
  if (!range.is_array() || range.size() != 2) return v;
  if (range[0].is_number()) v = std::max(v, range[0].get<double>());
  if (range[1].is_number()) v = std::min(v, range[1].get<double>());
  return v;
}

}  // namespace

Report Engine::check_signature(std::span<const std::uint8_t> bytes, const Profile& profile,
                               std::string_view input_name) const {
  const auto t0 = Clock::now();
  if (profile.kind() != "signature") return wrong_kind(input_name, profile);
  Report r = start_report(input_name, profile);
  auto decoded = decode_into(r, bytes, impl_->options.limits, t0);
  if (!decoded) return r;
  try {
    const auto t1 = Clock::now();
    signature::AnalyseOptions o;
    o.source_scale = decoded->scale;
    judge(r, signature::analyse_ink(decoded->bgr, o), profile, t0, t1);
  } catch (const std::exception& e) {
    r.error = Error{ErrorCode::internal, std::string("signature analysis failed: ") + e.what()};
    r.timing_ms.emplace_back("total", ms_since(t0));
  }
  return r;
}

SignatureResult Engine::clean_signature(std::span<const std::uint8_t> bytes, const Profile& profile,
                                        const SignatureOptions& options,
                                        std::string_view input_name) const {
  SignatureResult res;
  if (profile.kind() != "signature") {
    res.before = wrong_kind(input_name, profile);
    return res;
  }
  // The output's format is settled before any work: a requested format the profile refuses, or
  // transparent paper in a JPEG, is the caller's error, not a cleaned file that fails its re-check.
  auto format_r = output_format(profile.data(), options.transparent ? "png" : options.format, "signature clean");
  if (options.transparent && !options.format.empty() && options.format != "png")
    format_r = Error{ErrorCode::invalid_argument, "transparent paper needs PNG output, not " + options.format};
  else if (!format_r && options.transparent)
    format_r = Error{ErrorCode::invalid_argument, "transparent paper needs PNG output: " + format_r.error().message};
  const auto refuse = [&](Error e) {
    res.before = start_report(input_name, profile);
    res.before.error = std::move(e);
    return res;
  };
  if (!format_r) return refuse(format_r.error());
  const std::string fmt = *format_r;
  const double canvas_w = clamp_to(param(profile, "signature.image.dimensions", "width"), 450);
  const double canvas_h = clamp_to(param(profile, "signature.image.dimensions", "height"),
                                   std::round(std::min(canvas_w, 1e9) / 3.0));
  if (!(canvas_w >= kMinCanvasSide && canvas_h >= kMinCanvasSide && canvas_w <= kMaxCanvasSide &&
        canvas_h <= kMaxCanvasSide)) {
    char size[64];
    std::snprintf(size, sizeof size, "%g × %g", canvas_w, canvas_h);
    return refuse(Error{ErrorCode::bad_profile, "profile '" + profile.id() + "' asks for a " + size +
                                                    " px signature image; each side must be " +
                                                    std::to_string(kMinCanvasSide) + " to " +
                                                    std::to_string(kMaxCanvasSide) + " px"});
  }
  // The margin clean lays out: the middle of the profile's margin range, which must leave the ink room.
  double margin = signature::CanvasSpec{}.margin;
  if (const auto m = param(profile, "signature.layout.margins", "range");
      m.is_array() && m.size() == 2 && m[0].is_number() && m[1].is_number())
    margin = (m[0].get<double>() + m[1].get<double>()) / 2;
  if (!(margin >= 0 && margin <= kMaxMargin)) {
    char text[160];
    std::snprintf(text, sizeof text,
                  "' lays the signature out with a margin of %g of the side (the middle of "
                  "signature.layout.margins); it must be 0 to %g",
                  margin, kMaxMargin);
    return refuse(Error{ErrorCode::bad_profile, "profile '" + profile.id() + text});
  }
  try {
    // One decode and, for an input that needs no turn or straightening, one analysis serve both the
    // "before" report (the input as uploaded, as check_signature judges it) and the cleaning.
    const auto t0 = Clock::now();
    res.before = start_report(input_name, profile);
    auto decoded = decode_into(res.before, bytes, impl_->options.limits, t0);
    if (!decoded) return res;
    if (options.rotate && *options.rotate % 90 != 0) {
      res.before.error = Error{ErrorCode::invalid_argument, "rotate must be 0, 90, 180 or 270"};
      return res;
    }
    const auto t1 = Clock::now();
    signature::AnalyseOptions o;
    o.orient = !options.rotate;
    o.rotate = options.rotate;
    o.deskew = options.deskew;
    o.source_scale = decoded->scale;
    signature::AnalyseOptions as_is;
    as_is.source_scale = decoded->scale;
    cv::Mat oriented;
    signature::InkAnalysis a = signature::analyse_ink(decoded->bgr, o, &oriented);
    judge(res.before, a.rotation == 0 && a.skew_deg == 0 ? a : signature::analyse_ink(decoded->bgr, as_is),
          profile, t0, t1);
    if (!a.found) {
      res.changes.push_back({"未找到签名：未生成输出", "No signature found: no output written"});
      return res;
    }
    signature::CanvasSpec spec;
    spec.width = static_cast<int>(canvas_w);
    spec.height = static_cast<int>(canvas_h);
    spec.margin = margin;
    // A small signature in a large photo: the coarse analysis would be enlarged onto the canvas, so
    // analyse again at the size the canvas needs (as far as the file has pixels), orientation kept.
    const int full_long = std::max(decoded->width, decoded->height);
    const int work_long = std::max(a.work_width, a.work_height);
    if (const double need = signature::placement_scale(a, spec); need > 1.05 && work_long < full_long) {
      // At most 3000 px: a speck of ink in a huge photo must not buy a full-size analysis.
      constexpr int kMaxFineSide = 3000;
      const int side = std::min({full_long, kMaxFineSide, int(std::ceil(work_long * need))});
      io::DecodeOptions d2;
      d2.min_long_side = side;
      if (std::max(decoded->bgr.cols, decoded->bgr.rows) < side) {
        auto again = io::decode(bytes, impl_->options.limits, d2);
        if (!again) {
          res.before.error = again.error();
          return res;
        }
        decoded = std::move(again.value());
      }
      signature::AnalyseOptions fine = o;
      fine.max_work_side = side;
      fine.orient = false;
      fine.rotate = a.rotation;
      fine.source_scale = decoded->scale;
      const bool uncertain = a.rotation_uncertain;
      signature::InkAnalysis b = signature::analyse_ink(decoded->bgr, fine, &oriented);
      if (b.found) {
        b.rotation_uncertain = uncertain;
        a = std::move(b);
      }
    }
    if (a.rotation)
      res.changes.push_back({"图像已顺时针旋转 " + std::to_string(a.rotation) + "°",
                             "Turned " + std::to_string(a.rotation) + "° clockwise"});
    if (a.skew_deg != 0) {
      char deg[16];
      std::snprintf(deg, sizeof deg, "%.1f", std::abs(a.skew_deg));
      const bool ccw = a.skew_deg > 0;  // the writing rose to the right: turned clockwise to level it
      res.changes.push_back({std::string("书写基线已校正 ") + deg + "°（" + (ccw ? "顺时针" : "逆时针") + "）",
                             std::string("Straightened the writing: turned ") + deg + "° " +
                                 (ccw ? "clockwise" : "anticlockwise")});
    }
    if (a.rotation_uncertain && a.rotation != 0) {
      const std::string deg = std::to_string(a.rotation);
      res.warnings.push_back({deg + "° 旋转方向判断不确定，请核对方向（可用 --rotate 指定）",
                              "The " + deg + "° turn is a best guess: check it (override with --rotate)"});
    }
    if (a.ink_colour != "black")
      res.changes.push_back({"原笔迹为彩色（" + a.ink_colour + "），已转为黑色",
                             "The original ink is " + a.ink_colour + "; it was turned black"});
    if (a.lines_removed)
      res.changes.push_back({"已去除 " + std::to_string(a.lines_removed) + " 条横线/框线/纸边",
                             "Removed " + std::to_string(a.lines_removed) +
                                 " ruled line(s), border(s) or paper edge(s)"});
    const cv::Mat canvas = signature::place_on_canvas(a, spec);
    res.changes.push_back({"签名已居中放置于 " + std::to_string(spec.width) + "×" +
                               std::to_string(spec.height) + " 白底画布",
                           "Placed black on white, centred on a " + std::to_string(spec.width) +
                               "×" + std::to_string(spec.height) + " canvas"});
    if (fmt == "png") {
      auto png = signature::encode_png(canvas, options.transparent);
      if (!png) {
        res.before.error = png.error();
        return res;
      }
      res.output = std::move(png.value());
    } else {
      std::size_t lo = 0, hi = 100u << 20;
      if (auto kb = param(profile, "signature.file.size", "kb"); kb.is_array()) {
        if (kb[0].is_number()) lo = std::size_t(kb[0].get<double>() * 1024);
        if (kb[1].is_number()) hi = std::size_t(kb[1].get<double>() * 1024);
      }
      auto jpg = io::encode_jpeg_to_size(canvas, lo, hi, std::nullopt);
      if (!jpg) {
        res.changes.push_back({"无法编码到要求的文件大小", "Cannot encode into the KB window: " +
                                                             jpg.error().message});
        return res;
      }
      res.output = std::move(jpg->bytes);
    }
    res.output_format = fmt;
    res.after = check_signature(res.output, profile, input_name);
    if (options.annotate) {
      // Above: the input (faded) with the kept ink in blue, what was removed as lines, borders or
      // paper edges in red, and the ink box in green. Below: the final placement.
      cv::Mat work;
      const double s = double(a.work_width) / std::max(1, oriented.cols);
      cv::resize(oriented, work, {a.work_width, a.work_height}, 0, 0, cv::INTER_AREA);
      work.convertTo(work, -1, 0.45, 140);
      work.setTo(cv::Scalar(255, 80, 0), a.ink);
      if (!a.removed.empty()) work.setTo(cv::Scalar(0, 0, 230), a.removed);
      cv::rectangle(work, a.box, cv::Scalar(0, 170, 0), std::max(1, int(2 / std::max(s, 0.5))));
      cv::Mat placed;
      cv::cvtColor(canvas, placed, cv::COLOR_GRAY2BGR);
      const double f = double(work.cols) / placed.cols;
      cv::resize(placed, placed, {work.cols, std::max(1, int(placed.rows * f))});
      cv::Mat both;
      cv::vconcat(work, placed, both);
      auto ann = io::encode_png(both, {.dpi = std::nullopt, .compression = 6});
      if (ann) res.annotation = std::move(ann.value());
    }
  } catch (const std::exception& e) {
    res.before.error = Error{ErrorCode::internal, std::string("signature cleaning failed: ") + e.what()};
  }
  return res;
}

Result<std::vector<std::uint8_t>> Engine::binarize_signature(std::span<const std::uint8_t> bytes) const {
  auto decoded = io::decode(bytes, impl_->options.limits);
  if (!decoded) return decoded.error();
  try {
    const auto b = signature::binarize(decoded->bgr);
    return signature::encode_png(255 - b.ink);
  } catch (const std::exception& e) {
    return Error{ErrorCode::internal, std::string("binarization failed: ") + e.what()};
  }
}

std::string SignatureResult::to_json() const {
  using json = nlohmann::ordered_json;
  Report top = after ? *after : before;
  top.input = before.input;
  top.kind = "signature";
  if (before.error) top.error = before.error;
  json j = json::parse(top.to_json());
  if (!top.error && output.empty()) j["verdict"] = "fail";  // an error (before or after) stays "error"
  j["output"] = output.empty() ? json(nullptr) : json(output_format);
  j["before"] = json::parse(before.to_json());
  j["after"] = after ? json::parse(after->to_json()) : json(nullptr);
  json c = json::array(), w = json::array();
  for (const auto& t : changes) c.push_back({{"zh-CN", t.zh}, {"en", t.en}});
  for (const auto& t : warnings) w.push_back({{"zh-CN", t.zh}, {"en", t.en}});
  j["clean"] = {{"output_format", output_format}, {"output_bytes", output.size()},
                {"changes", c}, {"warnings", w}};
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace idphoto
