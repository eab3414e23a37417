"""A self-contained HTML report: findings written from the tables, the key figures with
their captions, the corpus table, and the methods with the kit's own measured accuracy."""

from __future__ import annotations

import base64
import html
import os
import sys
from datetime import UTC, datetime
from importlib.metadata import version
from io import BytesIO
from pathlib import Path

import pandas as pd
from PIL import Image

from helpers.analysis.corpus import corpus_summary
from helpers.analysis.evaluation import evaluate
from helpers.analysis.findings import Finding, findings
from helpers.ingest.corpus import outlet_labels
from helpers.paths import FIGURES_DIR
from helpers.publish.display import html_table, number, readable

KEY_FIGURES = [
    "01-timeline",
    "02-naming-choices",
    "03-attribution-chain",
    "03-fidelity",
    "04-stance",
    "04-claims",
    "04-reuse",
    "02-mention-rates",
]
IMAGE_WIDTH = 1400  # pixels: sharp at report width, a fraction of the 300 dpi file


def _esc(value: object) -> str:
    return html.escape(str(value))


def _finding(found: Finding) -> str:
    """A finding with its evidence count and the sentences behind it."""
    evidence = "".join(f"<li>{_esc(s)}</li>" for s in found.evidence)
    return (
        f"<li>{_esc(found.text)} <span class='note'>(evidence: {found.n} {_esc(found.unit)})"
        f"</span>{f'<ul class=note>{evidence}</ul>' if evidence else ''}</li>"
    )


def _image(path: Path) -> str:
    """The PNG scaled to report width, as a data URI (the report is one file)."""
    with Image.open(path) as img:
        if img.width > IMAGE_WIDTH:
            img = img.resize(
                (IMAGE_WIDTH, round(img.height * IMAGE_WIDTH / img.width)), Image.Resampling.LANCZOS
            )
        buffer = BytesIO()
        img.save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _table(frame: pd.DataFrame) -> str:
    return html_table(readable(frame))


def made_on() -> datetime:
    """When the report is made: now, or ``SOURCE_DATE_EPOCH`` when set (the convention for
    reproducible builds), so two runs on the same inputs can write the same file."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)


def _day(value: str) -> str:
    """An ISO date ("2014-11-08") or month ("2014-11") written out ("8 November 2014")."""
    parts = value.split("-")
    stamp = pd.Timestamp(value if len(parts) == 3 else value + "-01")
    return f"{stamp.day} {stamp:%B %Y}" if len(parts) == 3 else f"{stamp:%B %Y}"


def header(articles: pd.DataFrame, made: datetime) -> tuple[str, str]:
    """The report's title, naming the corpus by the headline of its earliest article, and
    the line under it: articles, outlets, date range, when it was made, the kit's version."""
    ok = articles[articles["status"] == "ok"]
    dated = ok.assign(when=ok["published"].fillna(ok["published_month"])).dropna(subset="when")
    first = dated.sort_values(["when", "doc_id"]).iloc[0] if len(dated) else None
    story = first["headline"] if first is not None and first["headline"] else ""
    title = f"How the outlets covered “{story}”" if story else "How the outlets covered the story"
    outlets = outlet_labels(articles)[ok["doc_id"]].nunique()
    span = ""
    if len(dated):
        low, high = dated["when"].min(), dated["when"].max()
        span = f", published {_day(low)}" + (f" to {_day(high)}" if high != low else "")
    line = (
        f"{number(len(ok))} articles from {number(outlets)} outlets{span}. Made on "
        f"{made.day} {made:%B %Y} with helpers {version('helpers')}."
    )
    return title, line


STYLE = """
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:62rem;margin:2rem auto;
padding:0 1rem;line-height:1.5;color:#222}
h1{font-size:1.7rem;margin-bottom:.3rem}.lede{font-size:1.05rem;color:#333;margin-top:0}
h2{margin-top:2.2rem;border-bottom:1px solid #ddd}
figure{margin:1.5rem 0}figure img{max-width:100%;height:auto;display:block}
figcaption{font-size:.9rem;color:#444}
table.data{border-collapse:collapse;font-size:.85rem;width:100%;display:block;overflow-x:auto}
table.data th,table.data td{padding:.25rem .5rem;border-bottom:1px solid #eee;text-align:left}
.note{font-size:.9rem;color:#555}
"""


