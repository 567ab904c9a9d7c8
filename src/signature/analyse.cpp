#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

#include <opencv2/imgproc.hpp>

#include "signature/binarize.hpp"
#include "analysis/lab.hpp"
#include "analysis/shrink.hpp"
#include "signature/ink_analysis.hpp"

namespace idphoto::signature {

namespace {

cv::Mat turn(const cv::Mat& m, int deg) {
  cv::Mat out;
  switch (((deg % 360) + 360) % 360) {
    case 90: cv::rotate(m, out, cv::ROTATE_90_CLOCKWISE); return out;
    case 180: cv::rotate(m, out, cv::ROTATE_180); return out;
    case 270: cv::rotate(m, out, cv::ROTATE_90_COUNTERCLOCKWISE); return out;
    default: return m;
  }
}

// Straight runs that lie within the span of the rest of the writing are strokes of it (an underline
// flourish, the top of a big loop), not ruled lines or borders: a ruled line or a box border runs
// past the writing on at least one side. Drops such runs from h (horizontal) and v (vertical).
void keep_strokes_within_writing(const cv::Mat& ink, cv::Mat& h, cv::Mat& v, double sw) {
  cv::Mat straight = h | v;
  if (cv::countNonZero(straight) == 0) return;
  cv::Mat grown;
  cv::dilate(straight, grown, cv::getStructuringElement(cv::MORPH_RECT, {3, 3}));
  const cv::Rect writing = cv::boundingRect(ink & ~grown);
  if (writing.area() == 0) return;
  // A flourish or underline may run a little past the rest of the writing; a ruled line runs well past it.
  const int tol_px = std::max(3, int(std::lround(2 * sw)));
  auto drop_within = [&](cv::Mat& runs, bool horizontal) {
    const int tol = std::max(tol_px, int(0.08 * (horizontal ? writing.width : writing.height)));
    cv::Mat labels, stats, cent;
    const int n = cv::connectedComponentsWithStats(runs, labels, stats, cent, 8, CV_32S);
    std::vector<std::uint8_t> drop(n, 0);
    bool any = false;
    for (int i = 1; i < n; ++i) {
      const int a = stats.at<int>(i, horizontal ? cv::CC_STAT_LEFT : cv::CC_STAT_TOP);
      const int len = stats.at<int>(i, horizontal ? cv::CC_STAT_WIDTH : cv::CC_STAT_HEIGHT);
      const int lo = horizontal ? writing.x : writing.y;
      const int hi = lo + (horizontal ? writing.width : writing.height);
      if (a >= lo - tol && a + len <= hi + tol) drop[i] = 1, any = true;
    }
    if (!any) return;
    for (int y = 0; y < runs.rows; ++y) {
      const int* l = labels.ptr<int>(y);
      std::uint8_t* r = runs.ptr<std::uint8_t>(y);
      for (int x = 0; x < runs.cols; ++x)
        if (drop[l[x]]) r[x] = 0;
    }
  };
  drop_within(h, true);
  drop_within(v, false);
}

// Long straight runs (ruled lines, box borders): opening with a line element, then the strokes
// that cross a line restored by a closing across it. Returns the removed mask.
cv::Mat remove_lines(cv::Mat& ink, double sw, int& count) {
  const int lh = std::max(25, std::max(ink.cols / 6, int(sw * 15)));
  const int lv = std::max(25, std::max(ink.rows / 4, int(sw * 15)));
  cv::Mat h, v;
  h = open_line(ink, lh, true);
  v = open_line(ink, lv, false);
  keep_strokes_within_writing(ink, h, v, sw);
  cv::Mat lines = h | v;
  if (cv::countNonZero(lines) == 0) {
    count = 0;
    return lines;
  }
  const int t = std::max(3, int(sw * 2.5)) | 1;
  cv::dilate(lines, lines, cv::getStructuringElement(cv::MORPH_RECT, {3, 3}));
  cv::Mat rest = ink & ~lines;
  // Strokes crossing a horizontal line continue above and below it: bridge them back.
  cv::Mat bridge_v, bridge_h;
  cv::morphologyEx(rest, bridge_v, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, {1, t * 2 + 1}));
  cv::morphologyEx(rest, bridge_h, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, {t * 2 + 1, 1}));
  cv::Mat keep = ((bridge_v & ~v) | (bridge_h & ~h)) & ink & lines;
  cv::Mat removed = lines & ink & ~keep;
  ink = rest | keep;
  cv::Mat labels;
  count = cv::connectedComponents(lines, labels, 8, CV_32S) - 1;
  return removed;
}

