"""Test hook for the crash-safety tests: SCR_TEST_KILL_AFTER=<stage>:<n>.

When the variable is set, the refresh kills its own process (SIGKILL, the same as `kill -9`; the
whole process group when the process leads one, as systemd kills a unit's cgroup) at a precise
point: after the n-th document of `ingest` or `extract` was committed, at `themes:0` (before the
theme update) or `themes:1` (after it, before the run is closed), `start:0` (after the run was
recorded), `finish:0` (just before the run is closed). Unset, it costs one dictionary lookup.
"""

from __future__ import annotations

import os
import signal

ENV = "SCR_TEST_KILL_AFTER"


def crash_point(stage: str, count: int) -> None:
    spec = os.environ.get(ENV)
    if not spec:
        return
    want_stage, _, want_n = spec.partition(":")
    if want_stage != stage or count < int(want_n or 0):
        return
    if os.getpgid(0) == os.getpid():
        os.killpg(os.getpid(), signal.SIGKILL)
    os.kill(os.getpid(), signal.SIGKILL)
