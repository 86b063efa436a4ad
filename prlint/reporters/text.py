"""The text report: ``path:line:col: severity [check] message`` and a summary line.

Plain by default (byte-stable, for pipes, files and scripts). With ``color=True`` (the CLI asks
for it on a terminal unless ``NO_COLOR`` is set) it is rendered with rich: coloured, with the
source line under each finding, carets under the matched columns, and the related locations.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import regex
from rich.cells import get_character_cell_size
from rich.console import Console
from rich.text import Text

from prlint.api import Diagnostic, Severity
from prlint.engine import Result
from prlint.readers import ReadError, decode

STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "bold yellow", Severity.INFO: "bold blue"}
_LINE_BREAK = regex.compile(r"\r\n|\r|\n")


def render(result: Result, *, color: bool = False, width: int | None = None) -> str:
    """The report; ``color`` renders it for a terminal ``width`` columns wide."""
    if color:
        return _render_rich(result, width or shutil.get_terminal_size().columns)
    lines = [
        f"{d.path}:{d.line}:{d.column}: {d.severity.value} [{d.check}] {d.message}"
        for d in result.diagnostics
    ]
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"


def summary_line(result: Result) -> str:
    counts = result.summary()
    total = sum(counts.values())
    if not total:
        return f"No findings in {result.files_checked} file(s)."
    parts = ", ".join(
        f"{n} {sev}{'s' if n != 1 and sev != 'info' else ''}" for sev, n in counts.items() if n
    )
    return f"Found {total} finding(s) in {result.files_checked} file(s): {parts}."


# -- the terminal form ---------------------------------------------------------------------
def _render_rich(result: Result, width: int) -> str:
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=True,
        color_system="standard",
        width=max(width, 40),
        highlight=False,
        markup=False,
        emoji=False,
    )
    sources = _Sources()
    rows: list[Text] = []
    for d in result.diagnostics:
        rows.append(
            Text.assemble(
                (f"{d.path}:{d.line}:{d.column}:", "bold"),
                " ",
                (d.severity.value, STYLES[d.severity]),
                " ",
                (f"[{d.check}]", "cyan"),
                " ",
                _LINE_BREAK.sub("\n", d.message),
            )
        )
        line = sources.line(d.path, d.line)
        if line is not None:
            rows.extend(_excerpt(d, line, console.width))
        rows.extend(
            Text.assemble(
                ("  = related: ", "dim"), (f"{r.path}:{r.line}:{r.column}:", "bold"), " ", r.message
            )
            for r in d.related
        )
    rows.append(Text(summary_line(result), style="bold"))
    console.print(Text("\n").join(rows), soft_wrap=True)
    return buffer.getvalue()


_INVISIBLE = regex.compile(r"[\p{Cc}\p{Cf}]")


def _visible(text: str) -> str:
    """One display character per character: tabs become spaces, invisible ones a dot."""
    return _INVISIBLE.sub("·", text.replace("\t", " "))


def _excerpt(d: Diagnostic, source_line: str, width: int) -> list[Text]:
    """The source line (clipped to ``width`` around the finding) and a caret line."""
    shown = _visible(source_line)
    cells = [get_character_cell_size(c) for c in shown]
    start = min(d.column - 1, len(shown))
    end = d.end_column - 1 if d.end_line == d.line else len(shown)
    end = max(min(end, len(shown)), start)
    gutter = f"{d.line:>4} | "
    room = max(width - len(gutter) - 2, 20)
    lo = max(0, start - room // 3) if sum(cells) > room else 0
    hi, used = lo, 0
    while hi < len(shown) and used + cells[hi] <= room:
        used += cells[hi]
        hi += 1
    before = "…" if lo else ""
    after = "…" if hi < len(shown) else ""
    pad = len(before) + sum(cells[lo:start])
    carets = max(1, sum(cells[start : min(end, hi)]))
    margin = " " * (len(gutter) - 2) + "| "
    return [
        Text.assemble((gutter, "blue"), before, shown[lo:hi], after),
        Text.assemble((margin, "blue"), " " * pad, ("^" * carets, STYLES[d.severity])),
    ]


class _Sources:
    """Lines of the files findings point at, read once each (CR, LF and CRLF end lines)."""

    def __init__(self) -> None:
        self._lines: dict[str, list[str] | None] = {}

    def line(self, path: str, number: int) -> str | None:
        if path not in self._lines:
            try:
                text, _ = decode(Path(path).read_bytes())
                self._lines[path] = _LINE_BREAK.split(text)
            except (OSError, ReadError):
                self._lines[path] = None
        lines = self._lines[path]
        return lines[number - 1] if lines is not None and 0 < number <= len(lines) else None
