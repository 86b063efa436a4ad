"""Runs every table-driven case of ``tests/cases/*.yaml`` (see ``case_runner``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.case_runner import load_cases, run_case

CASES = load_cases()


@pytest.mark.parametrize(
    ("check", "case"), [(c, k) for c, k, _ in CASES], ids=[i for *_, i in CASES]
)
def test_case(check: str, case: dict[str, Any], tmp_path: Path) -> None:
    run_case(check, case, tmp_path)
