"""Every article's language; the English rules and pipeline read English articles only."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.build.pipeline import build
from helpers.ingest.language import UNDETERMINED, english_rules_apply, identify

ENGLISH = (
    "Kurdish officials said the crossing had been closed to aid convoys for weeks, leaving the "
    "town short of food and medicine as winter approached."
)
GERMAN = (
    "Kurdische Vertreter sagten, der Grenzübergang sei seit Wochen für Hilfskonvois geschlossen, "
    "so dass der Stadt Lebensmittel und Medikamente fehlten, als der Winter näher kam."
)


def test_languages_are_identified_and_unsure_ones_are_undetermined() -> None:
    assert identify(ENGLISH) == "en"
    assert identify(GERMAN) == "de"
    assert identify("Home Login Share") == UNDETERMINED  # chrome alone says nothing
    assert identify("") == UNDETERMINED
    assert english_rules_apply("en") and english_rules_apply(UNDETERMINED)
    assert not english_rules_apply("de")


def test_a_page_in_another_language_is_kept_whole_and_not_annotated(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    chrome = "Startseite\nAnmelden\nTeilen\n"
    (raw / "de.txt").write_text(f"{chrome}\n{GERMAN}\n\n{GERMAN}\n\n© 2019 Zeitung\n")
    (raw / "en.txt").write_text(f"Turkey and the border\n\n{ENGLISH}\n\n{ENGLISH} Again.\n")
    build(raw, tmp_path / "out", progress=False)
    read = {t: pd.read_parquet(tmp_path / "out" / f"{t}.parquet") for t in ("articles", "blocks")}
    articles = read["articles"].set_index("doc_id")
    assert articles.loc["de", "language"] == "de" and articles.loc["en", "language"] == "en"
    assert articles.loc["de", "status"] == "ok"
    german = read["blocks"][read["blocks"]["doc_id"] == "de"]
    assert german["is_body"].all() and (german["rule"] == "not_english").all()
    assert "Startseite" in articles.loc["de", "text"]  # nothing dropped by English rules
    sentences = pd.read_parquet(tmp_path / "out" / "sentences.parquet")
    assert set(sentences["doc_id"]) == {"en"}  # the English pipeline read only English
