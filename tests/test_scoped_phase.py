"""A run that reports a few releases of a corpus (the pre-commit case: the files given, the
rest as reference through the config's corpus globs) compares only what those releases can be
reported on, and finds exactly what a whole run finds on them."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path
from typing import Any

import pytest

from prlint import engine
from prlint.checks import stale_filing
from prlint.lint import lint

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
_STATEMENT = (
    "ZenaTech has leveraged its software expertise with over 100 enterprise software "
    "customers using our branded solutions in law enforcement and government."
)
_ACRONYM = "The Food and Drug Administration (FDA) cleared the device."


def _corpus(root: Path) -> list[Path]:
    """The seeds, plus releases repeating one statement (one with another value) and
    defining one acronym two ways."""
    folder = root / "corpus"
    shutil.copytree(SEEDS, folder, ignore=shutil.ignore_patterns("*.jsonl"))
    texts = [
        _STATEMENT,
        _STATEMENT.replace("over 100", "over 120"),
        _STATEMENT,
        _ACRONYM,
        _ACRONYM.replace("Food and Drug", "Federal Drug"),
    ]
    for i, text in enumerate(texts):
        (folder / f"2024-0{i + 1}-10_extra{i}.txt").write_text(text + "\n", encoding="utf-8")
    return sorted(folder.glob("*.txt"))


def _found(result: Any) -> list[dict[str, Any]]:
    return [d.to_dict() for d in result.diagnostics]


def test_each_release_alone_gets_the_findings_of_the_whole_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _corpus(tmp_path)
    monkeypatch.chdir(tmp_path)
    config = {"corpus": ["corpus/*.txt"]}
    whole = _found(lint(["corpus"], config=config, jobs=1, cache=False))
    checks = {d["check"] for d in whole}
    cross = {"fact-conflict", "acronym-conflict", "company-name", "url-drift", "contact-drift"}
    assert cross | {"stale-filing"} <= checks
    for file in files:
        path = f"corpus/{file.name}"
        alone = _found(lint([path], config=config, jobs=1, cache=False))
        assert alone == [d for d in whole if d["path"] == path], path


def test_the_collector_stays_paused_after_extracting_in_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run that extracts a few files itself (no worker pool) compares the records with the
    cyclic collector paused, as a run with workers does, and restores it afterwards."""
    _corpus(tmp_path)
    monkeypatch.chdir(tmp_path)
    seen: list[bool] = []
    phase = engine._corpus_phase

    def watched(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return phase(*args, **kwargs)

    monkeypatch.setattr(engine, "_corpus_phase", watched)
    assert gc.isenabled()
    lint(["corpus/000_247e968e4d94d0ea.txt"], config={"corpus": ["corpus/*.txt"]}, jobs=1,
         cache=False)  # fmt: skip
    assert seen == [False]
    assert gc.isenabled()


def _facts_seen(monkeypatch: pytest.MonkeyPatch, check: type[Any]) -> dict[str, Any]:
    """Path -> the facts of ``check`` its ``compare`` is given (the last run's)."""
    seen: dict[str, Any] = {}
    compare = check.compare

    def watched(self: Any, corpus: Any, ctx: Any) -> Any:
        seen.clear()
        seen.update((rec.path, facts) for rec, facts in corpus.facts(check.name))
        return compare(self, corpus, ctx)

    monkeypatch.setattr(check, "compare", watched)
    return seen


@pytest.mark.parametrize("cache", [False, True])
def test_a_few_releases_reported_bring_only_the_keyed_facts_they_share_a_key_with(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cache: bool
) -> None:
    """fact-conflict and acronym-conflict give their facts keys (the statement or acronym
    they are about): a run reporting one edited release compares, of the others, only the
    facts that share a key with its own, decoded from the cache or extracted here; the
    findings are the whole run's."""
    from prlint.checks.acronym_conflict import AcronymConflict
    from prlint.checks.fact_conflict import FactConflict

    _corpus(tmp_path)
    monkeypatch.chdir(tmp_path)
    config = {"corpus": ["corpus/*.txt"]}
    seen = {c: _facts_seen(monkeypatch, c) for c in (FactConflict, AcronymConflict)}
    whole = _found(lint(["corpus"], config=config, jobs=1, cache=cache))
    every = {c: {p: {f.key for f in facts} for p, facts in s.items()} for c, s in seen.items()}
    for check, path in [
        (FactConflict, "corpus/2024-02-10_extra1.txt"),
        (AcronymConflict, "corpus/2024-05-10_extra4.txt"),
    ]:
        keys = every[check]
        sharing = {p for p, k in keys.items() if k & keys[path]}
        assert path in sharing and len(sharing) < len(keys)
        seen[check].clear()
        with open(path, "a", encoding="utf-8") as fh:
            fh.write("\n")  # a new record: the cache's stored findings do not hold
        alone = _found(lint([path], config=config, jobs=1, cache=cache))
        assert set(seen[check]) == sharing
        assert all(isinstance(facts, list) for facts in seen[check].values())
        assert alone == [d for d in whole if d["path"] == path]
        assert {check.name} <= {d["check"] for d in alone}


def test_the_keyed_facts_no_reported_release_needs_are_gone_before_the_corpus_is_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The releases that share no key with a reported one lose those facts before any check
    compares (the company model and the first checks' indexes are built without them)."""
    from prlint import corpus

    _corpus(tmp_path)
    monkeypatch.chdir(tmp_path)
    config = {"corpus": ["corpus/*.txt"]}
    holding: list[set[str]] = []
    init = corpus.Corpus.__init__

    def watched(self: Any, records: Any, company: Any = None) -> None:
        holding.append({r.path for r in records if "fact-conflict" in r.facts})
        init(self, records, company)

    monkeypatch.setattr(corpus.Corpus, "__init__", watched)
    lint(["corpus"], config=config, jobs=1, cache=False)
    stating = holding.pop()
    assert "corpus/2024-01-10_extra0.txt" in stating and len(stating) > 3
    lint(["corpus/2024-02-10_extra1.txt"], config=config, jobs=1, cache=False)
    sharing = {f"corpus/2024-0{i}-10_extra{i - 1}.txt" for i in (1, 2, 3)}
    assert holding == [sharing]


@pytest.mark.parametrize("given", [["corpus"], ["corpus/2024-02-10_extra1.txt"]])
def test_the_records_keys_are_let_go_once_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given: list[str]
) -> None:
    """A record's keys serve to leave facts out before the checks compare (a whole run
    needs none of them): after that no record holds them."""
    _corpus(tmp_path)
    monkeypatch.chdir(tmp_path)
    held: list[list[dict[str, bytes]]] = []
    leave_out = engine._Facts.leave_out

    def watched(self: Any, records: Any) -> None:
        held.append(list(self.keys.values()))
        assert any(keys for keys in held[-1])  # fact-conflict and acronym-conflict give keys
        leave_out(self, records)
        assert self.keys == {}

    monkeypatch.setattr(engine._Facts, "leave_out", watched)
    lint(given, config={"corpus": ["corpus/*.txt"]}, jobs=1, cache=False)
    assert len(held) == 1 and all(keys == {} for keys in held[0])


def test_a_release_alone_gets_its_url_path_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """url-drift compares the paths given for one purpose across releases: a release
    reported alone gets the finding the whole run gives it, and the others none."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    line = "To be added to the distribution list, please visit www.zenatech.com/{}."
    for i, path in enumerate(["alerts", "alerts", "alerts", "alerts", "alrets"]):
        text = f"ZenaTech Inc. announced its results.\n\n{line.format(path)}\n"
        (folder / f"2024-0{i + 1}-10_zena{i}.txt").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    config = {"corpus": ["corpus/*.txt"]}
    whole = _found(lint(["corpus"], config=config, jobs=1, cache=False))
    slip = [d for d in whole if d["check"] == "url-drift"]
    assert [(d["path"], d["line"]) for d in slip] == [("corpus/2024-05-10_zena4.txt", 3)]
    for file in sorted(folder.glob("*.txt")):
        path = f"corpus/{file.name}"
        alone = _found(lint([path], config=config, jobs=1, cache=False))
        assert alone == [d for d in whole if d["path"] == path], path


def test_stale_filing_works_out_year_ends_only_for_the_reported_releases_that_cite_a_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _corpus(tmp_path)
    monkeypatch.chdir(tmp_path)
    worked_out: list[str] = []
    with_year_ends = stale_filing._with_fiscal_year_ends

    def spied(*args: Any) -> Any:
        for record, facts, fye in with_year_ends(*args):
            worked_out.append(record.path)
            yield record, facts, fye

    monkeypatch.setattr(stale_filing, "_with_fiscal_year_ends", spied)
    config = {"corpus": ["corpus/*.txt"]}
    whole = lint(["corpus"], config=config, select=["stale-filing"], jobs=1, cache=False)
    citing = sorted(worked_out)  # a whole run: every release that cites a report
    stale = sorted({d.path for d in whole.diagnostics})
    assert stale and set(stale) <= set(citing)
    assert len(citing) < len(list((tmp_path / "corpus").glob("*.txt")))
    for path in (*stale, "corpus/2024-01-10_extra0.txt"):
        worked_out.clear()
        alone = lint([path], config=config, select=["stale-filing"], jobs=1, cache=False)
        assert worked_out == [p for p in citing if p == path]
        assert alone.diagnostics == [d for d in whole.diagnostics if d.path == path]
