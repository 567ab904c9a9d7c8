#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <sstream>

#include <unistd.h>

#include "cli.hpp"

namespace idphoto::cli {

Lang default_lang() {
  const char* lang = std::getenv("LANG");
  if (lang && std::string_view(lang).starts_with("zh")) return Lang::zh;
  return Lang::en;
}

void add_lang_option(CLI::App& app, Lang& lang) {
  lang = default_lang();
  // zh-CN or en; like LANG, any spelling starting with zh or en in either letter case (zh, zh_CN, en_US).
  const auto starts = [](const std::string& v, const char* p) {
    return v.size() >= 2 && std::tolower(static_cast<unsigned char>(v[0])) == p[0] &&
           std::tolower(static_cast<unsigned char>(v[1])) == p[1];
  };
  app.add_option_function<std::string>(
         "--lang", [&lang, starts](const std::string& v) { lang = starts(v, "zh") ? Lang::zh : Lang::en; },
         "Language of messages: zh-CN or en (zh, zh_CN, en_US... are understood too; default from LANG: zh* → "
         "zh-CN, else en)")
      ->check(CLI::Validator(
          [starts](std::string& v) {
            return starts(v, "zh") || starts(v, "en") ? std::string() : "expected zh-CN or en, got '" + v + "'";
          },
          "zh-CN|en"));
}

const std::string& pick(const LocalText& t, Lang lang) {
  if (lang == Lang::zh) return t.zh.empty() ? t.en : t.zh;
  return t.en.empty() ? t.zh : t.en;
}

bool use_colour() {
  const char* no = std::getenv("NO_COLOR");
  if (no && *no) return false;
  return isatty(STDOUT_FILENO) != 0;
}

void print_made(const std::string& verb_zh, const std::vector<LocalText>& changes,
                const std::vector<LocalText>& warnings, const Report* after, bool passed, const std::string& out,
                const std::string& write_error, const LocalText& not_written, Lang lang, bool colour) {
  const bool zh = lang == Lang::zh;
  if (!changes.empty() || !warnings.empty()) std::cout << (zh ? verb_zh + "步骤：" : std::string("Changes:")) << "\n";
  for (const LocalText& c : changes) std::cout << "  • " << pick(c, lang) << "\n";
  for (const LocalText& w : warnings) std::cout << "  ! " << pick(w, lang) << "\n";
  if (after) {
    std::cout << (zh ? verb_zh + "后复检：" : std::string("Re-check of the output:")) << "\n";
    print_report(*after, lang, colour);
  }
  if (!write_error.empty()) {
    std::cout << (zh ? "审核成功，但未能保存：" : "Passed, but not saved: ") << write_error << "\n";
  } else if (passed) {
    std::cout << (zh ? "审核成功，已保存：" : "Passed; saved: ")
              << (out == "-" ? (zh ? "标准输出" : "standard output") : out) << "\n";
  } else {
    std::cout << pick(not_written, lang) << "\n";
  }
}

int exit_code_for(const Report& r) {
  if (r.error) {
    switch (r.error->code) {
      case ErrorCode::io_error:
      case ErrorCode::unreadable:
      case ErrorCode::unsupported_format:
      case ErrorCode::limit_exceeded:
        return Exit::unreadable;
      case ErrorCode::bad_profile:
      case ErrorCode::model_missing:
      case ErrorCode::model_corrupt:
      case ErrorCode::invalid_argument:
        return Exit::usage;
      default:
        return Exit::internal;
    }
  }
  return r.verdict() == Verdict::fail ? Exit::failed : Exit::ok;
}

std::string exit_codes_help() {
  return "Exit codes:\n"
         "  0  every input passed\n"
         "  1  at least one input failed a check\n"
         "  2  usage error, bad profile, missing or corrupt model (before any input is read)\n"
         "  3  at least one input unreadable or of an unsupported format\n"
         "  4  internal or write error\n"
         "  With several inputs the highest code applies (4 > 3 > 1 > 0).";
}

std::string error_zh(ErrorCode code) {
  switch (code) {
    case ErrorCode::unreadable: return "文件已损坏、不完整或为空，无法读取";
    case ErrorCode::unsupported_format: return "不支持的文件格式";
    case ErrorCode::limit_exceeded: return "文件或图像尺寸超出处理上限";
    case ErrorCode::io_error: return "无法读取或写入文件";
    case ErrorCode::bad_profile: return "规格配置有误";
    case ErrorCode::model_missing: return "缺少人脸模型文件";
    case ErrorCode::model_corrupt: return "人脸模型文件已损坏";
    case ErrorCode::invalid_argument: return "参数无效";
    case ErrorCode::internal:
    case ErrorCode::ok: break;
  }
  return "内部错误";
}

namespace {

struct Style {
  bool on;
  std::string operator()(const char* code, const std::string& s) const {
    return on ? std::string("\033[") + code + "m" + s + "\033[0m" : s;
  }
};

std::string num(double v) {
  char buf[64];
  const double a = std::fabs(v);
  if (a != 0 && (a >= 1e6 || a < 1e-3)) {
    std::snprintf(buf, sizeof buf, "%.3g", v);
  } else {
    std::snprintf(buf, sizeof buf, "%.3f", v);
    std::string s = buf;
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
  }
  return buf;
}

// A finding's unit (English in the report, CONTRACTS.md) as Chinese output shows it; a unit missing here
// is shown as it is (test_cli.py runs every check in Chinese and looks for English words).
const std::string& unit_zh(const std::string& unit) {
  static const std::map<std::string, std::string> m = {
      {"share", "（比例）"},
      {"ratio", "（比值）"},
      {"ratio of height", "（占照片高度的比例）"},
      {"ratio of width", "（占照片宽度的比例）"},
      {"ratio of eye-chin distance", "（占双眼到下巴距离的比例）"},
      {"mean chroma (0-255)", "（平均色度，0–255）"},
      {"mean luminance (0-255)", "（平均亮度，0–255）"},
      {"mean gradient", "（平均梯度）"},
      {"Laplacian variance", "（拉普拉斯方差）"},
      {"JPEG quality", "（JPEG 质量）"},
      {"delta E", "（色差 ΔE）"},
      {"delta L*", "（亮度差 ΔL*）"},
      {"a*", "（a*）"},
      {"faces", " 张人脸"},
      {"px at IED 64", " px（按双眼间距 64 px 折算）"},
      {"format", ""},
  };
  auto it = m.find(unit);
  return it != m.end() ? it->second : unit;
}

std::string with_unit(const std::string& v, const std::string& unit, bool zh) {
  if (unit.empty()) return v;
  if (unit == "°" || unit == "deg" || unit == "%") return v + (unit == "deg" ? "°" : unit);
  if (zh) {
    const std::string& u = unit_zh(unit);
    if (&u != &unit) return v + u;
  }
  return v + " " + unit;
}

std::string range_text(const Range& r, const std::string& unit, bool zh) {
  if (r.lo && r.hi) {
    if (*r.lo == *r.hi) return with_unit(num(*r.lo), unit, zh);
    return with_unit(num(*r.lo) + "–" + num(*r.hi), unit, zh);
  }
  if (r.lo) return with_unit("≥ " + num(*r.lo), unit, zh);
  if (r.hi) return with_unit("≤ " + num(*r.hi), unit, zh);
  return zh ? "不限" : "any";
}

// A measured word (value_text: an ink colour, a format) as Chinese output shows it.
std::string value_text_zh(const std::string& v) {
  static const std::map<std::string, std::string> m = {
      {"black", "黑色"}, {"blue", "蓝色"}, {"red", "红色"}, {"green", "绿色"}, {"other", "其他颜色"}};
  auto it = m.find(v);
  return it != m.end() ? it->second : v;
}

bool contains_nocase(const std::string& hay, const std::string& needle) {
  if (needle.empty()) return false;
  auto it = std::search(hay.begin(), hay.end(), needle.begin(), needle.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  });
  return it != hay.end();
}

const std::map<std::string, LocalText>& titles() {
  static const std::map<std::string, LocalText> m = [] {
    std::map<std::string, LocalText> t;
    for (const CheckInfo& c : list_checks()) t[c.id] = c.title;
    return t;
  }();
  return m;
}

std::string size_text(std::uint64_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + " B";
  std::ostringstream s;
  s.setf(std::ios::fixed);
  s.precision(1);
  if (bytes < 1024ull * 1024) {
    s << bytes / 1024.0 << " KB";
  } else {
    s << bytes / (1024.0 * 1024.0) << " MB";
  }
  return s.str();
}

}  // namespace

