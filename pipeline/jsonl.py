"""JSON Lines input, read one way everywhere: gold files, `scr tag --file`, annotations, ad-hoc clustering.

    for line_no, value in json_lines(path, "bad gold line"):   # path '-' reads stdin
        ...

Streams the file, skips blank lines and yields each line's parsed value with its 1-based number. Every
input problem is an InputError naming the file: "file not found", "unreadable file" (permissions, bytes
that are not UTF-8), or `cause` with "line N: not JSON (...)". What a value must hold is
the caller's to check.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Iterator

from pipeline.errors import InputError


def json_lines(path: str | Path, cause: str) -> Iterator[tuple[int, Any]]:
    where = str(path)
    from_stdin = where == "-"
    if not from_stdin and not Path(path).is_file():
        raise InputError(where, "file not found")
    try:
        stream = sys.stdin if from_stdin else open(path, encoding="utf-8")
    except OSError as exc:
        raise InputError(where, "unreadable file", exc.strerror or type(exc).__name__) from None
    try:
        for line_no, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(where, cause, f"line {line_no}: not JSON ({exc.msg})") from None
            yield line_no, value
    except UnicodeDecodeError:
        raise InputError(where, "unreadable file", "not UTF-8 text") from None
    finally:
        if not from_stdin:
            stream.close()
