"""The JSON API names themes and labels as the pages do: the coding frame's names (a researcher's own frame
included), beside the stored name and the label ids it has always given."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from pipeline.embed.base import HashingEmbedder
from pipeline.store import connect
from pipeline.web.app import create_app
from tests.helpers.research import research_settings

REPO = Path(__file__).resolve().parents[1]
EMB = HashingEmbedder(256)
YOUNG = "Young person's mental health"
SHARING = "Sharing between agencies"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("names")
    settings, info = research_settings(folder, EMB)
    data = yaml.safe_load((REPO / "configs" / "taxonomy.yaml").read_text(encoding="utf-8"))
    renamed = {"child_mental_health": YOUNG, "information_sharing": SHARING}
    data["labels"] = [dict(label, name=renamed.get(label["id"], label["name"])) for label in data["labels"]]
    frame = folder / "frame.yaml"
    frame.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    conn = connect(settings.store_path)
    try:  # a label-matched theme is stored under the label id, as the naming step writes it
        conn.execute("UPDATE themes SET name = 'child_mental_health' WHERE theme_id = 'T0002'")
        conn.execute("UPDATE themes SET name = 'information_sharing: school, gp' WHERE theme_id = 'T0001'")
        conn.commit()
    finally:
        conn.close()
    return TestClient(create_app(settings.replace(taxonomy=str(frame)), embedder=EMB)), info


def test_api_themes_give_the_pages_names_beside_the_stored_ones(site):
    client, _ = site
    themes = {t["theme_id"]: t for t in client.get("/api/themes").json()["themes"]}
    young, sharing, housing = themes["T0002"], themes["T0001"], themes["T0003"]
    assert (young["name"], young["label"]) == ("child_mental_health", "child_mental_health")  # as stored
    assert (young["display_name"], young["label_name"]) == (YOUNG, YOUNG)
    assert (sharing["display_name"], sharing["label_name"]) == (f"{SHARING}: school, gp", SHARING)
    assert (housing["display_name"], housing["label_name"]) == ("Housing moves", None)  # emerging: no label
    one = client.get("/api/themes/T0002").json()
    assert (one["name"], one["display_name"], one["label_name"]) == ("child_mental_health", YOUNG, YOUNG)
    # the pages print the very same names
    for tid, theme in themes.items():
        assert theme["display_name"] in html.unescape(client.get("/").text)
        page = html.unescape(client.get(f"/themes/{tid}").text)
        assert theme["display_name"] in page and (theme["label_name"] is None or theme["label_name"] in page)


def test_api_document_names_themes_and_labels_as_its_page(site):
    client, info = site
    doc_id = info.doc_ids["suicide16"]
    doc = client.get(f"/api/documents/{doc_id}").json()
    themes = {t["theme_id"]: t for t in doc["themes"]}
    assert themes["T0002"]["name"] == themes["T0002"]["display_name"] == YOUNG
    assert themes["T0001"]["display_name"] == f"{SHARING}: school, gp"
    assert doc["labels"]["child_mental_health"] >= 1  # ids stay the keys
    assert doc["label_names"]["child_mental_health"] == YOUNG
    assert doc["label_names"]["information_sharing"] == SHARING
    assert doc["label_names"]["domestic_abuse"] == "Domestic abuse"  # a denied label is named too
    assert set(doc["label_names"]) >= set(doc["labels"])
    page = html.unescape(client.get(f"/documents/{doc_id}").text)
    assert YOUNG in page and f"{SHARING}: school, gp" in page
    assert all(name in page for name in doc["label_names"].values())


def test_openapi_summaries_name_the_display_fields(site):
    client, _ = site
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "display_name" in paths["/api/themes"]["get"]["summary"]
    assert "display_name" in paths["/api/themes/{theme_id}"]["get"]["summary"]
    assert "label_names" in paths["/api/documents/{doc_id}"]["get"]["summary"]
