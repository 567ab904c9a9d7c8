#include <exception>
#include <iostream>

#include "allocator.hpp"
#include "cli.hpp"

int main(int argc, char** argv) {
  using namespace idphoto::cli;
  tune_allocator();
  CLI::App app{
      "idphoto audits ID photos against the rules of Chinese (and other) registration portals. "
      "`check` judges each file exactly as it would be uploaded (format, size in KB, pixel "
      "dimensions, DPI, face pose and geometry, background, light) and explains every failure in "
      "Chinese or English.",
      "idphoto"};
  app.set_version_flag("--version", "idphoto " IDPHOTO_VERSION_STRING,
                       "Print the version and exit");
  app.require_subcommand(1);
  app.footer(
      "Examples:\n"
      "  idphoto check photo.jpg                     judge against cn-1inch (the default profile)\n"
      "  idphoto check a.jpg b.png --profile cn-passport --json\n"
      "  idphoto profiles list                       the built-in profiles\n"
      "  idphoto checks                              every check and the rule it enforces\n"
      "  idphoto models                              the face models, their licences, presence\n"
      "  idphoto signature clean sig.jpg -o up.jpg   black ink on white, centred, re-checked\n"
      "  idphoto fix phone.jpg -o upload.jpg         crop, resize, encode into the KB window, re-check\n"
      "  idphoto batch photos/ --report out.jsonl    a whole folder, resumable, on all cores\n"
      "\n" +
      exit_codes_help());

  std::vector<Command> commands;
  commands.push_back(add_check_command(app));
  commands.push_back(add_profiles_command(app));
  commands.push_back(add_checks_command(app));
  commands.push_back(add_models_command(app));
  commands.push_back(add_signature_command(app));
  commands.push_back(add_fix_command(app));
  commands.push_back(add_batch_command(app));

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return Exit::usage;
  }

  try {
    for (const Command& c : commands) {
      if (c.app->parsed()) {
        int code = c.run();
        std::cout.flush();
        if (!std::cout) {
          std::cerr << "idphoto: error writing to standard output\n";
          return Exit::internal;
        }
        return code;
      }
    }
  } catch (const std::exception& e) {
    std::cerr << "idphoto: internal error: " << e.what() << "\n";
    return Exit::internal;
  }
  return Exit::usage;
}
