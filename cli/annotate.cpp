#include "annotate.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>

#include "codecs.hpp"

namespace idphoto::cli {
namespace {

const cv::Scalar kGreen(60, 200, 60), kRed(40, 40, 230), kBlue(230, 160, 40), kYellow(0, 220, 240),
    kMagenta(200, 60, 200), kCyan(220, 220, 0);
constexpr int kGauge = 10;  // width of a margin gauge bar (px of the annotation)
constexpr int kTick = 18;   // how far a band limit's tick reaches into the picture

std::optional<std::pair<double, double>> band(const nlohmann::json& checks, const std::string& id) {
  try {
    const auto& r = checks.at(id).at("range");
    if (!r[0].is_number() || !r[1].is_number()) return std::nullopt;
    return std::make_pair(r[0].get<double>(), r[1].get<double>());
  } catch (...) {
    return std::nullopt;
  }
}

void shade(cv::Mat& img, const cv::Rect& r, const cv::Scalar& c, double alpha) {
  const cv::Rect cr = r & cv::Rect(0, 0, img.cols, img.rows);
  if (cr.area() <= 0) return;
  cv::Mat roi = img(cr);
  cv::Mat fill(roi.size(), roi.type(), c);
  cv::addWeighted(fill, alpha, roi, 1 - alpha, 0, roi);
}

void label(cv::Mat& img, const std::string& text, cv::Point at, const cv::Scalar& c) {
  const double fs = 0.45;
  int base = 0;
  const cv::Size ts = cv::getTextSize(text, cv::FONT_HERSHEY_SIMPLEX, fs, 1, &base);
  at.x = std::clamp(at.x, 0, std::max(0, img.cols - ts.width - 2));
  at.y = std::clamp(at.y, ts.height + 2, img.rows - 2);
  cv::rectangle(img, cv::Rect(at.x - 1, at.y - ts.height - 2, ts.width + 2, ts.height + base + 3), cv::Scalar(0, 0, 0),
                cv::FILLED);
  cv::putText(img, text, at, cv::FONT_HERSHEY_SIMPLEX, fs, c, 1, cv::LINE_AA);
}

std::string short_id(const std::string& id) { return id.rfind("photo.", 0) == 0 ? id.substr(6) : id; }

}  // namespace

cv::Mat draw_annotation(const cv::Mat& bgr, const PhotoOverlay& o, const Report& report, const Profile& profile) {
  const double k = bgr.cols > 0 && bgr.cols < 600 ? std::ceil(600.0 / bgr.cols) : 1.0;
  cv::Mat img;
  cv::resize(bgr, img, cv::Size(), k, k, cv::INTER_LINEAR);
  // Overlay coordinates are full-size; the decoded picture may differ (CLI fallbacks): scale to it.
  const double sx = o.width > 0 ? k * bgr.cols / o.width : k, sy = o.height > 0 ? k * bgr.rows / o.height : k;
  auto P = [&](double x, double y) { return cv::Point(cvRound(x * sx), cvRound(y * sy)); };
  const int W = img.cols, H = img.rows;

  nlohmann::json checks = nlohmann::json::object();
  try {
    checks = nlohmann::json::parse(profile.to_json()).at("checks");
  } catch (...) {
  }
  // The profile's allowed bands as gauges in the margins, so the photo itself stays untinted: bars down
  // the right edge for the rows where the crown margin ends, the eye line and the chin must fall (chin:
  // measured from the crown), a bar along the bottom edge for the face centre's columns; a tick marks
  // each limit. The measured crown, eye and chin lines cross the whole picture and meet the bars.
  auto vgauge = [&](double y0, double y1, int slot, const cv::Scalar& c) {
    const int a = cvRound(y0), b = std::max(a + 1, cvRound(y1));
    const int x = W - kGauge * (3 - slot);
    shade(img, cv::Rect(x, a, kGauge, b - a), c, 0.7);
    for (int y : {a, b - 1}) cv::line(img, cv::Point(x - kTick, y), cv::Point(x + kGauge - 1, y), c, 1, cv::LINE_AA);
  };
  if (auto b = band(checks, "photo.geometry.crown_margin")) vgauge(b->first * H, b->second * H, 0, kGreen);
  if (auto b = band(checks, "photo.geometry.eye_line")) vgauge(b->first * H, b->second * H, 1, kCyan);
  if (auto b = band(checks, "photo.geometry.head_height"); b && o.crown_y) {
    const double crown = *o.crown_y * sy;
    vgauge(crown + b->first * H, crown + b->second * H, 2, kGreen);
  }
  if (auto b = band(checks, "photo.geometry.centring")) {
    const int a = cvRound(W / 2.0 + b->first * W), e = std::max(a + 1, cvRound(W / 2.0 + b->second * W));
    shade(img, cv::Rect(a, H - kGauge, e - a, kGauge), kMagenta, 0.7);
    for (int x : {a, e - 1}) cv::line(img, cv::Point(x, H - kGauge - kTick), cv::Point(x, H - 1), kMagenta, 1, cv::LINE_AA);
  }

  // Background mask outline.
  for (const auto& c : o.background_outline) {
    std::vector<cv::Point> pts;
    for (const auto& [x, y] : c) pts.push_back(P(x, y));
    cv::polylines(img, pts, true, kBlue, 1, cv::LINE_AA);
  }
  // Landmarks, eye line, crown and chin lines.
  for (const auto& [x, y] : o.landmarks) cv::circle(img, P(x, y), 2, kYellow, cv::FILLED, cv::LINE_AA);
  if (o.left_eye && o.right_eye) {
    const cv::Point a = P(o.left_eye->first, o.left_eye->second), b = P(o.right_eye->first, o.right_eye->second);
    const cv::Point d = b - a;
    const double len = std::max(1.0, std::hypot(d.x, d.y));
    const cv::Point2d u(d.x / len, d.y / len);
    cv::line(img, cv::Point(cvRound(a.x - u.x * W), cvRound(a.y - u.y * W)),
             cv::Point(cvRound(b.x + u.x * W), cvRound(b.y + u.y * W)), kCyan, 1, cv::LINE_AA);
    label(img, "eyes", cv::Point(2, (a.y + b.y) / 2 - 3), kCyan);
  }
  if (o.crown_y) {
    const int y = cvRound(*o.crown_y * sy);
    cv::line(img, cv::Point(0, y), cv::Point(W - 1, y), kGreen, 1, cv::LINE_AA);
    label(img, "crown", cv::Point(2, y - 3), kGreen);
  }
  if (o.chin_y) {
    const int y = cvRound(*o.chin_y * sy);
    cv::line(img, cv::Point(0, y), cv::Point(W - 1, y), kGreen, 1, cv::LINE_AA);
    label(img, "chin", cv::Point(2, y - 3), kGreen);
  }

  auto region = [&](const std::string& name) -> std::optional<cv::Rect> {
    for (const auto& r : o.regions)
      if (r.name == name) return cv::Rect(P(r.x, r.y), P(r.x + r.w, r.y + r.h));
    return std::nullopt;
  };
  // Each failing finding marked where it is; those without a place are listed top-left.
  int listed = 0;
  std::map<std::pair<int, int>, int> marked;
  for (const auto& f : report.findings) {
    if (f.status != Status::fail) continue;
    const std::string& id = f.id;
    std::vector<cv::Rect> where;
    auto add = [&](const char* n) {
      if (auto r = region(n)) where.push_back(*r);
    };
    if (id == "photo.face.eyes_open" || id == "photo.face.glasses_glare") add("eye_left"), add("eye_right");
    else if (id == "photo.face.mouth_closed") add("mouth");
    else if (id == "photo.image.colour_cast") add("cheek_left"), add("cheek_right");
    else if (id == "photo.clothing.contrast") add("clothing");
    else if (id == "photo.face.headwear") add("forehead");
    else if (id.rfind("photo.light.", 0) == 0 || id == "photo.face.occlusion" || id == "photo.image.sharpness" ||
             id.rfind("photo.face.pose", 0) == 0 || id == "photo.geometry.face_width" || id == "photo.face.ied")
      add("face");
    else if (id == "photo.geometry.head_height" && o.crown_y && o.chin_y)
      where.emplace_back(cv::Point(W / 4, cvRound(*o.crown_y * sy)), cv::Point(3 * W / 4, cvRound(*o.chin_y * sy)));
    else if (id == "photo.geometry.crown_margin" && o.crown_y)
      where.emplace_back(cv::Point(W / 3, 0), cv::Point(2 * W / 3, std::max(2, cvRound(*o.crown_y * sy))));
    else if (id == "photo.geometry.eye_line" && o.left_eye && o.right_eye) {
      const int y = cvRound((o.left_eye->second + o.right_eye->second) / 2 * sy);
      where.emplace_back(cv::Point(0, y - 3), cv::Point(W - 1, y + 3));
    } else if (id == "photo.geometry.centring" && o.left_eye && o.right_eye) {
      const int x = cvRound((o.left_eye->first + o.right_eye->first) / 2 * sx);
      where.emplace_back(cv::Point(x - 3, 0), cv::Point(x + 3, H - 1));
    } else if (id.rfind("photo.background.", 0) == 0) {
      for (const auto& c : o.background_outline) {
        std::vector<cv::Point> pts;
        for (const auto& [x, y] : c) pts.push_back(P(x, y));
        cv::polylines(img, pts, true, kRed, 2, cv::LINE_AA);
      }
      label(img, short_id(id), cv::Point(W - 200, 16 + 16 * listed++), kRed);
      continue;
    }
    if (where.empty()) {
      label(img, short_id(id), cv::Point(4, 16 + 16 * listed++), kRed);
      continue;
    }
    for (const auto& r : where) cv::rectangle(img, r, kRed, 2, cv::LINE_AA);
    // Several findings on one box: their labels stack upwards instead of overwriting each other.
    const int stacked = marked[{where.front().x, where.front().y}]++;
    label(img, short_id(id), cv::Point(where.front().x, where.front().y - 4 - 16 * stacked), kRed);
  }
  const bool pass = report.verdict() == Verdict::pass;
  label(img, pass ? "PASS" : (report.verdict() == Verdict::fail ? "FAIL" : "ERROR"), cv::Point(4, H - 6),
        pass ? kGreen : kRed);
  return img;
}

std::string write_annotation(const std::vector<std::uint8_t>& bytes, const Engine& engine, const Report& report,
                             const Profile& profile, const std::string& out_path) {
  try {
    cv::Mat bgr;
    if (auto f = codecs::decode(bytes, cv::IMREAD_COLOR, bgr, kAnnotatePurpose)) {
      if (f->unavailable) return f->message;
      return "cannot decode the photo for the annotation" + (f->message.empty() ? "" : ": " + f->message);
    }
    auto overlay = PhotoOverlay::of(engine, bytes);
    PhotoOverlay o = overlay ? overlay.value() : PhotoOverlay{};
    if (!overlay) {
      o.width = bgr.cols;
      o.height = bgr.rows;
    }
    const cv::Mat img = draw_annotation(bgr, o, report, profile);
    if (auto f = codecs::write(out_path, img, kAnnotatePurpose)) {
      if (f->unavailable) return f->message;
      return "cannot write '" + out_path + "'" + (f->message.empty() ? "" : ": " + f->message);
    }
    return "";
  } catch (const cv::Exception& e) {
    return std::string("annotation failed: ") + e.what();
  }
}

}  // namespace idphoto::cli
