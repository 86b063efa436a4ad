"""A company profile built lazily (for a run that reports a few releases of a corpus) answers
every question exactly as the profile built whole: each unit's support, spellings, first uses
and neighbours, and each release's units."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from prlint.checks.lib import entities
from prlint.checks.lib.entities import EntityFacts, Profile, Unit, build_profile, extract_entities
from prlint.lint import lint
from prlint.metadata import extract_metadata
from prlint.readers import parse

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
#: releases that give units every kind of support: glued and hyphenated spellings, a product
#: code in two releases, a name known by its domain or its ticker only, a name always written
#: before the same word, one token spelling two names
_TEXTS = [
    "CellectarBio and Cellectar Biosciences, Inc. (Nasdaq: CLRB) said CLR1404 works.\n"
    "Visit www.cellectar.com or write to ir@cellectar.com.\n",
    "Cellectar expands CLR1404 trials with Ysaan Books. Contact: info@geovax.com\n",
    "About GeoVax\nGeoVax Labs, Inc. (OTCQB: GOVX) is a biotech. Cellectar-style Ysaan Books.\n",
    "Source: Cellestar Biosciences\nCELLECTAR and Cellectar again, CellectarBio too.\n"
    "GeoVaxCellectar is one token for two names.\n",
]


def _docs() -> list[tuple[str, EntityFacts]]:
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    texts += [(f"extra{i}.txt", t) for i, t in enumerate(_TEXTS)]
    out = []
    for path, text in sorted(texts):
        doc = parse(path, text)
        extract_metadata(doc)
        out.append((path, extract_entities(doc)))
    return out


def _unit(u: Unit) -> tuple[Any, ...]:
    """Everything a unit answers, in the order its counts were made."""
    return (
        u.key, list(u.forms.items()), list(u.form_docs.items()), sorted(u.docs),
        sorted(u.context_docs), list(u.domains.items()), sorted(u.tickers), u.configured,
        u.product, list(u.first_use.items()), list(u.neighbours.items()), u.in_prose, u.name,
        u.bound(),
    )  # fmt: skip


def _whole_and_lazy() -> tuple[Profile, Profile]:
    docs = _docs()
    config = {"names": ["GeoVax Labs"], "domains": ["geovax.com"]}
    return build_profile(docs, config, ["Ysaan"]), build_profile(
        docs, config, ["Ysaan"], lazily=True
    )


def test_each_unit_asked_for_answers_as_in_the_whole_profile() -> None:
    whole, lazy = _whole_and_lazy()
    keys = list(whole.units)
    assert {"cellectar", "clr1404", "geovax"} <= set(keys)
    assert len(whole.units["cellectar"].docs) >= 3 and whole.units["clr1404"].product
    random.Random(4).shuffle(keys)
    for n, k in enumerate(keys):
        unit = lazy.units[k] if n % 2 else lazy.units.get(k)
        assert unit is not None and _unit(unit) == _unit(whole.units[k]), k
        assert _unit(lazy.units[k]) == _unit(whole.units[k]), k  # asked again: counted once
    assert lazy.units.get("nosuchname") is None
    with pytest.raises(KeyError):
        lazy.units["nosuchname"]
    assert [tuple(lazy.doc_units[i]) for i in range(len(whole.paths))] == [
        tuple(found) for found in whole.doc_units
    ]
    assert len(lazy.doc_units) == len(whole.doc_units)
    assert lazy.home == whole.home and lazy.token_docs == whole.token_docs
    assert lazy.codes == whole.codes and lazy.known == whole.known
    unit = whole.units["cellectar"]
    assert lazy.belongs(lazy.units["cellectar"]) == whole.belongs(unit)
    assert lazy.related_use(lazy.units["cellectar"], 0) == whole.related_use(unit, 0)


def test_a_lazy_profile_counts_nothing_until_asked_and_everything_when_iterated() -> None:
    whole, lazy = _whole_and_lazy()
    untouched = dict.__getitem__(lazy.units, "cellectar")
    assert untouched.docs == () and not untouched.form_docs and not untouched.in_prose
    assert whole.units["cellectar"].form_docs and whole.units["cellectar"].in_prose
    assert [(k, _unit(u)) for k, u in lazy.units.items()] == [
        (k, _unit(u)) for k, u in whole.units.items()
    ]
    assert [_unit(u) for u in lazy.units.values()] == [_unit(u) for u in whole.units.values()]


def test_a_run_reporting_few_releases_builds_the_profile_lazily(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One release of eleven (under a tenth) is reported lazily, every release of them whole;
    the release gets the whole run's findings on it."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for p in sorted(SEEDS.glob("*.txt")):
        (folder / p.name).write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
    for i, text in enumerate([*_TEXTS, *_TEXTS[:2]]):
        (folder / f"2024-01-1{i}_extra{i}.txt").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    built: list[bool] = []
    real = entities.build_profile

    def spy(*args: Any, lazily: bool = False, **kwargs: Any) -> Profile:
        built.append(lazily)
        return real(*args, lazily=lazily, **kwargs)

    monkeypatch.setattr(entities, "build_profile", spy)
    config = {"corpus": ["corpus/*.txt"]}
    whole = [d.to_dict() for d in lint(["corpus"], config=config, jobs=1, cache=False).diagnostics]
    path = "corpus/2024-01-13_extra3.txt"
    alone = [d.to_dict() for d in lint([path], config=config, jobs=1, cache=False).diagnostics]
    assert built == [False, True]
    assert alone == [d for d in whole if d["path"] == path]
    assert any(d["check"] == "company-name" for d in alone)
