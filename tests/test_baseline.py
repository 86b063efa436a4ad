"""Baselines: ``--write-baseline`` records today's findings, ``--baseline`` hides them later."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from prlint.api import Diagnostic, Severity
from prlint.baseline import FORMAT, Baseline, fingerprint
from tests.conftest import run_prlint

SELECT = ["--select", "test-acme,test-todo", "--no-cache"]
ACME_MSG = "'Acmee' looks like a misspelling of 'Acme'"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/a.txt").write_text("Acme Corp.\nAcmee Corp. said.\nTODO: check\n")
    (tmp_path / "docs/b.txt").write_text("Acmee results\n")
    return tmp_path


def lint(project: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run_prlint(["check", "docs", *SELECT, *args], project, env)


def test_baseline_hides_recorded_findings_and_shows_new_ones(
    project: Path, plugin_env: dict[str, str]
) -> None:
    wrote = lint(project, plugin_env, "--write-baseline", "base.json")
    assert (wrote.returncode, wrote.stdout) == (0, "")
    assert wrote.stderr == "Wrote 3 finding(s) to base.json.\n"
    body = json.loads((project / "base.json").read_text(encoding="utf-8"))
    assert list(body) == ["format", "fingerprints"] and body["format"] == FORMAT
    assert list(body["fingerprints"].values()) == [1, 1, 1]
    assert list(body["fingerprints"]) == sorted(body["fingerprints"])

    hidden = run_prlint(
        ["check", "./docs/", *SELECT, "--baseline", "base.json"], project, plugin_env
    )
    assert (hidden.returncode, hidden.stdout, hidden.stderr) == (
        0,
        "No findings in 2 file(s).\n",
        "",
    )

    a = project / "docs/a.txt"
    a.write_text("New intro.\n\n" + a.read_text())  # every finding moves two lines down
    moved = lint(project, plugin_env, "--baseline", "base.json")
    assert (moved.returncode, moved.stdout) == (0, "No findings in 2 file(s).\n")

    a.write_text(a.read_text() + "Acmee again.\nFIXME soon\n")
    new = lint(project, plugin_env, "--baseline", "base.json", "--verbose")
    assert new.returncode == 1
    assert new.stdout == (
        f"docs/a.txt:6:1: warning [test-acme] {ACME_MSG}\n"
        "docs/a.txt:7:1: error [test-todo] FIXME left in the text:\\r\\nsoon\n"
        "Found 2 finding(s) in 2 file(s): 1 error, 1 warning.\n"
        "1 fixable with --fix.\n"
    )
    assert (
        "prlint: 2 file(s) checked, 0 from cache, 3 finding(s) hidden by the baseline"
        in new.stderr.splitlines()
    )


def test_writing_a_baseline_ignores_the_old_one(project: Path, plugin_env: dict[str, str]) -> None:
    assert lint(project, plugin_env, "--write-baseline", "old.json").returncode == 0
    both = lint(project, plugin_env, "--baseline", "old.json", "--write-baseline", "new.json")
    assert (both.returncode, both.stderr) == (0, "Wrote 3 finding(s) to new.json.\n")
    assert (project / "new.json").read_bytes() == (project / "old.json").read_bytes()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "bad.json: not a prlint baseline (invalid JSON)"),
        (b"\xff\xfe\x00", "bad.json: not a prlint baseline (invalid JSON)"),
        (b"[]", f"bad.json: not a prlint baseline (expected format {FORMAT})"),
        (b'{"format": "x"}', f"bad.json: not a prlint baseline (expected format {FORMAT})"),
        (
            b'{"format": "prlint-baseline/1", "fingerprints": {"ab": true}}',
            "bad.json: malformed baseline (fingerprints must map to counts)",
        ),
        (
            b'{"format": "prlint-baseline/1"}',
            "bad.json: malformed baseline (fingerprints must map to counts)",
        ),
        (None, "bad.json: cannot read baseline: No such file or directory"),
    ],
)
def test_a_bad_baseline_exits_2_with_one_line(
    content: bytes | None, message: str, project: Path, plugin_env: dict[str, str]
) -> None:
    if content is not None:
        (project / "bad.json").write_bytes(content)
    proc = lint(project, plugin_env, "--baseline", "bad.json")
    assert (proc.returncode, proc.stdout, proc.stderr) == (2, "", f"prlint: error: {message}\n")


def test_an_unwritable_baseline_exits_2_with_one_line(
    project: Path, plugin_env: dict[str, str]
) -> None:
    proc = lint(project, plugin_env, "--write-baseline", "docs")
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == "prlint: error: docs: cannot write baseline: Is a directory\n"


def _diag(line: int, matched: str, message: str = ACME_MSG) -> Diagnostic:
    return Diagnostic(
        "docs/a.txt", line, 3, line, 8, "test-acme", Severity.WARNING, message, matched=matched
    )


def test_fingerprint_ignores_position_and_whitespace() -> None:
    assert fingerprint(_diag(2, "Acmee")) == fingerprint(_diag(40, "Acmee"))
    assert fingerprint(_diag(2, "ends here\r\nand")) == fingerprint(_diag(9, "ends here\nand"))
    assert fingerprint(_diag(2, "Acmee")) != fingerprint(_diag(2, "Acmeee"))
    assert fingerprint(_diag(2, "", "m1")) != fingerprint(_diag(2, "", "m2"))


def test_baseline_counts_repeated_findings(tmp_path: Path) -> None:
    base = Baseline.from_diagnostics([_diag(2, "Acmee")])
    base.save(tmp_path / "b.json")
    loaded = Baseline.load(tmp_path / "b.json")
    assert loaded.filter([_diag(5, "Acmee"), _diag(9, "Acmee")]) == [_diag(9, "Acmee")]


def test_baseline_works_from_another_working_directory(
    project: Path, plugin_env: dict[str, str]
) -> None:
    wrote = lint(project, plugin_env, "--write-baseline", "base.json")
    assert wrote.returncode == 0
    # the same files named from inside docs/: paths are kept relative to the baseline file
    inside = run_prlint(
        ["check", ".", *SELECT, "--baseline", "../base.json"], project / "docs", plugin_env
    )
    assert (inside.returncode, inside.stdout) == (0, "No findings in 2 file(s).\n")
