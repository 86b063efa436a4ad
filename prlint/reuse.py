"""Every finding of the last corpus phase, reused while no document's record changes.

The corpus phase is a pure function of the documents' extraction records, the config and the
checks (all in the cache's salt), and a check reports on a document by that document's own
``reported`` flag only. So a run that compared the whole corpus keeps, beside the cache, every
finding it made on the documents it reported (suppressions applied, per-file ignores not: they
are applied when read) and, per document, its content key and the digest of its encoded record.
A later run over the same documents, reporting some of those, whose records are byte for byte
the same (a file edited where no check extracts anything: whitespace, a line no check reads)
takes its findings from there: the corpus is neither decoded nor compared. Any other change
runs the corpus phase again, which stores its own findings.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass, field

from prlint import codec
from prlint.api import Diagnostic
from prlint.cache import Cache

REPORTED, DATED = 1, 2  # bits of Judged.flags


@dataclass
class Judged:
    """The corpus phase's findings on every document it reported, and what it read."""

    paths: list[str] = field(default_factory=list)  # display paths, sorted
    keys: list[str] = field(default_factory=list)  # each document's content key
    digests: list[bytes] = field(default_factory=list)  # each record's digest
    flags: list[int] = field(default_factory=list)  # REPORTED | DATED
    diagnostics: list[Diagnostic] = field(default_factory=list)  # sorted, suppressions applied
    errors: list[str] = field(default_factory=list)

    def index(self) -> dict[str, int]:
        return {p: i for i, p in enumerate(self.paths)}


def load(cache: Cache) -> Judged | None:
    """The findings stored in ``cache``, or None (none, damaged or of another shape)."""
    data = cache.load_judged()
    if data is None:
        return None
    try:
        judged = codec.decode(data, ("prlint",))
    except codec.CodecError:
        return None
    if not isinstance(judged, Judged) or not (
        len(judged.paths) == len(judged.keys) == len(judged.digests) == len(judged.flags)
    ):
        return None
    return judged


def store(cache: Cache, judged: Judged) -> None:
    """Keep ``judged`` as the findings of the last corpus phase."""
    with contextlib.suppress(codec.CodecError):
        cache.store_judged(codec.encode(judged))


def covers(judged: Judged, reported: Mapping[str, bool]) -> dict[str, int] | None:
    """The stored documents by path if they are this run's documents and every document
    reported now was reported then; else None."""
    if len(judged.paths) != len(reported):
        return None
    index = judged.index()
    for path, now in reported.items():
        i = index.get(path)
        if i is None or (now and not judged.flags[i] & REPORTED):
            return None
    return index
