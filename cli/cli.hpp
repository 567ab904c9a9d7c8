// Shared pieces of the idphoto CLI: language, exit codes, printing. Uses only the public API.
#pragma once

#include <cstdint>
#include <optional>
#include <streambuf>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "idphoto/idphoto.hpp"

namespace idphoto::cli {

// CONTRACTS.md, Exit codes; with several inputs the highest applies.
enum Exit : int { ok = 0, failed = 1, usage = 2, unreadable = 3, internal = 4 };

enum class Lang { zh, en };

// --lang default: LANG starting with "zh" → zh-CN, else en.
Lang default_lang();
// Adds --lang to a subcommand, writing into lang.
void add_lang_option(CLI::App& app, Lang& lang);

const std::string& pick(const LocalText& t, Lang lang);

// Colour only when stdout is a terminal and NO_COLOR is unset.
bool use_colour();

// Human-readable report: a header line, then one line per finding (hint under failures).
void print_report(const Report& r, Lang lang, bool colour);

// What fix and signature clean print after the source's report: their changes, the output's re-check
// and the last line (saved where, not saved and why, or still failing: not_written). verb_zh names the
// work in the Chinese headings (修复, 清理).
void print_made(const std::string& verb_zh, const std::vector<LocalText>& changes,
                const std::vector<LocalText>& warnings, const Report* after, bool passed, const std::string& out,
                const std::string& write_error, const LocalText& not_written, Lang lang, bool colour);

// What kind of error a report's error is, in Chinese (the error's message is English).
std::string error_zh(ErrorCode code);

// Exit code for one report.
int exit_code_for(const Report& r);

// The exit-code paragraph every help text ends with.
std::string exit_codes_help();

// BMP, TIFF, PPM/PGM or WebP (by magic bytes; "" otherwise): formats the CLI reads through imgcodecs,
// in the codec module loaded on first use (codecs.hpp).
std::string sniff_non_core(const std::vector<std::uint8_t>& bytes);
// Such a file re-encoded as PNG in memory for the core (cmd_check.cpp); otherwise an unreadable error,
// or unsupported_format naming the codec module and where it was looked for when it cannot be loaded.
std::optional<Error> reencode_png(const std::vector<std::uint8_t>& bytes, const std::string& path,
                                  std::vector<std::uint8_t>& png);
// The report of one input's bytes (kind "photo" or "signature"), as `check`, `signature check` and
// `batch` give it: the core's, or for BMP/TIFF/PPM/WebP the core's on a PNG re-encoding, with the
// file-level findings judged on the original (restore_original). converted, when given, receives that PNG
// re-encoding (left empty for JPEG and PNG), so that a later fix or clean need not make it again.
Report check_any(const Engine& engine, const Profile& profile, std::string_view kind, const std::string& path,
                 const std::vector<std::uint8_t>& bytes, std::vector<std::uint8_t>* converted = nullptr);
// A report made on a PNG re-encoding of a file in another format: its image format and byte count, and
// the profile's file format and size findings (KIND.file.format, KIND.file.size), judged again on the
// original file.
void restore_original(Report& r, std::string_view kind, const std::string& format, std::uint64_t bytes,
                      const Profile& profile);

// --profile (empty: the kind's default) resolved and of the wanted kind; otherwise prints
// "idphoto CMD: ..." (with wrong_kind_hint when the kind differs) and returns nothing (exit 2).
std::optional<Profile> resolve_profile(std::string_view cmd, const std::string& given,
                                       const std::string& kind, std::string_view wrong_kind_hint);
// The engine with --models (empty: default model dir); prints why not and returns nothing.
// The engine of a command; threads: how many threads one check may use (EngineOptions::threads).
std::optional<Engine> create_engine(std::string_view cmd, const std::string& models, int threads = 1);
// The --models option every face-using subcommand takes.
void add_models_option(CLI::App& app, std::string& models);

// The same file (or the same path once resolved): outputs never overwrite their input.
bool same_file(const std::string& a, const std::string& b);
// False, after saying so on standard error, when out (an output of `command`, named `what` in the
// message) is the input itself; an empty out is allowed, and "-" (standard output) for the main
// output (what == "output") only.
bool output_allowed(const std::string& command, const std::string& input, const std::string& out,
                    const std::string& what);
// The format an output file name asks for: "png" for .png, "jpeg" for .jpg/.jpeg (any letter case),
// "" for any other name (the profile's format is written).
std::string format_for_output_name(const std::string& out);
// An input file read whole, as check, fix, signature and batch read them. A named pipe, /dev/stdin and
// "-" (standard input) are read too unless regular_only; a missing file, a directory, an unreadable file → io_error; more than
// max_bytes (0: no limit) → limit_exceeded, decided from the size before reading a regular file and
// after max_bytes + 1 bytes of a pipe.
struct InputFile {
  std::vector<std::uint8_t> bytes;
  std::optional<Error> error;
  std::uint64_t size = 0;          // a regular file's size (0 for a pipe)
  std::int64_t mtime_ns = 0;       // a regular file's modification time
  bool regular = false;
};
InputFile read_input_file(const std::string& path, std::uint64_t max_bytes, bool regular_only = false);
// A report holding only an error (an input that could not be read or judged).
Report error_report(const std::string& input, const std::string& profile, const std::string& kind, Error e);
// Writes bytes to path through a temporary file in the same directory, fsync and a rename: a
// crash or a full disk never leaves a torn output. path "-" writes them to standard output. err says
// why not.
bool write_atomically(const std::string& path, const std::vector<std::uint8_t>& bytes, std::string& err);
// While alive and on, what the command prints to std::cout goes to standard error: `-o -` puts the
// image itself on standard output.
class ReportsToStderr {
 public:
  explicit ReportsToStderr(bool on);
  ~ReportsToStderr();
  ReportsToStderr(const ReportsToStderr&) = delete;
  ReportsToStderr& operator=(const ReportsToStderr&) = delete;

 private:
  std::streambuf* saved_ = nullptr;
};

// Subcommands; each returns the action to run after parsing.
struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};
Command add_check_command(CLI::App& root);
Command add_profiles_command(CLI::App& root);
Command add_checks_command(CLI::App& root);
Command add_models_command(CLI::App& root);
Command add_signature_command(CLI::App& root);
Command add_fix_command(CLI::App& root);
Command add_batch_command(CLI::App& root);

}  // namespace idphoto::cli
