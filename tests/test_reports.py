"""Report formats through the real CLI: text, json, sarif, github, --output, --statistics.

Findings come from the test-only plugin (``tests/prlint_testplugin.py``), so they are exact.
"""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
import tty
from pathlib import Path
from typing import Any

import pytest

from prlint import __version__
from prlint.api import Diagnostic, Related, Severity
from prlint.reporters import text
from prlint.result import Result
from tests.conftest import run_prlint

SCHEMAS = Path(__file__).absolute().parents[2] / "shared" / "schemas"
SELECT = ["--select", "test-acme,test-todo", "--no-cache"]
ODD = "docs/q1,2024:final.txt"  # a comma and a colon, to be escaped in GitHub properties
ACME_MSG = "'Acmee' looks like a misspelling of 'Acme'"
TODO_MSG = "TODO left in the text:\r\n: check 50%, a:b"
FIXME_MSG = "FIXME left in the text:\r\nnow"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/a.txt").write_text(
        "Acme Corp. news\nAcmee Corp. today said.\nTODO: check 50%, a:b\n", encoding="utf-8"
    )
    (tmp_path / ODD).write_text("Acmee results\nFIXME now\n", encoding="utf-8")
    return tmp_path


def lint(project: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run_prlint(["check", "docs", *SELECT, *args], project, env)


# -- text ----------------------------------------------------------------------------------
TODO_SHOWN = "TODO left in the text:\\r\\n: check 50%, a:b"  # line breaks escaped in reports
FIXME_SHOWN = "FIXME left in the text:\\r\\nnow"
TEXT = (
    f"docs/a.txt:2:1: warning [test-acme] {ACME_MSG}\n"
    f"docs/a.txt:3:1: info [test-todo] {TODO_SHOWN}\n"
    f"{ODD}:1:1: warning [test-acme] {ACME_MSG}\n"
    f"{ODD}:2:1: error [test-todo] {FIXME_SHOWN}\n"
    "Found 4 finding(s) in 2 file(s): 1 error, 2 warnings, 1 info.\n"
    "2 fixable with --fix.\n"
)


def test_text_report_exact_lines(project: Path, plugin_env: dict[str, str]) -> None:
    proc = lint(project, plugin_env)
    assert (proc.returncode, proc.stdout, proc.stderr) == (1, TEXT, "")


def test_text_summary_when_clean(project: Path, plugin_env: dict[str, str]) -> None:
    (project / "docs/a.txt").write_text("Acme Corp. news\n", encoding="utf-8")
    (project / ODD).unlink()
    proc = lint(project, plugin_env)
    assert (proc.returncode, proc.stdout) == (0, "No findings in 1 file(s).\n")


def _run_on_tty(cwd: Path, args: list[str], env: dict[str, str]) -> bytes:
    """Run prlint with stdout on a raw pseudo-terminal; return what it wrote there."""
    master, slave = pty.openpty()
    tty.setraw(slave)
    full = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "80", **env}
    if "NO_COLOR" not in env:
        full.pop("NO_COLOR", None)
    proc = subprocess.Popen(
        [sys.executable, "-c", "from prlint.cli import main; main()", *args],
        cwd=cwd,
        env=full,
        stdout=slave,
        stderr=subprocess.DEVNULL,
    )
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    assert proc.wait(timeout=120) == 1
    return out


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_text_on_a_terminal_has_colour_excerpt_and_related(
    project: Path, plugin_env: dict[str, str]
) -> None:
    out = _run_on_tty(project, ["check", "docs", *SELECT], plugin_env).decode("utf-8")
    assert "\x1b[" in out
    lines = ANSI.sub("", out).split("\n")
    assert lines[:5] == [
        f"docs/a.txt:2:1: warning [test-acme] {ACME_MSG}",
        "   2 | Acmee Corp. today said.",
        "     | ^^^^^",
        "  = related: docs/a.txt:1:1: 'Acme' used here",
        f"docs/a.txt:3:1: info [test-todo] {TODO_SHOWN}",
    ]
    assert lines[-3:] == [
        "Found 4 finding(s) in 2 file(s): 1 error, 2 warnings, 1 info.",
        "2 fixable with --fix.",
        "",
    ]


def test_no_color_on_a_terminal_is_the_plain_report(
    project: Path, plugin_env: dict[str, str]
) -> None:
    out = _run_on_tty(project, ["check", "docs", *SELECT], {**plugin_env, "NO_COLOR": "1"})
    assert out.decode("utf-8") == TEXT


