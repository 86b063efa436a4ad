"""The Python API: lint releases from a notebook or a data pipeline.

>>> from prlint import lint
>>> result = lint(["seeds/"])                          # doctest: +SKIP
>>> [(d.path, d.line, d.check) for d in result.diagnostics]  # doctest: +SKIP

The command line calls this same function and renders what it returns.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from prlint.baseline import Baseline
from prlint.config import Config, check_glob, load_config, parse_config
from prlint.dask_engine import open_engine
from prlint.engine import run
from prlint.registry import available_checks, check_names, load_packs, rule_hosts
from prlint.result import Result

_LINE_BREAK = ("\r\n", "\r", "\n")


def lint(
    paths: Sequence[str | Path] = (),
    *,
    texts: Mapping[str, str] | None = None,
    config: Config | Mapping[str, Any] | str | Path | None = None,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    exclude: Sequence[str] = (),
    jobs: int | None = None,
    cache: bool = False,
    baseline: Baseline | str | Path | None = None,
    insights: bool = False,
    use_baseline: bool = True,
    source_lines: bool = False,
    progress: Callable[[int, int], None] | None = None,
    engine: str = "local",
    scheduler: Any = None,
) -> Result:
    """Lint files, folders and/or in-memory texts; return a :class:`prlint.result.Result`.

    ``texts`` maps a name (its suffix picks the reader: ``.md``, ``.html``, else plain text) to
    a release's content. ``config`` is a :class:`Config`, a mapping shaped like
    ``[tool.prlint]``, a path to a config file, or None to search upwards from the working
    directory. ``exclude`` adds file globs to the config's. ``cache`` reads and writes
    ``.prlint_cache/`` (off by default: the API leaves no files behind). ``baseline`` (or the
    config's, unless ``use_baseline`` is false) hides the findings it records.
    ``source_lines`` keeps in the result the source line of each finding (for excerpts).
    ``progress(done, total)`` is called as documents are read. ``result.diagnostics`` holds
    the findings, sorted by path, line, column, check.

    ``insights=True`` also fills ``result.insights``: what each check learned per company
    (canonical names and variants, domains, contacts, facts by date), as the HTML report shows.
    ``engine="dask"`` runs the per-document phase on a Dask cluster: ``scheduler`` is a
    scheduler's address or a ``distributed.Client``; None starts a local cluster of ``jobs``
    worker processes for the call. The findings are the same as the local engine's.

    Raises ``ConfigError``, ``InputError``, ``BaselineError``, ``RegistryError`` or
    ``EngineError`` (all importable from ``prlint``) on bad input.
    """
    if isinstance(config, Config):
        cfg = config
    elif isinstance(config, Mapping):
        cfg = parse_config(config, path=None, root=Path.cwd())
    elif config is not None:
        cfg = load_config(Path(config))
    else:
        cfg = load_config()
    if exclude:
        extra = [check_glob(g, "--exclude") for g in exclude]
        cfg = dataclasses.replace(cfg, exclude=[*cfg.exclude, *extra])
    base: Baseline | None = None
    if use_baseline:
        if baseline is None and cfg.baseline_path() is not None:
            baseline = cfg.baseline_path()
        base = baseline if isinstance(baseline, Baseline) or baseline is None else Baseline.load(
            Path(baseline)
        )
    with open_engine(engine, scheduler, jobs) as extractor:
        result = run(
            [str(p) for p in paths],
            cfg,
            select=select,
            ignore=ignore,
            jobs=jobs,
            use_cache=cache,
            baseline=base,
            texts=texts,
            insights=insights,
            progress=progress,
            extractor=extractor,
        )
    if source_lines:
        keep_source_lines(result, texts or {})
    describe_rules(result, cfg)
    return result


def describe_rules(result: Result, config: Config) -> None:
    """Store in ``result`` what the packs say of the rules that reported under their own name
    (the packs are read again only when such a rule has findings)."""
    named = {d.check for d in result.diagnostics} - set(check_names())
    if not named:
        return
    registry = available_checks()
    hosts = rule_hosts(registry, load_packs(config))
    for name in sorted(named & set(hosts)):
        host, rule = hosts[name]
        result.rules[name] = {
            "message": str(rule.get("message") or name),
            "level": str(rule.get("level") or registry[host].severity.value),
            "link": str(rule.get("link") or ""),
        }


def keep_source_lines(result: Result, texts: Mapping[str, str]) -> None:
    """Store in ``result`` the source line of each finding (files are read once each)."""
    from prlint.readers import ReadError, decode

    wanted: dict[str, set[int]] = {}
    for d in result.diagnostics:
        wanted.setdefault(d.path, set()).add(d.line)
    for path, numbers in wanted.items():
        if path in texts:
            source = texts[path]
        else:
            try:
                source, _ = decode(Path(path).read_bytes())
            except (OSError, ReadError):
                continue
        lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        result.source_lines[path] = {n: lines[n - 1] for n in numbers if 0 < n <= len(lines)}
