"""``prlint.testing``: a case passes only with the exact findings and fixed text, and a case
file that is not in the format is refused with one line naming the file and the case."""

from __future__ import annotations

from pathlib import Path

import pytest

from prlint.testing import Case, CaseError, load_cases, run_case
from tests.engine_support import write

PACK = """\
rules:
  e-mail:
    kind: substitution
    message: "write '{replacement}', not '{match}'"
    swap: {email: e-mail}
"""
FOUND = {
    "path": "a.txt", "line": 1, "column": 12, "end_column": 17, "severity": "warning",
    "message": "write 'e-mail', not 'email'",
}  # fmt: skip


def case(expect: list[dict[str, object]], fix: str | None = None) -> Case:
    return Case(
        check="e-mail",
        name="n",
        files={"terms.yaml": PACK, "a.txt": "Send us an email today.\n"},
        expect=tuple(expect),
        config={"packs": ["terms.yaml"]},
        fix={"a.txt": fix} if fix is not None else None,
    )


def test_the_exact_finding_and_fixed_text_pass(tmp_path: Path) -> None:
    run_case(case([FOUND], fix="Send us an e-mail today.\n"), tmp_path)


@pytest.mark.parametrize(
    ("change", "shown"),
    [
        ({"column": 9}, "a.txt:1:9-17 warning"),
        ({"end_column": 15}, "a.txt:1:12-15 warning"),
        ({"line": 2}, "a.txt:2:12-17 warning"),
        ({"severity": "error"}, "a.txt:1:12-17 error"),
        ({"message": "write 'e-mail'"}, "a.txt:1:12-17 warning write 'e-mail'\n"),
        ({"end_line": 2}, "a.txt:1:12-2:17 warning"),
    ],
)
def test_any_difference_in_a_finding_fails_and_shows_both_sides(
    tmp_path: Path, change: dict[str, object], shown: str
) -> None:
    with pytest.raises(AssertionError) as info:
        run_case(case([{**FOUND, **change}]), tmp_path)
    text = str(info.value)
    assert "expected:\n  " + shown in text + "\n"
    assert "found:\n  a.txt:1:12-17 warning write 'e-mail', not 'email'" in text


def test_a_missing_or_extra_finding_fails(tmp_path: Path) -> None:
    with pytest.raises(AssertionError, match=r"expected:\n  \(none\)\nfound:\n  a\.txt:1:12-17"):
        run_case(case([]), tmp_path / "none")
    with pytest.raises(AssertionError, match="findings differ"):
        run_case(case([FOUND, FOUND]), tmp_path / "two")


def test_a_different_fixed_text_fails(tmp_path: Path) -> None:
    with pytest.raises(AssertionError, match=r"a\.txt after fixes:\nSend us an e-mail today\."):
        run_case(case([FOUND], fix="Send us an E-mail today.\n"), tmp_path)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("check: x\ncases:\n  - {name: n, files: {a.txt: t}, expect: [{path: a.txt, line: 1}]}\n",
         "case 'n': expect[0]: 'column' is missing"),
        ("check: x\ncases:\n  - {name: n, files: {a.txt: t}}\n",
         "case 'n': 'expect' is missing (write 'expect: []' for no findings)"),
        ("check: x\ncases:\n  - {name: n, file: {a.txt: t}, expect: []}\n",
         "cases[0]: unknown key 'file'; allowed: config, expect, files, fix, name"),
        ("check: x\ncases: []\n", "'cases' must be a non-empty list"),
        ("cases: []\n", "a case file is a mapping with 'check' and 'cases'"),
    ],
)
def test_a_bad_case_file_is_refused_naming_file_and_case(
    tmp_path: Path, text: str, error: str
) -> None:
    write(tmp_path, {"x.yaml": text})
    with pytest.raises(CaseError) as info:
        load_cases(tmp_path)
    assert str(info.value) == f"{tmp_path / 'x.yaml'}: {error}"


def test_cases_of_a_folder_load_in_file_order_with_ids(tmp_path: Path) -> None:
    one = "check: b\ncases:\n  - {name: first, files: {a.txt: t}, expect: []}\n"
    write(tmp_path, {"b.yaml": one, "a.yaml": one.replace("check: b", "check: a")})
    assert [(c.check, c.id) for c in load_cases(tmp_path)] == [("a", "a:first"), ("b", "b:first")]
