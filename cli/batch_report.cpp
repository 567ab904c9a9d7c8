#include "batch_report.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include <sys/stat.h>

#include <nlohmann/json.hpp>

namespace idphoto::cli {

namespace fs = std::filesystem;

FileStamp file_stamp(const std::string& path) {
  FileStamp s;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return s;
  s.size = static_cast<std::uint64_t>(st.st_size);
  s.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
  s.ok = true;
  return s;
}

std::uint64_t shard_of(const std::string& key, std::uint64_t count) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : key) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return count ? h % count : 0;
}

ReportFormat report_format_for(const std::string& path) {
  std::string e = fs::path(path).extension().string();
  for (char& c : e) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (e == ".jsonl") return ReportFormat::jsonl;
  if (e == ".csv") return ReportFormat::csv;
  return ReportFormat::none;
}

namespace {

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string o = "\"";
  for (char c : s) {
    if (c == '"') o += '"';
    o += c;
  }
  return o + "\"";
}

// Splits CSV text into records (raw text without the line end) and each record's first field.
std::vector<std::pair<std::string, std::string>> csv_records(const std::string& text,
                                                             bool& torn_tail) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t start = 0;
  bool quoted = false, first_done = false;
  std::string first;
  torn_tail = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          if (!first_done) first += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else if (!first_done) {
        first += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      first_done = true;
    } else if (c == '\n') {
      std::size_t end = i;
      if (end > start && text[end - 1] == '\r') --end;
      out.emplace_back(text.substr(start, end - start), first);
      start = i + 1;
      first.clear();
      first_done = false;
    } else if (!first_done && c != '\r') {
      first += c;
    }
  }
  if (start < text.size()) torn_tail = true;  // no final newline: a line cut short
  return out;
}

std::string read_all(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

std::string index_path(const std::string& report) { return report + ".state"; }

// An index line. File names are bytes, not always UTF-8 (a Latin-1 name copied from an old archive): a
// name JSON cannot hold as a string is kept as "path_hex", so --resume still finds that very file.
std::string index_line(const std::string& input, const FileStamp& stamp) {
  nlohmann::json j = {{"path", input}, {"size", stamp.size}, {"mtime_ns", stamp.mtime_ns}};
  try {
    return j.dump();
  } catch (const nlohmann::json::type_error&) {  // invalid UTF-8
    static const char* hex = "0123456789abcdef";
    std::string h;
    for (const unsigned char c : input) h += {hex[c >> 4], hex[c & 15]};
    j.erase("path");
    j["path_hex"] = h;
    return j.dump();
  }
}

// The path of an index line (either form); throws on a malformed line.
std::string index_entry_path(const nlohmann::json& j) {
  if (!j.contains("path_hex")) return j.at("path").get<std::string>();
  const std::string h = j.at("path_hex").get<std::string>();
  if (h.size() % 2 != 0) throw std::runtime_error("odd hex");
  std::string p;
  for (std::size_t i = 0; i < h.size(); i += 2) p += static_cast<char>(std::stoi(h.substr(i, 2), nullptr, 16));
  return p;
}

}  // namespace

std::string csv_row(const Report& r, double ms) {
  std::string ids, first;
  for (const Finding& f : r.findings) {
    if (f.status != Status::fail) continue;
    if (!ids.empty()) ids += ';';
    ids += f.id;
    if (first.empty()) first = f.message.en;
  }
  if (r.error) first = r.error->message;
  char msbuf[32];
  std::snprintf(msbuf, sizeof msbuf, "%.2f", ms);
  std::string row = csv_field(r.input) + "," + std::string(verdict_name(r.verdict())) + "," +
                    csv_field(ids) + "," + csv_field(first) + ",";
  if (r.image && r.image->width > 0) {
    row += std::to_string(r.image->width) + "," + std::to_string(r.image->height);
  } else {
    row += ",";
  }
  row += ",";
  if (r.image && r.image->bytes > 0) row += std::to_string(r.image->bytes);
  row += std::string(",") + msbuf;
  return row;
}

