"""Engine.check_signature / clean_signature over idphoto_signature_check / idphoto_signature_clean, on
real signatures from ../shared/data: verdicts, errors, and the same JSON as `idphoto signature check
--json` / `signature clean --json` and the C API tool, byte for byte once the wall-clock "timing_ms"
members are cut out (the clean object nests one in "before" and "after" too)."""
import os
import re
import subprocess

import pytest

import idphoto

SIGCOMP = "signatures/mapo80_sigver_sigcomp2011"
# Clean scans (PNG, pale blue scanner background) and phone photos (JPEG, coloured ink, rotated).
SIGNATURES = [
    f"{SIGCOMP}/001/001_01.PNG", f"{SIGCOMP}/002/002_05.PNG", f"{SIGCOMP}/004_forg/0103004_02.png",
    "signatures/vzat_signature_extractor/sig1.jpg", "signatures/vzat_signature_extractor/mysig3.jpg",
    "signatures/vzat_signature_extractor/22472071_1363300430462431_723663956_o.jpg",
]
TIMING = re.compile(r',"timing_ms":\{[^{}]*\}')


def strip_timing(text: str) -> str:
    out, n = TIMING.subn("", text)
    assert n >= 1, text[-120:]
    return out


def tool(name):
    p = os.environ.get(name)
    if not p:
        pytest.skip(f"{name} not set (run through ctest)")
    return p


@pytest.fixture(scope="module")
def signatures(shared_data):
    files = [shared_data / f for f in SIGNATURES]
    missing = [str(f) for f in files if not f.exists()]
    assert not missing, missing
    return [str(f) for f in files]


def need_signature_api():
    if getattr(idphoto._l(), "idphoto_signature_check", None) is None:
        pytest.fail(f"{idphoto.library_path()} lacks idphoto_signature_check")


def test_sigcomp_scan_fails_as_uploaded_and_cleans_to_a_pass(engine, signatures):
    """A SigComp scan is a PNG on a pale blue background: cn-signature wants a JPEG, white paper;
    the ink itself is found. Cleaning makes a JPEG that passes on its own."""
    need_signature_api()
    r = engine.check_signature(signatures[0])
    assert r.data["kind"] == "signature" and r.profile == "cn-signature"
    assert r.verdict == "fail" and r.error is None
    assert r.finding("signature.ink.present").status == "pass"
    assert r.finding("signature.file.format").status == "fail"
    assert r.image["format"] == "png"
    assert r.output is None
    c = engine.clean_signature(signatures[0])
    assert c.verdict == "pass", c.json[:400]
    assert c.data["output"] == "jpeg" and c.data["before"]["verdict"] == "fail"
    assert c.data["after"]["verdict"] == "pass"
    assert c.output is not None and c.output[:2] == b"\xff\xd8"
    assert c.data["clean"]["output_bytes"] == len(c.output)
    again = engine.check_signature(c.output)
    assert again.verdict == "pass"
    assert all(f.status != "fail" for f in again.findings)


def test_unreadable_and_wrong_kind(engine, root):
    need_signature_api()
    r = engine.check_signature(b"not a signature at all")
    assert r.verdict == "error" and r.error["code"] == "unsupported_format"
    assert r.data["kind"] == "signature"
    r = engine.check_signature(b"")
    assert r.error["code"] == "unreadable"
    c = engine.clean_signature(b"\x89PNG\r\n\x1a\n truncated")
    assert c.verdict == "error" and c.output is None
    for call in (engine.check_signature, engine.clean_signature):
        with pytest.raises(idphoto.IdphotoError) as e:
            call(root / "samples" / "cn-1inch-obama.jpg", profile="cn-1inch")
        assert e.value.status == idphoto.ERR_BAD_PROFILE
        assert "photo profile" in e.value.message and "signature" in e.value.message
    mine = idphoto.Profile.from_json('{"id": "my-photo", "extends": "cn-1inch"}')
    with pytest.raises(idphoto.IdphotoError) as e:
        engine.check_signature(b"x", profile=mine)
    assert e.value.status == idphoto.ERR_BAD_PROFILE and "my-photo" in e.value.message
    with pytest.raises(idphoto.IdphotoError) as e:
        engine.check_photo(b"x", profile=idphoto.Profile.get("cn-signature"))
    assert e.value.status == idphoto.ERR_BAD_PROFILE


