#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include "checks/check.hpp"
#include "profiles/profile_data.hpp"
#include "profiles/profile_loader.hpp"
#include "support/test_support.hpp"

using namespace idphoto;
using nlohmann::json;

namespace {

const checks::Params* params_of(const Profile& p, std::string_view id) {
  for (const auto& [def, params] : p.data().checks)
    if (def->id == id) return &params;
  return nullptr;
}

void check_range(const Profile& p, std::string_view id, const char* name, std::optional<double> lo,
                 std::optional<double> hi) {
  const checks::Params* ps = params_of(p, id);
  REQUIRE_MESSAGE(ps, p.id() << " lacks " << id);
  const Range r = ps->range(name);
  CHECK(r.lo == lo);
  CHECK(r.hi == hi);
}

// The error message of a profile that must fail to load.
std::string load_error(const std::string& text) {
  auto r = Profile::from_json(text);
  REQUIRE_MESSAGE(!r.ok(), "expected a bad profile: " << text.substr(0, 200));
  CHECK(r.error().code == ErrorCode::bad_profile);
  return r.error().message;
}

}  // namespace

TEST_CASE("every built-in profile loads, with its own id and a valid kind") {
  const auto ids = Profile::builtin_ids();
  REQUIRE(ids.size() == 9);
  for (const char* want : {"cn-1inch", "cn-idcard", "cn-passport", "cn-visa", "us-passport",
                           "icao-35x45", "uk-passport", "icao-token", "cn-signature"})
    CHECK(std::find(ids.begin(), ids.end(), want) != ids.end());
  for (const auto& id : ids) {
    CAPTURE(id);
    auto p = Profile::builtin(id);
    REQUIRE_MESSAGE(p.ok(), p.error().message);
    CHECK(p->id() == id);
    CHECK((p->kind() == "photo" || p->kind() == "signature"));
    CHECK(!p->title().zh.empty());
    CHECK(!p->title().en.empty());
    if (p->kind() == "photo") {
      CHECK(p->data().checks.size() >= 8);
      // every threshold carries its source
      for (const auto& [id2, c] : p->data().merged["checks"].items()) {
        CAPTURE(id2);
        CHECK(c.contains("note"));
      }
    }
  }
  CHECK(Profile::default_id("photo") == "cn-1inch");
  CHECK(Profile::default_id("signature") == "cn-signature");
  CHECK(Profile::builtin(Profile::default_id("signature"))->kind() == "signature");
}

// cn-1inch runs every photo check of the registry (signature checks are the signature profile's).
static std::size_t photo_check_count() {
  std::size_t n = 0;
  for (const auto* d : checks::registry()) n += d->kind == "photo";
  return n;
}

TEST_CASE("cn-1inch holds the CPTA numbers") {
  auto p = Profile::builtin("cn-1inch");
  REQUIRE(p.ok());
  CHECK(p->kind() == "photo");
  CHECK(p->data().checks.size() == photo_check_count());
  CHECK(params_of(*p, "photo.file.format")->strings("allowed") == std::vector<std::string>{"jpeg"});
  check_range(*p, "photo.file.size", "kb", 10, 30);
  check_range(*p, "photo.image.dimensions", "width", 295, 295);
  check_range(*p, "photo.image.dimensions", "height", 413, 413);
  check_range(*p, "photo.image.dpi", "range", 300, 300);
  check_range(*p, "photo.geometry.head_height", "range", 0.55, 0.72);
  check_range(*p, "photo.geometry.crown_margin", "range", 0.03, 0.12);
  check_range(*p, "photo.geometry.eye_line", "range", 0.30, 0.50);
  check_range(*p, "photo.geometry.centring", "range", -0.04, 0.04);
  check_range(*p, "photo.geometry.face_width", "range", 0.50, 0.68);
  check_range(*p, "photo.face.ied", "range", 60, std::nullopt);
  CHECK(params_of(*p, "photo.face.pose.yaw")->number("max_deg", 0) == 10);
  CHECK(params_of(*p, "photo.face.count")->number("min_relative_width", 0) == 0.5);
  // registry order
  for (std::size_t i = 0; i < p->data().checks.size(); ++i)
    CHECK(p->data().checks[i].first == checks::registry()[i]);
  CHECK(p->data().merged["background_colours"]["blue"] == "#438EDB");
}

