// docs/checks.md's table is generated from the registry; this test fails when it is stale.
// IDPHOTO_UPDATE_DOCS=1 rewrites it.
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "checks/check.hpp"
#include "support/test_support.hpp"

using namespace idphoto;

namespace {

const char* kBegin = "<!-- BEGIN GENERATED: checks table (tests/checks/test_checks_docs.cpp) -->";
const char* kEnd = "<!-- END GENERATED -->";

std::string cell(std::string_view s) {
  std::string out;
  for (char c : s) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

const char* type_name(checks::ParamType t) {
  switch (t) {
    case checks::ParamType::range:
      return "range";
    case checks::ParamType::number:
      return "number";
    case checks::ParamType::boolean:
      return "boolean";
    case checks::ParamType::string:
      return "string";
    case checks::ParamType::string_list:
      return "string list";
  }
  return "?";
}

std::string table() {
  std::ostringstream o;
  o << "| id | title | clause | unit | parameters | fixable |\n";
  o << "|---|---|---|---|---|---|\n";
  for (const checks::CheckDef* d : checks::registry()) {
    std::string params;
    for (const auto& p : d->params) {
      if (!params.empty()) params += "<br>";
      params += std::string("`").append(p.name) + "` (" + type_name(p.type) +
                (p.required ? ", required" : "") + "): " + cell(p.doc);
    }
    if (params.empty()) params = "—";
    o << "| `" << d->id << "` | " << cell(d->title_en) << " / " << cell(d->title_zh) << " | "
      << cell(d->clause) << " | " << cell(d->unit) << " | " << params << " | "
      << (d->fixable ? "yes" : "no") << " |\n";
  }
  return o.str();
}

}  // namespace

TEST_CASE("docs/checks.md lists every check of the registry (regenerate: IDPHOTO_UPDATE_DOCS=1)") {
  const auto path = test::source_dir() / "docs" / "checks.md";
  std::string text;
  {
    std::ifstream f(path, std::ios::binary);
    REQUIRE_MESSAGE(f.good(), "cannot open " << path.string());
    text.assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  }
  const auto b = text.find(kBegin);
  const auto e = text.find(kEnd);
  REQUIRE_MESSAGE(b != std::string::npos, path.string() << " lacks the marker " << kBegin);
  REQUIRE_MESSAGE(e != std::string::npos, path.string() << " lacks the marker " << kEnd);
  REQUIRE(b < e);
  const std::string start = text.substr(0, b + std::string(kBegin).size()) + "\n";
  const std::string expected = start + table() + text.substr(e);
  const char* update = std::getenv("IDPHOTO_UPDATE_DOCS");
  if (update && std::string(update) == "1" && expected != text) {
    std::ofstream(path, std::ios::binary) << expected;
    MESSAGE("rewrote " << path.string());
    return;
  }
  CHECK_MESSAGE(expected == text, path.string()
                                      << " is stale: run the test with IDPHOTO_UPDATE_DOCS=1");
}
