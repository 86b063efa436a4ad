"""The pipeline: corpus globs as reference, determinism across jobs and cache, the cache itself,
suppressions, and the Python API. Findings come from the example plugin's checks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from prlint import lint
from prlint.api import Diagnostic, Related, Severity
from prlint.baseline import Baseline
from prlint.config import ConfigError
from prlint.engine import InputError
from tests.engine_support import (  # noqa: F401
    example_plugin,
    example_site,
    finding_lines,
    make_plugin_site,
    prlint,
    write,
)

SITE = example_site()
BOTH = ("--select", "example-word,example-duplicate-title")


# -- the corpus: reference files ----------------------------------------------------------------
CORPUS = {
    ".prlint.yaml": "corpus: ['archive/**/*.txt']\n",
    "archive/2023/old.txt": "Acme Opens a Plant\n\nOld body with TODO.\n",
    "archive/2023/other.txt": "Acme Hires a CEO\n\nOther body.\n",
    "archive/.hidden/skip.txt": "Acme Opens a Plant\n\nNever read.\n",
    "new/new.txt": "Acme  opens a plant\n\nNew body with XXX.\n",
}


def test_reference_files_are_compared_but_not_reported(tmp_path: Path) -> None:
    write(tmp_path, CORPUS)
    proc = prlint("check", "new", *BOTH, "--no-cache", "--format", "json", cwd=tmp_path, site=SITE)
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    assert report["files_checked"] == 1
    assert [(d["path"], d["line"], d["check"]) for d in report["diagnostics"]] == [
        ("new/new.txt", 1, "example-duplicate-title"),
        ("new/new.txt", 3, "example-word"),
    ]
    assert report["diagnostics"][0]["message"] == "same title as 1 other release(s)"
    assert report["diagnostics"][0]["related"] == [
        {"path": "archive/2023/old.txt", "line": 1, "column": 1, "message": "same title here"}
    ]


def test_hidden_files_are_skipped_alike_by_a_folder_walk_and_by_corpus_globs(
    tmp_path: Path,
) -> None:
    """A folder given and the corpus globs that name it read the same releases (so a run of
    one file can reuse the findings of a run of the folder); a hidden file is read only when
    named."""
    write(tmp_path, {
        ".prlint.yaml": "corpus: ['archive/**/*.txt']\n",
        "archive/a.txt": "Acme Opens a Plant\n\nBody.\n",
        "archive/.txt": "Acme Opens a Plant\n\nA dotfile with no name.\n",
        "archive/2023/.b.txt": "Acme Opens a Plant\n\nHidden.\n",
    })  # fmt: skip
    base = (*BOTH, "--no-cache", "--format", "json")
    for args in (("archive",), ()):
        proc = prlint("check", *args, *base, cwd=tmp_path, site=SITE)
        assert proc.returncode == 0, proc.stderr
        report = json.loads(proc.stdout)
        assert (report["files_checked"], report["diagnostics"]) == (1, []), args
    named = prlint("check", "archive/2023/.b.txt", *base, cwd=tmp_path, site=SITE)
    assert named.returncode == 1, named.stderr
    report = json.loads(named.stdout)
    assert report["files_checked"] == 1
    assert [(d["path"], d["check"], [r["path"] for r in d["related"]])
            for d in report["diagnostics"]] == [
        ("archive/2023/.b.txt", "example-duplicate-title", ["archive/a.txt"])
    ]  # fmt: skip


def test_without_corpus_globs_there_is_no_reference(tmp_path: Path) -> None:
    write(tmp_path, {**CORPUS, ".prlint.yaml": ""})
    proc = prlint("check", "new", *BOTH, "--no-cache", cwd=tmp_path, site=SITE)
    assert finding_lines(proc.stdout) == [
        "new/new.txt:3:15: warning [example-word] placeholder 'XXX' left in"
    ]


def test_no_paths_checks_the_configured_corpus(tmp_path: Path) -> None:
    write(tmp_path, CORPUS)
    proc = prlint("check", *BOTH, "--no-cache", cwd=tmp_path, site=SITE)
    assert finding_lines(proc.stdout) == [
        "archive/2023/old.txt:3:15: warning [example-word] placeholder 'TODO' left in"
    ]
    assert proc.stdout.splitlines()[-1] == "Found 1 finding(s) in 2 file(s): 1 warning."


def test_corpus_globs_resolve_from_the_config_folder(tmp_path: Path) -> None:
    write(tmp_path, CORPUS)
    proc = prlint("check", ".", *BOTH, "--no-cache", cwd=tmp_path / "new", site=SITE)
    assert finding_lines(proc.stdout) == [
        "new.txt:1:1: warning [example-duplicate-title] same title as 1 other release(s)",
        "new.txt:3:15: warning [example-word] placeholder 'XXX' left in",
    ]


# -- determinism and the cache --------------------------------------------------------------------
def many_files(root: Path) -> None:
    files = {}
    for i in range(14):
        title = f"Title {i % 5}"  # titles repeat: cross-release findings with related
        body = "TODO " * (i % 3) + f"body {i}\r\n" + ("XXX\n" if i % 4 == 0 else "")
        files[f"rel/{i // 5}/r{i:02d}.{'md' if i % 2 else 'txt'}"] = f"{title}\n\n{body}"
    write(root, files)


@pytest.mark.parametrize(
    "pattern",
    ["**/*.md", "a/**/*.md", "*/*.md", "*/**/*.md", "**", "**/**/*.md", "link/**/*.md", "*.md",
     "a/*", "a/b/y.md", "a/nope.md", "./a/*.md", "[ab]/*.md", "a/broken.md", "a/b/c/loop/*",
     "*/", "x.md/*"],
)  # fmt: skip
def test_corpus_globs_match_as_path_glob(tmp_path: Path, pattern: str) -> None:
    """Discovery lists each folder once for all corpus globs, and matches as ``Path.glob``:
    ``**`` never enters a linked folder (no loops), other wildcards follow links."""
    from prlint.discovery import _Listings, _path_order

    for name in ("a/x.md", "a/b/y.md", "a/b/c/z.txt", ".h/q.md", "a/.hid/w.md", "r.md",
                 "x.md/inner.md"):  # fmt: skip
        write(tmp_path, {name: "x"})
    (tmp_path / "link").symlink_to(tmp_path / "a" / "b")
    (tmp_path / "a" / "b" / "c" / "loop").symlink_to(tmp_path / "a")
    (tmp_path / "a" / "broken.md").symlink_to(tmp_path / "missing.md")
    listings = _Listings()
    list(listings.paths(tmp_path, "**/*"))  # listings shared with an earlier glob
    found = sorted(listings.paths(tmp_path, pattern), key=_path_order)  # as discovery sorts
    assert list(map(Path, found)) == sorted(tmp_path.glob(pattern))


def test_report_is_byte_identical_for_any_jobs_and_cache(tmp_path: Path) -> None:
    many_files(tmp_path)
    base = ("check", "rel", *BOTH, "--format", "json")
    runs = {
        "j1-nocache": prlint(*base, "-j", "1", "--no-cache", cwd=tmp_path, site=SITE),
        "j2-nocache": prlint(*base, "-j", "2", "--no-cache", cwd=tmp_path, site=SITE),
        "j2-cold": prlint(*base, "-j", "2", cwd=tmp_path, site=SITE),
        "j2-warm": prlint(*base, "-j", "2", cwd=tmp_path, site=SITE),
        "j1-warm": prlint(*base, "-j", "1", cwd=tmp_path, site=SITE),
    }
    outputs = {name: p.stdout for name, p in runs.items()}
    assert all(p.returncode == 1 for p in runs.values())
    assert len(set(outputs.values())) == 1, outputs
    report = json.loads(outputs["j1-nocache"])
    assert report["files_checked"] == 14
    assert report["summary"] == {"error": 0, "warning": 31, "info": 0}
    paths = [(d["path"], d["line"], d["column"], d["check"]) for d in report["diagnostics"]]
    assert paths == sorted(paths)


def test_cache_is_reused_and_invalidated(tmp_path: Path) -> None:
    many_files(tmp_path)
    args = ("check", "rel", *BOTH, "-v")
    first = prlint(*args, cwd=tmp_path, site=SITE)
    assert "14 file(s) checked, 0 from cache" in first.stderr
    assert len(list((tmp_path / ".prlint_cache").rglob("*.pack"))) == 1  # one read when warm
    assert (tmp_path / ".prlint_cache" / ".gitignore").read_text() == "# Created by prlint.\n*\n"
    second = prlint(*args, cwd=tmp_path, site=SITE)
    assert "14 file(s) checked, 14 from cache" in second.stderr
    assert second.stdout == first.stdout
    # one file changes: only it is extracted again
    (tmp_path / "rel/0/r00.txt").write_text("Title 0\n\nChanged TODO.\n", encoding="utf-8")
    third = prlint(*args, cwd=tmp_path, site=SITE)
    assert "14 file(s) checked, 13 from cache" in third.stderr
    assert "rel/0/r00.txt:3:9: warning [example-word] placeholder 'TODO' left in" in third.stdout
    # options are part of the key: a new option value misses the cache
    write(tmp_path, {".prlint.yaml": "checks: {example-word: {words: [body]}}\n"})
    fourth = prlint(*args, cwd=tmp_path, site=SITE)
    assert "14 file(s) checked, 0 from cache" in fourth.stderr
    assert "placeholder 'body' left in" in fourth.stdout


def test_editing_a_check_invalidates_the_cache(tmp_path: Path) -> None:
    site = make_plugin_site(tmp_path / "site")
    many_files(tmp_path)
    args = ("check", "rel", *BOTH, "-v")
    prlint(*args, cwd=tmp_path, site=site)
    assert "14 from cache" in prlint(*args, cwd=tmp_path, site=site).stderr
    module = site / "prlint_example" / "__init__.py"
    module.write_text(module.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    assert "0 from cache" in prlint(*args, cwd=tmp_path, site=site).stderr


def test_a_file_s_stat_is_let_go_once_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Discovery's stat of each file serves the cache's check once: the run holds no stat
    of a corpus's files after it, and the next run still finds every record cached."""
    from prlint import engine

    many_files(tmp_path)
    found: list[list[engine.Source]] = []
    discover = engine.discover

    def watched(*args: Any, **kwargs: Any) -> list[engine.Source]:
        found.append(discover(*args, **kwargs))
        assert found[-1] and all(src.stat is not None for src in found[-1])
        return found[-1]

    monkeypatch.setattr(engine, "discover", watched)
    monkeypatch.chdir(tmp_path)
    first = lint(["rel"], jobs=1, cache=True)
    second = lint(["rel"], jobs=1, cache=True)
    assert [src.stat for run in found for src in run] == [None] * (2 * len(found[0]))
    assert (first.cache_hits, second.cache_hits) == (0, len(found[0]))


