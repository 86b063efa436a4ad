"""Bad input is one line on stderr and exit 2; the walk reads only regular files; reports
cannot be made to forge lines or run terminal escapes; the everyday CLI options."""

from __future__ import annotations

import codecs
import json
import os
from pathlib import Path

import pytest

from prlint import ConfigError, InputError, lint
from prlint.config import load_config
from tests.engine_support import example_site, finding_lines, prlint, write

SITE = example_site()
ONLY = ("--select", "example-word", "--no-cache")


def one_line(stderr: str) -> str:
    assert "Traceback" not in stderr and "internal error" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


# -- decoding --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("data", "why"),
    [
        (codecs.BOM_UTF16_LE + "TODO".encode("utf-16-le") + b"x", "UTF-16 BOM but an odd number"
         " of bytes (11)"),
        (codecs.BOM_UTF16_LE + b"\x00\xd8T\x00", "UTF-16 BOM but illegal UTF-16 surrogate at"
         " byte 2"),
        (codecs.BOM_UTF8 + b"TODO \xff\n", "UTF-8 BOM but invalid UTF-8 at byte 8"),
    ],
    ids=["utf16-odd-length", "utf16-lone-surrogate", "utf8-bom-invalid"],
)  # fmt: skip
def test_undecodable_after_a_bom_is_one_line_naming_the_file(
    tmp_path: Path, data: bytes, why: str
) -> None:
    write(tmp_path, {"bad.txt": data, "good.txt": "XXX\n"})
    proc = prlint("check", ".", *ONLY, cwd=tmp_path, site=SITE)
    assert proc.returncode == 2
    assert one_line(proc.stderr) == f"prlint: error: bad.txt: cannot decode: {why}"
    assert finding_lines(proc.stdout) == [
        "good.txt:1:1: warning [example-word] placeholder 'XXX' left in"
    ]


# -- the walk --------------------------------------------------------------------------------
def test_walk_skips_fifos_devices_and_link_loops(tmp_path: Path) -> None:
    write(tmp_path, {"rel/a.txt": "TODO\n"})
    os.mkfifo(tmp_path / "rel/pipe.txt")
    (tmp_path / "rel/zero.txt").symlink_to("/dev/zero")
    (tmp_path / "rel/loop1.txt").symlink_to("loop2.txt")
    (tmp_path / "rel/loop2.txt").symlink_to("loop1.txt")
    (tmp_path / "rel/sub").mkdir()
    (tmp_path / "rel/sub/up").symlink_to("..")  # a folder link: not followed
    proc = prlint("check", "rel", *ONLY, "-v", cwd=tmp_path, site=SITE)
    assert proc.returncode == 1
    assert finding_lines(proc.stdout) == [
        "rel/a.txt:1:1: warning [example-word] placeholder 'TODO' left in"
    ]
    skipped = [line for line in proc.stderr.splitlines() if line.startswith("prlint: skipped")]
    assert skipped == [
        "prlint: skipped rel/loop1.txt: cannot read: Too many levels of symbolic links",
        "prlint: skipped rel/loop2.txt: cannot read: Too many levels of symbolic links",
        "prlint: skipped rel/pipe.txt: not a regular file",
        "prlint: skipped rel/zero.txt: not a regular file",
    ]


@pytest.mark.parametrize("name", ["pipe.txt", "zero.txt", "loop.txt"])
def test_non_regular_file_named_explicitly_is_one_line(tmp_path: Path, name: str) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    (tmp_path / "loop.txt").symlink_to("loop.txt")
    proc = prlint("check", name, *ONLY, cwd=tmp_path, site=SITE)
    assert proc.returncode == 2
    expected = {
        "pipe.txt": "prlint: error: pipe.txt: not a regular file",
        "zero.txt": "prlint: error: zero.txt: not a regular file",
        "loop.txt": "prlint: error: loop.txt: cannot read: Too many levels of symbolic links",
    }
    assert one_line(proc.stderr) == expected[name]


def test_files_above_max_file_size_are_skipped_with_a_note(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            ".prlint.yaml": "max-file-size: 0.001\n",  # 1,000 bytes
            "small.txt": "TODO\n",
            "big.txt": "TODO " * 300,
        },
    )
    proc = prlint("check", ".", *ONLY, cwd=tmp_path, site=SITE)
    assert proc.returncode == 1
    assert finding_lines(proc.stdout) == [
        "small.txt:1:1: warning [example-word] placeholder 'TODO' left in"
    ]
    assert one_line(proc.stderr) == (
        "prlint: note: big.txt: skipped, 0.0 MB is above max-file-size (0.001 MB)"
    )


