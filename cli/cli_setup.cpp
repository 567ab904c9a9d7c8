// Set-up shared by the subcommands: --profile resolution with its kind, the engine, --models,
// and writing outputs safely.
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.hpp"

namespace idphoto::cli {

namespace fs = std::filesystem;

std::optional<Profile> resolve_profile(std::string_view cmd, const std::string& given,
                                       const std::string& kind, std::string_view wrong_kind_hint) {
  const std::string pid = given.empty() ? Profile::default_id(kind) : given;
  auto p = Profile::resolve(pid);
  if (!p) {
    std::cerr << "idphoto " << cmd << ": bad profile '" << pid << "': " << p.error().message << "\n";
    return std::nullopt;
  }
  if (p->kind() != kind) {
    std::cerr << "idphoto " << cmd << ": profile '" << p->id() << "' is a " << p->kind() << " profile; "
              << wrong_kind_hint << "\n";
    return std::nullopt;
  }
  return std::move(*p);
}

std::optional<Engine> create_engine(std::string_view cmd, const std::string& models, int threads) {
  EngineOptions opts;
  opts.model_dir = models;
  opts.threads = threads;
  auto engine = Engine::create(opts);
  if (!engine) {
    std::cerr << "idphoto " << cmd << ": " << engine.error().message << "\n";
    return std::nullopt;
  }
  return std::move(*engine);
}

void add_models_option(CLI::App& app, std::string& models) {
  app.add_option("--models", models,
                 "Directory holding shape_predictor_68_face_landmarks.dat (default $IDPHOTO_MODEL_DIR, "
                 "else /usr/share/dlib). Its fast-loading compact copy is kept in $IDPHOTO_CACHE_DIR, else "
                 "~/.cache/idphoto (docs/models.md)");
}

bool same_file(const std::string& a, const std::string& b) {
  std::error_code ec;
  if (fs::exists(b, ec) && fs::equivalent(a, b, ec)) return true;
  return fs::weakly_canonical(a, ec) == fs::weakly_canonical(b, ec);
}

std::string format_for_output_name(const std::string& out) {
  std::string ext = fs::path(out).extension().string();
  for (char& ch : ext) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (ext == ".png") return "png";
  if (ext == ".jpg" || ext == ".jpeg") return "jpeg";
  return "";
}

bool output_allowed(const std::string& command, const std::string& input, const std::string& out,
                    const std::string& what) {
  if (out == "-") {  // standard output: the main output only (the report then goes to standard error)
    if (what == "output") return true;
    std::cerr << "idphoto " << command << ": the " << what << " cannot be standard output ('-'); name a file\n";
    return false;
  }
  if (out.empty() || !same_file(input, out)) return true;
  std::cerr << "idphoto " << command << ": the " << what << " '" << out << "' is the input; " << command
            << " never overwrites its input\n";
  return false;
}

InputFile read_input_file(const std::string& path, std::uint64_t max_bytes, bool regular_only) {
  InputFile f;
  const auto fail = [&](ErrorCode code, std::string msg) {
    f.bytes.clear();
    f.error = Error{code, std::move(msg)};
    return std::move(f);
  };
  const bool std_in = path == "-" && !regular_only;
  struct stat st{};
  if (std_in ? ::fstat(STDIN_FILENO, &st) != 0 : ::stat(path.c_str(), &st) != 0) {
    const int err = errno;
    std::string why = err == ENOENT ? "no such file" : std::strerror(err);
    struct stat lst{};
    if (err == ENOENT && ::lstat(path.c_str(), &lst) == 0 && S_ISLNK(lst.st_mode)) {
      std::error_code ec;
      const fs::path target = fs::read_symlink(path, ec);
      why = "it is a symbolic link to a missing file" + (ec ? std::string() : " ('" + target.string() + "')");
    }
    return fail(ErrorCode::io_error, "cannot read '" + path + "': " + why);
  }
  if (S_ISDIR(st.st_mode)) return fail(ErrorCode::io_error, "cannot read '" + path + "': it is a directory");
  f.regular = S_ISREG(st.st_mode);
  if (!f.regular && regular_only) return fail(ErrorCode::io_error, "cannot read '" + path + "': not a regular file");
  if (f.regular) {
    f.size = static_cast<std::uint64_t>(st.st_size);
    f.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    if (max_bytes > 0 && f.size > max_bytes)
      return fail(ErrorCode::limit_exceeded, "'" + path + "' is " + std::to_string(f.size) + " bytes; the limit is " +
                                                 std::to_string(max_bytes) + " bytes");
  }
  const int fd = std_in ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail(ErrorCode::io_error, "cannot read '" + path + "': permission denied or unreadable");
  // A regular file in one read of its size (+1 to see the end); a pipe in growing blocks, up to the limit.
  std::size_t cap = f.regular ? static_cast<std::size_t>(f.size) + 1 : std::size_t{1} << 16;
  std::size_t got = 0;
  bool read_error = false;
  for (;;) {
    if (got == cap) cap *= 2;
    if (max_bytes > 0) cap = std::min<std::size_t>(cap, static_cast<std::size_t>(max_bytes) + 1);
    f.bytes.resize(cap);
    const ssize_t n = ::read(fd, f.bytes.data() + got, cap - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      read_error = true;
      break;
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
    if (max_bytes > 0 && got > max_bytes) break;
  }
  if (!std_in) ::close(fd);
  f.bytes.resize(got);
  if (read_error) return fail(ErrorCode::io_error, "error while reading '" + path + "'");
  if (max_bytes > 0 && got > max_bytes)
    return fail(ErrorCode::limit_exceeded,
                "'" + path + "' holds more than " + std::to_string(max_bytes) + " bytes; that is the limit");
  return f;
}

Report error_report(const std::string& input, const std::string& profile, const std::string& kind, Error e) {
  Report r;
  r.input = input;
  r.profile = profile;
  r.kind = kind;
  r.error = std::move(e);
  return r;
}

ReportsToStderr::ReportsToStderr(bool on) {
  if (on) saved_ = std::cout.rdbuf(std::cerr.rdbuf());
}

ReportsToStderr::~ReportsToStderr() {
  if (saved_) std::cout.rdbuf(saved_);
}

bool write_atomically(const std::string& path, const std::vector<std::uint8_t>& bytes, std::string& err) {
  if (path == "-") {  // standard output: written whole, or an error (a closed pipe ends the process)
    std::cout.flush();
    for (std::size_t done = 0; done < bytes.size();) {
      const ssize_t n = ::write(STDOUT_FILENO, bytes.data() + done, bytes.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        err = std::string("cannot write to standard output: ") + std::strerror(errno);
        return false;
      }
      done += static_cast<std::size_t>(n);
    }
    return true;
  }
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

}  // namespace idphoto::cli