TEST_CASE("GA 461 pixel rules become fractions in cn-idcard; extends merges over cn-1inch") {
  auto p = Profile::builtin("cn-idcard");
  REQUIRE(p.ok());
  check_range(*p, "photo.image.dimensions", "width", 358, 358);
  check_range(*p, "photo.image.dpi", "range", 350, 350);
  const Range fw = params_of(*p, "photo.geometry.face_width")->range("range");
  CHECK(fw.contains(193.0 / 358));
  CHECK(fw.contains(221.0 / 358));
  CHECK(!fw.contains(192.0 / 358));
  CHECK(!fw.contains(222.0 / 358));
  const Range cm = params_of(*p, "photo.geometry.crown_margin")->range("range");
  CHECK(cm.contains(7.0 / 441));
  CHECK(cm.contains(21.0 / 441));
  CHECK(!cm.contains(22.0 / 441));
  CHECK(params_of(*p, "photo.geometry.eye_line")->range("range").contains(234.0 / 441));
  CHECK(!params_of(*p, "photo.geometry.eye_line")->range("range").contains(235.0 / 441));
  CHECK(params_of(*p, "photo.file.size") == nullptr);  // null removes the parent's check
  CHECK(params_of(*p, "photo.file.format")->strings("allowed") ==
        std::vector<std::string>{"jpeg"});  // inherited
  check_range(*p, "photo.face.ied", "range", 60, std::nullopt);
}

TEST_CASE("a user profile extends a built-in: merge patch, null removes, enabled false skips") {
  auto p = Profile::from_json(R"({"id": "mine", "extends": "cn-1inch", "title": {"en": "Mine"},
      "checks": {"photo.geometry.head_height": {"range": [0.6, 0.7]},
                 "photo.face.ied": null,
                 "photo.image.dpi": {"enabled": false},
                 "photo.file.size": {"kb": [null, 50], "severity": "warn"}}})");
  REQUIRE_MESSAGE(p.ok(), p.error().message);
  CHECK(p->id() == "mine");
  CHECK(p->kind() == "photo");  // inherited
  CHECK(p->title().en == "Mine");
  CHECK(p->title().zh ==
        Profile::builtin("cn-1inch")->title().zh);  // inherited field of the object
  check_range(*p, "photo.geometry.head_height", "range", 0.6, 0.7);
  CHECK(params_of(*p, "photo.geometry.head_height")->string("note", "").find("uncertain") !=
        std::string::npos);
  CHECK(params_of(*p, "photo.face.ied") == nullptr);
  CHECK(params_of(*p, "photo.image.dpi") == nullptr);
  check_range(*p, "photo.file.size", "kb", std::nullopt, 50);
  CHECK(p->data().checks.size() == photo_check_count() - 2);
  // to_json is the merged, self-contained profile and loads again to the same thing
  CHECK(p->data().merged["extends"].is_null());
  auto again = Profile::from_json(p->to_json());
  REQUIRE_MESSAGE(again.ok(), again.error().message);
  CHECK(again->data().merged == p->data().merged);
}

