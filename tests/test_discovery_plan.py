"""Discovery keeps what names alone decided, and takes it again only while nothing it read
has changed: a kept plan finds exactly what a fresh walk finds."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from prlint import discovery
from prlint.config import Config
from prlint.discovery import Source, discover
from prlint.result import Result
from tests.engine_support import write

CORPUS = ["corpus/**/*.md", "corpus/**/*.txt"]


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with a corpus, and a folder of new releases with a file git ignores, one
    excluded, one too large and a hidden one; stamps count as settled at once (a real run
    keeps no plan of a folder changed less than two seconds before)."""
    monkeypatch.setattr(discovery, "_RACY_NS", 0)
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()
    write(tmp_path, {
        ".gitignore": "drafts/\n*.log.md\n",
        "corpus/a/one.md": "One.\n",
        "corpus/a/two.txt": "Two.\n",
        "corpus/b/three.md": "Three.\n",
        "corpus/b/page.html": "<p>Not a corpus glob's.</p>\n",
        "new/four.md": "Four.\n",
        "new/big.md": "x" * 2000,
        "new/.hidden.md": "Hidden.\n",
        "new/notes.log.md": "Ignored by git.\n",
        "new/old.bak.md": "Excluded.\n",
        "new/drafts/draft.md": "In a folder git ignores.\n",
    })  # fmt: skip
    (tmp_path / ".prlint_cache").mkdir()  # as after a first run (making it changes the root)
    return tmp_path


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The paths of each discovery that made its plan (walked and matched the globs)."""
    calls: list[list[str]] = []
    make = discovery._make_plan

    def counted(paths: list[str], config: Config) -> discovery._Plan:
        calls.append(list(paths))
        return make(paths, config)

    monkeypatch.setattr(discovery, "_make_plan", counted)
    return calls


def _config(root: Path, **changes: object) -> Config:
    values: dict[str, object] = {
        "root": root, "corpus": CORPUS, "exclude": ["*.bak.md"], "max_file_size": 0.001
    }  # fmt: skip
    values.update(changes)
    return Config(**values)  # type: ignore[arg-type]


def _found(
    root: Path, paths: list[str], *, keep: bool = True, **changes: object
) -> tuple[list[tuple[str, str, bool, bool]], Result]:
    result = Result()
    sources = discover(
        paths, _config(root, **changes), result, keep=root / ".prlint_cache" if keep else None
    )
    return [_shown(s) for s in sources], result


def _shown(source: Source) -> tuple[str, str, bool, bool]:
    assert source.stat is not None or source.explicit
    return (source.file, source.display, source.reported, source.explicit)


def _plans(root: Path) -> list[Path]:
    return sorted((root / ".prlint_cache").rglob("*.found"))


def test_a_kept_plan_finds_what_a_fresh_walk_finds(tree: Path, made: list[list[str]]) -> None:
    paths = ["new", "corpus/a/one.md"]
    fresh, fresh_result = _found(tree, paths, keep=False)
    assert [f[1] for f in fresh] == ["corpus/a/one.md", "corpus/a/two.txt",
                                     "corpus/b/three.md", "new/four.md"]  # fmt: skip
    assert fresh_result.skipped == [("new/big.md", "above max-file-size"),
                                    ("new/notes.log.md", "ignored by .gitignore"),
                                    ("new/old.bak.md", "excluded by config")]  # fmt: skip
    first, first_result = _found(tree, paths)
    assert len(_plans(tree)) == 1
    second, second_result = _found(tree, paths)
    assert made == [["new"], ["new"]]  # the second run with the plan kept made none
    assert first == second == fresh
    assert second_result.skipped == first_result.skipped == fresh_result.skipped
    assert second_result.notes == fresh_result.notes
    assert [f[2:] for f in fresh] == [(True, True), (False, False), (False, False),
                                      (True, False)]  # fmt: skip


def test_a_kept_plan_is_not_read_when_a_folder_changes(
    tree: Path, made: list[list[str]]
) -> None:
    _found(tree, ["new"])
    _found(tree, ["new"])
    assert len(made) == 1
    write(tree, {"corpus/b/five.md": "Five.\n"})  # a new file changes its folder's stamp
    (tree / "corpus/a/two.txt").unlink()
    found, _ = _found(tree, ["new"])
    assert [f[1] for f in found] == ["corpus/a/one.md", "corpus/b/five.md",
                                     "corpus/b/three.md", "new/four.md"]  # fmt: skip
    assert len(made) == 2
    assert found == _found(tree, ["new"], keep=False)[0]


def test_a_new_folder_deep_in_the_corpus_is_found(tree: Path) -> None:
    _found(tree, [])
    write(tree, {"corpus/b/c/d/six.md": "Six.\n"})
    found, _ = _found(tree, [])
    assert "corpus/b/c/d/six.md" in [f[1] for f in found]


def test_an_edited_gitignore_is_read_again(tree: Path) -> None:
    _found(tree, ["corpus"], corpus=[])
    write(tree, {".gitignore": "b/\n"})  # same size, same folder: its own stamp tells
    found, _ = _found(tree, ["corpus"], corpus=[])
    assert [f[1] for f in found] == ["corpus/a/one.md", "corpus/a/two.txt"]


def test_a_file_grown_too_large_is_skipped_without_a_change_to_its_folder(
    tree: Path, made: list[list[str]]
) -> None:
    _found(tree, ["new"])
    (tree / "new/four.md").write_text("y" * 2000, encoding="utf-8")  # its folder is as it was
    found, result = _found(tree, ["new"])
    assert len(made) == 1
    assert "new/four.md" not in [f[1] for f in found]
    assert ("new/four.md", "above max-file-size") in result.skipped


def test_another_config_or_path_makes_its_own_plan(tree: Path) -> None:
    _found(tree, ["new"])
    found, _ = _found(tree, ["new"], exclude=["*.txt"])
    assert "corpus/a/two.txt" not in [f[1] for f in found]
    found, _ = _found(tree, ["corpus/b"])
    assert [f[1] for f in found] == ["corpus/a/one.md", "corpus/a/two.txt",
                                     "corpus/b/page.html", "corpus/b/three.md"]  # fmt: skip
    assert len(_plans(tree)) == 3


def test_the_files_given_change_from_run_to_run_and_the_plan_is_kept(
    tree: Path, made: list[list[str]]
) -> None:
    """The pre-commit case: each run names the files staged, the corpus comes from the
    globs, and a file named is judged as given (reported, explicit) in every run."""
    first, _ = _found(tree, ["corpus/a/one.md"])
    second, _ = _found(tree, ["new/four.md", "corpus/b/three.md"])
    assert made == [[]]  # no folder given: one plan, for the corpus globs
    assert first == _found(tree, ["corpus/a/one.md"], keep=False)[0]
    assert second == _found(tree, ["new/four.md", "corpus/b/three.md"], keep=False)[0]
    assert ("corpus/b/three.md", "corpus/b/three.md", True, True) in second
    assert ("new/four.md", "new/four.md", True, True) in second


def test_a_path_given_as_a_file_that_became_a_folder_is_walked(tree: Path) -> None:
    write(tree, {"given.md": "Given.\n"})
    _found(tree, ["given.md"])
    (tree / "given.md").unlink()
    write(tree, {"given.md/inner.md": "Inner.\n"})
    found, _ = _found(tree, ["given.md"])
    assert ("given.md/inner.md", "given.md/inner.md", True, False) in found


def test_a_path_given_that_is_gone_is_an_input_error(tree: Path) -> None:
    _found(tree, ["new"])
    shutil.rmtree(tree / "new")
    with pytest.raises(discovery.InputError, match="new: no such file or directory"):
        _found(tree, ["new"])


def test_a_recent_change_keeps_no_plan(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(discovery, "_RACY_NS", 2_000_000_000)
    _found(tree, ["new"])  # every folder was written within the last two seconds
    assert _plans(tree) == []
    settled = time.time() - 10
    for folder in (tree, *(p for p in tree.rglob("*") if p.is_dir())):
        os.utime(folder, (settled, settled))  # their ctime is still now
    _found(tree, ["new"])
    assert _plans(tree) == []


def test_a_linked_file_keeps_no_plan(tree: Path) -> None:
    (tree / "corpus/a/link.md").symlink_to(tree / "corpus/b/three.md")
    found, _ = _found(tree, [])
    assert _plans(tree) == []  # where a link points is not stamped
    assert found == _found(tree, [], keep=False)[0]


def test_a_damaged_plan_is_made_again(tree: Path) -> None:
    expected, _ = _found(tree, ["new"])
    (plan,) = _plans(tree)
    plan.write_bytes(plan.read_bytes()[:-5] + b"xxxxx")
    assert _found(tree, ["new"])[0] == expected
    assert _plans(tree)[0].read_bytes() != b""


def test_a_file_written_next_to_the_corpus_keeps_the_plan(
    tree: Path, made: list[list[str]]
) -> None:
    """A report written in the project's folder changes that folder, not the corpus's."""
    first, _ = _found(tree, ["corpus/a/one.md"])
    write(tree, {"report.json": "{}"})
    assert _found(tree, ["corpus/a/one.md"])[0] == first
    assert made == [[]]


def test_a_corpus_folder_replaced_is_matched_again(tree: Path) -> None:
    _found(tree, [])
    (tree / "corpus").rename(tree / "old")
    write(tree, {"corpus/z.md": "Zed.\n"})
    assert [f[1] for f in _found(tree, [])[0]] == ["corpus/z.md"]


def test_leaving_the_repository_drops_its_gitignore(tree: Path) -> None:
    assert "new/notes.log.md" not in [f[1] for f in _found(tree, ["new"])[0]]
    (tree / ".git").rmdir()  # not in a repository: only the folder's own .gitignore files
    assert "new/notes.log.md" in [f[1] for f in _found(tree, ["new"])[0]]


def test_a_folder_a_glob_names_is_matched_once_it_exists(tree: Path) -> None:
    globs = [*CORPUS, "extra/**/*.md"]
    assert "extra/x.md" not in [f[1] for f in _found(tree, [], corpus=globs)[0]]
    write(tree, {"extra/x.md": "Ex.\n"})
    assert "extra/x.md" in [f[1] for f in _found(tree, [], corpus=globs)[0]]
