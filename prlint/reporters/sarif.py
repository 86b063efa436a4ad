"""The SARIF 2.1.0 report, for GitHub code scanning and other SARIF viewers.

One run: the tool with a rule for every registered check, one result per finding with its
region, related locations and fixes, and an invocation that carries run errors. Paths stay as
the user gave them: relative ones are URI references against ``%SRCROOT%``. Columns count
Unicode code points, end columns are exclusive, as in SARIF. The output is deterministic.
"""

from __future__ import annotations

import inspect
import json
from importlib import metadata
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from prlint import __version__
from prlint.api import Diagnostic, Related, Severity
from prlint.baseline import fingerprint
from prlint.registry import available_checks
from prlint.result import Result

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
INFORMATION_URI = "https://pypi.org/project/prlint/"
SRCROOT = "%SRCROOT%"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render(result: Result) -> str:
    rules, index = _rules(result.diagnostics, result.rules)
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "prlint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": _information_uri(),
                "rules": rules,
            }
        },
        "invocations": [_invocation(result)],
        "columnKind": "unicodeCodePoints",
        "results": [_result(d, index[d.check]) for d in result.diagnostics],
    }
    body = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


def _information_uri() -> str:
    """The project's home page from the installed metadata, else its PyPI page."""
    try:
        urls = metadata.metadata("prlint").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        urls = []
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip().lower() in {"homepage", "home", "repository", "source"}:
            return url.strip()
    return INFORMATION_URI


def _rules(
    diags: list[Diagnostic], described: dict[str, dict[str, str]]
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """A rule per registered check, and per pack rule or unregistered check a finding names
    (a pack rule with its message, level and link as the pack gives them)."""
    registry = available_checks()
    names = sorted(set(registry) | {d.check for d in diags})
    rules = []
    for name in names:
        cls = registry.get(name)
        rule: dict[str, Any] = {"id": name}
        if cls is not None:
            rule["shortDescription"] = {"text": cls.summary or name}
            doc = inspect.cleandoc(cls.__doc__ or "")
            if doc:
                rule["help"] = {"text": doc}
            rule["defaultConfiguration"] = {"level": LEVELS[cls.severity]}
        elif name in described:
            about = described[name]
            rule["shortDescription"] = {"text": about["message"]}
            rule["defaultConfiguration"] = {"level": LEVELS[Severity(about["level"])]}
            if about["link"]:
                rule["helpUri"] = about["link"]
        else:
            rule["shortDescription"] = {"text": name}
        rules.append(rule)
    return rules, {name: i for i, name in enumerate(names)}


def _invocation(result: Result) -> dict[str, Any]:
    out: dict[str, Any] = {"executionSuccessful": not result.errors}
    if result.errors:
        out["toolExecutionNotifications"] = [
            {"level": "error", "message": {"text": line}} for line in result.errors
        ]
    return out


def _artifact(path: str) -> dict[str, Any]:
    posix = PurePosixPath(path)
    if posix.is_absolute():
        return {"uri": "file://" + quote(path)}
    return {"uri": quote(path), "uriBaseId": SRCROOT}


def _region(d: Diagnostic) -> dict[str, int]:
    return {
        "startLine": d.line,
        "startColumn": d.column,
        "endLine": d.end_line,
        "endColumn": d.end_column,
    }


def _related(i: int, r: Related) -> dict[str, Any]:
    return {
        "id": i,
        "physicalLocation": {
            "artifactLocation": _artifact(r.path),
            "region": {"startLine": r.line, "startColumn": r.column},
        },
        "message": {"text": r.message},
    }


def _result(d: Diagnostic, rule_index: int) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ruleId": d.check,
        "ruleIndex": rule_index,
        "level": LEVELS[d.severity],
        "message": {"text": d.message},
        "locations": [
            {"physicalLocation": {"artifactLocation": _artifact(d.path), "region": _region(d)}}
        ],
        "partialFingerprints": {"prlint/v1": fingerprint(d)},
    }
    if d.related:
        out["relatedLocations"] = [_related(i, r) for i, r in enumerate(d.related, 1)]
    if d.fix is not None:
        out["fixes"] = [_fix(d)]
    return out


def _fix(d: Diagnostic) -> dict[str, Any]:
    """The fix as a replacement of the finding's region (``fix`` replaces the matched span)."""
    assert d.fix is not None
    if d.matched and len(d.matched) == d.fix.end - d.fix.start:
        deleted: dict[str, int] = _region(d)
    else:  # a fix that does not replace the finding's own span: offsets in the decoded text
        deleted = {"charOffset": d.fix.start, "charLength": d.fix.end - d.fix.start}
    return {
        "description": {"text": f"Replace with '{d.fix.replacement}'"},
        "artifactChanges": [
            {
                "artifactLocation": _artifact(d.path),
                "replacements": [
                    {"deletedRegion": deleted, "insertedContent": {"text": d.fix.replacement}}
                ],
            }
        ],
    }
