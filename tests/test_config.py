"""Settings load, resolve paths against the project root, and reject bad keys with a precise message."""

from pathlib import Path

import pytest

from pipeline.config import load_settings
from pipeline.errors import ConfigError


def test_project_settings_load_and_resolve_paths(repo_root: Path):
    settings = load_settings(repo_root / "configs" / "settings.yaml")
    assert settings.store_path == repo_root / "corpus" / "scr.db"
    assert settings.embed.backend in ("onnx", "torch")
    assert settings.cluster.include == ("learning_points", "tagged")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("stroe: x.db\n", "unknown setting 'stroe'"),
        ("ingest:\n  max_page: 3\n", "unknown setting 'ingest.max_page'"),
        ("ingest:\n  max_pages: many\n", "setting 'ingest.max_pages': expected an integer, found 'many'"),
        ("embed:\n  backend: gpu\n", "setting 'embed.backend': allowed onnx, torch, found 'gpu'"),
        ("embed:\n  device: gpu\n", "setting 'embed.device': allowed cpu, cuda, cuda:N, mps; found 'gpu'"),
        ("cluster:\n  include: [everything]\n", "setting 'cluster.include'"),
        ("ingest: [1, 2]\n", "ingest: expected a mapping"),
        ("store: [\n", "not valid YAML"),
    ],
)
def test_bad_settings_name_the_key(tmp_path: Path, text: str, expected: str):
    path = tmp_path / "settings.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    assert expected in str(info.value)


def test_missing_config_file_is_a_config_error(tmp_path: Path):
    with pytest.raises(ConfigError, match="config file not found"):
        load_settings(tmp_path / "nope.yaml")


def test_cli_reports_bad_config_in_one_line_with_exit_2(tmp_path: Path):
    import subprocess
    import sys

    path = tmp_path / "settings.yaml"
    path.write_text("web:\n  prot: 1\n")
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline.cli.main", "--config", str(path), "status"],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip() == "error: unknown setting 'web.prot' (allowed: host, port, page_size)"
    assert "Traceback" not in proc.stderr


def test_a_gpu_torch_cannot_see_is_a_one_line_error(tmp_path: Path, repo_root: Path):
    """embed.device: cuda on a machine without one names the setting and the cause (no torch traceback)."""
    import subprocess
    import sys

    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a CUDA device, so the setting is valid here")
    path = tmp_path / "settings.yaml"
    path.write_text(f"store: {tmp_path / 'scr.db'}\ntaxonomy: {repo_root / 'configs' / 'taxonomy.yaml'}\n"
                    f"extract:\n  model_dir: {repo_root / 'models' / 'tagger'}\n"
                    f"  context_rules: {repo_root / 'configs' / 'context_rules.yaml'}\n"
                    "embed:\n  device: cuda\n")
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline.cli.main", "--config", str(path), "tag", "The police were called."],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip().splitlines()[-1].startswith("error: setting 'embed.device' is 'cuda' but ")
    assert "set embed.device: cpu" in proc.stderr and "Traceback" not in proc.stderr
