"""``python -m helpers study init``: a starter study from a corpus."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from helpers.analysis.starter import candidate_entities
from helpers.paths import PROJ_ROOT
from helpers.study import STUDY_ENV, check_study

EXAMPLE = PROJ_ROOT / "examples" / "airline"


def mention(doc: str, entity: str, label: str) -> dict:
    return {"doc_id": doc, "entity": entity, "label": label}


def test_surface_forms_merge_into_the_one_longer_name_they_are_part_of() -> None:
    mentions = pd.DataFrame(
        [
            mention("a", "Dana Whitlock", "PERSON"),
            mention("b", "Whitlock", "PERSON"),
            mention("c", "Whitlock", "ORG"),  # the recogniser's label varies
            mention("a", "Civil Aviation Board", "ORG"),
            mention("b", "CAB", "ORG"),
            mention("a", "Marlow Airport", "FAC"),
            mention("a", "Marlow Courier", "ORG"),
            mention("b", "Marlow", "GPE"),  # part of two names: its own
            mention("a", "Tuesday", "DATE"),  # not a kind of entity
        ]
    )
    found = {c.name: c for c in candidate_entities(mentions)}
    assert set(found) == {"Dana Whitlock", "Civil Aviation Board", "Marlow Airport",
                          "Marlow Courier", "Marlow"}  # fmt: skip
    assert found["Dana Whitlock"].forms == {"Dana Whitlock": "name", "Whitlock": "name"}
    whitlock = found["Dana Whitlock"]
    assert (whitlock.label, whitlock.docs) == ("PERSON", {"a", "b", "c"})
    assert found["Civil Aviation Board"].forms["CAB"] == "abbreviation"
    assert next(iter(found)) == "Dana Whitlock"  # named by the most articles


def run(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != STUDY_ENV}
    return subprocess.run(
        [sys.executable, "-m", "helpers", *args],
        capture_output=True,
        text=True,
        env={**env, "PYTHONWARNINGS": "ignore"},
        check=False,
    )


@pytest.fixture(scope="module")
def starter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("starter") / "study"
    done = run("study", "init", str(EXAMPLE / "raw"), "--out", str(out))
    assert done.returncode == 0, done.stderr
    return out


def test_the_starter_study_is_valid_and_names_the_story(starter: Path) -> None:
    check_study(starter)
    entities = tomllib.loads((starter / "entities.toml").read_text())["entity"]
    by_name = {e["name"]: e for e in entities}
    assert by_name["Corvane Air"].get("target") is True
    assert {a["text"] for a in by_name["Dana Whitlock"]["aliases"]} == {"Dana Whitlock", "Whitlock"}
    outlets = pd.read_csv(EXAMPLE / "raw" / "manifest.csv")["outlet"]
    assert tomllib.loads((starter / "sources.toml").read_text())["news_media"] == sorted(outlets)
    assert not any(e.get("target") and e["name"] in {"Marlow Courier"} for e in entities)


def test_candidate_claims_recur_across_outlets_most_outlets_first(starter: Path) -> None:
    text = (starter / "claims.toml").read_text()
    claims = tomllib.loads(text)["claim"]
    blocks = re.findall(r"# (\d+) outlets, (\d+) sentences:\n((?:#   .*\n)+)", text)
    assert len(blocks) == len(claims) >= 5
    counts = [int(n) for n, _, _ in blocks]
    assert counts == sorted(counts, reverse=True) and counts[0] >= 3
    for n, sentences, members in blocks:
        outlets = re.findall(r"^#   (.+?) \(line \d+\): ", members, flags=re.MULTILINE)
        assert (len(outlets), len(set(outlets))) == (int(sentences), int(n))
    cues = {c for claim in claims for c in claim["cues"]}
    assert not cues & {"said", "says", "told", "according", "whitlock", "corvane"}
    # the engineer's account, carried by the scoop, its copy and the follow-up
    assert any({"pressured", "engineers"} <= set(c["cues"]) for c in claims)


def test_a_build_with_the_starter_study_matches_its_claims(starter: Path, tmp_path: Path) -> None:
    again = run("study", "init", str(EXAMPLE / "raw"), "--out", str(starter))
    assert again.returncode == 2 and "already holds" in again.stderr
    out = tmp_path / "tables"
    built = run("build", str(EXAMPLE / "raw"), "--out", str(out), "--study", str(starter))
    assert built.returncode == 0, built.stderr
    ids = {c["id"] for c in tomllib.loads((starter / "claims.toml").read_text())["claim"]}
    matched = pd.read_parquet(out / "claims.parquet")
    assert set(matched["claim_id"]) <= ids
    assert matched.groupby("claim_id")["doc_id"].nunique().max() >= 3