void print_report(const Report& r, Lang lang, bool colour) {
  const Style st{colour};
  const bool zh = lang == Lang::zh;
  const Verdict v = r.verdict();
  std::string head;
  switch (v) {
    case Verdict::pass:
      head = st("1;32", zh ? "✔ 合格" : "✔ PASS");
      break;
    case Verdict::fail:
      head = st("1;31", zh ? "✘ 不合格" : "✘ FAIL");
      break;
    case Verdict::error:
      head = st("1;31", zh ? "✘ 错误" : "✘ ERROR");
      break;
  }
  std::ostream& o = std::cout;
  o << head << "  " << st("1", r.input) << "  [" << r.profile;
  if (r.image) {
    if (!r.image->format.empty()) o << ", " << r.image->format;
    if (r.image->width > 0) o << ", " << r.image->width << "×" << r.image->height;
    if (r.image->bytes > 0) o << ", " << size_text(r.image->bytes);
    if (r.image->dpi) o << ", " << num(r.image->dpi->first) << " dpi";
  }
  o << "]\n";
  if (r.error) {
    // The error's message is English (the report has one); in Chinese output a line in Chinese says
    // what kind of error it is first.
    const std::string code(error_code_name(r.error->code));
    if (zh) o << "    " << st("31", error_zh(r.error->code) + "（" + code + "）") << "：" << r.error->message << "\n";
    else o << "    " << st("31", code) << ": " << r.error->message << "\n";
  }
  for (const Finding& f : r.findings) {
    std::string mark;
    switch (f.status) {
      case Status::pass:
        mark = st("32", "✔");
        break;
      case Status::fail:
        mark = st("31", "✘");
        break;
      case Status::warn:
        mark = st("33", "!");
        break;
      case Status::not_assessed:
        mark = st("2", "?");
        break;
    }
    auto it = titles().find(f.id);
    std::string title = it != titles().end() ? pick(it->second, lang) : f.id;
    o << "  " << mark << " " << st("1", title) << (zh ? "：" : ": ") << pick(f.message, lang);
    std::string measured;
    if (f.value) {
      measured = with_unit(num(*f.value), f.unit, zh);
    } else if (f.value_text) {
      measured = zh ? value_text_zh(*f.value_text) : *f.value_text;
    }
    const std::string& msg = pick(f.message, lang);
    const bool msg_has_numbers = msg.find_first_of("0123456789") != std::string::npos;
    if (!msg_has_numbers && !contains_nocase(msg, measured) && (!measured.empty() || f.range)) {
      o << st("2", "  (" + std::string(zh ? "测得 " : "measured ") +
                       (measured.empty() ? std::string(zh ? "无" : "none") : measured) +
                       (f.range ? std::string(zh ? "；允许 " : "; allowed ") +
                                      range_text(*f.range, f.unit, zh)
                                : std::string()) +
                       ")");
    }
    o << "\n";
    if ((f.status == Status::fail || f.status == Status::warn) && !pick(f.hint, lang).empty()) {
      o << "      " << st("36", "→ " + pick(f.hint, lang)) << "\n";
    }
  }
}

}  // namespace idphoto::cli
