// `idphoto batch`: many files, one shared engine, N worker threads, a resumable report. docs/batch.md.
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <atomic>
#include <chrono>
#include <concepts>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <span>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <unistd.h>

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "ascii_text.hpp"
#include "batch_report.hpp"
#include "cli.hpp"
#include "codecs.hpp"

namespace idphoto::cli {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct BatchArgs {
  std::vector<std::string> inputs;
  std::string profile;
  std::string kind = "photo";
  std::string fix_dir;
  std::string report;
  bool resume = false;
  std::string shard;
  int jobs = 0;
  std::string sheet;
  std::string models;
  Lang lang = Lang::en;
};

std::atomic<bool> g_stop{false};

extern "C" void on_sigint(int) {
  g_stop.store(true);
  std::signal(SIGINT, SIG_DFL);  // a second Ctrl-C ends the process at once
  std::signal(SIGTERM, SIG_DFL);
}

bool image_extension(const fs::path& p) {
  static const std::set<std::string> exts = {".jpg", ".jpeg", ".jpe", ".jfif", ".png",
                                             ".bmp", ".tif",  ".tiff", ".webp", ".ppm",
                                             ".pgm", ".pnm",  ".heic", ".heif", ".avif",
                                             ".gif"};
  std::string e = p.extension().string();
  for (char& c : e) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return exts.count(e) > 0;
}

bool list_extension(const fs::path& p) {
  std::string e = p.extension().string();
  for (char& c : e) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return e == ".txt" || e == ".lst" || e == ".list";
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  return s.substr(i);
}

// One path per line; blank lines and # comments skipped, trailing CR and blanks trimmed. A UTF-8 byte
// order mark (Windows Notepad writes one) is dropped; a UTF-16 list (Windows PowerShell's `>`) is refused
// with a message, as its every line would name no file. False (with a message) on a usage error.
bool read_list(std::istream& in, const std::string& name, std::vector<BatchItem>& out) {
  std::string line;
  bool first = true;
  while (std::getline(in, line)) {
    if (first) {
      first = false;
      if (line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
      if (line.rfind("\xFF\xFE", 0) == 0 || line.rfind("\xFE\xFF", 0) == 0) {
        std::cerr << "idphoto batch: the list " << name
                  << " is UTF-16 text; save it as UTF-8 (one path per line)\n";
        return false;
      }
    }
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    out.push_back({line, fs::path(line).lexically_normal().generic_string()});
  }
  return true;
}

// Expands INPUT arguments; false (with a message) on a usage error.
bool collect_inputs(const std::vector<std::string>& args, std::vector<BatchItem>& out) {
  for (const std::string& a : args) {
    if (a == "-") {
      if (!read_list(std::cin, "on standard input", out)) return false;
      continue;
    }
    std::error_code ec;
    const auto st = fs::status(a, ec);
    if (!ec && fs::is_directory(st)) {
      std::vector<BatchItem> found;
      fs::recursive_directory_iterator it(a, fs::directory_options::skip_permission_denied, ec);
      if (ec) {
        std::cerr << "idphoto batch: cannot list '" << a << "': " << ec.message() << "\n";
        return false;
      }
      for (auto end = fs::recursive_directory_iterator(); it != end; it.increment(ec)) {
        if (ec) break;
        std::error_code e2;
        // A symbolic link to a missing file is listed too: it is reported unreadable, not left out of
        // the count in silence.
        const bool dangling = it->is_symlink(e2) && !it->exists(e2);
        if ((!dangling && !it->is_regular_file(e2)) || !image_extension(it->path())) continue;
        const fs::path rel = it->path().lexically_relative(a);
        found.push_back({it->path().generic_string(), rel.generic_string()});
      }
      std::sort(found.begin(), found.end(),
                [](const BatchItem& x, const BatchItem& y) { return x.path < y.path; });
      out.insert(out.end(), found.begin(), found.end());
    } else if (!ec && fs::is_regular_file(st) && list_extension(a)) {
      std::ifstream in(a);
      if (!in) {
        std::cerr << "idphoto batch: cannot read the list file '" << a << "'\n";
        return false;
      }
      if (!read_list(in, "'" + a + "'", out)) return false;
    } else {
      // A single file (or a missing one: reported as unreadable, never a usage error).
      out.push_back({a, fs::path(a).lexically_normal().generic_string()});
    }
  }
  std::unordered_set<std::string> seen;
  std::vector<BatchItem> unique;
  for (auto& i : out) {
    if (seen.insert(i.path).second) unique.push_back(std::move(i));
  }
  out = std::move(unique);
  return true;
}

// What needs the codec module when --sheet is given (thumbnails and the sheet itself).
constexpr std::string_view kSheetPurpose = "writing the contact sheet (--sheet)";

cv::Mat thumbnail(const std::vector<std::uint8_t>& bytes, const Report& r) {
  constexpr int kW = 150, kH = 200;
  try {
    int flag = cv::IMREAD_COLOR;
    if (r.image) {
      const int big = std::max(r.image->width, r.image->height);
      if (big > 8 * kH) {
        flag = cv::IMREAD_REDUCED_COLOR_8;
      } else if (big > 4 * kH) {
        flag = cv::IMREAD_REDUCED_COLOR_4;
      } else if (big > 2 * kH) {
        flag = cv::IMREAD_REDUCED_COLOR_2;
      }
    }
    cv::Mat img;
    // A missing codec module was refused before the batch started (kSheetPurpose).
    if (codecs::decode(bytes, flag, img, kSheetPurpose)) return {};
    const double s = std::min(double(kW) / img.cols, double(kH) / img.rows);
    cv::Mat small;
    cv::resize(img, small, cv::Size(std::max(1, int(img.cols * s)), std::max(1, int(img.rows * s))),
               0, 0, cv::INTER_AREA);
    cv::Mat cell(kH, kW, CV_8UC3, cv::Scalar(235, 235, 235));
    small.copyTo(cell(cv::Rect((kW - small.cols) / 2, (kH - small.rows) / 2, small.cols, small.rows)));
    return cell;
  } catch (const cv::Exception&) {
    return {};
  }
}

struct SheetEntry {
  cv::Mat thumb;
  std::string name;
  std::string reason;
};

// Thumbnails of failures in a grid, each with its file name and main reason (Hershey: ASCII only, so
// the text is folded to ASCII); "No failures" when there are none.
// Returns why it could not be written, or nothing.
std::optional<std::string> write_sheet(const std::string& path, const std::vector<SheetEntry>& entries, std::size_t more) {
  constexpr int kW = 150, kH = 200, kCapH = 56, kCols = 8;
  const int n = static_cast<int>(entries.size());
  const int cols = std::max(1, std::min(kCols, n));
  const int rows = std::max(1, (n + cols - 1) / cols);
  const int footer = more > 0 ? 24 : 0;
  cv::Mat sheet(rows * (kH + kCapH) + footer, cols * kW, CV_8UC3, cv::Scalar(255, 255, 255));
  for (int i = 0; i < n; ++i) {
    const int x = (i % cols) * kW, y = (i / cols) * (kH + kCapH);
    const SheetEntry& e = entries[static_cast<std::size_t>(i)];
    if (!e.thumb.empty()) e.thumb.copyTo(sheet(cv::Rect(x, y, kW, kH)));
    cv::rectangle(sheet, cv::Rect(x, y, kW, kH + kCapH), cv::Scalar(200, 200, 200), 1);
    cv::putText(sheet, ascii_fold(fs::path(e.name).filename().string(), 24), {x + 3, y + kH + 14},
                cv::FONT_HERSHEY_PLAIN, 0.8, cv::Scalar(0, 0, 0), 1, cv::LINE_AA);
    const auto fits = [](const std::string& l) {
      int base = 0;
      return cv::getTextSize(l, cv::FONT_HERSHEY_PLAIN, 0.75, 1, &base).width <= kW - 6;
    };
    const std::vector<std::string> reason = wrap_to_fit(ascii_fold(e.reason), 3, fits);
    for (std::size_t l = 0; l < reason.size(); ++l)
      cv::putText(sheet, reason[l], {x + 3, y + kH + 28 + 12 * static_cast<int>(l)}, cv::FONT_HERSHEY_PLAIN, 0.75,
                  cv::Scalar(0, 0, 200), 1, cv::LINE_AA);
  }
  if (n == 0)  // a blank sheet would look like a failure to write one
    cv::putText(sheet, "No failures", {10, kH / 2}, cv::FONT_HERSHEY_PLAIN, 1.2, cv::Scalar(0, 120, 0), 1,
                cv::LINE_AA);
  if (more > 0)
    cv::putText(sheet, "... and " + std::to_string(more) + " more failures (see the report)",
                {4, rows * (kH + kCapH) + 16}, cv::FONT_HERSHEY_PLAIN, 1.0, cv::Scalar(0, 0, 0), 1,
                cv::LINE_AA);
  if (auto f = codecs::write(path, sheet, kSheetPurpose)) {
    if (f->unavailable) return f->message;
    return "cannot write the contact sheet '" + path + "'" + (f->message.empty() ? "" : ": " + f->message);
  }
  return std::nullopt;
}

struct Shard {
  std::uint64_t index = 0;
  std::uint64_t count = 1;
};

bool parse_shard(const std::string& s, Shard& out) {
  const auto slash = s.find('/');
  if (slash == std::string::npos) return false;
  try {
    std::size_t a = 0, b = 0;
    const long long i = std::stoll(s.substr(0, slash), &a);
    const long long n = std::stoll(s.substr(slash + 1), &b);
    if (a != slash || b != s.size() - slash - 1 || n < 1 || i < 0 || i >= n) return false;
    out.index = static_cast<std::uint64_t>(i);
    out.count = static_cast<std::uint64_t>(n);
    return true;
  } catch (...) {
    return false;
  }
}

std::string duration_text(double s) {
  if (!(s >= 0) || s > 1e7) return "--:--";
  const long t = static_cast<long>(s + 0.5);
  char buf[32];
  if (t >= 3600) {
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", t / 3600, (t / 60) % 60, t % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%ld:%02ld", t / 60, t % 60);
  }
  return buf;
}

const std::map<std::string, LocalText>& check_titles() {
  static const std::map<std::string, LocalText> m = [] {
    std::map<std::string, LocalText> t;
    for (const CheckInfo& c : list_checks()) t[c.id] = c.title;
    return t;
  }();
  return m;
}

// Where the fixed copy of an input goes: its path relative to the input root under dir, with any
// root or ".." dropped so nothing lands outside dir, and the extension of the output format.
// An input's place under --fix-dir, without the extension the output format adds: its key (the path
// relative to its folder, or as listed) made relative, without its own extension.
std::string fixed_stem(const std::string& key) {
  fs::path rel;
  for (const fs::path& part : fs::path(key).relative_path()) {
    if (part != ".." && part != ".") rel /= part;
  }
  if (rel.empty()) rel = "input";
  return rel.replace_extension().string();
}

// Stems for every input that no two inputs share: a.jpg and a.jpeg (or a.png) would both become
// a.jpg, and x.jpg in two folders given to the batch would both become x.jpg. Such inputs keep their own
// extension in the stem (a.jpeg → a.jpeg.jpg, a.jpg → a.jpg.jpg); if that still clashes, ~1, ~2, ... in
// the order of the inputs. Decided from the whole list before any file is read, so the same inputs
// always get the same names.
std::unordered_map<std::string, std::string> fixed_stems(const std::vector<BatchItem>& items) {
  std::unordered_map<std::string, std::size_t> count;
  for (const BatchItem& i : items) ++count[fixed_stem(i.key)];
  std::unordered_map<std::string, std::string> stems;  // item path -> stem
  std::unordered_map<std::string, std::size_t> second;  // stem with its extension -> inputs
  for (const BatchItem& i : items) {
    std::string stem = fixed_stem(i.key);
    if (count[stem] > 1) {
      std::string ext = fs::path(i.key).extension().string();
      for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      stem += ext;
      ++second[stem];
    }
    stems[i.path] = stem;
  }
  std::unordered_map<std::string, std::size_t> taken;
  for (const BatchItem& i : items) {
    std::string& stem = stems[i.path];
    if (auto it = second.find(stem); it != second.end() && it->second > 1) stem += "~" + std::to_string(++taken[stem]);
  }
  return stems;
}

struct FixOutcome {
  bool attempted = false;
  bool written = false;
  std::string path;    // written file
  std::string reason;  // why not (en)
  LocalText reason_text;
};

// A failing input fixed (photo: `fix`; signature: `clean`) and written under --fix-dir when the
// result passes its re-check; never over the input. bytes: as the core reads them (BMP/TIFF/PPM/WebP
// as the PNG check_any made of them, as in `fix` and `signature clean`).
FixOutcome fix_into_dir(const Engine& engine, const Profile& profile, const std::string& kind,
                        const BatchItem& item, const std::vector<std::uint8_t>& bytes, const std::string& dir,
                        const std::string& stem) {
  FixOutcome o;
  o.attempted = true;
  std::vector<std::uint8_t> output;
  std::string format;
  bool passed = false;
  LocalText why{"修正后仍不合格", "still fails after fixing"};
  if (kind == "signature") {
    SignatureResult res = engine.clean_signature(bytes, profile, {}, item.path);
    passed = res.passed();
    output = std::move(res.output);
    format = res.output_format;
    if (!passed && res.after) {
      for (const Finding& f : res.after->findings)
        if (f.status == Status::fail) {
          why = f.message;
          break;
        }
    }
  } else {
    FixResult res = engine.fix_photo(bytes, profile, {}, item.path);
    passed = res.passed();
    output = std::move(res.output);
    format = res.output_format;
    const std::vector<Finding>* fs_ = res.refused ? &res.refusal : (res.after ? &res.after->findings : nullptr);
    if (!passed && fs_) {
      for (const Finding& f : *fs_)
        if (f.status == Status::fail) {
          why = f.message;
          break;
        }
    }
  }
  if (!passed || output.empty()) {
    o.reason_text = why;
    o.reason = why.en;
    return o;
  }
  const fs::path out = fs::path(dir) / (stem + (format == "png" ? ".png" : ".jpg"));
  std::error_code ec;
  fs::create_directories(out.parent_path(), ec);
  if (same_file(item.path, out.string())) {
    o.reason_text = {"输出会覆盖原文件，已跳过", "the output would overwrite the input; skipped"};
    o.reason = o.reason_text.en;
    return o;
  }
  std::string err;
  if (!write_atomically(out.string(), output, err)) {
    o.reason_text = {"无法写入：" + err, "cannot write: " + err};
    o.reason = o.reason_text.en;
    return o;
  }
  o.written = true;
  o.path = out.string();
  return o;
}

int run_batch(const BatchArgs& args) {
  const bool zh = args.lang == Lang::zh;
  // Everything that can be a usage error is decided before any input is read (CONTRACTS.md).
  if (args.kind != "photo" && args.kind != "signature") {
    std::cerr << "idphoto batch: --kind must be photo or signature\n";
    return Exit::usage;
  }
  if (!args.fix_dir.empty()) {
    std::error_code ec;
    fs::create_directories(args.fix_dir, ec);
    if (ec || !fs::is_directory(args.fix_dir, ec)) {
      std::cerr << "idphoto batch: cannot create --fix-dir '" << args.fix_dir << "'\n";
      return Exit::usage;
    }
  }
  Shard shard;
  if (!args.shard.empty() && !parse_shard(args.shard, shard)) {
    std::cerr << "idphoto batch: --shard must be i/N with 0 <= i < N (e.g. 0/4), got '"
              << args.shard << "'\n";
    return Exit::usage;
  }
  ReportFormat fmt = ReportFormat::none;
  if (!args.report.empty()) {
    fmt = report_format_for(args.report);
    if (fmt == ReportFormat::none) {
      std::cerr << "idphoto batch: --report must end in .jsonl or .csv, got '" << args.report
                << "'\n";
      return Exit::usage;
    }
  }
  if (args.resume && args.report.empty()) {
    std::cerr << "idphoto batch: --resume needs --report FILE (the report it continues)\n";
    return Exit::usage;
  }
  if (!args.sheet.empty()) {
    std::string e = fs::path(args.sheet).extension().string();
    for (char& c : e) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (e != ".jpg" && e != ".jpeg" && e != ".png") {
      std::cerr << "idphoto batch: --sheet must end in .jpg, .jpeg or .png\n";
      return Exit::usage;
    }
  }
  auto profile = resolve_profile("batch", args.profile, args.kind, "it does not match --kind " + args.kind);
  if (!profile) return Exit::usage;
  auto engine_r = create_engine("batch", args.models);
  if (!engine_r) return Exit::usage;
  const Engine& engine = *engine_r;

  std::vector<BatchItem> items;
  if (!collect_inputs(args.inputs, items)) return Exit::usage;
  const std::size_t listed = items.size();
  if (shard.count > 1) {
    std::erase_if(items, [&](const BatchItem& i) { return shard_of(i.key, shard.count) != shard.index; });
  }
  // The contact sheet is written at the end: never over one of the inputs (an existing sheet is
  // compared by device and inode with every input; a sheet that does not exist yet cannot be one).
  if (struct stat sheet_st{}; !args.sheet.empty() && ::stat(args.sheet.c_str(), &sheet_st) == 0) {
    for (const BatchItem& i : items) {
      struct stat st{};
      if (::stat(i.path.c_str(), &st) == 0 && st.st_dev == sheet_st.st_dev && st.st_ino == sheet_st.st_ino) {
        std::cerr << "idphoto batch: --sheet '" << args.sheet << "' is one of the inputs; batch never overwrites its inputs\n";
        return Exit::usage;
      }
    }
  }
  // --sheet needs the codec module: say so now (after the usage checks) rather than after every file.
  if (!args.sheet.empty()) {
    if (auto e = codecs::unavailable(kSheetPurpose)) {
      std::cerr << "idphoto batch: " << *e << "\n";
      return Exit::internal;
    }
  }

  // Where each input's fixed copy goes (before --resume drops inputs: a resumed run names them alike).
  const auto stems = args.fix_dir.empty() ? std::unordered_map<std::string, std::string>{} : fixed_stems(items);

  // The report: resumed (done inputs skipped, the file rewritten without stale or torn lines) or new.
  std::unique_ptr<ReportWriter> writer;
  std::size_t skipped = 0;
  if (!args.report.empty()) {
    std::string err;
    std::unordered_set<std::string> done;
    writer = ReportWriter::open(args.report, fmt, args.resume, done, err);
    if (!writer) {
      std::cerr << "idphoto batch: " << err << "\n";
      return Exit::internal;
    }
    if (!done.empty()) {
      std::erase_if(items, [&](const BatchItem& i) {
        const bool d = done.count(i.path) > 0;
        skipped += d ? 1 : 0;
        return d;
      });
    }
  }

  const int jobs = std::max(1, args.jobs > 0 ? args.jobs
                                             : static_cast<int>(std::thread::hardware_concurrency()));
  cv::setNumThreads(0);  // each worker runs OpenCV on its own thread only

  const bool tty = isatty(STDERR_FILENO) != 0;
  std::atomic<std::size_t> next{0};
  std::mutex mu;
  std::size_t n_done = 0, n_pass = 0, n_fail = 0, n_error = 0, n_fixed = 0, n_unfixed = 0;
  std::map<std::string, std::size_t> reasons;
  std::map<ErrorCode, std::size_t> error_codes;
  std::vector<SheetEntry> sheet_entries;
  std::size_t sheet_more = 0;
  constexpr std::size_t kSheetMax = 400;
  int code = Exit::ok;
  bool write_failed = false;
  const auto t0 = Clock::now();
  auto last_draw = t0 - std::chrono::seconds(1);
  const std::size_t total = items.size();

  auto draw = [&](bool final) {
    const double el = std::chrono::duration<double>(Clock::now() - t0).count();
    const double rate = el > 0 ? n_done / el : 0;
    const double eta = rate > 0 ? (total - n_done) / rate : -1;
    const int width = 24;
    const int filled = total ? static_cast<int>(width * n_done / total) : width;
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.append(static_cast<std::size_t>(width - filled), '-');
    char buf[256];
    std::snprintf(buf, sizeof buf, "\r[%s] %zu/%zu  %.0f/s  ETA %s  %s %zu  %s %zu\033[K%s",
                  bar.c_str(), n_done, total, rate, duration_text(eta).c_str(),
                  zh ? "不合格" : "failed", n_fail, zh ? "错误" : "errors", n_error,
                  final ? "\n" : "");
    // stdio, not std::cerr: the codec module swaps std::cerr's buffer while a worker decodes a BMP/TIFF/WebP.
    std::fputs(buf, stderr);
    std::fflush(stderr);
  };

  std::signal(SIGINT, on_sigint);
  std::signal(SIGTERM, on_sigint);

  auto worker = [&]() {
    std::vector<std::uint8_t> bytes, converted;  // converted: the PNG a BMP/TIFF/PPM/WebP was checked as
    for (;;) {
      if (g_stop.load()) return;
      const std::size_t k = next.fetch_add(1);
      if (k >= items.size()) return;
      const BatchItem& item = items[k];
      const auto t_file = Clock::now();
      FileStamp stamp;
      Report r;
      bytes.clear();
      converted.clear();
      try {
        InputFile file = read_input_file(item.path, engine.options().limits.max_bytes, /*regular_only=*/true);
        if (file.regular) stamp = FileStamp{file.size, file.mtime_ns, true};
        if (file.error) {
          r = error_report(item.path, profile->id(), args.kind, *file.error);
        } else {
          bytes = std::move(file.bytes);
          r = check_any(engine, *profile, args.kind, item.path, bytes, &converted);
        }
      } catch (const std::exception& e) {
        r = error_report(item.path, profile->id(), args.kind,
                         Error{ErrorCode::internal, std::string("internal error: ") + e.what()});
      }
      const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t_file).count();
      const Verdict v = r.verdict();
      const Finding* first_fail = nullptr;
      for (const Finding& f : r.findings) {
        if (f.status == Status::fail) {
          first_fail = &f;
          break;
        }
      }
      cv::Mat thumb;
      if (!args.sheet.empty() && v == Verdict::fail) thumb = thumbnail(bytes, r);
      FixOutcome fixed;
      if (!args.fix_dir.empty() && v == Verdict::fail && !g_stop.load()) {
        try {
          fixed = fix_into_dir(engine, *profile, args.kind, item, converted.empty() ? bytes : converted, args.fix_dir,
                               stems.at(item.path));
        } catch (const std::exception& e) {
          fixed.reason = std::string("internal error: ") + e.what();
          fixed.reason_text = {fixed.reason, fixed.reason};
        }
      }

      std::lock_guard<std::mutex> lock(mu);
      if (writer && !write_failed) {
        if (!writer->append(item.path, stamp, r, ms)) write_failed = true;
      }
      ++n_done;
      code = std::max(code, exit_code_for(r));
      if (fixed.attempted) ++(fixed.written ? n_fixed : n_unfixed);
      if (v == Verdict::pass) {
        ++n_pass;
      } else if (v == Verdict::fail) {
        ++n_fail;
        for (const Finding& f : r.findings)
          if (f.status == Status::fail) ++reasons[f.id];
        if (!args.sheet.empty()) {
          if (sheet_entries.size() < kSheetMax) {
            sheet_entries.push_back({std::move(thumb), item.path,
                                     first_fail ? first_fail->message.en : std::string()});
          } else {
            ++sheet_more;
          }
        }
      } else {
        ++n_error;
        ++error_codes[r.error->code];
      }
      if (tty) {
        const auto now = Clock::now();
        if (now - last_draw > std::chrono::milliseconds(100)) {
          last_draw = now;
          draw(false);
        }
      } else {
        std::string line;
        if (v == Verdict::pass) {
          line = std::string(zh ? "合格    " : "PASS   ") + item.path;
        } else if (v == Verdict::fail) {
          line = std::string(zh ? "不合格  " : "FAIL   ") + item.path;
          if (first_fail) line += "  " + pick(first_fail->message, args.lang) + " [" + first_fail->id + "]";
          if (fixed.written) {
            line += std::string(zh ? "\n        已修正 → " : "\n       fixed -> ") + fixed.path;
          } else if (fixed.attempted) {
            line += std::string(zh ? "\n        无法修正：" : "\n       not fixed: ") + pick(fixed.reason_text, args.lang);
          }
        } else {
          const std::string code(error_code_name(r.error->code));
          line = std::string(zh ? "错误    " : "ERROR  ") + item.path + "  " +
                 (zh ? error_zh(r.error->code) + "（" + code + "）：" : code + ": ") + r.error->message;
        }
        std::cout << line << "\n" << std::flush;
      }
      if (write_failed) g_stop.store(true);
    }
  };

