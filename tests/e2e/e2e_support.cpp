#include "e2e/e2e_support.hpp"

#include <sstream>

#include "support/test_support.hpp"

namespace idphoto::test {

const Engine& engine() {
  static Engine e = [] {
    EngineOptions options;
    options.limits.time_cap_ms = 0;  // verdicts, not timing: no per-image cap on a busy (ASan) machine
    auto r = Engine::create(options);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
    return std::move(r.value());
  }();
  return e;
}

Report check_bytes(const std::vector<std::uint8_t>& bytes, const std::string& profile) {
  auto p = Profile::builtin(profile);
  REQUIRE(p.ok());
  return engine().check_photo(bytes, p.value(), "bytes");
}

Report check_file(const std::filesystem::path& p, const std::string& profile) {
  auto prof = Profile::builtin(profile);
  REQUIRE(prof.ok());
  return engine().check_photo(read_file(p), prof.value(), p.filename().string());
}

std::set<std::string> failed_ids(const Report& r) {
  std::set<std::string> out;
  for (const auto& f : r.findings)
    if (f.status == Status::fail) out.insert(f.id);
  return out;
}

std::string describe(const Report& r) {
  std::ostringstream s;
  s << r.input << " verdict " << verdict_name(r.verdict());
  if (r.error) s << " error " << error_code_name(r.error->code) << ": " << r.error->message;
  for (const auto& f : r.findings) {
    s << "\n  " << f.id << " " << status_name(f.status) << " ";
    if (f.value) s << *f.value;
    else if (f.value_text) s << *f.value_text;
    else s << "null";
    if (f.range) s << " [" << (f.range->lo ? std::to_string(*f.range->lo) : "-") << ", "
                   << (f.range->hi ? std::to_string(*f.range->hi) : "-") << "]";
    s << " " << f.message.en;
  }
  return s.str();
}

}  // namespace idphoto::test
