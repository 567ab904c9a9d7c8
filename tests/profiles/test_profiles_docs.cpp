// docs/profiles.md's tables are generated from the embedded profiles; this test fails when they are
// stale. IDPHOTO_UPDATE_DOCS=1 rewrites them.
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "profiles/profile_data.hpp"
#include "support/test_support.hpp"

using namespace idphoto;

namespace {

const char* kBegin =
    "<!-- BEGIN GENERATED: built-in profiles (tests/profiles/test_profiles.cpp) -->";
const char* kEnd = "<!-- END GENERATED -->";

std::string cell(std::string s) {
  std::string out;
  for (char c : s) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

std::string tables() {
  std::ostringstream o;
  for (const auto& id : Profile::builtin_ids()) {
    auto p = Profile::builtin(id);
    REQUIRE_MESSAGE(p.ok(), p.error().message);
    const auto& m = p->data().merged;
    o << "\n### `" << id << "`: " << p->title().en << " / " << p->title().zh << "\n\n";
    o << "Kind `" << p->kind() << "`. Source: " << m.value("source", std::string("—")) << ".\n\n";
    if (p->data().checks.empty()) {
      o << "No checks yet.\n";
      continue;
    }
    o << "| check | parameters | source of the numbers |\n|---|---|---|\n";
    for (const auto& [def, params] : p->data().checks) {
      std::string ps;
      for (const auto& [k, v] : params.json().items()) {
        if (k == "note") continue;
        ps += (ps.empty() ? "" : "; ") + ("`" + k + "` " + v.dump());
      }
      if (ps.empty()) ps = "—";
      o << "| `" << def->id << "` | " << cell(ps) << " | " << cell(params.string("note", ""))
        << " |\n";
    }
  }
  return o.str();
}

}  // namespace

TEST_CASE(
    "docs/profiles.md shows every built-in profile's numbers (regenerate: IDPHOTO_UPDATE_DOCS=1)") {
  const auto path = test::source_dir() / "docs" / "profiles.md";
  std::string text;
  {
    std::ifstream f(path, std::ios::binary);
    REQUIRE_MESSAGE(f.good(), "cannot open " << path.string());
    text.assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  }
  const auto b = text.find(kBegin);
  const auto e = text.find(kEnd);
  REQUIRE_MESSAGE((b != std::string::npos && e != std::string::npos && b < e),
                  path.string() << " lacks its markers");
  const std::string expected =
      text.substr(0, b + std::string(kBegin).size()) + "\n" + tables() + "\n" + text.substr(e);
  const char* update = std::getenv("IDPHOTO_UPDATE_DOCS");
  if (update && std::string(update) == "1" && expected != text) {
    std::ofstream(path, std::ios::binary) << expected;
    MESSAGE("rewrote " << path.string());
    return;
  }
  CHECK_MESSAGE(expected == text, path.string()
                                      << " is stale: run the test with IDPHOTO_UPDATE_DOCS=1");
}