TEST_CASE("validation errors name the field") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"([1, 2])", "root"},
      {R"({"kind": "photo", "title": {"en": "x", "zh-CN": "x"}})", "id:"},
      {R"({"id": "a", "kind": "video", "title": {"en": "x", "zh-CN": "x"}})",
       "kind: expected \"photo\" or \"signature\""},
      {R"({"id": "a", "title": {"en": "x", "zh-CN": "x"}})", "kind: required"},
      {R"({"id": "a", "kind": "photo"})", "title: required"},
      {R"({"id": "a", "kind": "photo", "title": {"en": 3, "zh-CN": "x"}})",
       "title.\"en\": expected a string"},
      {R"({"id": "a", "kind": "photo", "colour": 1})", "\"colour\": unknown field"},
      {R"({"id": "a", "extends": "cn-1inch", "checks": {"photo.geometry.head_height": {"range": [0.8, 0.5]}}})",
       "checks.\"photo.geometry.head_height\".range: expected [lo, hi] with lo <= hi"},
      {R"({"id": "a", "extends": "cn-1inch", "checks": {"photo.geometry.head_height": {"range": 0.5}}})",
       "checks.\"photo.geometry.head_height\".range: expected [lo, hi]"},
      {R"({"id": "a", "extends": "cn-1inch", "checks": {"photo.geometry.head_height": {"range": [0.5, "x"]}}})",
       "checks.\"photo.geometry.head_height\".range: expected [lo, hi]"},
      {R"({"id": "a", "extends": "cn-1inch", "checks": {"photo.head.size": {}}})",
       "checks.\"photo.head.size\": unknown check id"},
      {R"({"id": "a", "extends": "cn-1inch", "checks": {"photo.file.size": {"mb": [1, 2]}}})",
       "checks.\"photo.file.size\".mb: unknown parameter (allowed: kb"},
      {R"({"id": "a", "extends": "cn-1inch", "checks": {"photo.face.pose.yaw": {"max_deg": "8"}}})",
       "checks.\"photo.face.pose.yaw\".max_deg: expected a number"},
      {R"({"id": "a", "extends": "cn-1inch", "checks": {"photo.file.format": {"allowed": "jpeg"}}})",
       "checks.\"photo.file.format\".allowed: expected an array of strings"},
      {R"({"id": "a", "extends": "cn-1inch", "checks": {"photo.file.format": {"enabled": "no"}}})",
       "checks.\"photo.file.format\".enabled: expected true or false"},
      {R"({"id": "a", "extends": "cn-1inch", "checks": {"photo.file.format": {"note": 1}}})",
       "checks.\"photo.file.format\".note: expected a string"},
      {R"({"id": "a", "extends": "cn-1inch", "checks": {"photo.file.format": {"severity": "info"}}})",
       "checks.\"photo.file.format\".severity: expected \"fail\" or \"warn\""},
      {R"({"id": "a", "extends": "cn-1inch", "checks": {"photo.file.format": 5}})",
       "checks.\"photo.file.format\": expected an object"},
      {R"({"id": "a", "kind": "photo", "title": {"en": "x", "zh-CN": "x"}, "checks": {"photo.file.size": {}}})",
       "checks.\"photo.file.size\".kb: required parameter missing"},
      {R"({"id": "a", "extends": "cn-1inch", "checks": {"photo.face.ied": {"range": null}}})",
       "checks.\"photo.face.ied\".range: required parameter missing"},
      {R"({"id": "a", "extends": "cn-signature", "checks": {"photo.file.size": {"kb": [1, 2]}}})",
       "checks.\"photo.file.size\": a photo check in a signature profile"},
      {R"({"id": "a", "extends": "cn-1inch", "kind": "signature"})",
       "a photo check in a signature profile"},
      {R"({"id": "a", "extends": "no-such-profile"})",
       "extends: unknown profile \"no-such-profile\""},
      {R"({"id": "a", "extends": 7})", "extends: expected a profile id"},
      {R"({"id": "a", "extends": "cn-1inch", "background_colours": {"blue": "blue"}})",
       "background_colours.\"blue\": expected \"#RRGGBB\""},
      {R"({"id": "a", "extends": "cn-1inch", "checks": []})", "checks: expected an object"},
      // The "fix" object used to be taken unchecked: a string max_extend was "internal: fix failed".
      {R"({"id": "a", "extends": "cn-1inch", "fix": {"max_extend": "x"}})",
       "fix.\"max_extend\": expected a number, got string"},
      {R"({"id": "a", "extends": "cn-1inch", "fix": {"max_extend": 1.5}})",
       "fix.\"max_extend\": expected a number 0 to 1, got 1.5"},
      {R"({"id": "a", "extends": "cn-1inch", "fix": {"width": 295.5}})",
       "fix.\"width\": expected a whole number 1 to 10000"},
      {R"({"id": "a", "extends": "cn-1inch", "fix": {"width": 1e300}})", "fix.\"width\": expected a whole number"},
      {R"({"id": "a", "extends": "cn-1inch", "fix": {"allow_upscale": 3}})",
       "fix.\"allow_upscale\": expected true or false, got 3"},
      {R"({"id": "a", "extends": "cn-1inch", "fix": {"band_inset": 0.5}})", "fix.\"band_inset\": expected a number 0 to 0.49"},
      {R"({"id": "a", "extends": "cn-1inch", "fix": {"crop": 1}})",
       "fix.\"crop\": unknown key (allowed: width, height, band_inset"},
      {R"({"id": "a", "kind": "photo",)", "profile JSON: parse error at line 1, column"},
      {"", "profile JSON: parse error"},
      // UTF-16 (Windows editors, PowerShell): it used to be "parse error ... last read: '\xFF'".
      {std::string("\xFF\xFE{\0\"\0", 6), "profile JSON is UTF-16 text; save it as UTF-8"},
      {std::string("{\0\"\0i\0", 6), "profile JSON is UTF-16 text"},
      {"\xEF\xBB\xBF{\"id\": \"a\", \"kind\": \"photo\"}", "title: required"},  // UTF-8 BOM: read as JSON
  };
  for (const auto& [text, want] : cases) {
    CAPTURE(text);
    const std::string msg = load_error(text);
    CHECK_MESSAGE(msg.find(want) != std::string::npos, "message: " << msg << "\nwanted: " << want);
  }
}

