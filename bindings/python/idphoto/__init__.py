"""idphoto: audit ID photos for registration portals (ctypes over the C API of libidphoto).

    import idphoto
    report = idphoto.Engine().check_photo("photo.jpg")          # or bytes
    print(report.verdict, [f.id for f in report.findings if f.status == "fail"])

The library is found through IDPHOTO_LIBRARY, else next to this package, else in the source tree's
build/ (scripts/setup), else by the system loader (an installed libidphoto.so.0).
"""
import ctypes
import json as _json
import os
import threading
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple, Union

from . import _native

__all__ = [
    "Engine", "Profile", "Report", "Finding", "IdphotoError", "version", "version_number",
    "builtin_profiles", "checks", "library_path",
    "OK", "ERR_UNREADABLE", "ERR_UNSUPPORTED_FORMAT", "ERR_LIMIT_EXCEEDED", "ERR_BAD_PROFILE",
    "ERR_MODEL_MISSING", "ERR_MODEL_CORRUPT", "ERR_INVALID_ARGUMENT", "ERR_INTERNAL", "ERR_IO",
    "ERR_NO_MEMORY", "ERR_NOT_AVAILABLE",
]

# Status codes of idphoto.h (stable, append only).
OK = 0
ERR_UNREADABLE = 1
ERR_UNSUPPORTED_FORMAT = 2
ERR_LIMIT_EXCEEDED = 3
ERR_BAD_PROFILE = 4
ERR_MODEL_MISSING = 5
ERR_MODEL_CORRUPT = 6
ERR_INVALID_ARGUMENT = 7
ERR_INTERNAL = 8
ERR_IO = 9
ERR_NO_MEMORY = 10
ERR_NOT_AVAILABLE = 11

_lib = None
_lib_lock = threading.Lock()


def _l():
    global _lib
    if _lib is None:
        with _lib_lock:
            if _lib is None:
                _lib = _native.load()
    return _lib


def _s(b: Optional[bytes]) -> Optional[str]:
    return None if b is None else b.decode("utf-8", "replace")


class IdphotoError(Exception):
    """A failed call: .status (idphoto.h code), .code (its name), .message."""

    def __init__(self, status: int, message: str):
        self.status = status
        self.code = _s(_l().idphoto_status_name(status)) if _lib is not None else str(status)
        self.message = message
        super().__init__(f"{self.code}: {message}")


def _raise_last(status: int):
    raise IdphotoError(status, _s(_l().idphoto_last_error()) or "")


def library_path() -> str:
    """Where libidphoto was loaded from."""
    return _l().idphoto_loaded_from


def version() -> str:
    return _s(_l().idphoto_version_string())


def version_number() -> int:
    """MAJOR*10000 + MINOR*100 + PATCH."""
    return int(_l().idphoto_version_number())


def builtin_profiles() -> List[str]:
    lib = _l()
    return [_s(lib.idphoto_profile_builtin_id(i)) for i in range(lib.idphoto_profile_builtin_count())]


def checks() -> List[Dict[str, Any]]:
    """The check registry: [{"id", "kind", "title": {"zh-CN", "en"}, "clause"}, ...]."""
    return _json.loads(_s(_l().idphoto_checks_json()))


class Profile:
    """A photo or signature specification (immutable; share it freely)."""

    def __init__(self, _handle):
        self._h = ctypes.c_void_p(_handle)

    @classmethod
    def get(cls, profile_id: str) -> "Profile":
        out = ctypes.c_void_p()
        st = _l().idphoto_profile_get(profile_id.encode(), ctypes.byref(out))
        if st != OK:
            _raise_last(st)
        return cls(out.value)

    builtin = get

    @classmethod
    def from_json(cls, text: Union[str, bytes]) -> "Profile":
        data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
        out = ctypes.c_void_p()
        st = _l().idphoto_profile_load_json(data, len(data), ctypes.byref(out))
        if st != OK:
            _raise_last(st)
        return cls(out.value)

    @classmethod
    def resolve(cls, id_or_path: Union[str, os.PathLike]) -> "Profile":
        """A built-in id, else a .json file (as the CLI's --profile)."""
        s = os.fspath(id_or_path)
        if s in builtin_profiles() or not s.endswith(".json"):
            return cls.get(s)
        with open(s, "rb") as f:
            return cls.from_json(f.read())

    @property
    def id(self) -> str:
        return _s(_l().idphoto_profile_id(self._h))

    @property
    def kind(self) -> str:
        return _s(_l().idphoto_profile_kind(self._h))

    @property
    def json(self) -> str:
        return _s(_l().idphoto_profile_json(self._h))

    def __del__(self):
        if _lib is not None and getattr(self, "_h", None) is not None and self._h.value:
            _lib.idphoto_profile_free(self._h)
            self._h = None

    def __repr__(self):
        return f"Profile({self.id!r}, kind={self.kind!r})"


