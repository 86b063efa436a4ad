"""GitHub Actions workflow commands: one annotation per finding.

``::warning file=PATH,line=L,col=C,endLine=L2,endColumn=C2,title=prlint (CHECK)::MESSAGE``;
severity ``info`` becomes ``notice``. Related locations follow the message on lines of their
own. ``%``, CR and LF are escaped in the message, and also ``:`` and ``,`` in properties.
"""

from __future__ import annotations

from prlint.api import Diagnostic, Severity
from prlint.reporters.escape import printable
from prlint.result import Result

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(value: str) -> str:
    """Escape a command's message: ``%``, CR and LF as GitHub decodes them, and every other
    control character as visible text (no terminal escapes in the log)."""
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return printable(value)


def escape_property(value: str) -> str:
    """Escape a command property's value."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def annotation(d: Diagnostic) -> str:
    props = {
        "file": d.path,
        "line": str(d.line),
        "col": str(d.column),
        "endLine": str(d.end_line),
        "endColumn": str(d.end_column),
        "title": f"prlint ({d.check})",
    }
    message = "\n".join(
        [d.message, *(f"{r.path}:{r.line}:{r.column}: {r.message}" for r in d.related)]
    )
    fields = ",".join(f"{k}={escape_property(v)}" for k, v in props.items())
    return f"::{COMMANDS[d.severity]} {fields}::{escape_data(message)}"


def render(result: Result) -> str:
    return "".join(annotation(d) + "\n" for d in result.diagnostics)