// One labelling of the ink's components (8-connected), shared by the steps that drop whole components.
struct Components {
  cv::Mat labels, stats, centroids;
  int n = 0;
  explicit Components(const cv::Mat& ink) {
    n = cv::connectedComponentsWithStats(ink, labels, stats, centroids, 8, CV_32S);
  }
  cv::Rect rect(int i) const {
    return {stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
            stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT)};
  }
  int area(int i) const { return stats.at<int>(i, cv::CC_STAT_AREA); }
};

// Components touching the border that span a third of a side and are either solid (table, finger) or
// a thin run along nearly the whole side (paper edge): marked in drop (1). Returns how many.
int mark_edges(const Components& cc, cv::Size size, std::vector<std::uint8_t>& drop) {
  int dropped = 0;
  for (int i = 1; i < cc.n; ++i) {
    const cv::Rect r = cc.rect(i);
    const int x = r.x, y = r.y, w = r.width, h = r.height;
    const bool touches = x == 0 || y == 0 || x + w == size.width || y + h == size.height;
    const double fill = cc.area(i) / double(w * h);
    // A thin run along (nearly) the whole side is a paper edge; writing that spans a tightly cropped
    // scan is as wide but also stands tall, so the span alone does not drop it.
    const bool edge_run = (w * 10 > size.width * 9 && h * 4 < size.height) || (h * 10 > size.height * 9 && w * 4 < size.width);
    if (touches && (w * 3 >= size.width || h * 3 >= size.height) && (fill > 0.35 || edge_run)) {
      drop[i] = 1;
      ++dropped;
    }
  }
  return dropped;
}

// Ink box grown from the biggest component over neighbours within reach; far specks stay out.
// Components with skip[i] set are not ink.
cv::Rect ink_box(const Components& cc, const std::vector<std::uint8_t>& skip, double sw, int& kept) {
  kept = 0;
  std::vector<int> order;
  for (int i = 1; i < cc.n; ++i)
    if (!skip[i]) order.push_back(i);
  if (order.empty()) return {};
  std::sort(order.begin(), order.end(), [&](int a, int b) { return cc.area(a) > cc.area(b); });
  std::vector<bool> in(cc.n, false);
  cv::Rect box = cc.rect(order[0]);
  in[order[0]] = true;
  kept = 1;
  for (bool grew = true; grew;) {
    grew = false;
    const int reach = int(std::max({box.height * 0.8, sw * 12.0, 8.0}));
    const cv::Rect zone(box.x - reach, box.y - reach, box.width + 2 * reach, box.height + 2 * reach);
    for (int i : order) {
      if (in[i]) continue;
      const cv::Rect r = cc.rect(i);
      if ((r & zone).area() == 0) continue;
      in[i] = true;
      ++kept;
      box |= r;
      grew = true;
    }
  }
  return box;
}

cv::Rect ink_box(const cv::Mat& ink, double sw, int& kept) {
  const Components cc(ink);
  return ink_box(cc, std::vector<std::uint8_t>(cc.n, 0), sw, kept);
}

// How much taller the ink stands over the first quarter of the writing than over the last, as a
// fraction of the box height: positive when upright (a signature opens with a capital and trails
// off), negative upside down. On 139 upright SigComp scans it is positive for 120 and below -0.15 for 2
// (docs/accuracy.md). The vertical centre of mass, the usual cue for text (ascenders outnumber
// descenders), is wrong for signatures: positive for 42 of the 139.
double start_taller(const cv::Mat& roi) {
  const int w = roi.cols, h = roi.rows;
  if (w < 4 || h < 1) return 0;
  auto extent = [&](int x0, int x1) {
    cv::Mat r;
    cv::reduce(roi.colRange(x0, x1), r, 1, cv::REDUCE_MAX);
    int top = -1, bottom = -1;
    for (int y = 0; y < h; ++y)
      if (r.at<std::uint8_t>(y)) {
        if (top < 0) top = y;
        bottom = y;
      }
    return top < 0 ? 0.0 : double(bottom - top + 1) / h;
  };
  return extent(0, w / 4) - extent(w - w / 4, w);
}