def build_report(
    t: dict[str, pd.DataFrame],
    figures_dir: Path = FIGURES_DIR,
    made: datetime | None = None,
    progress: bool = False,
) -> str:
    """The report as one HTML string, dated ``made`` (default ``made_on()``); no random
    ids, so the same inputs and date give the same file. ``progress`` says each step on
    stderr."""

    def say(step: str) -> None:
        if progress:
            print(f"report: {step}", file=sys.stderr, flush=True)

    say("findings from the tables")
    title, line = header(t["articles"], made or made_on())
    manifest = pd.read_csv(figures_dir / "manifest.csv", dtype=str, keep_default_na=False)
    manifest = manifest.set_index("id")
    summary = corpus_summary(t["articles"], t["blocks"])
    scores, _ = evaluate(t)
    parts = [
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{_esc(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{_esc(title)}</h1>",
        f"<p class='lede'>{_esc(line)}</p>",
        "<p class='note'>Generated by <code>python -m helpers report</code> from the "
        "tables in <code>data/processed/</code>; every number below is read from them."
        "</p>",
        "<h2>Findings</h2><ul>",
    ]
    parts += [_finding(f) for f in findings(t)]
    parts.append("</ul><h2>Figures</h2>")
    shown = [f for f in KEY_FIGURES if f in manifest.index and (figures_dir / f"{f}.png").exists()]
    for done, fig_id in enumerate(shown, 1):
        say(f"figure {done} of {len(shown)}: {fig_id}")
        row = manifest.loc[fig_id]
        parts.append(
            f"<figure id='{_esc(fig_id)}'><img src='{_image(figures_dir / f'{fig_id}.png')}'"
            f" alt='{_esc(row['title'])}'><figcaption><b>{_esc(row['title'])}.</b> "
            f"{_esc(row['caption'])} Source: {_esc(row['source'])}. Notebook "
            f"<code>{_esc(row['notebook'])}</code>.</figcaption></figure>"
        )
    say("corpus table and measured accuracy")
    columns = ["outlet", "published", "published_month", "n_words", "lines_kept", "lines_dropped"]
    parts += ["<h2>The corpus</h2>", _table(summary[columns])]
    parts += [
        "<h2>Methods and measured accuracy</h2>",
        "<p>Raw page copies are decoded and cut into line blocks; a rule-based "
        "classifier (chrome patterns in a data file, line features, page zones) keeps "
        "the article text. One spaCy pipeline (en_core_web_sm 3.8 with an entity ruler "
        "fed by an alias file) finds sentences, entities and the dependency parse that "
        "attributes quotations. Stance, labels, claims and reuse are computed from "
        "versioned lexicons.</p>",
        *(
            [
                "<p>The scores below compare the kit with a hand annotation of the seed "
                "articles (<code>data/annotations/</code>). They are measured on the texts "
                "the rules were developed on, so expect lower scores on other outlets; "
                "notebook <code>05-evaluation</code> lists every disagreement.</p>",
                _table(scores.drop(columns=["tp", "fp", "fn"])),
            ]
            if len(scores)
            else [
                "<p>No hand annotation belongs to this corpus (annotations are matched to "
                "articles by file digest), so the kit's accuracy on it is not measured "
                "here; <code>docs/evaluation.md</code> gives its scores on annotated "
                "pages.</p>"
            ]
        ),
        "<h2>Reproduce</h2><p><code>make all</code> rebuilds every table, notebook, "
        "figure and this report from the raw files; <code>make test</code> runs the "
        "tests.</p></body></html>",
    ]
    return "\n".join(parts)


def write_report(
    t: dict[str, pd.DataFrame],
    out: Path = FIGURES_DIR / "report.html",
    figures_dir: Path = FIGURES_DIR,
    progress: bool = False,
) -> Path:
    out.write_text(build_report(t, figures_dir, progress=progress), encoding="utf-8")
    return out
