"""The text report: ``path:line:col: severity [check] message`` and a summary line."""

from __future__ import annotations

from prlint.engine import Result


def render(result: Result) -> str:
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
    parts = ", ".join(f"{n} {sev}{'s' if n != 1 else ''}" for sev, n in counts.items() if n)
    return f"Found {total} finding(s) in {result.files_checked} file(s): {parts}."
