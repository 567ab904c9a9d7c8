import json
import os
import subprocess
import sys
import threading

import pytest

import idphoto

SAMPLE = "samples/cn-1inch-obama.jpg"


def test_version_matches_header(root):
    text = (root / "bindings" / "c" / "idphoto.h").read_text()
    assert f'#define IDPHOTO_VERSION_STRING "{idphoto.version()}"' in text
    major, minor, patch = (int(x) for x in idphoto.version().split("."))
    assert idphoto.version_number() == major * 10000 + minor * 100 + patch


def test_check_sample_passes(engine, root):
    r = engine.check_photo(str(root / SAMPLE))
    assert r.verdict == "pass"
    assert r.profile == "cn-1inch"
    assert r.error is None
    assert r.image["width"] == 295 and r.image["height"] == 413
    ids = [f.id for f in r.findings]
    assert "photo.geometry.head_height" in ids
    assert all(f.status in ("pass", "warn", "not_assessed") for f in r.findings)
    assert json.loads(r.json)["verdict"] == "pass"
    assert r.output is None


def test_bytes_and_path_agree(engine, root):
    data = (root / SAMPLE).read_bytes()
    a = engine.check_photo(data, input_name="x.jpg")
    b = engine.check_photo(root / SAMPLE, input_name="x.jpg")
    assert a.input == "x.jpg"
    strip = lambda r: {k: v for k, v in r.data.items() if k != "timing_ms"}
    assert strip(a) == strip(b)


def test_file_name_that_is_not_utf8(engine, root, tmp_path):
    # A Latin-1 name reaches Python as a str with a surrogate (PEP 383); it used to raise
    # UnicodeEncodeError when handed to the library. The report writes U+FFFD for the odd byte.
    raw = os.path.join(os.fsencode(str(tmp_path)), b"caf\xe9.jpg")
    with open(raw, "wb") as f:
        f.write((root / SAMPLE).read_bytes())
    r = engine.check_photo(os.fsdecode(raw))
    assert r.verdict == "pass"
    assert r.input.endswith("caf\ufffd.jpg")
    fixed = engine.fix_photo(os.fsdecode(raw))
    assert fixed.verdict == "pass" and fixed.output
    assert "bytes" in repr(fixed) and len(repr(fixed)) < 300  # the output's bytes stay out of repr


def test_source_photo_fails_with_reasons(engine, root):
    r = engine.check_photo(root / "samples" / "obama-source.jpg", profile="cn-1inch")
    assert r.verdict == "fail"
    failed = {f.id for f in r.findings if f.status == "fail"}
    assert {"photo.image.dimensions", "photo.file.size"} <= failed


def test_unreadable_input_is_a_report_not_an_exception(engine):
    r = engine.check_photo(b"definitely not a photo")
    assert r.verdict == "error"
    assert r.error["code"] == "unsupported_format"
    r = engine.check_photo(b"")
    assert r.error["code"] == "unreadable"


def test_errors_are_exceptions_with_status(engine, tmp_path):
    with pytest.raises(idphoto.IdphotoError) as e:
        engine.check_photo(b"x", profile="no-such-profile")
    assert e.value.status == idphoto.ERR_BAD_PROFILE and e.value.code == "bad_profile"
    assert "no-such-profile" in e.value.message
    with pytest.raises(idphoto.IdphotoError) as e:
        engine.check_photo(b"x", profile="cn-signature")
    assert e.value.status == idphoto.ERR_BAD_PROFILE
    with pytest.raises(idphoto.IdphotoError) as e:
        engine.check_photo(tmp_path / "missing.jpg")
    assert e.value.status == idphoto.ERR_IO
    with pytest.raises(idphoto.IdphotoError) as e:
        idphoto.Engine(model_dir=str(tmp_path))
    assert e.value.status == idphoto.ERR_MODEL_MISSING
    with pytest.raises(idphoto.IdphotoError) as e:
        idphoto.Engine(threads=0)
    assert e.value.status == idphoto.ERR_INVALID_ARGUMENT
    with pytest.raises(idphoto.IdphotoError) as e:
        idphoto.Engine(limits={"max_bogus": 1})
    assert e.value.status == idphoto.ERR_INVALID_ARGUMENT


def test_engine_options_fixed_and_readable():
    e = idphoto.Engine(threads=3, limits={"max_bytes": 123456, "time_cap_ms": 500})
    assert e.options["threads"] == 3
    assert e.options["limits"]["max_bytes"] == 123456
    assert e.options["limits"]["time_cap_ms"] == 500
    assert e.options["model_dir"]
    assert any(m["name"].startswith("shape_predictor") for m in e.models)
    r = e.check_photo(b"\xff\xd8" + b"\x00" * 200000)
    assert r.error["code"] == "limit_exceeded"
    e.close()
    e.close()  # idempotent


