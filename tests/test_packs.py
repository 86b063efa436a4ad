"""YAML packs: the README's pack works without Python, bad packs stop the run with one line,
pack rules are selected, ignored, graded and suppressed by name, and the old format loads."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from prlint import lint
from prlint.config import ConfigError
from tests.engine_support import finding_lines, prlint, write
from tests.test_config import readme_blocks

README_PACK = next(b for b in readme_blocks("yaml\n") if b.startswith("# style/our-terms.yaml"))
RELEASE = "# Acme Opens a Plant\n\nEmail questions to ir@acme.com. Revenue was $TBD million.\n"


def one_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


def test_the_readme_pack_works_without_python_and_fixes(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            ".prlint.yaml": "packs: [style/our-terms.yaml]\n",
            "style/our-terms.yaml": README_PACK,
            "releases/a.md": RELEASE,
        },
    )
    rules = ("--select", "e-mail,no-placeholder")
    proc = prlint("check", "releases", *rules, "--no-cache", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert finding_lines(proc.stdout) == [
        "releases/a.md:3:1: warning [e-mail] write 'E-mail', not 'Email'",
        "releases/a.md:3:46: error [no-placeholder] placeholder 'TBD' left in the text",
    ]
    fixed = prlint("check", "releases", "--select", "e-mail", "--fix", "--no-cache", cwd=tmp_path)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert (tmp_path / "releases/a.md").read_text(encoding="utf-8") == RELEASE.replace(
        "Email", "E-mail"
    )


def test_explain_shows_a_pack_rule_of_the_config(tmp_path: Path) -> None:
    write(tmp_path, {".prlint.yaml": "packs: [terms.yaml]\n", "terms.yaml": README_PACK})
    proc = prlint("explain", "e-mail", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == (
        "e-mail (warning)\n\n"
        f"A rule of kind substitution from {tmp_path.resolve() / 'terms.yaml'}, run by the check "
        "pack-rules.\n"
        "Message: write '{replacement}', not '{match}'\n"
        "See: https://example.com/style-guide#e-mail\n"
        "Swap:\n  email -> e-mail\n  Email -> E-mail\n"
    )


def test_a_misspelt_key_in_the_readme_pack_exits_2_with_one_line(tmp_path: Path) -> None:
    pack = README_PACK.replace("    swap:", "    swapp:")
    write(tmp_path, {".prlint.yaml": "packs: [terms.yaml]\n", "terms.yaml": pack, "a.md": RELEASE})
    proc = prlint("check", "a.md", "--no-cache", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert one_line(proc.stderr) == (
        f"prlint: error: {tmp_path.resolve() / 'terms.yaml'}: rule 'e-mail': unknown key 'swapp' "
        "for kind substitution; allowed: ignorecase, kind, level, link, message, swap"
    )


BOMB = "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nrules: {}\n"
DEEP = "rules:\n  x: " + "[" * 500 + "]" * 500 + "\n"
RULE = "rules:\n  r:\n    kind: existence\n    message: m\n    tokens: [TBD]\n"


@pytest.mark.parametrize(
    ("pack", "error"),
    [
        (b"rules: {r: {kind: existence, message: '\xe9', tokens: [a]}}\n",
         "a pack must be UTF-8 text (byte 0xe9 at offset 39)"),
        ("rules: [\n", "invalid YAML pack: line 2, column 1: expected the node content, but found "
         "'<stream end>'"),
        (BOMB, "invalid pack: line 2, column 8: aliases (*name) are not allowed in a pack"),
        (DEEP, "invalid pack: line 2, column 24: nested deeper than 20 levels"),
        (RULE + "  r: {kind: existence, message: m, tokens: [x]}\n",
         "invalid pack: line 6, column 3: key 'r' given twice"),
        ("rule:\n  r: {}\n", "unknown section 'rule'; allowed: filer-categories, rules (and, "
         "deprecated, facts, styles, filings)"),
        ("- a list\n", "a pack must be a mapping with a 'rules' section"),
        ("rules: [a]\n", "'rules' must be a mapping of rule name to rule"),
        ("rules:\n  my rule: {kind: existence}\n",
         "rule 'my rule': a rule name is letters, digits, '-' and '_' (no spaces)"),
        ("rules:\n  r: {kind: spelling}\n",
         "rule 'r': 'kind' must be one of existence, substitution, consistency, fact, filing; "
         "got 'spelling'"),
        ("rules:\n  r: {kind: substitution, message: m}\n",
         "rule 'r': kind substitution needs 'swap'"),
        ("rules:\n  r: {kind: existence, message: m}\n",
         "rule 'r': kind existence needs 'tokens' or 'patterns'"),
        ("rules:\n  r: {kind: existence, message: m, patterns: ['(']}\n",
         "rule 'r': 'patterns': bad regular expression: missing ) at position 1"),
        ("rules:\n  r: {kind: existence, message: 'see {matched}', tokens: [a]}\n",
         "rule 'r': 'message': unknown placeholder {matched}; known: {match}"),
        ("rules:\n  r: {kind: existence, message: m, tokens: [a], level: loud}\n",
         "rule 'r': 'level': expected error, warning or info, got 'loud'"),
        ("rules:\n  r: {kind: substitution, message: m, swap: {a: 1}}\n",
         "rule 'r': 'swap': expected strings (wrong: right), got 'a': 1"),
        ("rules:\n  r: {kind: fact, cue: x, units: [day], level: error}\n",
         "rule 'r': unknown key 'level' for kind fact; allowed: cue, kind, link, message, near, "
         "text, units"),
        ("rules:\n  r: {kind: fact, cue: x, units: [day], text: '(?P<value>x)'}\n",
         "rule 'r': kind fact needs exactly one of 'units', 'text'"),
        ("rules:\n  r: {kind: consistency, styles: {a: x}}\n",
         "rule 'r': 'styles': expected a mapping of two or more style names to patterns, got "
         "{'a': 'x'}"),
        ("rules:\n  10-K: {kind: filing, period: yearly, due: [{days: {all: 90}}]}\n",
         "rule '10-K': 'period': expected annual or quarterly, got 'yearly'"),
        ("rules:\n  10-K: {kind: filing, period: annual, due: [{day: {all: 90}}]}\n",
         "rule '10-K': 'due': due[0]: unknown key 'day'; allowed: days, from, months"),
        ("rules:\n  10-K: {kind: filing, period: annual, due: [{days: {all: ninety}}]}\n",
         "rule '10-K': 'due': due[0].days: expected filer category: whole number of days"),
        ("rules:\n  10-K: {kind: filing, period: annual, due: [{days: {all: 9}, from: May}]}\n",
         "rule '10-K': 'due': due[0].from: expected a date (YYYY-MM-DD), got 'May'"),
        ("rules:\n  company-name: {kind: existence, message: m, tokens: [a]}\n",
         "rule 'company-name': the name is taken by a check; choose another"),
    ],
)
def test_a_bad_pack_is_one_line_naming_file_rule_and_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pack: str | bytes, error: str
) -> None:
    write(tmp_path, {"my.yaml": pack, "a.txt": "Revenue was $TBD million.\n"})
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as info:
        lint(["a.txt"], config={"packs": ["my.yaml"]}, cache=False, jobs=1)
    assert str(info.value) == f"{Path.cwd() / 'my.yaml'}: {error}"


def test_an_alias_bomb_exits_2_with_one_line(tmp_path: Path) -> None:
    bomb = "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 10))
    write(tmp_path, {".prlint.yaml": "packs: [p.yaml]\n", "p.yaml": "l0: &l0 [x]\n" + bomb})
    write(tmp_path, {"a.txt": "Text.\n"})
    proc = prlint("check", "a.txt", "--no-cache", cwd=tmp_path)
    assert proc.returncode == 2
    assert one_line(proc.stderr) == (
        f"prlint: error: {tmp_path.resolve() / 'p.yaml'}: invalid pack: line 2, column 10: "
        "aliases (*name) are not allowed in a pack"
    )


def _lint(tmp_path: Path, files: dict[str, str], **kwargs: object) -> list[str]:
    write(tmp_path, files)
    old = Path.cwd()
    try:
        os.chdir(tmp_path)
        result = lint(["a.md"], cache=False, jobs=1, **kwargs)  # type: ignore[arg-type]
    finally:
        os.chdir(old)
    return [
        f"{d.line}:{d.column} {d.severity.value} [{d.check}] {d.message}"
        for d in result.diagnostics
    ]


PACK = {"terms.yaml": README_PACK, "a.md": RELEASE}
CONFIG = {"packs": ["terms.yaml"]}
EMAIL = "3:1 warning [e-mail] write 'E-mail', not 'Email'"
TBD = "3:46 error [no-placeholder] placeholder 'TBD' left in the text"


@pytest.mark.parametrize(
    ("config", "select", "ignore", "expected"),
    [
        ({}, ["pack-rules"], None, [EMAIL, TBD]),
        ({}, ["e-mail"], None, [EMAIL]),
        ({}, ["pack-rules"], ["no-placeholder"], [EMAIL]),
        ({}, ["e-mail"], ["pack-rules"], []),
        ({"severity": {"no-placeholder": "info"}}, ["pack-rules"], None,
         [EMAIL, TBD.replace("error", "info")]),
        ({"severity": {"pack-rules": "info"}}, ["pack-rules"], None,
         [EMAIL.replace("warning", "info"), TBD.replace("error", "info")]),
        ({"per-file-ignores": {"*.md": ["e-mail"]}}, ["pack-rules"], None, [TBD]),
    ],
)
def test_pack_rules_are_selected_ignored_and_graded_by_name(
    tmp_path: Path,
    config: dict[str, object],
    select: list[str],
    ignore: list[str] | None,
    expected: list[str],
) -> None:
    got = _lint(tmp_path, PACK, config={**CONFIG, **config}, select=select, ignore=ignore)
    assert got == expected


def test_a_suppression_comment_names_a_pack_rule(tmp_path: Path) -> None:
    release = RELEASE.replace("\nEmail", "\n<!-- prlint: ignore no-placeholder -->\nEmail")
    got = _lint(tmp_path, {**PACK, "a.md": release}, config=CONFIG, select=["pack-rules"])
    assert got == [EMAIL.replace("3:1", "4:1")]


def test_a_later_pack_s_rule_replaces_an_earlier_one_of_that_name(tmp_path: Path) -> None:
    later = "rules:\n  e-mail: {kind: existence, message: \"'{match}'\", tokens: [Revenue]}\n"
    got = _lint(
        tmp_path,
        {**PACK, "later.yaml": later},
        config={"packs": ["terms.yaml", "later.yaml"]},
        select=["e-mail"],
    )
    assert got == ["3:33 warning [e-mail] 'Revenue'"]


def test_the_old_sections_load_with_one_deprecation_note(tmp_path: Path) -> None:
    old = "styles:\n  - name: email\n    styles: {hyphen: '\\bE-mail\\b', solid: '\\bEmail\\b'}\n"
    release = "Email us. E-mail us. E-mail them.\n"
    write(tmp_path, {".prlint.yaml": "packs: [old.yaml]\n", "old.yaml": old, "a.txt": release})
    proc = prlint("check", "a.txt", "--select", "mixed-style", "--no-cache", cwd=tmp_path)
    assert proc.returncode == 1
    assert finding_lines(proc.stdout) == [
        "a.txt:1:1: warning [mixed-style] email: 'Email' is solid style; this release mostly "
        "writes hyphen ('E-mail', 2 of 3 uses)"
    ]
    assert one_line(proc.stderr) == (
        f"prlint: note: {tmp_path.resolve() / 'old.yaml'}: 'styles:' is deprecated and will be "
        "removed; write 'rules:' with kind consistency (see README, 'YAML packs')"
    )
