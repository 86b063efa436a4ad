"""Finding checks: every check, built-in or third-party, comes from the ``prlint.checks``
entry-point group; the core knows no check by name."""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

from prlint.api import Check, CheckContext
from prlint.config import Config, ConfigError

ENTRY_POINT_GROUP = "prlint.checks"


class RegistryError(Exception):
    """A check that cannot be loaded or a name that names no check."""


@lru_cache(maxsize=1)
def available_checks() -> dict[str, type[Check]]:
    """All registered checks by name, sorted by name."""
    found: dict[str, type[Check]] = {}
    for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
        try:
            cls = ep.load()
        except Exception as exc:  # a broken plugin must not take the linter down
            raise RegistryError(f"cannot load check '{ep.name}' from {ep.value}: {exc}") from None
        if not (inspect.isclass(cls) and issubclass(cls, Check)):
            raise RegistryError(f"entry point '{ep.name}' ({ep.value}) is not a prlint Check")
        name = cls.name or ep.name
        found.setdefault(name, cls)
    return dict(sorted(found.items()))


def resolve_names(names: Iterable[str], known: Iterable[str], what: str) -> set[str]:
    """Expand ``ALL`` and check that every name names a check."""
    known_set = set(known)
    out: set[str] = set()
    for name in names:
        if name.upper() == "ALL":
            out |= known_set
        elif name in known_set:
            out.add(name)
        else:
            raise ConfigError(
                f"{what}: unknown check '{name}'; known: {', '.join(sorted(known_set))}"
            )
    return out


@dataclass(frozen=True)
class ActiveCheck:
    """A check instance with its resolved context."""

    check: Check
    ctx: CheckContext


def load_packs(config: Config) -> tuple[Mapping[str, Any], ...]:
    """The built-in YAML packs plus the packs the config names, parsed with a safe loader."""
    import prlint.checks  # where the package really is (an editable install maps it to checks/)

    builtin_dir = Path(prlint.checks.__file__).resolve().parent / "packs"
    paths = sorted(builtin_dir.glob("*.yaml")) if builtin_dir.is_dir() else []
    for pack in config.packs:
        p = Path(pack)
        paths.append(p if p.is_absolute() else config.root / p)
    packs = []
    for p in paths:
        try:
            data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
        except OSError as exc:
            raise ConfigError(f"{p}: cannot read pack: {exc.strerror or exc}") from None
        except yaml.YAMLError as exc:
            raise ConfigError(f"{p}: invalid YAML pack: {str(exc).splitlines()[0]}") from None
        if not isinstance(data, Mapping):
            raise ConfigError(f"{p}: a pack must be a mapping")
        packs.append({"__path__": str(p), **data})
    return tuple(packs)


def activate(
    config: Config,
    *,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
) -> list[ActiveCheck]:
    """Instantiate the checks a run uses, with options validated against their specs."""
    registry = available_checks()
    where = str(config.path) if config.path else "config"
    for name in config.checks:
        if name not in registry:
            raise ConfigError(
                f"{where}: 'checks.{name}': unknown check; known: {', '.join(registry)}"
            )
    for name in config.severity:
        if name not in registry:
            raise ConfigError(
                f"{where}: 'severity.{name}': unknown check; known: {', '.join(registry)}"
            )
    chosen = set(registry)
    sel = list(select) if select else config.select
    if sel:
        chosen = resolve_names(sel, registry, "--select" if select else f"{where}: 'select'")
    ign = list(ignore) if ignore else []
    drop = resolve_names(config.ignore, registry, f"{where}: 'ignore'") | resolve_names(
        ign, registry, "--ignore"
    )
    for names in config.per_file_ignores.values():
        resolve_names(names, registry, f"{where}: 'per-file-ignores'")
    options_of = {name: _options(name, registry[name], config, where) for name in config.checks}
    packs = load_packs(config)
    active = []
    for name in sorted(chosen - drop):
        cls = registry[name]
        options = options_of.get(name) or _defaults(cls)
        ctx = CheckContext(
            name=name,
            severity=config.severity.get(name, cls.severity),
            options=options,
            company=dict(config.company),
            allow=frozenset(config.allow),
            packs=packs,
            safe_fixes=cls.safe_fixes,
            fixes_tokens=cls.fixes_tokens,
        )
        check = cls()
        check.configure(ctx)
        active.append(ActiveCheck(check, ctx))
    return active


def _options(name: str, cls: type[Check], config: Config, where: str) -> dict[str, Any]:
    """A check's options: defaults merged with the config's, each validated (also for checks
    the run does not select: a bad value in the config is an error whatever runs)."""
    options = dict(_defaults(cls))
    for key, value in config.checks.get(name, {}).items():
        spec = cls.options.get(key)
        if spec is None:
            allowed = ", ".join(sorted(cls.options)) or "none"
            raise ConfigError(f"{where}: 'checks.{name}.{key}': unknown option; allowed: {allowed}")
        try:
            options[key] = spec.validate(value)
        except ValueError as exc:
            raise ConfigError(f"{where}: 'checks.{name}.{key}': {exc}") from None
    return options


def _defaults(cls: type[Check]) -> dict[str, Any]:
    return {key: opt.default for key, opt in cls.options.items()}


def explain(name: str) -> str:
    """The documentation of a check: summary, severity, options and examples."""
    registry = available_checks()
    if name not in registry:
        raise ConfigError(f"unknown check '{name}'; known: {', '.join(registry)}")
    cls = registry[name]
    doc = inspect.cleandoc(cls.__doc__ or cls.summary)
    lines = [f"{name} ({cls.severity.value})", "", doc]
    if cls.options:
        lines += ["", "Options:"]
        for key, opt in sorted(cls.options.items()):
            lines.append(f"  {key} (default: {opt.default!r}): {opt.help}")
    return "\n".join(lines) + "\n"