def test_clean_options(engine, signatures):
    need_signature_api()
    with pytest.raises(idphoto.IdphotoError) as e:
        engine.clean_signature(signatures[0], rotate=45)
    assert e.value.status == idphoto.ERR_INVALID_ARGUMENT and "rotate" in e.value.message
    # cn-signature takes JPEG only: transparent paper or a PNG asked for is refused up front.
    for kw in ({"transparent": True}, {"format": "png"}):
        refused = engine.clean_signature(signatures[0], **kw)
        assert refused.verdict == "error" and refused.output is None
        assert refused.error["code"] == "invalid_argument" and "accepts jpeg, not png" in refused.error["message"]
    takes_png = idphoto.Profile.from_json('{"id": "sig-png", "extends": "cn-signature", "checks": '
                                          '{"signature.file.format": {"allowed": ["jpeg", "png"]}}}')
    png = engine.clean_signature(signatures[0], profile=takes_png, transparent=True)
    assert png.data["output"] == "png" and png.output[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.verdict == "pass"
    assert engine.clean_signature(signatures[0], profile=takes_png, format="png").output[:4] == b"\x89PNG"
    # A forced quarter turn of an upright scan: the ink box turns too, and the clean says so.
    turned = engine.clean_signature(signatures[0], rotate=90)
    assert any("90" in c["en"] for c in turned.data["clean"]["changes"])
    # deskew reaches the library: a level scan stays level (no "Straightened" change) and passes.
    level = engine.clean_signature(signatures[0], deskew=True)
    assert level.output and level.data["clean"]["output_bytes"] == len(level.output)
    assert all("Straightened" not in c["en"] for c in level.data["clean"]["changes"])


def test_custom_signature_profile(engine, signatures):
    need_signature_api()
    p = idphoto.Profile.from_json('{"id": "my-sig", "extends": "cn-signature"}')
    assert p.kind == "signature"
    a = engine.check_signature(signatures[0], profile=p)
    b = engine.check_signature(signatures[0])
    assert a.profile == "my-sig"
    assert strip_timing(a.json).replace('"my-sig"', '"cn-signature"', 1) == strip_timing(b.json)


def test_check_json_identical_to_cli_and_c(engine, signatures):
    need_signature_api()
    cli, c_tool = tool("IDPHOTO_CLI"), tool("IDPHOTO_C_CHECK")
    a = subprocess.run([cli, "signature", "check", "--json", *signatures], capture_output=True,
                       text=True)
    assert a.returncode in (0, 1), a.stderr
    b = subprocess.run([c_tool, "--signature", *signatures], capture_output=True, text=True)
    assert b.returncode == 0, b.stderr
    cli_lines, c_lines = a.stdout.splitlines(), b.stdout.splitlines()
    assert len(cli_lines) == len(c_lines) == len(signatures)
    verdicts = []
    for f, x, y in zip(signatures, cli_lines, c_lines):
        py = engine.check_signature(f).json
        assert strip_timing(x) == strip_timing(y), f
        assert strip_timing(y) == strip_timing(py), f
        verdicts.append(idphoto.Report(py).verdict)
    # None of them is upload-ready as it is (PNG scans, phone photos).
    assert verdicts == ["fail"] * len(signatures)


def test_clean_json_and_output_identical_to_cli(engine, signatures, tmp_path):
    need_signature_api()
    cli, c_tool = tool("IDPHOTO_CLI"), tool("IDPHOTO_C_CHECK")
    b = subprocess.run([c_tool, "--clean", *signatures], capture_output=True, text=True)
    assert b.returncode == 0, b.stderr
    c_lines = b.stdout.splitlines()
    assert len(c_lines) == len(signatures)
    passed = 0
    for i, (f, y) in enumerate(zip(signatures, c_lines)):
        out = tmp_path / f"clean{i}.jpg"
        a = subprocess.run([cli, "signature", "clean", f, "-o", str(out), "--json"],
                           capture_output=True, text=True)
        assert a.returncode in (0, 1), a.stderr
        py = engine.clean_signature(f)
        assert strip_timing(a.stdout.strip()) == strip_timing(y), f
        assert strip_timing(y) == strip_timing(py.json), f
        # The CLI writes the file only when it passes; then it is the library's output, byte for byte.
        assert out.exists() == (py.verdict == "pass") == (a.returncode == 0), f
        if out.exists():
            assert out.read_bytes() == py.output, f
            passed += 1
    assert passed >= 3