def test_colour_excerpt_clips_long_lines_around_the_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    line = "x" * 100 + "\tAcmee\u200b 中文 tail" + "y" * 100
    Path("long.txt").write_text(line + "\n", encoding="utf-8")
    col = line.index("Acmee") + 1
    d = Diagnostic("long.txt", 1, col, 1, col + 5, "test-acme", Severity.WARNING, ACME_MSG)
    zw = Diagnostic("long.txt", 1, col + 5, 1, col + 6, "zw", Severity.INFO, "zero-width")
    wide = Diagnostic("long.txt", 1, col + 7, 1, col + 9, "cjk", Severity.INFO, "wide")
    result = Result(diagnostics=[d, zw, wide], files_checked=1)
    result.source_lines = {"long.txt": {1: line}}  # reporters read lines from the result
    lines = ANSI.sub("", text.render(result, color=True, width=60)).split("\n")
    # 60 cells: 7 of gutter, 51 of text (a tab shown as a space, an invisible character as a
    # dot, CJK two cells wide) and a clipping mark on either side; the caret under the span
    assert lines[1:3] == [
        "   1 | …xxxxxxxxxxxxxxxx Acmee· 中文 tailyyyyyyyyyyyyyyyyyy…",
        "     |                   ^^^^^",
    ]
    assert lines[4:6] == [
        "   1 | …xxxxxxxxxxx Acmee· 中文 tailyyyyyyyyyyyyyyyyyyyyyyy…",
        "     |                   ^",
    ]
    assert lines[7:9] == [
        "   1 | …xxxxxxxxx Acmee· 中文 tailyyyyyyyyyyyyyyyyyyyyyyyyy…",
        "     |                   ^^^^",
    ]


def test_plain_render_is_unchanged_by_the_colour_option() -> None:
    rel = (Related("b.txt", 1, 1, "here"),)
    d = Diagnostic("nofile.txt", 3, 4, 3, 9, "c", Severity.INFO, "m", related=rel)
    result = Result(diagnostics=[d, d], files_checked=2)
    expected = "nofile.txt:3:4: info [c] m\n" * 2 + "Found 2 finding(s) in 2 file(s): 2 info.\n"
    assert text.render(result) == text.render(result, color=False) == expected
    coloured = ANSI.sub("", text.render(result, color=True, width=80))
    assert coloured.count("  = related: b.txt:1:1: here\n") == 2  # no excerpt: no such file


# -- json ----------------------------------------------------------------------------------
def _acme(path: str, line: int, related: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "path": path,
        "line": line,
        "column": 1,
        "end_line": line,
        "end_column": 6,
        "check": "test-acme",
        "severity": "warning",
        "message": ACME_MSG,
        "fix": {"replacement": "Acme"},
    }
    out["related"] = (
        [{"path": path, "line": 1, "column": 1, "message": "'Acme' used here"}] if related else []
    )
    return out


def _todo(path: str, line: int, severity: str, message: str) -> dict[str, Any]:
    end = 5 if message.startswith("TODO") else 6
    return {
        "path": path,
        "line": line,
        "column": 1,
        "end_line": line,
        "end_column": end,
        "check": "test-todo",
        "severity": severity,
        "message": message,
        "related": [],  # always a list
    }


EXPECTED_JSON = {
    "prlint_version": __version__,
    "files_checked": 2,
    "diagnostics": [
        _acme("docs/a.txt", 2, True),
        _todo("docs/a.txt", 3, "info", TODO_MSG),
        _acme(ODD, 1, False),
        _todo(ODD, 2, "error", FIXME_MSG),
    ],
    "summary": {"error": 1, "warning": 2, "info": 1},
}


def test_json_report_is_the_design_schema(project: Path, plugin_env: dict[str, str]) -> None:
    proc = lint(project, plugin_env, "--format", "json")
    assert (proc.returncode, proc.stderr) == (1, "")
    body = json.loads(proc.stdout)
    assert body == EXPECTED_JSON
    assert list(body) == ["prlint_version", "files_checked", "diagnostics", "summary"]
    assert list(body["summary"]) == ["error", "warning", "info"]
    core = ["path", "line", "column", "end_line", "end_column", "check", "severity", "message"]
    assert [list(d) for d in body["diagnostics"]] == [
        [*core, "fix", "related"],
        [*core, "related"],
        [*core, "fix", "related"],
        [*core, "related"],
    ]
    assert list(body["diagnostics"][0]["related"][0]) == ["path", "line", "column", "message"]
    keys = [(d["path"], d["line"], d["column"], d["check"]) for d in body["diagnostics"]]
    assert keys == sorted(keys)


