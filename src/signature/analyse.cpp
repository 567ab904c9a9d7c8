#include <algorithm>
#include <cmath>
#include <numeric>

#include <opencv2/imgproc.hpp>

#include "signature/binarize.hpp"
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

// Long straight runs (ruled lines, box borders): opening with a line element, then the strokes
// that cross a line restored by a closing across it. Returns the removed mask.
cv::Mat remove_lines(cv::Mat& ink, double sw, int& count) {
  const int lh = std::max(25, std::max(ink.cols / 6, int(sw * 15)));
  const int lv = std::max(25, std::max(ink.rows / 4, int(sw * 15)));
  cv::Mat h, v;
  cv::morphologyEx(ink, h, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, {lh, 1}));
  cv::morphologyEx(ink, v, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, {1, lv}));
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

// Components touching the border that span a third of a side: paper edges, table, fingers.
int remove_edges(cv::Mat& ink) {
  cv::Mat labels, stats, cent;
  const int n = cv::connectedComponentsWithStats(ink, labels, stats, cent, 8, CV_32S);
  std::vector<std::uint8_t> drop(n, 0);
  int dropped = 0;
  for (int i = 1; i < n; ++i) {
    const int x = stats.at<int>(i, cv::CC_STAT_LEFT), y = stats.at<int>(i, cv::CC_STAT_TOP);
    const int w = stats.at<int>(i, cv::CC_STAT_WIDTH), h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    const bool touches = x == 0 || y == 0 || x + w == ink.cols || y + h == ink.rows;
    const double fill = stats.at<int>(i, cv::CC_STAT_AREA) / double(w * h);
    if (touches && (w * 3 >= ink.cols || h * 3 >= ink.rows) && (fill > 0.35 || w * 10 > ink.cols * 9 || h * 10 > ink.rows * 9)) {
      drop[i] = 1;
      ++dropped;
    }
  }
  if (dropped)
    for (int y = 0; y < ink.rows; ++y) {
      const int* l = labels.ptr<int>(y);
      std::uint8_t* o = ink.ptr<std::uint8_t>(y);
      for (int x = 0; x < ink.cols; ++x)
        if (drop[l[x]]) o[x] = 0;
    }
  return dropped;
}

// Ink box grown from the biggest component over neighbours within reach; far specks stay out.
cv::Rect ink_box(const cv::Mat& ink, double sw, int& kept) {
  cv::Mat labels, stats, cent;
  const int n = cv::connectedComponentsWithStats(ink, labels, stats, cent, 8, CV_32S);
  kept = 0;
  if (n <= 1) return {};
  std::vector<int> order(n - 1);
  std::iota(order.begin(), order.end(), 1);
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    return stats.at<int>(a, cv::CC_STAT_AREA) > stats.at<int>(b, cv::CC_STAT_AREA);
  });
  auto rect = [&](int i) {
    return cv::Rect(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
                    stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT));
  };
  std::vector<bool> in(n, false);
  cv::Rect box = rect(order[0]);
  in[order[0]] = true;
  kept = 1;
  for (bool grew = true; grew;) {
    grew = false;
    const int reach = int(std::max({box.height * 0.8, sw * 12.0, 8.0}));
    const cv::Rect zone(box.x - reach, box.y - reach, box.width + 2 * reach, box.height + 2 * reach);
    for (int i : order) {
      if (in[i]) continue;
      const cv::Rect r = rect(i);
      if ((r & zone).area() == 0) continue;
      in[i] = true;
      ++kept;
      box |= r;
      grew = true;
    }
  }
  return box;
}

