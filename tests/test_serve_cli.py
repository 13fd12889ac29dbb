"""`scr serve` on a port that cannot be used: one line naming the port, exit 2, before uvicorn starts."""

from __future__ import annotations

import socket

from typer.testing import CliRunner

from pipeline.cli.main import app
from tests.helpers.research import research_settings


def test_serve_on_a_port_in_use_is_a_one_line_usage_error(tmp_path):
    settings, _ = research_settings(tmp_path, fillers=0)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(app, ["--db", str(settings.store_path), "serve", "--host", "127.0.0.1",
                                          "--port", str(port)])
    assert result.exit_code == 2, result.output
    assert result.output.strip().splitlines() == [
        f"error: port {port} on 127.0.0.1 is already in use: choose another with --port (e.g. --port {port + 1})"]
