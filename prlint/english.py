"""English word frequencies: wordfreq's ``zipf_frequency(word, "en")`` from a table of its list.

The entity checks ask how common a word is in English. Loading wordfreq's list takes a
quarter of a second, most of a pre-commit run on a small corpus. So the list is read once from
wordfreq's own data file into a sorted table, kept in the cache folder (keyed to that file's
stat), which a later run reads in a few milliseconds and searches in place. A text of Latin
letters and hyphens is split at its hyphens, as wordfreq's tokeniser splits it, without
importing wordfreq; any other text is split by wordfreq's tokeniser. Either way the pieces are
looked up in the table and their frequencies joined with wordfreq's own arithmetic (the test
suite compares every word of the list, and any text, with wordfreq).
"""

from __future__ import annotations

import gzip
import importlib.util
import math
import os
import re
import struct
from array import array
from collections.abc import Callable
from itertools import accumulate
from pathlib import Path
from zlib import crc32

import msgspec

#: a text wordfreq reads as its hyphen-separated pieces, each a word of Latin letters as
#: written (lower case, composed: nothing for its tokeniser to fold or split)
_PLAIN = re.compile(r"[-a-z\u00e0-\u00f6\u00f8-\u00ff]*")
_MINIMUM = 10**0 / 1e9  # wordfreq's zipf_to_freq(0): the frequency of an unknown word
_FORMAT = "prlint-english-3"
_HEAD = struct.Struct(">II")  # words, hash slots


class Table:
    """The words of wordfreq's list with their centibel bucket, sorted as UTF-8 bytes, and a
    hash index over them (open addressing on the CRC-32 of a word's UTF-8): a word is found
    in place, in one or two probes, with no object per listed word held."""

    def __init__(
        self,
        blob: bytes,
        starts: array[int],
        buckets: array[int],
        slots: array[int] | None = None,
        index: dict[str, int] | None = None,
    ) -> None:
        self.blob = blob  # the words, "\n"-separated, in byte order
        self.starts = starts  # where each word starts in the blob
        self.buckets = buckets  # each word's bucket: its frequency is 10 ** (-bucket / 100)
        self.slots = slots if slots is not None else array("I")  # word number + 1, or 0
        self._index = index  # word -> bucket, for a table made from a dict as it is

    @classmethod
    def indexed(cls, words: dict[str, int]) -> Table:
        """A table answering from ``words`` (word -> bucket) as they are: nothing sorted,
        for a process that keeps no table."""
        return cls(b"", array("I"), array("H"), index=words)

    @classmethod
    def of(cls, words: dict[str, int]) -> Table:
        """The table of ``words`` (word -> bucket; no word holds a line break)."""
        kept = sorted(w for w in words if "\n" not in w)  # code point order: UTF-8's too
        sizes = (len(w.encode()) + 1 for w in kept)
        starts = array("I", accumulate(sizes, initial=0))
        starts.pop()  # (where a word after the last would start)
        blob = "".join(w + "\n" for w in kept).encode()
        buckets = array("H", map(words.__getitem__, kept))
        del kept  # (a list of every word: not held while the index is built)
        return cls(blob, starts, buckets, _slots(blob, starts))

    def encode(self) -> bytes:
        head = _HEAD.pack(len(self.starts), len(self.slots))
        parts = (self.starts.tobytes(), self.buckets.tobytes(), self.slots.tobytes(), self.blob)
        return b"".join((head, *parts))

    @classmethod
    def decode(cls, data: bytes) -> Table | None:
        """The table ``encode`` wrote, or None if ``data`` is not one."""
        if len(data) < _HEAD.size:
            return None
        n, m = _HEAD.unpack_from(data, 0)
        starts, buckets, slots = array("I"), array("H"), array("I")
        if (starts.itemsize, buckets.itemsize, slots.itemsize) != (4, 2, 4):
            return None
        at = _HEAD.size + n * 6 + m * 4
        if m < 2 * n or m & (m - 1) or len(data) < at:  # slots: a power of two, half empty
            return None
        starts.frombytes(data[_HEAD.size : _HEAD.size + n * 4])
        buckets.frombytes(data[_HEAD.size + n * 4 : _HEAD.size + n * 6])
        slots.frombytes(data[_HEAD.size + n * 6 : at])
        blob = data[at:]
        if n and (starts[-1] >= len(blob) or not blob.endswith(b"\n")):
            return None
        return cls(blob, starts, buckets, slots)

    def bucket(self, word: str) -> int | None:
        """The bucket of ``word``, None if the list lacks it."""
        if self._index is not None:
            return self._index.get(word)
        key = word.encode("utf-8", "surrogatepass")
        if not self.slots or b"\n" in key:
            return None
        listed = key + b"\n"
        blob, starts, slots = self.blob, self.starts, self.slots
        mask = len(slots) - 1
        at = crc32(key) & mask
        while found := slots[at]:
            if blob.startswith(listed, starts[found - 1]):
                return self.buckets[found - 1]
            at = (at + 1) & mask
        return None