def test_gitignored_folders_are_not_walked(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            ".git/HEAD": "ref: refs/heads/main\n",
            ".gitignore": "build/\n*.tmp.md\n!keep.tmp.md\n",
            "docs/.gitignore": "drafts/\n",
            "docs/a.md": "TODO\n",
            "docs/drafts/b.md": "TODO\n",
            "docs/x.tmp.md": "TODO\n",
            "docs/keep.tmp.md": "XXX\n",
            "build/out.md": "TODO\n",
        },
    )
    proc = prlint("check", "docs", *ONLY, "-v", cwd=tmp_path, site=SITE)
    assert finding_lines(proc.stdout) == [
        "docs/a.md:1:1: warning [example-word] placeholder 'TODO' left in",
        "docs/keep.tmp.md:1:1: warning [example-word] placeholder 'XXX' left in",
    ]
    assert "prlint: skipped docs/x.tmp.md: ignored by .gitignore" in proc.stderr.splitlines()
    whole = prlint("check", *ONLY, cwd=tmp_path, site=SITE)
    assert "build/out.md" not in whole.stdout and "docs/a.md:1:1" in whole.stdout
    named = prlint("check", "build/out.md", *ONLY, cwd=tmp_path, site=SITE)
    assert finding_lines(named.stdout) == [  # a file named explicitly is linted
        "build/out.md:1:1: warning [example-word] placeholder 'TODO' left in"
    ]


def test_exclude_option_adds_globs(tmp_path: Path) -> None:
    write(tmp_path, {"a.txt": "TODO\n", "drafts/b.txt": "TODO\n", "c.txt": "XXX\n"})
    proc = prlint("check", ".", *ONLY, "--exclude", "drafts/*", "--exclude", "c.txt",
                  cwd=tmp_path, site=SITE)  # fmt: skip
    assert finding_lines(proc.stdout) == [
        "a.txt:1:1: warning [example-word] placeholder 'TODO' left in"
    ]
    bad = prlint("check", ".", *ONLY, "--exclude", "a**b", cwd=tmp_path, site=SITE)
    assert bad.returncode == 2
    assert one_line(bad.stderr) == (
        "prlint: error: --exclude: glob 'a**b' uses '**' inside a path component (write 'a/**/b')"
    )


# -- config values ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("company: {ticker: 5}\n", "'company.ticker' must be a ticker symbol (1-10 letters, "
         "digits, '.' or '-'), got 5"),
        ("company: {ticker: [A, B]}\n", "'company.ticker' must be a ticker symbol (1-10 "
         "letters, digits, '.' or '-'), got ['A', 'B']"),
        ("company: {ticker: {a: 1}}\n", "'company.ticker' must be a ticker symbol (1-10 "
         "letters, digits, '.' or '-'), got {'a': 1}"),
        ("company: {ticker: null}\n", "'company.ticker' must be a ticker symbol (1-10 "
         "letters, digits, '.' or '-'), got None"),
        ("company: {fiscal_year_end: '02-30'}\n", "'company.fiscal_year_end' must be a date "
         "as MM-DD (e.g. \"12-31\"), got '02-30'"),
        ("checks: {fact-conflict: {similarity: -5}}\n",
         "'checks.fact-conflict.similarity': expected at least 0, got -5"),
        ("checks: {fact-conflict: {min-words: .nan}}\n",
         "'checks.fact-conflict.min-words': expected int, got float nan"),
        ("max-file-size: 0\n", "'max-file-size' must be a positive number of MB, got 0"),
        ("fail-on: [error]\n", "'fail-on': ['error'] is not one of error, warning, info"),
        ("include: ['']\n", "'include': glob '' is empty"),
        ("exclude: ['a**b']\n",
         "'exclude': glob 'a**b' uses '**' inside a path component (write 'a/**/b')"),
        ("corpus: ['.']\n", "'corpus': glob '.' names no files"),
        ("per-file-ignores: {'': [ALL]}\n", "'per-file-ignores': glob '' is empty"),
        ("a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
         "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c,"
         " *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n",
         "too many values (more than 100,000)"),
        ("select: " + "[" * 100 + "]" * 100 + "\n", "nested too deeply (more than 32 levels)"),
        ("select: " + "[" * 5000 + "]" * 5000 + "\n", "invalid syntax: nested too deeply"),
    ],
    ids=["ticker-int", "ticker-list", "ticker-map", "ticker-null", "impossible-date",
         "negative-option", "nan-option", "zero-size", "fail-on-list", "empty-glob",
         "double-star-glob", "dot-glob", "empty-per-file-glob", "alias-bomb", "deep", "deeper"],
)  # fmt: skip
def test_bad_config_values_are_one_line(tmp_path: Path, body: str, message: str) -> None:
    write(tmp_path, {".prlint.yaml": body, "a.txt": "TODO\n"})
    proc = prlint("check", "a.txt", *ONLY, cwd=tmp_path, site=SITE)
    assert proc.returncode == 2
    assert one_line(proc.stderr) == f"prlint: error: {tmp_path / '.prlint.yaml'}: {message}"


