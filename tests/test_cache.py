"""The cache: a data-only codec, a pack read in one go, and no way to be trusted into harm.

Runs lint the five seed releases in-process with every built-in check; the report of a run
from a damaged, planted, stale or redirected cache must equal the report of a run without one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import gc
import json
import os
import shutil
import sys
import time
import tracemalloc
import weakref
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, NamedTuple

import msgspec
import pytest

from prlint import codec, engine, heap, lint, registry
from prlint.api import Anchor
from prlint.cache import Cache
from prlint.config import ConfigError, parse_config
from prlint.metadata import extract_metadata
from prlint.readers import parse
from prlint.registry import activate
from prlint.result import Result
from tests.engine_support import make_plugin_site, prlint, write

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


# -- the codec ------------------------------------------------------------------------------
class Colour(enum.Enum):
    RED = "red"
    BLUE = 2


@dataclasses.dataclass(frozen=True)
class Point:
    x: int
    y: float
    label: str | None = None


class Pair(NamedTuple):
    left: str
    right: tuple[int, ...]


@dataclasses.dataclass
class Node:
    name: str
    points: list[Point] = dataclasses.field(default_factory=list)
    children: list[Node] = dataclasses.field(default_factory=list)
    parent: Node | None = None
    extra: Any = None


@dataclasses.dataclass(slots=True)
class Hosts:
    hosts: tuple[str, ...] = ()
    at: bytes = b""


@codec.native
@dataclasses.dataclass
class NativeFacts:
    names: dict[str, frozenset[str]] = dataclasses.field(default_factory=dict)
    counts: dict[str, int] = dataclasses.field(default_factory=dict)
    hosts: Hosts = dataclasses.field(default_factory=Hosts)
    words: str = ""
    uses: list[Hosts] = dataclasses.field(default_factory=list)


@codec.native
@dataclasses.dataclass
class Chain:
    label: dict[str, int] = dataclasses.field(default_factory=dict)
    rest: Chain | None = None
    head: tuple[str, ...] = ()


RAN: list[str] = []  # what the __post_init__ below saw run


@dataclasses.dataclass
class Checked:
    value: str = ""

    def __post_init__(self) -> None:
        RAN.append(self.value)


@codec.native
@dataclasses.dataclass
class HoldsChecked:
    inner: Checked = dataclasses.field(default_factory=Checked)


HERE = [__name__]


def test_codec_round_trips_any_mix_of_data_types() -> None:
    shared = Point(1, 2.5, "a")
    value = {
        "tuple": (1, "two", None, True, 3.0),
        "nested": [(1, (2, [3, {4}])), frozenset({("a", 1)})],
        (1, "key"): {frozenset({"x"}): [shared, shared]},
        "counter": Counter({"a": 3, "b": 1}),
        "date": dt.date(2024, 2, 29),
        "when": dt.datetime(2024, 2, 29, 13, 5, tzinfo=dt.timezone.utc),
        "enum": [Colour.RED, Colour.BLUE],
        "big": [2**70, -(2**70), 2**63 - 1],
        "bytes": b"\x00\xff",
        "empty": ([], (), {}, set(), frozenset()),
        "named": [Pair("a", (1, 2)), {Pair("b", ()): Colour.RED}],
        "grouped": defaultdict(list, {"x": [Pair("c", (3,))]}),
    }
    back = codec.decode(codec.encode(value), HERE)
    assert back == value
    assert back[(1, "key")][frozenset({"x"})][0] is back[(1, "key")][frozenset({"x"})][1]
    assert type(back["counter"]) is Counter and type(back["empty"][3]) is set
    assert type(back["named"][0]) is Pair and back["named"][0].right == (1, 2)
    assert back["grouped"]["new"] == [] and type(back["grouped"]["x"][0]) is Pair


def test_codec_keeps_shared_and_cyclic_dataclasses() -> None:
    root = Node("root", [Point(0, 0.0)])
    child = Node("child", parent=root, extra={"k": (root,)})
    root.children.append(child)
    back = codec.decode(codec.encode(root), HERE)
    assert back.children[0].parent is back
    assert back.children[0].extra["k"][0] is back
    assert back.points == [Point(0, 0.0)]
    with pytest.raises(dataclasses.FrozenInstanceError):
        back.points[0].x = 3  # still frozen


def test_records_decoded_with_one_table_share_their_texts() -> None:
    """Equal texts of fields, mapping keys and string collections become one object across
    the records decoded with one table (decoded records stay small); values are unchanged."""

    def record(n: int) -> Any:
        return Node(
            "".join(["shared ", "name"]),
            extra={"".join(["co", "mpany-name"]): (n, ("".join(["in", "c"]), "x")),
                   "kinds": frozenset({"".join(["ab", "out"])}), "ints": [n, 2]},
        )

    strings: dict[str, str] = {}
    first, second = (codec.decode(codec.encode(record(n)), HERE, strings) for n in (1, 2))
    assert first.extra == record(1).extra and second.extra == record(2).extra
    assert first.name is second.name
    key_1, key_2 = (next(k for k in r.extra if k.startswith("co")) for r in (first, second))
    assert key_1 is key_2
    assert first.extra[key_1][1][0] is second.extra[key_2][1][0]
    assert next(iter(first.extra["kinds"])) is next(iter(second.extra["kinds"]))
    alone = codec.decode(codec.encode(record(1)), HERE)  # no table given: nothing shared
    assert alone.name is not first.name


def test_equal_frozensets_of_texts_are_one_object_across_records() -> None:
    """A frozenset of texts decoded with a shared table is one object for equal ones (a
    release's kinds of evidence recur across thousands of records); a set of anything else
    keeps its own values (``{1} == {1.0}``, but they are not the same)."""

    def record(number: Any) -> Any:
        return Node(
            "n",
            extra={"kinds": frozenset({"".join(["ab", "out"]), "ticker"}),
                   "number": frozenset({number})},
        )

    table: dict[Any, Any] = {}
    first, second = (codec.decode(codec.encode(record(n)), HERE, table) for n in (1, 1.0))
    assert first.extra["kinds"] is second.extra["kinds"] == frozenset({"about", "ticker"})
    assert type(next(iter(first.extra["number"]))) is int
    assert type(next(iter(second.extra["number"]))) is float


def test_a_deferred_value_stays_encoded_until_it_is_decoded() -> None:
    """A value encoded by itself inside another (``codec.Deferred``) comes back as its bytes;
    one ``Decoding`` then decodes such values in turn, their texts shared as one table
    shares them, and refuses bytes that are not a value."""
    inner = [Node("".join(["sha", "red"])), Node("".join(["sha", "red"]))]
    outer = codec.decode(
        codec.encode({"facts": codec.defer(inner)}), [*HERE, "prlint"]
    )
    assert type(outer["facts"]) is codec.Deferred
    decoding = codec.Decoding(HERE)
    first, second = (decoding.undefer(outer["facts"]) for _ in range(2))
    decoding.close()
    assert first == inner == second
    assert first[0].name is first[1].name is second[0].name
    with pytest.raises(codec.CodecError):
        codec.Decoding(HERE).decode(b"\x93\x90\x90")
    with pytest.raises(codec.CodecError):
        codec.Decoding(HERE).undefer(codec.Deferred(codec.encode(inner)))  # not compressed


def _native_facts(n: int) -> NativeFacts:
    return NativeFacts(
        names={"".join(["Cell", "ectar"]): frozenset({"".join(["ab", "out"]), "domain"})},
        counts={"".join(["Cell", "ectar"]): n},
        hosts=Hosts(("".join(["cellectar", ".com"]), "x.org"), bytes([n])),
        words="Cellectar\nPhase",
        uses=[Hosts(("a",)), Hosts()],
    )


def test_a_native_dataclass_is_one_value_msgspec_decodes() -> None:
    """A dataclass marked ``native`` is written as one msgpack value that msgspec decodes in
    C, comes back equal, keeps its identity where the record shares it, and, decoded with
    one table, shares the texts of its mappings' keys, its frozensets of texts and the
    tuples of texts of its dataclass fields across records."""
    facts = _native_facts(1)
    data = codec.encode(Node("r", extra={"a": facts, "b": facts}))
    extra = msgspec.msgpack.decode(data)[2][6]  # [dict tag, "a", facts, "b", facts again]
    assert extra[2][0] == 19 and type(extra[2][2]) is bytes  # one value: msgpack bytes
    assert extra[4] == [7, 1]  # a reference to the record's second dataclass
    strings: dict[Any, Any] = {}
    first = codec.decode(data, HERE, strings)
    second = codec.decode(codec.encode(_native_facts(2)), HERE, strings)
    assert first.extra["a"] == facts and type(first.extra["a"]) is NativeFacts
    assert first.extra["a"] is first.extra["b"]
    assert second == _native_facts(2) and type(second.hosts) is Hosts
    ((name_1, kinds_1),) = first.extra["a"].names.items()
    ((name_2, kinds_2),) = second.names.items()
    assert name_1 is name_2 and kinds_1 is kinds_2
    assert next(iter(first.extra["a"].counts)) is next(iter(second.counts)) is name_1
    assert first.extra["a"].hosts.hosts[0] is second.hosts.hosts[0]


def test_a_native_dataclass_may_hold_its_own_type() -> None:
    chain = Chain({"a": 1}, Chain({"b": 2}, None, ("x",)), ("y", "z"))
    strings: dict[Any, Any] = {}
    back = codec.decode(codec.encode(chain), HERE, strings)
    assert back == chain and type(back.rest) is Chain
    assert strings  # its own keys and texts were shared


def test_a_native_value_that_does_not_match_its_annotations_does_not_decode() -> None:
    wrong = NativeFacts(names={"x": 1})  # type: ignore[dict-item]
    with pytest.raises(codec.CodecError, match="NativeFacts"):
        codec.decode(codec.encode(wrong), HERE)


def test_native_takes_dataclasses_that_run_no_code_when_decoded() -> None:
    """``native`` refuses what is not a dataclass and a dataclass with a ``__post_init__``
    (msgspec would call it); a native class that holds one does not decode, and the
    ``__post_init__`` never runs."""
    with pytest.raises(TypeError):
        codec.native(Pair)
    with pytest.raises(TypeError):
        codec.native(Checked)
    data = codec.encode(HoldsChecked(Checked.__new__(Checked)))
    RAN.clear()
    with pytest.raises(codec.CodecError, match="__post_init__"):
        codec.decode(data, HERE)
    assert RAN == []


def test_a_decoded_record_goes_with_its_last_reference() -> None:
    """Decoding leaves no cycle behind: with the collector paused (as while a run decodes
    thousands of records), a record's objects are freed as soon as it is dropped."""
    data = codec.encode(Node("root", [Point(0, 0.0), Point(1, 2.0, "b")]))
    gc.collect()
    gc.disable()
    try:
        back = codec.decode(data, HERE)
        watched = weakref.ref(back)
        del back
        assert watched() is None
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_codec_refuses_types_it_cannot_keep() -> None:
    with pytest.raises(codec.CodecError):
        codec.encode({"path": Path("x")})
    with pytest.raises(codec.CodecError):
        codec.encode(lambda: 1)
    with pytest.raises(codec.CodecError):
        codec.encode(defaultdict(lambda: 0))


def _raw(types: list[str], fields: list[list[str]], body: Any) -> bytes:
    return msgspec.msgpack.encode([types, fields, body])


@pytest.mark.parametrize(
    "data",
    [
        _raw(["os:system"], [[]], [8, 0, "touch pwned"]),  # an enum call of a function
        _raw(["builtins:eval"], [[]], [8, 0, "1"]),
        _raw(["subprocess:Popen"], [[]], [6, 0, "x"]),
        _raw(["prlint.engine:Path"], [[]], [6, 0]),  # an allowed module, not a dataclass
        _raw(["prlint.api:Anchor.__init__"], [[]], [6, 0]),
        _raw(["prlint.api:Anchor"], [["path"]], [6, 0, "x"]),  # fields that are not Anchor's
        _raw(["prlint.api:Severity"], [[]], [6, 0]),  # an enum used as a dataclass
        _raw(
            ["prlint.api:Anchor"], [[f.name for f in dataclasses.fields(Anchor)]], [8, 0, "x"]
        ),  # a dataclass used as an enum
        _raw(["prlint.api:Severity"], [[]], [17, 0, "x"]),  # an enum used as a NamedTuple
        _raw([], [], [18, "os.system", "k", "v"]),  # a factory that is no builtin
        _raw([], [], [7, 0]),  # a reference to nothing
        _raw(
            [f"{__name__}:Point"],
            [["x", "y", "label"]],
            [19, 0, msgspec.msgpack.encode(Point(1, 2.0))],
        ),  # a dataclass that is not native written as one
        _raw(
            [f"{__name__}:NativeFacts"],
            [["names", "counts", "hosts", "words", "uses"]],
            [19, 0, "\x80"],
        ),  # a native value that is not bytes
        _raw(
            [f"{__name__}:NativeFacts"],
            [["names", "counts", "hosts", "words", "uses"]],
            [19, 0, b"\x81\xa5names\x81\xa1x\x01"],
        ),  # a native value against its annotations
        _raw([], [], [99, 1]),  # an unknown tag
        _raw([], [], [2, "odd"]),
        _raw([], [], [11, "9" * 5000]),  # a huge integer
        b"\xdd\xff\xff\xff\xff",  # an array that claims four billion items
        b"\x93\x90\x90" + b"\x91" * 5000 + b"\xc0",  # nested too deep
        b"",
        b"\x80",  # a map, not a record
    ],
)
def test_codec_decodes_nothing_but_allowed_data(
    data: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(codec.CodecError):
        codec.decode(data, ["prlint", __name__])
    assert not (tmp_path / "pwned").exists()


# -- runs over the seeds ----------------------------------------------------------------------
def _seeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(SEEDS, tmp_path / "seeds", ignore=shutil.ignore_patterns("*.jsonl"))
    monkeypatch.chdir(tmp_path)
    return tmp_path / "seeds"


def _run(config: dict[str, Any] | None = None, cache: bool = True) -> Result:
    return lint(["seeds"], config=config or {}, jobs=1, cache=cache)


def _report(result: Result) -> tuple[Any, ...]:
    return (
        [d.to_dict() for d in result.diagnostics],
        result.files_checked,
        result.errors,
        result.undated,
    )


def _pack(tmp_path: Path) -> Path:
    (pack,) = (tmp_path / ".prlint_cache" / "v2").glob("*.pack")
    return pack


@pytest.fixture
def seeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, ...]:
    """The seeds in ``tmp_path``, the working folder, and their report without a cache."""
    _seeds(tmp_path, monkeypatch)
    report = _report(_run(cache=False))
    assert len(report[0]) > 10  # the seeds hold real findings of several checks
    return report


def test_warm_run_reads_every_release_from_one_pack(seeds: tuple[Any, ...], tmp_path: Path) -> None:
    cold = _run()
    assert (cold.cache_hits, _report(cold)) == (0, seeds)
    assert cold.timings  # this run did the work
    files = sorted(p.name for p in (tmp_path / ".prlint_cache").rglob("*") if p.is_file())
    suffixes = sorted(f.rsplit(".", 1)[-1] for f in files)
    assert suffixes == ["TAG", "gitignore", "index", "judged", "pack", "report", "start"]
    warm = _run()
    assert (warm.cache_hits, _report(warm)) == (5, seeds)
    assert warm.timings == {}  # -v reports no time for work done by an earlier run


@pytest.mark.parametrize("cache", [True, False])
def test_pool_workers_send_records_encoded(
    seeds: tuple[Any, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cache: bool
) -> None:
    """A pool's workers send each record encoded (the cache's payload when caching); the
    main process decodes it, texts shared with the other records, and the run is the same:
    same report, the cache filled or not, every check's time counted."""
    sent: list[Any] = []
    real = engine._record

    def spy(item: Any, *args: Any, **kwargs: Any) -> Any:
        sent.append(item)
        return real(item, *args, **kwargs)

    monkeypatch.setattr(engine, "_record", spy)
    run = lint(["seeds"], config={}, jobs=2, cache=cache)
    assert _report(run) == seeds
    assert len(sent) == 5 and sum(item.doc is None for item in sent) == 4  # one in-process
    assert all(item.encoded for item in sent if item.doc is None)
    assert all(bool(item.payload) is cache for item in sent)
    every_check = {a.ctx.name for a in activate(parse_config({}, path=None, root=tmp_path))}
    assert set(run.timings) == every_check
    again = lint(["seeds"], config={}, jobs=2, cache=cache)
    assert (again.cache_hits, _report(again)) == (5 if cache else 0, seeds)
    assert (tmp_path / ".prlint_cache").exists() is cache


def test_each_release_s_time_is_counted_once(
    seeds: tuple[Any, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """-v counts a check's time on each release once: added as the release's answer comes
    in, and no more from the records compared (an in-process record keeps none either)."""
    ticks = iter(range(10**9))
    monkeypatch.setattr(engine, "time", type("Clock", (), {"perf_counter": ticks.__next__}))
    compared: list[list[dict[str, float]]] = []
    corpus_phase = engine._corpus_phase

    def watched(doc_results: list[engine.DocResult], *args: Any, **kwargs: Any) -> Any:
        compared.append([dr.timings for dr in doc_results])
        return corpus_phase(doc_results, *args, **kwargs)

    monkeypatch.setattr(engine, "_corpus_phase", watched)
    run = _run(cache=False)
    assert _report(run) == seeds
    assert compared == [[{}] * 5]
    every_check = {a.ctx.name for a in activate(parse_config({}, path=None, root=tmp_path))}
    # one tick per release extracted (five), and one for the check's corpus phase
    assert run.timings == {name: 6.0 for name in every_check}


def test_one_changed_release_is_extracted_again(seeds: tuple[Any, ...], tmp_path: Path) -> None:
    _run()
    seed = tmp_path / "seeds" / "001_879c998c7b91c6ac.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + "\nA new line.\n", encoding="utf-8")
    changed = _run()
    assert changed.cache_hits == 4
    assert set(changed.timings) >= {"company-name", "fact-conflict"}
    assert _report(changed) == _report(_run(cache=False))
    assert _run().cache_hits == 5


def test_a_deleted_release_leaves_the_corpus(seeds: tuple[Any, ...], tmp_path: Path) -> None:
    _run()
    (tmp_path / "seeds" / "002_ba7f2a1d2902c788.txt").unlink()
    after = _run()
    assert after.cache_hits == 4 and after.files_checked == 4
    assert _report(after) == _report(_run(cache=False))
    assert not any("002_ba7f2a1d2902c788" in str(d.to_dict()) for d in after.diagnostics)


def test_an_edit_that_keeps_size_and_a_recent_mtime_is_seen(
    seeds: tuple[Any, ...], tmp_path: Path
) -> None:
    seed = tmp_path / "seeds" / "003_ca580281ff3b7ae7.txt"
    future = time.time_ns() + 3600 * 10**9  # too recent to vouch for the content
    os.utime(seed, ns=(future, future))
    _run()
    text = seed.read_text(encoding="utf-8")
    seed.write_text(text.replace("the", "tha", 1), encoding="utf-8")  # same size
    os.utime(seed, ns=(future, future))
    after = _run()
    assert after.cache_hits == 4
    assert _report(after) == _report(_run(cache=False))


def test_config_changes_miss_the_cache(seeds: tuple[Any, ...]) -> None:
    _run()
    demoted = _run({"severity": {"company-name": "info"}})
    assert demoted.cache_hits == 0
    assert {d.severity.value for d in demoted.diagnostics if d.check == "company-name"} == {"info"}
    assert _run({"severity": {"company-name": "info"}}).cache_hits == 5
    assert _run({"allow": ["Cellestar"]}).cache_hits == 0
    per_file = _run({"per-file-ignores": {"seeds/000_*": ["ALL"]}})
    assert not any(d.path.startswith("seeds/000_") for d in per_file.diagnostics)
    assert _report(_run()) == seeds


def test_a_new_prlint_version_misses_the_cache(
    seeds: tuple[Any, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    _run()
    monkeypatch.setattr(engine, "__version__", "99.0.0")
    assert _run().cache_hits == 0
    assert _run().cache_hits == 5


def _flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset % len(data)] ^= 0x10
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("fraction", [0.0, 0.01, 0.2, 0.5, 0.8, 0.999])
def test_a_flipped_bit_changes_nothing_but_the_hits(
    seeds: tuple[Any, ...], tmp_path: Path, fraction: float
) -> None:
    _run()
    pack = _pack(tmp_path)
    (tmp_path / ".prlint_cache" / "v2" / f"{pack.stem}.report").unlink()
    _flip(pack, int(pack.stat().st_size * fraction))
    damaged = _run()
    assert damaged.cache_hits < 5
    assert _report(damaged) == seeds
    healed = _run()  # the damaged frames were written again
    assert (healed.cache_hits, _report(healed)) == (5, seeds)


@pytest.mark.parametrize("fraction", [0.0, 0.3, 0.7, 0.99])
def test_a_truncated_pack_is_read_up_to_the_cut_and_rewritten(
    seeds: tuple[Any, ...], tmp_path: Path, fraction: float
) -> None:
    _run()
    pack = _pack(tmp_path)
    data = pack.read_bytes()
    pack.write_bytes(data[: int(len(data) * fraction)])
    damaged = _run()
    assert _report(damaged) == seeds
    assert (_run().cache_hits, pack.read_bytes()[:16]) == (5, data[:16])


def test_a_damaged_report_entry_is_ignored(seeds: tuple[Any, ...], tmp_path: Path) -> None:
    _run()
    (report,) = (tmp_path / ".prlint_cache" / "v2").glob("*.report")
    for offset in (20, report.stat().st_size // 2, -3):
        _flip(report, offset)
        assert _report(_run()) == seeds


def test_a_planted_entry_runs_no_code(
    seeds: tuple[Any, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An entry that verifies (written here through the cache itself) but names a type outside
    prlint and the active checks is not decoded; the release is extracted again."""
    _run()
    calls: list[str] = []
    monkeypatch.setattr(os, "system", lambda cmd: calls.append(cmd))
    planted = _raw(["os:system"], [[]], [8, 0, "touch pwned"])
    conf = parse_config({}, path=None, root=tmp_path)
    checks = activate(conf)
    cache = Cache(tmp_path / ".prlint_cache", engine._cache_salt(conf, checks),
                  engine._allowed(checks))  # fmt: skip
    cache.load()
    seed = "seeds/004_d4f999a89bf11e97.txt"
    path = engine._cache_name(seed, Path(seed), os.getcwd())
    old = cache.entries[path]
    cache.add(path, old.size, old.mtime_ns, old.key, planted)
    cache.save()
    for stored in ("report", "judged"):  # the findings stored: the records are read
        (tmp_path / ".prlint_cache" / "v2" / f"{cache.name}.{stored}").unlink()
    after = _run()
    assert (after.cache_hits, _report(after)) == (4, seeds)
    assert calls == [] and not (tmp_path / "pwned").exists()


def test_records_read_from_the_pack_hold_their_own_bytes(
    seeds: tuple[Any, ...], tmp_path: Path
) -> None:
    """Each record read from the pack is its own bytes, never a view of a buffer of the whole
    pack: the buffer goes once the pack is read, and each record's bytes once it is decoded
    (a run that decodes the whole archive never holds the pack and every record at once)."""
    _run()
    conf = parse_config({}, path=None, root=tmp_path)
    checks = activate(conf)
    cache = Cache(tmp_path / ".prlint_cache", engine._cache_salt(conf, checks),
                  engine._allowed(checks))  # fmt: skip
    cache.load()
    entries = sorted(cache.entries.values(), key=lambda e: e.path)
    assert len(entries) == 5 and all(e.payload is None for e in entries)  # the index's rows
    records = cache.records(entries)
    assert next(records).path == "seeds/000_247e968e4d94d0ea.txt"
    frames = [memoryview(e.payload).obj for e in entries]
    assert len({id(f) for f in frames}) == 5
    assert all(len(f) < len(e.payload) + 1024 for f, e in zip(frames, entries, strict=True))
    assert next(records).path == "seeds/001_879c998c7b91c6ac.txt"
    assert entries[0].payload == b"" and entries[2].payload


def test_reading_the_pack_holds_it_once(tmp_path: Path) -> None:
    """The pack is read frame by frame, each record into its own bytes: reading it takes
    about its size, never twice (a whole archive's pack is a few hundred megabytes)."""
    folder = tmp_path / ".prlint_cache"
    writer = Cache(folder, "salt", ())
    writer.load()
    for n in range(40):
        doc = write(tmp_path, {f"{n}.txt": "text"}) / f"{n}.txt"
        writer.add(str(doc), 4, 0, f"key{n}", os.urandom(250_000))
    writer.save()
    pack_size = next((folder / "v2").glob("*.pack")).stat().st_size
    reader = Cache(folder, "salt", ())
    reader.load()
    entries = sorted(reader.entries.values(), key=lambda e: e.path)
    assert all(e.payload is None for e in entries)  # the index's rows: the pack is not read
    tracemalloc.start()
    try:
        assert next(reader.records(entries)) is None  # random bytes: no record
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert 10_000_000 < pack_size <= peak < pack_size * 1.2


def test_decoding_many_records_gives_the_heap_back_as_it_goes(
    seeds: tuple[Any, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every ``heap.EVERY`` records decoded from the pack, the C heap's free pages (the bytes
    of the records decoded so far) go back to the system; the report is the same."""
    _run()
    (tmp_path / ".prlint_cache" / "v2" / f"{_pack(tmp_path).stem}.report").unlink()
    (tmp_path / ".prlint_cache" / "v2" / f"{_pack(tmp_path).stem}.judged").unlink()
    given: list[int] = []
    monkeypatch.setattr(heap, "EVERY", 2)
    monkeypatch.setattr(heap, "give_back_memory", lambda: given.append(1))
    warm = _run()
    assert (warm.cache_hits, _report(warm)) == (5, seeds)
    assert len(given) >= 2  # after the 2nd and 4th record at least


def test_giving_the_heap_back_without_glibc_does_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_c_library(name: Any) -> Any:
        raise OSError("no C library here")

    heap._malloc_trim.cache_clear()
    monkeypatch.setattr(heap.ctypes, "CDLL", no_c_library)
    try:
        assert heap._malloc_trim() is None
        heap.give_back_memory()
    finally:
        heap._malloc_trim.cache_clear()


def test_an_old_pickle_cache_is_never_read(seeds: tuple[Any, ...], tmp_path: Path) -> None:
    old = tmp_path / ".prlint_cache" / "v1" / "ab"
    old.mkdir(parents=True)
    (old / "cdef.pickle").write_bytes(b"cos\nsystem\n(S'touch pwned'\ntR.")
    assert _report(_run()) == seeds
    assert not (tmp_path / "pwned").exists()


def test_a_cache_from_another_checkout_is_not_trusted(
    seeds: tuple[Any, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _run()
    clone = tmp_path / "clone"
    clone.mkdir()
    shutil.copytree(tmp_path / "seeds", clone / "seeds", copy_function=shutil.copy2)
    shutil.copytree(tmp_path / ".prlint_cache", clone / ".prlint_cache")
    monkeypatch.chdir(clone)
    copied = _run()
    assert (copied.cache_hits, _report(copied)) == (0, seeds)
    assert _run().cache_hits == 5


def test_the_cache_folder_is_never_followed_through_a_link(
    seeds: tuple[Any, ...], tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / ".prlint_cache").symlink_to(elsewhere, target_is_directory=True)
    assert _report(_run()) == seeds
    assert _run().cache_hits == 0
    assert list(elsewhere.iterdir()) == []
    (tmp_path / ".prlint_cache").unlink()
    (tmp_path / ".prlint_cache").mkdir()
    (tmp_path / ".prlint_cache" / "v2").symlink_to(elsewhere, target_is_directory=True)
    assert _report(_run()) == seeds
    assert list(elsewhere.iterdir()) == []


def test_a_pack_file_that_is_a_link_is_not_read_or_written(
    seeds: tuple[Any, ...], tmp_path: Path
) -> None:
    _run()
    pack = _pack(tmp_path)
    target = tmp_path / "target.bin"
    target.write_bytes(pack.read_bytes())
    pack.unlink()
    pack.symlink_to(target)
    (tmp_path / ".prlint_cache" / "v2" / f"{pack.stem}.report").unlink()
    before = target.read_bytes()
    after = _run()
    assert (after.cache_hits, _report(after)) == (0, seeds)
    assert target.read_bytes() == before
    assert not pack.is_symlink()  # replaced by a real file


def test_fifos_planted_under_the_cache_names_do_not_hang_the_run(
    seeds: tuple[Any, ...], tmp_path: Path
) -> None:
    conf = parse_config({}, path=None, root=tmp_path)
    checks = activate(conf)
    name = Cache(tmp_path, engine._cache_salt(conf, checks), engine._allowed(checks)).name
    folder = tmp_path / ".prlint_cache" / "v2"
    folder.mkdir(parents=True)
    for suffix in ("pack", "report"):
        os.mkfifo(folder / f"{name}.{suffix}")
    first = _run()
    assert (first.cache_hits, _report(first)) == (0, seeds)
    assert _run().cache_hits == 5  # the FIFOs were replaced by real files


def test_one_name_in_two_working_folders_is_two_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same reported path, size and mtime, different files: the second is not taken from the
    first one's entry."""
    (tmp_path / ".prlint.yaml").write_text("select: [text-artifact]\n", encoding="utf-8")
    texts = {"a": "Our R&amp;D grew.\n", "b": "Our R and D grew.\n"}
    for folder, text in texts.items():
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.txt").write_text(text, encoding="utf-8")
        os.utime(tmp_path / folder / "x.txt", ns=(10**18, 10**18))
    found = {}
    for folder in texts:
        monkeypatch.chdir(tmp_path / folder)
        result = lint(["x.txt"], config=tmp_path / ".prlint.yaml", jobs=1)
        found[folder] = (
            result.cache_hits,
            [(d.line, d.column, d.check) for d in result.diagnostics],
        )
    assert found == {"a": (0, [(1, 6, "text-artifact")]), "b": (0, [])}


# -- the index: a run of unchanged releases never reads the pack ------------------------------
def _no_pack_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: Cache) -> None:
        raise AssertionError("the pack was read")

    monkeypatch.setattr(Cache, "_load_pack", refuse)


def test_a_warm_run_decides_from_the_index_alone(
    seeds: tuple[Any, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    _run()
    _no_pack_reads(monkeypatch)
    warm = _run()
    assert (warm.cache_hits, _report(warm)) == (5, seeds)


def test_the_index_follows_a_changed_release(
    seeds: tuple[Any, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _run()
    seed = tmp_path / "seeds" / "001_879c998c7b91c6ac.txt"
    text = seed.read_text(encoding="utf-8")
    seed.write_text(text.replace("Cellestar Biosciences, Inc.", "Celestar Biosciences, Inc."))
    past = time.time_ns() - 60 * 10**9  # an mtime old enough to vouch for the content
    os.utime(seed, ns=(past, past))
    changed = _run()
    assert changed.cache_hits == 4  # the other records came from the pack
    assert _report(changed) == _report(_run(cache=False))
    typo = [(d.line, d.column, d.check) for d in changed.diagnostics
            if d.path.endswith("001_879c998c7b91c6ac.txt") and d.matched == "Celestar"]  # fmt: skip
    assert typo == [(11, 50, "company-name")]
    _no_pack_reads(monkeypatch)  # the index lists the new frame: no need to read the pack
    after = _run()
    assert (after.cache_hits, _report(after)) == (5, _report(changed))


def test_a_deleted_release_leaves_the_index(
    seeds: tuple[Any, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _run()
    (tmp_path / "seeds" / "002_ba7f2a1d2902c788.txt").unlink()
    after = _run()  # the corpus changed: the other four records come from the pack
    assert (after.cache_hits, after.files_checked) == (4, 4)
    assert _report(after) == _report(_run(cache=False))
    _no_pack_reads(monkeypatch)
    assert _report(_run()) == _report(after)


def test_an_index_of_another_config_or_version_is_not_used(
    seeds: tuple[Any, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _run()
    demoted = _run({"severity": {"company-name": "info"}})
    assert demoted.cache_hits == 0
    assert {d.severity.value for d in demoted.diagnostics if d.check == "company-name"} == {"info"}
    version = engine.__version__
    monkeypatch.setattr(engine, "__version__", "99.0.0")
    assert _run().cache_hits == 0
    assert len(list((tmp_path / ".prlint_cache" / "v2").glob("*.index"))) == 3
    monkeypatch.setattr(engine, "__version__", version)
    _no_pack_reads(monkeypatch)
    assert (_run().cache_hits, _report(_run())) == (5, seeds)


def test_a_stale_or_damaged_index_falls_back_to_the_pack(
    seeds: tuple[Any, ...], tmp_path: Path
) -> None:
    _run()
    (index,) = (tmp_path / ".prlint_cache" / "v2").glob("*.index")
    (report,) = (tmp_path / ".prlint_cache" / "v2").glob("*.report")
    old = index.read_bytes()
    seed = tmp_path / "seeds" / "003_ca580281ff3b7ae7.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + "\nA new line.\n", encoding="utf-8")
    changed = _report(_run())  # appends a frame: the old index no longer describes the pack
    judged = report.with_suffix(".judged")  # the findings stored: the records are read
    index.write_bytes(old)
    report.unlink()
    judged.unlink()
    stale = _run()
    assert (stale.cache_hits, _report(stale)) == (5, changed)
    _flip(index, index.stat().st_size // 2)
    report.unlink()
    judged.unlink()
    damaged = _run()
    assert (damaged.cache_hits, _report(damaged)) == (5, changed)


def test_the_cli_exits_alike_cold_warm_and_after_an_edit(tmp_path: Path) -> None:
    shutil.copytree(SEEDS, tmp_path / "seeds", ignore=shutil.ignore_patterns("*.jsonl"))
    args = ("check", "seeds", "--format", "json")
    cold = prlint(*args, cwd=tmp_path)
    warm = prlint(*args, cwd=tmp_path)
    assert (cold.returncode, warm.returncode, warm.stdout) == (1, 1, cold.stdout)
    for seed in (tmp_path / "seeds").glob("*.txt"):
        seed.write_text("Acme Corp. (Nasdaq: ACME) sells things.\n", encoding="utf-8")
    cleaned = prlint(*args, cwd=tmp_path)
    fresh = prlint(*args, "--no-cache", cwd=tmp_path)
    assert (cleaned.returncode, cleaned.stdout) == (fresh.returncode, fresh.stdout)
    assert json.loads(cleaned.stdout)["files_checked"] == 5


def test_a_whole_run_and_a_one_file_run_both_keep_their_outcome(
    seeds: tuple[Any, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pre-commit case: the corpus from the config, one file reported; then the whole
    corpus again. Neither run after the first two reads the pack."""
    config = {"corpus": ["seeds/*.txt"]}
    whole = _report(lint([], config=config, jobs=1, cache=True))
    one = lint(["seeds/001_879c998c7b91c6ac.txt"], config=config, jobs=1, cache=True)
    assert one.files_checked == 1
    assert {d.path for d in one.diagnostics} == {"seeds/001_879c998c7b91c6ac.txt"}
    _no_pack_reads(monkeypatch)
    assert _report(lint([], config=config, jobs=1, cache=True)) == whole
    again = lint(["seeds/001_879c998c7b91c6ac.txt"], config=config, jobs=1, cache=True)
    assert (again.cache_hits, _report(again)) == (5, _report(one))
    assert whole[0] == seeds[0]


# -- the start-up record: a warm run loads no check -------------------------------------------
def _activations(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    """The checks' activations of the runs to come (each loads and validates every check)."""
    calls: list[tuple[Any, ...]] = []
    real = engine.activate

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "activate", spy)
    return calls


def test_a_warm_run_activates_no_check(
    seeds: tuple[Any, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _activations(monkeypatch)
    cold = _run()
    assert (len(calls), cold.cache_hits, _report(cold)) == (1, 0, seeds)
    assert (tmp_path / ".prlint_cache" / "v2" / "start").is_file()
    warm = _run()
    assert (len(calls), warm.cache_hits, _report(warm)) == (1, 5, seeds)
    seed = tmp_path / "seeds" / "001_879c998c7b91c6ac.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + "\nA new line.\n", encoding="utf-8")
    changed = _run()  # the salt from the record, the checks loaded for the changed release
    assert (len(calls), changed.cache_hits) == (2, 4)
    assert _report(changed) == _report(_run(cache=False))


def test_the_start_record_follows_config_options_and_version(
    seeds: tuple[Any, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _activations(monkeypatch)
    _run()
    assert (len(calls), _run().cache_hits) == (1, 5)
    demoted = _run({"severity": {"company-name": "info"}})  # another config: loaded again
    assert (len(calls), demoted.cache_hits) == (2, 0)
    assert {d.severity.value for d in demoted.diagnostics if d.check == "company-name"} == {"info"}
    assert (_run({"severity": {"company-name": "info"}}).cache_hits, len(calls)) == (5, 2)
    bad = {"checks": {"company-name": {"no-such-option": 1}}}
    for _ in range(2):  # a config the checks refuse is refused on every run
        with pytest.raises(ConfigError, match="no-such-option"):
            _run(bad)
    assert len(calls) == 4
    only = lint(["seeds"], config={}, jobs=1, cache=True, select=["company-name"])
    assert len(calls) == 5 and {d.check for d in only.diagnostics} == {"company-name"}
    monkeypatch.setattr(engine, "__version__", "99.0.0")
    assert (_run().cache_hits, len(calls)) == (0, 6)
    assert (_run().cache_hits, len(calls)) == (5, 6)


def test_a_damaged_start_record_is_not_used(
    seeds: tuple[Any, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _activations(monkeypatch)
    _run()
    start = tmp_path / ".prlint_cache" / "v2" / "start"
    _flip(start, start.stat().st_size // 2)
    again = _run()
    assert (len(calls), again.cache_hits, _report(again)) == (2, 5, seeds)
    assert (_run().cache_hits, len(calls)) == (5, 2)  # written again, read again


def test_an_edited_check_is_loaded_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A third-party check edited in place: the start record no longer vouches for the salt,
    so the check is loaded again and every release is extracted with its new code."""
    site = make_plugin_site(tmp_path / "site")
    plugin = site / "prlint_example" / "__init__.py"
    write(tmp_path / "work", {"docs/a.txt": "Acme Corp. announced revenue of $TODO.\n",
                              "docs/b.txt": "Acme Corp. expects TBD units.\n"})  # fmt: skip
    monkeypatch.chdir(tmp_path / "work")
    monkeypatch.syspath_prepend(str(site))
    calls = _activations(monkeypatch)

    def placeholders() -> tuple[list[tuple[str, str]], int]:
        result = lint(["docs"], config={}, jobs=1, cache=True)
        found = [(d.path, d.matched) for d in result.diagnostics if d.check == "example-word"]
        return found, result.cache_hits

    def load_plugin_again(mtime: float) -> None:
        os.utime(plugin, (mtime, mtime))  # old enough for its stat to vouch for its content
        sys.modules.pop("prlint_example", None)
        registry.available_checks.cache_clear()

    try:
        load_plugin_again(time.time() - 300)
        assert placeholders() == ([("docs/a.txt", "TODO")], 0)
        assert (placeholders(), len(calls)) == (([("docs/a.txt", "TODO")], 2), 1)
        text = plugin.read_text(encoding="utf-8")
        plugin.write_text(text.replace('["TODO", "XXX"]', '["TODO", "XXX", "TBD"]'), "utf-8")
        load_plugin_again(time.time() - 200)
        both = [("docs/a.txt", "TODO"), ("docs/b.txt", "TBD")]
        assert (placeholders(), len(calls)) == ((both, 0), 2)
        assert (placeholders(), len(calls)) == ((both, 2), 2)
    finally:
        sys.modules.pop("prlint_example", None)
        registry.available_checks.cache_clear()


def test_a_record_keeps_each_checks_facts_encoded_by_themselves(tmp_path: Path) -> None:
    """The record the cache keeps and a worker sends holds each check's facts encoded by
    themselves, one value for the facts several checks share (the entity checks'): the
    corpus phase decodes them when a check that reads them compares. A check that gives
    keys keeps 8 bytes per distinct key beside them."""
    checks = activate(parse_config({}, path=None, root=tmp_path))
    data = (SEEDS / "001_879c998c7b91c6ac.txt").read_bytes()
    record = engine.extract_bytes("001.txt", "text", data, checks)
    assert isinstance(record, engine.DocResult)
    assert set(record.keys) == {"fact-conflict", "acronym-conflict"}
    for name, facts in record.facts.items():
        if name in record.keys:
            assert record.keys[name] == engine.key_digests(f.key for f in facts)
            assert len(record.keys[name]) == 8 * len({f.key for f in facts}) > 0
    back = codec.decode(engine.encode_record(record), engine._allowed(checks))
    assert back.keys == record.keys and back.timings == {}
    decoding = codec.Decoding(engine._allowed(checks))
    for name, facts in record.facts.items():
        kept = back.facts[name]
        assert type(kept) is codec.Deferred
        assert decoding.undefer(kept) == facts, name
    entity = [back.facts[name] for name in ("company-name", "url-drift", "contact-drift")]
    assert entity[0] is entity[1] is entity[2]


def test_a_record_keeps_only_the_facts_that_hold_something(tmp_path: Path) -> None:
    """A check that found no fact in a release leaves no entry in its record (most checks, on
    most releases), and the local findings of all checks are one list."""
    conf = parse_config({}, path=None, root=tmp_path)
    checks = activate(conf)
    data = (SEEDS / "004_d4f999a89bf11e97.txt").read_bytes()
    record = engine.extract_bytes("004.txt", "text", data, checks)
    assert isinstance(record, engine.DocResult) and not record.crashes
    assert set(record.timings) == {a.ctx.name for a in checks}  # every check ran
    assert record.facts and None not in record.facts.values()
    assert "date-mismatch" not in record.facts  # this release gives it nothing
    doc = parse("004.txt", data.decode(), kind="text")
    extract_metadata(doc)
    local = [d for a in checks for d in a.check.extract(doc, a.ctx).diagnostics]
    assert record.diagnostics == local
    assert record.diagnostics  # the seed has local findings (text-artifact)
