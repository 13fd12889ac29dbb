"""JSON Lines input, read one way everywhere: gold files, `scr tag --file`, annotations, ad-hoc clustering.

    for line_no, value in json_lines(path, "bad gold line"):   # path '-' reads stdin
        ...

Streams the file, skips blank lines and yields each line's parsed value with its 1-based number. Every
input problem is an InputError naming the file: "file not found", "unreadable file" (permissions, bytes
that are not UTF-8), or `cause` with "line N: not JSON (...)". With `lenient=True` a line that is not JSON
yields a BadLine in place of its value instead, so a caller can report that line and go on (`scr tag --file`,
`scr evaluate`'s gold files).
What a value must hold is the caller's to check.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from pipeline.errors import InputError


@dataclass(frozen=True)
class BadLine:
    """Yielded, when reading leniently, for a line that is not JSON."""

    cause: str


def json_lines(path: str | Path, cause: str, lenient: bool = False) -> Iterator[tuple[int, Any]]:
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
                if not lenient:
                    raise InputError(where, cause, f"line {line_no}: not JSON ({exc.msg})") from None
                value = BadLine(f"not JSON ({exc.msg})")
            yield line_no, value
    except UnicodeDecodeError:
        raise InputError(where, "unreadable file", "not UTF-8 text") from None
    finally:
        if not from_stdin:
            stream.close()
