"""The extraction cache: one pack file per prlint version, config and check code.

``.prlint_cache/v2/<salt>.pack`` holds one frame per document: its path, size, mtime, content
hash and extraction record (encoded by :mod:`prlint.codec`, never pickled), each frame followed
by a checksum keyed by the salt. A warm run reads the pack in one read; a file whose size and
mtime match its frame (and whose mtime was not too recent to trust when it was recorded) is not
even read; otherwise its content hash decides. New records are appended; the pack is rewritten
when a third of it is dead, or when a frame is damaged (a damaged frame and everything after it
is ignored, so those documents are extracted again). ``<salt>.index`` lists every frame's
path, size, mtime and content hash (not its record) for the pack it was written with (that
pack's inode, size and mtime): a run whose documents are all unchanged decides from it alone,
and the pack is read only when a record is needed. ``<salt>.report`` holds the corpus-phase
outcomes of the last few runs (other files reported), each reused when no document, config or
code changed. ``<salt>.judged`` holds every finding of the last corpus phase with the digest
of each record it read (see :mod:`prlint.reuse`). The folder is never used through a symbolic
link, and nothing in it can make prlint run code.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import struct
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import msgspec

from prlint import codec, heap

_MAGIC = b"PRLINT-CACHE-2\n\0"
_LEN = struct.Struct(">I")
_MAC = 16  # checksum bytes after each frame
_RACY_NS = 2_000_000_000  # an mtime this close to when it was seen may hide a later edit
_KEEP_PACKS = 3  # packs of other configs or versions kept besides the current one
_KEEP_REPORTS = 4  # corpus-phase outcomes kept per pack (other sets of reported files)
_MAX_FILE = 2**31  # a pack or report larger than this is not ours
_BATCH = 500  # new records written at a time (a cold run never holds them all)
_README = "Created by prlint. Safe to delete; it only speeds up the next run.\n"
_frame_encoder = msgspec.msgpack.Encoder()
_frame_decoder = msgspec.msgpack.Decoder()


def content_key(data: bytes) -> str:
    """The hash a document's content is known by."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def record_digest(payload: bytes | memoryview) -> bytes:
    """The hash an encoded extraction record is known by (equal records, equal digests)."""
    return hashlib.blake2b(payload, digest_size=16).digest()


class Entry(msgspec.Struct):
    """One document's frame: where it was, what it held, and its encoded record (a struct:
    the index's rows decode straight into entries)."""

    path: str  # the name the engine gives it: where it is reported and which file it is
    size: int
    mtime_ns: int
    checked_ns: int  # when size and mtime were taken
    key: str
    #: None: listed by the index, not read from the pack yet (bytes or a memoryview once read)
    payload: Any = None


#: what :meth:`Cache._read_frame` gives for a damaged frame
_DAMAGED = Entry("", 0, 0, 0, "")


class _Row(Entry, array_like=True):
    """An index row: an entry as the list ``[path, size, mtime_ns, checked_ns, key]``."""


_index_decoder = msgspec.msgpack.Decoder(tuple[int, list[_Row]])


