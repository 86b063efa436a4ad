"""Report formats. Each takes a :class:`prlint.engine.Result` and returns the report text."""

from __future__ import annotations

from collections.abc import Callable

from prlint.engine import Result
from prlint.reporters import github, json_report, sarif, text

Reporter = Callable[[Result], str]


def _html(result: Result) -> str:
    """The HTML corpus report (imported on use: it loads Jinja2)."""
    from prlint.reporters import html

    return html.render(result)


FORMATS: dict[str, Reporter] = {
    "text": text.render,
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
