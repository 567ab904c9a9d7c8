#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "cli.hpp"

namespace idphoto::cli {

namespace {


struct FixArgs {
  std::string input;
  std::string output;
  std::string profile;
  std::string background = "keep";
  bool json = false;
  Lang lang = Lang::en;
  std::string models;
};

// The colour names the profile defines (its background_colours table: the same table the library's fix
// reads, so the CLI never keeps a second list).
std::vector<std::string> background_names(const Profile& profile) {
  std::vector<std::string> names;
  try {
    const auto j = nlohmann::json::parse(profile.to_json());
    if (j.contains("background_colours") && j["background_colours"].is_object())
      for (const auto& [name, value] : j["background_colours"].items()) names.push_back(name);
  } catch (...) {
  }
  return names;
}

// Accepts keep, #rrggbb or a colour name of the profile; a name or keep in other letter case ("White")
// is turned into the profile's spelling.
bool valid_background(std::string& b, const std::vector<std::string>& names) {
  const auto lower = [](std::string v) {
    for (char& ch : v) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return v;
  };
  if (lower(b) == "keep") b = "keep";
  for (const std::string& n : names)
    if (lower(n) == lower(b)) b = n;
  if (b == "keep") return true;
  if (b.size() == 7 && b[0] == '#') {
    for (std::size_t i = 1; i < 7; ++i)
      if (!std::isxdigit(static_cast<unsigned char>(b[i]))) return false;
    return true;
  }
  return std::find(names.begin(), names.end(), b) != names.end();
}

int exit_for(const FixResult& r) {
  if (r.before.error) return exit_code_for(r.before);
  if (r.after && r.after->error) return Exit::internal;
  return r.passed() ? Exit::ok : Exit::failed;
}

// write_error: why the passing output could not be saved (empty when it was, or when nothing passed).
void print_fix(const FixResult& r, const std::string& out, const std::string& write_error, Lang lang, bool colour) {
  const bool zh = lang == Lang::zh;
  std::cout << (zh ? "原图：" : "Source:") << "\n";
  print_report(r.before, lang, colour);
  if (r.before.error) return;
  if (r.refused) {
    std::cout << (zh ? "无法修复，未写出文件：" : "Cannot fix; no file written:") << "\n";
    for (const Finding& f : r.refusal) {
      std::cout << "  ✘ " << f.id << ": " << pick(f.message, lang) << "\n";
      if (!pick(f.hint, lang).empty()) std::cout << "      → " << pick(f.hint, lang) << "\n";
    }
    return;
  }
  print_made("修复", r.changes, {}, r.after ? &*r.after : nullptr, r.passed(), out, write_error,
             {"修复后的照片仍不合格，未写出文件", "The fixed photo still fails; no file written"}, lang, colour);
}

}  // namespace

Command add_fix_command(CLI::App& root) {
  auto args = std::make_shared<FixArgs>();
  CLI::App* app = root.add_subcommand(
      "fix",
      "Turn an ordinary photo into one the profile accepts, and prove it: decode at the smallest JPEG scale "
      "that is enough, refuse what no fix repairs (no face, several faces, side face, too small a source — "
      "upscaling is forbidden —, busy background for a colour change), level the eyes, crop so every "
      "head-size and position rule is met, resample, optionally replace the background, encode (JPEG, or PNG "
      "for a .png output) into the profile's KB window at its DPI, and re-check the result. The output is written (atomically, never "
      "over the input) only when it passes.");
  app->add_option("IN", args->input, "Source photo; - reads standard input")->required();
  app->add_option("-o,--output", args->output,
                  "Output file (written only when the fixed photo passes); .png writes PNG (with pHYs DPI), .jpg/.jpeg "
                  "JPEG, any other name the profile's format; - writes the photo to standard output and the report "
                  "to standard error")
      ->required();
  app->add_option("--profile,-p", args->profile, "Profile id or a profile JSON file; default cn-1inch");
  app->add_option("--background", args->background,
                  "keep (default), a colour name of the profile (cn-1inch: white, blue, red; any letter case) or #rrggbb");
  app->add_flag("--json", args->json, "Print the fix report as JSON (report shape plus output, before, after)");
  add_lang_option(*app, args->lang);
  add_models_option(*app, args->models);
  app->footer(
      "Examples:\n"
      "  idphoto fix phone.jpg -o upload.jpg\n"
      "  idphoto fix phone.jpg -o upload.jpg --background white --lang zh-CN\n"
      "  idphoto fix phone.jpg -o visa.jpg --profile cn-visa --json\n"
      "  idphoto fix phone.jpg -o upload.png --profile mine.json   (a profile accepting png)\n"
      "\n" +
      exit_codes_help());

  Command c;
  c.app = app;
  c.run = [args]() -> int {
    auto profile = resolve_profile("fix", args->profile, "photo", "`fix` needs a photo profile");
    if (!profile) return Exit::usage;
    if (const auto names = background_names(*profile); !valid_background(args->background, names)) {
      std::string list = "keep";
      for (const auto& n : names) list += ", " + n;
      std::cerr << "idphoto fix: --background '" << args->background << "': expected " << list
                << " (profile " << profile->id() << ") or #rrggbb\n";
      return Exit::usage;
    }
    if (!output_allowed("fix", args->input, args->output, "output")) return Exit::usage;
    const ReportsToStderr to_stderr(args->output == "-");
    auto engine = create_engine("fix", args->models, 2);
    if (!engine) return Exit::usage;
    InputFile file = read_input_file(args->input, engine->options().limits.max_bytes);
    if (file.error) {
      std::cerr << "idphoto fix: " << file.error->message << "\n";
      return Exit::unreadable;
    }
    const std::vector<std::uint8_t>& bytes = file.bytes;
    FixOptions fo;
    fo.background = args->background;
    fo.output_name = args->output;
    fo.format = format_for_output_name(args->output);
    FixResult r = engine->fix_photo(bytes, *profile, fo, args->input);
    if (r.before.error && r.before.error->code == ErrorCode::unsupported_format &&
        !sniff_non_core(bytes).empty()) {
      // BMP/TIFF/PPM/WebP: decoded here and handed to the core as PNG.
      std::vector<std::uint8_t> png;
      if (auto e = reencode_png(bytes, args->input, png)) {
        r.before.error = *e;
      } else {
        r = engine->fix_photo(png, *profile, fo, args->input);
        // The source as given: its format and size, not the PNG copy's.
        restore_original(r.before, "photo", sniff_non_core(bytes), bytes.size(), *profile);
      }
    }
    int code = exit_for(r);
    std::string write_error;
    if (r.passed() && !r.output.empty() && !write_atomically(args->output, r.output, write_error)) {
      std::cerr << "idphoto fix: " << write_error << "\n";
      // The report says so too: no output, and the write error where the re-check's verdict was.
      r.output.clear();
      r.after->error = Error{ErrorCode::io_error, "the fixed photo passed but could not be saved: " + write_error};
      code = Exit::internal;
    }
    if (args->json) {
      std::cout << r.to_json() << "\n";
    } else {
      print_fix(r, args->output, write_error, args->lang, use_colour());
    }
    return code;
  };
  return c;
}

}  // namespace idphoto::cli
