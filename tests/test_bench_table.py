"""`python -m bench.run --only AREA` replaces that area's rows in BENCHMARKS.md, not the whole table."""

from __future__ import annotations

from bench.run import Row, merge_table, write_table


def test_a_subset_rerun_replaces_only_its_own_rows():
    full = write_table([Row("ingest", "read", 70.0, "pages/s"), Row("extract", "rules", 4471.0, "sentences/s"),
                        Row("embed", "encode", 224.0, "sentences/s")], [], 269.0, False)
    fresh = write_table([Row("extract", "rules", 3471.0, "sentences/s")], [], 30.0, False)
    merged = merge_table(full, fresh, ["extract"], "Rows of extract rerun today.")
    rows = [line for line in merged.splitlines() if line.startswith("| ") and not line.startswith("| area")]
    assert [r.split("|")[1].strip() for r in rows] == ["ingest", "extract", "embed"]  # order kept
    assert "3,471" in rows[1] and "4,471" not in merged
    assert "Rows of extract rerun today." in merged and merged.startswith("# Benchmarks")
    # the header sentence of the full run stays, with the note before the table
    lines = merged.splitlines()
    assert lines.index("Rows of extract rerun today.") < lines.index(next(l for l in lines if l.startswith("| area")))
    # a second rerun of the same area replaces the note instead of stacking another
    again = merge_table(merged, fresh, ["extract"], "Rows of extract rerun on day 2.")
    again = merge_table(again, fresh, ["extract"], "Rows of extract rerun on day 3.")
    assert "day 2" not in again and again.count("Rows of extract rerun on day 3.") == 1 and "\n\n\n" not in again


def test_a_new_area_is_added_after_the_last_row():
    full = write_table([Row("ingest", "read", 70.0, "pages/s")], [], 10.0, False)
    fresh = write_table([Row("query", "search", 500.0, "queries/s")], [], 5.0, False)
    merged = merge_table(full, fresh, ["query"], "Rows of query rerun.")
    rows = [l.split("|")[1].strip() for l in merged.splitlines() if l.startswith("| ") and not l.startswith("| area")]
    assert rows == ["ingest", "query"]


def test_a_full_run_keeps_the_rows_of_an_area_it_did_not_measure():
    """embed_gpu rows, measured on a machine with a GPU, survive a full `make bench` on a laptop."""
    from bench.run import AREAS, keep_other_areas

    old = write_table([Row("ingest", "read", 70.0, "pages/s"), Row("embed_gpu", "cuda", 5111.0, "sentences/s")],
                      [], 10.0, False)
    old = merge_table(old, write_table([Row("embed_gpu", "cuda", 5111.0, "sentences/s")], [], 1.0, False),
                      ["embed_gpu"], "Rows of embed_gpu rerun on day 1 (an H100).")
    fresh = write_table([Row("ingest", "read", 80.0, "pages/s")], [], 20.0, False)
    text = keep_other_areas(old, fresh, list(AREAS))
    rows = [l.split("|")[1].strip() for l in text.splitlines() if l.startswith("| ") and not l.startswith("| area")]
    assert rows == ["ingest", "embed_gpu"]
    assert "5,111" in text and "80" in text and "Rows of embed_gpu rerun on day 1 (an H100)." in text
    assert keep_other_areas(fresh, fresh, list(AREAS)) == fresh  # nothing else measured: unchanged


def test_a_failed_subset_leaves_the_table_as_it_was(tmp_path):
    from bench.run import main

    out = tmp_path / "BENCHMARKS.md"
    before = write_table([Row("ingest", "read", 70.0, "pages/s")], [], 10.0, False)
    out.write_text(before)
    assert main(["--only", "no_such_area", "--out", str(out)]) == 1
    assert out.read_text() == before