def test_no_cache_writes_nothing(tmp_path: Path) -> None:
    many_files(tmp_path)
    prlint("check", "rel", *BOTH, "--no-cache", cwd=tmp_path, site=SITE)
    assert not (tmp_path / ".prlint_cache").exists()


def test_corrupt_cache_entries_are_ignored(tmp_path: Path) -> None:
    many_files(tmp_path)
    first = prlint("check", "rel", *BOTH, cwd=tmp_path, site=SITE)
    for entry in (tmp_path / ".prlint_cache").rglob("*.pack"):
        entry.write_bytes(b"not a pack")
    second = prlint("check", "rel", *BOTH, "-v", cwd=tmp_path, site=SITE)
    assert second.stdout == first.stdout
    assert "0 from cache" in second.stderr


# -- suppressions ---------------------------------------------------------------------------------
MD_SUPPRESSED = """\
# Title TODO

<!-- prlint: ignore example-word -->
Silenced TODO on the next line.
Reported TODO on the line after.

<!-- prlint: ignore example-duplicate-title, example-word -->

Blank lines are skipped: silenced XXX.

<!-- prlint: ignore other-check -->
Other names do not silence this TODO.

<!-- prlint: disable example-word -->
Region TODO one.
Region XXX two.
<!-- prlint: enable -->
After the region TODO.
<!-- prlint: disable -->
Everything is off to the end: TODO.
"""