  std::vector<std::thread> pool;
  const int nthreads = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(jobs),
                                                              std::max<std::size_t>(1, total)));
  for (int i = 0; i < nthreads; ++i) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  if (tty) draw(true);
  const bool interrupted = g_stop.load() && !write_failed;
  if (writer && !writer->close()) write_failed = true;

  std::optional<std::string> sheet_error;
  if (!args.sheet.empty()) sheet_error = write_sheet(args.sheet, sheet_entries, sheet_more);
  const bool sheet_failed = sheet_error.has_value();

  // Summary.
  const double el = std::chrono::duration<double>(Clock::now() - t0).count();
  std::ostringstream s;
  char head[256];
  if (zh) {
    std::snprintf(head, sizeof head, "已检查 %zu 个文件，用时 %.1f 秒（%.0f 个/秒，%d 线程）：", n_done,
                  el, el > 0 ? n_done / el : 0.0, nthreads);
    s << head << n_pass << " 合格，" << n_fail << " 不合格，" << n_error << " 无法读取";
    if (skipped) s << "；跳过 " << skipped << " 个（报告中已有）";
    if (shard.count > 1)
      s << "；分片 " << shard.index << "/" << shard.count << "（共 " << listed << " 个输入）";
  } else {
    std::snprintf(head, sizeof head, "Checked %zu files in %.1f s (%.0f/s, %d jobs): ", n_done, el,
                  el > 0 ? n_done / el : 0.0, nthreads);
    s << head << n_pass << " passed, " << n_fail << " failed, " << n_error << " unreadable";
    if (skipped) s << "; " << skipped << " skipped (already in the report)";
    if (shard.count > 1)
      s << "; shard " << shard.index << "/" << shard.count << " of " << listed << " inputs";
  }
  s << "\n";
  if (!args.fix_dir.empty()) {
    if (zh) {
      s << "已修正 " << n_fixed << " 个，写入 " << args.fix_dir << "；" << n_unfixed << " 个无法修正\n";
    } else {
      s << "Fixed " << n_fixed << " into " << args.fix_dir << "; " << n_unfixed << " could not be fixed\n";
    }
  }
  if (!reasons.empty()) {
    std::vector<std::pair<std::size_t, std::string>> top;
    for (const auto& [id, n] : reasons) top.emplace_back(n, id);
    std::sort(top.begin(), top.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    s << (zh ? "最常见的不合格原因：\n" : "Most common failure reasons:\n");
    for (std::size_t i = 0; i < top.size() && i < 8; ++i) {
      auto it = check_titles().find(top[i].second);
      char line[64];
      std::snprintf(line, sizeof line, "  %6zu  ", top[i].first);
      s << line << top[i].second;
      if (it != check_titles().end()) s << "  (" << pick(it->second, args.lang) << ")";
      s << "\n";
    }
  }
  if (!error_codes.empty()) {
    s << (zh ? "无法读取的文件：" : "Unreadable:");
    const char* sep = "";
    for (const auto& [c, n] : error_codes) {
      if (zh) s << sep << n << " 个" << error_zh(c) << "（" << error_code_name(c) << "）", sep = "；";
      else s << " " << error_code_name(c) << " " << n;
    }
    s << "\n";
  }
  if (!args.report.empty()) s << (zh ? "报告：" : "Report: ") << args.report << "\n";
  if (!args.sheet.empty() && !sheet_failed)
    s << (zh ? "不合格照片一览：" : "Contact sheet of failures: ") << args.sheet << "\n";
  if (interrupted) {
    s << (zh ? "已中断：用 --resume 继续（" : "Interrupted: continue with --resume (")
      << (total - n_done) << (zh ? " 个未检查）\n" : " not checked)\n");
  }
  std::cout << s.str() << std::flush;
  if (write_failed) {
    std::cerr << "idphoto batch: error writing the report '" << args.report << "'\n";
    return Exit::internal;
  }
  if (sheet_failed) {
    std::cerr << "idphoto batch: " << *sheet_error << "\n";
    return Exit::internal;
  }
  if (interrupted) return 130;  // shell convention for SIGINT
  return code;
}

}  // namespace