def test_profiles_and_registry():
    ids = idphoto.builtin_profiles()
    assert "cn-1inch" in ids and "cn-signature" in ids
    p = idphoto.Profile.get("cn-passport")
    assert p.id == "cn-passport" and p.kind == "photo"
    assert json.loads(p.json)["id"] == "cn-passport"
    mine = idphoto.Profile.from_json('{"id": "mine", "extends": "cn-1inch"}')
    assert mine.id == "mine"
    checks = idphoto.checks()
    assert any(c["id"] == "photo.face.count" for c in checks)
    assert all(set(c) == {"id", "kind", "title", "clause"} for c in checks)


def test_hostile_profiles_refused():
    with pytest.raises(idphoto.IdphotoError) as e:
        idphoto.Profile.from_json("[" * 10000 + "]" * 10000)
    assert e.value.status == idphoto.ERR_BAD_PROFILE
    with pytest.raises(idphoto.IdphotoError) as e:
        idphoto.Profile.from_json(b"{" + b" " * (100 * 1000 * 1000) + b"}")
    assert e.value.status == idphoto.ERR_BAD_PROFILE


def test_custom_profile_used_for_check(engine, root):
    p = idphoto.Profile.from_json('{"id": "mine", "extends": "cn-1inch"}')
    r = engine.check_photo(root / SAMPLE, profile=p)
    assert r.profile == "mine" and r.verdict == "pass"


def test_threads_share_one_engine(engine, root):
    data = (root / SAMPLE).read_bytes()
    expected = {k: v for k, v in engine.check_photo(data).data.items() if k != "timing_ms"}
    results = []

    def work():
        for _ in range(3):
            d = engine.check_photo(data).data
            results.append({k: v for k, v in d.items() if k != "timing_ms"} == expected)

    ts = [threading.Thread(target=work) for _ in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert len(results) == 12 and all(results)


def test_an_operation_missing_from_an_older_library_says_so(engine, root, monkeypatch):
    """A libidphoto from before an operation existed gives ERR_NOT_AVAILABLE naming it, not a crash."""
    real = idphoto._l()

    class Older:
        def __getattr__(self, name):
            if name == "idphoto_signature_check":
                raise AttributeError(name)
            return getattr(real, name)

    monkeypatch.setattr(idphoto, "_l", lambda: Older())
    with pytest.raises(idphoto.IdphotoError) as e:
        engine.check_signature(root / SAMPLE)
    assert e.value.status == idphoto.ERR_NOT_AVAILABLE
    assert "idphoto_signature_check" in str(e.value)


def test_import_without_environment_variable(root, tmp_path):
    """The package finds libidphoto with no IDPHOTO_LIBRARY when it sits next to the package."""
    import shutil
    lib = idphoto.library_path()
    pkg = tmp_path / "site" / "idphoto"
    shutil.copytree(root / "bindings" / "python" / "idphoto", pkg)
    shutil.copy(lib, pkg / "libidphoto.so.0")
    env = {k: v for k, v in os.environ.items() if k not in ("IDPHOTO_LIBRARY", "LD_LIBRARY_PATH")}
    env["PYTHONPATH"] = str(tmp_path / "site")
    code = ("import idphoto; r = idphoto.Engine().check_photo(%r); "
            "print(r.verdict, idphoto.library_path())" % str(root / SAMPLE))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    verdict, path = out.stdout.split()
    assert verdict == "pass" and path == str(pkg / "libidphoto.so.0")


def test_fix_photo_output_passes_its_recheck(engine, shared_data):
    """deepface/img30.jpg is fixable into cn-1inch (shared/data README): the output is a JPEG that
    passes check_photo on its own."""
    if getattr(idphoto._l(), "idphoto_photo_fix", None) is None:
        pytest.skip("libidphoto without idphoto_photo_fix")
    r = engine.fix_photo(shared_data / "faces" / "deepface" / "img30.jpg", background="white")
    assert "before" in r.data and "after" in r.data
    assert r.verdict == "pass", r.json[:400]
    assert r.output is not None and r.output[:2] == b"\xff\xd8"
    again = engine.check_photo(r.output, profile="cn-1inch")
    assert again.verdict == "pass"
    with pytest.raises(idphoto.IdphotoError) as e:
        engine.fix_photo(b"x", profile="cn-signature")
    assert e.value.status == idphoto.ERR_BAD_PROFILE
    # A PNG asked of the JPEG-only cn-1inch: refused before decoding, no output.
    png = engine.fix_photo(b"x", format="png")
    assert png.verdict == "error" and png.output is None
    assert png.error["code"] == "invalid_argument" and "accepts jpeg, not png" in png.error["message"]


def test_number_overflow_in_profile_is_bad_profile():
    """Found by fuzzing (fuzz/corpus/profile/crash-number-overflow.json): 1e999 used to escape as an
    exception from the JSON parser."""
    with pytest.raises(idphoto.IdphotoError) as e:
        idphoto.Profile.from_json('{"id": "overflow", "extends": "cn-1inch", "title": {"en": 1e999}}')
    assert e.value.status == idphoto.ERR_BAD_PROFILE
