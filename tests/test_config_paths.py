"""A settings file outside the project (deploy/README.md: /etc/scr-themes/settings.yaml): the files shipped
with the project resolve against the install root, the operator's paths against the config's folder."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from typer.testing import CliRunner

import pipeline.config as config
from pipeline.cli.ingest import pool_size
from pipeline.cli.main import app
from pipeline.config import install_root, load_settings
from pipeline.errors import ConfigError


def _etc_config(tmp_path: Path, extra: str = "") -> Path:
    folder = tmp_path / "etcscr"
    folder.mkdir()
    path = folder / "settings.yaml"
    path.write_text(f"store: {tmp_path / 'scr.db'}\ninbox: inbox\n{extra}", encoding="utf-8")
    return path


def test_shipped_files_fall_back_to_the_install_root(tmp_path, repo_root):
    settings = load_settings(_etc_config(tmp_path))
    assert install_root() == repo_root.resolve()
    assert Path(settings.taxonomy) == repo_root.resolve() / "configs" / "taxonomy.yaml"
    assert Path(settings.extract.context_rules) == repo_root.resolve() / "configs" / "context_rules.yaml"
    assert Path(settings.cluster.stopwords) == repo_root.resolve() / "configs" / "theme_stopwords.txt"
    assert Path(settings.extract.model_dir) == repo_root.resolve() / "models" / "tagger"
    # the operator's paths stay relative to the config's folder
    assert settings.path(settings.inbox) == (tmp_path / "etcscr" / "inbox").resolve()
    assert settings.path(settings.out_dir) == (tmp_path / "etcscr" / "corpus" / "out").resolve()
    assert settings.path(settings.refresh.log_file) == (tmp_path / "etcscr" / "corpus/logs/refresh.jsonl").resolve()


def test_a_shipped_file_beside_the_config_wins(tmp_path):
    path = _etc_config(tmp_path, "cluster:\n  stopwords: my_stopwords.txt\n")
    (path.parent / "my_stopwords.txt").write_text("foo\n", encoding="utf-8")
    settings = load_settings(path)
    assert settings.path(settings.cluster.stopwords) == (path.parent / "my_stopwords.txt").resolve()


def test_a_shipped_file_missing_in_both_places_names_both(tmp_path, repo_root):
    path = _etc_config(tmp_path, "extract:\n  context_rules: configs/nope.yaml\n")
    with pytest.raises(ConfigError) as err:
        load_settings(path)
    message = str(err.value)
    assert "extract.context_rules" in message
    assert str(path.parent.resolve() / "configs" / "nope.yaml") in message
    assert str(repo_root.resolve() / "configs" / "nope.yaml") in message


def test_tag_works_with_a_config_outside_the_project(tmp_path):
    result = CliRunner().invoke(app, ["--config", str(_etc_config(tmp_path)), "tag", "The police were called."])
    assert result.exit_code == 0, result.output
    assert "learning point" in result.stdout


@pytest.mark.parametrize("text", ["", "   "])
def test_tag_with_empty_text_is_a_usage_error(tmp_path, text):
    result = CliRunner().invoke(app, ["--config", str(_etc_config(tmp_path)), "tag", text])
    assert result.exit_code == 2
    assert "TEXT is empty" in result.output


def test_retired_threshold_key_loads_with_a_warning(tmp_path, caplog):
    config._warned.clear()
    path = _etc_config(tmp_path, "extract:\n  threshold: 0.5\n")
    with caplog.at_level(logging.WARNING, logger="pipeline.config"):
        settings = load_settings(path)
    assert not hasattr(settings.extract, "threshold")
    assert "extract.threshold" in caplog.text and "model_card.json" in caplog.text


def test_other_unknown_keys_are_still_errors(tmp_path):
    with pytest.raises(ConfigError, match="unknown setting 'extract.treshold'"):
        load_settings(_etc_config(tmp_path, "extract:\n  treshold: 0.5\n"))


def test_project_settings_hold_no_unread_threshold(repo_root):
    text = (repo_root / "configs" / "settings.yaml").read_text(encoding="utf-8")
    assert "\n  threshold:" not in text and "model_card.json" in text


def test_named_gold_sets_resolve_against_the_install_root(tmp_path):
    from pipeline.extract.evaluate import gold_root, named_gold

    root = tmp_path / "etcscr"
    root.mkdir()
    assert gold_root(root) == install_root()
    assert named_gold(root, "dev")


def test_workers_option_overrides_the_setting():
    assert pool_size(None, 3) == 3  # not given: ingest.workers
    assert pool_size(2, 3) == 2
    assert pool_size(0, 3) == pool_size(None, 0) > 0  # 0: one per core, even over a configured value


def test_workers_help_has_no_misleading_default():
    result = CliRunner().invoke(app, ["ingest", "--help"], env={"COLUMNS": "200"})
    line = " ".join(result.stdout.split())
    assert "one per core" in line and "ingest.workers" in line and "[default: 0]" not in line


def test_a_project_of_its_own_keeps_its_own_model_folder(tmp_path, repo_root):
    """`scr train` writes extract.model_dir: a project folder (config in configs/) never points it at the
    install's model, while its missing rules files still fall back."""
    (tmp_path / "project" / "configs").mkdir(parents=True)
    path = tmp_path / "project" / "configs" / "settings.yaml"
    path.write_text("store: corpus/scr.db\n", encoding="utf-8")
    settings = load_settings(path)
    assert settings.extract.model_dir == "models/tagger"
    assert settings.path(settings.extract.model_dir) == (tmp_path / "project" / "models" / "tagger").resolve()
    assert Path(settings.taxonomy) == repo_root.resolve() / "configs" / "taxonomy.yaml"
