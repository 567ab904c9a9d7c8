#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "cli.hpp"

namespace idphoto::cli {

namespace {

struct SignatureArgs {
  std::vector<std::string> files;
  std::string input, output, profile, annotate;
  bool json = false, transparent = false, deskew = false;
  int rotate = -1;
  Lang lang = Lang::en;
};

// Bytes for the core plus the original format when the CLI had to re-encode (BMP/TIFF/...).
struct Input {
  std::vector<std::uint8_t> bytes;
  std::string original_format;
  std::uint64_t original_bytes = 0;
  std::optional<Error> error;
};

Input read_input(const std::string& path, std::uint64_t max_bytes) {
  Input in;
  InputFile file = read_input_file(path, max_bytes);
  if (file.error) {
    in.error = std::move(file.error);
    return in;
  }
  in.bytes = std::move(file.bytes);
  const std::string fmt = sniff_non_core(in.bytes);
  if (fmt.empty()) return in;
  std::vector<std::uint8_t> png;
  if (auto e = reencode_png(in.bytes, path, png)) {
    in.error = *e;
    return in;
  }
  in.original_format = fmt;
  in.original_bytes = in.bytes.size();
  in.bytes = std::move(png);
  return in;
}

constexpr const char* kSignatureKindHint = "`signature` needs a signature profile (e.g. cn-signature)";


}  // namespace

Command add_signature_command(CLI::App& root) {
  auto args = std::make_shared<SignatureArgs>();
  CLI::App* app = root.add_subcommand(
      "signature",
      "Signature images (白纸黑字，文字居中): `check` judges files as uploaded against a signature "
      "profile (default cn-signature); `clean` turns a phone photo or scan of a signature into "
      "black ink on white, centred on the profile's canvas, and re-checks it; `binarize` writes the "
      "binarization step alone (ink 0, paper 255) at the input's size.");
  app->require_subcommand(1);
  CLI::App* check = app->add_subcommand("check", "Judge signature files as they would be uploaded");
  check->add_option("FILE", args->files, "Signature images; - reads standard input")->required();
  check->add_option("--profile,-p", args->profile, "Signature profile id or JSON file (default cn-signature)");
  check->add_flag("--json", args->json, "One JSON report per line (schema_version 1, kind signature)");
  add_lang_option(*check, args->lang);
  CLI::App* clean = app->add_subcommand("clean", "Make an upload-ready signature image; exit 0 only when it passes");
  clean->add_option("IN", args->input, "Photo or scan of a signature; - reads standard input")->required();
  clean->add_option("-o,--output", args->output,
                    "Output file (written only when it passes; never the input). .jpg/.jpeg ask for JPEG, .png "
                    "for PNG (a format the profile does not accept is exit 2); another name takes the "
                    "profile's format; - writes the image to standard output and the report to standard error")
      ->required();
  clean->add_option("--profile,-p", args->profile, "Signature profile id or JSON file (default cn-signature)");
  clean->add_option("--rotate", args->rotate, "Force a clockwise turn (0, 90, 180, 270) instead of detecting it")
      ->check(CLI::IsMember({0, 90, 180, 270}));
  clean->add_option("--annotate", args->annotate,
                    "Write OUT.png: over the faded input the kept ink (blue), the removed lines, borders and "
                    "paper edges (red) and the ink box (green); the final placement below");
  clean->add_flag("--deskew", args->deskew,
                  "Straighten writing whose baseline tilts by 1° to 14.5° (found from the ink's projection profile)");
  clean->add_flag("--transparent", args->transparent,
                  "PNG output with transparent paper (name the output .png; the profile must accept PNG)");
  clean->add_flag("--json", args->json, "Print the JSON report (before, after, output, changes)");
  add_lang_option(*clean, args->lang);
  CLI::App* bin = app->add_subcommand("binarize", "Write the binarization alone: 8-bit PNG, ink 0, paper 255, input size");
  bin->add_option("IN", args->input, "Image; - reads standard input")->required();
  bin->add_option("-o,--output", args->output, "Output PNG (never the input); - writes standard output")->required();
  app->footer(
      "Examples:\n"
      "  idphoto signature check sig.jpg\n"
      "  idphoto signature clean phone.jpg -o signature.jpg --annotate why.png\n"
      "  idphoto signature clean scan.tif -o signature.jpg --rotate 90 --json\n"
      "  idphoto signature clean tilted.jpg -o signature.jpg --deskew\n"
      "  idphoto signature binarize page.png -o page-bin.png\n\n" +
      exit_codes_help());

  Command c;
  c.app = app;
  c.run = [args, check, clean, bin]() -> int {
    auto engine = Engine::create();
    if (!engine) {
      std::cerr << "idphoto signature: " << engine.error().message << "\n";
      return Exit::usage;
    }
    const bool colour = !args->json && use_colour();
    if (check->parsed()) {
      auto profile = resolve_profile("signature check", args->profile, "signature", kSignatureKindHint);
      if (!profile) return Exit::usage;
      int code = Exit::ok;
      for (const auto& f : args->files) {
        InputFile file = read_input_file(f, engine->options().limits.max_bytes);
        Report r = file.error ? error_report(f, profile->id(), "signature", *file.error)
                              : check_any(*engine, *profile, "signature", f, file.bytes);
        if (args->json) std::cout << r.to_json() << "\n";
        else print_report(r, args->lang, colour);
        code = std::max(code, exit_code_for(r));
      }
      return code;
    }
    if (clean->parsed()) {
      auto profile = resolve_profile("signature clean", args->profile, "signature", kSignatureKindHint);
      if (!profile) return Exit::usage;
      if (!output_allowed("signature clean", args->input, args->output, "output") ||
          !output_allowed("signature clean", args->input, args->annotate, "--annotate file"))
        return Exit::usage;
      const ReportsToStderr to_stderr(args->output == "-");
      Input in = read_input(args->input, engine->options().limits.max_bytes);
      if (in.error) {
        Report r = error_report(args->input, profile->id(), "signature", *in.error);
        if (args->json) std::cout << r.to_json() << "\n";
        else print_report(r, args->lang, colour);
        return exit_code_for(r);
      }
      SignatureOptions o;
      if (args->rotate >= 0) o.rotate = args->rotate;
      o.transparent = args->transparent;
      o.format = format_for_output_name(args->output);
      o.annotate = !args->annotate.empty();
      o.deskew = args->deskew;
      SignatureResult res = engine->clean_signature(in.bytes, *profile, o, args->input);
      if (!in.original_format.empty())
        restore_original(res.before, "signature", in.original_format, in.original_bytes, *profile);
      int code = res.before.error ? exit_code_for(res.before) : res.passed() ? Exit::ok : Exit::failed;
      std::string err;
      if (!args->annotate.empty() && !res.annotation.empty() && !write_atomically(args->annotate, res.annotation, err)) {
        std::cerr << "idphoto signature clean: --annotate: " << err << "\n";
        code = Exit::internal;
      }
      std::string write_error;
      if (res.passed() && !write_atomically(args->output, res.output, write_error)) {
        std::cerr << "idphoto signature clean: " << write_error << "\n";
        // The report says so too: no output, and the write error where the re-check's verdict was.
        res.output.clear();
        res.after->error = Error{ErrorCode::io_error, "the cleaned signature passed but could not be saved: " + write_error};
        code = Exit::internal;
      }
      if (args->json) {
        std::cout << res.to_json() << "\n";
      } else {
        const bool zh = args->lang == Lang::zh;
        std::cout << (zh ? "原图：" : "Source:") << "\n";
        print_report(res.before, args->lang, colour);
        if (!res.before.error)
          print_made("清理", res.changes, res.warnings, res.after ? &*res.after : nullptr, res.passed(), args->output,
                     write_error,
                     {"未得到合格的签名图像，未写出文件", "No passing signature image was made; no file written"},
                     args->lang, colour);
      }
      return code;
    }
    if (bin->parsed()) {
      if (!output_allowed("signature binarize", args->input, args->output, "output")) return Exit::usage;
      Input in = read_input(args->input, engine->options().limits.max_bytes);
      if (in.error) {
        std::cerr << "idphoto signature binarize: " << in.error->message << "\n";
        return in.error->code == ErrorCode::io_error ? Exit::unreadable : Exit::unreadable;
      }
      auto png = engine->binarize_signature(in.bytes);
      if (!png) {
        std::cerr << "idphoto signature binarize: " << png.error().message << "\n";
        return png.error().code == ErrorCode::internal ? Exit::internal : Exit::unreadable;
      }
      if (std::string err; !write_atomically(args->output, *png, err)) {
        std::cerr << "idphoto signature binarize: " << err << "\n";
        return Exit::internal;
      }
      return Exit::ok;
    }
    return Exit::usage;
  };
  return c;
}

}  // namespace idphoto::cli
