// Crop planner on synthetic head geometries: every band met at once, edges of the bands, infeasible cases.
#include <algorithm>

#include "fix/crop_plan.hpp"
#include "support/test_support.hpp"

using namespace idphoto;
using namespace idphoto::fix;

namespace {

// cn-1inch's bands (src/profiles/cn-1inch.json).
GeometryBands cn_1inch() {
  GeometryBands g;
  g.out_width = 295;
  g.out_height = 413;
  g.head_height = Range{0.55, 0.72};
  g.crown_margin = Range{0.03, 0.12};
  g.eye_line = Range{0.30, 0.50};
  g.centring = Range{-0.04, 0.04};
  g.face_width = Range{0.50, 0.68};
  g.min_ied = 60;
  return g;
}

// A head of height h (crown→chin) with the crown at (cx, crown); eyes 46% down, face width 0.72 h.
HeadModel head(double cx, double crown, double h, double fw_ratio = 0.72, double eye_ratio = 0.46) {
  HeadModel m;
  m.crown_y = crown;
  m.chin_y = crown + h;
  m.eye_y = crown + eye_ratio * h;
  m.centre_x = cx;
  m.face_width = fw_ratio * h;
  m.ied = 0.3 * h;
  return m;
}

void require_in_bands(const CropPlan& p, const GeometryBands& g) {
  REQUIRE(p.feasible);
  CHECK(g.head_height->contains(p.head_height));
  CHECK(g.crown_margin->contains(p.crown_margin));
  CHECK(g.eye_line->contains(p.eye_line));
  CHECK(g.centring->contains(p.centring));
  CHECK(g.face_width->contains(p.face_width));
  if (g.min_ied) CHECK(p.ied >= *g.min_ied);
  CHECK(p.width / p.height == doctest::Approx(295.0 / 413.0));
  CHECK(p.scale == doctest::Approx(413.0 / p.height));
}

}  // namespace

TEST_CASE("a typical phone portrait: every band met with margin, inside the source, no upscaling") {
  const GeometryBands g = cn_1inch();
  const CropPlan p = plan_crop(head(1500, 800, 1200), g, 3000, 4000);
  require_in_bands(p, g);
  CHECK(p.scale <= 1.0);
  CHECK(p.beyond_top == 0);
  CHECK(p.beyond_left == 0);
  CHECK(p.beyond_right == 0);
  CHECK(p.beyond_bottom == 0);
  // Aimed inside the bands (15% inset), not at their ends.
  CHECK(p.head_height >= 0.55 + 0.1 * 0.17);
  CHECK(p.head_height <= 0.72 - 0.1 * 0.17);
  CHECK(std::abs(p.centring) < 0.01);
}

TEST_CASE("face width and head height bands in conflict: infeasible, both named") {
  const GeometryBands g = cn_1inch();
  // A face as wide as the head is tall: face-width ≤ 68% of W needs a crop ≥ 1.03 h·(413/295)... taller than 1/0.55 h.
  const CropPlan p = plan_crop(head(1500, 800, 1000, 1.45), g, 3000, 4000);
  CHECK_FALSE(p.feasible);
  CHECK(std::find(p.conflicting.begin(), p.conflicting.end(), "photo.geometry.head_height") != p.conflicting.end());
  CHECK(std::find(p.conflicting.begin(), p.conflicting.end(), "photo.geometry.face_width") != p.conflicting.end());
  CHECK(p.reason.en.find("cannot be met together") != std::string::npos);
}

TEST_CASE("a face just inside the face-width band at the head band's end is still feasible") {
  const GeometryBands g = cn_1inch();
  // face width 0.50 W at head 0.72 H ⇔ fw/h = 0.50·295 / (0.72·413) = 0.496; a little above is feasible.
  const CropPlan p = plan_crop(head(1500, 800, 1000, 0.51), g, 3000, 4000);
  require_in_bands(p, g);
  // And one far narrower than the band allows is not.
  const CropPlan q = plan_crop(head(1500, 800, 1000, 0.35), g, 3000, 4000);
  CHECK_FALSE(q.feasible);
  CHECK(std::find(q.conflicting.begin(), q.conflicting.end(), "photo.geometry.face_width") != q.conflicting.end());
}

