// Shared pieces of the signature checks (one check per file, DESIGN.md rule 1).
#pragma once

#include <string>

#include "checks/finding_util.hpp"
#include "signature/ink_analysis.hpp"

namespace idphoto::checks {

inline Finding no_ink(const CheckDef& def, std::string unit) {
  return not_assessed(def, std::move(unit),
                      {"未找到签名笔迹", "no signature ink was found in the image"});
}

inline Finding pass_fail(const CheckDef& def, const Params& p, bool ok, std::string unit,
                         LocalText ok_msg, LocalText fail_msg, LocalText hint) {
  Finding f = make_finding(def, std::move(unit));
  f.status = ok ? Status::pass : Status::fail;
  f.message = ok ? std::move(ok_msg) : std::move(fail_msg);
  if (!ok) f.hint = std::move(hint);
  apply_severity(f, p);
  return f;
}

}  // namespace idphoto::checks
