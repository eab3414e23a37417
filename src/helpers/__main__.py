"""Command line: ``python -m helpers build|study|notebooks|report|bench|schema``."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from importlib.metadata import version
from pathlib import Path

from helpers.build.memory import main_process_memory
from helpers.paths import FIGURES_DIR, PROCESSED_DIR, RAW_DIR
from helpers.text import printable


def use_checked_study(path: Path, note: str) -> bool:
    """Read the study in ``path`` from now on; False, with the error printed, when a file
    of it cannot be used."""
    from helpers.study import StudyError, check_study, use_study

    try:
        check_study(path)
    except StudyError as bad:
        print(f"error: the study cannot be used{note}\n{bad}", file=sys.stderr)
        return False
    use_study(path)
    return True


def make_parser() -> argparse.ArgumentParser:
    """The command line: every argument with its help and its default."""
    parser = argparse.ArgumentParser(
        prog="python -m helpers",
        description=__doc__,
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {version('helpers')}")
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, text: str) -> argparse.ArgumentParser:
        """A subcommand whose --help gives every argument's default."""
        return sub.add_parser(
            name,
            help=text,
            description=text,
            formatter_class=argparse.ArgumentDefaultsHelpFormatter,
        )

    p_build = command("build", "raw articles -> Parquet tables")
    p_build.add_argument(
        "raw_dir",
        nargs="?",
        type=Path,
        default=RAW_DIR,
        help="folder of .txt, .html and .htm articles, with an optional manifest.csv",
    )
    p_build.add_argument(
        "--out", type=Path, default=PROCESSED_DIR, help="folder the tables are written to"
    )
    p_build.add_argument(
        "--study",
        type=Path,
        help="study folder (entities, naming, claims, labels, sources); default: study/ "
        "beside the raw folder, else the project's",
    )
    p_build.add_argument("--quiet", action="store_true", help="no progress bar")
    p_build.add_argument(
        "--engine",
        choices=("local", "dask"),
        default="local",
        help="where the per-document stage runs",
    )
    p_build.add_argument("--scheduler", help="dask scheduler address; none: a LocalCluster")
    p_build.add_argument(
        "-j",
        "--n-process",
        type=int,
        default=1,
        help="worker processes (local) or LocalCluster workers (dask)",
    )
    p_build.add_argument(
        "--wait",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="wait this long for another build writing the same --out to finish",
    )
    p_build.add_argument(
        "--no-cache",
        action="store_true",
        help="process every document again and ignore the build stamp",
    )
    p_study = command("study", "start a study folder from a corpus")
    study_sub = p_study.add_subparsers(dest="study_command", required=True, help="what to do")
    p_init = study_sub.add_parser(
        "init",
        help="write candidate entities, outlets and claims to edit (docs/study.md)",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    p_init.add_argument("raw_dir", type=Path, help="folder of articles, as for build")
    p_init.add_argument("--out", type=Path, required=True, help="new folder for the study")
    p_report = command("report", "write the self-contained HTML report")
    p_report.add_argument(
        "--out", type=Path, default=FIGURES_DIR / "report.html", help="the report's file"
    )
    p_report.add_argument(
        "--force", action="store_true", help="write it even when its inputs are unchanged"
    )
    p_bench = command("bench", "throughput and memory on a synthetic corpus")
    p_bench.add_argument(
        "--words", type=int, nargs="+", default=[1_000_000], help="corpus sizes in words"
    )
    p_bench.add_argument("-j", "--n-process", type=int, default=2, help="worker processes")
    p_bench.add_argument(
        "--engine", choices=("local", "dask"), default="local", help="where documents run"
    )
    p_bench.add_argument("--csv", type=Path, help="also write the results here")
    p_schema = command("schema", "print the data dictionary (Markdown) of every table")
    p_schema.add_argument("--out", type=Path, help="write it to this file instead of stdout")
    p_nb = command("notebooks", "execute every notebook in order, in place")
    p_nb.add_argument("names", nargs="*", help="notebook files (none: every notebook, in order)")
    p_nb.add_argument(
        "--force", action="store_true", help="run them even when their inputs are unchanged"
    )
    p_nb.add_argument(
        "--tables",
        type=Path,
        help="run copies on the build in this folder (with --out), not the notebooks in place",
    )
    p_nb.add_argument(
        "--out", type=Path, help="with --tables: folder for the executed copies, figures, report"
    )
    p_nb.add_argument(
        "--study", type=Path, help="with --tables: the study folder (default: the build's own)"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    main_process_memory()  # before pyarrow is imported or anything starts a thread
    args = make_parser().parse_args(argv)

    if args.command == "build":
        if not args.raw_dir.is_dir():
            print(f"error: no such directory: {args.raw_dir}", file=sys.stderr)
            return 2
        from helpers.build.cache import is_current
        from helpers.schema import TABLES
        from helpers.study import find_study

        if not use_checked_study(find_study(args.raw_dir, args.study), " (nothing was built)"):
            return 2
        if not args.no_cache and is_current(args.raw_dir, args.out, TABLES):
            print(f"up to date: {args.out} (input and pipeline unchanged)")
            return 0
        from helpers.build.pipeline import build
        from helpers.build.store import OutputRefused

        signal.signal(signal.SIGTERM, _stop)  # stops as Ctrl-C does: workers first
        try:
            tables = build(
                args.raw_dir,
                args.out,
                progress=not args.quiet,
                engine=args.engine,
                n_process=args.n_process,
                scheduler=args.scheduler,
                use_cache=not args.no_cache,
                wait=args.wait,
            )
        except OutputRefused as refused:
            print(f"error: {printable(str(refused))}", file=sys.stderr)
            return 2
        except KeyboardInterrupt:  # the workers are stopped and this build's files removed
            print(
                f"stopped: {printable(str(args.out))} keeps the tables it had, whole",
                file=sys.stderr,
            )
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(130)  # at once: tearing down the loaded libraries takes seconds more
        arts = tables["articles"]
        rejected = arts[arts["status"] != "ok"]
        print(
            f"{len(arts)} files: {len(arts) - len(rejected)} ok, {len(rejected)} rejected; "
            f"{tables.rows('sentences')} sentences -> {args.out}"
        )
        for file, reason in zip(rejected["file"], rejected["reason"], strict=True):
            print(f"  rejected {printable(file)}: {printable(reason)}")
        return 0
    if args.command == "study":
        if not args.raw_dir.is_dir():
            print(f"error: no such directory: {args.raw_dir}", file=sys.stderr)
            return 2
        from helpers.analysis.starter import init_study

        try:
            written = init_study(args.raw_dir, args.out)
        except FileExistsError as exists:
            print(f"error: {exists}", file=sys.stderr)
            return 2
        print(f"starter study -> {args.out}: {', '.join(written)} (edit it, then build "
              f"with --study {args.out})")
        return 0
    if args.command == "bench":
        import pandas as pd

        from helpers.build.bench import bench

        results = pd.DataFrame(bench(args.words, args.n_process, args.engine))
        print(results.T.to_string())
        if args.csv:
            results.to_csv(args.csv, index=False)
        return 0
    if args.command == "schema":
        from helpers.schema import data_dictionary

        if args.out:
            args.out.write_text(data_dictionary(), encoding="utf-8")
        else:
            sys.stdout.write(data_dictionary())
        return 0
    if args.command == "report":
        from helpers.publish.stamps import is_current, mark_current, report_inputs

        inputs = report_inputs(PROCESSED_DIR, FIGURES_DIR)
        if not args.force and is_current(args.out, inputs):
            print(f"up to date: {args.out} (tables and figures unchanged)")
            return 0
        from helpers.analysis.tables import load_tables  # the whole kit: imported when needed
        from helpers.publish.report import write_report

        print(f"report -> {write_report(load_tables(), args.out, progress=True)}")
        mark_current(args.out, inputs)
        return 0
    if args.tables is None:
        from helpers.publish.notebooks import run_notebooks

        run_notebooks([Path(n) for n in args.names] or None, force=args.force)
        return 0
    if args.out is None:
        print("error: --tables needs --out, the folder to write the copies to", file=sys.stderr)
        return 2
    if not (args.tables / "articles.parquet").exists():
        print(
            f"error: no build in {args.tables}: run python -m helpers build RAW --out "
            f"{args.tables} first",
            file=sys.stderr,
        )
        return 2
    from helpers.analysis.tables import load_tables
    from helpers.publish.notebooks import run_copies
    from helpers.publish.report import write_report
    from helpers.study import DEFAULT_STUDY, recorded_study

    study = args.study or recorded_study(args.tables) or DEFAULT_STUDY
    if not use_checked_study(study, ""):
        return 2
    errors = run_copies(args.tables, args.out, [Path(n) for n in args.names] or None, study)
    report = write_report(
        load_tables(args.tables), args.out / "report.html", args.out / "figures", progress=True
    )
    print(f"report -> {report}")
    failed = [name for name, error in errors.items() if error]
    for name in failed:
        print(f"  {name} failed: {errors[name]} (saved with its error in {args.out / 'notebooks'})")
    return 1 if failed else 0


def _stop(signum: int, frame: object) -> None:
    """SIGTERM: stop the build as Ctrl-C does."""
    raise KeyboardInterrupt


if __name__ == "__main__":
    sys.exit(main())
