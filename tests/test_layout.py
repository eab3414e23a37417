"""The package's layout is the pipeline: each stage imports only the stages before it."""

from __future__ import annotations

import ast
from pathlib import Path

import helpers

PACKAGE = Path(helpers.__file__).parent
# pipeline order; the shared modules at the top come first, the command line last
STAGES = ["shared", "ingest", "annotate", "across", "build", "analysis", "figures", "publish"]
SHARED = {"paths", "schema", "lexicons", "study", "text"}


def stage_of(module: str) -> str:
    """The stage of a dotted module name inside the package."""
    parts = module.split(".")
    if len(parts) == 2 and parts[1] in SHARED:
        return "shared"
    if len(parts) == 2 and parts[1] == "__main__":
        return "cli"
    return parts[1]


def package_imports(path: Path) -> set[str]:
    """Every module of the package that ``path`` imports, anywhere in the file."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: relative import"
            names = [node.module or ""]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        found |= {n for n in names if n.startswith("helpers.")}
    return found


def modules() -> dict[str, Path]:
    return {
        "helpers." + p.relative_to(PACKAGE).with_suffix("").as_posix().replace("/", "."): p
        for p in PACKAGE.rglob("*.py")
        if p.name != "__init__.py"
    }


def test_every_module_belongs_to_a_stage_or_the_shared_top() -> None:
    known = {*STAGES, "cli"}
    assert {m: stage_of(m) for m in modules() if stage_of(m) not in known} == {}


def test_no_stage_imports_a_later_one() -> None:
    rank = {stage: i for i, stage in enumerate(STAGES)}
    upward = []
    for module, path in modules().items():
        here = stage_of(module)
        if here == "cli":
            continue
        for imported in package_imports(path):
            there = stage_of(imported)
            if there == "cli" or rank[there] > rank[here]:
                upward.append(f"{module} imports {imported}")
    assert upward == []


def test_the_layering_check_sees_an_upward_import(tmp_path: Path) -> None:
    bad = tmp_path / "clean.py"
    bad.write_text("from helpers.build.pipeline import build\n")
    assert stage_of(next(iter(package_imports(bad)))) == "build"
    assert STAGES.index("build") > STAGES.index(stage_of("helpers.ingest.clean"))
