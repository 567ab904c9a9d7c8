"""`idphoto batch` on a temporary folder tree of good, bad, unreadable and hostile files."""
import csv
import io
import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import unittest
import zlib

SRC = os.environ.get("IDPHOTO_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
GOOD = os.path.join(SRC, "samples", "cn-1inch-obama.jpg")
CSV_COLUMNS = ["input", "verdict", "failed_ids", "first_failure_message", "width", "height", "bytes",
               "ms"]


def binary():
    return os.environ["IDPHOTO_CLI"]


def run(*args, stdin=None, cwd=None):
    env = dict(os.environ, LANG="C.UTF-8")
    p = subprocess.run([binary(), "batch", *args], capture_output=True, env=env, timeout=900,
                       input=stdin, cwd=cwd)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def sample_verdict():
    """The verdict `idphoto check` gives the sample (pass when every photo check agrees with it)."""
    env = dict(os.environ, LANG="C.UTF-8")
    p = subprocess.run([binary(), "check", "--json", GOOD], capture_output=True, env=env, timeout=300)
    return json.loads(p.stdout.decode().splitlines()[0])["verdict"]


def jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def read_png_rgb(path):
    """Width, height and RGB bytes of an 8-bit RGB (colour type 2), non-interlaced PNG, as OpenCV writes."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n = int.from_bytes(data[pos:pos + 4], "big")
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert (depth, colour, interlace) == (8, 2, 0)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, stride, out, prev = zlib.decompress(idat), w * 3, bytearray(), bytearray(w * 3)
    for y in range(h):
        ftype, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - 3] if x >= 3 else 0
            b, c = prev[x], prev[x - 3] if x >= 3 else 0
            if ftype == 1:
                line[x] = (line[x] + a) & 255
            elif ftype == 2:
                line[x] = (line[x] + b) & 255
            elif ftype == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        out += line
        prev = line
    return w, h, bytes(out)


class Batch(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = os.path.join(self.tmp.name, "photos")
        good = open(GOOD, "rb").read()
        self.gv = sample_verdict()
        self.gcode = 0 if self.gv == "pass" else 1
        self.expect = {}  # path -> verdict

        def put(rel, data, verdict):
            p = os.path.join(self.root, rel)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "wb") as f:
                f.write(data)
            if verdict:
                self.expect[p] = verdict
            return p

        put("good1.jpg", good, self.gv)
        put("class-a/good2.JPG", good, self.gv)
        # 40 KB of padding after the JPEG's end: decodes, but over the 30 KB limit of cn-1inch.
        put("class-a/big.jpg", good + b"\0" * 40000, "fail")
        put("class-b/deep/truncated.jpg", good[: len(good) // 3], "error")
        put("class-b/empty.jpg", b"", "error")
        put("class-b/text.jpg", b"just some text, not a photo\n", "error")
        put("class-b/phone.heic", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\0" * 64,
            "error")
        # A JPEG header announcing 60000×60000 pixels: refused from the header (limits).
        sof = good.index(b"\xff\xc0")
        bomb = good[: sof + 5] + (60000).to_bytes(2, "big") * 2 + good[sof + 9:]
        put("class-b/bomb.jpg", bomb, "error")
        put("notes.md", b"# not an image: ignored by the folder walk\n", None)
        os.mkfifo(os.path.join(self.root, "class-b", "pipe.jpg"))  # never a regular file: skipped

    def tearDown(self):
        self.tmp.cleanup()

    def report_path(self, name):
        return os.path.join(self.tmp.name, name)

    def test_jsonl_report_and_exit_code(self):
        rep = self.report_path("out.jsonl")
        code, out, err = run(self.root, "--report", rep, "--jobs", "2")
        self.assertEqual(code, 3, err)  # unreadable inputs present: 3 > 1
        lines = jsonl(rep)
        self.assertEqual({r["input"] for r in lines}, set(self.expect), out)
        self.assertEqual(len(lines), len(self.expect))
        for r in lines:
            self.assertEqual(r["schema_version"], 1)
            self.assertEqual(r["verdict"], self.expect[r["input"]], r["input"])
            self.assertEqual(r["kind"], "photo")
            self.assertEqual(r["profile"], "cn-1inch")
        big = next(r for r in lines if r["input"].endswith("big.jpg"))
        size = next(f for f in big["findings"] if f["id"] == "photo.file.size")
        self.assertEqual(size["status"], "fail")
        bomb = next(r for r in lines if r["input"].endswith("bomb.jpg"))
        self.assertEqual(bomb["error"]["code"], "limit_exceeded")
        # The summary counts each outcome and names the failing check.
        passed = 2 if self.gv == "pass" else 0
        self.assertIn(f"{passed} passed, {3 - passed} failed, 5 unreadable", out)
        self.assertIn("photo.file.size", out)

    def test_dangling_symlink_is_reported_not_skipped(self):
        # A folder walk used to leave a symbolic link to a missing file out in silence: the batch said
        # "Checked N files" with one file fewer than the folder lists.
        link = os.path.join(self.root, "class-b", "moved.jpg")
        os.symlink(os.path.join("gone", "away.jpg"), link)
        rep = self.report_path("links.jsonl")
        code, out, err = run(self.root, "--report", rep)
        self.assertEqual(code, 3, err)
        lines = {r["input"]: r for r in jsonl(rep)}
        self.assertEqual(set(lines), set(self.expect) | {link})
        self.assertEqual(lines[link]["verdict"], "error")
        self.assertEqual(lines[link]["error"]["code"], "io_error")
        self.assertIn("symbolic link to a missing file ('gone/away.jpg')", lines[link]["error"]["message"])
        self.assertIn("6 unreadable", out)

    def test_csv_columns(self):
        rep = self.report_path("out.csv")
        code, _, err = run(self.root, "--report", rep)
        self.assertEqual(code, 3, err)
        with open(rep, newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        self.assertEqual(rows[0], CSV_COLUMNS)
        body = {r[0]: r for r in rows[1:]}
        self.assertEqual(set(body), set(self.expect))
        for path, row in body.items():
            self.assertEqual(len(row), len(CSV_COLUMNS))
            self.assertEqual(row[1], self.expect[path])
            float(row[7])
        good = body[os.path.join(self.root, "good1.jpg")]
        self.assertEqual(good[4:7], ["295", "413", str(os.path.getsize(GOOD))])
        if self.gv == "pass":
            self.assertEqual(good[2:4], ["", ""])
        big = body[os.path.join(self.root, "class-a", "big.jpg")]
        self.assertIn("photo.file.size", big[2].split(";"))
        self.assertTrue(big[3])  # first failure message (en)
        self.assertEqual(big[6], str(os.path.getsize(GOOD) + 40000))
        empty = body[os.path.join(self.root, "class-b", "empty.jpg")]
        self.assertTrue(empty[3])  # the error message

    def test_exit_codes(self):
        good = os.path.join(self.root, "good1.jpg")
        big = os.path.join(self.root, "class-a", "big.jpg")
        self.assertEqual(run(good)[0], self.gcode)
        self.assertEqual(run(good, big)[0], 1)
        self.assertEqual(run(good, big, os.path.join(self.root, "class-b", "empty.jpg"))[0], 3)
        self.assertEqual(run(good, os.path.join(self.tmp.name, "missing.jpg"))[0], 3)
        self.assertEqual(run(good, "--profile", "no-such-profile")[0], 2)
        self.assertEqual(run(good, "--profile", "cn-signature")[0], 2)  # a signature profile, kind photo
        self.assertEqual(run(good, "--shard", "3/3")[0], 2)
        self.assertEqual(run(good, "--report", self.report_path("x.txt"))[0], 2)
        self.assertEqual(run(good, "--resume")[0], 2)
        self.assertEqual(run(good, "--models", self.tmp.name)[0], 2)  # no model there
        # Write error: the report's folder does not exist.
        self.assertEqual(run(good, "--report", os.path.join(self.tmp.name, "no", "r.jsonl"))[0], 4)

    def test_list_file_and_stdin(self):
        good = os.path.join(self.root, "good1.jpg")
        big = os.path.join(self.root, "class-a", "big.jpg")
        lst = self.report_path("inputs.txt")
        with open(lst, "w") as f:
            f.write(f"# a comment\n\n{good}\n  {big}  \n")
        rep = self.report_path("l.jsonl")
        code, _, err = run(lst, "--report", rep)
        self.assertEqual(code, 1, err)  # big.jpg fails
        self.assertEqual({r["input"] for r in jsonl(rep)}, {good, big})
        code, _, err = run("-", "--report", rep, stdin=f"{good}\n".encode())
        self.assertEqual(code, self.gcode, err)
        self.assertEqual([r["input"] for r in jsonl(rep)], [good])
        # A FIFO named in a list is judged unreadable without blocking.
        code, out, _ = run("-", stdin=os.path.join(self.root, "class-b", "pipe.jpg").encode())
        self.assertEqual(code, 3)
        self.assertIn("not a regular file", out)
        # Windows Notepad's UTF-8 byte order mark and CRLF lines: the first path used to keep the BOM
        # and be "no such file".
        with open(lst, "wb") as f:
            f.write(b"\xef\xbb\xbf" + f"{good}\r\n# note\r\n{big}\r\n".encode())
        code, _, err = run(lst, "--report", rep)
        self.assertEqual(code, 1, err)
        self.assertEqual({r["input"] for r in jsonl(rep)}, {good, big})
        code, _, err = run("-", "--report", rep, stdin=b"\xef\xbb\xbf" + good.encode())
        self.assertEqual(code, self.gcode, err)
        # A UTF-16 list (Windows PowerShell's `>`) names no file on any line: a usage error saying so.
        with open(lst, "wb") as f:
            f.write(f"{good}\r\n".encode("utf-16"))
        code, _, err = run(lst)
        self.assertEqual(code, 2)
        self.assertIn("UTF-16", err)

    def test_resume_skips_done_inputs(self):
        for ext in ("jsonl", "csv"):
            rep = self.report_path("r." + ext)
            run(self.root, "--report", rep)
            first = open(rep, encoding="utf-8").read()
            code, out, _ = run(self.root, "--report", rep, "--resume")
            self.assertIn("Checked 0 files", out, ext)  # everything readable was done
            # Missing stamps (no such file) are retried; every other input is skipped.
            self.assertIn(f"{len(self.expect)} skipped", out, ext)
            self.assertEqual(open(rep, encoding="utf-8").read(), first, ext)
            # A changed file is checked again and replaces its old line.
            p = os.path.join(self.root, "good1.jpg")
            st = os.stat(p)
            os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
            code, out, _ = run(self.root, "--report", rep, "--resume")
            self.assertIn("Checked 1 files", out, ext)
            if ext == "jsonl":
                inputs = [r["input"] for r in jsonl(rep)]
            else:
                inputs = [r[0] for r in list(csv.reader(open(rep, newline="")))[1:]]
            self.assertEqual(sorted(inputs), sorted(self.expect), ext)
            self.assertEqual(code, self.gcode)  # the exit code covers the inputs of this run only
        # Without --resume the report starts afresh.
        rep = self.report_path("r.jsonl")
        run(os.path.join(self.root, "good1.jpg"), "--report", rep)
        self.assertEqual(len(jsonl(rep)), 1)

    def test_file_names_that_are_not_utf8(self):
        # A Latin-1 name (é = 0xe9) from an old archive: JSON holds only Unicode. The batch used to abort
        # (an exception writing the .state line). Now .csv keeps the bytes and --resume skips the file;
        # .jsonl writes U+FFFD in "input" and --resume checks the file again.
        folder = os.path.join(self.tmp.name, "latin1")
        os.makedirs(folder)
        name = os.path.join(os.fsencode(folder), b"caf\xe9.jpg")
        shutil.copyfile(GOOD, name)
        for ext in ("csv", "jsonl"):
            rep = self.report_path("latin1." + ext)
            code, out, _ = run(folder, "--report", rep)
            self.assertEqual(code, self.gcode, ext)
            self.assertIn("Checked 1 files", out, ext)
            with open(rep + ".state", encoding="utf-8") as f:
                state = [json.loads(line) for line in f]
            self.assertEqual(len(state), 1, ext)
            self.assertEqual(bytes.fromhex(state[0]["path_hex"]), name, ext)
            code, out, _ = run(folder, "--report", rep, "--resume")
            self.assertEqual(code, 0 if ext == "csv" else self.gcode, ext)
            if ext == "csv":
                self.assertIn("1 skipped", out)
                with open(rep, newline="", encoding="latin-1") as f:  # the bytes as they are
                    rows = list(csv.reader(f))
                self.assertEqual(rows[1][0].encode("latin-1"), name)
            else:
                self.assertIn("Checked 1 files", out)
                records = jsonl(rep)
                self.assertEqual(len(records), 1)  # the old line is replaced, not repeated
                self.assertTrue(records[0]["input"].endswith("caf\ufffd.jpg"))

    def test_shards_partition_the_set(self):
        for n in (2, 3, 5):
            seen = []
            for i in range(n):
                rep = self.report_path(f"s{i}.jsonl")
                run(self.root, "--shard", f"{i}/{n}", "--report", rep)
                seen += [r["input"] for r in jsonl(rep)]
            self.assertEqual(sorted(seen), sorted(self.expect), n)  # union = all, no overlap
        # The hash is of the path relative to the folder: the same tree elsewhere shards alike.
        other = os.path.join(self.tmp.name, "elsewhere", "copy")
        shutil.copytree(self.root, other, ignore=shutil.ignore_patterns("pipe.jpg"))
        a, b = self.report_path("a.jsonl"), self.report_path("b.jsonl")
        run(self.root, "--shard", "1/3", "--report", a)
        run(other, "--shard", "1/3", "--report", b)
        rel = lambda path, root: os.path.relpath(path, root)
        self.assertEqual(sorted(rel(r["input"], self.root) for r in jsonl(a)),
                         sorted(rel(r["input"], other) for r in jsonl(b)))

    def test_sigint_leaves_a_resumable_report(self):
        many = os.path.join(self.tmp.name, "many")
        os.makedirs(many)
        good = open(GOOD, "rb").read()
        for i in range(120):
            with open(os.path.join(many, f"p{i:03d}.jpg"), "wb") as f:
                f.write(good)
        rep = self.report_path("int.jsonl")
        env = dict(os.environ, LANG="C.UTF-8")
        p = subprocess.Popen([binary(), "batch", many, "--jobs", "1", "--report", rep],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        deadline = time.time() + 120
        while time.time() < deadline:
            if os.path.exists(rep) and len(open(rep).read().splitlines()) >= 3:
                break
            time.sleep(0.01)
        p.send_signal(signal.SIGINT)
        out, _ = p.communicate(timeout=120)
        done = jsonl(rep)  # every line parses
        self.assertEqual(p.returncode, 130, out[-500:])
        self.assertIn("--resume", out.decode())
        self.assertGreaterEqual(len(done), 3)
        self.assertLess(len(done), 120, "the batch finished before the interrupt; test inconclusive")
        code, out, _ = run(many, "--jobs", "2", "--report", rep, "--resume")
        self.assertEqual(code, self.gcode, out[-500:])
        self.assertIn(f"{len(done)} skipped", out)
        inputs = [r["input"] for r in jsonl(rep)]
        self.assertEqual(len(inputs), 120)
        self.assertEqual(len(set(inputs)), 120)

    def test_contact_sheet(self):
        sheet = self.report_path("sheet.jpg")
        code, out, err = run(self.root, "--sheet", sheet)
        self.assertEqual(code, 3, err)
        data = open(sheet, "rb").read()
        self.assertEqual(data[:2], b"\xff\xd8")
        self.assertIn("Contact sheet", out)
        self.assertEqual(run(self.root, "--sheet", self.report_path("sheet.gif"))[0], 2)
        # Never over one of the inputs (it used to be replaced by the sheet at the end of the batch).
        victim = os.path.join(self.root, "good1.jpg")
        with open(victim, "rb") as f:
            before = f.read()
        code, _, err = run(self.root, "--sheet", victim)
        self.assertEqual(code, 2)
        self.assertIn("one of the inputs", err)
        with open(victim, "rb") as f:
            self.assertEqual(f.read(), before)

    def test_contact_sheet_without_failures_says_so(self):
        # It used to be a blank white image, which looks like a failure to write one.
        good = os.path.join(self.root, "good1.jpg")
        if self.gv != "pass":
            self.skipTest("the sample does not pass here")
        sheet = self.report_path("none.png")
        code, out, err = run(good, "--sheet", sheet)
        self.assertEqual(code, 0, err)
        w, h, px = read_png_rgb(sheet)
        self.assertGreater(w * h, 0)
        ink = sum(1 for i in range(0, len(px), 3) if px[i + 1] > px[i] + 60 and px[i + 1] > px[i + 2] + 60)
        self.assertGreater(ink, 50)  # green "No failures" text on white

    def test_fix_dir_mirrors_the_tree_and_writes_only_passing_fixes(self):
        fixed = self.report_path("fixed")
        report = self.report_path("fix.jsonl")
        code, out, err = run(self.root, "--fix-dir", fixed, "--report", report)
        self.assertEqual(code, 3, err)  # unreadable inputs are still the highest exit code
        # big.jpg fails only its file size; fix re-encodes it into the KB window, in the same subfolder.
        out_big = os.path.join(fixed, "class-a", "big.jpg")
        self.assertTrue(os.path.isfile(out_big), out)
        self.assertIn("fixed -> " + out_big, out)
        self.assertIn("Fixed 1 into " + fixed, out)
        env = dict(os.environ, LANG="C.UTF-8")
        p = subprocess.run([binary(), "check", "--json", out_big], capture_output=True, env=env, timeout=300)
        self.assertEqual(json.loads(p.stdout.decode().splitlines()[0])["verdict"], "pass")
        self.assertLessEqual(os.path.getsize(out_big), 30 * 1024)
        # Passing and unreadable inputs get no copy; the inputs are untouched; the report is of the inputs.
        written = sorted(os.path.relpath(os.path.join(d, f), fixed)
                         for d, _, fs in os.walk(fixed) for f in fs)
        self.assertEqual(written, [os.path.join("class-a", "big.jpg")])
        self.assertEqual(os.path.getsize(os.path.join(self.root, "class-a", "big.jpg")),
                         os.path.getsize(GOOD) + 40000)
        verdicts = {r["input"]: r["verdict"] for r in jsonl(report)}
        self.assertEqual(verdicts[os.path.join(self.root, "class-a", "big.jpg")], "fail")
        # A --fix-dir that is a file is a usage error before any input is read.
        blocker = self.report_path("a-file")
        open(blocker, "w").close()
        code, _, err = run(self.root, "--fix-dir", blocker)
        self.assertEqual(code, 2)
        self.assertIn("--fix-dir", err)

    def test_fix_dir_never_writes_two_inputs_to_one_name(self):
        # a.jpg and a.jpeg in one folder, and a.jpg in a second folder, would all have become a.jpg: the
        # batch said "Fixed 3" and left one file. Such inputs keep their extension, then ~1, ~2.
        big = open(GOOD, "rb").read() + b"\0" * 40000  # fails its file size only: fix re-encodes it
        one, two = self.report_path("one"), self.report_path("two")
        for folder, name in ((one, "a.jpg"), (one, "a.jpeg"), (one, "b.jpg"), (two, "a.jpg")):
            os.makedirs(folder, exist_ok=True)
            with open(os.path.join(folder, name), "wb") as f:
                f.write(big)
        fixed = self.report_path("fixed-names")
        for jobs in ("1", "2"):
            shutil.rmtree(fixed, ignore_errors=True)
            code, out, err = run(one, two, "--fix-dir", fixed, "--jobs", jobs)
            self.assertEqual(code, 1, err)
            self.assertIn("Fixed 4 into", out)
            self.assertEqual(sorted(os.listdir(fixed)), ["a.jpeg.jpg", "a.jpg~1.jpg", "a.jpg~2.jpg", "b.jpg"])
        self.assertIn("fixed -> " + os.path.join(fixed, "a.jpg~1.jpg"), out)

    def test_formats_read_through_opencv_are_judged_as_check_judges_them(self):
        # batch used to report BMP/TIFF/PPM/WebP as unsupported_format (exit 3) where `check` and
        # `signature check` read them through the codec module and judge them: now the same report.
        sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
        from cli_support import bmp_bytes, pgm_bytes  # noqa: E402
        folder = os.path.join(self.tmp.name, "other-formats")
        os.makedirs(folder)
        # Black strokes on white paper, as a scanned signature.
        ink = lambda x, y: (20, 20, 20) if 40 <= x < 260 and 50 <= y < 70 or 60 <= x < 70 and 30 <= y < 90 \
            else (250, 250, 250)  # noqa: E731
        bmp = os.path.join(folder, "scan.bmp")
        with open(bmp, "wb") as f:
            f.write(bmp_bytes(300, 120, ink))
        pgm = os.path.join(folder, "scan.pgm")
        with open(pgm, "wb") as f:
            f.write(pgm_bytes(300, 120, ink))
        for kind in ("photo", "signature"):
            rep = self.report_path(kind + "-formats.jsonl")
            code, out, err = run(folder, "--kind", kind, "--report", rep)
            self.assertEqual(code, 1, out + err)  # judged (and failed: JPEG-only profiles), not unreadable
            got = {r["input"]: r for r in jsonl(rep)}
            self.assertEqual(set(got), {bmp, pgm})
            for path, fmt in ((bmp, "bmp"), (pgm, "ppm")):
                r = got[path]
                self.assertEqual(r["verdict"], "fail", r)
                self.assertIsNone(r["error"])
                self.assertEqual(r["image"]["format"], fmt)
                self.assertEqual(r["image"]["bytes"], os.path.getsize(path))
                form = next(f for f in r["findings"] if f["id"] == kind + ".file.format")
                self.assertEqual(form["status"], "fail")
                self.assertEqual(form["value"], fmt)
                # The same report as the single-file command gives (timings aside).
                single = ["check", path, "--json"] if kind == "photo" else ["signature", "check", path, "--json"]
                p = subprocess.run([binary(), *single], capture_output=True, timeout=120)
                one = json.loads(p.stdout)
                for rep_ in (one, r):
                    rep_.pop("timing_ms", None)
                self.assertEqual(one, r)
        # --fix-dir cleans them from the PNG they were checked as (converted once, not again for the
        # clean): the same file `signature clean` writes.
        fixed = self.report_path("formats-fixed")
        code, out, err = run(folder, "--kind", "signature", "--fix-dir", fixed)
        self.assertEqual(code, 1, out + err)
        self.assertEqual(sorted(os.listdir(fixed)), ["scan.bmp.jpg", "scan.pgm.jpg"], out)
        for name in ("scan.bmp", "scan.pgm"):
            single = self.report_path(name + ".single.jpg")
            p = subprocess.run([binary(), "signature", "clean", os.path.join(folder, name), "-o", single],
                               capture_output=True, timeout=120)
            self.assertEqual(p.returncode, 0, p.stdout)
            with open(single, "rb") as a, open(os.path.join(fixed, name + ".jpg"), "rb") as b:
                self.assertEqual(a.read(), b.read(), name)

    def test_photo_is_no_signature(self):
        good = os.path.join(self.root, "good1.jpg")
        code, _, err = run(good, "--kind", "signature")
        self.assertIn(code, (1, 3), err)

    def test_plain_lines_when_not_a_terminal(self):
        code, out, err = run(self.root)
        self.assertEqual(code, 3)
        self.assertNotIn("\r", out + err)
        lines = [l for l in out.splitlines() if l.startswith(("PASS", "FAIL", "ERROR"))]
        self.assertEqual(len(lines), len(self.expect))


if __name__ == "__main__":
    unittest.main(verbosity=2)
