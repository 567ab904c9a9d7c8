// Text for OpenCV's Hershey fonts, which draw ASCII only (the contact sheet of `batch --sheet`).
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace idphoto::cli {

// The typographic characters of the report's English messages folded to ASCII look-alikes ("–" "-",
// "×" "x", "°" " deg", "ΔE" "dE", ...); any other non-ASCII character — one UTF-8 sequence, or one
// stray byte — becomes a single '?'. At most max_chars characters are kept.
inline std::string ascii_fold(std::string_view s, std::size_t max_chars = std::string::npos) {
  static const std::pair<std::string_view, std::string_view> kFold[] = {
      {"\u2013", "-"},  {"\u2014", "-"},   {"\u00d7", "x"},  {"\u00b0", " deg"}, {"\u0394", "d"},
      {"\u00b1", "+/-"}, {"\u2264", "<="}, {"\u2265", ">="}, {"\u2019", "'"},    {"\u2018", "'"},
      {"\u201c", "\""}, {"\u201d", "\""},  {"\u2026", "..."}, {"\u00b2", "2"},   {"\u00b5", "u"},
      {"\u2192", "->"}, {"\u00b7", "."},   {"\u00a0", " "}};
  std::string out;
  std::size_t i = 0;
  while (i < s.size() && out.size() < max_chars) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 32 && c < 127) {
      out.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    if (c < 0x80) {  // control characters
      out.push_back(' ');
      ++i;
      continue;
    }
    std::size_t len = c >= 0xF0 && c < 0xF8 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (i + len > s.size()) len = 1;
    for (std::size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) len = 1;
    std::string_view with = "?";
    for (const auto& [from, to] : kFold)
      if (s.substr(i, len) == from) with = to;
    out.append(with);
    i += len;
  }
  if (out.size() > max_chars) out.resize(max_chars);
  return out;
}

// Greedy word wrap into at most max_lines lines, each one that fits(line) accepts (the sheet measures
// pixels; a word too long for a line is cut); when text is left over, the last line ends in "...".
template <class Fits>
std::vector<std::string> wrap_to_fit(std::string_view text, std::size_t max_lines, Fits&& fits) {
  std::vector<std::string> words;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t end = std::min(text.find(' ', i), text.size());
    if (end > i) words.emplace_back(text.substr(i, end - i));
    i = end + 1;
  }
  std::vector<std::string> lines;
  std::size_t w = 0;
  while (w < words.size() && lines.size() < max_lines) {
    std::string line = words[w];
    if (!fits(line)) {  // cut a word that no line holds; the rest of it starts the next line
      std::size_t n = line.size();
      while (n > 1 && !fits(line.substr(0, n))) --n;
      words[w] = line.substr(n);
      lines.push_back(line.substr(0, n));
      continue;
    }
    ++w;
    while (w < words.size() && fits(line + " " + words[w])) line += " " + words[w++];
    lines.push_back(std::move(line));
  }
  if (w < words.size() && !lines.empty()) {
    std::string& last = lines.back();
    while (!last.empty() && !fits(last + "...")) last.pop_back();
    while (!last.empty() && last.back() == ' ') last.pop_back();
    last += "...";
  }
  return lines;
}

// The same with a limit in characters.
inline std::vector<std::string> wrap_lines(std::string_view text, std::size_t width, std::size_t max_lines) {
  return wrap_to_fit(text, max_lines, [width](const std::string& l) { return l.size() <= width; });
}

}  // namespace idphoto::cli
