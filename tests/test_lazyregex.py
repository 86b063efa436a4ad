"""Patterns compiled on first use stand for the compiled patterns they replace."""

from __future__ import annotations

import copy
import importlib
import pickle
import pkgutil
import subprocess
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
import regex

import prlint
import prlint.checks
from prlint.lazyregex import LazyPattern, lazy

_TEXT = "Revenue of $2.5 million on March 31, 2025; see www.example.com or IR@Example.com."


def _modules() -> Iterator[ModuleType]:
    for package in (prlint, prlint.checks):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if info.name.endswith("dask_engine"):  # its optional dependency may be absent
                continue
            yield importlib.import_module(info.name)


def _lazy_in(value: Any, depth: int = 0) -> Iterator[LazyPattern]:
    if isinstance(value, LazyPattern):
        yield value
    elif isinstance(value, (tuple, list, frozenset, set)) and depth < 3:
        for item in value:
            yield from _lazy_in(item, depth + 1)
    elif isinstance(value, dict) and depth < 3:
        for item in value.values():
            yield from _lazy_in(item, depth + 1)


def test_every_lazy_pattern_of_prlint_and_its_checks_compiles() -> None:
    found = [
        (module.__name__, name, pattern)
        for module in _modules()
        for name, value in vars(module).items()
        for pattern in _lazy_in(value)
    ]
    assert len(found) > 100  # the modules' top-level patterns are lazy
    for module_name, name, pattern in found:
        pattern.search("")  # compiles it: a bad pattern fails here, not in a user's run
        assert isinstance(pattern.pattern, str), (module_name, name)


def test_a_lazy_pattern_finds_what_the_compiled_one_finds() -> None:
    source = r"(?P<amount>\$[\d.]+)\s+(?P<unit>million|billion)|(?i:ir@\w+\.com)"
    compiled = regex.compile(source, regex.IGNORECASE)
    deferred = lazy(source, regex.IGNORECASE)
    assert [m.span() for m in deferred.finditer(_TEXT)] == [
        m.span() for m in compiled.finditer(_TEXT)
    ]
    assert deferred.sub("X", _TEXT) == compiled.sub("X", _TEXT)
    assert deferred.pattern == source
    assert deferred.flags == compiled.flags
    assert deferred.groupindex == compiled.groupindex
    found = deferred.search(_TEXT)
    assert found is not None and found.group("amount") == "$2.5"


def test_nothing_is_compiled_before_first_use_and_once_after() -> None:
    deferred = lazy(r"\d+")
    assert "search" not in vars(deferred)
    assert deferred.findall("1 and 22") == ["1", "22"]
    bound = vars(deferred)["search"]
    assert deferred.search is bound  # later uses go to the compiled pattern's own method


def test_a_bad_pattern_fails_on_first_use() -> None:
    deferred = lazy(r"(unclosed")
    with pytest.raises(regex.error):
        deferred.search("x")


def test_a_lazy_pattern_copies_and_pickles_as_the_same_pattern() -> None:
    deferred = lazy(r"\bForm\s+10-[KQ]\b", regex.IGNORECASE)
    deferred.search("")  # bound methods are not what is copied
    for other in (copy.deepcopy(deferred), pickle.loads(pickle.dumps(deferred))):
        assert isinstance(other, LazyPattern)
        found = other.search("see our form 10-q")
        assert found is not None and found.group() == "form 10-q"


def test_importing_the_checks_compiles_no_pattern_of_theirs() -> None:
    """What makes a run that extracts one release start sooner: the patterns of the
    checks, their libraries and the readers are compiled when a release needs them."""
    probe = (
        "import regex._regex_core as core\n"
        "parsed = []\n"
        "original = core._parse_pattern\n"
        "def counted(*args, **kwargs):\n"
        "    parsed.append(1)\n"
        "    return original(*args, **kwargs)\n"
        "core._parse_pattern = counted\n"
        "import prlint.readers, prlint.metadata, prlint.companies\n"
        "import prlint.checks.lib.quantities, prlint.checks.lib.filings\n"
        "import prlint.checks.lib.entities, prlint.checks.fact_conflict\n"
        "print(len(parsed))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert int(out) <= 5, out
