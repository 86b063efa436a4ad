"""Runs every table-driven case of ``tests/cases/*.yaml`` with :mod:`prlint.testing`, and
asserts that every registered check has a case file."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

import yaml

from prlint.registry import ENTRY_POINT_GROUP
from prlint.testing import Case, cases, run_case

CASES_DIR = Path(__file__).parent / "cases"


@cases(CASES_DIR)
def test_case(case: Case, tmp_path: Path) -> None:
    run_case(case, tmp_path)


def test_every_built_in_check_has_a_case_file_named_after_it() -> None:
    files = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8"))["check"]
             for p in CASES_DIR.glob("*.yaml")}  # fmt: skip
    assert all(stem == check for stem, check in files.items())
    built_in = {
        ep.name
        for ep in metadata.entry_points(group=ENTRY_POINT_GROUP)
        if ep.value.startswith("prlint.checks.")
    }
    assert len(built_in) >= 11
    assert built_in <= set(files)
