"""One way to save a figure: PNG (300 dpi) + SVG + the plotted data as CSV."""

from __future__ import annotations

import fcntl
import textwrap
from io import BytesIO, StringIO
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from IPython import get_ipython
from IPython.display import Image, display

from helpers.paths import FIGURES_DIR, NOTEBOOKS_DIR

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
# Paul Tol's "muted" scheme (colour-blind safe) for categories beyond the outlets.
CATEGORY_PALETTE = [
    "#332288",
    "#88CCEE",
    "#44AA99",
    "#117733",
    "#999933",
    "#DDCC77",
    "#CC6677",
    "#882255",
    "#AA4499",
    "#DDDDDD",
    "#000000",
    "#6699CC",
]
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]


def setup_style() -> None:
    """House style for every figure; SVG output made byte-stable between runs."""
    sns.set_theme(style="whitegrid", context="notebook", palette=PALETTE)
    mpl.rcParams.update(
        {
            "svg.hashsalt": "news-kit",
            "svg.fonttype": "none",
            "figure.dpi": 100,
            "savefig.bbox": "tight",
            "axes.titleweight": "bold",
            "figure.titleweight": "bold",
        }
    )


def outlet_colors(outlets: list[str]) -> dict[str, str]:
    """One colour per outlet, fixed by sorted name so it is the same in every figure."""
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(sorted(outlets))}


def wrap_ticks(ax: plt.Axes, width: int = 14) -> None:
    """Column names (outlets) across the bottom of a grid, level and broken onto lines of
    about ``width`` characters, so neighbours never run into each other (rotated labels
    do, and tilt the eye)."""
    labels = [textwrap.fill(t.get_text(), width) for t in ax.get_xticklabels()]
    ax.set_xticks(ax.get_xticks(), labels, rotation=0, ha="center")


def save_figure(
    fig: plt.Figure,
    name: str,
    data: pd.DataFrame,
    source: str,
    caption: str,
    out_dir: Path = FIGURES_DIR,
) -> list[Path]:
    """Write ``name``.png (300 dpi) / .svg / .csv, add the source note, record the figure
    in ``manifest.csv``, show it inline in a notebook, and close it."""
    out_dir.mkdir(parents=True, exist_ok=True)
    fig.draw_without_rendering()  # a constrained layout places its axes when drawn
    # Under everything drawn (rotated tick labels included), so it never overlaps.
    box = fig.get_tightbbox(fig.canvas.get_renderer())
    width, height = fig.get_size_inches()
    fig.text(
        box.x0 / width,
        (box.y0 - 0.12) / height,
        f"Source: {source}",
        ha="left",
        va="top",
        fontsize=8,
        color="#555555",
    )
    paths = [out_dir / f"{name}.{ext}" for ext in ("png", "svg", "csv")]
    fig.savefig(paths[0], dpi=300, metadata={"Software": None})
    fig.savefig(paths[1], metadata={"Date": None, "Creator": None})
    data.to_csv(paths[2], index=False, float_format="%.4g")
    record(
        out_dir,
        {
            "id": name,
            "title": figure_title(fig),
            "caption": caption,
            "notebook": notebook_of(name),
            "source": source,
            "files": ";".join(p.name for p in paths),
        },
    )
    if get_ipython() is not None:  # inline copy as a plain PNG: no figure repr is stored
        buffer = BytesIO()
        fig.savefig(buffer, format="png", dpi=110, metadata={"Software": None})
        display(Image(buffer.getvalue()))
    plt.close(fig)
    return paths


MANIFEST_COLUMNS = ["id", "title", "caption", "notebook", "source", "files"]


def figure_title(fig: plt.Figure) -> str:
    """The figure's suptitle, else its first axes title."""
    if fig.get_suptitle():
        return fig.get_suptitle()
    return next((ax.get_title() for ax in fig.axes if ax.get_title()), "")


def notebook_of(name: str) -> str:
    """The notebook a figure id belongs to, from its number prefix ("02-…")."""
    found = sorted(NOTEBOOKS_DIR.glob(f"{name.split('-')[0]}-*.ipynb"))
    return found[0].name if found else ""


def record(out_dir: Path, row: dict) -> None:
    """Insert or replace one figure in ``manifest.csv`` (sorted by id). The file is locked
    while it is read and rewritten: notebooks run side by side (as the tests run them)
    update it at once."""
    path = out_dir / "manifest.csv"
    with path.open("a+", encoding="utf-8", newline="") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        text = handle.read()
        table = (
            pd.read_csv(StringIO(text), dtype=str, keep_default_na=False)
            if text
            else pd.DataFrame(columns=MANIFEST_COLUMNS)
        )
        table = pd.concat([table[table["id"] != row["id"]], pd.DataFrame([row])])
        handle.seek(0)
        handle.truncate()
        table.sort_values("id").to_csv(handle, index=False, columns=MANIFEST_COLUMNS)