class Cache:
    """The pack of one salt (prlint version, config, checks and their code)."""

    def __init__(self, directory: Path, salt: str, allowed: Iterable[str]) -> None:
        self.directory = directory
        digest = hashlib.blake2b(salt.encode(), digest_size=16)
        self._salt = digest.digest()
        self._secret = b""
        self.name = digest.hexdigest()
        self.allowed = tuple(allowed)
        self.entries: dict[str, Entry] = {}
        self._new: list[Entry] = []
        self._frames = 0  # frames in the pack file, dead ones included
        self._rewrite = False
        self._hold = True  # encoded records stay in memory until release()
        self._strings: dict[Any, Any] = {}  # texts shared by the records decoded
        self._loaded = False
        self._pack_read = False  # the pack's frames are in memory (else the index's list)
        self._index_stale = False  # the index does not describe the pack on disk
        self._safe = False

    # -- reading ---------------------------------------------------------------------------
    def load(self) -> None:
        """Read the index, or else the pack (once); a missing, foreign or damaged pack reads
        as empty."""
        if self._loaded:
            return
        self._loaded = True
        if not self._check_dirs():
            return
        if not self._load_index():
            self._load_pack()

    def _load_index(self) -> bool:
        """Take the entries from the index if it verifies and describes the pack as it is."""
        data = _read_nofollow(self._index)
        identity = _identity(self._pack)
        if data is None or identity is None or not data.startswith(_MAGIC):
            self._index_stale = identity is not None
            return False
        entry, _ = self._parse_frame(memoryview(data), len(_MAGIC))
        try:
            if entry is None or entry.key != identity or entry.payload is None:
                raise ValueError("stale")
            frames, rows = _index_decoder.decode(entry.payload)
            if any(row.payload is not None for row in rows):
                raise ValueError("bad row")
            entries: dict[str, Entry] = {row.path: row for row in rows}
        except (msgspec.DecodeError, TypeError, ValueError):
            self._index_stale = True
            return False
        self.entries, self._frames = entries, int(frames)
        return True

    def _payloads(self) -> None:
        """Read the pack for the records of the entries the index listed. An entry whose
        frame is missing or holds other content gets an empty record (it does not decode)."""
        if self._pack_read or not self._loaded:
            return
        listed, self.entries, self._frames = self.entries, {}, 0
        self._load_pack()
        for path, entry in listed.items():
            if entry.payload is not None:  # added in this run: its frame is not written yet
                self.entries[path] = entry
                continue
            framed = self.entries.get(path)
            if framed is not None and framed.key == entry.key:
                entry.payload = framed.payload
                entry.size, entry.mtime_ns = framed.size, framed.mtime_ns
                entry.checked_ns = framed.checked_ns
                self.entries[path] = entry  # the caller may hold this very entry
            else:
                entry.payload = b""
                self._index_stale = True

    def _load_pack(self) -> None:
        """Read the pack frame by frame: each record is its own bytes from the start (a read
        of the whole pack, copied out record by record, would hold the pack twice)."""
        self._pack_read = True
        try:
            fh = os.fdopen(_open_regular(self._pack, os.O_RDONLY), "rb")
        except OSError:
            return
        try:
            with fh:
                if fh.read(len(_MAGIC)) != _MAGIC:
                    self._rewrite = True
                    return
                for entry in iter(lambda: self._read_frame(fh), None):
                    if entry is _DAMAGED:  # damaged or truncated: drop the rest, rewrite
                        self._rewrite = True
                        break
                    self._frames += 1
                    self.entries[entry.path] = entry
        except OSError:
            self._rewrite = True
        if self._dead():
            self._rewrite = True

    def _read_frame(self, fh: BinaryIO) -> Entry | None:
        """The next frame of ``fh`` with its record copied out; None at the end of the
        file, :data:`_DAMAGED` for a damaged or truncated frame."""
        prefix = fh.read(_LEN.size)
        if not prefix:
            return None
        (length,) = _LEN.unpack(prefix) if len(prefix) == _LEN.size else (0,)
        frame = fh.read(length + _MAC) if _LEN.size <= length < _MAX_FILE else b""
        if len(frame) != length + _MAC:
            return _DAMAGED
        entry = self._entry(memoryview(frame)[:length], frame[length:])
        if entry is None:
            return _DAMAGED
        entry.payload = bytes(entry.payload)
        return entry

    def _dead(self) -> bool:
        """Whether more than a third of the pack's frames are dead."""
        return self._frames > 64 and len(self.entries) * 3 < self._frames * 2

    def _parse_frame(self, view: memoryview, pos: int) -> tuple[Entry | None, int]:
        """The frame at ``pos`` and where the next one starts; None if it is damaged."""
        if pos + _LEN.size > len(view):
            return None, pos
        (length,) = _LEN.unpack_from(view, pos)
        start, end = pos + _LEN.size, pos + _LEN.size + length
        if length < _LEN.size or end + _MAC > len(view):
            return None, pos
        entry = self._entry(view[start:end], view[end : end + _MAC])
        return (None, pos) if entry is None else (entry, end + _MAC)

    def _entry(self, body: memoryview, mac: bytes | memoryview) -> Entry | None:
        """The entry a frame's body holds (its payload a view of ``body``); None if the
        checksum ``mac`` does not verify or the head does not decode."""
        if self._mac(body) != mac:
            return None
        if len(body) < _LEN.size:
            return None
        (head_len,) = _LEN.unpack_from(body, 0)
        try:
            head = _frame_decoder.decode(body[_LEN.size : _LEN.size + head_len])
            path, size, mtime_ns, checked_ns, key = head
        except (msgspec.DecodeError, TypeError, ValueError):
            return None
        if not (isinstance(path, str) and isinstance(key, str)):
            return None
        return Entry(path, size, mtime_ns, checked_ns, key, body[_LEN.size + head_len :])

    def _mac(self, body: bytes | memoryview) -> bytes:
        if not self._secret:  # the salt and the identity of this very folder (see _bind)
            self._bind()
        return hashlib.blake2b(body, digest_size=_MAC, key=self._secret).digest()

    def _bind(self) -> None:
        """Key the checksums to the salt and to the cache folder's device and inode: a cache
        folder that comes from elsewhere (shipped in a repository, copied from another
        checkout) was made under another inode, so none of its frames verify."""
        try:
            st = os.lstat(self._folder)
            where = f"{st.st_dev}:{st.st_ino}".encode()
        except OSError:
            where = b"-"
        self._secret = hashlib.blake2b(self._salt + where, digest_size=32).digest()

    def lookup(self, path: str, st: os.stat_result) -> Entry | None:
        """The entry of ``path`` if its size and mtime vouch for it without reading the file."""
        entry = self.entries.get(path)
        if (
            entry is not None
            and entry.size == st.st_size
            and entry.mtime_ns == st.st_mtime_ns
            and entry.mtime_ns < entry.checked_ns - _RACY_NS
        ):
            return entry
        return None

    def lookup_content(self, path: str, key: str, st: os.stat_result) -> Entry | None:
        """The entry of ``path`` if it holds this content; its stat is refreshed."""
        entry = self.entries.get(path)
        if entry is None or entry.key != key:
            return None
        if (entry.size, entry.mtime_ns) != (st.st_size, st.st_mtime_ns) or (
            entry.mtime_ns >= entry.checked_ns - _RACY_NS
        ):
            if entry.payload is None:  # its frame is written again: read it first
                self._payloads()
                if not entry.payload:
                    return None
            self.add(path, st.st_size, st.st_mtime_ns, key, entry.payload)
        return self.entries[path]

    def record(self, entry: Entry) -> Any:
        """The decoded record of an entry (its facts still encoded: :class:`prlint.codec.Deferred`),
        or None if it does not decode."""
        decoding = codec.Decoding(self.allowed, self._strings)
        try:
            return self._decoded(entry, decoding)
        finally:
            decoding.close()

    def _decoded(self, entry: Entry, decoding: codec.Decoding) -> Any:
        if entry.payload is None:
            self._payloads()
        try:
            return decoding.decode(entry.payload or b"")
        except codec.CodecError:
            return None

    def records(
        self,
        entries: list[Entry],
        digests: dict[str, bytes] | None = None,
    ) -> Iterator[Any]:
        """The decoded records of ``entries`` (None for one that does not decode), in order;
        ``digests`` gets, by entry path, each encoded record's :func:`record_digest` it does
        not hold yet. What the pack needs written is written first; then each encoded record
        (a copy of its frame's: the pack's buffer is not held) is let go as soon as it is
        decoded."""
        if any(e.payload is None for e in entries):
            self._payloads()
        self.save()
        decoding = codec.Decoding(self.allowed, self._strings)  # types once
        try:
            for n, entry in enumerate(entries, 1):
                if digests is not None and entry.path not in digests:
                    digests[entry.path] = record_digest(entry.payload or b"")
                yield self._decoded(entry, decoding)
                entry.payload = b""
                if n % heap.EVERY == 0:
                    heap.give_back_memory()  # the bytes of the records decoded so far
        finally:
            decoding.close()

    # -- writing ---------------------------------------------------------------------------
    def add(
        self, path: str, size: int, mtime_ns: int, key: str, payload: bytes | memoryview
    ) -> None:
        """Record a document's encoded record (written by :meth:`save`)."""
        entry = Entry(path, size, mtime_ns, time.time_ns(), key, payload)
        self.entries[path] = entry
        self._new.append(entry)
        if len(self._new) >= _BATCH and not self._hold:
            self.save()

    def forget(self, path: str) -> None:
        """Drop a document's entry (its record would not decode); the frame written for it
        next supersedes the bad one."""
        self.entries.pop(path, None)

    def save(self) -> None:
        """Append the new frames, or rewrite the pack when it needs it; then the index."""
        if not (self._new or self._rewrite):
            if self._index_stale and self._prepare():
                self._write_index(self.entries.values())
            return
        if not self._prepare():
            return
        if self._new and self._hold and not self._pack_read and self._dead():
            self._payloads()  # compacting the pack needs every live record
            self._rewrite = self._rewrite or self._dead()
        try:
            if self._rewrite or self._frames == 0:
                live = [e for e in self.entries.values() if e.payload and _exists(e.path)]
                live.sort(key=_by_path)
                _write_atomic(self._pack, _MAGIC + b"".join(map(self._frame, live)))
                self._frames = len(live)
                self.entries = {e.path: e for e in live}
                self._write_index(live)
                self._prune()
            else:
                _append_nofollow(self._pack, b"".join(map(self._frame, self._new)))
                self._frames += len(self._new)
                self._write_index(self.entries.values())
        except OSError:
            pass  # a read-only tree still lints, just without a cache
        self._rewrite = False
        if not self._hold:
            for entry in self._new:
                entry.payload = b""
        self._new.clear()

    def release(self) -> None:
        """Write what is pending, then keep no encoded record in memory: the caller has
        decoded what it needs, and records added from now on are written in batches."""
        self.save()
        self._hold = False
        self._strings.clear()
        for entry in self.entries.values():
            entry.payload = b""

    def _write_index(self, entries: Iterable[Entry]) -> None:
        """List the pack's live frames, keyed to the pack as it is now on disk."""
        identity = _identity(self._pack)
        if identity is None:
            return
        rows = sorted((e.path, e.size, e.mtime_ns, e.checked_ns, e.key) for e in entries)
        body = _frame_encoder.encode([self._frames, rows])
        with contextlib.suppress(OSError):
            _write_atomic(self._index, _MAGIC + self._frame(Entry("", 0, 0, 0, identity, body)))
            self._index_stale = False

    def _frame(self, e: Entry) -> bytes:
        head = _frame_encoder.encode([e.path, e.size, e.mtime_ns, e.checked_ns, e.key])
        body = b"".join((_LEN.pack(len(head)), head, e.payload or b""))
        return b"".join((_LEN.pack(len(body)), body, self._mac(body)))

    # -- the corpus phase's outcome --------------------------------------------------------
    def load_report(self, corpus_key: str) -> Any:
        """The outcome stored for ``corpus_key`` (every document, config and code alike)."""
        for entry in self._reports():
            if entry.key == corpus_key:
                return self.record(entry)
        return None

    def _reports(self) -> list[Entry]:
        """The outcomes stored, newest first (up to the first damaged one)."""
        if not self._check_dirs():
            return []
        data = _read_nofollow(self._report)
        if data is None or not data.startswith(_MAGIC):
            return []
        view, pos, found = memoryview(data), len(_MAGIC), []
        while pos < len(data):
            entry, pos = self._parse_frame(view, pos)
            if entry is None:
                break
            found.append(entry)
        return found

    def store_report(self, corpus_key: str, outcome: Any) -> None:
        """Keep the corpus phase's outcome for a run over the same documents, with the last
        few of other runs (a whole corpus and the files a commit changes take turns)."""
        try:
            payload = codec.encode(outcome)
        except codec.CodecError:
            return
        if not self._prepare():
            return
        kept = [e for e in self._reports() if e.key != corpus_key][: _KEEP_REPORTS - 1]
        entries = [Entry("", 0, 0, 0, corpus_key, payload), *kept]
        with contextlib.suppress(OSError):
            _write_atomic(self._report, _MAGIC + b"".join(map(self._frame, entries)))

    # -- every finding of the last corpus phase (see prlint.reuse) -------------------------
    def load_judged(self) -> bytes | None:
        """The encoded findings the last corpus phase stored, if their frame verifies."""
        return self._load_single(self._judged)

    def store_judged(self, payload: bytes) -> None:
        """Replace the stored findings of the last corpus phase."""
        self._store_single(self._judged, payload)

    def _load_single(self, path: Path) -> bytes | None:
        """The payload of the one frame of the file ``path``, if it verifies."""
        if not self._check_dirs():
            return None
        data = _read_nofollow(path)
        if data is None or not data.startswith(_MAGIC):
            return None
        entry, _ = self._parse_frame(memoryview(data), len(_MAGIC))
        return bytes(entry.payload) if entry is not None and entry.payload is not None else None

    def _store_single(self, path: Path, payload: bytes) -> None:
        """Replace the file ``path`` with one frame holding ``payload``."""
        if not self._prepare():
            return
        with contextlib.suppress(OSError):
            frame = self._frame(Entry("", 0, 0, 0, "", payload))
            _write_atomic(path, _MAGIC + frame)

    # -- the folder ------------------------------------------------------------------------
    @property
    def _folder(self) -> Path:
        return self.directory / "v2"

    @property
    def _pack(self) -> Path:
        return self._folder / f"{self.name}.pack"

    @property
    def _report(self) -> Path:
        return self._folder / f"{self.name}.report"

    @property
    def _judged(self) -> Path:
        return self._folder / f"{self.name}.judged"

    @property
    def _index(self) -> Path:
        return self._folder / f"{self.name}.index"

    def _check_dirs(self) -> bool:
        """Whether the cache folders are real folders (or absent), never symbolic links."""
        for d in (self.directory, self._folder):
            if d.is_symlink() or (d.exists() and not d.is_dir()):
                return False
        return True

    def _prepare(self) -> bool:
        """Create the cache folders (never through a symbolic link); False if impossible."""
        if self._safe:
            return True
        if not self._check_dirs():
            return False
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            if not self._folder.exists():
                self._folder.mkdir()
                self._secret = b""  # a new folder: a new identity (frames are written later)
            if not self._check_dirs():  # raced with a link
                return False
            gitignore = self.directory / ".gitignore"
            if not gitignore.exists():
                _write_atomic(gitignore, b"# Created by prlint.\n*\n")
                _write_atomic(
                    self.directory / "CACHEDIR.TAG",
                    ("Signature: 8a477f597d28d172789f06886806bc55\n# " + _README).encode(),
                )
        except OSError:
            return False
        self._safe = True
        return True

    def _prune(self) -> None:
        """Remove the packs of other salts but the few most recently used."""
        others = [p for p in self._folder.glob("*.pack") if p.name != self._pack.name]
        others.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        for old in others[_KEEP_PACKS:]:
            with contextlib.suppress(OSError):
                old.unlink()
            for suffix in (".report", ".index", ".judged"):
                with contextlib.suppress(OSError):
                    old.with_suffix(suffix).unlink()


