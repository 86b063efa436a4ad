"""fact-conflict's grouping: statements repeated release after release are compared once per
distinct wording, and the groups (so the findings and insights) are those of the pairwise walk."""

from __future__ import annotations

from pathlib import Path

import pytest

from prlint import lint
from prlint.checks import fact_conflict

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

_OLD = ("ZenaTech has leveraged its software expertise with over 100 enterprise software "
        "customers using our branded solutions in law enforcement and government.")  # fmt: skip
_NEW = _OLD.replace("over 100", "over 120")
_OTHER = _OLD.replace("using our", "using its").replace("and government", "and in government")


def _corpus(tmp_path: Path) -> Path:
    """Six releases repeating one statement word for word, one of them with another value,
    one reworded, plus the seeds."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for i, text in enumerate([_OLD, _OLD, _NEW, _OLD, _OTHER, _OLD]):
        (folder / f"2024-0{i + 1}-10_{i}.txt").write_text(text + "\n", encoding="utf-8")
    for seed in SEEDS.glob("*.txt"):
        (folder / seed.name).write_bytes(seed.read_bytes())
    return folder


def _report(folder: Path) -> tuple[list[tuple[object, ...]], list[str]]:
    result = lint([folder], config={}, select=["fact-conflict"], jobs=1, insights=True)
    found = [
        (d.path, d.line, d.column, d.end_column, d.message,
         [(r.path, r.line, r.column) for r in d.related])
        for d in result.diagnostics
    ]  # fmt: skip
    return found, [repr(i) for i in result.insights]


def test_groups_of_repeated_statements_equal_the_pairwise_walk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _corpus(tmp_path)
    found, insights = _report(folder)
    monkeypatch.setattr(fact_conflict, "_groups", fact_conflict._pairwise_groups)
    assert _report(folder) == (found, insights)
    outlier = [f for f in found if f[0].endswith("2024-03-10_2.txt")]
    base = str(folder).replace("\\", "/")
    others = [f"{base}/2024-0{i + 1}-10_{i}.txt" for i in (0, 1, 3, 4, 5)]
    assert outlier == [
        (
            f"{base}/2024-03-10_2.txt",
            1, 52, 60,
            "'software expertise with over 120 enterprise' differs from 'software expertise "
            f"with over 100 enterprise' in {others[0]}:1 and 4 more releases",
            [(p, 1, 52) for p in others],
        )
    ]  # fmt: skip
    assert len(insights) >= 2  # the statement and the seeds' facts