// Clockwise quarter turn that makes the writing horizontal and upright. Writing runs along the ink
// box's long side; which end is the start follows from start_taller. uncertain when that cue is weak
// (|cue| < 0.15): a 180° turn is then not made, a 90°/270° one is made and flagged.
int find_orientation(const cv::Mat& ink, const cv::Rect& box, bool& uncertain) {
  uncertain = true;
  if (box.area() == 0) return 0;
  constexpr double kSure = 0.15;
  const cv::Mat roi = ink(box);
  if (box.height > box.width * 1.15) {
    cv::Mat turned;
    cv::rotate(roi, turned, cv::ROTATE_90_CLOCKWISE);
    const double cue = start_taller(turned);
    uncertain = std::abs(cue) < kSure;
    return cue >= 0 ? 90 : 270;
  }
  const double cue = start_taller(roi);
  uncertain = std::abs(cue) < kSure;
  return cue < 0 ? 180 : 0;
}

// The baseline's counter-clockwise tilt in degrees (within ±max_deg): the angle whose projection
// of the ink onto the vertical is sharpest (sum of squared row counts), coarse then fine.
double estimate_skew(const cv::Mat& ink, const cv::Rect& box, double max_deg) {
  std::vector<cv::Point2f> pts;
  const int step = std::max(1, int(std::sqrt(double(cv::countNonZero(ink(box))) / 20000.0)));
  for (int y = box.y; y < box.y + box.height; y += step) {
    const std::uint8_t* m = ink.ptr<std::uint8_t>(y);
    for (int x = box.x; x < box.x + box.width; x += step)
      if (m[x]) pts.emplace_back(float(x - box.x), float(y - box.y));
  }
  if (pts.size() < 50) return 0;
  const double reach = std::hypot(box.width, box.height);
  std::vector<double> bins(std::size_t(2 * reach) + 4);
  auto score = [&](double deg) {
    const double r = deg * CV_PI / 180, c = std::cos(r), sn = std::sin(r);
    std::fill(bins.begin(), bins.end(), 0.0);
    for (const auto& p : pts) bins[std::size_t(p.y * c + p.x * sn + reach + 1)] += 1;
    double sum = 0;
    for (double b : bins) sum += b * b;
    return sum;
  };
  double best = 0, best_score = score(0);
  for (double d = -max_deg; d <= max_deg + 1e-9; d += 0.5)
    if (const double sc = score(d); sc > best_score) best = d, best_score = sc;
  const double coarse = best;
  for (double d = coarse - 0.45; d <= coarse + 0.45 + 1e-9; d += 0.05)
    if (const double sc = score(d); sc > best_score) best = d, best_score = sc;
  return best;
}

// Turns m clockwise by deg about its centre onto a canvas that holds all of it (new pixels 0).
cv::Mat rotate_whole(const cv::Mat& m, double deg, int interpolation, const cv::Scalar& fill) {
  const cv::Point2f c(m.cols / 2.0f, m.rows / 2.0f);
  cv::Mat rot = cv::getRotationMatrix2D(c, -deg, 1.0);
  const cv::Rect2f bound = cv::RotatedRect(c, cv::Size2f(float(m.cols), float(m.rows)), float(deg)).boundingRect2f();
  rot.at<double>(0, 2) += bound.width / 2.0 - c.x;
  rot.at<double>(1, 2) += bound.height / 2.0 - c.y;
  cv::Mat out;
  cv::warpAffine(m, out, rot, cv::Size(int(std::ceil(bound.width)), int(std::ceil(bound.height))),
                 interpolation, cv::BORDER_CONSTANT, fill);
  return out;
}

std::string classify_colour(double a, double b, double chroma) {
  if (chroma < 12) return "black";
  double ang = std::atan2(b, a) * 180.0 / CV_PI;
  if (ang < 0) ang += 360;
  if (ang >= 200 && ang < 320) return "blue";
  if (ang >= 320 || ang < 70) return "red";
  if (ang >= 110 && ang < 200) return "green";
  return "other";
}

}  // namespace

