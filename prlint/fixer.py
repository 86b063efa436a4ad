"""``--fix`` and ``--diff``: apply the fixes findings carry, atomically, in the file's encoding.

Edits of one file are sorted and applied in one pass; an edit that overlaps an earlier one is
left for the next round. A fix is applied only if the file still holds the text the finding
matched, and never edits part of a protected token (a URL, an e-mail address, a handle, a
``$symbol``, a hashtag, a code span, markup: it may not begin or end inside one) unless its
check fixes such tokens. Files are
written through a temporary file that is read back and compared before it replaces the file
(nothing is written if it differs), keeping the encoding (and BOM) and line endings they were
read with. A file reached through a link that leaves the linted folders is not written.
"""

from __future__ import annotations

import bisect
import codecs
import difflib
import os
import signal
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

import regex

from prlint.api import Diagnostic, Fix
from prlint.lazyregex import lazy
from prlint.readers import ReadError, decode, detect_newline, encode

_LINE = lazy(r"[^\r\n]*+(?:\r\n|\r|\n)|[^\r\n]++$")
_NEWLINES = lazy(r"\r\n|\r|\n")
TMP_SUFFIX = ".prlint-tmp"

# Tokens that are not prose: a fix never edits part of one. Each repeat is possessive and
# starts where its token can start, so the scan is linear.
_PROTECTED = lazy(
    r"""
    (?:\b[A-Za-z][A-Za-z0-9+.\-]{1,15}+://|\bwww\.)[^\s<>"'`\p{Cf}]++  # URL
  | (?<![\w.\-])(?:[A-Za-z0-9\-]++\.)++[A-Za-z]{2,}+/[^\s<>"'`\p{Cf}]*+  # host/path
  | (?<![\w.+\-])[\w.+\-]++@[\w\-]++(?:\.[\w\-]++)++               # e-mail address
  | (?<![\w@])@\w++                                                 # @handle
  | (?<![\w$])\$[A-Za-z][\w.]*+                                     # $symbol
  | (?<![\w#&])\#(?=\w*[A-Za-z])\w++                                # hashtag
  | (?<![\w.\-])(?:[A-Za-z0-9\-]++\.)++(?:com|net|org|io|co|gov|edu|biz|info|ai|us|uk|ca
       |de|fr|ch|cn|jp|au|in|eu)\b                                  # bare domain
  | (?<!\w)(?=\w*[^\W_]_++[^\W_])\w++                                # identifier
  | ^[ \t]{0,3}(```|~~~)[^\n]*+\n(?:.*?\n)??[ \t]{0,3}\1[^\n]*+$    # fenced code block
  | (?<!`)(`++)(?!`).+?(?<!`)\2(?!`)                                # code span
  | <[A-Za-z/!?][^<>]*+>                                            # markup
    """,
    regex.VERBOSE | regex.MULTILINE | regex.DOTALL,
)


@dataclass
class FixOutcome:
    """What a fix run changed (or, with ``write=False``, would change)."""

    applied: int = 0  # findings fixed
    files: list[str] = field(default_factory=list)
    fixed: set[Diagnostic] = field(default_factory=set)
    diff: str = ""
    errors: list[str] = field(default_factory=list)
    refused: int = 0  # fixes not applied: inside a protected token, or the text changed


def protected_spans(source: str) -> list[tuple[int, int]]:
    """The spans of ``source`` that no prose fix may edit part of (sorted, may nest)."""
    return [m.span() for m in _PROTECTED.finditer(source)]


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


class _Terminated(Exception):
    """SIGTERM while writing: unwind so that no temporary file is left behind."""


@contextmanager
def _unwind_on_sigterm() -> Iterator[None]:
    def handler(signum: int, frame: FrameType | None) -> None:
        raise _Terminated()

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread: nothing to install
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def write_atomic(path: Path, data: bytes, expected: str | None = None) -> None:
    """Replace ``path`` with ``data`` through a temporary file in the same folder.

    A symlink is followed (its target is replaced, the link kept); the file's mode is kept.
    With ``expected``, the temporary file is read back and decoded first: if it does not hold
    that text, ``OSError`` is raised and the file is left as it was. Temporary files of an
    earlier run that was killed are removed.
    """
    path = Path(os.path.realpath(path))
    for stale in path.parent.glob(f".{glob_escape(path.name)}.*{TMP_SUFFIX}"):
        with suppress(OSError):
            stale.unlink()
    mode = path.stat().st_mode & 0o7777 if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TMP_SUFFIX)
    try:
        with _unwind_on_sigterm():
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            if expected is not None:
                try:
                    back, _ = decode(Path(tmp).read_bytes())
                except ReadError:
                    back = None
                if back != expected:
                    raise OSError("the written file did not read back as expected; not changed")
            os.chmod(tmp, mode)
            os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def glob_escape(name: str) -> str:
    """``name`` with glob metacharacters taken literally."""
    return regex.sub(r"([*?\[])", r"[\1]", name)


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


