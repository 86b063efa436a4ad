"""url-drift's URL paths: a path a letter away from the one most releases give for the same
purpose is reported at each of its uses, with the first use of the usual URL as evidence,
in a whole run and in a run that reports that release alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from prlint.lint import lint

_USUAL = "To join our list, please visit: https://www.paltalk.com/investor-alerts/."
_SLIP = "To join our list, please visit: https://www.paltalk.com/investor-alert/."
_MESSAGE = (
    "'paltalk.com/investor-alert' differs from 'paltalk.com/investor-alerts', given for the "
    "same purpose in 4 other releases"
)


def _corpus(root: Path) -> None:
    folder = root / "corpus"
    folder.mkdir()
    texts = {
        "a.md": f"About Paltalk, Inc.\n\nSee our site.\n\n{_USUAL}\n",
        "b.md": f"About Paltalk, Inc.\n\n{_USUAL}\n",
        "c.md": f"About Paltalk, Inc.\n\n{_USUAL}\n",
        "d.md": f"About Paltalk, Inc.\n\n{_SLIP}\n\nAgain:\n\n{_SLIP}\n",
        "e.md": f"About Paltalk, Inc.\n\n{_USUAL}\n",
    }
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")


def _found(paths: list[str]) -> list[tuple[object, ...]]:
    result = lint(paths, config={"corpus": ["corpus/*.md"]}, select=["url-drift"], jobs=1,
                  cache=False)  # fmt: skip
    return [
        (d.path, d.line, d.column, d.end_column, d.message,
         [(r.path, r.line, r.column, r.message) for r in d.related])
        for d in result.diagnostics
    ]  # fmt: skip


@pytest.mark.parametrize("given", [["corpus"], ["corpus/d.md"]])
def test_each_use_of_a_path_slip_is_reported_with_the_usual_url_s_first_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given: list[str]
) -> None:
    _corpus(tmp_path)
    monkeypatch.chdir(tmp_path)
    usual = [("corpus/a.md", 5, 41, "'paltalk.com/investor-alerts' used here")]
    assert _found(given) == [
        ("corpus/d.md", 3, 41, 56, _MESSAGE, usual),
        ("corpus/d.md", 7, 41, 56, _MESSAGE, usual),
    ]


def test_a_path_given_in_two_releases_is_no_slip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _corpus(tmp_path)
    (tmp_path / "corpus" / "f.md").write_text(f"About Paltalk, Inc.\n\n{_SLIP}\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    assert _found(["corpus"]) == []
