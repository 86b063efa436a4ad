"""The Python API: lint releases from a notebook or a data pipeline.

>>> from prlint import lint
>>> result = lint(["seeds/"])                          # doctest: +SKIP
>>> [(d.path, d.line, d.check) for d in result.diagnostics]  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from prlint.baseline import Baseline
from prlint.config import Config, load_config, parse_config
from prlint.dask_engine import open_engine
from prlint.engine import Result, run


def lint(
    paths: Sequence[str | Path] = (),
    *,
    texts: Mapping[str, str] | None = None,
    config: Config | Mapping[str, Any] | str | Path | None = None,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    jobs: int | None = None,
    cache: bool = True,
    baseline: Baseline | str | Path | None = None,
    insights: bool = False,
    engine: str = "local",
    scheduler: Any = None,
) -> Result:
    """Lint files, folders and/or in-memory texts; return a :class:`Result`.

    ``texts`` maps a name (its suffix picks the reader: ``.md``, ``.html``, else plain text) to
    a release's content. ``config`` is a :class:`Config`, a mapping shaped like
    ``[tool.prlint]``, a path to a config file, or None to search upwards from the working
    directory. ``result.diagnostics`` holds the findings, sorted by path, line, column, check.
    ``insights=True`` also fills ``result.insights``: what each check learned per company
    (canonical names and variants, domains, contacts, facts by date), as the HTML report shows.
    ``engine="dask"`` runs the per-document phase on a Dask cluster: ``scheduler`` is a
    scheduler's address or a ``distributed.Client``; None starts a local cluster of ``jobs``
    worker processes for the call. The findings are the same as the local engine's.
    Raises ``ConfigError``, ``InputError``, ``BaselineError`` or ``EngineError`` on bad input.
    """
    if isinstance(config, Config):
        cfg = config
    elif isinstance(config, Mapping):
        cfg = parse_config(config, path=None, root=Path.cwd())
    elif config is not None:
        cfg = load_config(Path(config))
    else:
        cfg = load_config()
    if baseline is None and cfg.baseline_path() is not None:
        baseline = cfg.baseline_path()
    base = baseline if isinstance(baseline, Baseline) or baseline is None else Baseline.load(
        Path(baseline)
    )
    with open_engine(engine, scheduler, jobs) as extractor:
        return run(
            [str(p) for p in paths],
            cfg,
            select=select,
            ignore=ignore,
            jobs=jobs,
            use_cache=cache,
            baseline=base,
            texts=texts,
            insights=insights,
            extractor=extractor,
        )
