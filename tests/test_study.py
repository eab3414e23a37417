"""The study folder: checked before a build, merged into the general rules, part of the
cache version."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers.__main__ import main
from helpers.build.cache import pipeline_version
from helpers.lexicons import read_toml
from helpers.study import (
    DEFAULT_STUDY,
    STUDY_ENV,
    StudyError,
    check_study,
    find_study,
    with_study_sources,
)


@pytest.fixture
def study(tmp_path: Path) -> Path:
    """A copy of the project's study to break."""
    return Path(shutil.copytree(DEFAULT_STUDY, tmp_path / "study"))


def edit(path: Path, old: str, new: str) -> int:
    """Replace the first ``old`` in ``path``; the line it was on."""
    text = path.read_text(encoding="utf-8")
    at = text.index(old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text.count("\n", 0, at) + 1


def test_the_project_study_is_valid() -> None:
    check_study(DEFAULT_STUDY)


@pytest.mark.parametrize(
    ("file", "old", "new", "problem"),
    [
        ("entities.toml", 'label = "GPE"\ntarget', "target", "missing or mistyped field `label`"),
        ("entities.toml", '"Ankara", form = "metonym"', '"Ankara", form = "metaphor"',
         "unknown form 'metaphor'"),
        ("entities.toml", 'text = "Kurd", form', 'text = "it", form', "the common word 'it'"),
        ("entities.toml", 'text = "Kurd", form', 'text = "THE", form', "the common word 'the'"),
        ("claims.toml", 'requires = ["Turkey", "ISIS"]', 'requires = ["Turkey", "Atlantis"]',
         "unknown entity 'Atlantis'"),
        ("claims.toml", 'cues = ["oil"]', 'cues = ["oil("]', "invalid regular expression"),
        ("naming.toml", '"Daish" = "Daesh"', '"Daeshh" = "Daesh"', "no alias of 'ISIS'"),
        ("sources.toml", 'special = "armed_group"', 'special = "armed"', "unknown special rule"),
        ("labels.toml", 'ISIS = ["group",', 'ISIS = 3\nX = ["group",', "not a list"),
    ],
)  # fmt: skip
def test_a_bad_study_file_is_named_with_its_line_and_a_fix(
    study: Path, file: str, old: str, new: str, problem: str
) -> None:
    line = edit(study / file, old, new)
    with pytest.raises(StudyError) as bad:
        check_study(study)
    assert bad.value.file == study / file
    assert problem in bad.value.problem
    assert bad.value.fix
    # the line of the broken field; a missing one is named by its entity's first line
    assert bad.value.line == (line - 1 if "missing" in problem else line)


def test_a_duplicate_alias_is_named_where_it_is_written_the_second_time(study: Path) -> None:
    entities = study / "entities.toml"
    line = edit(entities, 'text = "Kurd", form', 'text = "Turkey", form')
    with pytest.raises(StudyError) as bad:
        check_study(study)
    assert (bad.value.line, "already listed for 'Turkey'" in bad.value.problem) == (line, True)


def test_invalid_toml_is_named_with_its_line(study: Path) -> None:
    line = edit(study / "claims.toml", 'id = "C4"', 'id = "C4')
    with pytest.raises(StudyError) as bad:
        check_study(study)
    assert (bad.value.line, bad.value.problem.startswith("invalid TOML")) == (line, True)


def test_a_bad_study_stops_the_build_before_anything_is_written(
    study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    monkeypatch.delenv(STUDY_ENV, raising=False)
    line = edit(study / "entities.toml", 'form = "demonym"', 'form = "nickname"')
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("Kurds met in Kobani.\n")
    out = tmp_path / "out"
    assert main(["build", str(raw), "--out", str(out), "--study", str(study), "--quiet"]) == 2
    assert f"{study / 'entities.toml'}:{line}: " in capsys.readouterr().err
    assert not out.exists()


def test_the_study_beside_the_raw_folder_is_the_default(tmp_path: Path) -> None:
    (tmp_path / "raw").mkdir()
    assert find_study(tmp_path / "raw") == DEFAULT_STUDY
    (tmp_path / "study").mkdir()
    assert find_study(tmp_path / "raw") == tmp_path / "study"
    assert find_study(tmp_path / "raw", DEFAULT_STUDY) == DEFAULT_STUDY


def test_the_cache_version_covers_the_study(study: Path, monkeypatch) -> None:
    monkeypatch.setenv(STUDY_ENV, str(study))
    before = pipeline_version()
    edit(study / "claims.toml", "Turkey buys ISIS oil", "Turkey buys oil from ISIS")
    assert pipeline_version() != before


def test_the_study_source_types_take_the_place_of_the_study_rule(study: Path, monkeypatch) -> None:
    monkeypatch.setenv(STUDY_ENV, str(study))
    general = read_toml("attribution.toml")
    merged = with_study_sources(general)["source_type"]
    names = [r.get("special") or r["key"] for r in merged["rules"]]
    at = [r.get("special") for r in general["source_type"]["rules"]].index("study")
    assert names[at - 1 : at + 2] == ["court", "armed_group", "military"]
    assert "Newsweek" in merged["news_media"] and "Reuters" in merged["news_media"]
    (study / "sources.toml").unlink()  # a study without one adds nothing
    merged = with_study_sources(general)["source_type"]
    assert "study" not in [r.get("special") for r in merged["rules"]]
    assert ("Newsweek" in merged["news_media"], merged["armed_groups"]) == (False, [])
