"""`idphoto fix` through the CLI: exit codes, no file on refusal, never over the input, atomic write, JSON."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.environ["IDPHOTO_SOURCE_DIR"], "tests", "cli"))
from cli_support import binary, run, shared_data  # noqa: E402


class FixCli(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_fixable_photo_written_and_passes_check(self):
        d = shared_data(self)
        src = os.path.join(d, "faces/deepface/img30.jpg")
        out = os.path.join(self.tmp, "upload.jpg")
        code, stdout, stderr = run("fix", src, "-o", out, "--json")
        self.assertEqual(code, 0, stdout + stderr)
        j = json.loads(stdout)
        self.assertEqual(j["verdict"], "pass")
        self.assertEqual(j["output"], out)
        self.assertEqual(j["after"]["verdict"], "pass")
        self.assertIn("findings", j["before"])
        self.assertFalse(j["fix"]["refused"])
        self.assertTrue(os.path.exists(out))
        self.assertEqual(os.path.getsize(out), j["after"]["image"]["bytes"])
        # No temporary file left next to the output.
        self.assertEqual(os.listdir(self.tmp), ["upload.jpg"])
        code, stdout, _ = run("check", out, "--json")
        self.assertEqual(code, 0, stdout)

    def test_refused_fix_exits_1_and_writes_nothing(self):
        d = shared_data(self)
        out = os.path.join(self.tmp, "dogs_out.jpg")
        code, stdout, _ = run("fix", os.path.join(d, "faces/dlib_examples_faces/dogs.jpg"), "-o", out, "--json")
        self.assertEqual(code, 1)
        j = json.loads(stdout)
        self.assertEqual(j["verdict"], "fail")
        self.assertIsNone(j["output"])
        self.assertIsNone(j["after"])
        self.assertTrue(j["fix"]["refused"])
        self.assertIn("photo.face.count", [f["id"] for f in j["findings"]])
        self.assertFalse(os.path.exists(out))

    def test_never_overwrites_input(self):
        d = shared_data(self)
        src = os.path.join(self.tmp, "in.jpg")
        shutil.copy(os.path.join(d, "faces/deepface/img30.jpg"), src)
        with open(src, "rb") as f:
            before = f.read()
        code, _, stderr = run("fix", src, "-o", src)
        self.assertEqual(code, 2)
        self.assertIn("input", stderr)
        with open(src, "rb") as f:
            self.assertEqual(f.read(), before)

    def test_passing_fix_that_cannot_be_saved_says_so(self):
        # It used to print "Passed; saved: <path>" beside the write error, and --json an output-less pass.
        d = shared_data(self)
        src = os.path.join(d, "faces/deepface/img30.jpg")
        out = os.path.join(self.tmp, "no-such-folder", "upload.jpg")
        code, stdout, stderr = run("fix", src, "-o", out)
        self.assertEqual(code, 4)
        self.assertNotIn("Passed; saved", stdout)
        self.assertIn("Passed, but not saved: cannot create a temporary file", stdout)
        self.assertIn("no-such-folder", stderr)
        code, stdout, _ = run("fix", src, "-o", out, "--json")
        self.assertEqual(code, 4)
        j = json.loads(stdout)
        self.assertEqual(j["verdict"], "error")
        self.assertIsNone(j["output"])
        self.assertEqual(j["error"]["code"], "io_error")
        self.assertFalse(os.path.exists(os.path.dirname(out)))

    def test_signature_clean_and_binarize_never_overwrite_their_input(self):
        # `signature clean X -o X` used to replace the applicant's photo of the signature with the cleaned one.
        d = shared_data(self)
        src = os.path.join(self.tmp, "sig.jpg")
        shutil.copy(os.path.join(d, "signatures/vzat_signature_extractor/22471828_1363300417129099_1950706939_o.jpg"),
                    src)
        with open(src, "rb") as f:
            before = f.read()
        same = os.path.join(self.tmp, ".", "sig.jpg")
        for args in (["signature", "clean", src, "-o", same],
                     ["signature", "clean", src, "-o", os.path.join(self.tmp, "c.jpg"), "--annotate", src],
                     ["signature", "binarize", src, "-o", same]):
            code, _, stderr = run(*args)
            self.assertEqual(code, 2, args)
            self.assertIn("is the input", stderr)
            with open(src, "rb") as f:
                self.assertEqual(f.read(), before, args)
        self.assertEqual(sorted(os.listdir(self.tmp)), ["sig.jpg"])
        # A passing clean into a folder that does not exist: exit 4, and the report says it was not saved.
        code, stdout, _ = run("signature", "clean", src, "-o", os.path.join(self.tmp, "nope", "c.jpg"), "--json")
        self.assertEqual(code, 4)
        j = json.loads(stdout)
        self.assertEqual(j["verdict"], "error")
        self.assertEqual(j["error"]["code"], "io_error")
        self.assertIsNone(j["output"])
        code, stdout, _ = run("signature", "clean", src, "-o", os.path.join(self.tmp, "c.jpg"))
        self.assertEqual(code, 0, stdout)
        self.assertEqual(sorted(os.listdir(self.tmp)), ["c.jpg", "sig.jpg"])  # no temporary file left

    def test_bad_background_is_usage_error(self):
        code, _, stderr = run("fix", "whatever.jpg", "-o", os.path.join(self.tmp, "o.jpg"), "--background", "#12345")
        self.assertEqual(code, 2)
        self.assertIn("background", stderr)
        # An unknown name: the message lists the profile's own colour names (its background_colours).
        code, _, stderr = run("fix", "whatever.jpg", "-o", os.path.join(self.tmp, "o.jpg"), "--background", "green")
        self.assertEqual(code, 2)
        self.assertIn("expected keep, ", stderr)
        for name in ("white", "blue", "red"):
            self.assertIn(name, stderr)
        self.assertIn("cn-1inch", stderr)
        # Names and keep in any letter case (the usage check passes; the missing input is then exit 3).
        for name in ("White", "BLUE", "Keep"):
            code, _, stderr = run("fix", os.path.join(self.tmp, "missing.jpg"), "-o", os.path.join(self.tmp, "o.jpg"),
                                  "--background", name)
            self.assertEqual(code, 3, name + ": " + stderr)
        # A profile defining its own colour name: accepted by the CLI (the usage check passes; the missing
        # input then fails with exit 3, not 2).
        prof = os.path.join(self.tmp, "grey-bg.json")
        with open(prof, "w") as f:
            f.write('{"id": "grey-bg", "kind": "photo", "extends": "cn-1inch", '
                    '"background_colours": {"pearl": "#EEEEEE"}}')
        code, _, stderr = run("fix", os.path.join(self.tmp, "missing.jpg"), "-o", os.path.join(self.tmp, "o.jpg"),
                              "--profile", prof, "--background", "pearl")
        self.assertNotEqual(code, 2, stderr)

    def test_unreadable_input_exits_3(self):
        p = os.path.join(self.tmp, "notes.jpg")
        with open(p, "wb") as f:
            f.write(b"just text")
        code, _, _ = run("fix", p, "-o", os.path.join(self.tmp, "o.jpg"))
        self.assertEqual(code, 3)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "o.jpg")))

    def test_png_output_by_extension_passes_check_with_the_same_profile(self):
        d = shared_data(self)
        prof = os.path.join(self.tmp, "png-profile.json")
        with open(prof, "w") as f:
            json.dump({"id": "cn-1inch-png", "extends": "cn-1inch",
                       "checks": {"photo.file.format": {"allowed": ["jpeg", "png"]},
                                  "photo.file.size": {"kb": [10, 400]}}}, f)
        out = os.path.join(self.tmp, "upload.png")
        code, stdout, stderr = run("fix", os.path.join(d, "faces/deepface/img30.jpg"), "-o", out,
                                   "--profile", prof, "--json")
        self.assertEqual(code, 0, stdout + stderr)
        j = json.loads(stdout)
        self.assertEqual(j["fix"]["output_format"], "png")
        with open(out, "rb") as f:
            data = f.read()
        self.assertEqual(data[:8], b"\x89PNG\r\n\x1a\n")
        phys = data.index(b"pHYs")
        self.assertEqual(int.from_bytes(data[phys + 4:phys + 8], "big"), 11811)  # 300 dpi in px/m
        self.assertEqual(data[phys + 12], 1)
        self.assertEqual(sorted(os.listdir(self.tmp)), ["png-profile.json", "upload.png"])
        code, stdout, _ = run("check", out, "--profile", prof, "--json")
        self.assertEqual(code, 0, stdout)
        c = json.loads(stdout)
        self.assertEqual(c["image"]["format"], "png")
        self.assertEqual(c["image"]["dpi"], [300, 300])
        # The same source to .png under cn-1inch (JPEG only): usage error, nothing written.
        out2 = os.path.join(self.tmp, "cn.png")
        code, stdout, stderr = run("fix", os.path.join(d, "faces/deepface/img30.jpg"), "-o", out2)
        self.assertEqual(code, 2, stdout + stderr)
        self.assertFalse(os.path.exists(out2))

    def test_signature_clean_writes_the_format_its_name_asks_for(self):
        # `signature clean X -o sig.png` under cn-signature (JPEG only) used to write JPEG bytes into
        # sig.png, and `--transparent` made a PNG that failed its own re-check (exit 1, "no output
        # written"). Both are now usage errors decided before any cleaning.
        d = shared_data(self)
        src = os.path.join(d, "signatures/mapo80_sigver_sigcomp2011/004_forg/0105004_03.png")
        for out, extra, says in (("sig.png", [], "accepts jpeg, not png"),
                                 ("sig.png", ["--transparent"], "transparent paper needs PNG output"),
                                 ("sig.jpg", ["--transparent"], "transparent paper needs PNG output, not jpeg")):
            code, stdout, stderr = run("signature", "clean", src, "-o", os.path.join(self.tmp, out), "--json", *extra)
            self.assertEqual(code, 2, out + str(extra) + stdout + stderr)
            j = json.loads(stdout)
            self.assertEqual((j["verdict"], j["error"]["code"]), ("error", "invalid_argument"))
            self.assertIn(says, j["error"]["message"])
            self.assertEqual(os.listdir(self.tmp), [])
        # A JPEG name (any case) or another name: the profile's JPEG, which passes.
        for out in ("sig.JPG", "sig.upload"):
            code, stdout, stderr = run("signature", "clean", src, "-o", os.path.join(self.tmp, out))
            self.assertEqual(code, 0, stdout + stderr)
            with open(os.path.join(self.tmp, out), "rb") as f:
                self.assertEqual(f.read(3), b"\xff\xd8\xff")
        # A profile that also takes PNG: .png and --transparent give PNGs that pass, alpha included.
        prof = os.path.join(self.tmp, "sig-png.json")
        with open(prof, "w") as f:
            json.dump({"id": "sig-png", "extends": "cn-signature",
                       "checks": {"signature.file.format": {"allowed": ["jpeg", "png"]}}}, f)
        for out, extra, colour_type in (("a.png", [], 0), ("b.png", ["--transparent"], 4)):
            code, stdout, stderr = run("signature", "clean", src, "-o", os.path.join(self.tmp, out),
                                       "--profile", prof, *extra)
            self.assertEqual(code, 0, stdout + stderr)
            with open(os.path.join(self.tmp, out), "rb") as f:
                data = f.read()
            self.assertEqual(data[:8], b"\x89PNG\r\n\x1a\n")
            self.assertEqual(data[25], colour_type)  # IHDR colour type: 0 grey, 4 grey + alpha

    def test_standard_input_and_output(self):
        # "-" used to be a file named "-": `fix - -o -` read and wrote ./-.
        d = shared_data(self)
        src = os.path.join(d, "faces/deepface/img30.jpg")
        with open(src, "rb") as f:
            source = f.read()

        def run_bytes(*args, stdin=b""):
            p = subprocess.run([binary(), *args], input=stdin, capture_output=True, timeout=600, cwd=self.tmp)
            return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")

        code, out, err = run_bytes("fix", "-", "-o", "-", stdin=source)
        self.assertEqual(code, 0, err)
        self.assertEqual(out[:3], b"\xff\xd8\xff")
        self.assertIn("Passed; saved: standard output", err)
        code, _, _ = run_bytes("fix", src, "-o", os.path.join(self.tmp, "f.jpg"))
        with open(os.path.join(self.tmp, "f.jpg"), "rb") as f:
            self.assertEqual(f.read(), out)  # the same photo as written to a file
        os.remove(os.path.join(self.tmp, "f.jpg"))
        # --json goes to standard error with the photo on standard output.
        code, out, err = run_bytes("fix", src, "-o", "-", "--json")
        self.assertEqual(code, 0)
        self.assertEqual(out[:3], b"\xff\xd8\xff")
        self.assertEqual(json.loads(err)["verdict"], "pass")
        # A refused fix writes nothing anywhere.
        busy = os.path.join(os.environ["IDPHOTO_SOURCE_DIR"], "samples", "obama-source.jpg")
        code, out, err = run_bytes("fix", busy, "-o", "-")
        self.assertEqual(code, 1, err)
        self.assertEqual(out, b"")
        # check and signature read "-" too; clean and binarize write "-".
        code, out, _ = run_bytes("check", "-", stdin=source)
        self.assertIn(b"[cn-1inch, jpeg, 1453", out)
        sig = os.path.join(d, "signatures/mapo80_sigver_sigcomp2011/004_forg/0105004_03.png")
        with open(sig, "rb") as f:
            sig_bytes = f.read()
        code, out, err = run_bytes("signature", "clean", "-", "-o", "-", stdin=sig_bytes)
        self.assertEqual((code, out[:3]), (0, b"\xff\xd8\xff"), err)
        code, out, err = run_bytes("signature", "binarize", "-", "-o", "-", stdin=sig_bytes)
        self.assertEqual((code, out[:8]), (0, b"\x89PNG\r\n\x1a\n"), err)
        # An annotation is never standard output (it would mix with the report or the image).
        code, _, err = run_bytes("check", src, "--annotate", "-")
        self.assertEqual(code, 2)
        self.assertIn("cannot be standard output", err)
        self.assertEqual(os.listdir(self.tmp), [])


if __name__ == "__main__":
    unittest.main()
