"""The nightly refresh: what is new in the inbox, through every stage, under the store's lock.

`refresh` takes the lock beside the store (StoreLocked at once, naming the holder, when another writer
holds it), closes runs a killed writer left 'running', scans the inbox (pipeline.ops.inbox: no file is read unless its
path, size or mtime is new), and hands only the new files to `run_batch`. With nothing new and no work
left by a killed run it loads no model and reads no file, so it costs milliseconds plus start-up.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.config import Settings
from pipeline.errors import UsageError
from pipeline.ops.inbox import scan_inbox
from pipeline.ops.run import Progress, RunSummary, run_batch
from pipeline.ops.runlog import Listener
from pipeline.ops.writer import store_writer


def refresh(
    settings: Settings,
    inbox: Path | None = None,
    embedder=None,
    progress: Progress | None = None,
    listener: Listener | None = None,
) -> RunSummary:
    """Refresh the store from `inbox` (default: `settings.inbox`). Raises StoreLocked when another
    writer holds the lock, UsageError when the inbox folder does not exist."""
    folder = Path(inbox) if inbox is not None else settings.path(settings.inbox)
    if not folder.is_dir():
        raise UsageError(f"inbox folder not found: {folder} (create it, or pass INBOX)")
    with store_writer(settings, "refresh") as writer:
        scan = scan_inbox(folder, writer.conn, settings)
        return run_batch(list(scan.new), writer.conn, settings, embedder=embedder, progress=progress,
                         command="refresh", scan=scan, listener=listener, interrupted=writer.interrupted)
