"""The text report: ``path:line:col: severity [check] message`` and a summary line.

Plain by default (byte-stable, for pipes, files and scripts). With ``color=True`` (the CLI asks
for it on a terminal unless ``NO_COLOR`` is set) it is rendered with rich: coloured, with the
source line under each finding, carets under the matched columns, and the related locations;
``source=True`` shows the same excerpts without colour. Source lines come from the result.
Paths and messages are escaped: a control character or line break never reaches the output.
"""

from __future__ import annotations

import io
import shutil

import regex
from rich.cells import get_character_cell_size
from rich.console import Console
from rich.text import Text

from prlint.api import Diagnostic, Severity
from prlint.reporters.escape import printable
from prlint.result import Result

STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "bold yellow", Severity.INFO: "bold blue"}


def render(
    result: Result, *, color: bool = False, source: bool = False, width: int | None = None
) -> str:
    """The report; ``color`` renders it for a terminal ``width`` columns wide, ``source``
    (implied by ``color``) shows the source line of each finding."""
    if color or source:
        return _render_rich(result, width or shutil.get_terminal_size().columns, color=color)
    lines = [
        f"{printable(d.path)}:{d.line}:{d.column}: {d.severity.value} [{d.check}] "
        f"{printable(d.message)}"
        for d in result.diagnostics
    ]
    lines.append(summary_line(result))
    fixable = fixable_line(result)
    if fixable:
        lines.append(fixable)
    return "\n".join(lines) + "\n"


def fixable_line(result: Result) -> str:
    """How many findings ``--fix`` (and ``--unsafe-fixes``) would fix; empty when none."""
    safe, unsafe = result.fixable()
    if not safe and not unsafe:
        return ""
    if not unsafe:
        return f"{safe} fixable with --fix."
    if not safe:
        return f"{unsafe} fixable with --fix --unsafe-fixes."
    return f"{safe} fixable with --fix ({unsafe} more with --unsafe-fixes)."


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
def _render_rich(result: Result, width: int, *, color: bool = True) -> str:
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        width=max(width, 40),
        highlight=False,
        markup=False,
        emoji=False,
    )
    rows: list[Text] = []
    for d in result.diagnostics:
        rows.append(
            Text.assemble(
                (f"{printable(d.path)}:{d.line}:{d.column}:", "bold"),
                " ",
                (d.severity.value, STYLES[d.severity]),
                " ",
                (f"[{d.check}]", "cyan"),
                " ",
                printable(d.message),
            )
        )
        line = result.source_line(d.path, d.line)
        if line is not None:
            rows.extend(_excerpt(d, line, console.width))
        rows.extend(
            Text.assemble(
                ("  = related: ", "dim"),
                (f"{printable(r.path)}:{r.line}:{r.column}:", "bold"),
                " ",
                printable(r.message),
            )
            for r in d.related
        )
    rows.append(Text(summary_line(result), style="bold"))
    fixable = fixable_line(result)
    if fixable:
        rows.append(Text(fixable))
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
