"""The second story in ``examples/airline``: built with its own study, the five notebooks
and the report run on it into a new folder, and nothing of the seed story shows."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from helpers.paths import FIGURES_DIR, PROJ_ROOT
from helpers.study import STUDY_ENV

EXAMPLE = PROJ_ROOT / "examples" / "airline"
SEED_STORY = re.compile(r"\b(?:Turkey|Turkish|ISIS|ISIL|YPG|Kobani|Kobane)\b", re.IGNORECASE)
DATA_URI = re.compile(r"data:image/[a-z]+;base64,[A-Za-z0-9+/=]+")


def run(*args: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != STUDY_ENV}
    done = subprocess.run(
        [sys.executable, "-m", "helpers", *args],
        capture_output=True,
        text=True,
        env={**env, "PYTHONWARNINGS": "ignore"},
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]


# the second story through the build, five notebooks and the report: make test-all
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The commands of the README's "Your own story", on the example."""
    out = tmp_path_factory.mktemp("airline")
    run("build", str(EXAMPLE / "raw"), "--out", str(out / "tables"), "--quiet")
    run("notebooks", "--tables", str(out / "tables"), "--out", str(out))
    return out


def notebook_texts(path: Path) -> list[str]:
    """A notebook's sources and its text outputs; errors are raised as failures."""
    texts = []
    for cell in json.loads(path.read_text())["cells"]:
        texts.append("".join(cell["source"]))
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", f"{path.name}: {output.get('evalue')}"
            texts.append("".join(output.get("text", "")))
            data = output.get("data", {})
            texts += ["".join(v) for k, v in data.items() if k.startswith("text/")]
    return texts


def test_every_figure_of_the_notebooks_is_drawn_with_data(results: Path) -> None:
    manifest = pd.read_csv(results / "figures" / "manifest.csv")
    seed_figures = set(pd.read_csv(FIGURES_DIR / "manifest.csv")["id"])
    # the example has no hand annotation, so notebook 05 scores nothing and draws nothing
    assert set(manifest["id"]) == seed_figures - {"05-scores"}
    for fig_id in manifest["id"]:
        plotted = pd.read_csv(results / "figures" / f"{fig_id}.csv")
        assert len(plotted) > 0, f"{fig_id} has no data"
        assert (results / "figures" / f"{fig_id}.png").stat().st_size > 0


def test_the_claim_matrix_uses_the_examples_claims(results: Path) -> None:
    study = tomllib.loads((EXAMPLE / "study" / "claims.toml").read_text())["claim"]
    plotted = pd.read_csv(results / "figures" / "04-claims.csv")
    assert set(plotted["claim_id"]) == {c["id"] for c in study}
    assert set(plotted["status"]) - {"absent"}, "no claim is found in any article"


def test_nothing_of_the_seed_story_shows(results: Path) -> None:
    found = []
    for table in (results / "tables").glob("*.parquet"):
        frame = pd.read_parquet(table)
        texts = [c for c in frame.columns if frame[c].dtype == object or frame[c].dtype == "str"]
        for column in texts:
            hits = frame[column].astype(str).str.contains(SEED_STORY)
            found += [f"{table.name}.{column}: {v}" for v in frame.loc[hits, column].head(2)]
    for figure in (results / "figures").glob("*.*"):
        if figure.suffix in {".csv", ".svg"}:
            found += [f"{figure.name}: {m}" for m in SEED_STORY.findall(figure.read_text())]
    for notebook in (results / "notebooks").glob("*.ipynb"):
        for text in notebook_texts(notebook):
            found += [f"{notebook.name}: {m}" for m in SEED_STORY.findall(DATA_URI.sub("", text))]
    report = DATA_URI.sub("", (results / "report.html").read_text())
    found += [f"report.html: {m}" for m in SEED_STORY.findall(report)]
    assert found == []
    assert len(list((results / "notebooks").glob("*.ipynb"))) == 5


def test_the_findings_are_the_examples(results: Path) -> None:
    report = (results / "report.html").read_text()
    assert "Corvane Air" in report and "How the engineer is named" in report
    last = notebook_texts(results / "notebooks" / "02-entities.ipynb")[-1]
    assert last.startswith("What we found") and "Dana Whitlock" in last


def test_a_study_without_entities_or_claims_gives_sentences_not_errors(tmp_path: Path) -> None:
    study = tmp_path / "study"
    study.mkdir()
    (study / "entities.toml").write_text('version = "1"\n')
    run("build", str(EXAMPLE / "raw"), "--out", str(tmp_path / "tables"), "--study", str(study))
    names = [str(PROJ_ROOT / "notebooks" / n) for n in ("02-entities.ipynb", "04-framing.ipynb")]
    run("notebooks", *names, "--tables", str(tmp_path / "tables"), "--out", str(tmp_path))
    entities = notebook_texts(tmp_path / "notebooks" / "02-entities.ipynb")  # no error cell
    assert "No study entity is named in these articles" in entities[-1]
    framing = notebook_texts(tmp_path / "notebooks" / "04-framing.ipynb")
    assert "The study lists no claims to compare." in framing[-1]
