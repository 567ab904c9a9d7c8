import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "bindings" / "python"))


@pytest.fixture(scope="session")
def engine():
    import idphoto
    return idphoto.Engine()


@pytest.fixture(scope="session")
def root():
    return ROOT


@pytest.fixture(scope="session")
def shared_data():
    """../shared/data, or skip (fail under CI=true)."""
    p = Path(os.environ.get("IDPHOTO_SHARED_DATA", ROOT.parent / "shared" / "data"))
    if not (p / "README.md").exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"shared test data missing at {p} (CI=true requires it)")
        pytest.skip(f"shared test data not found at {p}")
    return p
