"""YAML packs: rules as data, each of one of a few generic kinds (in the spirit of Vale).

A pack is a YAML file with a ``rules:`` mapping of rule name to rule, and for ``filing``
rules an optional ``filer-categories:`` mapping::

    rules:
      no-placeholder:
        kind: existence            # existence | substitution | consistency | fact | filing
        message: "placeholder '{match}' left in the text"
        level: error               # error | warning | info (optional)
        link: https://example.com/style#placeholders   # optional
        tokens: [TODO, TBD]

:func:`read_pack` validates a pack against the kinds' schemas and rejects anything else
(unknown sections, rules, kinds or keys; bad values) with one line naming the file, the rule
and the key. It hands the checks the shapes they read: ``fact`` rules as the ``facts:``
section, ``consistency`` rules as ``styles:``, ``filing`` rules as ``filings:``, and
``existence``/``substitution`` rules as a ``rules:`` list of plain mappings. The old sections
(``facts:``, ``styles:``, ``filings:``) still load, with one deprecation note on stderr.

The YAML is read with a safe loader that also refuses what a rule file never needs: text that
is not UTF-8, aliases (no "billion laughs"), duplicate keys and nesting deeper than
:data:`MAX_DEPTH`.
"""

from __future__ import annotations

import datetime as dt
import string
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import regex
import yaml

from prlint.api import Severity
from prlint.config import ConfigError
from prlint.lazyregex import lazy

MAX_DEPTH = 20
#: a rule name: it may name findings (``--select``, suppressions), so letters, digits, - and _
RULE_NAME = lazy(r"[A-Za-z0-9][\w\-]*")
#: the sections of the first pack format, still read (with a deprecation note)
OLD_SECTIONS = {"facts": "fact", "styles": "consistency", "filings": "filing"}
SECTIONS = ("filer-categories", "rules")
#: kinds whose rules are reported under their own name by a check that serves them
NAMED_KINDS = ("existence", "substitution")
_noted: set[str] = set()


class PackError(ConfigError):
    """A pack that cannot be used; the message is one line naming the file (and rule, key)."""


# -- safe YAML ------------------------------------------------------------------------------
class _StrictLoader(yaml.SafeLoader):
    """A safe loader without aliases, duplicate keys or deep nesting."""

    depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise _Refused(mark, "aliases (*name) are not allowed in a pack")
        self.depth += 1
        if self.depth > MAX_DEPTH:
            mark = self.peek_event().start_mark
            raise _Refused(mark, f"nested deeper than {MAX_DEPTH} levels")
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                if key in seen:
                    raise _Refused(key_node.start_mark, f"key {key!r} given twice")
                seen.add(key)
            except TypeError:
                raise _Refused(key_node.start_mark, "a key must be a plain value") from None
        return super().construct_mapping(node, deep=deep)


class _Refused(Exception):
    def __init__(self, mark: Any, why: str) -> None:
        super().__init__(f"line {mark.line + 1}, column {mark.column + 1}: {why}")