# -- single files: the English table, discovery's plans ---------------------------------
_KEEP_TABLES = 3  # tables kept: the one in use and those of a few other wordfreq installs
_KEEP_FOUND = 8  # plans kept: one per set of folders given, config and working folder


def load_table(directory: Path, name: str) -> bytes | None:
    """The table kept under ``name`` in the cache folder ``directory`` (see
    :mod:`prlint.english`), if its frame verifies."""
    return _load_named(directory, name, ".table")


def store_table(directory: Path, name: str, payload: bytes) -> None:
    """Keep ``payload`` as the table called ``name`` in the cache folder ``directory``, and
    the few tables written last before it (of other versions of their source) only."""
    _store_named(directory, name, ".table", payload, _KEEP_TABLES)


def load_found(directory: Path, key: str) -> bytes | None:
    """The plan of :func:`prlint.discovery.discover` kept for ``key``, if its frame
    verifies."""
    return _load_named(directory, key, ".found")


def store_found(directory: Path, key: str, payload: bytes) -> None:
    """Keep ``payload`` as the plan for ``key``, and the few plans written last before it."""
    _store_named(directory, key, ".found", payload, _KEEP_FOUND)


def _load_named(directory: Path, name: str, suffix: str) -> bytes | None:
    holder = Cache(directory, name, ())
    return holder._load_single(holder._folder / f"{holder.name}{suffix}")


