#include <algorithm>
#include <cctype>

#include "analysis/analysis.hpp"
#include "checks/finding_util.hpp"

namespace idphoto::checks {
namespace {

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

Finding run(const analysis::Analysis& a, const Params& p);

}  // namespace

extern const CheckDef check_file_format;
const CheckDef check_file_format{
    .id = "photo.file.format",
    .kind = "photo",
    .title_zh = "文件格式",
    .title_en = "File format",
    .clause = "The file is in an accepted format, detected from its content (CPTA tool: JPG only)",
    .fixable = true,
    .params = {{"allowed", ParamType::string_list, true, "accepted formats: jpeg, png, ..."}},
    .run = run,
    .unit = "format",
};

namespace {

Finding run(const analysis::Analysis& a, const Params& p) {
  Finding f = make_finding(check_file_format, "format");
  const std::string fmt = a.image().format;
  const auto allowed = p.strings("allowed");
  f.value_text = fmt;
  std::string list;
  for (const auto& s : allowed) list += (list.empty() ? "" : ", ") + upper(s);
  if (std::find(allowed.begin(), allowed.end(), fmt) != allowed.end()) {
    f.status = Status::pass;
    f.message = {"文件格式合格：" + upper(fmt), "File format OK: " + upper(fmt)};
    return f;
  }
  f.status = Status::fail;
  f.message = {"文件格式不符：检测到 " + upper(fmt) + "，应为 " + list,
               "Wrong file format: the file is " + upper(fmt) + "; allowed " + list};
  f.hint = {"请将照片另存为 " + list + " 格式（不要只改扩展名）",
            "Save the photo as " + list + " (renaming the file is not enough)"};
  apply_severity(f, p);
  return f;
}

}  // namespace
}  // namespace idphoto::checks
