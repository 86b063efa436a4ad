"""contact-drift in a run that reports a few releases (the pre-commit case): the phone
numbers of owners that no reported release gives a number of are not paired, and each
release alone gets exactly the findings a whole run makes on it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from prlint.checks.contact_drift import ContactDrift
from prlint.lint import lint

_ACME = (
    "Acme Widgets, Inc. (Nasdaq: ACMW) reports results.\n\nAbout Acme Widgets, Inc.\n\n"
    "Contact: LHA Investor Relations {} mmiller@lhai.com\n"
)
_BOLT = (
    "Bolt Motors, Inc. (Nasdaq: BOLT) reports results.\n\nAbout Bolt Motors, Inc.\n\n"
    "Media: {} press@boltmotors.com\n"
)


def _corpus(root: Path) -> list[str]:
    """Two companies, each with one release giving its number a digit off."""
    folder = root / "corpus"
    folder.mkdir()
    texts = {
        "a.md": _ACME.format("212-838-3777"),
        "b.md": _ACME.format("212-838-3777"),
        "c.md": _ACME.format("212-838-3777"),
        "d.md": _ACME.format("212-828-3777"),
        "e.md": _BOLT.format("415-555-0142"),
        "f.md": _BOLT.format("415-555-0142"),
        "g.md": _BOLT.format("415-555-0143"),
    }
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return [f"corpus/{name}" for name in texts]


def _found(paths: list[str]) -> list[tuple[object, ...]]:
    result = lint(paths, config={"corpus": ["corpus/*.md"]}, select=["contact-drift"], jobs=1,
                  cache=False)  # fmt: skip
    return [
        (d.path, d.line, d.column, d.message, [(r.path, r.line, r.column) for r in d.related])
        for d in result.diagnostics
    ]


def test_each_release_alone_gets_the_phone_findings_of_the_whole_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _corpus(tmp_path)
    monkeypatch.chdir(tmp_path)
    whole = _found(["corpus"])
    assert whole == [
        ("corpus/d.md", 5, 33,
         "'(212) 828-3777' differs in 1 digit from '(212) 838-3777', given for lhai.com in 3 "
         "other releases", [("corpus/a.md", 5, 33)]),
        ("corpus/g.md", 5, 8,
         "'(415) 555-0143' differs in 1 digit from '(415) 555-0142', given for boltmotors.com "
         "in 2 other releases", [("corpus/e.md", 5, 8)]),
    ]  # fmt: skip
    for path in files:
        assert _found([path]) == [d for d in whole if d[0] == path], path


def test_only_the_owners_of_a_reported_release_s_numbers_are_paired(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _corpus(tmp_path)
    monkeypatch.chdir(tmp_path)
    paired: list[set[str]] = []
    close_pairs = ContactDrift._close_pairs

    def spied(self: ContactDrift, group: list[Any]) -> Any:
        paired.append({n.number for n in group})
        return close_pairs(self, group)

    monkeypatch.setattr(ContactDrift, "_close_pairs", spied)
    _found(["corpus/d.md"])
    assert paired and all(numbers == {"+12128383777", "+12128283777"} for numbers in paired)
    paired.clear()
    _found(["corpus"])
    assert {"+14155550142", "+14155550143"} in paired
