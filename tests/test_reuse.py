"""Stored findings of the last corpus phase (prlint.reuse): a run that reports some files of
an unchanged corpus takes their findings from there; any changed record compares again.

Every run lints the five seed releases in-process with every built-in check, the seeds being
both the files given and the config's corpus (reference) globs; each report must equal the
report of a run without a cache over the same files.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from prlint import engine, reuse
from prlint.cache import Cache
from prlint.config import parse_config
from prlint.lint import lint
from prlint.registry import activate
from prlint.result import Result

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
CONFIG: dict[str, Any] = {"corpus": ["seeds/*.txt"]}
CONTACTS = "seeds/002_ba7f2a1d2902c788.txt"  # its phone differs from one in 000 (reference)
ODD_PHONE = "(212) 828-3777"


def _run(*paths: str, cache: bool = True, config: dict[str, Any] | None = None) -> Result:
    return lint(list(paths), config={**CONFIG, **(config or {})}, jobs=1, cache=cache)


def _report(result: Result) -> tuple[Any, ...]:
    return ([d.to_dict() for d in result.diagnostics], result.files_checked, result.errors,
            result.undated)  # fmt: skip


@pytest.fixture
def seeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(SEEDS, tmp_path / "seeds", ignore=shutil.ignore_patterns("*.jsonl"))
    monkeypatch.chdir(tmp_path)
    return tmp_path / "seeds"


def _no_corpus_phase(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("the corpus phase ran")

    monkeypatch.setattr(engine, "_corpus_phase", fail)


def _touch(path: Path) -> None:
    """A new mtime, the same content (its record is read from the cache by content hash)."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))


def test_one_file_of_a_judged_corpus_takes_the_stored_findings(
    seeds: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = _run("seeds")
    expected = [d.to_dict() for d in whole.diagnostics if d.path == CONTACTS]
    _touch(seeds / "002_ba7f2a1d2902c788.txt")
    _no_corpus_phase(monkeypatch)
    one = _run(CONTACTS)
    assert (one.files_checked, one.cache_hits) == (1, 5)
    assert [d.to_dict() for d in one.diagnostics] == expected
    # cross-release findings whose other side is a reference file, with its location
    assert [(d["line"], d["column"], d["check"], d["related"][0]["path"],
             d["related"][0]["line"]) for d in expected
            if d["related"] and d["related"][0]["path"] != CONTACTS] == [
        (13, 222, "acronym-conflict", "seeds/001_879c998c7b91c6ac.txt", 11),
        (15, 33, "fact-conflict", "seeds/001_879c998c7b91c6ac.txt", 13),
        (15, 281, "fact-conflict", "seeds/001_879c998c7b91c6ac.txt", 13),
        (35, 42, "contact-drift", "seeds/000_247e968e4d94d0ea.txt", 45),
    ]  # fmt: skip


def test_a_changed_reference_file_is_compared_again(seeds: Path, tmp_path: Path) -> None:
    _run("seeds")
    (stored,) = (tmp_path / ".prlint_cache" / "v2").glob("*.judged")
    before = stored.read_bytes()
    reference = seeds / "000_247e968e4d94d0ea.txt"
    text = reference.read_text(encoding="utf-8")
    reference.write_text(text.replace("212-838-3777", "212-828-3777"), encoding="utf-8")
    one = _run(CONTACTS)
    assert _report(one) == _report(_run(CONTACTS, cache=False))
    assert not any(ODD_PHONE in d.message for d in one.diagnostics)
    # findings stored before the edit, the edited record read from the cache (as after a run
    # of another engine, which stores none): not theirs, compared again
    stored.write_bytes(before)
    assert _report(_run(CONTACTS)) == _report(one)
    assert [d.check for d in _run("seeds").diagnostics if d.path == CONTACTS].count(
        "contact-drift"
    ) == 0


def test_an_edit_that_changes_the_record_is_compared_again(seeds: Path) -> None:
    _run("seeds")
    release = seeds / "002_ba7f2a1d2902c788.txt"
    release.write_text(
        release.read_text(encoding="utf-8").replace("212-828-3777", "212-838-3777"),
        encoding="utf-8",
    )
    one = _run(CONTACTS)
    assert _report(one) == _report(_run(CONTACTS, cache=False))
    assert "contact-drift" not in {d.check for d in one.diagnostics}


def test_a_file_the_stored_run_did_not_report_is_compared(
    seeds: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _run("seeds/000_247e968e4d94d0ea.txt")  # stores findings on 000 only
    other = _run(CONTACTS)  # 002 was reference then: its findings were never made
    assert _report(other) == _report(_run(CONTACTS, cache=False))
    assert "contact-drift" in {d.check for d in other.diagnostics}
    _no_corpus_phase(monkeypatch)  # now stored for 002 (and only 002)
    assert _report(_run(CONTACTS)) == _report(other)


def test_per_file_ignores_apply_to_stored_findings(
    seeds: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _run("seeds")
    _no_corpus_phase(monkeypatch)
    ignores = {"per-file-ignores": {"*/002_*.txt": ["fact-conflict", "contact-drift"]}}
    one = _run(CONTACTS, config=ignores)
    checks = [d.check for d in one.diagnostics]
    assert "acronym-conflict" in checks
    assert not {"fact-conflict", "contact-drift"} & set(checks)
    monkeypatch.undo()
    assert _report(one) == _report(_run(CONTACTS, cache=False, config=ignores))


def test_findings_stored_after_an_edit_know_each_record_by_its_digest(
    seeds: Path, tmp_path: Path
) -> None:
    _run("seeds")
    release = seeds / "002_ba7f2a1d2902c788.txt"  # its record changes: compared again
    release.write_text(
        release.read_text(encoding="utf-8").replace("212-828-3777", "212-838-3777"),
        encoding="utf-8",
    )
    _run(CONTACTS)
    conf = parse_config(CONFIG, path=None, root=tmp_path)
    checks = activate(conf)
    cache = Cache(tmp_path / ".prlint_cache", engine._cache_salt(conf, checks),
                  engine._allowed(checks))  # fmt: skip
    cache.load()
    judged = reuse.load(cache)
    assert judged is not None and len(judged.paths) == 5
    entries = sorted(cache.entries.values(), key=lambda e: e.path)
    digests: dict[str, bytes] = {}
    assert all(record is not None for record in cache.records(entries, digests))
    by_display = {name.split("\0")[0]: digest for name, digest in digests.items()}
    # the four records it read from the cache kept the digests of the first run; the edited
    # one has its own: each is the digest of the record the pack holds now
    assert dict(zip(judged.paths, judged.digests, strict=True)) == by_display
