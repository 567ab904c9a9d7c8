// Shared by the end-to-end tests: one engine per process, and helpers on reports.
#pragma once

#include <filesystem>
#include <set>
#include <string>

#include "idphoto/idphoto.hpp"

namespace idphoto::test {

const Engine& engine();
Report check_file(const std::filesystem::path& p, const std::string& profile = "cn-1inch");
Report check_bytes(const std::vector<std::uint8_t>& bytes, const std::string& profile = "cn-1inch");
std::set<std::string> failed_ids(const Report& r);
std::string describe(const Report& r);  // one line per finding, for failure messages

}  // namespace idphoto::test
