// idphoto public C++ API. No OpenCV or dlib type appears here (DESIGN.md rule 5).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "idphoto/version.hpp"

// The library is built with hidden visibility; everything declared here is its exported C++ API.
#pragma GCC visibility push(default)
namespace idphoto {

// Error codes; names (error_code_name) are the report JSON's "error.code" values. Append only.
enum class ErrorCode {
  ok = 0,
  unreadable,          // truncated, corrupt or empty input
  unsupported_format,  // a format the core does not decode (HEIC, text, ...)
  limit_exceeded,      // bytes, pixels or dimensions beyond the engine's limits
  bad_profile,         // profile JSON invalid or unknown id
  model_missing,       // landmark model file absent
  model_corrupt,       // landmark model file present but unreadable
  invalid_argument,
  internal,
  io_error,            // reading or writing a file failed
};
std::string_view error_code_name(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string message;
};

// A value or an Error. Never throws on access misuse: value() on an error is a programming error (assert).
template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const Error& error() const { return std::get<1>(v_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Error> v_;
};

// Decoder limits, enforced from the header before any large allocation (CONTRACTS.md, Limits).
struct Limits {
  std::uint64_t max_bytes = 100ull * 1000 * 1000;   // input file size
  std::uint64_t max_pixels = 200ull * 1000 * 1000;  // width * height
  std::uint32_t max_dimension = 65500;              // either side
  std::uint32_t max_jpeg_scans = 100;               // progressive scans; more is refused
  double time_cap_ms = 10000;                       // per image; 0 = none
};

struct EngineOptions {
  std::string model_dir;  // empty: $IDPHOTO_MODEL_DIR, else /usr/share/dlib
  Limits limits;
  // Threads one call may use: 1 (default) runs everything on the caller's thread (the WASM path);
  // 2 or more adds a helper thread that converts the photo to CIELAB and scans every other pyramid level
  // of the face search, and in fix judges the source while the caller's thread crops, renders and encodes.
  // Results are the same. Batch callers that run one call per core keep 1.
  int threads = 1;
};

// Text in both report languages.
struct LocalText {
  std::string zh;  // zh-CN
  std::string en;
};

enum class Status { pass, fail, warn, not_assessed };
std::string_view status_name(Status s);

enum class Verdict { pass, fail, error };
std::string_view verdict_name(Verdict v);

// An inclusive range; either end may be open.
struct Range {
  std::optional<double> lo;
  std::optional<double> hi;
  bool contains(double v) const { return (!lo || v >= *lo) && (!hi || v <= *hi); }
};

struct Finding {
  std::string id;
  Status status = Status::not_assessed;
  std::optional<double> value;            // numeric measurement, or
  std::optional<std::string> value_text;  // a textual one (e.g. a format name); both empty: null
  std::string unit;
  std::optional<Range> range;
  LocalText message;
  LocalText hint;
  bool fixable = false;
};

struct ImageInfo {
  std::string format;  // "jpeg", "png", ...
  int width = 0;       // after EXIF orientation
  int height = 0;
  std::uint64_t bytes = 0;
  std::optional<std::pair<double, double>> dpi;  // none: no density information
};

struct Report {
  std::string input;
  std::string profile;
  std::string kind = "photo";  // "photo" | "signature"
  std::optional<Error> error;  // set: verdict is error
  std::optional<ImageInfo> image;
  std::vector<Finding> findings;
  std::vector<std::pair<std::string, double>> timing_ms;

  Verdict verdict() const;  // derived: error > any fail > pass
  const Finding* find(std::string_view id) const;
  std::string to_json() const;  // CONTRACTS.md schema_version 1, one line
};

struct ProfileData;  // internal

// A photo or signature specification. Cheap to copy; immutable.
class Profile {
 public:
  static Result<Profile> builtin(std::string_view id);
  static Result<Profile> from_json(std::string_view json_text);
  // id or path: a known id, else a file path ending in .json.
  static Result<Profile> resolve(std::string_view id_or_path);
  static std::vector<std::string> builtin_ids();
  static std::string default_id(std::string_view kind);  // "cn-1inch" | "cn-signature"

  const std::string& id() const;
  const std::string& kind() const;  // "photo" | "signature"
  const LocalText& title() const;
  std::string to_json() const;  // the merged (extends resolved) profile, pretty
  const ProfileData& data() const { return *d_; }

 private:
  explicit Profile(std::shared_ptr<const ProfileData> d) : d_(std::move(d)) {}
  std::shared_ptr<const ProfileData> d_;
};

struct CheckInfo {
  std::string id;
  std::string kind;  // "photo" | "signature"
  LocalText title;
  std::string clause;  // the rule it enforces and where it comes from
};
std::vector<CheckInfo> list_checks();

// Where the photo audit looked, for drawing an annotated picture. Full-size px of the image as
// oriented (width × height); y grows downwards.
struct PhotoOverlay {
  struct Region {
    std::string name;  // "face", "eye_left", "eye_right", "cheek_left", "cheek_right", "mouth", "clothing", "forehead"
    int x = 0, y = 0, w = 0, h = 0;
  };
  int width = 0;
  int height = 0;
  std::vector<std::pair<float, float>> landmarks;  // 68 points (iBUG order); empty when no face
  std::optional<std::pair<double, double>> left_eye, right_eye;  // eye centres
  std::optional<double> crown_y;  // top of the head; none when not found
  std::optional<double> chin_y;
  std::vector<std::vector<std::pair<int, int>>> background_outline;  // contours of the background mask
  std::vector<Region> regions;

  // The landmarks, head lines, background mask outline and measured regions that check_photo judges
  // (same decode, models and analysis), for `check --annotate`. Errors as check_photo's report.error.
  static Result<PhotoOverlay> of(const class Engine& engine, std::span<const std::uint8_t> bytes);
};

struct ModelInfo {
  std::string name;
  std::string path;
  std::uint64_t bytes = 0;
  std::string licence;
  std::string provided_by;  // Debian package
};

// `fix`: options and result (CONTRACTS.md: fix --json adds "output", "before", "after").
struct FixOptions {
  std::string background = "keep";  // keep | white | blue | red | #rrggbb (names per the profile)
  std::string output_name;           // echoed as "output" in the JSON; empty: null
  std::string format;                // "jpeg" | "png"; empty: the profile's (JPEG unless it allows only PNG)
};

struct FixResult {
  std::vector<std::uint8_t> output;  // the encoded photo; empty when refused or when it does not pass
  std::string output_format;         // "jpeg" | "png"
  Report before;                     // the source as judged (a scaled decode may be used)
  std::optional<Report> after;       // the output re-checked by the same engine; none when refused
  bool refused = false;              // no fix was attempted or none repairs what fails
  std::vector<Finding> refusal;      // why, by check id (status fail, fixable false)
  std::vector<LocalText> changes;    // what the fix did, in order
  bool background_replaced = false;
  std::vector<std::pair<std::string, double>> timing_ms;

  Verdict verdict() const;  // pass only when an output exists and its re-check passes
  bool passed() const { return verdict() == Verdict::pass; }
  std::string to_json() const;  // the report shape plus "output", "before", "after", "fix"
};

// Signature cleaning (CONTRACTS.md: `idphoto signature clean`).
struct SignatureOptions {
  std::optional<int> rotate;  // clockwise quarter turn 0|90|180|270 forced; none: detected
  bool transparent = false;   // PNG output with transparent paper (when the profile allows PNG)
  std::string format;         // "jpeg" | "png"; empty: JPEG when the profile allows it, else its first
                              // format (PNG when transparent). A format or transparency the profile
                              // does not allow is invalid_argument, found before any decoding.
  bool annotate = false;      // also draw the ink box, removed lines and the placement (PNG)
  bool deskew = false;        // straighten a baseline tilted by 1°..14.5° (projection profile)
};

struct SignatureResult {
  Report before;                     // the input as uploaded (kind "signature")
  std::optional<Report> after;       // the cleaned output re-checked; none when nothing was made
  std::vector<std::uint8_t> output;  // encoded output; empty when it cannot be made
  std::string output_format;         // "jpeg" | "png"
  std::vector<std::uint8_t> annotation;  // PNG when options.annotate
  std::vector<LocalText> changes;    // what cleaning did (colour turned black, turned 90°, lines removed)
  std::vector<LocalText> warnings;   // e.g. 180° turn uncertain
  bool passed() const { return after && !output.empty() && after->verdict() == Verdict::pass; }
  std::string to_json() const;       // the report shape with "before", "after", "output", "changes"
};

struct EngineImpl;  // internal

// Loads models once; immutable and safe to share between threads.
class Engine {
 public:
  static Result<Engine> create(const EngineOptions& options = {});
  const EngineOptions& options() const;
  std::vector<ModelInfo> models() const;

  // Judges bytes as uploaded. input_name is echoed in the report only.
  Report check_photo(std::span<const std::uint8_t> bytes, const Profile& profile,
                     std::string_view input_name = "") const;

  // Crops, levels, resamples, optionally replaces the background and encodes bytes into a photo that
  // meets the profile, then re-checks it. Never throws; refusals and errors are in the result.
  FixResult fix_photo(std::span<const std::uint8_t> bytes, const Profile& profile,
                      const FixOptions& options = {}, std::string_view input_name = "") const;

  // Judges a signature image as uploaded against a signature profile (default cn-signature).
  Report check_signature(std::span<const std::uint8_t> bytes, const Profile& profile,
                         std::string_view input_name = "") const;
  // Turns a photographed or scanned signature into black ink on white, centred on the profile's
  // canvas, encoded per profile, then re-checks it. Never throws.
  SignatureResult clean_signature(std::span<const std::uint8_t> bytes, const Profile& profile,
                                  const SignatureOptions& options = {},
                                  std::string_view input_name = "") const;
  // The binarization step alone at the input's size: 8-bit grey PNG, ink 0, background 255.
  Result<std::vector<std::uint8_t>> binarize_signature(std::span<const std::uint8_t> bytes) const;

  const EngineImpl& impl() const { return *impl_; }

 private:
  explicit Engine(std::shared_ptr<const EngineImpl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const EngineImpl> impl_;
};

}  // namespace idphoto
#pragma GCC visibility pop
