// Set-up shared by the subcommands: --profile resolution with its kind, the engine, --models,
// and writing outputs safely.
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

std::optional<Engine> create_engine(std::string_view cmd, const std::string& models) {
  EngineOptions opts;
  opts.model_dir = models;
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

bool read_all(std::istream& in, std::vector<std::uint8_t>& out) {
  std::size_t want = 1 << 16;
  const auto here = in.tellg();
  if (here != std::streampos(-1) && in.seekg(0, std::ios::end)) {
    const auto end = in.tellg();
    if (end != std::streampos(-1) && end > here) want = static_cast<std::size_t>(end - here) + 1;  // +1: sees EOF
    in.seekg(here);
  }
  in.clear(in.rdstate() & ~std::ios::failbit);
  out.resize(want);
  std::size_t n = 0;
  for (;;) {
    if (n == out.size()) out.resize(out.size() * 2);
    in.read(reinterpret_cast<char*>(out.data() + n), static_cast<std::streamsize>(out.size() - n));
    n += static_cast<std::size_t>(in.gcount());
    if (!in) break;
  }
  out.resize(n);
  return !in.bad();
}

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

}  // namespace idphoto::cli
