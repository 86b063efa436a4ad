"""Table-driven test cases for checks, as public API for check and pack authors.

A case file (YAML) holds the cases of one check::

    check: example-word                # the check (or pack rule) the cases exercise
    cases:
      - name: a placeholder is reported   # what the case shows
        config: {checks: {example-word: {words: [TBD]}}}   # optional, shaped like [tool.prlint]
        files:                         # the corpus, written to a temporary folder
          a.txt: |
            Revenue was $TBD million.
        expect:                        # exactly the findings of this check, in any order
          - {path: a.txt, line: 1, column: 14, end_column: 17, severity: warning,
             message: "placeholder 'TBD' left in"}
        fix:                           # optional: the files after applying the fixes
          a.txt: |
            ...

Each expected finding gives ``path``, ``line``, ``column``, ``end_column`` (exclusive, as in
the JSON report), ``severity`` and the exact ``message``; ``end_line`` defaults to ``line``.
``expect: []`` asserts that the check finds nothing. In a plugin's tests::

    from prlint.testing import Case, cases, run_case

    @cases("tests/cases")               # every *.yaml file of the folder
    def test_case(case: Case, tmp_path):
        run_case(case, tmp_path)

A failing case shows the findings expected and found, one ``path:line:col-end_col severity
message`` line each.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml

from prlint.api import Diagnostic
from prlint.fixer import apply_fixes
from prlint.lint import lint

__all__ = ["Case", "CaseError", "cases", "load_cases", "run_case"]

_FILE_KEYS = {"check", "cases"}
_CASE_KEYS = {"name", "config", "files", "expect", "fix"}
_EXPECT_KEYS = {"path", "line", "column", "end_line", "end_column", "severity", "message"}
_REQUIRED = ("path", "line", "column", "end_column", "severity", "message")
F = TypeVar("F", bound=Callable[..., Any])


class CaseError(ValueError):
    """A case file that does not have the case format (one line naming the file and case)."""


@dataclass(frozen=True)
class Case:
    """One case: a corpus, the config, the exact findings of one check and the fixed text."""

    check: str
    name: str
    files: Mapping[str, str]
    expect: tuple[Mapping[str, Any], ...] = ()
    config: Mapping[str, Any] = field(default_factory=dict)
    fix: Mapping[str, str] | None = None
    source: str = ""  # the case file

    @property
    def id(self) -> str:
        """``<file stem>:<case name>``, for test ids."""
        return f"{Path(self.source).stem}:{self.name}"


def _case(path: Path, check: str, i: int, raw: Any) -> Case:
    at = f"{path}: cases[{i}]"
    if not isinstance(raw, Mapping):
        raise CaseError(f"{at}: a case must be a mapping")
    unknown = sorted(set(map(str, raw)) - _CASE_KEYS)
    if unknown:
        allowed = ", ".join(sorted(_CASE_KEYS))
        raise CaseError(f"{at}: unknown key '{unknown[0]}'; allowed: {allowed}")
    name, files = raw.get("name"), raw.get("files")
    if not isinstance(name, str) or not name:
        raise CaseError(f"{at}: 'name' must be a non-empty string")
    at = f"{path}: case '{name}'"
    if not isinstance(files, Mapping) or not all(isinstance(v, str) for v in files.values()):
        raise CaseError(f"{at}: 'files' must map file names to their text")
    if "expect" not in raw:
        raise CaseError(f"{at}: 'expect' is missing (write 'expect: []' for no findings)")
    expect = raw["expect"] or []
    if not isinstance(expect, list):
        raise CaseError(f"{at}: 'expect' must be a list of findings")
    for j, e in enumerate(expect):
        if not isinstance(e, Mapping):
            raise CaseError(f"{at}: expect[{j}] must be a mapping")
        extra = sorted(set(map(str, e)) - _EXPECT_KEYS)
        if extra:
            raise CaseError(f"{at}: expect[{j}]: unknown key '{extra[0]}'")
        missing = [k for k in _REQUIRED if k not in e]
        if missing:
            raise CaseError(f"{at}: expect[{j}]: '{missing[0]}' is missing")
    fix = raw.get("fix")
    if fix is not None and not (
        isinstance(fix, Mapping) and all(isinstance(v, str) for v in fix.values())
    ):
        raise CaseError(f"{at}: 'fix' must map file names to their fixed text")
    config = raw.get("config") or {}
    if not isinstance(config, Mapping):
        raise CaseError(f"{at}: 'config' must be a mapping")
    return Case(check, name, dict(files), tuple(expect), dict(config), fix, str(path))


def load_cases(*paths: str | os.PathLike[str]) -> list[Case]:
    """The cases of YAML case files; a folder stands for its ``*.yaml`` files, sorted."""
    files: list[Path] = []
    for p in map(Path, paths):
        files.extend(sorted(p.glob("*.yaml")) if p.is_dir() else [p])
    out: list[Case] = []
    for file in files:
        try:
            data = yaml.safe_load(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise CaseError(f"{file}: cannot read cases: {str(exc).splitlines()[0]}") from None
        if not isinstance(data, Mapping) or not isinstance(data.get("check"), str):
            raise CaseError(f"{file}: a case file is a mapping with 'check' and 'cases'")
        unknown = sorted(set(map(str, data)) - _FILE_KEYS)
        if unknown:
            raise CaseError(f"{file}: unknown key '{unknown[0]}'; allowed: check, cases")
        raw = data.get("cases")
        if not isinstance(raw, list) or not raw:
            raise CaseError(f"{file}: 'cases' must be a non-empty list")
        out.extend(_case(file, data["check"], i, c) for i, c in enumerate(raw))
    return out


def cases(*paths: str | os.PathLike[str]) -> Callable[[F], F]:
    """``pytest.mark.parametrize("case", ...)`` over the cases of ``paths`` (ids: file:name)."""
    import pytest  # only needed by tests

    found = load_cases(*paths)
    mark: Callable[[F], F] = pytest.mark.parametrize("case", found, ids=[c.id for c in found])
    return mark


def _expected_line(e: Mapping[str, Any]) -> str:
    end_line = e.get("end_line", e["line"])
    end = f"{e['end_column']}" if end_line == e["line"] else f"{end_line}:{e['end_column']}"
    return f"{e['path']}:{e['line']}:{e['column']}-{end} {e['severity']} {e['message']}"


def _found_line(d: Diagnostic) -> str:
    end = f"{d.end_column}" if d.end_line == d.line else f"{d.end_line}:{d.end_column}"
    return f"{d.path}:{d.line}:{d.column}-{end} {d.severity.value} {d.message}"


def _diff(want: Iterable[str], got: Iterable[str]) -> str:
    lines = ["findings differ", "expected:"]
    lines += [f"  {w}" for w in want] or ["  (none)"]
    lines += ["found:"] + ([f"  {g}" for g in got] or ["  (none)"])
    return "\n".join(lines)


def run_case(case: Case, tmp_path: Path) -> None:
    """Write the case's files to ``tmp_path``, lint them with only ``case.check`` (in that
    folder, no cache, one process) and assert the exact findings and the fixed texts."""
    for name, text in case.files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8"))
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        result = lint(["."], config=dict(case.config), select=[case.check], cache=False, jobs=1)
        assert not result.errors, "\n".join(result.errors)
        want = sorted(_expected_line(e) for e in case.expect)
        got = sorted(_found_line(d) for d in result.diagnostics)
        assert got == want, _diff(want, got)
        if case.fix is not None:
            apply_fixes(result.diagnostics, write=True)
            for name, text in case.fix.items():
                fixed = (tmp_path / name).read_bytes().decode("utf-8")
                assert fixed == text, f"{name} after fixes:\n{fixed}\nexpected:\n{text}"
    finally:
        os.chdir(old)