std::unique_ptr<ReportWriter> ReportWriter::open(const std::string& path, ReportFormat fmt,
                                                 bool resume, std::unordered_set<std::string>& done,
                                                 std::string& err) {
  std::unique_ptr<ReportWriter> w(new ReportWriter());
  w->fmt_ = fmt;
  std::vector<std::string> keep_lines;
  std::vector<std::string> keep_index;
  std::error_code ec;
  if (resume && fs::exists(path, ec)) {
    // Index entries that still match the file on disk; the last entry of a path wins.
    std::unordered_map<std::string, std::string> valid;  // path -> index line
    {
      std::ifstream in(index_path(path));
      std::string line;
      while (std::getline(in, line)) {
        try {
          const auto j = nlohmann::json::parse(line);
          const std::string p = index_entry_path(j);
          const FileStamp now = file_stamp(p);
          if (now.ok && now.size == j.at("size").get<std::uint64_t>() &&
              now.mtime_ns == j.at("mtime_ns").get<std::int64_t>()) {
            valid[p] = line;
          } else {
            valid.erase(p);
          }
        } catch (...) {
        }
      }
    }
    // Report records of valid inputs; the last record of an input wins.
    std::vector<std::pair<std::string, std::string>> records;  // (input, raw)
    const std::string text = read_all(path);
    if (fmt == ReportFormat::jsonl) {
      std::istringstream in(text);
      std::string line;
      while (std::getline(in, line)) {
        if (in.eof() && !text.empty() && text.back() != '\n') break;  // torn last line
        try {
          const auto j = nlohmann::json::parse(line);
          records.emplace_back(j.at("input").get<std::string>(), line);
        } catch (...) {
        }
      }
    } else {
      bool torn = false;
      auto recs = csv_records(text, torn);
      for (std::size_t i = 0; i < recs.size(); ++i) {
        if (i == 0 && recs[i].first == "input") continue;  // header
        records.emplace_back(recs[i].second, recs[i].first);
      }
    }
    std::unordered_map<std::string, std::size_t> last;
    for (std::size_t i = 0; i < records.size(); ++i) last[records[i].first] = i;
    for (std::size_t i = 0; i < records.size(); ++i) {
      const std::string& in = records[i].first;
      auto v = valid.find(in);
      if (last[in] != i || v == valid.end()) continue;
      keep_lines.push_back(records[i].second);
      keep_index.push_back(v->second);
      done.insert(in);
    }
  }
  // Rewrite (or create) both files, then append from here on.
  const std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) {
    err = "cannot write the report '" + path + "'";
    return nullptr;
  }
  bool ok = true;
  if (fmt == ReportFormat::csv) ok = std::fprintf(f, "%s\n", kCsvHeader) > 0;
  for (const auto& l : keep_lines) ok = ok && std::fprintf(f, "%s\n", l.c_str()) >= 0;
  ok = std::fclose(f) == 0 && ok;
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    err = "cannot write the report '" + path + "'";
    return nullptr;
  }
  std::FILE* g = std::fopen(index_path(path).c_str(), "wb");
  if (!g) {
    err = "cannot write the report index '" + index_path(path) + "'";
    return nullptr;
  }
  for (const auto& l : keep_index) std::fprintf(g, "%s\n", l.c_str());
  std::fflush(g);
  w->index_ = g;
  w->report_ = std::fopen(path.c_str(), "ab");
  if (!w->report_) {
    err = "cannot write the report '" + path + "'";
    return nullptr;
  }
  return w;
}

ReportWriter::~ReportWriter() { close(); }

bool ReportWriter::append(const std::string& input, const FileStamp& stamp, const Report& r,
                          double ms) {
  if (!report_ || !index_) return false;
  const std::string line = fmt_ == ReportFormat::jsonl ? r.to_json() : csv_row(r, ms);
  if (std::fprintf(report_, "%s\n", line.c_str()) < 0 || std::fflush(report_) != 0) return false;
  if (stamp.ok) {
    if (std::fprintf(index_, "%s\n", index_line(input, stamp).c_str()) < 0 || std::fflush(index_) != 0)
      return false;
  }
  return true;
}

bool ReportWriter::close() {
  bool ok = true;
  if (report_) ok = std::fclose(report_) == 0 && ok;
  if (index_) ok = std::fclose(index_) == 0 && ok;
  report_ = index_ = nullptr;
  return ok;
}

}  // namespace idphoto::cli