def parse_yaml(path: Path) -> Any:
    """The YAML document of a pack file; PackError (one line) for anything unreadable."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PackError(f"{path}: cannot read pack: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PackError(
            f"{path}: a pack must be UTF-8 text (byte 0x{data[exc.start]:02x} at offset "
            f"{exc.start})"
        ) from None
    try:
        return yaml.load(text, Loader=_StrictLoader)
    except _Refused as exc:
        raise PackError(f"{path}: invalid pack: {exc}") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        why = exc.problem or exc.context or "invalid YAML"
        raise PackError(f"{path}: invalid YAML pack: {where}{why}") from None
    except (yaml.YAMLError, RecursionError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise PackError(f"{path}: invalid YAML pack: {first}") from None


# -- field validators -----------------------------------------------------------------------
class _Bad(ValueError):
    """A value that does not fit its field (the message says what was expected)."""


def _string(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _Bad(f"expected a non-empty string, got {value!r}")
    return value


def _strings(value: Any) -> list[str]:
    if not isinstance(value, list) or not value:
        raise _Bad(f"expected a non-empty list of strings, got {value!r}")
    return [_string(v) for v in value]


def _pattern(value: Any) -> str:
    _string(value)
    try:
        regex.compile(value)
    except regex.error as exc:
        raise _Bad(f"bad regular expression: {exc}") from None
    return str(value)


def _patterns(value: Any) -> list[str]:
    if not isinstance(value, list) or not value:
        raise _Bad(f"expected a non-empty list of regular expressions, got {value!r}")
    return [_pattern(v) for v in value]


def _swap(value: Any) -> dict[str, str]:
    if not isinstance(value, Mapping) or not value:
        raise _Bad(f"expected a mapping of wrong -> right, got {value!r}")
    out = {}
    for wrong, right in value.items():
        if not isinstance(wrong, str) or not wrong.strip() or not isinstance(right, str):
            raise _Bad(f"expected strings (wrong: right), got {wrong!r}: {right!r}")
        out[wrong] = right
    return out


def _styles(value: Any) -> dict[str, str]:
    if not isinstance(value, Mapping) or len(value) < 2:
        raise _Bad(f"expected a mapping of two or more style names to patterns, got {value!r}")
    return {str(name): _pattern(p) for name, p in value.items()}


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _Bad(f"expected true or false, got {value!r}")
    return value


def _positive(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise _Bad(f"expected a positive whole number, got {value!r}")
    return value


def _level(value: Any) -> str:
    try:
        return Severity.parse(value).value if isinstance(value, str) else Severity(value).value
    except ValueError:
        raise _Bad(f"expected error, warning or info, got {value!r}") from None


def _period(value: Any) -> str:
    if value not in ("annual", "quarterly"):
        raise _Bad(f"expected annual or quarterly, got {value!r}")
    return str(value)


_DUE_KEYS = ("days", "from", "months")


def _due(value: Any) -> list[Any]:
    if not isinstance(value, list) or not value:
        raise _Bad("expected a list of deadline rules (days or months, optional from)")
    for i, item in enumerate(value):
        if not isinstance(item, Mapping):
            raise _Bad(f"due[{i}]: expected a mapping with days or months")
        unknown = sorted(str(k) for k in item if k not in _DUE_KEYS)
        if unknown:
            raise _Bad(f"due[{i}]: unknown key '{unknown[0]}'; allowed: {', '.join(_DUE_KEYS)}")
        if "days" not in item and "months" not in item:
            raise _Bad(f"due[{i}]: give days or months after the period end")
        for key in ("days", "months"):
            counts = item.get(key, {})
            if not isinstance(counts, Mapping) or not all(
                isinstance(n, int) and not isinstance(n, bool) and n >= 0
                for n in counts.values()
            ):
                raise _Bad(f"due[{i}].{key}: expected filer category: whole number of {key}")
        if "from" in item and not isinstance(item["from"], dt.date):
            raise _Bad(f"due[{i}].from: expected a date (YYYY-MM-DD), got {item['from']!r}")
    return list(value)


@dataclass(frozen=True)
class Field:
    """One key of a rule: how it is checked and whether a rule must have it."""

    check: Callable[[Any], Any]
    required: bool = False
    help: str = ""


def _message(*fields: str) -> Field:
    def check(value: Any) -> str:
        text = _string(value)
        try:
            used = {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}
        except ValueError as exc:
            raise _Bad(f"{exc} (write a literal brace as {{{{ or }}}})") from None
        bad = sorted(used - set(fields))
        if bad:
            known = ", ".join("{" + f + "}" for f in fields)
            raise _Bad(f"unknown placeholder {{{bad[0]}}}; known: {known}")
        return text

    return Field(check, required=True)


_HEADER = {"kind": Field(_string, True), "link": Field(_string)}
KINDS: dict[str, dict[str, Field]] = {
    "existence": {
        "message": _message("match"),
        "level": Field(_level),
        "tokens": Field(_strings, help="words or phrases, matched as whole words"),
        "patterns": Field(_patterns, help="regular expressions"),
        "ignorecase": Field(_bool),
    },
    "substitution": {
        "message": _message("match", "replacement"),
        "level": Field(_level),
        "swap": Field(_swap, True, "wrong -> right, whole words"),
        "ignorecase": Field(_bool),
    },
    "consistency": {
        "message": Field(_string, help="what the item is, as findings name it"),
        "level": Field(_level),
        "styles": Field(_styles, True),
        "ignore": Field(_pattern),
        "ranges": Field(_bool, help="uses are number ranges: a pair that goes down is none"),
    },
    "fact": {
        "message": Field(_string, help="the fact's name, as findings name it"),
        "cue": Field(_pattern, True),
        "units": Field(_strings),
        "text": Field(_pattern),
        "near": Field(_positive),
    },
    "filing": {
        "period": Field(_period, True),
        "variants": Field(_strings),
        "annual": Field(_string),
        "due": Field(_due, True),
    },
}


# -- rules ----------------------------------------------------------------------------------
def _rule(path: Path, name: Any, raw: Any) -> dict[str, Any]:
    """One validated rule: its fields, plus ``name`` and ``kind``."""
    if not isinstance(name, str) or not RULE_NAME.fullmatch(name):
        raise PackError(
            f"{path}: rule {name!r}: a rule name is letters, digits, '-' and '_' (no spaces)"
        )
    at = f"{path}: rule '{name}'"
    if not isinstance(raw, Mapping):
        raise PackError(f"{at}: expected a mapping with 'kind' and its fields")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise PackError(f"{at}: 'kind' must be one of {', '.join(KINDS)}; got {kind!r}")
    fields = {**_HEADER, **KINDS[kind]}
    for key in raw:
        if key not in fields:
            allowed = ", ".join(sorted(fields))
            raise PackError(f"{at}: unknown key '{key}' for kind {kind}; allowed: {allowed}")
    out: dict[str, Any] = {"name": name}
    for key, spec in fields.items():
        if key not in raw:
            if spec.required:
                raise PackError(f"{at}: kind {kind} needs '{key}'")
            continue
        try:
            out[key] = spec.check(raw[key])
        except _Bad as exc:
            raise PackError(f"{at}: '{key}': {exc}") from None
    _cross_check(at, out)
    return out


def _cross_check(at: str, rule: Mapping[str, Any]) -> None:
    kind = rule["kind"]
    if kind == "existence" and "tokens" not in rule and "patterns" not in rule:
        raise PackError(f"{at}: kind existence needs 'tokens' or 'patterns'")
    if kind == "fact":
        if ("units" in rule) == ("text" in rule):
            raise PackError(f"{at}: kind fact needs exactly one of 'units', 'text'")
        if "text" in rule and "value" not in regex.compile(rule["text"]).groupindex:
            raise PackError(f"{at}: 'text': needs a group (?P<value>...)")


def _categories(path: Path, value: Any) -> dict[str, str]:
    if not isinstance(value, Mapping) or not value:
        raise PackError(f"{path}: 'filer-categories': expected a mapping of category to label")
    for key, label in value.items():
        if not isinstance(key, str) or not isinstance(label, str):
            raise PackError(f"{path}: 'filer-categories.{key}': expected a label (a string)")
    return dict(value)


def _old_shape(rule: Mapping[str, Any]) -> tuple[str, Any]:
    """(section, item) of a rule in the shape the first pack format had."""
    kind, name = rule["kind"], rule["name"]
    if kind == "fact":
        fact = {"name": rule.get("message", name), "cue": rule["cue"]}
        fact.update({k: rule[k] for k in ("units", "text", "near") if k in rule})
        return "facts", fact
    if kind == "consistency":
        item: dict[str, Any] = {"name": name}
        if "message" in rule:
            item["what"] = rule["message"]
        item["styles"] = rule["styles"]
        if "ignore" in rule:
            item["ignore"] = rule["ignore"]
        if "ranges" in rule:
            item["ranges"] = rule["ranges"]
        if "level" in rule:
            item["severity"] = rule["level"]
        return "styles", item
    if kind == "filing":
        form = {k: rule[k] for k in ("period", "annual", "variants", "due") if k in rule}
        return "filings", (name, form)
    return "rules", dict(rule)


def _note(path: Path, old: list[str]) -> None:
    """One deprecation note per pack file and process."""
    if str(path) in _noted:
        return
    _noted.add(str(path))
    what = ", ".join(f"'{s}:'" for s in old)
    kinds = ", ".join(f"kind {OLD_SECTIONS[s]}" for s in old)
    verb = "is" if len(old) == 1 else "are"
    sys.stderr.write(
        f"prlint: note: {path}: {what} {verb} deprecated and will be removed; write 'rules:' "
        f"with {kinds} (see README, 'YAML packs')\n"
    )


def read_pack(path: Path) -> dict[str, Any]:
    """A validated pack in the shapes the checks read, with ``__path__`` (see module doc)."""
    return dict(_read_pack(Path(path), _mtime(path)))


def _mtime(path: Path) -> float:
    try:
        return Path(path).stat().st_mtime
    except OSError:
        return -1.0


@lru_cache(maxsize=64)
def _read_pack(path: Path, _mtime: float) -> dict[str, Any]:
    data = parse_yaml(path)
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise PackError(f"{path}: a pack must be a mapping with a 'rules' section")
    allowed = (*SECTIONS, *OLD_SECTIONS)
    for key in data:
        if key not in allowed:
            raise PackError(
                f"{path}: unknown section '{key}'; allowed: {', '.join(SECTIONS)} "
                f"(and, deprecated, {', '.join(OLD_SECTIONS)})"
            )
    rules = data.get("rules") or {}
    if not isinstance(rules, Mapping):
        raise PackError(f"{path}: 'rules' must be a mapping of rule name to rule")
    out: dict[str, Any] = {"__path__": str(path)}
    old = [s for s in OLD_SECTIONS if s in data]
    if old:
        _note(path, old)
        out.update({s: data[s] for s in old})
    forms: dict[str, Any] = {}
    for name, raw in rules.items():
        section, item = _old_shape(_rule(path, name, raw))
        if section == "filings":
            forms[item[0]] = item[1]
        else:
            out.setdefault(section, [])
            if not isinstance(out[section], list):
                raise PackError(f"{path}: '{section}' must be a list")
            out[section] = [*out[section], item]
    categories = data.get("filer-categories")
    if forms or categories is not None:
        old_filings = out.get("filings") or {}
        if not isinstance(old_filings, Mapping):
            raise PackError(f"{path}: 'filings' must be a mapping")
        body: dict[str, Any] = dict(old_filings)
        if categories is not None:
            body["categories"] = {**(body.get("categories") or {}), **_categories(path, categories)}
        if forms:
            body["forms"] = {**(body.get("forms") or {}), **forms}
        out["filings"] = body
    return out


def named_rules(packs: tuple[Mapping[str, Any], ...]) -> dict[str, dict[str, Any]]:
    """The rules reported under their own name (existence, substitution) of every pack, by
    name; a later pack's rule replaces an earlier one of that name."""
    out: dict[str, dict[str, Any]] = {}
    for pack in packs:
        for rule in pack.get("rules") or ():
            out[rule["name"]] = {**rule, "__path__": pack.get("__path__", "pack")}
    return out
