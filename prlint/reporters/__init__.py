"""Report formats. Each takes a :class:`prlint.result.Result` and returns the report text.

Reporters read nothing from disk: source lines come from the result. Paths and messages are
untrusted (a file name or a release can hold newlines and escape sequences): every reporter
escapes them with :func:`printable`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from prlint.result import Result

if TYPE_CHECKING:
    from prlint.reporters.escape import printable

__all__ = ["FORMATS", "Reporter", "get_reporter", "printable"]

Reporter = Callable[[Result], str]


def _on_use(module: str) -> Reporter:
    """A format's ``render``, its module imported on first use (Rich, Jinja2 and the check
    registry load only for the formats that need them)."""

    def render(result: Result) -> str:
        renderer: Reporter = importlib.import_module(f"prlint.reporters.{module}").render
        return renderer(result)

    render.__doc__ = f"The {module} report (:mod:`prlint.reporters.{module}`)."
    return render


def __getattr__(name: str) -> Any:
    if name == "printable":
        from prlint.reporters.escape import printable

        return printable
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


FORMATS: dict[str, Reporter] = {
    "text": _on_use("text"),
    "json": _on_use("json_report"),
    "sarif": _on_use("sarif"),
    "github": _on_use("github"),
    "html": _on_use("html"),
}
#: formats that show what the checks learned per company (the run collects insights for them)
NEEDS_INSIGHTS = frozenset({"html"})


def get_reporter(name: str) -> Reporter:
    try:
        return FORMATS[name]
    except KeyError:
        raise ValueError(f"unknown format '{name}'; use one of {', '.join(FORMATS)}") from None
