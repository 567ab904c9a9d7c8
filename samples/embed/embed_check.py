"""Embedding idphoto from Python (ctypes over the C API; no compiler needed).

    python3 samples/embed/embed_check.py photo.jpg [profile-id]
"""
import sys

import idphoto


def main(argv):
    if len(argv) < 2:
        print(f"usage: {argv[0]} PHOTO [PROFILE]", file=sys.stderr)
        return 2
    engine = idphoto.Engine()  # loads the models once; share it between threads
    try:
        report = engine.check_photo(argv[1], profile=argv[2] if len(argv) > 2 else None)
    except idphoto.IdphotoError as e:
        print(f"idphoto: {e} (status {e.status})", file=sys.stderr)
        return 2
    print(f"libidphoto {idphoto.version()}: {report.verdict}")
    for f in report.findings:
        if f.status != "pass":
            print(f"  {f.id}: {f.status} {f.message['en']}")
    return {"pass": 0, "fail": 1}.get(report.verdict, 3)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