HTML_SUPPRESSED = """\
<html><body>
<h1>Title TODO</h1>
<!-- prlint: ignore example-word -->
<p>Silenced TODO.</p>
<p>Reported TODO.</p>
<!--
  prlint: disable example-word
-->
<p>Region TODO.</p>
<p>Region XXX.</p>
<!-- prlint: enable -->
<p>After the region XXX.</p>
</body></html>
"""


@pytest.mark.usefixtures("example_plugin")
def test_suppression_comments_in_markdown(tmp_path: Path) -> None:
    write(tmp_path, {"r.md": MD_SUPPRESSED})
    result = lint([str(tmp_path / "r.md")], config={}, select=["example-word"], cache=False)
    assert [(d.line, d.matched) for d in result.diagnostics] == [
        (1, "TODO"),
        (5, "TODO"),
        (12, "TODO"),
        (18, "TODO"),
    ]


@pytest.mark.usefixtures("example_plugin")
def test_suppression_comments_in_html(tmp_path: Path) -> None:
    write(tmp_path, {"r.html": HTML_SUPPRESSED.replace("\n", "\r\n")})
    result = lint([str(tmp_path / "r.html")], config={}, select=["example-word"], cache=False)
    assert [(d.line, d.matched) for d in result.diagnostics] == [
        (2, "TODO"),
        (5, "TODO"),
        (12, "XXX"),
    ]


