"""Finding checks: every check, built-in or third-party, comes from the ``prlint.checks``
entry-point group; the core knows no check by name."""

from __future__ import annotations

import importlib
import importlib.util
import inspect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from prlint.api import Check, CheckContext, Severity
from prlint.config import Config, ConfigError, load_config

ENTRY_POINT_GROUP = "prlint.checks"
#: the check names a run's start-up read from its record (the checks were not loaded)
_names_read: list[str] | None = None


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


def entry_point_key() -> list[list[str]]:
    """The registered checks as the start-up record knows them, without importing any:
    each entry point's name and target with the file its module is found at."""
    out = []
    for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
        module = ep.value.partition(":")[0].strip()
        try:
            spec = importlib.util.find_spec(module)  # imports the parent packages only
            origin = (spec.origin if spec is not None else None) or ""
        except Exception:  # a broken plugin: loading it reports why
            origin = ""
        out.append([ep.name, ep.value, origin])
    return sorted(out)


def remember_names(names: Iterable[str]) -> None:
    """The check names a start-up record holds (see :func:`check_names`)."""
    global _names_read
    _names_read = list(names)


def check_names() -> list[str]:
    """The names of the registered checks: the start-up record's when this run loaded no
    check, else the registry's."""
    if _names_read is not None and available_checks.cache_info().currsize == 0:
        return list(_names_read)
    return list(available_checks())


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
    """The built-in YAML packs plus the packs the config names, validated (see
    :mod:`prlint.packs`) and in the shapes the checks read."""
    from prlint.packs import read_pack

    # where the package really is (an editable install maps it to checks/)
    checks_file = str(importlib.import_module("prlint.checks").__file__)
    builtin_dir = Path(checks_file).resolve().parent / "packs"
    paths = sorted(builtin_dir.glob("*.yaml")) if builtin_dir.is_dir() else []
    for pack in config.packs:
        p = Path(pack)
        paths.append(p if p.is_absolute() else config.root / p)
    return tuple(read_pack(p) for p in paths)


def rule_hosts(
    registry: Mapping[str, type[Check]], packs: Iterable[Mapping[str, Any]]
) -> dict[str, tuple[str, Mapping[str, Any]]]:
    """Rules reported under their own name: rule name -> (the check that serves its kind, the
    rule). A rule may not take a check's name; a later pack's rule replaces an earlier one."""
    from prlint.packs import named_rules

    by_kind = {kind: name for name, cls in registry.items() for kind in cls.pack_kinds}
    out: dict[str, tuple[str, Mapping[str, Any]]] = {}
    for name, rule in named_rules(tuple(packs)).items():
        where = f"{rule['__path__']}: rule '{name}'"
        if name in registry:
            raise ConfigError(f"{where}: the name is taken by a check; choose another")
        host = by_kind.get(rule["kind"])
        if host is None:
            raise ConfigError(f"{where}: no installed check reports rules of kind {rule['kind']}")
        out[name] = (host, rule)
    return out


def activate(
    config: Config,
    *,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
) -> list[ActiveCheck]:
    """Instantiate the checks a run uses, with options validated against their specs.

    Names are check names and the names of pack rules that checks report under their own
    name (see ``Check.pack_kinds``): selecting a rule runs its check with that rule only,
    ignoring a check ignores its rules."""
    registry = available_checks()
    where = str(config.path) if config.path else "config"
    packs = load_packs(config)
    hosted = rule_hosts(registry, packs)
    known = [*registry, *hosted]
    for name in config.checks:
        if name not in registry:
            raise ConfigError(
                f"{where}: 'checks.{name}': unknown check; known: {', '.join(registry)}"
            )
    for name in config.severity:
        if name not in known:
            raise ConfigError(
                f"{where}: 'severity.{name}': unknown check; known: {', '.join(known)}"
            )
    chosen = set(known)
    sel = list(select) if select else config.select
    if sel:
        chosen = resolve_names(sel, known, "--select" if select else f"{where}: 'select'")
    ign = list(ignore) if ignore else []
    drop = resolve_names(config.ignore, known, f"{where}: 'ignore'") | resolve_names(
        ign, known, "--ignore"
    )
    for names in config.per_file_ignores.values():
        resolve_names(names, known, f"{where}: 'per-file-ignores'")
    options_of = {name: _options(name, registry[name], config, where) for name in config.checks}
    active = []
    for name, cls in registry.items():
        rules = {
            rule: _rule_severity(config, rule, name, spec, cls)
            for rule, (host, spec) in hosted.items()
            if host == name and rule not in drop and (rule in chosen or name in chosen)
        }
        if name in drop or (name not in chosen and not rules):
            continue
        options = options_of.get(name) or _defaults(cls)
        ctx = CheckContext(
            name=name,
            severity=config.severity.get(name, cls.severity),
            options=options,
            company=dict(config.company),
            allow=frozenset(config.allow),
            packs=packs,
            rules=dict(sorted(rules.items())),
            safe_fixes=cls.safe_fixes,
            fixes_tokens=cls.fixes_tokens,
        )
        check = cls()
        check.configure(ctx)
        active.append(ActiveCheck(check, ctx))
    return active


def _rule_severity(
    config: Config, rule: str, host: str, spec: Mapping[str, Any], cls: type[Check]
) -> Severity:
    """The config's severity for the rule, else for its check, else the rule's level, else
    the check's default."""
    if rule in config.severity:
        return config.severity[rule]
    if host in config.severity:
        return config.severity[host]
    return Severity.parse(spec["level"]) if spec.get("level") else cls.severity


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


def explain(name: str, config: Config | None = None) -> str:
    """The documentation of a check (summary, severity, options and examples), or of a pack
    rule reported under its own name (its pack, kind, level, message, link and fields), found
    in the packs of ``config`` (default: the config found from the working folder)."""
    registry = available_checks()
    if name not in registry:
        hosted = rule_hosts(registry, load_packs(config or load_config()))
        if name in hosted:
            return _explain_rule(name, *hosted[name], registry)
        known = ", ".join([*registry, *hosted])
        raise ConfigError(f"unknown check '{name}'; known: {known}")
    cls = registry[name]
    doc = inspect.cleandoc(cls.__doc__ or cls.summary)
    lines = [f"{name} ({cls.severity.value})", "", doc]
    if cls.options:
        lines += ["", "Options:"]
        for key, opt in sorted(cls.options.items()):
            lines.append(f"  {key} (default: {opt.default!r}): {opt.help}")
    return "\n".join(lines) + "\n"


def _explain_rule(
    name: str, host: str, rule: Mapping[str, Any], registry: Mapping[str, type[Check]]
) -> str:
    level = rule.get("level") or registry[host].severity.value
    lines = [
        f"{name} ({level})",
        "",
        f"A rule of kind {rule['kind']} from {rule['__path__']}, run by the check {host}.",
        f"Message: {rule['message']}",
    ]
    if rule.get("link"):
        lines.append(f"See: {rule['link']}")
    for key in ("tokens", "patterns"):
        if rule.get(key):
            lines.append(f"{key.capitalize()}: {', '.join(rule[key])}")
    if rule.get("swap"):
        lines.append("Swap:")
        lines += [f"  {wrong} -> {right}" for wrong, right in rule["swap"].items()]
    if rule.get("ignorecase"):
        lines.append("Case is ignored.")
    return "\n".join(lines) + "\n"
