"""Configuration: ``[tool.prlint]`` in ``pyproject.toml`` or ``.prlint.yaml``.

Found by walking up from the working directory, or given with ``--config``. Unknown keys and
bad values are errors that name the file, the key and what is allowed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from prlint.api import Severity

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CONFIG_FILES = (".prlint.yaml", ".prlint.yml", "pyproject.toml")
DEFAULT_INCLUDE = ("*.txt", "*.md", "*.markdown", "*.html", "*.htm")
COMPANY_KEYS = {
    "names": "list of canonical company and product names",
    "aliases": "list of other valid names (a former name, a brand)",
    "domains": "list of the company's web and e-mail domains",
    "ticker": "the ticker symbol",
    "filer_category": "one of large-accelerated, accelerated, non-accelerated",
    "fiscal_year_end": "month and day the fiscal year ends, as MM-DD",
}
FILER_CATEGORIES = ("large-accelerated", "accelerated", "non-accelerated")
DEFAULT_MAX_FILE_SIZE = 5.0  # MB
_MAX_NODES = 100_000  # a config holds a few hundred values: more is an alias bomb
_MAX_DEPTH = 32
_TICKER = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-]{0,9}")
_GLOB_KEYS = ("corpus", "include", "exclude")


class ConfigError(Exception):
    """A config file that cannot be used; the message is one line."""


@dataclass
class Config:
    """The effective configuration of a run."""

    path: Path | None = None
    root: Path = field(default_factory=Path.cwd)
    corpus: list[str] = field(default_factory=list)
    include: list[str] = field(default_factory=lambda: list(DEFAULT_INCLUDE))
    exclude: list[str] = field(default_factory=list)
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    severity: dict[str, Severity] = field(default_factory=dict)
    checks: dict[str, dict[str, Any]] = field(default_factory=dict)
    company: dict[str, Any] = field(default_factory=dict)
    allow: list[str] = field(default_factory=list)
    packs: list[str] = field(default_factory=list)
    fail_on: Severity = Severity.WARNING
    baseline: str | None = None  # a baseline file, relative to the config's folder
    max_file_size: float = DEFAULT_MAX_FILE_SIZE  # MB; larger files are skipped with a note

    def fingerprint(self) -> str:
        """A hash of everything that changes what extraction produces."""
        blob = json.dumps(
            {
                "checks": self.checks,
                "company": self.company,
                "allow": sorted(self.allow),
                "packs": [_pack_digest(self.root, p) for p in self.packs],
            },
            sort_keys=True,
            default=str,
        )
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


    def baseline_path(self) -> Path | None:
        """The configured baseline file, resolved against the config's folder."""
        return self.root / self.baseline if self.baseline else None


def _pack_digest(root: Path, pack: str) -> str:
    p = (root / pack) if not Path(pack).is_absolute() else Path(pack)
    try:
        return hashlib.sha256(p.read_bytes()).hexdigest()[:16]
    except OSError:
        return pack


def find_config(start: Path) -> Path | None:
    """The nearest config file walking up from ``start``; a pyproject counts if it has ours."""
    for directory in (start, *start.parents):
        for name in CONFIG_FILES:
            candidate = directory / name
            if not candidate.is_file():
                continue
            if name == "pyproject.toml":
                try:
                    data = tomllib.loads(candidate.read_text(encoding="utf-8"))
                except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                    continue
                if "prlint" not in data.get("tool", {}):
                    continue
            return candidate
    return None


def load_config(path: Path | None = None, *, cwd: Path | None = None) -> Config:
    """Load and validate a config file; with no path, search upwards from ``cwd``."""
    cwd = cwd or Path.cwd()
    if path is None:
        path = find_config(cwd)
        if path is None:
            return Config(root=cwd)
    if not path.is_file():
        raise ConfigError(f"{path}: config file not found")
    try:
        raw_text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config: {exc}") from None
    data: Any
    try:
        if path.name.endswith(".toml"):
            data = tomllib.loads(raw_text).get("tool", {}).get("prlint", {})
        else:
            data = yaml.safe_load(raw_text) or {}
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ConfigError(f"{path}: invalid syntax: {first}") from None
    except RecursionError:
        raise ConfigError(f"{path}: invalid syntax: nested too deeply") from None
    if not isinstance(data, Mapping):
        raise ConfigError(f"{path}: the config must be a mapping of keys to values")
    check_size(data, str(path))
    return parse_config(data, path=path, root=path.parent.resolve())


def check_size(data: Any, where: str) -> None:
    """Refuse data nested deeper than 32 levels or holding more than 100,000 values once
    aliases are expanded (a YAML alias bomb), before anything walks it."""
    budget = _MAX_NODES
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        node, depth = stack.pop()
        budget -= 1
        if budget < 0:
            raise ConfigError(f"{where}: too many values (more than {_MAX_NODES:,})")
        if depth > _MAX_DEPTH:
            raise ConfigError(f"{where}: nested too deeply (more than {_MAX_DEPTH} levels)")
        if isinstance(node, Mapping):
            stack.extend((v, depth + 1) for v in node.values())
            stack.extend((k, depth + 1) for k in node)
        elif isinstance(node, (list, tuple)):
            stack.extend((v, depth + 1) for v in node)


def _strings(path: Path | None, key: str, value: Any) -> list[str]:
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",") if v.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{path}: '{key}' must be a list of strings, got {value!r}")
    return list(value)


