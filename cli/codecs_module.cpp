// idphoto-codecs.so: OpenCV's imgcodecs behind one extern "C" entry point (codecs_abi.hpp). The CLI
// loads it with dlopen only when it needs a codec the core lacks, so that linking imgcodecs (GDAL and
// ~140 shared libraries on Debian) does not slow every start. No exception leaves this file.
#include <climits>
#include <iostream>
#include <mutex>
#include <sstream>
#include <cstdio>
#include <exception>
#include <string>

#include <opencv2/imgcodecs.hpp>

#include "codecs_abi.hpp"

namespace {

using idphoto::cli::CodecsTable;

void set_error(char* err, std::size_t err_size, const std::string& msg) {
  if (err && err_size > 0) std::snprintf(err, err_size, "%s", msg.c_str());
}

// Runs f, turning any exception into false plus its message. A plain failure (OpenCV returned
// false or an empty image) leaves err empty: the caller knows what it was doing.
template <class F>
bool guarded(char* err, std::size_t err_size, F&& f) {
  set_error(err, err_size, "");
  try {
    return f();
  } catch (const cv::Exception& e) {
    set_error(err, err_size, e.what());
  } catch (const std::exception& e) {
    set_error(err, err_size, e.what());
  } catch (...) {
    set_error(err, err_size, "unknown error in the codec module");
  }
  return false;
}

// OpenCV 4.6's imdecode/imwrite print a failure's details to std::cerr themselves before returning an
// empty result; the CLI reports the failure in its own words, so that print is swallowed. std::cerr is
// one object for the process, so the calls that swap its buffer take turns: when two `batch` workers
// decoded BMPs at once, the second saved the first's sink as "the" buffer and put it back after the sink
// was gone, and the process crashed at exit flushing std::cerr. (batch draws its progress line with
// stdio, so no line of its own lands in a sink.)
std::mutex& cerr_mutex() {
  static std::mutex m;
  return m;
}
struct QuietCerr {
  std::lock_guard<std::mutex> turn{cerr_mutex()};
  std::ostringstream sink;
  std::streambuf* saved = std::cerr.rdbuf(sink.rdbuf());
  ~QuietCerr() { std::cerr.rdbuf(saved); }
};

bool do_decode(const std::uint8_t* data, std::size_t size, int flags, cv::Mat* out, char* err,
            std::size_t err_size) {
  const QuietCerr quiet;
  return guarded(err, err_size, [&] {
    if (!data || size == 0 || !out) {
      set_error(err, err_size, "no bytes to decode");
      return false;
    }
    if (size > static_cast<std::size_t>(INT_MAX)) {
      set_error(err, err_size, "too large to decode");
      return false;
    }
    const cv::Mat buf(1, static_cast<int>(size), CV_8UC1, const_cast<std::uint8_t*>(data));
    *out = cv::imdecode(buf, flags);
    return !out->empty();
  });
}

bool do_encode(const char* ext, const cv::Mat* img, std::vector<std::uint8_t>* out, char* err,
            std::size_t err_size) {
  return guarded(err, err_size, [&] {
    if (!ext || !img || !out || img->empty()) {
      set_error(err, err_size, "nothing to encode");
      return false;
    }
    return cv::imencode(ext, *img, *out);
  });
}

bool do_write(const char* path, const cv::Mat* img, char* err, std::size_t err_size) {
  const QuietCerr quiet;
  return guarded(err, err_size, [&] {
    if (!path || !img || img->empty()) {
      set_error(err, err_size, "nothing to write");
      return false;
    }
    return cv::imwrite(path, *img);
  });
}

const CodecsTable kTable{idphoto::cli::kCodecsAbiVersion, sizeof(CodecsTable), do_decode, do_encode, do_write};

}  // namespace

// The only exported symbol (the target is built with hidden visibility).
extern "C" __attribute__((visibility("default"))) const CodecsTable* idphoto_codecs_table() {
  return &kTable;
}