@dataclass(frozen=True)
class Finding:
    id: str
    status: str  # "pass" | "fail" | "warn" | "not_assessed"
    value: Any
    unit: str
    range: Optional[Tuple[Optional[float], Optional[float]]]
    message: Dict[str, str]
    hint: Dict[str, str]
    fixable: bool


@dataclass(frozen=True)
class Report:
    """One report (CONTRACTS.md, schema_version 1). .json is the C API's text, byte for byte."""

    json: str
    output: Optional[bytes] = field(default=None, repr=False)  # output file of a fix or clean
    data: Dict[str, Any] = field(init=False, repr=False)

    def __post_init__(self):
        object.__setattr__(self, "data", _json.loads(self.json))

    def __repr__(self):
        out = f", output={len(self.output)} bytes" if self.output is not None else ""
        return f"Report(input={self.input!r}, profile={self.profile!r}, verdict={self.verdict!r}{out})"

    @property
    def verdict(self) -> str:
        return self.data["verdict"]

    @property
    def findings(self) -> List[Finding]:
        out = []
        for f in self.data.get("findings", []):
            r = f.get("range")
            out.append(Finding(f["id"], f["status"], f.get("value"), f.get("unit", ""),
                               tuple(r) if r is not None else None, f.get("message") or {},
                               f.get("hint") or {}, bool(f.get("fixable", False))))
        return out

    @property
    def error(self) -> Optional[Dict[str, str]]:
        return self.data.get("error")

    @property
    def image(self) -> Optional[Dict[str, Any]]:
        return self.data.get("image")

    @property
    def input(self) -> str:
        return self.data.get("input", "")

    @property
    def profile(self) -> str:
        return self.data.get("profile", "")

    def finding(self, check_id: str) -> Optional[Finding]:
        return next((f for f in self.findings if f.id == check_id), None)


def _input(source: Union[bytes, bytearray, memoryview, str, os.PathLike],
           input_name: Optional[str]) -> Tuple[bytes, str]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source), input_name or ""
    path = os.fspath(source)
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise IdphotoError(ERR_IO, f"{path}: {e.strerror}") from e
    return data, input_name if input_name is not None else path


