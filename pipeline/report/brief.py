"""Public entry points of the briefing: build it from the store, write it in the format asked for."""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import UsageError
from pipeline.report.build import build_briefing
from pipeline.report.docx import write_docx
from pipeline.report.html import write_html
from pipeline.report.markdown import write_markdown
from pipeline.report.model import Briefing

FORMATS = {"html": write_html, "md": write_markdown, "docx": write_docx}
_EXTENSIONS = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md", ".docx": "docx"}


def format_for(path: Path, fmt: str | None = None) -> str:
    """The format asked for, or the one the file's extension names; UsageError when neither says."""
    if fmt:
        fmt = fmt.lower().lstrip(".")
        if fmt not in FORMATS:
            raise UsageError(f"unknown format {fmt!r} (allowed: {', '.join(FORMATS)})")
        return fmt
    found = _EXTENSIONS.get(Path(path).suffix.lower())
    if not found:
        raise UsageError(
            f"cannot tell the format from {Path(path).name!r}: use --format html|md|docx or end the name in "
            ".html, .md or .docx"
        )
    return found


def write_briefing(briefing: Briefing, path: Path, fmt: str | None = None) -> Path:
    """Write `briefing` to `path` as html, md or docx (from `fmt`, else from the extension)."""
    return FORMATS[format_for(path, fmt)](briefing, Path(path))


__all__ = ["Briefing", "build_briefing", "format_for", "write_briefing", "write_docx", "write_html", "write_markdown"]
