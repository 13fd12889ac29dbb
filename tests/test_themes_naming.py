"""Theme names: labels from tags, emerging names from keywords, and no two themes with the same name."""

from __future__ import annotations

import numpy as np

from pipeline.themes.naming import name_themes


def test_clashing_names_are_told_apart_by_their_own_keywords():
    members = {0: [[]] * 10, 1: [[]] * 10, 2: [["neglect"]] * 10, 3: [[]] * 10}
    keywords = {
        0: ["action", "need", "referral", "housing", "rent"],
        1: ["action", "need", "referral", "school", "exclusion"],
        2: ["home", "conditions", "dirty"],
        3: ["police", "call", "night"],
    }
    centroids = {k: np.ones(4) / 2 for k in members}
    names = {k: t.name for k, t in name_themes(members, centroids, keywords).items()}
    assert names[0] == "emerging: action, need, referral; housing, rent"
    assert names[1] == "emerging: action, need, referral; school, exclusion"
    assert names[2] == "neglect" and names[3] == "emerging: police, call, night"
    assert len(set(names.values())) == len(names)
