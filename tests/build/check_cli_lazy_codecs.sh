#!/usr/bin/env bash
# The CLI must not load OpenCV's imgcodecs at start-up (GDAL and ~140 libraries on Debian, ~120 ms):
# it reaches imgcodecs only through the module idphoto-codecs.so, loaded on first use (cli/codecs.hpp).
# Checks: no DT_NEEDED entry for libopencv_imgcodecs in `idphoto`; `idphoto --version` loads no
# imgcodecs, not even indirectly (LD_DEBUG=files); the module needs imgcodecs and exports its entry.
# Usage: check_cli_lazy_codecs.sh IDPHOTO_BINARY CODEC_MODULE
set -euo pipefail
cli="$1" module="$2"
needed=$(readelf -d "$cli" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
[ -n "$needed" ] || { echo "no DT_NEEDED entries read from $cli"; exit 1; }
echo "DT_NEEDED of $(basename "$cli"):"; printf '  %s\n' $needed
if printf '%s\n' "$needed" | grep -q '^libopencv_imgcodecs'; then
  echo "$(basename "$cli") links libopencv_imgcodecs: it must load it through $(basename "$module") only"
  exit 1
fi
loaded=$(LD_DEBUG=files "$cli" --version 2>&1 >/dev/null | sed -n 's/.*file=\([^ ]*\).*/\1/p' | sort -u)
[ -n "$loaded" ] || { echo "LD_DEBUG=files showed no loaded file"; exit 1; }
if printf '%s\n' "$loaded" | grep -q 'libopencv_imgcodecs'; then
  echo "'idphoto --version' loads libopencv_imgcodecs (through a dependency):"; printf '  %s\n' $loaded
  exit 1
fi
echo "'idphoto --version' loads $(printf '%s\n' "$loaded" | wc -l) files, none of them imgcodecs"
readelf -d "$module" | grep -q 'NEEDED.*libopencv_imgcodecs' ||
  { echo "$(basename "$module") does not link libopencv_imgcodecs"; exit 1; }
readelf --dyn-syms -W "$module" | grep -Eq 'FUNC +GLOBAL +DEFAULT +[0-9]+ +idphoto_codecs_table$' ||
  { echo "$(basename "$module") does not export idphoto_codecs_table"; exit 1; }
echo "ok"
