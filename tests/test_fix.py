"""``--fix`` and ``--diff``: one-pass non-overlapping edits, atomic writes, encodings kept."""

from __future__ import annotations

import codecs
import os
import subprocess
from pathlib import Path

import pytest

from prlint import fixer
from prlint.api import Diagnostic, Fix, Severity
from tests.conftest import run_prlint

SELECT = ["--select", "test-acme,test-todo", "--no-cache"]
ACME_MSG = "'Acmee' looks like a misspelling of 'Acme'"


def fix(project: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run_prlint(["check", "docs", *SELECT, *args], project, env)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/a.txt").write_bytes(b"Acme Corp.\nAcmee and Acmee, TODO: x\n")
    (tmp_path / "docs/b.txt").write_bytes(b"No newline at the end: Acmee")
    return tmp_path


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".prlint_cache" not in p.parts
    }


DIFF = """\
--- a/docs/a.txt
+++ b/docs/a.txt
@@ -1,2 +1,2 @@
 Acme Corp.
-Acmee and Acmee, TODO: x
+Acme and Acme, TODO: x
--- a/docs/b.txt
+++ b/docs/b.txt
@@ -1 +1 @@
-No newline at the end: Acmee
\\ No newline at end of file
+No newline at the end: Acme
\\ No newline at end of file
"""


def test_diff_prints_a_unified_diff_and_writes_nothing(
    project: Path, plugin_env: dict[str, str]
) -> None:
    before = snapshot(project)
    proc = fix(project, plugin_env, "--diff")
    assert (proc.returncode, proc.stdout, proc.stderr) == (1, DIFF, "")
    assert snapshot(project) == before


def test_fix_applies_every_fix_in_one_pass(project: Path, plugin_env: dict[str, str]) -> None:
    proc = fix(project, plugin_env, "--fix")
    assert proc.stderr == "Fixed 3 finding(s) in 2 file(s).\n"
    assert proc.stdout == (
        "docs/a.txt:2:16: info [test-todo] TODO left in the text:\\r\\n: x\n"
        "Found 1 finding(s) in 2 file(s): 1 info.\n"
    )
    assert proc.returncode == 0  # what is left is below --fail-on warning
    assert (project / "docs/a.txt").read_bytes() == b"Acme Corp.\nAcme and Acme, TODO: x\n"
    assert (project / "docs/b.txt").read_bytes() == b"No newline at the end: Acme"
    assert not [p.name for p in (project / "docs").iterdir() if "prlint-tmp" in p.name]
    before = snapshot(project)
    again = fix(project, plugin_env, "--fix")
    assert (again.returncode, again.stderr) == (0, "Fixed 0 finding(s) in 0 file(s).\n")
    assert snapshot(project) == before


TEXT = "Acmee Corp.\nCaf\u00e9 \u2019Acmee\u2019 news\n"
FIXED = "Acme Corp.\nCaf\u00e9 \u2019Acme\u2019 news\n"
ENCODINGS = {
    "utf-8": lambda t: t.encode("utf-8"),
    "utf-8 with BOM": lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
    "utf-16-le with BOM": lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"),
    "utf-16-be with BOM": lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
    "cp1252": lambda t: t.encode("cp1252"),
    "CRLF": lambda t: t.replace("\n", "\r\n").encode("utf-8"),
    "CR": lambda t: t.replace("\n", "\r").encode("utf-8"),
    "cp1252 with CRLF": lambda t: t.replace("\n", "\r\n").encode("cp1252"),
}


@pytest.mark.parametrize("name", list(ENCODINGS))
def test_fix_keeps_encoding_and_line_endings(
    name: str, tmp_path: Path, plugin_env: dict[str, str]
) -> None:
    encode = ENCODINGS[name]
    (tmp_path / "docs").mkdir()
    release = tmp_path / "docs/release.txt"
    release.write_bytes(encode(TEXT))
    first = fix(tmp_path, plugin_env, "--fix")
    assert (first.returncode, first.stderr) == (0, "Fixed 2 finding(s) in 1 file(s).\n")
    assert release.read_bytes() == encode(FIXED)
    second = fix(tmp_path, plugin_env, "--fix")
    assert (second.returncode, second.stderr) == (0, "Fixed 0 finding(s) in 0 file(s).\n")
    assert release.read_bytes() == encode(FIXED)


