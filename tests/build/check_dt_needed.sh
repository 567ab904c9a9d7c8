#!/usr/bin/env bash
# DESIGN.md rule 8: the core library needs nothing outside OpenCV core/imgproc/calib3d, dlib,
# libjpeg-turbo, libpng and zlib (plus the C/C++ runtime). Fails naming any other DT_NEEDED entry.
# libblas/liblapack come with Debian's dlib: its config.h (no include guard) always defines
# DLIB_USE_BLAS/LAPACK, so dlib's matrix code references them; the WASM build compiles dlib without.
set -euo pipefail
lib="$1"
allowed='^(libopencv_(core|imgproc|calib3d)\.so|libdlib\.so|libblas\.so|liblapack\.so|libturbojpeg\.so|libjpeg\.so|libpng16\.so|libz\.so|libstdc\+\+\.so|libm\.so|libgcc_s\.so|libc\.so|libpthread\.so|ld-linux|libasan\.so|libubsan\.so)'
needed=$(readelf -d "$lib" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
[ -n "$needed" ] || { echo "no DT_NEEDED entries read from $lib"; exit 1; }
bad=$(printf '%s\n' "$needed" | grep -Ev "$allowed" || true)
echo "DT_NEEDED of $(basename "$lib"):"; printf '  %s\n' $needed
if [ -n "$bad" ]; then echo "not allowed in the core: $bad"; exit 1; fi
printf '%s\n' "$needed" | grep '^libopencv_core' >/dev/null || { echo "expected libopencv_core"; exit 1; }
echo "ok"