TEST_CASE("the fix object: every documented key in range loads; null removes an inherited value") {
  auto p = Profile::from_json(R"({"id": "a", "extends": "cn-1inch", "fix": {"width": 295, "height": 413,
      "band_inset": 0.49, "allow_upscale": false, "extend_background": true, "max_extend": 1,
      "max_extend_bottom": 0, "min_plain_background": 1, "note": "all keys"}})");
  REQUIRE(p);
  auto q = Profile::from_json(R"({"id": "b", "extends": "cn-1inch", "fix": {"max_extend": null}})");
  CHECK(q);
}

TEST_CASE("extends cycles are refused naming the chain") {
  const std::map<std::string, std::string> sources = {
      {"a", R"({"id": "a", "extends": "b", "kind": "photo", "title": {"en": "x", "zh-CN": "x"}})"},
      {"b", R"({"id": "b", "extends": "a"})"},
      {"self", R"({"id": "self", "extends": "self"})"}};
  profiles::ParentLookup lookup = [&](std::string_view id) -> std::optional<std::string> {
    auto it = sources.find(std::string(id));
    if (it == sources.end()) return std::nullopt;
    return it->second;
  };
  auto r = profiles::load_profile(sources.at("a"), lookup);
  REQUIRE(!r.ok());
  CHECK(r.error().code == ErrorCode::bad_profile);
  CHECK(r.error().message.find("extends: cycle \"a\" → \"b\" → \"a\"") != std::string::npos);
  auto s = profiles::load_profile(sources.at("self"), lookup);
  REQUIRE(!s.ok());
  CHECK(s.error().message.find("cycle") != std::string::npos);
}

TEST_CASE("hostile input is refused before parsing") {
  const std::string deep = std::string(10000, '[') + std::string(10000, ']');
  std::string msg = load_error(deep);
  CHECK(msg.find("nests deeper than") != std::string::npos);
  const std::string deep_obj = [] {
    std::string s;
    for (int i = 0; i < 10000; ++i) s += "{\"a\":";
    s += "1";
    s += std::string(10000, '}');
    return s;
  }();
  CHECK(load_error(deep_obj).find("nests deeper than") != std::string::npos);
  // brackets inside strings do not count
  auto ok = Profile::from_json(R"({"id": "a", "extends": "cn-1inch", "source": ")" +
                               std::string(100, '[') + R"("})");
  CHECK_MESSAGE(ok.ok(), (ok.ok() ? "" : ok.error().message));
  std::string huge =
      R"({"id": "a", "extends": "cn-1inch", "source": ")" + std::string(1100000, 'x') + R"("})";
  msg = load_error(huge);
  CHECK(msg.find("limited to 1048576 bytes") != std::string::npos);
}

