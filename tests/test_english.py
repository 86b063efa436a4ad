"""prlint.english answers as wordfreq does, from a table kept in the cache folder."""

from __future__ import annotations

import gzip
import math
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import msgspec
import pytest
import wordfreq
from hypothesis import given, settings
from hypothesis import strategies as st

from prlint import english, lint
from prlint.checks.lib import entities

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def _listed() -> list[str]:
    """The words of wordfreq's English list."""
    return sorted(wordfreq.get_frequency_dict("en"))


def _cbpack(path: Path, buckets: dict[str, int]) -> Path:
    """A wordfreq list file giving each word its bucket (-100 cB: Zipf 8, -200 cB: 7...)."""
    pack: list[list[str]] = [[] for _ in range(max(buckets.values()) + 1)]
    for word, bucket in buckets.items():
        pack[bucket].append(word)
    head = {"format": "cB", "version": 1}
    path.write_bytes(gzip.compress(msgspec.msgpack.encode([head, *pack])))
    return path


@pytest.fixture(scope="module")
def sorted_table(tmp_path_factory: pytest.TempPathFactory) -> english.Table:
    table = english.load_table(english._source(), tmp_path_factory.mktemp("c") / ".prlint_cache")
    assert table is not None and not table._index  # a sorted table, searched in place
    return table


@pytest.fixture(scope="module")
def memory_table() -> english.Table:
    table = english.load_table(english._source(), None)
    assert table is not None and table._index  # no folder: a dict, nothing sorted
    return table


def _sample() -> list[str]:
    words = _listed()
    rng = random.Random(7)
    picked = words[::97]
    return [
        *picked,
        *(f"{rng.choice(words)}-{rng.choice(words)}" for _ in range(300)),
        "forward-looking", "co--founder", "-abc", "abc-", "-", "", "renée", "benzingaâ",
        "cellectar", "zzzzq", "ab-zzzzq", "her2", "covid-19", "2025", "10-k", "company's",
        "Cellectar", "straße", "ﬁnance", "e\u0301", "o’neil", "ab—cd", "日本", "a.b", "x y",
    ]  # fmt: skip


def test_a_sample_of_words_reads_as_wordfreq_reads_it(
    sorted_table: english.Table, memory_table: english.Table
) -> None:
    for word in _sample():
        expected = wordfreq.zipf_frequency(word, "en")
        assert english.zipf_of(sorted_table, word) == expected, word
        assert english.zipf_of(memory_table, word) == expected, word


@pytest.mark.slow
def test_every_listed_word_reads_as_wordfreq_reads_it(sorted_table: english.Table) -> None:
    mismatched = [
        w for w in _listed() if english.zipf_of(sorted_table, w) != wordfreq.zipf_frequency(w, "en")
    ]
    assert mismatched == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abeiloóé-ßQ'2 .’日", max_size=12))
def test_any_text_reads_as_wordfreq_reads_it(text: str) -> None:
    assert english.zipf(text) == wordfreq.zipf_frequency(text, "en")


def test_no_run_loads_wordfreqs_own_list(tmp_path: Path) -> None:
    """Any text is answered from the table (wordfreq's tokeniser splits what is not Latin
    letters and hyphens): wordfreq's list is never loaded a second time."""
    code = (
        "import sys\n"
        "from prlint import english\n"
        "for w in ['hello', 'forward-looking', 'her2', \"company's\", 'straße', '日本']:\n"
        "    english.zipf(w)\n"
        "wf = sys.modules.get('wordfreq')\n"
        "print(wf is not None, wf.get_frequency_dict.cache_info().currsize if wf else -1)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=True
    )
    assert done.stdout.split() == ["True", "0"]  # its tokeniser imported, its list never read


def test_the_kept_table_is_read_not_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _cbpack(tmp_path / "en.msgpack.gz", {"the": 100, "alpha": 200, "beta": 200})
    folder = tmp_path / ".prlint_cache"
    first = english.load_table(source, folder)
    assert first is not None and len(list((folder / "v2").glob("*.table"))) == 1
    monkeypatch.setattr(english, "_read_cbpack", lambda _: pytest.fail("read again"))
    kept = english.load_table(source, folder)
    assert kept is not None and kept.blob == b"alpha\nbeta\nthe\n"
    assert english.zipf_of(kept, "beta") == 7.0 and english.zipf_of(kept, "the") == 8.0


