#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>

#include "annotate.hpp"
#include "cli.hpp"
#include "codecs.hpp"

namespace idphoto::cli {

namespace {

struct CheckArgs {
  std::vector<std::string> files;
  std::string profile;
  bool json = false;
  Lang lang = Lang::en;
  std::string models;
  std::string annotate;
};

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// Format from magic bytes (the CLI's own, for the OpenCV fallback and messages).
std::string sniff(const std::vector<std::uint8_t>& b) {
  auto starts = [&](std::string_view m, std::size_t at = 0) {
    return b.size() >= at + m.size() &&
           std::equal(m.begin(), m.end(), b.begin() + at,
                      [](char c, std::uint8_t u) { return static_cast<std::uint8_t>(c) == u; });
  };
  if (starts("BM")) return "bmp";
  if (starts("II*\0") || starts(std::string_view("MM\0*", 4))) return "tiff";
  if (starts("RIFF") && starts("WEBP", 8)) return "webp";
  if (b.size() >= 2 && b[0] == 'P' && b[1] >= '1' && b[1] <= '6') return "ppm";
  return "";
}

std::vector<std::string> allowed_formats(const Profile& profile, const std::string& format_check) {
  std::vector<std::string> out;
  try {
    auto j = nlohmann::json::parse(profile.to_json());
    const auto& a = j.at("checks").at(format_check).at("allowed");
    for (const auto& s : a) out.push_back(s.get<std::string>());
  } catch (...) {
  }
  return out;
}

}  // namespace

void restore_original(Report& r, std::string_view kind, const std::string& format, std::uint64_t bytes,
                      const Profile& profile) {
  const std::string format_check = std::string(kind) + ".file.format", size_check = std::string(kind) + ".file.size";
  const bool photo = kind == "photo";
  if (r.image) {
    r.image->format = format;
    r.image->bytes = bytes;
    r.image->dpi.reset();
  }
  const std::string fmt = upper(format);
  for (Finding& f : r.findings) {
    if (f.id == format_check) {
      const auto allowed = allowed_formats(profile, format_check);
      std::string list;
      for (const auto& s : allowed) list += (list.empty() ? "" : ", ") + upper(s);
      f.value = std::nullopt;
      f.value_text = format;
      if (std::find(allowed.begin(), allowed.end(), format) != allowed.end()) {
        f.status = Status::pass;
        f.message = {"文件格式合格：" + fmt, "File format OK: " + fmt};
        f.hint = {};
      } else {
        f.status = Status::fail;
        f.message = {"文件格式不符：检测到 " + fmt + "，应为 " + list,
                     "Wrong file format: the file is " + fmt + "; allowed " + list};
        f.hint = {std::string(photo ? "请将照片另存为 " : "请将图片另存为 ") + list + " 格式（不要只改扩展名）",
                  std::string(photo ? "Save the photo as " : "Save the image as ") + list +
                      " (renaming the file is not enough)"};
      }
    } else if (f.id == size_check && f.unit == "KB") {
      const double kb = static_cast<double>(bytes) / 1024.0;
      f.value = kb;
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.1f KB", kb);
      if (!f.range || f.range->contains(kb)) {
        f.status = Status::pass;
        f.message = {std::string("文件大小合格：") + buf, std::string("File size OK: ") + buf};
        f.hint = {};
      } else {
        const bool low = f.range->lo && kb < *f.range->lo;
        // The range as the core words it (checks/finding_util.cpp: format_range).
        char en[96], zh[96];
        if (f.range->lo && f.range->hi) {
          std::snprintf(en, sizeof en, "%g–%g KB", *f.range->lo, *f.range->hi);
          std::snprintf(zh, sizeof zh, "应为 %g KB–%g KB", *f.range->lo, *f.range->hi);
        } else if (f.range->lo) {
          std::snprintf(en, sizeof en, "at least %g KB", *f.range->lo);
          std::snprintf(zh, sizeof zh, "应不小于 %g KB", *f.range->lo);
        } else {
          std::snprintf(en, sizeof en, "at most %g KB", *f.range->hi);
          std::snprintf(zh, sizeof zh, "应不大于 %g KB", *f.range->hi);
        }
        f.status = Status::fail;
        f.message = {std::string(low ? "文件太小：文件大小为 " : "文件太大：文件大小为 ") + buf + "，" + zh,
                     std::string(low ? "File too small: the file is " : "File too large: the file is ") + buf +
                         "; allowed " + en};
        f.hint = low ? LocalText{photo ? "请用更高的质量保存照片，不要使用反复压缩过的图片"
                                       : "请用更高的质量保存图片，不要使用反复压缩过的图片",
                                 "Save with a higher quality setting; do not use a heavily "
                                 "compressed copy"}
                     : LocalText{photo ? "请用较低的质量（更强的压缩）保存照片" : "请用较低的质量（更强的压缩）保存图片",
                                 "Save with a lower quality setting (stronger compression)"};
      }
    }
  }
}

std::string sniff_non_core(const std::vector<std::uint8_t>& bytes) { return sniff(bytes); }

std::optional<Error> reencode_png(const std::vector<std::uint8_t>& bytes, const std::string& path,
                                  std::vector<std::uint8_t>& png) {
  const std::string fmt = upper(sniff(bytes));
  const std::string purpose = "reading " + fmt;
  cv::Mat img;
  auto failed = codecs::decode(bytes, cv::IMREAD_COLOR, img, purpose);
  if (!failed) failed = codecs::encode(".png", img, png, purpose);
  if (!failed) return std::nullopt;
  // No codec module: this installation cannot read the format (the file itself may be fine).
  if (failed->unavailable)
    return Error{ErrorCode::unsupported_format, "'" + path + "': " + failed->message};
  if (failed->message.empty())
    return Error{ErrorCode::unreadable, "'" + path + "' looks like " + fmt + " but cannot be decoded"};
  // OpenCV refused the size from the header (its caps are the engine's limits: codecs.cpp).
  if (failed->message.find("CV_IO_MAX_IMAGE") != std::string::npos) {
    const Limits limits;
    return Error{ErrorCode::limit_exceeded, "'" + path + "' (" + fmt + ") is larger than the limit of " +
                                                std::to_string(limits.max_pixels) + " pixels or " +
                                                std::to_string(limits.max_dimension) + " px a side"};
  }
  return Error{ErrorCode::unreadable,
               "'" + path + "' (" + fmt + ") cannot be decoded: " + failed->message};
}

Report check_any(const Engine& engine, const Profile& profile, std::string_view kind, const std::string& path,
                 const std::vector<std::uint8_t>& bytes, std::vector<std::uint8_t>* converted_out) {
  const auto check = [&](const std::vector<std::uint8_t>& b) {
    return kind == "signature" ? engine.check_signature(b, profile, path) : engine.check_photo(b, profile, path);
  };
  Report r = check(bytes);
  if (!r.error || r.error->code != ErrorCode::unsupported_format) return r;
  const std::string fmt = sniff(bytes);
  if (fmt.empty()) {
    const std::string detected = r.image ? r.image->format : std::string();
    if (!detected.empty() && r.error->message.find(detected) == std::string::npos) {
      r.error->message += " (detected format: " + detected + ")";
    }
    return r;
  }

  std::vector<std::uint8_t> png;
  if (auto e = reencode_png(bytes, path, png)) {
    r.error = *e;
    return r;
  }
  Report converted = check(png);
  if (converted.error) {
    if (converted.image) converted.image->format = fmt;
    return converted;
  }
  restore_original(converted, kind, fmt, bytes.size(), profile);
  if (converted_out) *converted_out = std::move(png);
  return converted;
}

Command add_check_command(CLI::App& root) {
  auto args = std::make_shared<CheckArgs>();
  CLI::App* app = root.add_subcommand(
      "check",
      "Judge photo files exactly as they would be uploaded. Each FILE is checked against a photo "
      "profile (default cn-1inch): file format and size in KB, pixel dimensions, DPI, colour, one "
      "frontal face with a neutral expression, head size and position, background and light. A "
      "phone picture fails here; `fix` is what turns it into an upload. Core formats are JPEG and "
      "PNG; BMP, TIFF, PPM/PGM and WebP are read through OpenCV (and fail the format check of "
      "JPEG-only profiles); anything else is an error naming the detected format.");
  app->add_option("FILE", args->files, "Photo files to check; - reads standard input")->required();
  app->add_option(
      "--profile,-p", args->profile,
      "Profile id (see `idphoto profiles list`) or a profile JSON file; default cn-1inch");
  app->add_flag("--json", args->json,
                "Print one JSON report per file and line (JSON Lines, schema_version 1)");
  add_lang_option(*app, args->lang);
  app->add_option("--annotate", args->annotate,
                  "Write OUT.png: the photo with landmarks, eye/crown/chin lines, the profile's allowed "
                  "bands as gauges in the margins (right: crown margin, eye line, chin; bottom: face "
                  "centre), the background outline and each failing check marked (one input only, never the input itself)");
  add_models_option(*app, args->models);
  app->footer(
      "Examples:\n"
      "  idphoto check photo.jpg\n"
      "  idphoto check photo.jpg --profile cn-passport --lang zh-CN\n"
      "  idphoto check *.jpg --json > reports.jsonl\n"
      "  idphoto check photo.jpg --profile my-portal.json\n"
      "\n" +
      exit_codes_help());

  Command c;
  c.app = app;
  c.run = [args]() -> int {
    auto profile = resolve_profile("check", args->profile, "photo",
                                   "`check` needs a photo profile (use `idphoto signature check` for "
                                   "signatures)");
    if (!profile) return Exit::usage;
    // One file at a time: each check may use a second core (CIELAB beside the face search).
    auto engine = create_engine("check", args->models, 2);
    if (!engine) return Exit::usage;
    if (!args->annotate.empty() && args->files.size() != 1) {
      std::cerr << "idphoto check: --annotate takes exactly one input file\n";
      return Exit::usage;
    }
    if (!args->annotate.empty() && !output_allowed("check", args->files.front(), args->annotate, "--annotate file"))
      return Exit::usage;
    // --annotate needs the codec module: say so before checking rather than after.
    if (!args->annotate.empty()) {
      if (auto e = codecs::unavailable(kAnnotatePurpose)) {
        std::cerr << "idphoto check: " << *e << "\n";
        return Exit::internal;
      }
    }
    const bool colour = !args->json && use_colour();
    int code = Exit::ok;
    for (const std::string& f : args->files) {
      const InputFile file = read_input_file(f, engine->options().limits.max_bytes);
      Report r = file.error ? error_report(f, profile->id(), "photo", *file.error)
                            : check_any(*engine, *profile, "photo", f, file.bytes);
      if (args->json) {
        std::cout << r.to_json() << "\n";
      } else {
        print_report(r, args->lang, colour);
      }
      std::cout.flush();
      code = std::max(code, exit_code_for(r));
      if (!args->annotate.empty() && !r.error) {
        const std::string err = write_annotation(file.bytes, *engine, r, *profile, args->annotate);
        if (!err.empty()) {
          std::cerr << "idphoto check: " << err << "\n";
          code = std::max(code, static_cast<int>(Exit::internal));
        }
      }
    }
    return code;
  };
  return c;
}

}  // namespace idphoto::cli
