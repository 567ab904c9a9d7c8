#!/usr/bin/env bash
# libidphoto.so.MAJOR: SONAME, and exports limited to the C API
# plus the public C++ API of include/idphoto/idphoto.hpp (hidden visibility + version script).
# Usage: library_abi_test.sh LIBRARY
set -euo pipefail
trap 'echo "library_abi_test: failed at line $LINENO" >&2' ERR
lib=$1
readelf -d "$lib" | grep 'SONAME.*\[libidphoto\.so\.0\]' >/dev/null || { echo "bad SONAME"; exit 1; }

# DT_NEEDED (DESIGN.md rule 8) is asserted by tests/build/check_dt_needed.sh.
exports=$(nm -D --defined-only "$lib" | awk '{print $3}' | grep -v '^IDPHOTO_0$' | sort -u)
c_count=$(echo "$exports" | grep -c '^idphoto_' || true)
cxx=$(echo "$exports" | grep -v '^idphoto_' | c++filt)
stray=$(echo "$cxx" | grep -Ev '^(idphoto::|typeinfo|vtable)' | grep -Ev '^$' || true)
internal=$(echo "$cxx" | grep -E '^idphoto::(io|face|analysis|checks|profiles|signature|fix)::' || true)
echo "exports: $c_count C functions, $(echo "$cxx" | grep -c . || true) C++ symbols"
[ "$c_count" -ge 30 ] || { echo "C API missing from exports"; exit 1; }
[ -z "$stray" ] || { echo "unexpected exports:"; echo "$stray" | head -20; exit 1; }
[ -z "$internal" ] || { echo "internal symbols exported:"; echo "$internal" | head -20; exit 1; }
nm -D --defined-only "$lib" | grep -E ' T idphoto_photo_check(@|$)' >/dev/null
for f in idphoto_photo_fix idphoto_signature_check idphoto_signature_clean; do
  nm -D --defined-only "$lib" | grep -E " T $f(@|\$)" >/dev/null || { echo "$f not exported"; exit 1; }
done
grep "^idphoto::Engine::check_photo" <<<"$cxx" >/dev/null
echo "ABI OK"
