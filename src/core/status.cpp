#include "idphoto/idphoto.hpp"

namespace idphoto {

std::string_view error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::ok: return "ok";
    case ErrorCode::unreadable: return "unreadable";
    case ErrorCode::unsupported_format: return "unsupported_format";
    case ErrorCode::limit_exceeded: return "limit_exceeded";
    case ErrorCode::bad_profile: return "bad_profile";
    case ErrorCode::model_missing: return "model_missing";
    case ErrorCode::model_corrupt: return "model_corrupt";
    case ErrorCode::invalid_argument: return "invalid_argument";
    case ErrorCode::internal: return "internal";
    case ErrorCode::io_error: return "io_error";
  }
  return "internal";
}

std::string_view status_name(Status s) {
  switch (s) {
    case Status::pass: return "pass";
    case Status::fail: return "fail";
    case Status::warn: return "warn";
    case Status::not_assessed: return "not_assessed";
  }
  return "not_assessed";
}

std::string_view verdict_name(Verdict v) {
  switch (v) {
    case Verdict::pass: return "pass";
    case Verdict::fail: return "fail";
    case Verdict::error: return "error";
  }
  return "error";
}

}  // namespace idphoto