def _store_named(directory: Path, name: str, suffix: str, payload: bytes, keep: int) -> None:
    """Write the one frame file of ``name``, keeping only the ``keep`` newest of its kind."""
    holder = Cache(directory, name, ())
    holder._store_single(holder._folder / f"{holder.name}{suffix}", payload)
    with contextlib.suppress(OSError):
        kept = sorted(
            holder._folder.glob(f"*{suffix}"), key=lambda p: p.stat().st_mtime_ns, reverse=True
        )
        for old in kept[keep:]:
            old.unlink()


# -- the start-up record ---------------------------------------------------------------------
#: what a run needs before any document, kept for the few last configs: the salt, the modules
#: records may hold and the check names, keyed by prlint's version, the config and the
#: registered checks, and valid while the files the salt hashed keep their stat
_START = "start"
_KEEP_STARTS = 8


def _stamp(path: str) -> list[int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def _start_secret(folder: Path) -> bytes:
    try:
        st = os.lstat(folder)
        where = f"{st.st_dev}:{st.st_ino}".encode()
    except OSError:
        where = b"-"
    return hashlib.blake2b(b"prlint-start\0" + where, digest_size=32).digest()


def _start_records(directory: Path) -> list[list[Any]]:
    """The start-up records in the folder (up to the first damaged one), newest first."""
    holder = Cache(directory, _START, ())
    if not holder._check_dirs():
        return []
    folder = holder._folder
    data = _read_nofollow(folder / _START)
    if data is None or not data.startswith(_MAGIC):
        return []
    secret, view, pos, found = _start_secret(folder), memoryview(data), len(_MAGIC), []
    while pos + _LEN.size <= len(view):
        (length,) = _LEN.unpack_from(view, pos)
        start, end = pos + _LEN.size, pos + _LEN.size + length
        if end + _MAC > len(view):
            break
        body = view[start:end]
        if hashlib.blake2b(body, digest_size=_MAC, key=secret).digest() != view[end : end + _MAC]:
            break
        try:
            record = _frame_decoder.decode(body)
        except msgspec.DecodeError:
            break
        if not (isinstance(record, list) and len(record) == 5):
            break
        found.append(record)
        pos = end + _MAC
    return found


def load_start(
    directory: Path, key: str, permitted: Iterable[str]
) -> tuple[str, list[str], list[str]] | None:
    """The salt, the modules records may hold and the check names recorded for ``key``, if
    every file the salt hashed has the stat it had; None otherwise. Modules outside
    ``permitted`` make the record void (a record cannot widen what the codec builds)."""
    allowed_set = set(permitted)
    for record_key, files, salt, allowed, names in _start_records(directory):
        if record_key != key:
            continue
        try:
            fresh = all(_stamp(path) == list(stamp) for path, stamp in files)
        except (TypeError, ValueError):
            return None
        valid = (
            fresh
            and isinstance(salt, str)
            and isinstance(allowed, list)
            and all(isinstance(m, str) and m in allowed_set for m in allowed)
            and isinstance(names, list)
            and all(isinstance(n, str) for n in names)
        )
        return (salt, allowed, names) if valid else None
    return None


def store_start(
    directory: Path,
    key: str,
    files: Iterable[str],
    salt: str,
    allowed: list[str],
    names: list[str],
) -> None:
    """Record what :func:`load_start` returns for ``key``; nothing if a file is too recent
    to vouch for its content by its stat (it may change again within the same tick)."""
    now = time.time_ns()
    stamps = []
    for path in sorted(set(files)):
        stamp = _stamp(path)
        if stamp is None or stamp[1] >= now - _RACY_NS:
            return
        stamps.append([path, stamp])
    holder = Cache(directory, _START, ())
    if not holder._prepare():
        return
    kept = [r for r in _start_records(directory) if r[0] != key][: _KEEP_STARTS - 1]
    secret = _start_secret(holder._folder)
    frames = []
    for record in [[key, stamps, salt, allowed, names], *kept]:
        body = _frame_encoder.encode(record)
        mac = hashlib.blake2b(body, digest_size=_MAC, key=secret).digest()
        frames.append(b"".join((_LEN.pack(len(body)), body, mac)))
    with contextlib.suppress(OSError):
        _write_atomic(holder._folder / _START, _MAGIC + b"".join(frames))


def _identity(path: Path) -> str | None:
    """What tells one pack file from another (a rewrite is a new inode, an append a new
    size and mtime); None if it is missing or no regular file."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"


def _exists(name: str) -> bool:
    """Whether the file an entry is named after still exists (``display\0absolute path``)."""
    return os.path.exists(name.rpartition("\0")[2])


def _by_path(e: Entry) -> str:
    return e.path


def _open_regular(path: Path, flags: int) -> int:
    """A descriptor of ``path`` if it is a regular file: never through a link, and never
    blocking on a FIFO or device planted under the cache's names."""
    fd = os.open(path, flags | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode) or st.st_size > _MAX_FILE:
        os.close(fd)
        raise OSError(f"{path}: not a regular file of a sane size")
    return fd


def _read_nofollow(path: Path) -> bytes | None:
    try:
        fd = _open_regular(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as fh:
            return fh.read()
    except OSError:
        return None


def _append_nofollow(path: Path, data: bytes) -> None:
    fd = _open_regular(path, os.O_WRONLY | os.O_APPEND)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def _write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a fresh temporary file (never through a link)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(tmp, flags, 0o644)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
