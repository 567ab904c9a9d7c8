#include <nlohmann/json.hpp>

#include "idphoto/idphoto.hpp"
#include "support/test_support.hpp"

using idphoto::Error;
using idphoto::ErrorCode;
using idphoto::Finding;
using idphoto::Report;
using idphoto::Status;
using idphoto::Verdict;

namespace {

Finding finding(std::string id, Status s) {
  Finding f;
  f.id = std::move(id);
  f.status = s;
  return f;
}

Report sample() {
  Report r;
  r.input = "photo.jpg";
  r.profile = "cn-1inch";
  idphoto::ImageInfo im;
  im.format = "jpeg";
  im.width = 295;
  im.height = 413;
  im.bytes = 18234;
  im.dpi = std::make_pair(300.0, 300.0);
  r.image = im;
  Finding h = finding("photo.geometry.head_height", Status::pass);
  h.value = 0.641234567;
  h.unit = "ratio of height";
  h.range = idphoto::Range{0.55, 0.72};
  h.message = {"头部高度合格", "Head height OK"};
  h.fixable = true;
  r.findings.push_back(h);
  Finding fmt = finding("photo.file.format", Status::pass);
  fmt.value_text = "jpeg";
  fmt.unit = "format";
  r.findings.push_back(fmt);
  Finding open = finding("photo.file.size", Status::pass);
  open.value = 17.806640625;
  open.unit = "KB";
  open.range = idphoto::Range{std::nullopt, 30.0};
  r.findings.push_back(open);
  r.timing_ms = {{"decode", 1.23456}, {"total", 10.0}};
  return r;
}

}  // namespace

TEST_CASE("verdict: warn and not_assessed never fail; any fail fails; error wins") {
  Report r;
  CHECK(r.verdict() == Verdict::pass);  // no findings, no error
  r.findings.push_back(finding("photo.light.exposure", Status::warn));
  r.findings.push_back(finding("photo.face.headwear", Status::not_assessed));
  r.findings.push_back(finding("photo.file.size", Status::pass));
  CHECK(r.verdict() == Verdict::pass);
  r.findings.push_back(finding("photo.image.dpi", Status::fail));
  CHECK(r.verdict() == Verdict::fail);
  r.error = Error{ErrorCode::unreadable, "truncated"};
  CHECK(r.verdict() == Verdict::error);
  r.findings.clear();
  CHECK(r.verdict() == Verdict::error);
}

TEST_CASE("find returns the finding by id or null") {
  Report r = sample();
  REQUIRE(r.find("photo.file.format") != nullptr);
  CHECK(r.find("photo.file.format")->value_text == "jpeg");
  CHECK(r.find("photo.face.count") == nullptr);
}

TEST_CASE("to_json: schema_version 1 shape, keys in contract order, one line") {
  const Report r = sample();
  const std::string s = r.to_json();
  CHECK(s.find('\n') == std::string::npos);
  const auto j = nlohmann::ordered_json::parse(s);
  std::vector<std::string> keys;
  for (const auto& [k, v] : j.items()) keys.push_back(k);
  CHECK(keys == std::vector<std::string>{"schema_version", "input", "profile", "kind", "verdict",
                                         "error", "image", "findings", "timing_ms"});
  CHECK(j["schema_version"] == 1);
  CHECK(j["verdict"] == "pass");
  CHECK(j["error"].is_null());
  CHECK(j["kind"] == "photo");
  CHECK(j["image"]["dpi"] == nlohmann::json::array({300, 300}));
  CHECK(j["image"]["bytes"] == 18234);
  const auto& h = j["findings"][0];
  std::vector<std::string> fkeys;
  for (const auto& [k, v] : h.items()) fkeys.push_back(k);
  CHECK(fkeys == std::vector<std::string>{"id", "status", "value", "unit", "range", "message",
                                          "hint", "fixable"});
  CHECK(h["value"].get<double>() ==
        doctest::Approx(0.6412).epsilon(1e-9));  // rounded to 4 decimals
  CHECK(h["range"] == nlohmann::json::array({0.55, 0.72}));
  CHECK(h["message"]["zh-CN"] == "头部高度合格");
  CHECK(h["message"]["en"] == "Head height OK");
  CHECK(h["hint"]["en"] == "");
  CHECK(h["fixable"] == true);
  CHECK(j["findings"][1]["value"] == "jpeg");
  CHECK(j["findings"][1]["range"].is_null());
  CHECK(j["findings"][2]["range"][0].is_null());  // open end
  CHECK(j["findings"][2]["range"][1] == 30);
  CHECK(j["timing_ms"]["decode"].get<double>() == doctest::Approx(1.23));
}

TEST_CASE("to_json: error report and null image, dpi and value") {
  Report r;
  r.input = "x.heic";
  r.profile = "cn-1inch";
  r.error = Error{ErrorCode::unsupported_format, "HEIC is not supported"};
  auto j = nlohmann::json::parse(r.to_json());
  CHECK(j["verdict"] == "error");
  CHECK(j["error"]["code"] == "unsupported_format");
  CHECK(j["error"]["message"] == "HEIC is not supported");
  CHECK(j["image"].is_null());
  CHECK(j["findings"].empty());

  r.image = idphoto::ImageInfo{"png", 10, 20, 300, std::nullopt};
  r.error.reset();
  r.findings.push_back(finding("photo.image.dpi", Status::fail));
  j = nlohmann::json::parse(r.to_json());
  CHECK(j["verdict"] == "fail");
  CHECK(j["image"]["dpi"].is_null());
  CHECK(j["findings"][0]["value"].is_null());
  CHECK(j["findings"][0]["status"] == "fail");
}

TEST_CASE("to_json: byte-stable and free of float noise") {
  Report a = sample();
  Report b = sample();
  b.findings[0].value = 0.641234567 + 1e-12;  // below the printed precision
  CHECK(a.to_json() == b.to_json());
  CHECK(a.to_json().find("0.6412,") != std::string::npos);
  a.findings[0].value = std::numeric_limits<double>::quiet_NaN();
  CHECK(nlohmann::json::parse(a.to_json())["findings"][0]["value"].is_null());
  a.findings[0].value = -0.00001;
  CHECK(a.to_json().find("-0,") == std::string::npos);
}
