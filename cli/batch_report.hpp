// Pieces of `idphoto batch`: inputs, shards and the resumable report (docs/batch.md).
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <unordered_set>

#include "idphoto/idphoto.hpp"

namespace idphoto::cli {

struct BatchItem {
  std::string path;  // as opened and written in the report's "input"
  std::string key;   // path relative to its input root (folder) or as listed; the shard hash key
};

struct FileStamp {
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  bool ok = false;
};
FileStamp file_stamp(const std::string& path);

// FNV-1a 64 of the key, modulo count: stable across machines, runs and library versions.
std::uint64_t shard_of(const std::string& key, std::uint64_t count);

enum class ReportFormat { none, jsonl, csv };
ReportFormat report_format_for(const std::string& path);

// CSV columns (docs/batch.md).
inline constexpr const char* kCsvHeader =
    "input,verdict,failed_ids,first_failure_message,width,height,bytes,ms";
std::string csv_row(const Report& r, double ms);

// Writes one line per finished input and flushes it, plus a sidecar index `<report>.state` (one JSON
// object per line: path, size, mtime_ns) that --resume reads. Not thread-safe: callers serialise.
class ReportWriter {
 public:
  // resume: keeps the report lines of inputs whose index entry still matches the file on disk (same
  // size and mtime), drops the rest (changed files, torn last lines), fills done with their paths.
  static std::unique_ptr<ReportWriter> open(const std::string& path, ReportFormat fmt, bool resume,
                                            std::unordered_set<std::string>& done, std::string& err);
  ~ReportWriter();
  bool append(const std::string& input, const FileStamp& stamp, const Report& r, double ms);
  bool close();

 private:
  ReportWriter() = default;
  ReportFormat fmt_ = ReportFormat::none;
  std::FILE* report_ = nullptr;
  std::FILE* index_ = nullptr;
};

}  // namespace idphoto::cli
