#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "cli.hpp"

namespace idphoto::cli {

namespace {

namespace fs = std::filesystem;

struct FixArgs {
  std::string input;
  std::string output;
  std::string profile;
  std::string background = "keep";
  bool json = false;
  Lang lang = Lang::en;
  std::string models;
};

bool valid_background(const std::string& b, const Profile& profile) {
  if (b == "keep" || b == "white" || b == "blue" || b == "red") return true;
  if (b.size() == 7 && b[0] == '#') {
    for (std::size_t i = 1; i < 7; ++i)
      if (!std::isxdigit(static_cast<unsigned char>(b[i]))) return false;
    return true;
  }
  try {
    const auto j = nlohmann::json::parse(profile.to_json());
    return j.contains("background_colours") && j["background_colours"].contains(b);
  } catch (...) {
    return false;
  }
}

// The same file (or the same path once resolved): fix never overwrites its input.
bool same_file(const std::string& a, const std::string& b) {
  std::error_code ec;
  if (fs::exists(b, ec) && fs::equivalent(a, b, ec)) return true;
  return fs::weakly_canonical(a, ec) == fs::weakly_canonical(b, ec);
}

// Writes bytes to path through a temporary file in the same directory and a rename.
bool write_atomically(const std::string& path, const std::vector<std::uint8_t>& bytes, std::string& err) {
  const fs::path target(path);
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string tmpl = (dir / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  const int fd = ::mkstemp(name.data());
  if (fd < 0) {
    err = "cannot create a temporary file in '" + dir.string() + "': " + std::strerror(errno);
    return false;
  }
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      err = std::string("write failed: ") + std::strerror(errno);
      ::close(fd);
      ::unlink(name.data());
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    err = std::string("write failed: ") + std::strerror(errno);
    ::unlink(name.data());
    return false;
  }
  ::chmod(name.data(), 0644);
  if (std::rename(name.data(), path.c_str()) != 0) {
    err = "cannot rename the temporary file to '" + path + "': " + std::strerror(errno);
    ::unlink(name.data());
    return false;
  }
  return true;
}

std::string sniff_other(const std::vector<std::uint8_t>& b) {
  auto starts = [&](std::string_view m, std::size_t at = 0) {
    return b.size() >= at + m.size() && std::equal(m.begin(), m.end(), b.begin() + static_cast<long>(at),
                                                   [](char c, std::uint8_t u) { return static_cast<std::uint8_t>(c) == u; });
  };
  if (starts("BM")) return "bmp";
  if (starts("II*\0") || starts(std::string_view("MM\0*", 4))) return "tiff";
  if (starts("RIFF") && starts("WEBP", 8)) return "webp";
  if (b.size() >= 2 && b[0] == 'P' && b[1] >= '1' && b[1] <= '6') return "ppm";
  return "";
}

int exit_for(const FixResult& r) {
  if (r.before.error) return exit_code_for(r.before);
  if (r.after && r.after->error) return Exit::internal;
  return r.passed() ? Exit::ok : Exit::failed;
}

void print_fix(const FixResult& r, const std::string& out, Lang lang, bool colour) {
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
  std::cout << (zh ? "修复步骤：" : "Changes:") << "\n";
  for (const LocalText& c : r.changes) std::cout << "  • " << pick(c, lang) << "\n";
  if (r.after) {
    std::cout << (zh ? "修复后复检：" : "Re-check of the output:") << "\n";
    print_report(*r.after, lang, colour);
  }
  if (r.passed()) {
    std::cout << (zh ? "审核成功，已保存：" : "Passed; saved: ") << out << "\n";
  } else {
    std::cout << (zh ? "修复后的照片仍不合格，未写出文件" : "The fixed photo still fails; no file written") << "\n";
  }
}

}  // namespace

Command add_fix_command(CLI::App& root) {
  auto args = std::make_shared<FixArgs>();
  CLI::App* app = root.add_subcommand(
      "fix",
      "Turn an ordinary photo into one the profile accepts, and prove it: decode at the smallest JPEG scale "
      "that is enough, refuse what no fix repairs (no face, several faces, side face, too small a source — "
      "upscaling is forbidden —, busy background for a colour change), level the eyes, crop so every "
      "head-size and position rule is met, resample, optionally replace the background, encode into the "
      "profile's KB window at its DPI, and re-check the result. The output is written (atomically, never "
      "over the input) only when it passes.");
  app->add_option("IN", args->input, "Source photo")->required();
  app->add_option("-o,--output", args->output, "Output file (written only when the fixed photo passes)")->required();
  app->add_option("--profile,-p", args->profile, "Profile id or a profile JSON file; default cn-1inch");
  app->add_option("--background", args->background,
                  "keep (default), white, blue, red, #rrggbb, or a colour name of the profile");
  app->add_flag("--json", args->json, "Print the fix report as JSON (report shape plus output, before, after)");
  add_lang_option(*app, args->lang);
  app->add_option("--models", args->models,
                  "Directory holding shape_predictor_68_face_landmarks.dat (default $IDPHOTO_MODEL_DIR, else "
                  "/usr/share/dlib)");
  app->footer(
      "Examples:\n"
      "  idphoto fix phone.jpg -o upload.jpg\n"
      "  idphoto fix phone.jpg -o upload.jpg --background white --lang zh-CN\n"
      "  idphoto fix phone.jpg -o visa.jpg --profile cn-visa --json\n"
      "\n" +
      exit_codes_help());

  Command c;
  c.app = app;
  c.run = [args]() -> int {
    const std::string pid = args->profile.empty() ? Profile::default_id("photo") : args->profile;
    auto profile = Profile::resolve(pid);
    if (!profile) {
      std::cerr << "idphoto fix: bad profile '" << pid << "': " << profile.error().message << "\n";
      return Exit::usage;
    }
    if (profile->kind() != "photo") {
      std::cerr << "idphoto fix: profile '" << profile->id() << "' is a " << profile->kind()
                << " profile; `fix` needs a photo profile\n";
      return Exit::usage;
    }
    if (!valid_background(args->background, *profile)) {
      std::cerr << "idphoto fix: --background '" << args->background
                << "': expected keep, white, blue, red or #rrggbb\n";
      return Exit::usage;
    }
    if (same_file(args->input, args->output)) {
      std::cerr << "idphoto fix: the output '" << args->output << "' is the input; fix never overwrites its input\n";
      return Exit::usage;
    }
    EngineOptions opts;
    opts.model_dir = args->models;
    auto engine = Engine::create(opts);
    if (!engine) {
      std::cerr << "idphoto fix: " << engine.error().message << "\n";
      return Exit::usage;
    }
    std::error_code ec;
    if (!fs::is_regular_file(args->input, ec)) {
      std::cerr << "idphoto fix: cannot read '" << args->input << "': no such file\n";
      return Exit::unreadable;
    }
    std::ifstream in(args->input, std::ios::binary);
    std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) {
      std::cerr << "idphoto fix: error while reading '" << args->input << "'\n";
      return Exit::unreadable;
    }
    FixOptions fo;
    fo.background = args->background;
    fo.output_name = args->output;
    FixResult r = engine->fix_photo(bytes, *profile, fo, args->input);
    if (r.before.error && r.before.error->code == ErrorCode::unsupported_format && !sniff_other(bytes).empty()) {
      // BMP/TIFF/PPM/WebP: decoded here and handed to the core as PNG.
      std::vector<std::uint8_t> png;
      try {
        const cv::Mat img = cv::imdecode(bytes, cv::IMREAD_COLOR);
        if (!img.empty() && cv::imencode(".png", img, png)) r = engine->fix_photo(png, *profile, fo, args->input);
      } catch (const cv::Exception&) {
      }
    }
    int code = exit_for(r);
    if (r.passed() && !r.output.empty()) {
      std::string err;
      if (!write_atomically(args->output, r.output, err)) {
        std::cerr << "idphoto fix: " << err << "\n";
        r.output.clear();
        code = Exit::internal;
      }
    }
    if (args->json) {
      std::cout << r.to_json() << "\n";
    } else {
      print_fix(r, args->output, args->lang, use_colour());
    }
    return code;
  };
  return c;
}

}  // namespace idphoto::cli
