"""``--fix`` and ``--diff``: apply the fixes findings carry, atomically, in the file's encoding.

Edits of one file are sorted and applied in one pass; an edit that overlaps an earlier one is
left for the next run. Files are written through a temporary file and a rename, keeping the
encoding (and BOM) and line endings they were read with, so nothing is lost if a run dies.
"""

from __future__ import annotations

import difflib
import os
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from prlint.api import Diagnostic, Fix
from prlint.readers import ReadError, decode, encode


@dataclass
class FixOutcome:
    """What a fix run changed (or, with ``write=False``, would change)."""

    applied: int = 0
    files: list[str] = field(default_factory=list)
    fixed: list[Diagnostic] = field(default_factory=list)
    diff: str = ""
    errors: list[str] = field(default_factory=list)


def apply_edits(source: str, fixes: Sequence[Fix]) -> tuple[str, list[Fix]]:
    """Apply non-overlapping fixes to ``source`` in one pass; returns (new text, applied)."""
    applied: list[Fix] = []
    last_end = -1
    for fx in sorted(set(fixes), key=lambda f: (f.start, f.end, f.replacement)):
        if fx.start < last_end or fx.start > fx.end or fx.end > len(source):
            continue
        if source[fx.start : fx.end] == fx.replacement:
            continue
        applied.append(fx)
        last_end = max(fx.end, fx.start + (1 if fx.start == fx.end else 0))
    parts: list[str] = []
    pos = 0
    for fx in applied:
        parts.append(source[pos : fx.start])
        parts.append(fx.replacement)
        pos = fx.end
    parts.append(source[pos:])
    return "".join(parts), applied


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` through a temporary file in the same folder."""
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


def apply_fixes(diagnostics: Iterable[Diagnostic], *, write: bool) -> FixOutcome:
    """Fix every file that has findings with fixes; ``write=False`` only computes the diff."""
    by_path: dict[str, list[Diagnostic]] = defaultdict(list)
    for d in diagnostics:
        if d.fix is not None:
            by_path[d.path].append(d)
    out = FixOutcome()
    diffs: list[str] = []
    for path in sorted(by_path):
        file = Path(path)
        try:
            data = file.read_bytes()
            source, encoding = decode(data)
        except (OSError, ReadError) as exc:
            out.errors.append(f"{path}: cannot fix: {exc}")
            continue
        new, applied = apply_edits(source, [d.fix for d in by_path[path] if d.fix is not None])
        if not applied:
            continue
        done = set(applied)
        out.fixed.extend(d for d in by_path[path] if d.fix in done)
        out.applied += len(applied)
        out.files.append(path)
        diffs.append(
            "".join(
                difflib.unified_diff(
                    source.splitlines(keepends=True),
                    new.splitlines(keepends=True),
                    fromfile=f"a/{path}",
                    tofile=f"b/{path}",
                )
            )
        )
        if write:
            write_atomic(file, encode(new, encoding))
    out.diff = "".join(d if d.endswith("\n") else d + "\n" for d in diffs)
    return out
