"""The Labels page (/labels) and /api/labels: every label of the coding frame with the shipped tagger's
measured F1 and verdict, read from the model card once at start-up; all unmeasured without a tagger."""

from __future__ import annotations

import dataclasses
import html
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from pipeline.embed.base import HashingEmbedder
from pipeline.web.app import create_app
from tests.helpers.research import research_settings

EMB = HashingEmbedder(256)
REPO = Path(__file__).resolve().parents[1]
CARD = REPO / "models" / "tagger" / "model_card.json"
TAXONOMY = REPO / "configs" / "taxonomy.yaml"
TEXT = {"reliable": "Reliable", "check": "Check by hand", "unmeasured": "Not measured on real text"}


def _card() -> dict:
    return json.loads(CARD.read_text(encoding="utf-8"))


def _taxonomy() -> list[dict]:
    return yaml.safe_load(TAXONOMY.read_text(encoding="utf-8"))["labels"]


def _scores(card: dict, key: str, label: str) -> tuple[float | None, int]:
    """(F1, support) of a label in one of the card's held-out sets; F1 None when nothing carries it."""
    row = card[key]["fused"]["per_label"].get(label) or {}
    n = int(row.get("support") or 0)
    return (float(row["f1"]) if n else None), n


def _expected(card: dict) -> dict[str, dict]:
    """label -> what the page and API must say, worked out here from the card and the issue's bar."""
    out = {}
    for entry in _taxonomy():
        f1_real, n_real = _scores(card, "scores_dev_real", entry["id"])
        f1_written, n_written = _scores(card, "scores_dev", entry["id"])
        verdict = ("unmeasured" if f1_real is None or n_real < 20
                   else "reliable" if f1_real >= 0.70 else "check")
        out[entry["id"]] = {"label": entry["id"], "name": entry["name"], "kind": entry["kind"],
                            "description": entry["description"], "f1_real": f1_real, "n_real": n_real,
                            "f1_written": f1_written, "n_written": n_written, "verdict": verdict}
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    settings, _ = research_settings(tmp_path_factory.mktemp("labels"), EMB, fillers=3)
    assert settings.path(settings.extract.model_dir).resolve() == CARD.parent.resolve()
    return TestClient(create_app(settings, embedder=EMB)), settings


def _page_rows(page: str) -> dict[str, list[str]]:
    """label id -> the visible text of its table cells, from the Labels page's HTML."""
    rows = {}
    for label, body in re.findall(r'<tr class="verdict-\w+" data-label="([^"]+)">(.*?)</tr>', page, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)
        rows[label] = [html.unescape(re.sub(r"<[^>]+>", "", c)).replace("\u26a0", "").strip() for c in cells]
    return rows


def _shown(value: float | None) -> str:
    return "\u2013" if value is None else f"{value:.2f}"


def test_page_lists_every_label_with_the_cards_numbers(site):
    client, _ = site
    res = client.get("/labels")
    assert res.status_code == 200
    expected = _expected(_card())
    rows = _page_rows(res.text)
    assert list(rows) == list(expected)  # every label of the taxonomy, in its order
    for label, want in expected.items():
        name, verdict, f1_real, n_real, f1_written, n_written, kind, description = rows[label]
        assert name == f"{want['name']} {label}"
        assert (verdict, f1_real, n_real) == (TEXT[want["verdict"]], _shown(want["f1_real"]), str(want["n_real"]))
        assert (f1_written, n_written) == (_shown(want["f1_written"]), str(want["n_written"]))
        assert kind == want["kind"].replace("_", " ") and description == want["description"]
    checks = [label for label, w in expected.items() if w["verdict"] == "check"]
    assert checks, "the shipped card has labels to check by hand"
    for label in checks:  # marked in words, not by the row's tint alone
        assert re.search(rf'data-label="{label}">.*?<strong>&#9888; Check by hand</strong>', res.text, re.S)
    card = _card()
    assert card["version"] in res.text and f"{card['scores_dev_real']['fused']['sentences']:,}" in res.text


def test_every_page_links_to_labels(site):
    client, _ = site
    for url in ("/", "/search", "/labels"):
        assert '<a href="/labels">Labels</a>' in client.get(url).text


def test_api_labels_matches_the_card_and_the_cli(site):
    client, settings = site
    from typer.testing import CliRunner

    from pipeline.cli.main import app as cli

    res = client.get("/api/labels")
    assert res.status_code == 200
    body = res.json()
    card = _card()
    assert body["tagger"] == card["version"] and body["measured_on"] == card["date"]
    assert body["real_sentences"] == card["scores_dev_real"]["fused"]["sentences"]
    assert (body["reliable_f1"], body["min_real"]) == (0.70, 20)
    assert body["labels"] == list(_expected(card).values())
    out = CliRunner().invoke(cli, ["--config", str(REPO / "configs" / "settings.yaml"), "labels", "--json"])
    assert out.exit_code == 0, out.output
    printed = json.loads(out.stdout)
    printed.pop("taxonomy")  # a file path on the server: not in the API
    assert {k: v for k, v in body.items() if k != "summary"} == printed
    assert "/api/labels" in client.get("/api/openapi.json").json()["paths"]


def test_api_labels_rejects_unknown_parameters(site):
    client, _ = site
    res = client.get("/api/labels", params={"verdict": "check"})
    assert res.status_code == 400 and "'verdict'" in res.json()["error"]


def test_scores_are_read_once_at_start_up(site, tmp_path):
    """The card is read when the app starts: a card removed while serving does not change the page."""
    _, settings = site
    model_dir = tmp_path / "tagger"
    model_dir.mkdir()
    shutil.copy(CARD, model_dir / CARD.name)
    client = TestClient(create_app(_with_model_dir(settings, model_dir), embedder=EMB))
    (model_dir / CARD.name).unlink()
    assert client.get("/api/labels").json()["tagger"] == _card()["version"]


def _with_model_dir(settings, model_dir: Path):
    return settings.replace(extract=dataclasses.replace(settings.extract, model_dir=str(model_dir)))


def test_without_a_tagger_every_label_is_unmeasured(site, tmp_path):
    _, settings = site
    empty = tmp_path / "no-tagger"
    empty.mkdir()
    client = TestClient(create_app(_with_model_dir(settings, empty), embedder=EMB))
    body = client.get("/api/labels").json()
    assert body["tagger"] is None and body["measured_on"] is None
    assert [row["label"] for row in body["labels"]] == [e["id"] for e in _taxonomy()]
    assert {row["verdict"] for row in body["labels"]} == {"unmeasured"}
    assert all(row["f1_real"] is None and row["f1_written"] is None for row in body["labels"])
    page = client.get("/labels").text
    rows = _page_rows(page)
    assert len(rows) == len(_taxonomy()) and {r[1] for r in rows.values()} == {TEXT["unmeasured"]}
    assert "No trained tagger is in use" in page
