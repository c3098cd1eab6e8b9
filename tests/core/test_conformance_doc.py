"""docs/conformance.md names, for each rule, the test that pins it. A renamed or deleted test would leave
the table pointing at nothing while still saying "done": every cited test file and test function must exist."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# `incoming/test_api.py::test_x` or `incoming/test_api.py`, and the shorthand `::test_y` for the same file.
CITED = re.compile(r"`((?:[a-z_]+/)*test_[a-z0-9_]+\.py)?(?:::([A-Za-z0-9_]+))?`")


def _test_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.ClassDef))}


def _citations():
    for line in (ROOT / "docs" / "conformance.md").read_text(encoding="utf-8").splitlines():
        current = None
        for match in CITED.finditer(line):
            path, name = match.groups()
            if path:
                current = path
            if current and (path or name):
                yield line, current, name


def test_every_cited_test_exists():
    missing = []
    for line, path, name in _citations():
        file = ROOT / "tests" / path
        if not file.exists():
            missing.append(f"{path} (row: {line[:60]}…)")
        elif name and name not in _test_names(file):
            missing.append(f"{path}::{name}")
    assert not missing, "docs/conformance.md cites tests that do not exist:\n" + "\n".join(sorted(set(missing)))


def test_the_check_reads_the_table():
    """The pattern finds the citations (a pattern matching nothing would pass the test above)."""
    assert sum(1 for _ in _citations()) > 50
