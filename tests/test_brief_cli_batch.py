"""`scr brief --batch` with files that cannot be read: each is named with its cause, in a real `scr`
subprocess (hashing embedder, rules-only tagging: the model is not what these tests are about)."""

from __future__ import annotations

from tests.helpers.ops import make_inbox, run_scr, write_config


def test_brief_batch_names_each_unreadable_file_and_its_cause(tmp_path):
    config = write_config(tmp_path)
    make_inbox(tmp_path / "batch", 1)  # one good report and a zero-byte broken.pdf
    broken = tmp_path / "batch" / "broken.pdf"

    done = run_scr(config, "brief", "--batch", str(tmp_path / "batch"), "--out", str(tmp_path / "b.md"))
    assert done.returncode == 1, done.stderr
    assert (tmp_path / "b.md").is_file() and "Traceback" not in done.stderr
    named = [line for line in done.stderr.splitlines() if str(broken) in line]
    assert len(named) == 1 and named[0].startswith("could not read ")
    cause = named[0].split(f"{broken}: ", 1)[1]
    assert cause.strip(), named  # the cause recorded in `failures`, not just a count

    done = run_scr(config, "brief", "--batch", str(broken), "--out", str(tmp_path / "x.md"))
    assert done.returncode == 1, done.stderr
    assert f"could not read {broken}: {cause}" in done.stderr and "nothing to brief on" in done.stderr
    assert "no reviews in the store match" not in done.stderr and not (tmp_path / "x.md").exists()
