"""Shared helpers for the CLI tests: run the built binary, locate ../shared/data, craft bad files."""
import os
import subprocess
import sys
import unittest


def binary():
    return os.environ["IDPHOTO_CLI"]


def run(*args, env_extra=None):
    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    env["LANG"] = "C.UTF-8"
    if env_extra:
        env.update(env_extra)
    p = subprocess.run([binary(), *args], capture_output=True, env=env, timeout=600)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def shared_data(test):
    """../shared/data, or skip (fail under CI=true) when absent."""
    d = os.environ.get("IDPHOTO_SHARED_DATA") or os.environ.get("IDPHOTO_SHARED_DATA_DIR", "")
    if d and os.path.exists(os.path.join(d, "README.md")):
        return d
    if os.environ.get("CI") == "true":
        test.fail(f"shared test data missing at {d!r} (CI=true requires it)")
    raise unittest.SkipTest(f"shared test data not found at {d!r}")


def write(dirpath, name, data):
    p = os.path.join(dirpath, name)
    with open(p, "wb") as f:
        f.write(data)
    return p


# An ISO-BMFF 'ftyp' box announcing HEIC, as an iPhone writes it.
HEIC_BYTES = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64
TEXT_BYTES = b"This is not a photo, just some plain text.\nLine two.\n"