def _slots(blob: bytes, starts: array[int]) -> array[int]:
    """The hash index of the words of ``blob`` (starting at ``starts``): at least twice as
    many slots as words, a power of two of them, each word's number + 1 at its CRC-32's slot
    or the next free one (each word sliced in turn: no list of them all is held)."""
    size = 8
    while size < 2 * len(starts):
        size *= 2
    slots = array("I", [0]) * size
    mask = size - 1
    for number, start in enumerate(starts, 1):
        at = crc32(blob[start : blob.index(b"\n", start)]) & mask
        while slots[at]:
            at = (at + 1) & mask
        slots[at] = number
    return slots


def zipf_of(table: Table, text: str) -> float:
    """wordfreq's ``zipf_frequency(text, "en")``, its list read from ``table``."""
    if _PLAIN.fullmatch(text):  # what wordfreq's tokeniser makes of it: its hyphens split it
        return _zipf(table, [t for t in text.split("-") if t], None, None)
    from wordfreq.numbers import digit_freq, smash_numbers  # (no list loaded by importing)
    from wordfreq.tokens import lossy_tokenize

    return _zipf(table, lossy_tokenize(text, "en"), smash_numbers, digit_freq)


def _zipf(
    table: Table,
    tokens: list[str],
    smash: Callable[[str], str] | None,
    digits: Callable[[str], float] | None,
) -> float:
    """wordfreq's ``_word_frequency`` and ``zipf_frequency`` (minimum 0) of tokens, a digit
    sequence looked up as zeros and weighed by ``digits`` as wordfreq does."""
    freq = _MINIMUM
    if tokens:
        one_over = 0.0
        for token in tokens:  # wordfreq joins the tokens' frequencies as 1/f = sum 1/f_i
            smashed = token if smash is None else smash(token)
            b = table.bucket(smashed)
            if b is None:
                one_over = 0.0
                break
            f = 10 ** (-b / 100)
            if smashed != token and digits is not None:
                f *= digits(token)
            one_over += 1.0 / f
        if one_over:
            unrounded = max(1.0 / one_over, _MINIMUM)
            freq = round(unrounded, math.floor(-math.log(unrounded, 10)) + 3)
    return round(math.log(freq, 10) + 9, 2)


# -- where the table comes from ---------------------------------------------------------------
_table: Table | None = None
_loaded = False
_folder: Path | None = None


def keep_table_in(folder: Path | None) -> None:
    """Keep the table in (and read it from) the cache folder ``folder``; None: in memory."""
    global _folder
    _folder = folder


def zipf(text: str) -> float:
    """wordfreq's ``zipf_frequency(text, "en")``."""
    table = _the_table()
    if table is None:  # no list this module can read: wordfreq's own answer
        from wordfreq import zipf_frequency

        return float(zipf_frequency(text, "en"))
    return zipf_of(table, text)


def _the_table() -> Table | None:
    global _table, _loaded
    if not _loaded:
        _loaded = True
        _table = load_table(_source(), _folder)
    return _table


def _source() -> Path | None:
    """wordfreq's English list (its "best": the large one), found without importing it."""
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "large_en.msgpack.gz"


def load_table(source: Path | None, folder: Path | None) -> Table | None:
    """The table of ``source`` (a wordfreq cBpack file): from ``folder`` if kept there for
    this very file, else read from it (and kept). None if ``source`` is missing or not in
    the format this module reads."""
    if source is None:
        return None
    try:
        st = os.stat(source)
    except OSError:
        return None
    from prlint.cache import load_table as load_kept
    from prlint.cache import store_table

    name = f"{_FORMAT}\0{source}\0{st.st_size}\0{st.st_mtime_ns}"
    if folder is not None:
        data = load_kept(folder, name)
        table = Table.decode(data) if data is not None else None
        if table is not None:
            return table
    words = _read_cbpack(source)
    if words is None:
        return None
    if folder is None:
        return Table.indexed(words)
    table = Table.of(words)
    del words  # (every word as an object: not held while the table is encoded and written)
    store_table(folder, name, table.encode())
    return table


def _read_cbpack(source: Path) -> dict[str, int] | None:
    """word -> bucket of a wordfreq cBpack file, as wordfreq reads it (a later bucket wins)."""
    try:
        with gzip.open(source, "rb") as fh:
            pack = msgspec.msgpack.decode(fh.read())
    except (OSError, EOFError, msgspec.DecodeError):
        return None
    if not (isinstance(pack, list) and pack and pack[0] == {"format": "cB", "version": 1}):
        return None
    if len(pack) - 1 > 0xFFFF:  # more buckets than a table's entry holds
        return None
    words: dict[str, int] = {}
    for bucket, listed in enumerate(pack[1:]):
        if not isinstance(listed, list):
            return None
        words.update(dict.fromkeys((w for w in listed if isinstance(w, str)), bucket))
    return words
