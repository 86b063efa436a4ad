"""Run the per-document phase on a Dask cluster (``--engine dask [--scheduler ADDRESS]``).

The releases are split into a ``dask.bag`` of extraction tasks (paths or fsspec URLs, never
texts: each worker reads its files itself) and mapped with the local engine's own per-document
function (:func:`prlint.engine.extract_tasks`), so the records, the cache and the corpus phase
are the same code and the report is byte-identical to the local engine's. The records stay on
the workers; the client gets, partition by partition in task order, the error lines and the
cache's entries, and the corpus phase runs as one task on a worker, next to the records. The
client holds paths and findings, never the records it did not read from its cache.

The check API's corpus phase takes the whole corpus, so it is not split across workers: the
worker that runs it needs the memory the local engine's main process does.

Needs the optional extra: ``pip install 'prlint[dask]'`` (dask, distributed and fsspec).
"""

from __future__ import annotations

import contextlib
import gc
import math
import os
import sys
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from prlint import __version__
from prlint.config import Config
from prlint.discovery import SKIP_DIRS, InputError, _matches, is_url
from prlint.engine import (
    DocResult,
    Extracted,
    Outcome,
    Task,
    _corpus_phase,
    extract_tasks,
    kind_of,
)
from prlint.registry import ActiveCheck
from prlint.result import Result

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
) -> Iterator[DaskEngine | None]:
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
        with _releasing(DaskEngine(scheduler, progress=progress)) as dask_engine:
            yield dask_engine
        return
    with _client(scheduler, jobs) as client:
        _check_workers(client, scheduler or "the local cluster")
        with _releasing(DaskEngine(client, progress=progress)) as dask_engine:
            yield dask_engine


@contextlib.contextmanager
def _releasing(dask_engine: DaskEngine) -> Iterator[DaskEngine]:
    """The engine, whose records the cluster drops however the run ends (the client may be
    the caller's, kept open)."""
    try:
        yield dask_engine
    finally:
        dask_engine.release()


@contextlib.contextmanager
def _client(address: str | None, jobs: int | None) -> Iterator[Any]:
    """A client of the scheduler at ``address``, or of a LocalCluster started for the run."""
    import logging

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
    import importlib.metadata

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


class DaskEngine:
    """The extractor :func:`prlint.engine.run` calls on a Dask client.

    Extraction maps the local engine's per-document function over partitions of tasks; each
    partition's records stay on the worker that made them, and the client gets, in task order,
    what it needs only: error lines, the cache's encoded records and the paths. ``judge`` then
    runs the corpus phase as one task on a worker, next to the records, and the client gets the
    findings back. ``list_urls`` lists fsspec URLs for the workers to read."""

    def __init__(self, client: Any, *, progress: bool = False) -> None:
        self.client = client
        self.progress = progress
        self._records: list[Any] = []  # futures: each partition's records, on its worker

    def list_urls(self, urls: list[str], config: Config, result: Result) -> list[Task]:
        """The releases under fsspec URLs, as tasks the workers read (see :func:`list_urls`)."""
        return list_urls(urls, config, result)

    def __call__(
        self, tasks: list[Task], checks: list[ActiveCheck], caching: bool
    ) -> Iterator[Extracted | str]:
        """Map the tasks over the cluster; yield the client's part of each answer in task
        order, a partition at a time; keep the records on the workers for :meth:`judge`."""
        import dask
        import dask.bag as db
        from distributed import as_completed

        self.release()
        client = self.client
        # workers have their own working folder: they read each file by its absolute path
        tasks = [
            (name, kind, where if isinstance(where, bytes) or is_url(where)
             else os.path.abspath(where), cache)
            for name, kind, where, cache in tasks
        ]  # fmt: skip
        npartitions = max(1, math.ceil(len(tasks) / PARTITION))
        bag = db.from_sequence(tasks, npartitions=npartitions)
        shared = dask.delayed(checks, pure=True)  # one copy per worker, not one per partition
        mapped = bag.map_partitions(_extract_partition, shared, caching)
        parts = client.compute(mapped.to_delayed())
        self._records = client.map(_records_of, parts)
        light = client.map(_client_part_of, parts)
        del parts  # the scheduler keeps each partition until both parts are made
        order = {f.key: i for i, f in enumerate(light)}
        done: dict[int, list[Extracted | str]] = {}
        next_index = 0
        with _progress(len(tasks), self.progress) as advance:
            try:
                for future in as_completed(light):
                    answers = future.result()
                    future.release()
                    done[order[future.key]] = answers
                    advance(sum(1 for a in answers if not isinstance(a, str)))
                    while next_index in done:
                        yield from done.pop(next_index)
                        next_index += 1
            except EngineError:
                self.release()
                raise
            except Exception as exc:  # a worker died, lost the scheduler or could not unpickle
                self.release()
                raise EngineError(f"the Dask cluster failed: {_one_line(exc)}") from None
            finally:
                client.cancel([f for f in light if not f.done()])

    def judge(
        self,
        cached: list[DocResult],
        reported: dict[str, bool],
        checks: list[ActiveCheck],
        config: Config,
        result: Result,
        insights: bool,
    ) -> Outcome:
        """The corpus phase on one worker, over the records the workers hold and ``cached``
        (the records the client read from the cache); its timings and insights go into
        ``result``. With nothing on the cluster it runs here."""
        if not self._records:
            return _corpus_phase(cached, reported, checks, config, result, insights=insights)
        import uuid

        client = self.client
        try:
            shipped = client.scatter({f"prlint-cached-{uuid.uuid4().hex}": cached}, hash=False)
            future = client.submit(
                _judge, self._records, list(shipped.values()), reported, checks, config,
                insights, pure=False,
            )  # fmt: skip
            outcome, remote = future.result()
        except EngineError:
            raise
        except Exception as exc:
            raise EngineError(f"the Dask cluster failed: {_one_line(exc)}") from None
        finally:
            self.release()
        for name, secs in remote.timings.items():
            result.timings[name] = result.timings.get(name, 0.0) + secs
        if insights:
            result.insights, result.companies = remote.insights, remote.companies
        return outcome

    def release(self) -> None:
        """Drop the records the cluster holds for this client."""
        if self._records:
            self.client.cancel(self._records)
            self._records = []