@pytest.mark.usefixtures("example_plugin")
def test_suppression_silences_cross_release_findings(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "a.md": "<!-- prlint: ignore example-duplicate-title -->\nSame Title\n",
            "b.md": "Same Title\n",
        },
    )
    result = lint([str(tmp_path)], config={}, select=["example-duplicate-title"], cache=False)
    assert [(Path(d.path).name, d.line) for d in result.diagnostics] == [("b.md", 1)]


# -- the Python API -----------------------------------------------------------------------------
@pytest.mark.usefixtures("example_plugin")
def test_lint_texts_returns_diagnostic_objects() -> None:
    result = lint(
        texts={"b.md": "# Same\n\nA **TODO**.\n", "a.txt": "Same\n\nXXX\n"},
        config={"select": ["example-word", "example-duplicate-title"]},
        cache=False,
    )
    assert result.files_checked == 2 and not result.errors
    assert result.summary() == {"error": 0, "warning": 4, "info": 0}
    first = result.diagnostics[0]
    assert first == Diagnostic(
        path="a.txt",
        line=1,
        column=1,
        end_line=1,
        end_column=5,
        check="example-duplicate-title",
        severity=Severity.WARNING,
        message="same title as 1 other release(s)",
        matched="Same",
        related=(Related("b.md", 1, 3, "same title here"),),
    )
    assert [(d.path, d.line, d.column, d.check) for d in result.diagnostics[1:]] == [
        ("a.txt", 3, 1, "example-word"),
        ("b.md", 1, 3, "example-duplicate-title"),
        ("b.md", 3, 5, "example-word"),
    ]


@pytest.mark.usefixtures("example_plugin")
def test_lint_paths_with_a_config_file_and_baseline(tmp_path: Path) -> None:
    write(tmp_path, {"r/a.txt": "One TODO\n", "cfg.yaml": "select: [example-word]\n"})
    result = lint([tmp_path / "r"], config=tmp_path / "cfg.yaml", cache=False)
    assert [(d.line, d.column, d.matched) for d in result.diagnostics] == [(1, 5, "TODO")]
    # the config's baseline key hides what the baseline recorded; new findings still show
    Baseline.from_diagnostics(result.diagnostics).save(tmp_path / "base.json")
    write(
        tmp_path,
        {
            "cfg.yaml": "select: [example-word]\nbaseline: base.json\n",
            "r/a.txt": "Moved down\n\nOne TODO\nNew XXX\n",
        },
    )
    result = lint([tmp_path / "r"], config=tmp_path / "cfg.yaml", cache=False)
    assert [(d.line, d.matched) for d in result.diagnostics] == [(4, "XXX")]
    assert result.baselined == 1


def test_lint_raises_on_bad_input(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no/such: no such file or directory"):
        lint(["no/such"], config={})
    with pytest.raises(ConfigError, match="unknown key 'nope'"):
        lint([str(tmp_path)], config={"nope": 1})
