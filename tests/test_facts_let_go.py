"""The corpus phase lets each check's facts go once no check still to compare reads them
(``Check.reads``), with the same findings; a check that does not say what it reads keeps
every fact alive until it has compared, and insights keep them all."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from prlint.checks.company_name import CompanyName
from prlint.checks.fact_conflict import FactConflict
from prlint.corpus import Corpus
from prlint.lint import lint

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _facts_seen_by_company_name(monkeypatch: pytest.MonkeyPatch) -> list[set[str]]:
    """The names of the facts the records hold each time company-name compares."""
    seen: list[set[str]] = []
    compare = CompanyName.compare

    def watched(self: CompanyName, corpus: Corpus, ctx: Any) -> Any:
        seen.append({name for rec in corpus.records for name in rec.facts})
        return compare(self, corpus, ctx)

    monkeypatch.setattr(CompanyName, "compare", watched)
    return seen


def _lint(tmp_path: Path, **kwargs: Any) -> list[dict[str, Any]]:
    shutil.copytree(SEEDS, tmp_path / "seeds", ignore=shutil.ignore_patterns("*.jsonl"))
    result = lint([str(tmp_path / "seeds")], jobs=1, cache=False, **kwargs)
    return [
        json.loads(json.dumps(d.to_dict()).replace(str(tmp_path), "")) for d in result.diagnostics
    ]


@pytest.fixture(scope="module")
def whole(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    return _lint(tmp_path_factory.mktemp("whole"))


def test_facts_read_only_by_their_own_check_are_gone_when_the_entity_checks_compare(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, whole: list[dict[str, Any]]
) -> None:
    seen = _facts_seen_by_company_name(monkeypatch)
    found = _lint(tmp_path)
    assert seen == [{"company-name", "url-drift", "contact-drift"}]
    assert found == whole
    assert {"fact-conflict", "company-name", "url-drift"} <= {d["check"] for d in found}


def test_a_check_that_may_read_any_facts_keeps_them_until_it_has_compared(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, whole: list[dict[str, Any]]
) -> None:
    monkeypatch.setattr(FactConflict, "reads", None)  # as a plugin that says nothing
    seen = _facts_seen_by_company_name(monkeypatch)
    found = _lint(tmp_path)
    assert len(seen) == 1 and {"fact-conflict", "acronym-conflict"} <= seen[0]
    assert found == whole


def test_insights_keep_every_fact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _facts_seen_by_company_name(monkeypatch)
    _lint(tmp_path, insights=True)
    assert seen and all({"fact-conflict", "acronym-conflict"} <= s for s in seen)
