"""Score the kit on the development set, with a bootstrap interval over its articles.

usage (from the project root):
  .venv/bin/python benchmarks/devset.py [--devset ../shared/devset] [--out CSV] [--replicates N]

The development set lives outside the project and is only read from there (its README
says what it holds). Its own scorer,
``score.py``, builds the kit on the pages once and prints every figure and every error.
The articles are then drawn with replacement and each draw scored again by the same scorer
on the same tables, so the interval comes from the scorer's own definitions. Claims and
verification caveats, which that scorer does not cover, are scored by the kit's own
evaluation against the project's annotation of the same pages
(``data/annotations/devset/``, matched by file digest). The figures go to ``--out``
(default ``data/evaluation/devset.csv``), which notebook 05 shows beside the seed
annotation.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
METRICS = {  # the scorer's key -> (task, measure), in the order notebook 05 shows them
    "headline_exact": ("headline", "exact"),
    "body_F1": ("body lines", "F1"),
    "entity_cells_exact": ("study-entity counts", "accuracy"),
    "quote_F1": ("quotes", "F1"),
    "speaker_acc": ("speaker", "accuracy"),
    "source_R": ("sources", "recall"),
    "source_P": ("sources", "precision"),
    "source_type_acc": ("source type", "accuracy"),
}
TABLES = ("articles", "blocks", "mentions", "quotes", "sources", "claims", "sentences")
ANNOTATION = ROOT / "data" / "annotations" / "devset"


def _scorer(devset: Path):
    spec = importlib.util.spec_from_file_location("devset_score", devset / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _output(scorer, argv: list[str]) -> str:
    """What the scorer prints for ``argv``, caught; its last line is the JSON summary."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        scorer.main(argv)
    return buffer.getvalue()


def _summary(output: str) -> dict:
    return json.loads(output.strip().splitlines()[-1])


def _resampled(tables: dict[str, pd.DataFrame], keys: list[str], draw: list[str]) -> dict:
    """The tables of one draw: each drawn article's rows under a new id per draw."""
    out = {}
    for name, table in tables.items():
        key = table["doc_id"].map(lambda d: Path(str(d)).stem)
        parts = [
            table[key == k].assign(doc_id=f"{k}__{i}") for i, k in enumerate(draw) if k in keys
        ]
        out[name] = pd.concat(parts, ignore_index=True)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--devset", type=Path, default=ROOT.parent / "shared" / "devset")
    ap.add_argument("--out", type=Path, default=ROOT / "data" / "evaluation" / "devset.csv")
    ap.add_argument("--replicates", type=int, default=200, help="bootstrap draws (default 200)")
    args = ap.parse_args(argv)
    if not (args.devset / "score.py").exists():
        print(f"no development set at {args.devset} (expected score.py, raw/ and gold/)")
        return 2
    scorer = _scorer(args.devset)
    built = Path(tempfile.mkdtemp(prefix="devset-"))
    report = _output(scorer, ["--project", str(ROOT), "--out", str(built)])
    print(report, end="")
    point = _summary(report)

    gold = sorted((args.devset / "gold").glob("*.json"))
    keys = [g.stem for g in gold]
    tables = {name: pd.read_parquet(built / f"{name}.parquet") for name in TABLES}
    scorer.build = lambda *a, **k: None  # the tables are built: each draw only re-scores
    rng = np.random.default_rng(0)
    draws = []
    for _ in range(args.replicates):
        draw = list(rng.choice(keys, size=len(keys)))
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            for i, k in enumerate(draw):
                (folder / f"{k}__{i}.json").symlink_to(args.devset / "gold" / f"{k}.json")
            sample = _resampled(tables, keys, draw)
            scorer.load = lambda _out, name, sample=sample: sample.get(name)
            draws.append(_summary(_output(scorer, ["--gold", str(folder), "--out", str(built)])))
    spread = pd.DataFrame(draws)
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    rows = [
        {
            "task": task,
            "measure": measure,
            "score": point[key],
            "low": round(float(spread[key].quantile(0.025)), 3),
            "high": round(float(spread[key].quantile(0.975)), 3),
            "articles": len(keys),
            "commit": commit,
        }
        for key, (task, measure) in METRICS.items()
    ]
    if (ANNOTATION / "files.csv").exists():
        from helpers.analysis.evaluation import bootstrap, document_counts

        counts = document_counts(tables, ANNOTATION, args.devset / "raw")
        rows += [
            {**r, "articles": int(r["articles"]), "commit": commit}
            | {k: round(float(r[k]), 3) for k in ("score", "low", "high")}
            for r in bootstrap(counts).to_dict("records")
        ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows).to_csv(args.out, index=False)
    print(f"\n95 % bootstrap intervals over {len(keys)} articles ({args.replicates} draws):")
    for r in rows:
        interval = f"[{r['low']:.3f}, {r['high']:.3f}]"
        print(f"  {r['task']:<22} {r['measure']:<9} {r['score']:.3f}  {interval}")
    print(f"-> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
