"""The command line in a subprocess: input errors, exit codes, ``checks``, ``explain``, version.

Findings come from the example plugin (``example-word`` flags TODO/XXX), put on the
subprocess's path as an installed distribution.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from prlint import __version__
from tests.engine_support import example_site, finding_lines, prlint, write

SITE = example_site()
ONLY = ("--select", "example-word", "--no-cache")


def one_line(stderr: str) -> str:
    """The single line of stderr; fails on a traceback or several lines."""
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


# -- input errors ------------------------------------------------------------------------------
def test_missing_path_exits_2_with_one_line(tmp_path: Path) -> None:
    proc = prlint("check", "no/such/path", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert one_line(proc.stderr) == "prlint: error: no/such/path: no such file or directory"


def test_binary_file_in_folder_is_skipped_and_verbose_says_so(tmp_path: Path) -> None:
    write(tmp_path, {"rel/a.txt": "Acme TODO.\n", "rel/logo.txt": b"\x89PNG\r\n\x1a\n\x00\x00"})
    proc = prlint("check", "rel", *ONLY, "-v", cwd=tmp_path, site=SITE)
    assert proc.returncode == 1
    assert finding_lines(proc.stdout) == [
        "rel/a.txt:1:6: warning [example-word] placeholder 'TODO' left in"
    ]
    assert "prlint: skipped rel/logo.txt: binary file" in proc.stderr.splitlines()
    assert "1 file(s) checked" in proc.stderr


def test_binary_file_named_explicitly_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, {"logo.txt": b"GIF89a\x00\x01"})
    proc = prlint("check", "logo.txt", *ONLY, cwd=tmp_path, site=SITE)
    assert proc.returncode == 2
    assert one_line(proc.stderr) == "prlint: error: logo.txt: binary file, not a text release"


def test_undecodable_file_is_named_others_still_linted(tmp_path: Path) -> None:
    write(tmp_path, {"a.txt": "First TODO.\n", "b.txt": b"bad \x81\x8d bytes\n", "c.md": "XXX\n"})
    proc = prlint("check", ".", *ONLY, cwd=tmp_path, site=SITE)
    assert proc.returncode == 2
    assert one_line(proc.stderr) == (
        "prlint: error: b.txt: cannot decode: not UTF-8, UTF-16 with BOM or cp1252 (byte 4)"
    )
    assert finding_lines(proc.stdout) == [
        "a.txt:1:7: warning [example-word] placeholder 'TODO' left in",
        "c.md:1:1: warning [example-word] placeholder 'XXX' left in",
    ]


def test_usage_error_exits_2_with_one_line(tmp_path: Path) -> None:
    proc = prlint("check", "--no-such-option", cwd=tmp_path)
    assert proc.returncode == 2
    assert one_line(proc.stderr) == "prlint: error: No such option: --no-such-option"


def test_unknown_select_exits_2_naming_the_check(tmp_path: Path) -> None:
    write(tmp_path, {"a.txt": "x\n"})
    proc = prlint("check", "a.txt", "--select", "no-such-check", cwd=tmp_path)
    assert proc.returncode == 2
    line = one_line(proc.stderr)
    assert line.startswith("prlint: error: --select: unknown check 'no-such-check'; known: ")
    assert "company-name" in line


# -- exit codes ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "config", "code"),
    [
        ((), "", 1),  # a warning fails at the default --fail-on warning
        (("--fail-on", "error"), "", 0),
        (("--fail-on", "info"), "", 1),
        (("--exit-zero",), "", 0),
        ((), "fail-on: error\n", 0),
        (("--fail-on", "warning"), "fail-on: error\n", 1),  # the option beats the config
        ((), "severity: {example-word: info}\n", 0),
        (("--fail-on", "error"), "severity: {example-word: error}\n", 1),
        (("--select", "example-duplicate-title"), "", 0),  # no finding at all
    ],
)
def test_exit_codes(tmp_path: Path, args: tuple[str, ...], config: str, code: int) -> None:
    write(tmp_path, {"a.txt": "Title\n\nSome TODO here.\n", ".prlint.yaml": config})
    select = () if "--select" in args else ("--select", "example-word")
    proc = prlint("check", "a.txt", "--no-cache", *select, *args, cwd=tmp_path, site=SITE)
    assert proc.returncode == code, proc.stderr
    assert proc.stderr == ""


def test_json_report_and_output_file(tmp_path: Path) -> None:
    write(tmp_path, {"r/a.txt": "Title\n\nSome TODO here.\n"})
    proc = prlint(
        "check", "r", *ONLY, "--format", "json", "-o", "out.json", cwd=tmp_path, site=SITE
    )
    assert proc.returncode == 1
    assert proc.stdout == ""
    report = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert report == {
        "prlint_version": __version__,
        "files_checked": 1,
        "diagnostics": [
            {
                "path": "r/a.txt",
                "line": 3,
                "column": 6,
                "end_line": 3,
                "end_column": 10,
                "check": "example-word",
                "severity": "warning",
                "message": "placeholder 'TODO' left in",
                "related": [],
            }
        ],
        "summary": {"error": 0, "warning": 1, "info": 0},
    }


def test_paths_are_reported_as_given(tmp_path: Path) -> None:
    write(tmp_path, {"r/a.txt": "TODO\n"})
    sub = tmp_path / "r"
    assert finding_lines(prlint("check", "./a.txt", *ONLY, cwd=sub, site=SITE).stdout)[
        0
    ].startswith("a.txt:1:1:")
    abs_lines = finding_lines(prlint("check", str(sub), *ONLY, cwd=tmp_path, site=SITE).stdout)
    assert abs_lines[0].startswith(f"{sub.as_posix()}/a.txt:1:1:")


# -- catalogue, explain, version ------------------------------------------------------------------
BUILTIN = [
    "acronym-conflict",
    "broken-paragraph",
    "company-name",
    "contact-drift",
    "date-mismatch",
    "fact-conflict",
    "mixed-style",
    "stale-filing",
    "text-artifact",
    "url-drift",
]


def test_checks_lists_every_check_with_severity_and_summary(tmp_path: Path) -> None:
    proc = prlint("checks", cwd=tmp_path, site=SITE)
    assert proc.returncode == 0
    rows = [line.split(None, 2) for line in proc.stdout.splitlines()]
    names = [r[0] for r in rows]
    assert names == sorted(names)
    assert set(BUILTIN) <= set(names)
    assert "example-word" in names and "example-duplicate-title" in names
    assert all(r[1] in ("error", "warning", "info") and r[2].strip() for r in rows)
    assert ["example-word", "warning", "a placeholder word left in the text"] in rows


def test_explain_prints_documentation_and_options(tmp_path: Path) -> None:
    proc = prlint("explain", "example-word", cwd=tmp_path, site=SITE)
    assert proc.returncode == 0
    out = proc.stdout
    assert out.startswith("example-word (warning)\n\nPlaceholder words left in a release")
    assert "Passes::" in out and "Fails::" in out
    assert "words (default: ['TODO', 'XXX']): words that must not appear (whole words)" in out


@pytest.mark.parametrize("name", BUILTIN)
def test_explain_every_builtin_check(tmp_path: Path, name: str) -> None:
    proc = prlint("explain", name, cwd=tmp_path)
    assert proc.returncode == 0
    assert proc.stdout.startswith(f"{name} (")


def test_explain_unknown_check_exits_2(tmp_path: Path) -> None:
    proc = prlint("explain", "no-such-check", cwd=tmp_path)
    assert proc.returncode == 2
    assert one_line(proc.stderr).startswith("prlint: error: unknown check 'no-such-check'; known: ")


def test_version(tmp_path: Path) -> None:
    proc = prlint("--version", cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (0, f"prlint {__version__}\n")


def test_init_writes_a_starter_config_inferred_from_the_corpus(tmp_path: Path) -> None:
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    write(tmp_path, {f"releases/{p.name}": p.read_bytes() for p in seeds.glob("*.txt")})
    proc = prlint("init", "releases", cwd=tmp_path)
    assert (proc.returncode, proc.stderr) == (0, "Wrote .prlint.yaml.\n")
    body = yaml.safe_load((tmp_path / ".prlint.yaml").read_text(encoding="utf-8"))
    assert body == {
        "corpus": ["releases/**/*.txt"],
        "company": {
            "names": ["Cellectar Biosciences"],
            "domains": ["cellectar.com"],
            "ticker": "CLRB",
        },
    }
    again = prlint("init", "releases", cwd=tmp_path)
    assert again.returncode == 2
    assert again.stderr == "prlint: error: .prlint.yaml exists; use --force to overwrite it\n"
    check = prlint("check", "--select", "text-artifact", "--no-cache", cwd=tmp_path)
    assert check.returncode == 1 and "5 file(s)" in check.stdout  # no paths: the corpus
