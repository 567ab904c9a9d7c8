// Calibration helper (not a test): prints the raw appearance measures of each image as CSV.
// Usage: appearance_calibrate DATA_DIR SOURCE_DIR < tests/golden/appearance_labels.csv image column
#include <fstream>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "analysis/analysis.hpp"
#include "analysis/appearance.hpp"
#include "io/decode.hpp"

using namespace idphoto;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: appearance_calibrate DATA_DIR SOURCE_DIR < image list\n";
    return 2;
  }
  const std::string data = argv[1], src = argv[2];
  auto models = face::FaceModels::load("/usr/share/dlib/shape_predictor_68_face_landmarks.dat");
  if (!models) return 2;
  std::cout << "image,face,eyes,eye_l,eye_r,mouth,lum_mean,dark,bright,entropy,lr_inter,lr_left,lr_right,cheek_L,cheek_a,cheek_b,"
               "glare_frac,glare_blob,sharp,cloth_like,above_hair,above_bg,above_skin,above_other,above_h,skin,skin_ok,"
               "bg_ok,bg_share,bg_L,bg_a,bg_b,bg_grad,bg_shadow,cheek_nose,closure_l,closure_r\n";
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty()) continue;
    const std::string path = (line.rfind("samples/", 0) == 0 ? src : data) + "/" + line;
    std::ifstream f(path, std::ios::binary);
    std::vector<std::uint8_t> b((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    auto d = io::decode(b, Limits{});
    if (!d) {
      std::cout << line << ",decode_error\n";
      continue;
    }
    analysis::Analysis a(std::move(d.value()), models.value());
    const auto& p = a.appearance();
    const auto cl = p.cheek_lab.value_or(cv::Vec3f(-1, -1, -1));
    std::cout << line << "," << (a.head() ? 1 : 0) << "," << p.eye_openness << "," << p.left_eye_open << ","
              << p.right_eye_open << "," << p.mouth_openness << "," << p.face.mean << "," << p.face.frac_dark << ","
              << p.face.frac_bright << "," << p.face.entropy << "," << p.lr_intersection << "," << p.lr_mean_left << "," << p.lr_mean_right << "," << cl[0] << ","
              << cl[1] << "," << cl[2] << "," << p.glare_fraction << "," << p.glare_blob_px << "," << p.sharpness
              << "," << p.clothing_like_background << "," << p.above_hair << "," << p.above_background << ","
              << p.above_skin << "," << p.above_other << "," << p.above_height << "," << p.skin_fraction << ","
              << p.skin_model_ok << "," << p.background_ok << "," << p.background_share << ","
              << p.background_lab[0] << "," << p.background_lab[1] << "," << p.background_lab[2] << ","
              << p.background_gradient << "," << p.background_shadow << "," << p.cheek_nose_chroma << ","
              << p.left_eye_closure << "," << p.right_eye_closure << "\n";
  }
  return 0;
}
