"""What we found: written from the tables, with its evidence, and a sentence for an empty
result."""

from __future__ import annotations

import pandas as pd

from helpers.analysis.findings import findings, what_we_found, wilson


def test_the_wilson_interval_holds_the_share_and_widens_on_few_items() -> None:
    low, high = wilson(3, 4)
    assert low < 0.75 < high
    assert high - low > wilson(30, 40)[1] - wilson(30, 40)[0]
    assert wilson(0, 0) == (0.0, 1.0)


def test_every_finding_has_its_evidence(seed_tables: dict[str, pd.DataFrame]) -> None:
    found = findings(seed_tables)
    assert {f.topic for f in found} == {"corpus", "entities", "sourcing", "framing"}
    asserted = [f for f in found if "is asserted as fact by" in f.text]
    assert asserted and all(f.n == len(f.evidence) > 0 for f in asserted)
    cited = seed_tables["claims"]
    for f in asserted:  # each evidence line is a matched sentence, by outlet and raw line
        for line in f.evidence:
            assert any(line.endswith(" ".join(t.split())) for t in cited["text"]), line
    naming = [f for f in found if "mostly writes" in f.text]
    assert naming and all("95% interval" in f.text for f in naming)


def test_empty_results_are_sentences_not_errors(seed_tables: dict[str, pd.DataFrame]) -> None:
    empty = {name: table.iloc[0:0] for name, table in seed_tables.items()}
    empty["articles"] = seed_tables["articles"]
    text = what_we_found(empty, "entities")
    assert "No study entity is named in these articles" in text
    assert "None of the study's" in what_we_found(empty, "framing")
    assert "No quotation is shared" in what_we_found(empty, "sourcing")
