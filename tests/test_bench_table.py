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
