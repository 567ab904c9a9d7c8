// Makes samples/cn-1inch-obama.jpg from the public-domain official portrait (samples/obama-source.jpg):
// person mask by GrabCut, composited on white, cropped by the head model, 295×413, 10–30 KB at 300 dpi.
// Usage: make_sample SOURCE.jpg OUT.jpg [head_ratio crown_ratio [crown_y]]; crown_y (source px) is
// given by hand when the background is too busy for the crown to be found. Run as in samples/README.md.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "analysis/analysis.hpp"
#include "face/face_models.hpp"
#include "io/decode.hpp"
#include "io/encode.hpp"

using namespace idphoto;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: make_sample SOURCE.jpg OUT.jpg [head_ratio crown_ratio]\n");
    return 2;
  }
  const double head_ratio = argc > 3 ? std::atof(argv[3]) : 0.64;
  const double crown_ratio = argc > 4 ? std::atof(argv[4]) : 0.08;
  std::ifstream f(argv[1], std::ios::binary);
  std::vector<std::uint8_t> bytes{std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
  auto img = io::decode(bytes, Limits{});
  if (!img) return std::fprintf(stderr, "decode: %s\n", img.error().message.c_str()), 3;
  auto models = face::FaceModels::load("/usr/share/dlib/shape_predictor_68_face_landmarks.dat");
  if (!models) return std::fprintf(stderr, "model: %s\n", models.error().message.c_str()), 2;
  const cv::Mat src = img->bgr;
  analysis::Analysis a(img.value(), models.value());
  const analysis::Head* h = a.head();
  if (!h) return std::fprintf(stderr, "no face\n"), 1;
  const std::optional<double> crown = argc > 5 ? std::optional<double>(std::atof(argv[5])) : h->crown_y;
  if (!crown) return std::fprintf(stderr, "crown not found: give crown_y by hand\n"), 1;
  std::printf("source: crown %.1f chin %.1f eye_mid (%.1f, %.1f) face width %.1f\n", *crown, h->chin_y,
              h->eye_mid.x, h->eye_mid.y, h->face_width_px);

  // GrabCut seeded by the head model: above the crown and beside the head is sure background, the face
  // and the chest below the chin sure foreground, the shoulders' trapezoid probably foreground.
  const double head = h->chin_y - *crown;
  const double fw = h->face_width_px;
  cv::Mat mask(src.size(), CV_8U, cv::Scalar(cv::GC_BGD));
  for (int y = std::max(0, int(*crown - 2)); y < src.rows; ++y) {
    double half;
    if (y < h->chin_y) half = 0.5 * fw + 0.25 * fw;                      // head and ears
    else half = 0.75 * fw + 2.2 * fw * std::min(1.0, (y - h->chin_y) / (0.9 * head));  // neck to shoulders
    const int a = std::max(0, int(h->centre_x - half)), b = std::min(src.cols, int(h->centre_x + half));
    if (b > a) mask.row(y).colRange(a, b).setTo(cv::GC_PR_FGD);
  }
  const cv::Rect face(int(h->face_left_x + 0.1 * fw), int(*crown + 0.25 * head), int(0.8 * fw),
                      int(h->chin_y - *crown - 0.3 * head));
  mask(face & cv::Rect(0, 0, src.cols, src.rows)).setTo(cv::GC_FGD);
  // The skull from just under the crown to the chin (hair included) is sure foreground.
  cv::ellipse(mask, cv::Point(int(h->centre_x), int((*crown + h->chin_y) / 2)),
              cv::Size(int(0.45 * fw), int(head / 2 - 4)), 0, 0, 360, cv::Scalar(cv::GC_FGD), cv::FILLED);
  const cv::Rect chest(int(h->centre_x - 0.4 * fw), int(h->chin_y + 0.15 * head), int(0.8 * fw), src.rows);
  mask(chest & cv::Rect(0, 0, src.cols, src.rows)).setTo(cv::GC_FGD);
  cv::Mat bgd, fgd;
  cv::grabCut(src, mask, cv::Rect(), bgd, fgd, 5, cv::GC_INIT_WITH_MASK);
  cv::Mat fg = (mask == cv::GC_FGD) | (mask == cv::GC_PR_FGD);
  cv::Mat alpha;
  fg.convertTo(alpha, CV_32F, 1.0 / 255);
  cv::GaussianBlur(alpha, alpha, cv::Size(5, 5), 0);
  cv::Mat srcf, out;
  src.convertTo(srcf, CV_32FC3);
  cv::Mat a3;
  cv::merge(std::vector<cv::Mat>{alpha, alpha, alpha}, a3);
  cv::Mat white(src.size(), CV_32FC3, cv::Scalar::all(255));
  out = srcf.mul(a3) + white.mul(cv::Scalar::all(1.0) - a3);
  out.convertTo(out, CV_8UC3);

  // Crop from the head model: head height and crown margin as fractions of the output height.
  const double H = head / head_ratio;
  const double W = H * 295.0 / 413.0;
  const double top = *crown - crown_ratio * H;
  const double left = h->centre_x - W / 2;
  cv::Mat small;
  // Pad with white where the crop reaches past the photo, cut, then downscale with INTER_AREA.
  cv::Mat padded;
  const int pad = int(std::max({0.0, -top, -left, left + W - out.cols})) + 2;
  cv::copyMakeBorder(out, padded, pad, pad, pad, pad, cv::BORDER_CONSTANT, cv::Scalar::all(255));
  cv::Mat crop = padded(cv::Rect(int(left + pad), int(top + pad), int(W), int(H)));
  cv::resize(crop, small, cv::Size(295, 413), 0, 0, cv::INTER_AREA);
  // Aim at the middle of the 10–30 KB window so that a re-encode does not tip it over.
  auto jpg = io::encode_jpeg_to_size(small, 10 * 1024, 22 * 1024, 300);
  if (!jpg) return std::fprintf(stderr, "encode: %s\n", jpg.error().message.c_str()), 4;
  std::ofstream(argv[2], std::ios::binary).write(reinterpret_cast<const char*>(jpg->bytes.data()),
                                                 static_cast<std::streamsize>(jpg->bytes.size()));
  std::printf("wrote %s: quality %d, %zu bytes\n", argv[2], jpg->quality, jpg->bytes.size());
  return 0;
}
