"""Report formats. Each takes a :class:`prlint.result.Result` and returns the report text.

Reporters read nothing from disk: source lines come from the result. Paths and messages are
untrusted (a file name or a release can hold newlines and escape sequences): every reporter
escapes them with :func:`printable`.
"""

from __future__ import annotations

from collections.abc import Callable

from prlint.reporters import github, json_report, sarif
from prlint.reporters.escape import printable
from prlint.result import Result

__all__ = ["FORMATS", "Reporter", "get_reporter", "printable"]

Reporter = Callable[[Result], str]


def _text(result: Result) -> str:
    """The plain text report (imported on use: it loads Rich)."""
    from prlint.reporters import text

    return text.render(result)


def _html(result: Result) -> str:
    """The HTML corpus report (imported on use: it loads Jinja2)."""
    from prlint.reporters import html

    return html.render(result)


FORMATS: dict[str, Reporter] = {
    "text": _text,
    "json": json_report.render,
    "sarif": sarif.render,
    "github": github.render,
    "html": _html,
}
#: formats that show what the checks learned per company (the run collects insights for them)
NEEDS_INSIGHTS = frozenset({"html"})


def get_reporter(name: str) -> Reporter:
    try:
        return FORMATS[name]
    except KeyError:
        raise ValueError(f"unknown format '{name}'; use one of {', '.join(FORMATS)}") from None
