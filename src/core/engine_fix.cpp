#include <nlohmann/json.hpp>

#include "core/engine_impl.hpp"
#include "fix/photo_fix.hpp"
#include "idphoto/idphoto.hpp"

namespace idphoto {

FixResult Engine::fix_photo(std::span<const std::uint8_t> bytes, const Profile& profile, const FixOptions& options,
                            std::string_view input_name) const {
  try {
    return fix::run_photo_fix(*impl_, bytes, profile, options, input_name,
                              [this, &profile](std::span<const std::uint8_t> b, std::string_view name, int threads) {
                                return check_photo_on(*impl_, b, profile, name, threads);
                              });
  } catch (...) {
    FixResult r;
    r.before.input = std::string(input_name);
    r.before.profile = profile.id();
    r.before.error = Error{ErrorCode::internal, "fix failed"};
    return r;
  }
}

Verdict FixResult::verdict() const {
  if (before.error) return Verdict::error;
  if (refused || !after) return Verdict::fail;
  if (after->error) return Verdict::error;
  return after->verdict();
}

std::string FixResult::to_json() const {
  using json = nlohmann::ordered_json;
  // The top level has the report shape: the output's findings, or the refusal's.
  Report top;
  top.input = before.input;
  top.profile = before.profile;
  top.kind = "photo";
  top.error = before.error;
  if (after && !refused) {
    top.image = after->image;
    top.findings = after->findings;
    if (!top.error && after->error) top.error = after->error;
  } else {
    top.image = before.image;
    top.findings = refusal;
  }
  top.timing_ms = timing_ms;
  json j = json::parse(top.to_json());
  if (!before.error && refused) j["verdict"] = "fail";
  j["output"] = output.empty() || after == std::nullopt ? json(nullptr) : json(after->input);
  j["before"] = json::parse(before.to_json());
  j["after"] = after ? json::parse(after->to_json()) : json(nullptr);
  json change_list = json::array();
  for (const LocalText& c : changes) change_list.push_back({{"zh-CN", c.zh}, {"en", c.en}});
  j["fix"] = {{"refused", refused},
              {"background_replaced", background_replaced},
              {"output_format", output_format},
              {"output_bytes", output.size()},
              {"changes", change_list}};
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace idphoto