class Engine:
    """Loads the models once; immutable and safe to share between threads.

    Options (fixed at creation, readable through .options): model_dir, threads, limits (a dict with
    max_bytes, max_pixels, max_dimension, max_jpeg_scans, time_cap_ms)."""

    def __init__(self, model_dir: Optional[str] = None, threads: Optional[int] = None,
                 limits: Optional[Dict[str, Any]] = None):
        opts: Dict[str, Any] = {}
        if model_dir is not None:
            opts["model_dir"] = os.fspath(model_dir)
        if threads is not None:
            opts["threads"] = threads
        if limits:
            opts["limits"] = dict(limits)
        self._h = ctypes.c_void_p()
        st = _l().idphoto_engine_create(_json.dumps(opts).encode() if opts else None,
                                        ctypes.byref(self._h))
        if st != OK:
            _raise_last(st)

    @property
    def options(self) -> Dict[str, Any]:
        return _json.loads(_s(_l().idphoto_engine_options_json(self._h)))

    @property
    def models(self) -> List[Dict[str, Any]]:
        return _json.loads(_s(_l().idphoto_engine_models_json(self._h)))

    def _profile(self, profile, kind: str) -> Profile:
        if profile is None:
            return Profile.get(_s(_l().idphoto_profile_default_id(kind.encode())))
        if isinstance(profile, Profile):
            return profile
        return Profile.resolve(profile)

    def _report(self, st: int, out: ctypes.c_void_p) -> Report:
        if st != OK:
            _raise_last(st)
        lib = _l()
        try:
            size = ctypes.c_size_t(0)
            ptr = lib.idphoto_report_output(out, ctypes.byref(size))
            output = ctypes.string_at(ptr, size.value) if ptr else None
            return Report(_s(lib.idphoto_report_json(out)), output)
        finally:
            lib.idphoto_report_free(out)

    def check_photo(self, source, profile: Union[None, str, Profile] = None,
                    input_name: Optional[str] = None) -> Report:
        """Judges a photo as uploaded. source: bytes or a path (echoed as the report's "input")."""
        data, name = _input(source, input_name)
        prof = self._profile(profile, "photo")
        out = ctypes.c_void_p()
        st = _l().idphoto_photo_check(self._h, data, len(data), prof._h, os.fsencode(name),
                                      ctypes.byref(out))
        return self._report(st, out)

    def _optional(self, name: str):
        f = getattr(_l(), name, None)
        if f is None:
            raise IdphotoError(ERR_NOT_AVAILABLE, f"{name} is not in {library_path()}")
        return f

    def fix_photo(self, source, profile: Union[None, str, Profile] = None,
                  background: Optional[str] = None, input_name: Optional[str] = None,
                  format: Optional[str] = None) -> Report:
        """Fixes a photo into the profile; Report.output holds the new file's bytes. format: "jpeg"
        or "png" (None: JPEG when the profile allows it); one the profile refuses is a report with
        verdict "error" (invalid_argument), decided before the photo is decoded."""
        f = self._optional("idphoto_photo_fix")
        data, name = _input(source, input_name)
        prof = self._profile(profile, "photo")
        opts_d: Dict[str, Any] = {}
        if background:
            opts_d["background"] = background
        if format:
            opts_d["format"] = format
        opts = _json.dumps(opts_d).encode() if opts_d else None
        out = ctypes.c_void_p()
        return self._report(f(self._h, data, len(data), prof._h, os.fsencode(name), opts,
                              ctypes.byref(out)), out)

    def check_signature(self, source, profile: Union[None, str, Profile] = None,
                        input_name: Optional[str] = None) -> Report:
        """Judges a signature image as uploaded (default profile cn-signature); a photo profile is
        IdphotoError(ERR_BAD_PROFILE). .json is the CLI's `signature check --json` line."""
        f = self._optional("idphoto_signature_check")
        data, name = _input(source, input_name)
        prof = self._profile(profile, "signature")
        out = ctypes.c_void_p()
        return self._report(f(self._h, data, len(data), prof._h, os.fsencode(name), ctypes.byref(out)),
                            out)

    def clean_signature(self, source, profile: Union[None, str, Profile] = None,
                        rotate: Optional[int] = None, transparent: bool = False,
                        deskew: bool = False, input_name: Optional[str] = None,
                        format: Optional[str] = None) -> Report:
        """Turns a photographed or scanned signature into black ink on white on the profile's canvas
        and re-checks it. rotate: a forced clockwise turn (0, 90, 180, 270; None: detected);
        transparent: PNG with transparent paper; deskew: straighten a baseline tilted by 1°..14.5°;
        format: "jpeg" or "png" (None: JPEG when the profile allows it, PNG when transparent). A
        format or transparent paper the profile does not accept is a report with verdict "error"
        (invalid_argument), decided before the image is decoded.
        Report.output holds the made file's bytes (also
        when its re-check fails; verdict "pass" only when it passes). .json is the CLI's
        `signature clean --json` object."""
        f = self._optional("idphoto_signature_clean")
        data, name = _input(source, input_name)
        prof = self._profile(profile, "signature")
        opts: Dict[str, Any] = {}
        if rotate is not None:
            opts["rotate"] = rotate
        if transparent:
            opts["transparent"] = True
        if deskew:
            opts["deskew"] = True
        if format:
            opts["format"] = format
        out = ctypes.c_void_p()
        return self._report(f(self._h, data, len(data), prof._h, os.fsencode(name),
                              _json.dumps(opts).encode() if opts else None, ctypes.byref(out)),
                            out)

    def close(self):
        if _lib is not None and getattr(self, "_h", None) is not None and self._h.value:
            _lib.idphoto_engine_free(self._h)
        self._h = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        self.close()