InkAnalysis analyse_ink(const cv::Mat& bgr_in, const AnalyseOptions& o, cv::Mat* oriented) {
  InkAnalysis a;
  cv::Mat bgr = bgr_in;
  if (o.rotate) bgr = turn(bgr, *o.rotate);
  const int longest = std::max(bgr.cols, bgr.rows);
  const double s = o.max_work_side > 0 && longest > o.max_work_side ? double(o.max_work_side) / longest : 1.0;
  const cv::Mat work = analysis::shrink(bgr, s);
  Binarized bin = binarize(work);
  cv::Mat ink = bin.ink;
  const double sw = std::max(1.0, bin.stroke_width);
  const int total_ink = cv::countNonZero(ink);

  if (o.remove_lines) {
    a.removed = remove_lines(ink, sw, a.lines_removed);
  } else {
    a.removed = cv::Mat::zeros(ink.size(), CV_8U);
  }
  // Paper edges, tables and fingers (drop 1), then speckles up to the stroke scale (drop 2: line removal
  // leaves crumbs); the ink box from what stays. Each step drops whole components, so one labelling
  // serves all three.
  const Components cc(ink);
  std::vector<std::uint8_t> drop(cc.n, 0);
  if (o.remove_lines) a.lines_removed += mark_edges(cc, ink.size(), drop);
  {
    const double small = std::max(4.0, 0.8 * sw * sw);
    double noise = 0;
    for (int i = 1; i < cc.n; ++i)
      if (!drop[i] && cc.area(i) < small) drop[i] = 2, noise += cc.area(i);
    if (std::any_of(drop.begin(), drop.end(), [](std::uint8_t d) { return d != 0; }))
      for (int y = 0; y < ink.rows; ++y) {
        const int* l = cc.labels.ptr<int>(y);
        std::uint8_t* p = ink.ptr<std::uint8_t>(y);
        std::uint8_t* r = a.removed.ptr<std::uint8_t>(y);
        for (int x = 0; x < ink.cols; ++x)
          if (const std::uint8_t d = drop[l[x]]) {
            p[x] = 0;
            if (d == 1) r[x] = 255;
          }
      }
    a.noise_fraction = total_ink > 0 ? noise / total_ink : 0;
  }
  int kept = 0;
  a.box = ink_box(cc, drop, sw, kept);
  a.components = kept;
  if (o.orient && !o.rotate && a.box.area() > 0) {
    bool unsure = false;
    const int deg = find_orientation(ink, a.box, unsure);
    if (deg == 90 || deg == 270 || (deg == 180 && !unsure)) {
      AnalyseOptions again = o;
      again.rotate = deg;
      again.orient = false;
      InkAnalysis r = analyse_ink(bgr_in, again, oriented);
      r.rotation_uncertain = unsure || deg == 180;  // a 180° turn always carries a warning
      r.notes.push_back("turned " + std::to_string(deg) + "° clockwise");
      return r;
    }
    a.rotation_uncertain = unsure;
  }
  a.rotation = o.rotate.value_or(0);
  a.work_width = ink.cols;
  a.work_height = ink.rows;
  a.found = a.box.area() > 0 && cv::countNonZero(ink) >= std::max(20.0, sw * sw * 6);
  a.ink_fraction = double(cv::countNonZero(ink)) / double(ink.total());
  a.stroke_px = stroke_width(ink) / (s * (o.source_scale > 0 ? o.source_scale : 1.0));
  // Contrast and colours of the ink; paper statistics.
  if (a.found) {
    std::vector<float> cvals;
    cvals.reserve(cv::countNonZero(ink));
    for (int y = 0; y < ink.rows; ++y) {
      const std::uint8_t* m = ink.ptr<std::uint8_t>(y);
      const float* c = bin.contrast.ptr<float>(y);
      for (int x = 0; x < ink.cols; ++x)
        if (m[x]) cvals.push_back(c[x]);
    }
    std::nth_element(cvals.begin(), cvals.begin() + cvals.size() / 2, cvals.end());
    a.contrast = cvals[cvals.size() / 2];
  }
  // Colours of the ink (every ink pixel) against the paper, and the paper's brightness: the paper
  // sampled on every second row and column for its brightness, and a quarter of that sample for its
  // colour (the Lab conversion of the whole image cost 9 % of clean).
  cv::Mat paper_mask = bin.ink == 0;
  cv::erode(paper_mask, paper_mask, cv::Mat(), {-1, -1}, 2);
  const auto gather = [&](const cv::Mat& mask, int step) {
    const int es = int(work.elemSize());
    cv::Mat px(1, int(work.total() / (step * step)) + work.cols + work.rows + 1, work.type());
    std::uint8_t* out = px.ptr<std::uint8_t>();
    int n = 0;
    for (int y = 0; y < work.rows; y += step) {
      const std::uint8_t* m = mask.ptr<std::uint8_t>(y);
      const std::uint8_t* p = work.ptr<std::uint8_t>(y);
      for (int x = 0; x < work.cols; x += step)
        if (m[x]) {
          for (int k = 0; k < es; ++k) out[n * es + k] = p[x * es + k];
          ++n;
        }
    }
    return n > 0 ? px.colRange(0, n) : cv::Mat();
  };
  const cv::Mat paper_px = gather(paper_mask, 2);
  if (!paper_px.empty()) {
    // Every fourth pixel of that sample (in scan order): the paper's colour.
    cv::Mat colour_px;
    cv::resize(paper_px, colour_px, {std::max(1, paper_px.cols / 4), 1}, 0, 0, cv::INTER_NEAREST);
    const cv::Scalar paper_lab = cv::mean(analysis::bgr_to_lab(colour_px));  // a, b differences as in 8-bit Lab
    const cv::Mat ink_px = a.found ? gather(ink, 1) : cv::Mat();
    if (!ink_px.empty()) {
      const cv::Scalar ink_lab = cv::mean(analysis::bgr_to_lab(ink_px));
      const double da = ink_lab[1] - paper_lab[1], db = ink_lab[2] - paper_lab[2];
      a.ink_chroma = std::hypot(da, db);
      a.ink_colour = classify_colour(da, db, a.ink_chroma);
    }
    cv::Mat grey;
    if (paper_px.channels() == 3)
      cv::cvtColor(paper_px, grey, cv::COLOR_BGR2GRAY);
    else
      grey = paper_px;
    // Median, and the median and 99th percentile of the deviations from it, from histograms (exact:
    // the k-th smallest value is the first whose cumulative count passes k).
    std::array<std::size_t, 256> hist{}, dev{};
    for (int y = 0; y < grey.rows; ++y) {
      const std::uint8_t* g = grey.ptr<std::uint8_t>(y);
      for (int x = 0; x < grey.cols; ++x) ++hist[g[x]];
    }
    const auto kth = [](const std::array<std::size_t, 256>& h, std::size_t k) {
      std::size_t cum = 0;
      for (int i = 0; i < 256; ++i)
        if ((cum += h[std::size_t(i)]) > k) return i;
      return 255;
    };
    const std::size_t n = grey.total();
    const int med = kth(hist, n / 2);
    a.paper_grey = med;
    for (int i = 0; i < 256; ++i) dev[std::size_t(std::abs(i - med))] += hist[std::size_t(i)];
    a.paper_spread = std::max<double>(kth(dev, n / 2), 0.25 * kth(dev, n * 99 / 100));
  }
  if (o.deskew && a.found) {
    // Straighten the baseline when it tilts by 1° or more (and clearly less than the search's edge).
    constexpr double kMaxSkew = 15;
    const double skew = estimate_skew(ink, a.box, kMaxSkew);
    if (std::abs(skew) >= 1.0 && std::abs(skew) < kMaxSkew - 0.5) {
      a.skew_deg = skew;
      ink = rotate_whole(ink, skew, cv::INTER_LINEAR, cv::Scalar(0)) > 127;
      a.removed = rotate_whole(a.removed, skew, cv::INTER_NEAREST, cv::Scalar(0));
      if (oriented) bgr = rotate_whole(bgr, skew, cv::INTER_LINEAR, cv::Scalar(255, 255, 255));
      a.box = ink_box(ink, sw, a.components);
      a.work_width = ink.cols;
      a.work_height = ink.rows;
      a.notes.push_back("straightened by " + std::to_string(skew));
    }
  }
  a.ink = ink;
  if (oriented) *oriented = bgr;
  return a;
}