def test_output_file_holds_the_report(project: Path, plugin_env: dict[str, str]) -> None:
    proc = lint(project, plugin_env, "--format", "json", "--output", "out/report.json")
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr.startswith("prlint: error: out/report.json: cannot write report: ")
    assert proc.stderr.count("\n") == 1
    (project / "out").mkdir()
    proc = lint(project, plugin_env, "--format", "json", "--output", "out/report.json")
    assert (proc.returncode, proc.stdout, proc.stderr) == (1, "", "")
    assert json.loads((project / "out/report.json").read_text(encoding="utf-8")) == EXPECTED_JSON
    proc = lint(project, plugin_env, "-o", "report.txt")
    assert (proc.returncode, proc.stdout) == (1, "")
    assert (project / "report.txt").read_bytes() == TEXT.encode("utf-8")


STATS = "     2  test-acme                 2 fixable\n     2  test-todo                 0 fixable\n"


def test_statistics(project: Path, plugin_env: dict[str, str]) -> None:
    proc = lint(project, plugin_env, "--statistics")  # the table alone, as ruff prints it
    assert (proc.returncode, proc.stdout, proc.stderr) == (1, STATS, "")
    proc = lint(project, plugin_env, "--statistics", "--format", "json")
    assert (proc.returncode, proc.stdout, proc.stderr) == (1, STATS, "")
    proc = lint(project, plugin_env, "--statistics", "-o", "stats.txt")
    assert (proc.returncode, proc.stdout, proc.stderr) == (1, "", "")
    assert (project / "stats.txt").read_text(encoding="utf-8") == STATS


def test_github_annotations_escape_message_and_properties(
    project: Path, plugin_env: dict[str, str]
) -> None:
    proc = lint(project, plugin_env, "--format", "github")
    odd = "docs/q1%2C2024%3Afinal.txt"
    assert (proc.returncode, proc.stderr) == (1, "")
    assert proc.stdout.split("\n") == [
        "::warning file=docs/a.txt,line=2,col=1,endLine=2,endColumn=6,title=prlint (test-acme)"
        "::'Acmee' looks like a misspelling of 'Acme'%0Adocs/a.txt:1:1: 'Acme' used here",
        "::notice file=docs/a.txt,line=3,col=1,endLine=3,endColumn=5,title=prlint (test-todo)"
        "::TODO left in the text:%0D%0A: check 50%25, a:b",
        f"::warning file={odd},line=1,col=1,endLine=1,endColumn=6,title=prlint (test-acme)"
        "::'Acmee' looks like a misspelling of 'Acme'",
        f"::error file={odd},line=2,col=1,endLine=2,endColumn=6,title=prlint (test-todo)"
        "::FIXME left in the text:%0D%0Anow",
        "",
    ]


# -- sarif ---------------------------------------------------------------------------------
def _sarif_schema() -> dict[str, Any]:
    if not SCHEMAS.is_dir():
        pytest.skip(
            f"the SARIF schema folder {SCHEMAS} is absent (CI has ../shared beside the repo)"
        )
    files = sorted(SCHEMAS.glob("sarif-schema-2.1.0*.json"))
    assert files, f"no sarif-schema-2.1.0.json in {SCHEMAS}"
    schema: dict[str, Any] = json.loads(files[0].read_text(encoding="utf-8"))
    return schema


def _loc(path: str, region: dict[str, int]) -> dict[str, Any]:
    uri = {"uri": path, "uriBaseId": "%SRCROOT%"}
    return {"physicalLocation": {"artifactLocation": uri, "region": region}}


def _region(line: int, col: int, end_col: int) -> dict[str, int]:
    return {"startLine": line, "startColumn": col, "endLine": line, "endColumn": end_col}


def _fix(uri: str, line: int) -> dict[str, Any]:
    change = {
        "artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
        "replacements": [
            {"deletedRegion": _region(line, 1, 6), "insertedContent": {"text": "Acme"}}
        ],
    }
    return {"description": {"text": "Replace with 'Acme'"}, "artifactChanges": [change]}


