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


# Small images in the formats the CLI reads through its codec module (cli/codecs.hpp), written here
# so that the tests need no image library. pixel(x, y) -> (r, g, b).
def bmp_bytes(w, h, pixel):
    """24-bit BMP (BITMAPINFOHEADER, bottom-up rows padded to 4 bytes)."""
    import struct
    pad = (4 - (w * 3) % 4) % 4
    rows = b"".join(bytes(c for x in range(w) for c in reversed(pixel(x, y))) + b"\0" * pad
                    for y in reversed(range(h)))
    dib = struct.pack("<IiiHHIIiiII", 40, w, h, 1, 24, 0, len(rows), 2835, 2835, 0, 0)
    return struct.pack("<2sIHHI", b"BM", 14 + len(dib) + len(rows), 0, 0, 14 + len(dib)) + dib + rows


def tiff_bytes(w, h, pixel):
    """Baseline little-endian RGB TIFF: one uncompressed strip."""
    import struct
    data = bytes(c for y in range(h) for x in range(w) for c in pixel(x, y))
    n = 10
    bps_at = 8 + 2 + n * 12 + 4
    data_at = bps_at + 6
    short, long_ = 3, 4

    def entry(tag, typ, count, value):
        v = struct.pack("<H", value) + b"\0\0" if typ == short and count == 1 else struct.pack("<I", value)
        return struct.pack("<HHI", tag, typ, count) + v

    ifd = [entry(256, long_, 1, w), entry(257, long_, 1, h), entry(258, short, 3, bps_at),
           entry(259, short, 1, 1), entry(262, short, 1, 2), entry(273, long_, 1, data_at),
           entry(277, short, 1, 3), entry(278, long_, 1, h), entry(279, long_, 1, len(data)),
           entry(284, short, 1, 1)]
    return (b"II*\0" + struct.pack("<I", 8) + struct.pack("<H", n) + b"".join(ifd) + b"\0\0\0\0" +
            struct.pack("<HHH", 8, 8, 8) + data)


def pgm_bytes(w, h, pixel):
    """Binary PGM (P5): the grey level is the green channel."""
    return b"P5 %d %d 255\n" % (w, h) + bytes(pixel(x, y)[1] for y in range(h) for x in range(w))


def webp_bytes(w, h, pixel):
    """Lossless WebP (VP8L) of an image with at most two values per channel: each channel is a
    "simple" prefix code of one or two symbols, so every pixel costs at most one bit per channel."""
    import struct
    px = [pixel(x, y) for y in range(h) for x in range(w)]
    bits = []

    def put(value, n):
        bits.extend((value >> i) & 1 for i in range(n))

    put(0x2F, 8)
    put(w - 1, 14)
    put(h - 1, 14)
    put(0, 1)  # alpha unused
    put(0, 3)  # version 0
    put(0, 1)  # no transform
    put(0, 1)  # no colour cache
    put(0, 1)  # no meta prefix codes

    def simple_code(symbols):
        symbols = sorted(set(symbols))
        assert 1 <= len(symbols) <= 2 and all(0 <= s < 256 for s in symbols)
        put(1, 1)  # simple code
        put(len(symbols) - 1, 1)
        put(1, 1)  # first symbol in 8 bits
        for s in symbols:
            put(s, 8)
        return symbols

    # Order of the codes: green, red, blue, alpha, distance; pixels are coded green, red, blue, alpha.
    g = simple_code(p[1] for p in px)
    r = simple_code(p[0] for p in px)
    b = simple_code(p[2] for p in px)
    simple_code([255])
    simple_code([0])
    for p in px:
        for value, syms in ((p[1], g), (p[0], r), (p[2], b)):
            if len(syms) == 2:
                put(syms.index(value), 1)
    data = bytearray((len(bits) + 7) // 8)
    for i, bit in enumerate(bits):
        data[i // 8] |= bit << (i % 8)
    chunk = b"VP8L" + struct.pack("<I", len(data)) + bytes(data) + (b"\0" if len(data) % 2 else b"")
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk
