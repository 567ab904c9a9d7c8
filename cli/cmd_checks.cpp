#include <iomanip>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "cli.hpp"

namespace idphoto::cli {

namespace {
struct ChecksArgs {
  bool json = false;
  Lang lang = Lang::en;
};
}  // namespace

Command add_checks_command(CLI::App& root) {
  auto args = std::make_shared<ChecksArgs>();
  CLI::App* app = root.add_subcommand(
      "checks",
      "List every check the engine knows, with its stable id, kind (photo or signature), title and "
      "the rule it enforces. Ids are what reports and profiles use; they are never renamed.");
  app->add_flag("--json", args->json, "Print a JSON array of {id, kind, title, clause}");
  add_lang_option(*app, args->lang);
  app->footer("Examples:\n  idphoto checks\n  idphoto checks --json\n\n" + exit_codes_help());
  Command c;
  c.app = app;
  c.run = [args]() -> int {
    const auto all = list_checks();
    if (args->json) {
      nlohmann::ordered_json arr = nlohmann::ordered_json::array();
      for (const CheckInfo& ci : all) {
        nlohmann::ordered_json j;
        j["id"] = ci.id;
        j["kind"] = ci.kind;
        j["title"] = {{"zh-CN", ci.title.zh}, {"en", ci.title.en}};
        j["clause"] = ci.clause;
        arr.push_back(std::move(j));
      }
      std::cout << arr.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace)
                << "\n";
      return Exit::ok;
    }
    for (const CheckInfo& ci : all) {
      std::cout << std::left << std::setw(30) << ci.id << " " << std::setw(10) << ci.kind << " "
                << pick(ci.title, args->lang) << "\n";
      if (!ci.clause.empty()) std::cout << "    " << ci.clause << "\n";
    }
    return Exit::ok;
  };
  return c;
}

}  // namespace idphoto::cli
