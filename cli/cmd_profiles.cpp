#include <iomanip>
#include <iostream>
#include <memory>

#include "cli.hpp"

namespace idphoto::cli {

namespace {

struct ProfilesArgs {
  Lang lang = Lang::en;
  std::string show_id;
  std::string validate_file;
  CLI::App* list = nullptr;
  CLI::App* show = nullptr;
  CLI::App* validate = nullptr;
};

int list_profiles(Lang lang) {
  for (const std::string& id : Profile::builtin_ids()) {
    auto p = Profile::builtin(id);
    if (!p) {
      std::cerr << "idphoto profiles: built-in profile '" << id
                << "' is invalid: " << p.error().message << "\n";
      return Exit::internal;
    }
    std::cout << std::left << std::setw(14) << id << " " << std::setw(10) << p->kind() << " "
              << pick(p->title(), lang) << "\n";
  }
  return Exit::ok;
}

}  // namespace

Command add_profiles_command(CLI::App& root) {
  auto args = std::make_shared<ProfilesArgs>();
  CLI::App* app = root.add_subcommand(
      "profiles",
      "List, show and validate profiles. A profile is the JSON specification a portal imposes: "
      "pixel size, KB window, DPI, background colour, head geometry and which checks run. The "
      "built-in ones cover Chinese and international documents; your own JSON file may "
      "\"extends\" one of them and override fields. Without a subcommand, lists the built-in "
      "ones.");
  app->require_subcommand(0, 1);
  add_lang_option(*app, args->lang);
  app->footer(
      "Examples:\n"
      "  idphoto profiles                  same as `idphoto profiles list`\n"
      "  idphoto profiles show cn-1inch    the merged JSON of a profile\n"
      "  idphoto profiles validate my-portal.json\n"
      "\n" +
      exit_codes_help());

  args->list = app->add_subcommand(
      "list", "List the built-in profiles: id, kind (photo or signature) and title.");
  add_lang_option(*args->list, args->lang);
  args->list->footer("Example:\n  idphoto profiles list --lang zh-CN\n\n" + exit_codes_help());

  args->show = app->add_subcommand(
      "show",
      "Print a profile as JSON with \"extends\" resolved: every field it actually applies.");
  args->show->add_option("ID|FILE", args->show_id, "A built-in profile id or a profile JSON file")
      ->required();
  args->show->footer(
      "Examples:\n  idphoto profiles show cn-passport\n  idphoto profiles show my-portal.json\n\n" +
      exit_codes_help());

  args->validate = app->add_subcommand("validate",
                                       "Validate a profile JSON file: exit 0 when it is valid, "
                                       "else exit 2 with a message naming the "
                                       "offending field.");
  args->validate->add_option("FILE", args->validate_file, "Profile JSON file")->required();
  args->validate->footer("Example:\n  idphoto profiles validate my-portal.json\n\n" +
                         exit_codes_help());

  Command c;
  c.app = app;
  c.run = [args]() -> int {
    if (args->show->parsed()) {
      auto p = Profile::resolve(args->show_id);
      if (!p) {
        std::cerr << "idphoto profiles show: bad profile '" << args->show_id
                  << "': " << p.error().message << "\n";
        return Exit::usage;
      }
      std::cout << p->to_json() << "\n";
      return Exit::ok;
    }
    if (args->validate->parsed()) {
      // Read as inputs are (a directory or a missing file is said so); the library refuses a profile
      // over its own size limit (1 MB) before parsing, and nothing past 64 MB is read at all.
      const InputFile file = read_input_file(args->validate_file, 64u << 20);
      if (file.error) {
        std::cerr << "idphoto profiles validate: " << file.error->message << "\n";
        return Exit::usage;
      }
      auto p = Profile::from_json(std::string_view(reinterpret_cast<const char*>(file.bytes.data()), file.bytes.size()));
      if (!p) {
        std::cerr << "idphoto profiles validate: " << args->validate_file << ": "
                  << p.error().message << "\n";
        return Exit::usage;
      }
      std::cout << args->validate_file << ": valid " << p->kind() << " profile '" << p->id()
                << "'\n";
      return Exit::ok;
    }
    return list_profiles(args->lang);
  };
  return c;
}

}  // namespace idphoto::cli
