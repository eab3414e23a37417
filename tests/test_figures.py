"""What a reader sees in each figure: every figure is drawn from the project's tables (and
invented ones for the edge cases) and its content checked as drawn: text large enough at
report width, no text boxes overlapping, shared scales, labels in words."""

from __future__ import annotations

from itertools import combinations

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.text import Text

from helpers.across.claims import claims
from helpers.analysis import corpus as ac
from helpers.analysis import entities as ae
from helpers.analysis import framing as af
from helpers.analysis import sourcing as asrc
from helpers.analysis.evaluation import evaluate
from helpers.annotate.entities import target_entities
from helpers.figures import corpus as fc
from helpers.figures import entities as fe
from helpers.figures import evaluation as fv
from helpers.figures import framing as ff
from helpers.figures import sourcing as fs
from helpers.figures.labels import LABELS, RELATIONS, label
from helpers.figures.save import setup_style
from helpers.publish.setup import setup_notebook

REPORT_WIDTH = 1000  # pixels a figure is read at in the report
SMALLEST_TEXT = 9.0  # pixels of a letter's em at that width: below it a label is squinted at


@pytest.fixture(scope="module")
def nb():
    mpl.use("Agg")
    return setup_notebook()


def _figures(nb) -> dict[str, plt.Figure]:
    """Every figure of the notebooks, as they draw it from the project's tables."""
    t, labels, _ = nb
    arts = t["articles"]
    ok = sorted(arts.loc[arts["status"] == "ok", "doc_id"])
    study = target_entities()
    focus = [*study, "Kurds", "Syria", "US", "Russia"]
    pairs = ae.cooccurrence(t["mentions"], focus)
    graph = asrc.chain_graph(t["chain"])
    versions = t["utterances"]
    sims = t["similarity"]
    own = t["stance"][t["stance"]["voice"] == "author"]
    distinctive = t["distinctive"]
    wording = {c["id"]: c["wording"] for c in claims()}
    scores, _ = evaluate(t)
    made = {
        "timeline": fc.timeline(ac.corpus_summary(arts, t["blocks"])),
        "kept-shares": fc.kept_shares(ac.role_shares(t["blocks"]), labels),
        "mention-rates": fe.mention_rates(ae.mention_counts(t["mentions"], arts, study)),
        "naming-choices": fe.naming_choice_bars(ae.naming_choices(t["mentions"], arts)),
        "cooccurrence": fe.heatmap_grid(pairs, labels, focus),
        "network": fe.network(ae.entity_graph(pairs, t["mentions"])),
        "source-types": fs.source_type_bars(asrc.source_type_counts(t["sources"], arts)),
        "fidelity": fs.fidelity_heatmap(
            asrc.fidelity_matrix(versions), versions.groupby("utterance_id")["text"].first()
        ),
        "chain": fs.chain_plot(graph, asrc.chain_layers(graph)),
        "stance": ff.stance_intervals(af.stance_profile(own, arts, n_boot=50, seed=0)),
        "labels": ff.label_heatmap(t["labels"]),
        "fightin-words": ff.fightin_words_bars(
            distinctive[distinctive["method"] == "fightin_words"]
        ),
        "similarity": ff.similarity_clustermap(
            af.similarity_matrix(sims).rename(index=labels, columns=labels)
        ),
        "reuse": ff.reuse_heatmap(
            sims.assign(outlet_a=sims["doc_a"].map(labels), outlet_b=sims["doc_b"].map(labels))
        ),
        "claims": ff.claim_matrix_plot(
            af.claim_matrix(t["claims"], ok).rename(columns=labels),
            wording,
            af.claim_counts(t["claims"], ok).rename(columns=labels),
        ),
        "scores": fv.score_bars(scores),
    }
    return {name: fig for name, (fig, _) in made.items()}


@pytest.fixture(scope="module")
def figures(nb):
    drawn = _figures(nb)
    for fig in drawn.values():
        fig.draw_without_rendering()
    yield drawn
    plt.close("all")


def _texts(fig: plt.Figure) -> list[Text]:
    """Every visible, non-empty text drawn in the figure (a tick outside its axis's view
    keeps a visible label that is never drawn)."""
    undrawn = set()
    for ax in fig.axes:
        for axis, limits in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim())):
            low, high = sorted(limits)
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if not low <= tick.get_loc() <= high:
                    undrawn |= {id(tick.label1), id(tick.label2)}
    return [
        t
        for t in fig.findobj(Text)
        if t.get_visible() and t.get_text().strip() and id(t) not in undrawn
    ]


def _overlaps(fig: plt.Figure) -> list[tuple[str, str]]:
    renderer = fig.canvas.get_renderer()
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in _texts(fig)]
    return [
        (a, b)
        for (a, box_a), (b, box_b) in combinations(boxes, 2)
        if box_a.overlaps(box_b) and box_a.width and box_b.width
    ]


def test_every_text_is_legible_at_report_width(figures) -> None:
    small = {}
    for name, fig in figures.items():
        renderer = fig.canvas.get_renderer()
        inches = fig.get_tightbbox(renderer).width
        scale = REPORT_WIDTH / (inches * 72)  # pixels per point once shrunk to report width
        sizes = [t.get_fontsize() * scale for t in _texts(fig)]
        if min(sizes) < SMALLEST_TEXT:
            small[name] = round(min(sizes), 1)
    assert small == {}


