// `dibco_eval [DIBCO_DIR]`: F-measure and PSNR of the signature binarization on DIBCO 2009, 2010 and
// 2014 next to plain Sauvola (window 25, k 0.2), as Markdown (docs/accuracy.md).
#include <cstdio>
#include <filesystem>

#include "dibco_metrics.hpp"

int main(int argc, char** argv) {
  const std::filesystem::path dir =
      argc > 1 ? std::filesystem::path(argv[1])
               : std::filesystem::path(IDPHOTO_SHARED_DATA_DIR) / "dibco";
  if (!std::filesystem::exists(dir / "2009")) {
    std::fprintf(stderr, "dibco_eval: no DIBCO data at %s\n", dir.string().c_str());
    return 2;
  }
  const auto pages = idphoto::test::evaluate_dibco(dir, {"2009", "2010", "2014"});
  std::fputs(idphoto::test::dibco_markdown(pages).c_str(), stdout);
  return pages.empty() ? 1 : 0;
}