def _extract_partition(
    tasks: list[Task], checks: list[ActiveCheck], caching: bool
) -> list[Extracted | str]:
    """On a worker: the local engine's answers for a partition (URLs read here, a binary one
    dropped). Timings are summed over the partition, on its first record."""
    answers: list[Extracted | str] = []
    for task in tasks:
        fetched = _fetch(task)
        if isinstance(fetched, tuple):
            answers.extend(extract_tasks([fetched], checks, caching))
        elif fetched is not None:
            answers.append(fetched)
    timings: dict[str, float] = {}
    first = None
    for item in answers:
        if isinstance(item, str):
            continue
        doc = item.doc
        assert doc is not None  # extract_tasks sends whole records
        for name, secs in doc.timings.items():
            timings[name] = timings.get(name, 0.0) + secs
        doc.timings = {}
        first = first or doc
    if first is not None:
        first.timings = timings
    return answers


def _records_of(answers: list[Extracted | str]) -> list[DocResult]:
    """On a worker: a partition's records, for the corpus phase."""
    return [a.doc for a in answers if not isinstance(a, str) and a.doc is not None]


def _client_part_of(answers: list[Extracted | str]) -> list[Extracted | str]:
    """On a worker: what the client needs of a partition's answers: the error lines, and each
    record's path and cache entry (the encoded record, only when caching)."""
    return [
        a if isinstance(a, str) else replace(a, doc=DocResult(path=a.path)) for a in answers
    ]


def _judge(
    parts: list[list[DocResult]],
    cached: list[list[DocResult]],
    reported: dict[str, bool],
    checks: list[ActiveCheck],
    config: Config,
    insights: bool,
) -> tuple[Outcome, Result]:
    """On a worker: the corpus phase over every record; the outcome, and a result holding its
    timings and insights."""
    records = [doc for part in (*parts, *cached) for doc in part]
    result = Result()
    collecting = gc.isenabled()
    gc.disable()  # as on the local engine's client: the records are millions of objects
    try:
        outcome = _corpus_phase(records, reported, checks, config, result, insights=insights)
    finally:
        if collecting:
            gc.enable()
    return outcome, result


def _fetch(task: Task) -> Task | str | None:
    """On a worker: a task whose release is a URL, as one carrying its bytes, an error line
    if it cannot be read, or None for a binary file (skipped, as the local walk skips it);
    other tasks as they are."""
    display, kind, where, _ = task
    if isinstance(where, bytes) or not is_url(where):
        return task
    import fsspec

    try:
        with fsspec.open(where, "rb") as fh:
            data = fh.read()
    except (OSError, ValueError, ImportError) as exc:
        return f"{display}: cannot read: {_one_line(exc)}"
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    return (display, kind, data, False)


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


def _one_line(exc: BaseException, *, named: bool = True) -> str:
    """The first line of an exception's message, after its type's name if ``named``."""
    text = str(exc).strip().splitlines()
    if not text:
        return type(exc).__name__
    return f"{type(exc).__name__}: {text[0]}" if named else text[0]


def list_urls(urls: list[str], config: Config, result: Result) -> list[Task]:
    """The releases under fsspec URLs (a folder is walked, hidden files and folders skipped),
    as tasks the workers read, sorted; the config's include, exclude and max-file-size apply
    as to a local folder. A bad URL or a protocol whose package is missing is an ``InputError``."""
    from fsspec.core import url_to_fs

    found: dict[str, Task] = {}
    for url in urls:
        try:
            fs, root = url_to_fs(url)
            if fs.isdir(root):
                infos = fs.find(root, detail=True)
            elif fs.isfile(root):
                infos = {root: fs.info(root)}
            else:
                raise InputError(f"{url}: no such file or directory")
        except InputError:
            raise
        except ImportError as exc:  # fsspec names the package the protocol needs
            raise InputError(f"{url}: {_one_line(exc, named=False)}") from None
        except Exception as exc:  # an unknown protocol, a bad address, no permission...
            raise InputError(f"{url}: cannot list: {_one_line(exc)}") from None
        base = root.rstrip("/")
        for path, info in sorted(infos.items()):
            if info.get("type", "file") != "file":
                continue
            rel = path[len(base):].lstrip("/") if path.startswith(base) else path
            *parts, name = rel.split("/")
            if any(p in SKIP_DIRS or p.startswith(".") for p in parts) or (
                rel and name.startswith(".")
            ):
                continue  # hidden files and folders, as a local walk skips them
            display = f"{url.rstrip('/')}/{rel}" if rel else url
            if rel and not _matches(display, config.include):  # a file named is read
                continue
            if _matches(display, config.exclude):
                result.skipped.append((display, "excluded by config"))
                continue
            size = info.get("size") or 0
            if size > config.max_file_size * 1_000_000:
                result.notes.append(
                    f"{display}: skipped, {size / 1_000_000:.1f} MB is above max-file-size "
                    f"({config.max_file_size:g} MB)"
                )
                result.skipped.append((display, "above max-file-size"))
                continue
            found.setdefault(display, (display, kind_of(display), fs.unstrip_protocol(path), False))
    return [found[d] for d in sorted(found)]
