"""deploy/: the systemd units and the cron line run the installed `scr` with a config path and the
refresh command, treat 75 (locked) as no failure, and the README says where the log and the lock live."""

from __future__ import annotations

import re
import shlex

from typer.testing import CliRunner

from pipeline.cli.main import app


def _scr_args(command_line: str) -> list[str]:
    words = shlex.split(command_line)
    start = next(i for i, w in enumerate(words) if w.endswith("/scr"))
    return words[start + 1:]


def test_service_timer_and_cron_run_scr_refresh_with_a_config(repo_root):
    deploy = repo_root / "deploy"
    service = (deploy / "scr-refresh.service").read_text()
    timer = (deploy / "scr-refresh.timer").read_text()
    cron = [line for line in (deploy / "scr-refresh.cron").read_text().splitlines()
            if line.strip() and not line.startswith("#")]
    exec_start = re.search(r"^ExecStart=(.+)$", service, re.M).group(1)
    assert re.search(r"^Type=oneshot$", service, re.M) and re.search(r"^SuccessExitStatus=75$", service, re.M)
    assert re.search(r"^OnCalendar=\S", timer, re.M) and "Unit=scr-refresh.service" in timer
    assert len(cron) == 1 and len(cron[0].split()[:5]) == 5
    cron_command = cron[0].split(None, 5)[5].split(">>")[0]
    for line in (exec_start, cron_command):
        args = _scr_args(line)
        assert args[0] == "--config" and args[1].endswith(".yaml") and args[2] == "refresh"
        # the same arguments parse with the real command line (--help: nothing runs)
        result = CliRunner().invoke(app, [*args, "--help"])
        assert result.exit_code == 0, result.output


def test_readme_says_where_the_log_and_the_lock_live_and_how_to_install(repo_root):
    readme = (repo_root / "deploy" / "README.md").read_text()
    for needle in ("<store>.lock", "refresh.log_file", "systemctl enable --now scr-refresh.timer",
                   "scr-refresh.cron", "75", "status --json", "SCR_TEST_KILL_AFTER"):
        assert needle in readme, needle