def apply_fixes(
    diagnostics: Iterable[Diagnostic],
    *,
    write: bool,
    unsafe: bool = False,
    roots: Sequence[str | Path] = (),
) -> FixOutcome:
    """Fix every file that has findings with fixes; ``write=False`` only computes the diff.

    Only safe fixes unless ``unsafe``. With ``roots`` (the folders and files linted), a file
    whose real path lies outside all of them (reached through a link) is not written.
    """
    by_path: dict[str, list[Diagnostic]] = defaultdict(list)
    for d in diagnostics:
        if d.fix is not None and (d.fix.safe or unsafe):
            by_path[d.path].append(d)
    real_roots = [os.path.realpath(r) for r in roots]
    out = FixOutcome()
    for path in sorted(by_path):
        file = Path(path)
        if real_roots and not _inside(os.path.realpath(file), real_roots):
            out.errors.append(
                f"{path}: not fixed: a link to {os.path.realpath(file)}, outside the linted files"
            )
            continue
        try:
            data = file.read_bytes()
            source, encoding = decode(data)
        except (OSError, ReadError) as exc:
            why = exc.strerror if isinstance(exc, OSError) else str(exc)
            out.errors.append(f"{path}: cannot fix: {why}")
            continue
        newline = detect_newline(source)
        guard = _Guard(protected_spans(source))
        pairs = []
        for d in by_path[path]:
            assert d.fix is not None
            if _still_matches(source, d) and (d.fix.in_tokens or not guard.cuts(d.fix)):
                pairs.append((_with_newline(d.fix, newline), d))
            else:
                out.refused += 1
        new, applied = apply_edits(source, [fx for fx, _ in pairs])
        if not applied:
            continue
        if write:
            try:
                write_atomic(file, _encode_like(data, new, encoding), expected=new)
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


def apply_in_memory(
    name: str, source: str, diagnostics: Iterable[Diagnostic], *, unsafe: bool = False
) -> str:
    """The unified diff the fixes of ``diagnostics`` make to ``source`` (a text not on disk)."""
    guard = _Guard(protected_spans(source))
    fixes = [
        d.fix
        for d in diagnostics
        if d.path == name
        and d.fix is not None
        and (d.fix.safe or unsafe)
        and _still_matches(source, d)
        and (d.fix.in_tokens or not guard.cuts(d.fix))
    ]
    new, _ = apply_edits(source, [_with_newline(f, detect_newline(source)) for f in fixes])
    return unified_diff(name, source, new)


def _inside(real: str, roots: Sequence[str]) -> bool:
    return any(real == r or real.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


class _Guard:
    """Tells whether a fix would edit part of a protected span (spans may nest)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]
        self.reach: list[int] = []
        for _, e in self.spans:
            self.reach.append(max(e, self.reach[-1]) if self.reach else e)

    def cuts(self, fx: Fix) -> bool:
        """Whether a fix begins or ends inside a protected span (it may replace whole ones,
        as a paragraph join replaces ``</p><p>``, but never edit part of one)."""
        return self._inside(fx.start) or self._inside(fx.end)

    def _inside(self, offset: int) -> bool:
        i = bisect.bisect_left(self.starts, offset) - 1  # the spans that start before it
        return i >= 0 and self.reach[i] > offset


def _still_matches(source: str, d: Diagnostic) -> bool:
    """Whether the fix's span still holds the text the finding matched."""
    assert d.fix is not None
    if not (0 <= d.fix.start <= d.fix.end <= len(source)):
        return False
    if not d.matched:
        return d.fix.start == d.fix.end  # an insertion: nothing to compare
    return source[d.fix.start : d.fix.end] == d.matched


def _with_newline(fx: Fix, newline: str) -> Fix:
    """The fix with line breaks in its replacement written as the file writes them."""
    if not _NEWLINES.search(fx.replacement):
        return fx
    return Fix(_NEWLINES.sub(newline, fx.replacement), fx.start, fx.end, fx.safe, fx.in_tokens)


def _encode_like(original: bytes, text: str, encoding: str) -> bytes:
    """Encode ``text`` as ``original`` was: same codec, same BOM and byte order."""
    if encoding == "utf-16" and original.startswith(codecs.BOM_UTF16_BE):
        return codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    return encode(text, encoding)
