#!/usr/bin/env bash
# Installs the build into a temporary prefix, then builds samples/embed/embed_check.c against it
# twice — with pkg-config and with find_package(idphoto) — and runs both on the compliant sample; the
# Go sample (cgo, pkg-config) too when `go` is installed.
# Usage: installed_tree_test.sh BUILD_DIR SOURCE_DIR C_COMPILER
set -euo pipefail
trap 'echo "installed_tree_test: failed at line $LINENO" >&2' ERR
build=$1 src=$2 cc=$3
prefix=$(mktemp -d /tmp/idphoto-install.XXXXXX)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
libdir=$(dirname "$(find "$prefix" -name 'libidphoto.so.0' | head -n1)")
test -f "$prefix/include/idphoto/idphoto.h"
test -f "$libdir/pkgconfig/idphoto.pc"
test -f "$libdir/cmake/idphoto/idphotoConfig.cmake"
readelf -d "$libdir/libidphoto.so.0" | grep 'SONAME.*libidphoto.so.0' >/dev/null

export PKG_CONFIG_PATH="$libdir/pkgconfig"
test "$(pkg-config --modversion idphoto)" = "$(sed -n 's/^#define IDPHOTO_VERSION_STRING "\(.*\)"/\1/p' "$prefix/include/idphoto/idphoto.h")"
# shellcheck disable=SC2046
"$cc" -std=c11 -Wall -Wextra -Werror -pedantic "$src/samples/embed/embed_check.c" -o "$prefix/embed_pc" \
  $(pkg-config --cflags --libs idphoto) -Wl,-rpath,"$libdir"
out=$("$prefix/embed_pc" "$src/samples/cn-1inch-obama.jpg" cn-1inch)
head -n1 <<<"$out"
head -n1 <<<"$out" | grep ': pass$' >/dev/null
sed -n 2p <<<"$out" | grep '^{"schema_version":1,' >/dev/null

cmake -S "$src/samples/embed" -B "$prefix/embed-build" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_C_COMPILER="$cc" >/dev/null
cmake --build "$prefix/embed-build" >/dev/null
# Capture first: piping straight into `head` would SIGPIPE the writer and fail under pipefail.
out=$(LD_LIBRARY_PATH="$libdir" "$prefix/embed-build/embed_check" "$src/samples/cn-1inch-obama.jpg" cn-1inch)
head -n1 <<<"$out"
head -n1 <<<"$out" | grep ': pass$' >/dev/null
# The Go (cgo) sample, built with pkg-config against the same tree (scripts/setup installs golang-go).
if command -v go >/dev/null; then
  (cd "$src/samples/embed" && PKG_CONFIG_PATH="$libdir/pkgconfig" GOCACHE="$prefix/gocache" GOPATH="$prefix/gopath" \
    GO111MODULE=off CGO_ENABLED=1 GOFLAGS= go build -o "$prefix/embed_go" embed_check.go)
  out=$(LD_LIBRARY_PATH="$libdir" "$prefix/embed_go" "$src/samples/cn-1inch-obama.jpg" cn-1inch)
  head -n1 <<<"$out"
  head -n1 <<<"$out" | grep ': pass$' >/dev/null
  sed -n 2p <<<"$out" | grep '^{"schema_version":1,' >/dev/null
  code=0
  err=$(LD_LIBRARY_PATH="$libdir" "$prefix/embed_go" "$src/samples/cn-1inch-obama.jpg" no-such-profile 2>&1) || code=$?
  [ "$code" = 4 ] || { echo "Go sample, unknown profile: exit $code, expected 4: $err" >&2; exit 1; }
  grep 'unknown profile "no-such-profile".*(status 4)' <<<"$err" >/dev/null
  go_note="; the Go sample passes"
else
  echo "go not found: the Go sample (samples/embed/embed_check.go) was not built"
  go_note="; Go sample skipped (no go)"
fi
# The installed CLI finds the installed library through its RPATH.
"$prefix/bin/idphoto" --version | grep "$(pkg-config --modversion idphoto)" >/dev/null
# It reads BMP through its codec module, installed in <libdir>/idphoto (cli/codecs.hpp), not the
# build tree's: a plain BMP is checked (exit 1: it fails the profile) and reported as BMP.
test -f "$libdir/idphoto/idphoto-codecs.so"
python3 - "$prefix/grey.bmp" <<'PY'
import struct, sys
w, h = 64, 80
rows = bytes([200]) * (w * 3) * h
dib = struct.pack("<IiiHHIIiiII", 40, w, h, 1, 24, 0, len(rows), 2835, 2835, 0, 0)
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<2sIHHI", b"BM", 54 + len(rows), 0, 0, 54) + dib + rows)
PY
code=0
out=$("$prefix/bin/idphoto" check "$prefix/grey.bmp" --json) || code=$?
[ "$code" = 1 ] || { echo "installed idphoto check grey.bmp: exit $code, expected 1: $out" >&2; exit 1; }
grep '"image":{"format":"bmp"' <<<"$out" >/dev/null
# The AVX2 face-detector module is installed in <libdir>/idphoto and the installed library loads it
# from there (not from the build tree) on a CPU with AVX2 and FMA (src/face/face_models.cpp).
hog_note=""
if [ -f "$libdir/idphoto/idphoto-hog-avx2.so" ]; then
  models=$("$prefix/bin/idphoto" models)
  if grep -qw avx2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo; then
    grep -F "$libdir/idphoto/idphoto-hog-avx2.so" <<<"$models" >/dev/null ||
      { echo "installed idphoto does not use its AVX2 detector module: $models" >&2; exit 1; }
    hog_note="; the AVX2 detector module is used"
  fi
fi
echo "installed tree OK: pkg-config and find_package builds pass the sample; the CLI reads BMP$go_note$hog_note"
