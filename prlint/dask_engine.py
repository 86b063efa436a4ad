"""Run the per-document phase on a Dask cluster (``--engine dask [--scheduler ADDRESS]``).

The releases are split into a ``dask.bag`` of extraction tasks (paths, never texts: each worker
reads its files itself) and mapped with the local engine's own per-document function
(:func:`prlint.engine.extract_tasks`), so the records, the cache and the corpus phase are the
same code and the report is byte-identical to the local engine's. The client gathers one
partition's records at a time, in task order, and runs the corpus phase on them.

Needs the optional extra: ``pip install 'prlint[dask]'`` (dask and distributed).
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import logging
import math
import os
import sys
from collections.abc import Iterator
from functools import partial
from typing import Any

from prlint import __version__
from prlint.engine import Extracted, Extractor, Task, extract_tasks
from prlint.registry import ActiveCheck

ENGINES = ("local", "dask")
#: tasks per partition: large enough to keep the scheduler's overhead small, small enough to
#: balance the workers and keep each gathered batch of records small on the client
PARTITION = 64
CONNECT_TIMEOUT = "10s"
WORKERS_TIMEOUT = 30  # seconds to wait for a first worker to join a running scheduler


class EngineError(Exception):
    """The engine cannot run: the extra is missing, the scheduler is unreachable, a worker
    lacks prlint or failed (a usage error: exit 2, one line)."""


@contextlib.contextmanager
def open_engine(
    engine: str = "local",
    scheduler: Any = None,
    jobs: int | None = None,
    *,
    progress: bool = False,
) -> Iterator[Extractor | None]:
    """The extractor of ``engine`` for :func:`prlint.engine.run` (None: the local pool).

    ``scheduler`` is a Dask scheduler's address, a ``distributed.Client`` (kept open), or
    None to start a ``LocalCluster`` of ``jobs`` worker processes for the run."""
    if engine not in ENGINES:
        raise EngineError(f"unknown engine {engine!r} (choose from {', '.join(ENGINES)})")
    if engine == "local":
        if scheduler is not None:
            raise EngineError("a scheduler needs the dask engine (--engine dask)")
        yield None
        return
    try:
        from distributed import Client
    except ImportError:
        raise EngineError(
            "the dask engine needs the dask extra: pip install 'prlint[dask]'"
        ) from None
    if isinstance(scheduler, Client):
        _check_workers(scheduler, str(scheduler.scheduler.address))
        yield partial(_extract_on, scheduler, progress=progress)
        return
    with _client(scheduler, jobs) as client:
        _check_workers(client, scheduler or "the local cluster")
        yield partial(_extract_on, client, progress=progress)


@contextlib.contextmanager
def _client(address: str | None, jobs: int | None) -> Iterator[Any]:
    """A client of the scheduler at ``address``, or of a LocalCluster started for the run."""
    from distributed import Client, LocalCluster

    if address is None:
        with LocalCluster(
            n_workers=jobs or os.cpu_count() or 1,
            threads_per_worker=1,  # extraction is Python: one task per process at a time
            processes=True,
            dashboard_address=":0",
            silence_logs=logging.ERROR,
        ) as cluster, Client(cluster) as client:
            yield client
        return
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise EngineError(f"cannot reach the Dask scheduler at {address}: {reason}") from None
    with client:
        try:
            client.wait_for_workers(1, timeout=WORKERS_TIMEOUT)
        except (OSError, TimeoutError):
            raise EngineError(
                f"no Dask worker joined the scheduler at {address} within {WORKERS_TIMEOUT}s"
            ) from None
        yield client


def _check_workers(client: Any, where: str) -> None:
    """Every worker must have this version of prlint installed (they import its checks)."""
    try:
        found = client.run(importlib.metadata.version, "prlint", on_error="return")
    except (OSError, TimeoutError) as exc:
        raise EngineError(f"cannot reach the Dask workers of {where}: {exc}") from None
    for worker, version in sorted(found.items()):
        if isinstance(version, BaseException):
            raise EngineError(
                f"Dask worker {worker} lacks prlint: pip install prlint=={__version__} there"
            )
        if version != __version__:
            raise EngineError(
                f"Dask worker {worker} has prlint {version}, this client {__version__}: "
                "install the same version on every worker"
            )


def _extract_on(
    client: Any,
    tasks: list[Task],
    checks: list[ActiveCheck],
    caching: bool,
    *,
    progress: bool,
) -> Iterator[Extracted | str]:
    """Map the tasks over the cluster; yield the answers in task order, a partition at a time,
    releasing each partition's records on the cluster once the client has them."""
    import dask
    import dask.bag as db
    from distributed import as_completed

    # workers have their own working folder: they read each file by its absolute path
    tasks = [
        (name, kind, os.path.abspath(where) if isinstance(where, str) else where, cache)
        for name, kind, where, cache in tasks
    ]
    npartitions = max(1, math.ceil(len(tasks) / PARTITION))
    bag = db.from_sequence(tasks, npartitions=npartitions)
    shared = dask.delayed(checks, pure=True)  # one copy per worker, not one per partition
    mapped = bag.map_partitions(_extract_partition, shared, caching)
    futures = client.compute(mapped.to_delayed())
    order = {f.key: i for i, f in enumerate(futures)}
    done: dict[int, list[Extracted | str]] = {}
    next_index = 0
    with _progress(len(tasks), progress) as advance:
        try:
            for future in as_completed(futures):
                answers = future.result()
                future.release()
                done[order[future.key]] = answers
                advance(len(answers))
                while next_index in done:
                    yield from done.pop(next_index)
                    next_index += 1
        except EngineError:
            raise
        except Exception as exc:  # a worker died, lost the scheduler or could not unpickle
            raise EngineError(f"the Dask cluster failed: {_one_line(exc)}") from None
        finally:
            client.cancel([f for f in futures if not f.done()])


def _extract_partition(
    tasks: list[Task], checks: list[ActiveCheck], caching: bool
) -> list[Extracted | str]:
    """On a worker: the local engine's answers for a partition, less what the client would hold
    for nothing (checks' empty extractions; timings summed over the partition, on its first
    record). The cache's copy of each record was encoded before, in full."""
    answers = extract_tasks(tasks, checks, caching)
    timings: dict[str, float] = {}
    first = None
    for item in answers:
        if isinstance(item, str):
            continue
        doc = item.doc
        for name, secs in doc.timings.items():
            timings[name] = timings.get(name, 0.0) + secs
        doc.timings = {}
        doc.extractions = {
            name: ext
            for name, ext in doc.extractions.items()
            if ext.facts is not None or ext.diagnostics
        }
        first = first or doc
    if first is not None:
        first.timings = timings
    return answers


@contextlib.contextmanager
def _progress(total: int, enabled: bool) -> Iterator[Any]:
    """A progress bar of releases extracted, on stderr (only when it is a terminal)."""
    if not enabled:
        yield lambda n: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(file=sys.stderr),
        transient=True,
    ) as bar:
        task = bar.add_task("extracting on Dask", total=total)
        yield lambda n: bar.advance(task, n)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__