def test_the_kept_table_answers_in_place_however_often_asked(tmp_path: Path) -> None:
    """Every word, and every word it lacks, is found through its hash index: a long run
    never turns the table into a dict of every listed word (tens of MB in each process)."""
    listed = {f"w{n}": 100 + n % 700 for n in range(5000)}
    table = english.load_table(_cbpack(tmp_path / "en.msgpack.gz", listed), tmp_path / "c")
    assert table is not None and len(table.slots) == 16384  # a power of two, at least 2x
    assert all(table.bucket(word) == bucket for word, bucket in listed.items())
    assert [table.bucket(f"x{n}") for n in range(5000)] == [None] * 5000
    assert table.bucket("w0\nw1") is None  # two listed words joined by their separator
    assert table._index is None


def test_a_damaged_table_is_rebuilt(tmp_path: Path) -> None:
    source = _cbpack(tmp_path / "en.msgpack.gz", {"the": 100, "alpha": 200})
    folder = tmp_path / ".prlint_cache"
    english.load_table(source, folder)
    (kept,) = (folder / "v2").glob("*.table")
    data = bytearray(kept.read_bytes())
    data[-3] ^= 0xFF
    kept.write_bytes(bytes(data))
    table = english.load_table(source, folder)
    assert table is not None and english.zipf_of(table, "alpha") == 7.0
    assert english.load_table(source, folder) is not None  # and kept again
    assert kept.read_bytes() != bytes(data)


def test_a_changed_list_makes_a_new_table(tmp_path: Path) -> None:
    source = _cbpack(tmp_path / "en.msgpack.gz", {"alpha": 100})
    folder = tmp_path / ".prlint_cache"
    before = english.load_table(source, folder)
    assert before is not None and english.zipf_of(before, "alpha") == 8.0
    _cbpack(source, {"alpha": 200, "gamma": 300})
    after = english.load_table(source, folder)
    assert after is not None and english.zipf_of(after, "alpha") == 7.0
    assert english.zipf_of(after, "alpha-gamma") == round(math.log10(1 / 1100) + 9, 2)


def test_only_the_last_tables_written_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / ".prlint_cache"
    sources, written = [], []
    for n in range(5):  # five versions of the list, as five wordfreq installs would have
        sources.append(_cbpack(tmp_path / f"en{n}.msgpack.gz", {"alpha": 100 + n}))
        before = set((folder / "v2").glob("*.table")) if folder.exists() else set()
        english.load_table(sources[-1], folder)
        (new,) = set((folder / "v2").glob("*.table")) - before
        os.utime(new, ns=(0, 10**18 + n))  # written in this order
        written.append(new)
    assert sorted((folder / "v2").glob("*.table")) == sorted(written[2:])
    monkeypatch.setattr(english, "_read_cbpack", lambda _: pytest.fail("read again"))
    kept = english.load_table(sources[4], folder)
    assert kept is not None and english.zipf_of(kept, "alpha") == 7.96


def test_a_missing_or_foreign_list_gives_no_table(tmp_path: Path) -> None:
    assert english.load_table(tmp_path / "absent.msgpack.gz", None) is None
    foreign = tmp_path / "foreign.msgpack.gz"
    foreign.write_bytes(gzip.compress(msgspec.msgpack.encode([{"format": "other"}, ["a"]])))
    assert english.load_table(foreign, tmp_path / ".prlint_cache") is None
    (tmp_path / "plain.gz").write_bytes(b"not gzip")
    assert english.load_table(tmp_path / "plain.gz", None) is None


def test_a_run_keeps_the_table_in_its_cache_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(SEEDS, tmp_path / "seeds", ignore=shutil.ignore_patterns("*.jsonl"))
    monkeypatch.chdir(tmp_path)

    def fresh_process() -> None:  # nothing asked of the table yet, nothing loaded
        entities.zipf.cache_clear()
        monkeypatch.setattr(english, "_loaded", False)
        monkeypatch.setattr(english, "_table", None)

    fresh_process()
    assert len(lint(["seeds"], config={}, jobs=1, cache=False).diagnostics) == 41
    assert not (tmp_path / ".prlint_cache").exists()
    fresh_process()
    assert len(lint(["seeds"], config={}, jobs=1, cache=True).diagnostics) == 41
    (kept,) = (tmp_path / ".prlint_cache" / "v2").glob("*.table")
    fresh_process()
    (tmp_path / "seeds" / "001_879c998c7b91c6ac.txt").write_text("Cellectar Biosciences.\n")
    assert len(lint(["seeds"], config={}, jobs=1, cache=True).diagnostics) > 0
    assert [p.name for p in (tmp_path / ".prlint_cache" / "v2").glob("*.table")] == [kept.name]
    assert english._table is not None and english._table.blob  # read back, sorted
