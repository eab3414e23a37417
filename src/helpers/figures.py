"""One way to save a figure: PNG (300 dpi) + SVG + the plotted data as CSV."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from IPython import get_ipython
from IPython.display import Image, display

from .paths import FIGURES_DIR

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
        }
    )


def outlet_colors(outlets: list[str]) -> dict[str, str]:
    """One colour per outlet, fixed by sorted name so it is the same in every figure."""
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(sorted(outlets))}


def save_figure(
    fig: plt.Figure, name: str, data: pd.DataFrame, source: str, out_dir: Path = FIGURES_DIR
) -> list[Path]:
    """Write ``name``.png/.svg/.csv, add the source note, and close the figure."""
    out_dir.mkdir(parents=True, exist_ok=True)
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
    if get_ipython() is not None:  # inline copy as a plain PNG: no figure repr is stored
        buffer = BytesIO()
        fig.savefig(buffer, format="png", dpi=110, metadata={"Software": None})
        display(Image(buffer.getvalue()))
    plt.close(fig)
    return paths
