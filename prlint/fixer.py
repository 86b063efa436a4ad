"""``--fix`` and ``--diff``: apply the fixes findings carry, atomically, in the file's encoding.

Edits of one file are sorted and applied in one pass; an edit that overlaps an earlier one is
left for the next run. A fix is applied only if the file still holds the text the finding
matched (a file edited since the lint run is not corrupted). Files are written through a
temporary file and a rename, keeping the encoding (and BOM) and line endings they were read
with, so nothing is lost if a run dies.
"""

from __future__ import annotations

import codecs
import difflib
import os
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import regex

from prlint.api import Diagnostic, Fix
from prlint.readers import ReadError, decode, detect_newline, encode

_LINE = regex.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_NEWLINES = regex.compile(r"\r\n|\r|\n")


@dataclass
class FixOutcome:
    """What a fix run changed (or, with ``write=False``, would change)."""

    applied: int = 0  # findings fixed
    files: list[str] = field(default_factory=list)
    fixed: set[Diagnostic] = field(default_factory=set)
    diff: str = ""
    errors: list[str] = field(default_factory=list)


def apply_edits(source: str, fixes: Sequence[Fix]) -> tuple[str, list[Fix]]:
    """Apply non-overlapping fixes to ``source`` in one pass; returns (new text, applied).

    Fixes are taken in (start, end) order; one that overlaps an applied one, is out of range
    or changes nothing is skipped. Two insertions at one point: only the first is applied.
    """
    applied: list[Fix] = []
    last_end = 0
    for fx in sorted(set(fixes), key=lambda f: (f.start, f.end, f.replacement)):
        if not (last_end <= fx.start <= fx.end <= len(source)):
            continue
        if fx.start == fx.end and applied and applied[-1].start == applied[-1].end == fx.start:
            continue  # a second insertion at the same point
        if source[fx.start : fx.end] == fx.replacement:
            continue
        applied.append(fx)
        last_end = fx.end
    parts: list[str] = []
    pos = 0
    for fx in applied:
        parts.append(source[pos : fx.start])
        parts.append(fx.replacement)
        pos = fx.end
    parts.append(source[pos:])
    return "".join(parts), applied


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` through a temporary file in the same folder.

    A symlink is followed (its target is replaced, the link kept); the file's mode is kept.
    """
    path = Path(os.path.realpath(path))
    mode = path.stat().st_mode & 0o7777 if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".prlint-tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def unified_diff(path: str, old: str, new: str) -> str:
    """A unified diff of two versions of ``path``; lines split on CR, LF and CRLF only."""
    out = []
    for line in difflib.unified_diff(
        _LINE.findall(old), _LINE.findall(new), fromfile=f"a/{path}", tofile=f"b/{path}"
    ):
        if line.endswith(("\n", "\r")):
            out.append(line)
        else:
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)


def apply_fixes(diagnostics: Iterable[Diagnostic], *, write: bool) -> FixOutcome:
    """Fix every file that has findings with fixes; ``write=False`` only computes the diff."""
    by_path: dict[str, list[Diagnostic]] = defaultdict(list)
    for d in diagnostics:
        if d.fix is not None:
            by_path[d.path].append(d)
    out = FixOutcome()
    for path in sorted(by_path):
        file = Path(path)
        try:
            data = file.read_bytes()
            source, encoding = decode(data)
        except (OSError, ReadError) as exc:
            why = exc.strerror if isinstance(exc, OSError) else str(exc)
            out.errors.append(f"{path}: cannot fix: {why}")
            continue
        newline = detect_newline(source)
        pairs = [
            (_with_newline(d.fix, newline), d)
            for d in by_path[path]
            if d.fix is not None and _still_matches(source, d)
        ]
        new, applied = apply_edits(source, [fx for fx, _ in pairs])
        if not applied:
            continue
        if write:
            try:
                write_atomic(file, _encode_like(data, new, encoding))
            except OSError as exc:
                out.errors.append(f"{path}: cannot fix: {exc.strerror or exc}")
                continue
            except UnicodeEncodeError as exc:
                bad = exc.object[exc.start : exc.end]
                out.errors.append(f"{path}: cannot fix: {bad!r} cannot be written in {encoding}")
                continue
        done = set(applied)
        fixed = {d for fx, d in pairs if fx in done}
        out.fixed |= fixed
        out.applied += len(fixed)
        out.files.append(path)
        out.diff += unified_diff(path, source, new)
    return out


def _still_matches(source: str, d: Diagnostic) -> bool:
    """Whether the fix's span still holds the text the finding matched."""
    assert d.fix is not None
    if not d.matched or len(d.matched) != d.fix.end - d.fix.start:
        return True  # the fix does not replace the matched span: nothing to compare
    return source[d.fix.start : d.fix.end] == d.matched


def _with_newline(fx: Fix, newline: str) -> Fix:
    """The fix with line breaks in its replacement written as the file writes them."""
    if not _NEWLINES.search(fx.replacement):
        return fx
    return Fix(_NEWLINES.sub(newline, fx.replacement), fx.start, fx.end)


def _encode_like(original: bytes, text: str, encoding: str) -> bytes:
    """Encode ``text`` as ``original`` was: same codec, same BOM and byte order."""
    if encoding == "utf-16" and original.startswith(codecs.BOM_UTF16_BE):
        return codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    return encode(text, encoding)
