"""text-artifact, broken-paragraph and mixed-style: --fix on the seeds, pack and option checks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from prlint import lint
from prlint.checks.mixed_style import load_items
from prlint.config import ConfigError
from prlint.fixer import apply_fixes
from prlint.packs import read_pack

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
PACK = Path(__file__).resolve().parents[1] / "checks" / "packs" / "styles.yaml"
CHECKS = ["text-artifact", "broken-paragraph", "mixed-style"]


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


def test_fix_repairs_the_seeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for f in SEEDS.glob("*.txt"):
        shutil.copy(f, tmp_path / f.name)
    monkeypatch.chdir(tmp_path)
    before = {f.name: _lines(f) for f in tmp_path.glob("*.txt")}
    result = lint(["."], config={}, select=CHECKS, cache=False, jobs=1)
    apply_fixes(result.diagnostics, write=True)
    after = {f.name: _lines(f) for f in tmp_path.glob("*.txt")}

    s001 = after["001_879c998c7b91c6ac.txt"]
    assert s001[12].startswith(
        "The Phase II study, for which the company has received a $2 million"
    )
    assert s001[16].endswith(
        "including patients with mucosa associated lymphoid tissue, must have received "
        "treatment with at least two prior lines of therapy. Patients with MCL require "
        "treatment with at least one prior line of therapy."
    )
    assert s001[32].endswith(
        "through both in-house and collaborative R&D efforts. For additional information "
        "please visit www.collectar.com."
    )
    assert (
        "the volatile market for priority review vouchers, our pharmaceutical"
        in (after["000_247e968e4d94d0ea.txt"][34])
    )
    s003 = after["003_ca580281ff3b7ae7.txt"]
    assert s003[16].endswith(
        "other investigators in this trial to more fully determine administration parameters "
        'and characterize the clinical benefits of I-124-CLR1404."'
    )
    assert 'unique characteristics of cancer cells to "find, treat and follow"' in s003[38]
    s004 = after["004_d4f999a89bf11e97.txt"]
    assert "In Head and Neck Cancer in $12M University of Wisconsin SPORE Grant" in s004[6]
    assert "Cellectar's PDC pipeline includes product candidates for cancer therapy" in s004[18]
    assert (
        "approximately $2 million in a non-dilutive grant"
        in (after["002_ba7f2a1d2902c788.txt"][16])
    )
    # each join removes two lines (the blank one and the break); nothing else moves
    removed = {"000_247e968e4d94d0ea.txt": 2, "001_879c998c7b91c6ac.txt": 4,
               "003_ca580281ff3b7ae7.txt": 4, "004_d4f999a89bf11e97.txt": 2}  # fmt: skip
    for name, lines in before.items():
        assert len(after[name]) == len(lines) - removed.get(name, 0), name
    again = lint(["."], config={}, select=CHECKS[:2], cache=False, jobs=1)
    assert again.diagnostics == []


def test_join_keeps_crlf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.txt").write_bytes(
        b"The new product line ships to\r\n\r\ncustomers in May.\r\nNext.\r\n"
    )
    monkeypatch.chdir(tmp_path)
    result = lint(["a.txt"], config={}, select=["broken-paragraph"], cache=False)
    apply_fixes(result.diagnostics, write=True)
    assert (
        tmp_path / "a.txt"
    ).read_bytes() == b"The new product line ships to customers in May.\r\nNext.\r\n"


def test_builtin_pack_is_valid() -> None:
    items = load_items([read_pack(PACK)])
    assert {"phase", "ticker-colon", "percent", "number-range", "time-of-day"} <= set(items)
    assert all(len(item.styles) >= 2 for item in items.values())


@pytest.mark.parametrize(
    ("pack", "error"),
    [
        ("styles: {a: b}", "'styles' must be a list"),
        ("styles: [{name: x, styles: {a: 'x'}}]", "'styles[0].styles' must map two or more"),
        ("styles: [{name: x, styles: {a: '(', b: 'y'}}]", "'styles[0].styles.a': invalid regular"),
        ("styles: [{name: x, styles: {a: x, b: y}, level: 1}]", "'styles[0].level': unknown key"),
        ("styles: [{name: x, styles: {a: x, b: y}, severity: loud}]", "'styles[0].severity'"),
        ("styles: [{styles: {a: x, b: y}}]", "'styles[0].name' must be a word"),
    ],
)
def test_bad_pack_is_a_config_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pack: str, error: str
) -> None:
    (tmp_path / "my.yaml").write_text(pack, encoding="utf-8")
    (tmp_path / "a.txt").write_text("Phase 1.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError, match=r"my\.yaml: ") as info:
        lint(["a.txt"], config={"packs": ["my.yaml"]}, select=["mixed-style"], cache=False)
    assert error in str(info.value)
    assert "\n" not in str(info.value)


def test_packs_without_styles_are_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "other.yaml").write_text(
        "rules:\n  x: {kind: existence, message: m, tokens: [Phase]}\n", encoding="utf-8"
    )
    (tmp_path / "a.txt").write_text("Phase 1 and Phase II and Phase 2.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = lint(["a.txt"], config={"packs": ["other.yaml"]}, select=["mixed-style"], cache=False)
    assert [d.matched for d in result.diagnostics] == ["Phase II"]


def test_user_pack_adds_and_replaces_items(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "my.yaml").write_text(
        "styles:\n  - name: email\n    styles: {hyphen: '\\be-mail\\b', solid: '\\bemail\\b'}\n",
        encoding="utf-8",
    )
    (tmp_path / "a.txt").write_text("Send an email or an e-mail, or email us.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = lint(["a.txt"], config={"packs": ["my.yaml"]}, select=["mixed-style"], cache=False)
    assert [d.matched for d in result.diagnostics] == ["e-mail"]


@pytest.mark.parametrize(
    ("prefer", "error"),
    [
        ({"phaze": "arabic"}, "'checks.mixed-style.prefer.phaze': unknown item"),
        ({"phase": "latin"}, "'checks.mixed-style.prefer.phase': unknown style 'latin'"),
        (["phase"], "'checks.mixed-style.prefer': expected a mapping"),
    ],
)
def test_bad_prefer_is_a_config_error(prefer: object, error: str) -> None:
    with pytest.raises(ConfigError) as info:
        config = {"checks": {"mixed-style": {"prefer": prefer}}}
        lint(texts={"a.txt": "Phase 1.\n"}, config=config, select=["mixed-style"], cache=False)
    assert error in str(info.value)
