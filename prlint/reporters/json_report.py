"""The JSON report: one object, the schema of DESIGN.md."""

from __future__ import annotations

import json

from prlint import __version__
from prlint.result import Result


def render(result: Result) -> str:
    body = {
        "prlint_version": __version__,
        "files_checked": result.files_checked,
        "diagnostics": [d.to_dict() for d in result.diagnostics],
        "summary": result.summary(),
    }
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"