TEST_CASE("too small a source: the crop would need upscaling, refused as photo.image.dimensions") {
  const GeometryBands g = cn_1inch();
  const CropPlan p = plan_crop(head(75, 40, 150), g, 150, 225);
  CHECK_FALSE(p.feasible);
  CHECK(std::find(p.conflicting.begin(), p.conflicting.end(), "photo.image.dimensions") != p.conflicting.end());
  CHECK(p.reason.en.find("upscaling is forbidden") != std::string::npos);
  GeometryBands up = g;
  up.allow_upscale = true;
  up.min_ied.reset();
  require_in_bands(plan_crop(head(75, 40, 150), up, 150, 225), up);
}

TEST_CASE("a head touching the top edge: the plan says how much space is missing above") {
  const GeometryBands g = cn_1inch();
  const CropPlan p = plan_crop(head(1500, 5, 1200), g, 3000, 4000);
  require_in_bands(p, g);
  CHECK(p.beyond_top > 0.03 * p.height - 5);
  CHECK(p.beyond_bottom == 0);
}

TEST_CASE("a head near the side: the crop stays inside when the centring band allows, else reports the side") {
  const GeometryBands g = cn_1inch();
  const CropPlan p = plan_crop(head(300, 800, 1200), g, 3000, 4000);
  require_in_bands(p, g);
  CHECK(p.beyond_left > 0);
  CHECK(p.beyond_right == 0);
  // Crop width ≈ 1.15 h; centring ±4% lets the head sit up to 0.04·W off-centre toward the edge.
  CHECK(p.centring < 0);
}

TEST_CASE("the crop prefers to stay inside the source when the bands leave room") {
  const GeometryBands g = cn_1inch();
  // A tight source: head 1000 px, source 1300 wide × 1700 tall with the head centred.
  const CropPlan p = plan_crop(head(650, 200, 1000), g, 1300, 1700);
  require_in_bands(p, g);
  CHECK(p.beyond_top + p.beyond_bottom + p.beyond_left + p.beyond_right == doctest::Approx(0.0));
}

TEST_CASE("eyes too low in the head for the eye band with the crown band: infeasible, eye_line named") {
  GeometryBands g = cn_1inch();
  g.eye_line = Range{0.30, 0.34};
  g.crown_margin = Range{0.03, 0.05};
  // Eyes 60% down a head of 0.55..0.72 H put the eyes ≥ 0.36 H below the top.
  const CropPlan p = plan_crop(head(1500, 800, 1000, 0.72, 0.60), g, 3000, 4000);
  CHECK_FALSE(p.feasible);
  CHECK(std::find(p.conflicting.begin(), p.conflicting.end(), "photo.geometry.eye_line") != p.conflicting.end());
}

TEST_CASE("IED band: a crop small enough for the head but too wide for the eyes is refused with photo.face.ied") {
  GeometryBands g = cn_1inch();
  g.min_ied = 120;  // needs crop ≤ ied·413/120; with ied = 0.3 h that is 1.03 h < h/0.72
  const CropPlan p = plan_crop(head(1500, 800, 1000), g, 3000, 4000);
  CHECK_FALSE(p.feasible);
  CHECK(std::find(p.conflicting.begin(), p.conflicting.end(), "photo.face.ied") != p.conflicting.end());
}

TEST_CASE("inconsistent head geometry is refused rather than planned") {
  HeadModel m = head(1500, 800, 1000);
  m.chin_y = m.crown_y - 10;
  const CropPlan p = plan_crop(m, cn_1inch(), 3000, 4000);
  CHECK_FALSE(p.feasible);
  CHECK_FALSE(p.conflicting.empty());
}
