"""Baselines: record today's findings, hide them later.

A fingerprint is the check, the path (relative to the baseline file's folder, so the baseline
works from any working directory) and the matched text with its whitespace collapsed (not
the line), so a finding keeps its fingerprint when lines move or line endings change; the same
text found twice counts twice. A finding that matched no text is fingerprinted by its message.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from prlint.api import Diagnostic

FORMAT = "prlint-baseline/1"


class BaselineError(Exception):
    """A baseline file that cannot be read."""


def fingerprint(d: Diagnostic, base_dir: Path | None = None) -> str:
    """A stable id of a finding that does not depend on its line or column."""
    path = d.path
    if base_dir is not None:
        path = os.path.relpath(os.path.abspath(d.path), base_dir).replace(os.sep, "/")
    blob = "\0".join((d.check, path, " ".join(d.matched.split()) or d.message))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:20]


class Baseline:
    """A multiset of fingerprints of accepted findings."""

    def __init__(self, counts: Counter[str] | None = None, base_dir: Path | None = None) -> None:
        self.counts: Counter[str] = counts or Counter()
        #: the folder paths are taken relative to (the baseline file's), None: as reported
        self.base_dir = base_dir
        self._diagnostics: list[Diagnostic] = []

    @classmethod
    def from_diagnostics(cls, diags: Iterable[Diagnostic]) -> Baseline:
        """A baseline of these findings (paths made relative to the file when saved)."""
        diags = list(diags)
        base = cls(Counter(fingerprint(d) for d in diags))
        base._diagnostics = diags
        return base

    @classmethod
    def load(cls, path: Path) -> Baseline:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise BaselineError(f"{path}: cannot read baseline: {exc.strerror or exc}") from None
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
            raise BaselineError(f"{path}: not a prlint baseline (invalid JSON)") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise BaselineError(f"{path}: not a prlint baseline (expected format {FORMAT})")
        fps = data.get("fingerprints")
        if not isinstance(fps, dict) or not all(_is_count(v) for v in fps.values()):
            raise BaselineError(f"{path}: malformed baseline (fingerprints must map to counts)")
        return cls(Counter(fps), path.resolve().parent)

    def save(self, path: Path) -> None:
        """Write the baseline as JSON (sorted, so it diffs well in version control)."""
        counts = self.counts
        if self._diagnostics:
            folder = path.resolve().parent
            counts = Counter(fingerprint(d, folder) for d in self._diagnostics)
        body = {"format": FORMAT, "fingerprints": dict(sorted(counts.items()))}
        try:
            path.write_text(json.dumps(body, indent=1) + "\n", encoding="utf-8")
        except OSError as exc:
            raise BaselineError(f"{path}: cannot write baseline: {exc.strerror or exc}") from None

    def filter(self, diags: Iterable[Diagnostic]) -> list[Diagnostic]:
        """The findings not in the baseline."""
        left = Counter(self.counts)
        out = []
        for d in diags:
            fp = fingerprint(d, self.base_dir)
            if left[fp] > 0:
                left[fp] -= 1
            else:
                out.append(d)
        return out


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0
