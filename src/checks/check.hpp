// A check: one file under checks/photo or checks/signature, one line in registry.cpp (DESIGN.md rule 1).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "checks/params.hpp"
#include "idphoto/idphoto.hpp"

namespace idphoto::analysis {
class Analysis;
}
namespace idphoto::signature {
struct InkAnalysis;
}

namespace idphoto::checks {

enum class ParamType { range, number, boolean, string, string_list };

struct ParamSpec {
  std::string_view name;
  ParamType type;
  bool required;
  std::string_view doc;  // one line: meaning and unit
};

struct CheckDef {
  std::string_view id;      // stable dotted id (CONTRACTS.md)
  std::string_view kind;    // "photo" | "signature"
  std::string_view title_zh;
  std::string_view title_en;
  std::string_view clause;  // the rule it enforces and its source
  bool fixable;             // whether `fix` can repair a failure
  std::vector<ParamSpec> params;
  // Pure function of the analysis and this check's profile parameters. May throw; the engine turns an
  // exception into a not_assessed finding with the reason, and the other checks still run.
  Finding (*run)(const analysis::Analysis& a, const Params& p);
  std::string_view unit = {};  // unit of Finding::value (docs and listings)
  // Signature checks (kind "signature") read the ink analysis instead; run is then nullptr.
  Finding (*run_signature)(const signature::InkAnalysis& a, const Params& p) = nullptr;
};

// Every check, in report order.
const std::vector<const CheckDef*>& registry();
const CheckDef* find_check(std::string_view id);

}  // namespace idphoto::checks