// Clockwise quarter turn that makes the writing horizontal and upright (best effort for 180°).
int find_orientation(const cv::Mat& ink, const cv::Rect& box, bool& uncertain) {
  uncertain = true;
  if (box.area() == 0) return 0;
  const cv::Mat roi = ink(box);
  // Writing runs along its long side; the densest band (x-height) sits below the middle of the box
  // because ascenders outnumber descenders.
  const bool vertical = box.height > box.width * 1.15;
  cv::Mat prof;
  cv::reduce(roi, prof, vertical ? 0 : 1, cv::REDUCE_SUM, CV_64F);
  prof = prof.reshape(1, 1);
  double total = cv::sum(prof)[0], acc = 0, centre = 0;
  const int len = prof.cols;
  for (int i = 0; i < len; ++i) {
    acc += prof.at<double>(0, i);
    if (acc >= total / 2) {
      centre = (i + 0.5) / len;
      break;
    }
  }
  const bool low_heavy = centre > 0.5;  // mass in the second half (bottom, or right when vertical)
  uncertain = std::abs(centre - 0.5) < 0.05;
  if (!vertical) return low_heavy ? 0 : 180;
  // Turned 90° clockwise: what was the bottom is now on the left.
  return low_heavy ? 90 : 270;
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
  cv::Mat work;
  if (s < 1.0)
    cv::resize(bgr, work, cv::Size(), s, s, cv::INTER_AREA);
  else
    work = bgr;
  Binarized bin = binarize(work);
  cv::Mat ink = bin.ink;
  const double sw = std::max(1.0, bin.stroke_width);
  const int total_ink = cv::countNonZero(ink);

  if (o.remove_lines) {
    remove_lines(ink, sw, a.lines_removed);
    a.lines_removed += remove_edges(ink);
  }
  // Speckles up to the stroke scale (after line removal, which leaves crumbs).
  {
    cv::Mat labels, stats, cent;
    const int n = cv::connectedComponentsWithStats(ink, labels, stats, cent, 8, CV_32S);
    const double small = std::max(4.0, 0.8 * sw * sw);
    std::vector<std::uint8_t> drop(n, 0);
    double noise = 0;
    for (int i = 1; i < n; ++i)
      if (stats.at<int>(i, cv::CC_STAT_AREA) < small) drop[i] = 1, noise += stats.at<int>(i, cv::CC_STAT_AREA);
    for (int y = 0; y < ink.rows; ++y) {
      const int* l = labels.ptr<int>(y);
      std::uint8_t* p = ink.ptr<std::uint8_t>(y);
      for (int x = 0; x < ink.cols; ++x)
        if (drop[l[x]]) p[x] = 0;
    }
    a.noise_fraction = total_ink > 0 ? noise / total_ink : 0;
  }
  int kept = 0;
  a.box = ink_box(ink, sw, kept);
  a.components = kept;
  if (o.orient && !o.rotate && a.box.area() > 0) {
    bool unsure = false;
    const int deg = find_orientation(ink, a.box, unsure);
    if (deg == 90 || deg == 270 || (deg == 180 && !unsure)) {
      AnalyseOptions again = o;
      again.rotate = deg;
      again.orient = false;
      InkAnalysis r = analyse_ink(bgr_in, again, oriented);
      r.rotation_uncertain = deg == 180 || unsure;
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
  a.stroke_px = stroke_width(ink) / s;
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
  cv::Mat lab;
  cv::cvtColor(work, lab, cv::COLOR_BGR2Lab);
  cv::Mat paper_mask = bin.ink == 0;
  cv::erode(paper_mask, paper_mask, cv::Mat(), {-1, -1}, 2);
  const cv::Scalar paper_lab = cv::mean(lab, paper_mask);
  if (a.found) {
    const cv::Scalar ink_lab = cv::mean(lab, ink);
    const double da = ink_lab[1] - paper_lab[1], db = ink_lab[2] - paper_lab[2];
    a.ink_chroma = std::hypot(da, db);
    a.ink_colour = classify_colour(da, db, a.ink_chroma);
  }
  {
    cv::Mat grey;
    cv::cvtColor(work, grey, cv::COLOR_BGR2GRAY);
    std::vector<std::uint8_t> v;
    for (int y = 0; y < grey.rows; y += 2) {
      const std::uint8_t* g = grey.ptr<std::uint8_t>(y);
      const std::uint8_t* m = paper_mask.ptr<std::uint8_t>(y);
      for (int x = 0; x < grey.cols; x += 2)
        if (m[x]) v.push_back(g[x]);
    }
    if (!v.empty()) {
      std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
      a.paper_grey = v[v.size() / 2];
      for (auto& x : v) x = std::uint8_t(std::abs(int(x) - int(a.paper_grey)));
      std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
      a.paper_spread = v[v.size() / 2];
      std::nth_element(v.begin(), v.begin() + v.size() * 99 / 100, v.end());
      a.paper_spread = std::max(a.paper_spread, 0.25 * v[v.size() * 99 / 100]);
    }
  }
  a.ink = ink;
  if (oriented) *oriented = bgr;
  return a;
}

cv::Mat place_on_canvas(const InkAnalysis& a, const CanvasSpec& spec) {
  cv::Mat canvas(spec.height, spec.width, CV_8U, cv::Scalar(255));
  if (!a.found || a.box.area() == 0) return canvas;
  const double avail_w = spec.width * (1.0 - 2 * spec.margin);
  const double avail_h = spec.height * (1.0 - 2 * spec.margin);
  const double scale = std::min(avail_w / a.box.width, avail_h / a.box.height);
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