def test_deep_toml_is_one_line(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": "[tool.prlint]\nselect = " + "[" * 5000 + "]" * 5000})
    with pytest.raises(ConfigError, match="nested too deeply"):
        load_config(tmp_path / "pyproject.toml")


def test_deeply_nested_baseline_json_is_one_line(tmp_path: Path) -> None:
    write(tmp_path, {"a.txt": "TODO\n", "base.json": "[" * 100_000 + "]" * 100_000})
    proc = prlint("check", "a.txt", *ONLY, "--baseline", "base.json", cwd=tmp_path, site=SITE)
    assert proc.returncode == 2
    assert one_line(proc.stderr) == "prlint: error: base.json: not a prlint baseline (invalid JSON)"


def test_a_valid_fiscal_year_end_in_a_leap_year_is_kept(tmp_path: Path) -> None:
    write(tmp_path, {".prlint.yaml": "company: {fiscal_year_end: '2-29', ticker: ' BRK.B '}\n"})
    cfg = load_config(tmp_path / ".prlint.yaml")
    assert cfg.company == {"fiscal_year_end": "02-29", "ticker": "BRK.B"}


# -- escaping --------------------------------------------------------------------------------
EVIL = "x\n::error file=forged.txt::owned\x1b[31m.txt"


def test_a_file_name_cannot_forge_lines_in_any_report(tmp_path: Path) -> None:
    write(tmp_path, {EVIL: "TODO\n"})
    text = prlint("check", ".", *ONLY, cwd=tmp_path, site=SITE)
    assert text.stdout.splitlines()[0] == (
        "x\\n::error file=forged.txt::owned\\x1b[31m.txt:1:1: warning [example-word] "
        "placeholder 'TODO' left in"
    )
    github = prlint("check", ".", *ONLY, "--format", "github", cwd=tmp_path, site=SITE)
    assert github.stdout == (
        "::warning file=x%0A%3A%3Aerror file=forged.txt%3A%3Aowned\\x1b[31m.txt,line=1,col=1,"
        "endLine=1,endColumn=5,title=prlint (example-word)::placeholder 'TODO' left in\n"
    )
    data = json.loads(prlint("check", ".", *ONLY, "-f", "json", cwd=tmp_path, site=SITE).stdout)
    assert [d["path"] for d in data["diagnostics"]] == [EVIL]
    assert data["diagnostics"][0]["related"] == []


def test_an_error_about_a_file_name_with_a_newline_is_one_line(tmp_path: Path) -> None:
    write(tmp_path, {"a\nprlint: error: forged.txt": b"bad \x81\x8d bytes\n"})
    proc = prlint("check", ".", *ONLY, cwd=tmp_path, site=SITE)
    assert proc.returncode == 2
    assert one_line(proc.stderr) == (
        "prlint: error: a\\nprlint: error: forged.txt: cannot decode: not UTF-8, UTF-16 with "
        "BOM or cp1252 (byte 4)"
    )


# -- HTML positions --------------------------------------------------------------------------
def test_html_with_a_lone_cr_before_lf_reports_the_source_position(tmp_path: Path) -> None:
    write(tmp_path, {"r.html": b"<p>line one</p>\r\r\n<p>Hello</p>\r\n<p>Cellestar TODO</p>\n"})
    proc = prlint("check", "r.html", *ONLY, cwd=tmp_path, site=SITE)
    assert finding_lines(proc.stdout) == [
        "r.html:4:14: warning [example-word] placeholder 'TODO' left in"
    ]


# -- everyday CLI ----------------------------------------------------------------------------
def test_stdin_with_a_file_name(tmp_path: Path) -> None:
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-c", "from prlint.cli import main; main()", "check", "-",
         "--stdin-filename", "news/r.md", *ONLY],
        input=b"# Title\n\nA `TODO` and <!-- XXX --> then XXX.\n",
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(SITE), "NO_COLOR": "1"},
        capture_output=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    assert finding_lines(proc.stdout.decode()) == [
        "news/r.md:3:4: warning [example-word] placeholder 'TODO' left in",
        "news/r.md:3:32: warning [example-word] placeholder 'XXX' left in",
    ]


def test_show_source_forces_excerpts_without_colour(tmp_path: Path) -> None:
    write(tmp_path, {"a.txt": "First.\nSo TODO here\n"})
    proc = prlint("check", "a.txt", *ONLY, "--show-source", "-o", "out.txt",
                  cwd=tmp_path, site=SITE)  # fmt: skip
    assert proc.returncode == 1
    assert (tmp_path / "out.txt").read_text() == (
        "a.txt:2:4: warning [example-word] placeholder 'TODO' left in\n"
        "   2 | So TODO here\n"
        "     |    ^^^^\n"
        "Found 1 finding(s) in 1 file(s): 1 warning.\n"
    )


def test_statistics_alone_prints_the_table(tmp_path: Path) -> None:
    write(tmp_path, {"a.txt": "TODO XXX\n", "b.txt": "TODO\n"})
    proc = prlint("check", ".", *ONLY, "--statistics", cwd=tmp_path, site=SITE)
    assert proc.returncode == 1
    assert proc.stdout == "     3  example-word              0 fixable\n"


def test_api_writes_no_cache_and_raises_importable_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"a.txt": "Plain release.\n"})
    result = lint(["a.txt"], config={}, select=["text-artifact"])
    assert result.diagnostics == [] and result.files_checked == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]
    with pytest.raises(InputError, match=r"nope\.txt: no such file or directory"):
        lint(["nope.txt"], config={})
    with pytest.raises(ConfigError, match="unknown key 'colour'"):
        lint(["a.txt"], config={"colour": 1})
