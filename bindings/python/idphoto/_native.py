"""Finds and loads libidphoto (the C API) and declares its prototypes."""
import ctypes
import os
from pathlib import Path

SONAME = "libidphoto.so.0"


def candidates():
    """Where the library is looked for, in order (docs/c_api.md, Python)."""
    env = os.environ.get("IDPHOTO_LIBRARY")
    if env:
        return [env]  # an explicit override is never second-guessed
    here = Path(__file__).resolve().parent
    return [
        str(here / SONAME),  # bundled next to the package
        str(here.parent.parent.parent / "build" / SONAME),  # source tree: scripts/setup's build/
        SONAME,  # the system loader: an installed prefix (ldconfig, LD_LIBRARY_PATH)
    ]


def load():
    errors = []
    for c in candidates():
        if os.sep in c and not os.path.exists(c):
            errors.append(f"{c}: not found")
            continue
        try:
            lib = ctypes.CDLL(c)
        except OSError as e:
            errors.append(f"{c}: {e}")
            continue
        try:
            _declare(lib)
        except AttributeError as e:  # an older libidphoto without the C API
            errors.append(f"{c}: {e}")
            continue
        lib.idphoto_loaded_from = c
        return lib
    raise OSError("libidphoto not found (set IDPHOTO_LIBRARY to its path, or run scripts/setup): "
                  + "; ".join(errors))


def _declare(lib):
    c_char_p, c_void_p, c_size_t = ctypes.c_char_p, ctypes.c_void_p, ctypes.c_size_t
    i32, u32 = ctypes.c_int32, ctypes.c_uint32
    pp = ctypes.POINTER(c_void_p)
    protos = {
        "idphoto_version_number": (u32, []),
        "idphoto_version_string": (c_char_p, []),
        "idphoto_status_name": (c_char_p, [i32]),
        "idphoto_last_error": (c_char_p, []),
        "idphoto_last_status": (i32, []),
        "idphoto_engine_create": (i32, [c_char_p, pp]),
        "idphoto_engine_free": (None, [c_void_p]),
        "idphoto_engine_options_json": (c_char_p, [c_void_p]),
        "idphoto_engine_models_json": (c_char_p, [c_void_p]),
        "idphoto_profile_builtin_count": (c_size_t, []),
        "idphoto_profile_builtin_id": (c_char_p, [c_size_t]),
        "idphoto_profile_default_id": (c_char_p, [c_char_p]),
        "idphoto_profile_get": (i32, [c_char_p, pp]),
        "idphoto_profile_load_json": (i32, [c_char_p, c_size_t, pp]),
        "idphoto_profile_free": (None, [c_void_p]),
        "idphoto_profile_id": (c_char_p, [c_void_p]),
        "idphoto_profile_kind": (c_char_p, [c_void_p]),
        "idphoto_profile_json": (c_char_p, [c_void_p]),
        "idphoto_check_count": (c_size_t, []),
        "idphoto_checks_json": (c_char_p, []),
        "idphoto_photo_check": (i32, [c_void_p, c_char_p, c_size_t, c_void_p, c_char_p, pp]),
        "idphoto_report_free": (None, [c_void_p]),
        "idphoto_report_json": (c_char_p, [c_void_p]),
        "idphoto_report_verdict": (i32, [c_void_p]),
        "idphoto_report_error": (i32, [c_void_p]),
        "idphoto_report_output": (c_void_p, [c_void_p, ctypes.POINTER(c_size_t)]),
    }
    # Operations added by later library versions; absent ones raise IdphotoError(NOT_AVAILABLE).
    optional = {
        "idphoto_photo_fix": (i32, [c_void_p, c_char_p, c_size_t, c_void_p, c_char_p, c_char_p, pp]),
        "idphoto_signature_check": (i32, [c_void_p, c_char_p, c_size_t, c_void_p, c_char_p, pp]),
        "idphoto_signature_clean": (i32, [c_void_p, c_char_p, c_size_t, c_void_p, c_char_p, c_char_p, pp]),
    }
    for name, (res, args) in protos.items():
        f = getattr(lib, name)
        f.restype, f.argtypes = res, args
    for name, (res, args) in optional.items():
        f = getattr(lib, name, None)
        if f is not None:
            f.restype, f.argtypes = res, args
