"""Every example command in the README runs, for real, on a store built from a bundled sample review.

The examples are read from the README itself (the lines starting with `scr ` inside the indented code
blocks of the Researchers and Briefing authors sections), so an example that stops working, or a new
one that never worked, fails here. `scr serve` runs forever and is tested in a real browser instead.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "corpus" / "samples" / "eastmoor_scr_child_j_2017.pdf"


def _examples() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    found = []
    for section in ("## Researchers", "## Briefing authors"):
        body = readme.split(section, 1)[1].split("\n## ", 1)[0]
        for line in body.splitlines():
            m = re.match(r"^ {4}(scr .+?)(\s+#.*)?$", line)
            if m and not m.group(1).startswith("scr serve"):
                found.append(m.group(1).strip())
    return found


def test_the_readme_has_examples_to_run():
    assert len(_examples()) >= 5


def _scr(args: list[str], cwd: Path, db: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    return subprocess.run([sys.executable, "-m", "pipeline.cli.main", "--db", str(db), *args],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory) -> tuple[Path, Path]:
    work = tmp_path_factory.mktemp("readme")
    (work / "configs").mkdir()
    for name in ("settings.yaml", "taxonomy.yaml", "context_rules.yaml", "theme_stopwords.txt",
                 "datasette-metadata.yaml"):
        if (REPO / "configs" / name).exists():
            shutil.copy(REPO / "configs" / name, work / "configs" / name)
    shutil.copytree(REPO / "models", work / "models")
    (work / "new_reviews").mkdir()
    shutil.copy(SAMPLE, work / "new_reviews" / SAMPLE.name)
    db = work / "corpus" / "scr.db"
    proc = _scr(["run", str(work / "new_reviews")], work, db)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return work, db


@pytest.mark.slow
@pytest.mark.parametrize("example", _examples())
def test_readme_example_runs(example: str, sample_store):
    work, db = sample_store
    args = shlex.split(example)[1:]
    proc = _scr(args, work, db)
    assert proc.returncode == 0, f"{example}\n{proc.stderr[-2000:]}"
    assert "Traceback" not in proc.stderr
    if "--out" in args:
        out = work / args[args.index("--out") + 1]
        assert out.exists() and (out.is_file() and out.stat().st_size > 0 or any(out.iterdir()))
