"""Table-driven check cases: ``tests/cases/<check>.yaml``.

Each file::

    check: company-name            # the check the cases exercise (only its findings count)
    cases:
      - name: what the case shows
        config: {company: {names: [Acme]}}   # optional, shaped like [tool.prlint]
        files:                               # the corpus, written to a temporary folder
          a.txt: |
            ...
        expect:                              # the exact findings of this check
          - {path: a.txt, line: 3, message: "looks like 'Acme'"}   # message: a substring
        fix:                                 # optional: file contents after --fix
          a.txt: |
            ...

A contributor adds a case, not a test function.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from prlint import lint
from prlint.fixer import apply_fixes

CASES_DIR = Path(__file__).parent / "cases"


def load_cases() -> list[tuple[str, dict[str, Any], str]]:
    """(check, case, id) for every case of every YAML file."""
    out = []
    for file in sorted(CASES_DIR.glob("*.yaml")):
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        for case in data["cases"]:
            out.append((data["check"], case, f"{file.stem}:{case['name']}"))
    return out


def run_case(check: str, case: dict[str, Any], tmp_path: Path) -> None:
    """Write the case's files, lint them with only ``check``, compare findings and fixes."""
    for name, text in case["files"].items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8"))
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        result = lint(["."], config=case.get("config", {}), select=[check], cache=False, jobs=1)
        assert not result.errors, result.errors
        got = [(d.path, d.line) for d in result.diagnostics]
        want = [(e["path"], e["line"]) for e in case.get("expect") or []]
        assert sorted(got) == sorted(want), "\n".join(
            f"{d.path}:{d.line}:{d.column} {d.message}" for d in result.diagnostics
        )
        for e in case.get("expect") or []:
            if "message" in e:
                at = (e["path"], e["line"])
                msgs = [d.message for d in result.diagnostics if (d.path, d.line) == at]
                assert any(e["message"] in m for m in msgs), (e["message"], msgs)
            if "severity" in e:
                at = (e["path"], e["line"])
                sevs = [d.severity.value for d in result.diagnostics if (d.path, d.line) == at]
                assert e["severity"] in sevs, (e["severity"], sevs)
        if "fix" in case:
            apply_fixes(result.diagnostics, write=True, unsafe=True)
            for name, text in case["fix"].items():
                assert (tmp_path / name).read_text(encoding="utf-8") == text, name
    finally:
        os.chdir(old)
