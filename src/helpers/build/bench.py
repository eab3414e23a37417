"""``python -m helpers bench``: throughput and memory of the build on a synthetic corpus.

The corpus is made of the raw articles' content paragraphs, shuffled into new articles
(so it is not copies of the five), written as text files with a manifest. Each build runs
in a fresh process so its peak memory is its own; bare ``nlp.pipe`` with the same
pipeline and ``n_process`` over the same paragraphs is the yardstick.
"""

from __future__ import annotations

import csv
import random
import resource
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from helpers.build.memory import main_process_memory
from helpers.build.pipeline import build
from helpers.build.rows import in_memory, read_articles, read_tables
from helpers.ingest.clean import words
from helpers.paths import RAW_DIR


def synthetic_corpus(
    raw_dir: Path,
    out_dir: Path,
    target_words: int,
    seed: int = 0,
) -> tuple[int, int]:
    """Write shuffled-paragraph articles until ``target_words``; (files, words)."""
    articles, blocks = read_tables(raw_dir, progress=False)
    ok = articles[articles["status"] == "ok"]
    blocks = blocks[blocks["doc_id"].isin(ok["doc_id"])]
    pool = blocks.loc[blocks["is_body"] & blocks["role"].isin({"body", "blockquote"}), "text"]
    outlets = sorted(set(ok["outlet"].fillna(ok["doc_id"])))
    paragraphs = pool.tolist()
    rng = random.Random(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    rows, total, n = [], 0, 0
    while total < target_words:
        body = rng.sample(paragraphs, k=min(len(paragraphs), rng.randint(6, 14)))
        headline = " ".join(body[0].split()[:9]).rstrip(".,;:")
        name = f"synthetic_{n:06d}.txt"
        (out_dir / name).write_text("\n\n".join([headline, *body]) + "\n", encoding="utf-8")
        rows.append([name, outlets[n % len(outlets)], f"2019-{1 + n % 12:02d}-{1 + n % 28:02d}"])
        total += sum(len(words(p)) for p in [headline, *body])
        n += 1
    with (out_dir / "manifest.csv").open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([["file", "outlet", "published"], *rows])
    return n, total


def _peak_mb() -> tuple[float, float]:
    """Peak resident memory of this process and of its largest finished child, in MB.

    This process's own peak is the kernel's high-water mark of its address space
    (``VmHWM``), which starts afresh when the process is started: ``ru_maxrss`` carries
    over the parent's resident size at the fork that starts it, and would report that for
    a build that used less. Children's peaks come from ``ru_maxrss`` (only the largest is
    kept), which therefore never reads below this process's size when it started them.
    """
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(high_water_kb() / 1024, 1), round(children / 1024, 1)


def high_water_kb() -> int:
    """This process's peak resident size since it started, in kB (Linux ``VmHWM``; the
    ``ru_maxrss`` of the process where /proc is missing)."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    line = next(ln for ln in status.splitlines() if ln.startswith("VmHWM:"))
    return int(line.split()[1])


def _run_build(raw: str, out: str, engine: str, n_process: int) -> dict:
    timings: dict[str, float] = {}
    start = time.perf_counter()
    tables = build(
        Path(raw),
        Path(out),
        progress=False,
        engine=engine,
        n_process=n_process,
        use_cache=False,
        timings=timings,
    )
    return {
        "seconds": round(time.perf_counter() - start, 2),
        "timings": timings,
        "peak_mb": _peak_mb(),
        "articles": int((tables["articles"]["status"] == "ok").sum()),
    }


def _run_bare(raw: str, n_process: int) -> dict:
    from helpers.annotate.nlp import get_nlp

    # exactly the blocks the build's engines parse
    docs = read_articles(Path(raw), in_memory("articles"), in_memory("blocks"), False)
    texts = [b["text"] for _, _, doc in docs for b in doc]
    nlp = get_nlp()
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=64, n_process=n_process):
        pass
    return {"seconds": round(time.perf_counter() - start, 2), "peak_mb": _peak_mb()}


def _fresh(fn, *args, setup=None) -> dict:
    """Run ``fn`` in a new process, so peak memory and model loading are its own, calling
    ``setup`` there first."""
    with ProcessPoolExecutor(1, mp_context=get_context("spawn"), initializer=setup) as pool:
        return pool.submit(fn, *args).result()


def bench(sizes: list[int], n_process: int, engine: str = "local") -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            raw = Path(tmp) / f"raw_{size}"
            n_files, n_words = synthetic_corpus(RAW_DIR, raw, size)
            out = str(Path(tmp) / f"out_{size}")
            # the build's main process as ``python -m helpers build`` runs it
            built = _fresh(_run_build, str(raw), out, engine, n_process, setup=main_process_memory)
            bare = _fresh(_run_bare, str(raw), n_process)
            # reading overlaps annotation, so the two are timed as one
            laps = built["timings"]
            annotate = laps["read (annotating meanwhile)"] + laps["annotate (the rest)"]
            rows.append(
                {
                    "words": n_words,
                    "articles": n_files,
                    "engine": engine,
                    "n_process": n_process,
                    "build_s": built["seconds"],
                    "build_words_per_s": round(n_words / built["seconds"]),
                    "read_annotate_words_per_s": round(n_words / annotate),
                    "bare_pipe_words_per_s": round(n_words / bare["seconds"]),
                    "read_annotate_vs_bare": round(bare["seconds"] / annotate, 3),
                    "build_vs_bare": round(bare["seconds"] / built["seconds"], 3),
                    "peak_mb": built["peak_mb"][0],
                    "worker_peak_mb": built["peak_mb"][1],
                    "bare_peak_mb": bare["peak_mb"][0],
                    "bare_worker_peak_mb": bare["peak_mb"][1],
                    **{f"{k} s": v for k, v in built["timings"].items()},
                }
            )
            print(stage_shares(built["timings"], built["seconds"], n_words), flush=True)
    return rows


def stage_shares(timings: dict[str, float], wall: float, n_words: int) -> str:
    """Each stage's seconds and share of the build's wall time, largest first, so the
    stage a regression lands in shows at a glance."""
    lines = [f"{n_words:,} words: build {wall:.1f} s"]
    for stage, seconds in sorted(timings.items(), key=lambda kv: -kv[1]):
        lines.append(f"  {stage:<32} {seconds:7.2f} s  {seconds / wall:6.1%}")
    rest = wall - sum(timings.values())
    lines.append(f"  {'(outside the stages)':<32} {rest:7.2f} s  {rest / wall:6.1%}")
    return "\n".join(lines)