double placement_scale(const InkAnalysis& a, const CanvasSpec& spec) {
  if (!a.found || a.box.area() == 0) return 0;
  const double avail_w = spec.width * (1.0 - 2 * spec.margin);
  const double avail_h = spec.height * (1.0 - 2 * spec.margin);
  return std::min(avail_w / a.box.width, avail_h / a.box.height);
}

cv::Mat place_on_canvas(const InkAnalysis& a, const CanvasSpec& spec) {
  cv::Mat canvas(spec.height, spec.width, CV_8U, cv::Scalar(255));
  const double scale = placement_scale(a, spec);
  if (scale <= 0) return canvas;
  const int w = std::max(1, int(std::lround(a.box.width * scale)));
  const int h = std::max(1, int(std::lround(a.box.height * scale)));
  cv::Mat crop = a.ink(a.box), resized;
  cv::resize(crop, resized, {w, h}, 0, 0, scale < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
  if (!spec.antialias) cv::threshold(resized, resized, 100, 255, cv::THRESH_BINARY);
  else {
    // Ink stays solid black in its core; only edges are grey.
    resized.convertTo(resized, CV_8U, 1.4);
  }
  const int x0 = (spec.width - w) / 2, y0 = (spec.height - h) / 2;
  cv::Mat dst = canvas(cv::Rect(x0, y0, w, h));
  cv::subtract(cv::Scalar(255), resized, dst);
  return canvas;
}

}  // namespace idphoto::signature