def test_prlint_never_writes_a_release_without_fix(
    project: Path, plugin_env: dict[str, str]
) -> None:
    before = snapshot(project)
    for args in (
        [],
        ["--format", "json"],
        ["--format", "sarif"],
        ["--format", "github"],
        ["--diff"],
        ["--statistics", "--verbose"],
    ):
        assert fix(project, plugin_env, *args).returncode == 1
    assert snapshot(project) == before
    assert fix(project, plugin_env, "--write-baseline", "../base.json").returncode == 0
    assert fix(project, plugin_env, "-o", "../report.txt").returncode == 1
    assert snapshot(project) == before


# -- the fixer as a library ----------------------------------------------------------------
def test_apply_edits_skips_overlaps_no_ops_and_out_of_range() -> None:
    source = "0123456789"
    fixes = [
        Fix("B", 3, 8),  # overlaps "A": left for the next run
        Fix("A", 0, 5),
        Fix("Z", 8, 10),
        Fix("Z", 8, 10),  # a duplicate counts once
        Fix("89", 8, 10),  # changes nothing
        Fix("!", 5, 5),  # an insertion where "A" ends
        Fix("?", 5, 5),  # a second insertion at the same point: left for the next run
        Fix("F", 5, 6),  # a replacement that starts at the insertion point
        Fix("x", 9, 12),  # overlapping and out of range
    ]
    new, applied = fixer.apply_edits(source, fixes)
    assert applied == [Fix("A", 0, 5), Fix("!", 5, 5), Fix("F", 5, 6), Fix("Z", 8, 10)]
    assert new == "A!F67Z"


def test_apply_edits_leaves_unchanged_text_alone() -> None:
    assert fixer.apply_edits("Acme", [Fix("Acme", 0, 4)]) == ("Acme", [])


def _diag(path: str, start: int, end: int, matched: str, replacement: str) -> Diagnostic:
    return Diagnostic(
        path, 1, start + 1, 1, end + 1, "test-acme", Severity.WARNING, ACME_MSG,
        matched=matched, fix=Fix(replacement, start, end),
    )  # fmt: skip


def test_failed_rename_leaves_the_original_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("a.txt").write_bytes(b"Acmee Corp.\n")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    out = fixer.apply_fixes([_diag("a.txt", 0, 5, "Acmee", "Acme")], write=True)
    assert out.errors == ["a.txt: cannot fix: No space left on device"]
    assert (out.applied, out.files, out.fixed) == (0, [], set())
    assert Path("a.txt").read_bytes() == b"Acmee Corp.\n"
    assert sorted(os.listdir(".")) == ["a.txt"]  # the temporary file is gone
    with pytest.raises(OSError):
        fixer.write_atomic(Path("a.txt"), b"new")
    assert sorted(os.listdir(".")) == ["a.txt"]


def test_write_atomic_keeps_mode_and_symlinks(tmp_path: Path) -> None:
    target = tmp_path / "real.txt"
    target.write_bytes(b"old")
    target.chmod(0o640)
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    fixer.write_atomic(link, b"new")
    assert link.is_symlink() and target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == 0o640


def test_a_fix_that_the_encoding_cannot_hold_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("a.txt").write_bytes("Acmee \u2019s".encode("cp1252"))
    out = fixer.apply_fixes([_diag("a.txt", 0, 5, "Acmee", "Acme\u2192")], write=True)
    assert out.errors == ["a.txt: cannot fix: '→' cannot be written in cp1252"]
    assert Path("a.txt").read_bytes() == "Acmee \u2019s".encode("cp1252")


def test_a_file_changed_since_the_lint_is_not_corrupted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("a.txt").write_bytes(b"Hello Acmee\n")  # the finding was made on "Acmee Corp."
    out = fixer.apply_fixes([_diag("a.txt", 0, 5, "Acmee", "Acme")], write=True)
    assert (out.applied, out.errors, out.diff) == (0, [], "")
    assert Path("a.txt").read_bytes() == b"Hello Acmee\n"


def test_replacement_line_breaks_follow_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("a.txt").write_bytes(b"one two\r\nthree\r\n")
    out = fixer.apply_fixes([_diag("a.txt", 3, 4, " ", "\n")], write=True)
    assert out.applied == 1
    assert Path("a.txt").read_bytes() == b"one\r\ntwo\r\nthree\r\n"


def test_missing_file_is_an_error_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    out = fixer.apply_fixes([_diag("gone.txt", 0, 5, "Acmee", "Acme")], write=False)
    assert out.errors == ["gone.txt: cannot fix: No such file or directory"]