def test_sarif_validates_against_the_official_schema(
    project: Path, plugin_env: dict[str, str]
) -> None:
    import jsonschema

    schema = _sarif_schema()
    proc = lint(project, plugin_env, "--format", "sarif")
    assert (proc.returncode, proc.stderr) == (1, "")
    report = json.loads(proc.stdout)
    jsonschema.Draft4Validator.check_schema(schema)
    jsonschema.Draft4Validator(schema).validate(report)
    assert report["version"] == "2.1.0"
    run = report["runs"][0]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("prlint", __version__)
    assert driver["informationUri"].startswith("https://")
    listed = run_prlint(["checks"], project, plugin_env).stdout.splitlines()
    rules = {r["id"]: r for r in driver["rules"]}
    assert sorted(rules) == sorted(line.split()[0] for line in listed)
    assert rules["test-acme"]["shortDescription"] == {
        "text": "'Acmee' misspells 'Acme' (test only)"
    }
    assert rules["test-acme"]["defaultConfiguration"] == {"level": "warning"}
    assert rules["test-todo"]["defaultConfiguration"] == {"level": "note"}
    results = run["results"]
    for r in results:
        assert driver["rules"][r["ruleIndex"]]["id"] == r["ruleId"]
        del r["ruleIndex"], r["partialFingerprints"]
    odd = "docs/q1%2C2024%3Afinal.txt"
    related = {**_loc("docs/a.txt", {"startLine": 1, "startColumn": 1}), "id": 1}
    related["message"] = {"text": "'Acme' used here"}
    assert results == [
        {
            "ruleId": "test-acme",
            "level": "warning",
            "message": {"text": ACME_MSG},
            "locations": [_loc("docs/a.txt", _region(2, 1, 6))],
            "relatedLocations": [related],
            "fixes": [_fix("docs/a.txt", 2)],
        },
        {
            "ruleId": "test-todo",
            "level": "note",
            "message": {"text": TODO_MSG},
            "locations": [_loc("docs/a.txt", _region(3, 1, 5))],
        },
        {
            "ruleId": "test-acme",
            "level": "warning",
            "message": {"text": ACME_MSG},
            "locations": [_loc(odd, _region(1, 1, 6))],
            "fixes": [_fix(odd, 1)],
        },
        {
            "ruleId": "test-todo",
            "level": "error",
            "message": {"text": FIXME_MSG},
            "locations": [_loc(odd, _region(2, 1, 6))],
        },
    ]


def test_sarif_describes_a_pack_rule_with_its_message_level_and_link(tmp_path: Path) -> None:
    import jsonschema

    schema = _sarif_schema()
    (tmp_path / "style.yaml").write_text(
        "rules:\n  no-tbd:\n    kind: existence\n    message: 'placeholder {match} left in'\n"
        "    level: error\n    link: https://example.com/style#tbd\n    tokens: [TBD]\n",
        encoding="utf-8",
    )
    (tmp_path / ".prlint.yaml").write_text("packs: [style.yaml]\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Acme news\nRevenue was $TBD million.\n", encoding="utf-8")
    proc = run_prlint(["check", "a.txt", "--select", "no-tbd", "--no-cache", "--format", "sarif"],
                      tmp_path)  # fmt: skip
    assert (proc.returncode, proc.stderr) == (1, "")
    report = json.loads(proc.stdout)
    jsonschema.Draft4Validator(schema).validate(report)
    run = report["runs"][0]
    [result] = run["results"]
    assert (result["ruleId"], result["level"], result["message"]["text"]) == (
        "no-tbd", "error", "placeholder TBD left in"
    )
    assert result["locations"] == [_loc("a.txt", _region(2, 14, 17))]
    assert run["tool"]["driver"]["rules"][result["ruleIndex"]] == {
        "id": "no-tbd",
        "shortDescription": {"text": "placeholder {match} left in"},
        "defaultConfiguration": {"level": "error"},
        "helpUri": "https://example.com/style#tbd",
    }


def test_sarif_is_deterministic(project: Path, plugin_env: dict[str, str]) -> None:
    first = lint(project, plugin_env, "--format", "sarif", "-j", "1").stdout
    again = run_prlint(["check", "docs", "--select", "test-acme,test-todo", "--format", "sarif",
                        "-j", "2"], project, plugin_env).stdout  # fmt: skip
    assert first == again