def check_glob(pattern: str, where: str) -> str:
    """A file glob: not empty, ``**`` only as a whole path component, naming files."""
    why = None
    parts = pattern.replace("\\", "/").split("/")
    if not pattern.strip():
        why = "is empty"
    elif "\0" in pattern:
        why = "holds a NUL character"
    elif any("**" in part and part != "**" for part in parts):
        why = "uses '**' inside a path component (write 'a/**/b')"
    elif all(part in (".", "..", "") for part in parts):
        why = "names no files"
    if why:
        raise ConfigError(f"{where}: glob {pattern!r} {why}")
    return pattern


def parse_config(data: Mapping[str, Any], *, path: Path | None, root: Path) -> Config:
    """Validate the keys of a config mapping (unknown keys are errors)."""
    cfg = Config(path=path, root=root)
    known = {
        "corpus", "include", "exclude", "select", "ignore", "per-file-ignores", "severity",
        "checks", "company", "allow", "packs", "fail-on", "baseline", "max-file-size",
    }  # fmt: skip
    for key, value in data.items():
        norm = str(key).replace("_", "-")
        if norm not in known:
            raise ConfigError(
                f"{path}: unknown key '{key}'; allowed: {', '.join(sorted(known))}"
            )
        if norm in ("corpus", "include", "exclude", "select", "ignore", "allow", "packs"):
            setattr(cfg, norm, _strings(path, key, value))
            if norm in _GLOB_KEYS:
                for glob in getattr(cfg, norm):
                    check_glob(glob, f"{path}: '{key}'")
            if norm == "corpus" and any(Path(g).is_absolute() for g in cfg.corpus):
                raise ConfigError(
                    f"{path}: 'corpus' globs must be relative to the config's folder, "
                    f"got {value!r}"
                )
        elif norm == "per-file-ignores":
            if not isinstance(value, Mapping):
                raise ConfigError(f"{path}: '{key}' must map file globs to lists of checks")
            cfg.per_file_ignores = {
                check_glob(str(glob), f"{path}: '{key}'"): _strings(path, f"{key}.{glob}", names)
                for glob, names in value.items()
            }
        elif norm == "severity":
            if not isinstance(value, Mapping):
                raise ConfigError(f"{path}: 'severity' must map check names to a severity")
            for name, sev in value.items():
                try:
                    if not isinstance(sev, str):
                        raise ValueError(f"{sev!r} is not one of error, warning, info")
                    cfg.severity[str(name)] = Severity.parse(sev)
                except ValueError as exc:
                    raise ConfigError(f"{path}: 'severity.{name}': {exc}") from None
        elif norm == "checks":
            if not isinstance(value, Mapping) or not all(
                isinstance(v, Mapping) for v in value.values()
            ):
                raise ConfigError(f"{path}: 'checks' must map check names to option mappings")
            cfg.checks = {str(k): {str(o).replace("_", "-"): x for o, x in v.items()}
                          for k, v in value.items()}  # fmt: skip
        elif norm == "company":
            cfg.company = _company(path, value)
        elif norm == "baseline":
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(f"{path}: 'baseline' must be a file path, got {value!r}")
            cfg.baseline = value
        elif norm == "max-file-size":
            if (
                not isinstance(value, (int, float))
                or isinstance(value, bool)
                or not math.isfinite(value)
                or value <= 0
            ):
                raise ConfigError(
                    f"{path}: 'max-file-size' must be a positive number of MB, got {value!r}"
                )
            cfg.max_file_size = float(value)
        elif norm == "fail-on":
            try:
                if not isinstance(value, str):
                    raise ValueError(f"{value!r} is not one of error, warning, info")
                cfg.fail_on = Severity.parse(value)
            except ValueError as exc:
                raise ConfigError(f"{path}: 'fail-on': {exc}") from None
    return cfg


def _company(path: Path | None, value: Any) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise ConfigError(f"{path}: 'company' must be a mapping")
    out: dict[str, Any] = {}
    for key, item in value.items():
        k = str(key).replace("-", "_")
        if k not in COMPANY_KEYS:
            allowed = ", ".join(sorted(COMPANY_KEYS))
            raise ConfigError(f"{path}: unknown key 'company.{key}'; allowed: {allowed}")
        if k in ("names", "aliases", "domains"):
            out[k] = _strings(path, f"company.{key}", item)
        elif k == "filer_category":
            if item not in FILER_CATEGORIES:
                raise ConfigError(
                    f"{path}: 'company.{key}' must be one of {', '.join(FILER_CATEGORIES)}, "
                    f"got {item!r}"
                )
            out[k] = item
        elif k == "fiscal_year_end":
            out[k] = _month_day(path, f"company.{key}", item)
        else:  # ticker
            if not isinstance(item, str) or not _TICKER.fullmatch(item.strip()):
                raise ConfigError(
                    f"{path}: 'company.{key}' must be a ticker symbol (1-10 letters, digits, "
                    f"'.' or '-'), got {item!r}"
                )
            out[k] = item.strip()
    return out


def _month_day(path: Path | None, key: str, item: Any) -> str:
    """A month and day that exist (in a leap year), as MM-DD."""
    text = item if isinstance(item, str) else ""
    parts = text.split("-")
    if len(parts) == 2 and all(p.isdigit() and len(p) <= 2 for p in parts):
        try:
            day = dt.date(2000, int(parts[0]), int(parts[1]))
        except ValueError:
            pass
        else:
            return day.strftime("%m-%d")
    raise ConfigError(f"{path}: '{key}' must be a date as MM-DD (e.g. \"12-31\"), got {item!r}")
