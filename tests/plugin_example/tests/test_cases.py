"""The plugin's table-driven cases (``cases/*.yaml``), run with ``prlint.testing``."""

from pathlib import Path

from prlint.testing import Case, cases, run_case


@cases(Path(__file__).parent / "cases")
def test_case(case: Case, tmp_path: Path) -> None:
    run_case(case, tmp_path)
