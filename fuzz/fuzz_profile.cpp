// libFuzzer target: Profile::from_json on arbitrary text (size/depth pre-scan, validation, extends).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "idphoto/idphoto.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto p = idphoto::Profile::from_json(
      std::string_view(reinterpret_cast<const char*>(data), size));
  if (p) (void)p->to_json();
  return 0;
}