Command add_batch_command(CLI::App& root) {
  auto args = std::make_shared<BatchArgs>();
  CLI::App* app = root.add_subcommand(
      "batch",
      "Check many files: folders (recursive), list files (.txt/.lst/.list, one path per line, "
      "# comments) or - for a list on standard input. One engine is shared by --jobs worker "
      "threads; one bad file never stops the batch. --report writes one line per file as it "
      "finishes (.jsonl: the JSON report; .csv: input, verdict, failed ids, first failure "
      "message, width, height, bytes, ms), so Ctrl-C leaves a report that --resume continues.");
  app->add_option("INPUT", args->inputs,
                  "Folders (searched recursively for image files), list files, image files, or -")
      ->required();
  app->add_option("--profile,-p", args->profile,
                  "Profile id or profile JSON file; default cn-1inch (cn-signature with "
                  "--kind signature)");
  app->add_option("--kind", args->kind, "photo (default) or signature")
      ->check(CLI::IsMember({"photo", "signature"}));
  app->add_option("--jobs,-j", args->jobs, "Worker threads (default: the number of cores)")
      ->check(CLI::Range(1, 1024));
  app->add_option("--report,-r", args->report,
                  "Write a report: FILE.jsonl (one JSON report per line) or FILE.csv");
  app->add_flag("--resume", args->resume,
                "Skip inputs already in --report (same path, size and modification time) and "
                "append the rest");
  app->add_option("--shard", args->shard,
                  "i/N: check only the inputs whose path (relative to its folder) hashes to shard "
                  "i of N (0-based), for Kubernetes indexed Jobs or Slurm arrays");
  app->add_option("--sheet", args->sheet,
                  "Write a contact sheet of the failures (.jpg or .png): thumbnails with the main "
                  "reason");
  app->add_option("--fix-dir", args->fix_dir,
                  "For each input that fails, run `fix` (photos) or `signature clean` (signatures) and "
                  "write the result under DIR, mirroring the input tree (.jpg/.png per the profile's "
                  "format), only when it passes its re-check; inputs are never overwritten. The "
                  "report still describes the inputs as they are");
  add_lang_option(*app, args->lang);
  add_models_option(*app, args->models);
  app->footer(
      "Examples:\n"
      "  idphoto batch photos/ --report out.jsonl\n"
      "  idphoto batch photos/ --report out.csv --resume        continue after Ctrl-C\n"
      "  find /archive -name '*.jpg' | idphoto batch - --jobs 8 --report all.jsonl\n"
      "  idphoto batch photos/ --shard $JOB_COMPLETION_INDEX/16 --report part-$JOB_COMPLETION_INDEX.jsonl\n"
      "  idphoto batch photos/ --sheet failures.jpg\n"
      "Ctrl-C stops after the files in progress (exit 130); the report keeps every finished file.\n"
      "\n" +
      exit_codes_help());
  Command c;
  c.app = app;
  c.run = [args]() -> int { return run_batch(*args); };
  return c;
}

}  // namespace idphoto::cli