def test_no_two_texts_overlap(figures) -> None:
    overlapping = {name: _overlaps(fig) for name, fig in figures.items()}
    assert {name: pairs for name, pairs in overlapping.items() if pairs} == {}


def test_mention_rate_panels_share_one_scale(figures) -> None:
    fig = figures["mention-rates"]
    limits = {ax.get_xlim() for ax in fig.axes}
    assert len(fig.axes) == len(target_entities())
    assert len(limits) == 1
    assert min(limits)[0] == 0


def _naming(outlets_naming: dict[str, list[tuple[str, str, int]]]) -> pd.DataFrame:
    rows = [
        (outlet, group, choice, n)
        for group, by_outlet in outlets_naming.items()
        for outlet, choice, n in by_outlet
    ]
    table = pd.DataFrame(rows, columns=["outlet", "group", "choice", "n"])
    table["share"] = table["n"] / table.groupby(["outlet", "group"])["n"].transform("sum")
    return table


def test_naming_choices_mark_an_outlet_that_never_names_and_keep_labels_inside() -> None:
    setup_style()
    table = _naming(
        {
            "What the harbour is called": [
                ("Carrow Courier", "Port Esk", 9),
                ("Carrow Courier", "Esk Harbour of the Northern Shore", 1),
                ("Drum Weekly", "Port Esk", 3),
                ("Fenwick Post", "Esk", 4),
            ],
            "How the mayor is named": [("Carrow Courier", "Mayor Tamsin Oake", 5)],
        }
    )
    fig, _ = fe.naming_choice_bars(table)
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    mayor = next(ax for ax in fig.axes if ax.get_title(loc="left") == "How the mayor is named")
    marks = [t for t in mayor.texts if t.get_text() == fe.NOT_NAMED]
    assert len(marks) == 2  # Drum Weekly and Fenwick Post never name the mayor
    assert fig.get_suptitle() not in {ax.get_title(loc="left") for ax in fig.axes}
    for ax in fig.axes:
        bars = [bar for group in ax.containers for bar in group]
        for text in ax.texts:
            if text.get_text() == fe.NOT_NAMED:
                continue
            box = text.get_window_extent(renderer)
            assert any(
                bar.get_window_extent(renderer).x0 <= box.x0
                and box.x1 <= bar.get_window_extent(renderer).x1
                for bar in bars
            ), text.get_text()
    # the long name in a 10 % segment is left to the legend
    shown = {t.get_text() for ax in fig.axes for t in ax.texts}
    assert "Esk Harbour of the Northern Shore" not in shown
    assert "Port Esk" in shown
    plt.close(fig)


@pytest.mark.parametrize(
    "dates",
    [
        ["2021-03-04", "2021-03-04"],
        ["2021-03-04", "2021-03-20"],
        ["2015-01-02", "2017-06-30", "2020-12-31"],
    ],
)
def test_the_timeline_has_date_labels_for_one_day_or_five_years(dates: list[str]) -> None:
    setup_style()
    summary = pd.DataFrame(
        {
            "doc_id": [f"d{i}" for i in range(len(dates))],
            "outlet": [f"Outlet {i}" for i in range(len(dates))],
            "published": dates,
            "published_month": [d[:7] for d in dates],
            "n_words": [300] * len(dates),
        }
    )
    fig, _ = fc.timeline(summary)
    fig.draw_without_rendering()
    ax = fig.axes[0]
    ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert len(ticks) >= 3, ticks
    lo, hi = ax.get_xlim()
    assert lo < mpl.dates.date2num(pd.Timestamp(min(dates))) < hi
    assert lo < mpl.dates.date2num(pd.Timestamp(max(dates))) < hi
    plt.close(fig)


def test_legends_and_labels_are_words_not_column_names(figures) -> None:
    legend = figures["source-types"].axes[0].get_legend()
    names = [t.get_text() for t in legend.get_texts()]
    assert names and all("_" not in n for n in names), names
    assert set(names) <= set(LABELS.values())
    chain = [t.get_text() for t in figures["chain"].axes[0].get_legend().get_texts()]
    assert chain == [RELATIONS[r] for r in ("republishes", "cites", "quotes", "embeds")]
    assert label("armed_group_member") == "Armed-group member"
    assert label("a_column_no_one_named") == "A column no one named"


def test_the_chain_heads_its_columns_and_labels_sit_beside_the_nodes(figures) -> None:
    fig = figures["chain"]
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert "Outlet of the article" in texts
    assert any(t.startswith("Named by the article") for t in texts)
    renderer = fig.canvas.get_renderer()
    nodes = next(c for c in ax.collections if type(c).__name__ == "PathCollection")
    centres = ax.transData.transform(nodes.get_offsets())
    for text in ax.texts:
        box = text.get_window_extent(renderer)
        assert not any(box.contains(x, y) for x, y in centres), text.get_text()


def test_the_colour_bar_label_is_inside_the_figure(figures) -> None:
    fig = figures["fidelity"]
    renderer = fig.canvas.get_renderer()
    bar = fig.axes[-1]  # seaborn's colour bar comes after the heatmap
    label_box = bar.yaxis.label.get_window_extent(renderer)
    figure_box = fig.bbox
    assert bar.yaxis.label.get_text().startswith("Fidelity")
    assert figure_box.y0 <= label_box.y0 and label_box.y1 <= figure_box.y1
