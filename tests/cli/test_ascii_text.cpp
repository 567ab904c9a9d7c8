// The contact sheet's text (cli/ascii_text.hpp): OpenCV's Hershey fonts draw ASCII only.
#include <doctest/doctest.h>

#include "ascii_text.hpp"

using idphoto::cli::ascii_fold;
using idphoto::cli::wrap_lines;

TEST_CASE("report messages fold to ASCII look-alikes; anything else is one '?' per character") {
  // The sheet used to print "allowed 2???150 KB": one '?' per byte of the en dash.
  CHECK(ascii_fold("File too large: the file is 175.6 KB; allowed 2\u2013150 KB") ==
        "File too large: the file is 175.6 KB; allowed 2-150 KB");
  CHECK(ascii_fold("Wrong dimensions: 342\u00d7203 px") == "Wrong dimensions: 342x203 px");
  CHECK(ascii_fold("turned -8\u00b0 (allowed within \u00b110\u00b0)") == "turned -8 deg (allowed within +/-10 deg)");
  CHECK(ascii_fold("\u0394E 18.9") == "dE 18.9");
  CHECK(ascii_fold("\u5f20\u4e09.jpg") == "??.jpg");          // a Chinese file name: one '?' per character
  CHECK(ascii_fold("\xff\xfe" "a") == "??a");                 // stray bytes: one '?' each
  CHECK(ascii_fold("\xe2\x80") == "??");                      // a sequence cut short
  CHECK(ascii_fold("tab\there") == "tab here");
  CHECK(ascii_fold("abcdef", 3) == "abc");
  CHECK(ascii_fold("a\u00b0b", 3) == "a d");                  // the limit counts output characters
}

TEST_CASE("wrap_lines breaks at spaces, cuts long words and marks what is left out") {
  CHECK(wrap_lines("Wrong file format: the file is png; allowed jpeg", 26, 2) ==
        std::vector<std::string>{"Wrong file format: the", "file is png; allowed jpeg"});
  CHECK(wrap_lines("short", 26, 2) == std::vector<std::string>{"short"});
  CHECK(wrap_lines("", 26, 2).empty());
  CHECK(wrap_lines("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 26, 2) ==
        std::vector<std::string>{"aaaaaaaaaaaaaaaaaaaaaaaaaa", "aaaa"});
  // A measure other than characters (the sheet's pixels): here, at most 4 'm' or 8 of anything else.
  const auto narrow = [](const std::string& l) {
    std::size_t w = 0;
    for (char c : l) w += c == 'm' ? 2 : 1;
    return w <= 8;
  };
  CHECK(idphoto::cli::wrap_to_fit("mmmm ii mm", 3, narrow) == std::vector<std::string>{"mmmm", "ii mm"});
  const auto cut = wrap_lines("one two three four five six seven eight nine ten eleven twelve", 12, 2);
  REQUIRE(cut.size() == 2);
  CHECK(cut[0] == "one two");
  CHECK(cut[1] == "three fou...");
  for (const auto& l : cut) CHECK(l.size() <= 12);
}