TEST_CASE("resolve: built-in id, a path to a .json file, a missing path") {
  auto b = Profile::resolve("cn-visa");
  REQUIRE(b.ok());
  CHECK(b->id() == "cn-visa");

  const auto dir = std::filesystem::temp_directory_path() / "idphoto-test-profiles";
  std::filesystem::create_directories(dir);
  const auto good = dir / "my-profile.json";
  std::ofstream(good) << R"({"id": "my-profile", "extends": "cn-passport",
                             "checks": {"photo.file.size": {"kb": [20, 60], "note": "my portal"}}})";
  auto p = Profile::resolve(good.string());
  REQUIRE_MESSAGE(p.ok(), p.error().message);
  CHECK(p->id() == "my-profile");
  check_range(*p, "photo.file.size", "kb", 20, 60);
  check_range(*p, "photo.image.dimensions", "width", 390, 390);

  const auto broken = dir / "broken.json";
  std::ofstream(broken)
      << R"({"id": "x", "extends": "cn-1inch", "checks": {"photo.face.ied": {"range": [9, 1]}}})";
  auto e = Profile::resolve(broken.string());
  REQUIRE(!e.ok());
  CHECK(e.error().code == ErrorCode::bad_profile);
  CHECK(e.error().message.find(broken.string()) != std::string::npos);
  CHECK(e.error().message.find("checks.\"photo.face.ied\".range") != std::string::npos);

  const auto missing = (dir / "nope.json").string();
  auto m = Profile::resolve(missing);
  REQUIRE(!m.ok());
  CHECK(m.error().code == ErrorCode::bad_profile);
  CHECK(m.error().message.find(missing) != std::string::npos);
  auto u = Profile::builtin("cn-2inch");
  REQUIRE(!u.ok());
  CHECK(u.error().message.find("cn-2inch") != std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE(
    "every truncation and byte corruption of a built-in profile is an error or a valid profile, "
    "never a crash") {
  for (const auto& e : profiles::embedded_profiles()) {
    CAPTURE(e.id);
    const std::string text(e.json);
    int errors = 0;
    for (std::size_t n = 0; n + 1 < text.size(); n += 5) {  // text ends "}\n"
      auto r = Profile::from_json(text.substr(0, n));
      CHECK(!r.ok());  // a prefix of an object is never complete JSON
      errors += !r.ok();
    }
    CHECK(errors > 0);
    for (std::size_t i = 0; i < text.size(); i += 3) {
      for (char c : {'"', '}', '[', '0', '\xff', 'n'}) {
        std::string t = text;
        t[i] = c;
        auto r = Profile::from_json(t);
        if (!r.ok()) CHECK(r.error().code == ErrorCode::bad_profile);
      }
    }
  }
}

namespace {

Range range_or_all(const Profile& p, std::string_view id, const char* name = "range") {
  const checks::Params* ps = params_of(p, id);
  return ps ? ps->range(name) : Range{};
}

}  // namespace

// SPECS: the geometry must come from one consistent model so that no two rules demand opposite
// things. For every usual head proportion, some crop (crown margin and head size) must satisfy
// every geometry rule of the profile at once; otherwise `fix` could never produce a passing photo.
TEST_CASE("each photo profile's geometry bands can all be met by a real head") {
  for (const auto& id : Profile::builtin_ids()) {
    auto p = Profile::builtin(id);
    REQUIRE(p.ok());
    if (p->kind() != "photo") continue;
    CAPTURE(id);
    const Range rw = range_or_all(*p, "photo.image.dimensions", "width");
    const Range rh = range_or_all(*p, "photo.image.dimensions", "height");
    const double W = rw.lo   ? *rw.lo
                     : rw.hi ? *rw.hi
                             : 413,
                 H = rh.lo   ? *rh.lo
                     : rh.hi ? *rh.hi
                             : 531;
    const Range head = range_or_all(*p, "photo.geometry.head_height");
    const Range crown = range_or_all(*p, "photo.geometry.crown_margin");
    const Range eyes = range_or_all(*p, "photo.geometry.eye_line");
    const Range face = range_or_all(*p, "photo.geometry.face_width");
    const Range ied = range_or_all(*p, "photo.face.ied");
    // eye line at k of crown→chin; face width r of crown→chin; IED 0.45 of the face width
    for (double k : {0.44, 0.47, 0.50}) {
      for (double r : {0.66, 0.70, 0.74}) {
        bool found = false;
        for (double c = 0; c <= 0.3 && !found; c += 0.0025) {
          for (double h = 0.3; h <= 0.95 && !found; h += 0.0025) {
            const double face_px = r * h * H;
            found = head.contains(h) && crown.contains(c) && eyes.contains(c + k * h) &&
                    face.contains(face_px / W) && ied.contains(0.45 * face_px) && c + h <= 1.0;
          }
        }
        CHECK_MESSAGE(found, id << ": no crop satisfies all geometry rules for eye line at " << k
                                << " and face width " << r << " of the head height (" << W << "x"
                                << H << ")");
      }
    }
  }
}
