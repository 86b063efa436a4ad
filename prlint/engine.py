"""The pipeline: discover → read → extract (parallel, cached) → corpus phase → filter."""

from __future__ import annotations

import fnmatch
import gc
import hashlib
import os
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prlint import __version__
from prlint.api import Diagnostic, Extraction, Insight, Severity, iter_unique
from prlint.baseline import Baseline
from prlint.cache import Cache
from prlint.companies import Company, identity_of
from prlint.config import Config
from prlint.corpus import Corpus, DocRecord
from prlint.document import Document
from prlint.metadata import extract_metadata
from prlint.readers import SUPPORTED_SUFFIXES, ReadError, decode, kind_of, parse
from prlint.registry import ActiveCheck, activate

SKIP_DIRS = frozenset({".git", ".hg", ".svn", ".prlint_cache", ".venv", "venv", "node_modules",
                       "__pycache__", ".tox", ".mypy_cache", ".pytest_cache",
                       ".ruff_cache"})  # fmt: skip


class InputError(Exception):
    """A path given that does not exist (a usage error: exit 2)."""


@dataclass(frozen=True)
class Source:
    """A file to read: where it is and how it is reported."""

    path: Path
    display: str
    reported: bool
    explicit: bool = False  # named on the command line, not met while walking a folder


@dataclass
class DocResult:
    """Everything extraction learned from one document (what the cache stores)."""

    path: str
    release_date: Any = None
    company: str | None = None
    ticker: str | None = None
    identity: Any = None  # prlint.companies.Identity
    suppressions: list[tuple[int, int, frozenset[str]]] = field(default_factory=list)
    extractions: dict[str, Extraction] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    crashes: list[str] = field(default_factory=list)


@dataclass
class Result:
    """The outcome of a run."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    files_checked: int = 0
    errors: list[str] = field(default_factory=list)  # one line each: unreadable files, crashes
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, why)
    undated: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    cache_hits: int = 0
    baselined: int = 0
    #: what the checks learned per company, and the corpus's companies by key (tickers,
    #: releases, names, domains); both filled only when asked (``run(insights=True)``)
    insights: list[Insight] = field(default_factory=list)
    companies: dict[str, Company] = field(default_factory=dict)

    def summary(self) -> dict[str, int]:
        counts = {s.value: 0 for s in Severity}
        for d in self.diagnostics:
            counts[d.severity.value] += 1
        return counts


# -- discovery ------------------------------------------------------------------------------
def _display(path: Path, given: str | None = None) -> str:
    if given is not None:
        return os.path.normpath(given).replace(os.sep, "/")
    try:
        return os.path.relpath(path).replace(os.sep, "/")
    except ValueError:  # another drive on Windows
        return str(path)


def _matches(display: str, patterns: Sequence[str]) -> bool:
    name = display.rsplit("/", 1)[-1]
    return any(
        fnmatch.fnmatch(display, p)
        or fnmatch.fnmatch(name, p)
        or fnmatch.fnmatch(display, f"*/{p}")
        for p in patterns
    )


def discover(
    paths: Sequence[str], config: Config, result: Result, *, report_corpus: bool = False
) -> list[Source]:
    """The files of a run: given paths (reported) plus the config's corpus (reference).

    ``report_corpus`` reports on the corpus files too (a run given no paths at all).
    """
    found: dict[Path, Source] = {}
    for given in paths:
        p = Path(given)
        if not p.exists():
            raise InputError(f"{given}: no such file or directory")
        if p.is_file():
            display = _display(p, given)
            if not _matches(display, config.exclude):
                found.setdefault(p.resolve(), Source(p, display, True, explicit=True))
            continue
        for file, display in _walk(p, given, config, result):
            found.setdefault(file.resolve(), Source(file, display, True))
    for pattern in config.corpus:
        for file in sorted(config.root.glob(pattern)):
            parts = Path(os.path.relpath(file, config.root)).parts[:-1]
            if any(p in SKIP_DIRS or (p.startswith(".") and p != "..") for p in parts):
                continue
            if file.is_file() and file.suffix.lower() in SUPPORTED_SUFFIXES:
                display = _display(file)
                if not _matches(display, config.exclude):
                    found.setdefault(file.resolve(), Source(file, display, report_corpus))
    return sorted(found.values(), key=lambda s: s.display)


def _walk(root: Path, given: str, config: Config, result: Result) -> Iterable[tuple[Path, str]]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
        for name in sorted(filenames):
            file = Path(dirpath) / name
            rel = os.path.relpath(file, root)
            display = _display(file, os.path.join(given, rel))
            if not _matches(display, config.include):
                continue
            if _matches(display, config.exclude):
                result.skipped.append((display, "excluded by config"))
                continue
            yield file, display


# -- extraction -----------------------------------------------------------------------------
_WORKER_CHECKS: list[ActiveCheck] = []
_WORKER_CACHE: Cache | None = None
#: display path, kind, the file's path (read in the worker) or its content, cache key ("" = none)
Task = tuple[str, str, "str | bytes", str]


def _init_worker(checks: list[ActiveCheck], cache: Cache | None) -> None:
    global _WORKER_CHECKS, _WORKER_CACHE
    _WORKER_CHECKS, _WORKER_CACHE = checks, cache
    gc.enable()  # a forked worker inherits the main process's paused collector


def extract_document(doc: Document, checks: Sequence[ActiveCheck]) -> DocResult:
    """Run every check's per-document phase on a parsed document."""
    extract_metadata(doc)
    out = DocResult(
        path=doc.path,
        release_date=doc.meta.release_date,
        company=doc.meta.company,
        ticker=doc.meta.ticker,
        identity=identity_of(doc),
        suppressions=doc.suppressions,
    )
    for active in checks:
        started = time.perf_counter()
        try:
            out.extractions[active.ctx.name] = active.check.extract(doc, active.ctx)
        except Exception as exc:  # one broken check must not lose the other findings
            out.crashes.append(f"{doc.path}: check '{active.ctx.name}' failed: {exc!r}")
        out.timings[active.ctx.name] = time.perf_counter() - started
    return out


def _extract_bytes(task: Task) -> DocResult | str:
    """Worker entry point: decode, parse, extract and cache; an error string on failure."""
    display, kind, payload, key = task
    if isinstance(payload, str):  # a file: read here, so the main process holds no contents
        try:
            data = Path(payload).read_bytes()
        except OSError as exc:
            return f"{display}: cannot read: {exc.strerror or exc}"
        if key and _WORKER_CACHE is not None:
            key = _WORKER_CACHE.key(display, data)  # the content extracted, even if it changed
    else:
        data = payload
    try:
        source, encoding = decode(data)
    except ReadError as exc:
        return f"{display}: {exc}"
    doc = parse(display, source, kind=kind, encoding=encoding)
    out = extract_document(doc, _WORKER_CHECKS)
    if _WORKER_CACHE is not None and key:
        _WORKER_CACHE.store(key, out)  # in the worker: cache writes run in parallel too
    return out


def _run_extraction(
    tasks: list[Task], checks: list[ActiveCheck], jobs: int, cache: Cache | None
) -> list[DocResult | str]:
    if not tasks:
        return []
    if jobs <= 1 or len(tasks) < 4:
        gc.freeze()  # the collector runs again (see _init_worker), but skips what is loaded
        _init_worker(checks, cache)
        return [_extract_bytes(t) for t in tasks]
    chunk = max(1, min(64, len(tasks) // (jobs * 8) or 1))
    with ProcessPoolExecutor(
        max_workers=jobs, initializer=_init_worker, initargs=(checks, cache)
    ) as pool:
        return list(pool.map(_extract_bytes, tasks, chunksize=chunk))


# -- the run --------------------------------------------------------------------------------
def run(
    paths: Sequence[str],
    config: Config,
    *,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    jobs: int | None = None,
    use_cache: bool = True,
    baseline: Baseline | None = None,
    texts: Mapping[str, str] | None = None,
    insights: bool = False,
) -> Result:
    """Lint ``paths`` (and ``texts``: name → content) and return the findings.

    ``insights`` also collects what each check learned per company (for the corpus report).
    """
    result = Result()
    checks = activate(config, select=select, ignore=ignore)
    sources = discover(paths, config, result, report_corpus=not paths and not texts)
    jobs = jobs or os.cpu_count() or 1
    cache = Cache(config.root / ".prlint_cache", _cache_salt(config, checks)) if use_cache else None

    # Unpickling tens of thousands of results allocates millions of objects: with the cyclic
    # collector running, each full collection walks them all again (7x slower on 24k releases).
    collecting = gc.isenabled()
    gc.disable()
    try:
        doc_results, reported = _extract_all(sources, texts, checks, jobs, cache, result)
    finally:
        (gc.enable if collecting else gc.disable)()  # serial extraction re-enables it
    gc.freeze()  # what was loaded stays alive: later collections need not walk it
    try:
        return _corpus_phase(
            doc_results, reported, checks, config, result, baseline, insights=insights
        )
    finally:
        gc.unfreeze()


def _extract_all(
    sources: list[Source],
    texts: Mapping[str, str] | None,
    checks: list[ActiveCheck],
    jobs: int,
    cache: Cache | None,
    result: Result,
) -> tuple[list[DocResult], dict[str, bool]]:
    """Every document's extraction (from the cache, else from the workers) and whether each
    document is reported on."""
    doc_results: list[DocResult] = []
    reported: dict[str, bool] = {}
    tasks: list[Task] = []
    for src in sources:
        try:
            data = src.path.read_bytes()
        except OSError as exc:
            result.errors.append(f"{src.display}: cannot read: {exc.strerror or exc}")
            continue
        if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            if src.explicit:
                result.errors.append(f"{src.display}: binary file, not a text release")
            else:
                result.skipped.append((src.display, "binary file"))
            continue
        reported[src.display] = src.reported
        key = cache.key(src.display, data) if cache else ""
        cached = cache.load(key) if cache else None
        if isinstance(cached, DocResult):
            doc_results.append(cached)
            result.cache_hits += 1
        else:
            tasks.append((src.display, kind_of(src.path), str(src.path), key))
    for name, text in sorted((texts or {}).items()):
        reported[name] = True
        tasks.append((name, kind_of(name), text.encode("utf-8"), ""))

    for item in _run_extraction(tasks, checks, jobs, cache):
        if isinstance(item, str):
            result.errors.append(item)
            continue
        doc_results.append(item)
    return doc_results, reported


def _corpus_phase(
    doc_results: list[DocResult],
    reported: dict[str, bool],
    checks: list[ActiveCheck],
    config: Config,
    result: Result,
    baseline: Baseline | None,
    *,
    insights: bool = False,
) -> Result:
    doc_results.sort(key=lambda d: d.path)
    diags: list[Diagnostic] = []
    records = []
    for dr in doc_results:
        result.errors.extend(dr.crashes)
        for name, secs in dr.timings.items():
            result.timings[name] = result.timings.get(name, 0.0) + secs
        if reported.get(dr.path):
            result.files_checked += 1
            if dr.release_date is None:
                result.undated.append(dr.path)
        records.append(
            DocRecord(
                path=dr.path,
                reported=reported.get(dr.path, False),
                release_date=dr.release_date,
                company=dr.company,
                ticker=dr.ticker,
                identity=dr.identity,
                folder=dr.path.rsplit("/", 1)[0] if "/" in dr.path else "",
                facts={n: e.facts for n, e in dr.extractions.items() if e.facts is not None},
            )
        )
        for ext in dr.extractions.values():
            diags.extend(ext.diagnostics)
    corpus = Corpus(records, dict(config.company))
    for active in checks:
        started = time.perf_counter()
        try:
            diags.extend(active.check.compare(corpus, active.ctx))
        except Exception as exc:
            result.errors.append(f"check '{active.ctx.name}' failed in the corpus phase: {exc!r}")
        result.timings[active.ctx.name] = (
            result.timings.get(active.ctx.name, 0.0) + time.perf_counter() - started
        )
    if insights:
        result.insights = collect_insights(corpus, checks, result)
        result.companies = dict(corpus.companies.companies)
    suppressions = {dr.path: dr.suppressions for dr in doc_results}
    kept = [
        d
        for d in iter_unique(diags)
        if reported.get(d.path)
        and not _suppressed(d, suppressions.get(d.path, []))
        and not _ignored_for_file(d, config.per_file_ignores)
    ]
    if baseline is not None:
        before = len(kept)
        kept = baseline.filter(kept)
        result.baselined = before - len(kept)
    result.diagnostics = sorted(kept, key=lambda d: d.sort_key)
    return result


def collect_insights(
    corpus: Corpus, checks: Sequence[ActiveCheck], result: Result
) -> list[Insight]:
    """Every check's insights on ``corpus``, ordered by company, topic and key.

    Run after the checks' ``compare``; a check that fails here costs its insights only (the
    failure is one line of ``result.errors``), and its time counts in ``result.timings``.
    """
    found: list[Insight] = []
    for active in checks:
        started = time.perf_counter()
        try:
            found.extend(active.check.insights(corpus, active.ctx))
        except Exception as exc:
            result.errors.append(f"check '{active.ctx.name}' failed collecting insights: {exc!r}")
        result.timings[active.ctx.name] = (
            result.timings.get(active.ctx.name, 0.0) + time.perf_counter() - started
        )
    return sorted(found, key=lambda i: (i.company, i.topic, i.key))


def _suppressed(d: Diagnostic, regions: list[tuple[int, int, frozenset[str]]]) -> bool:
    return any(
        first <= d.line <= last and (not names or d.check in names)
        for first, last, names in regions
    )


def _ignored_for_file(d: Diagnostic, per_file: dict[str, list[str]]) -> bool:
    for pattern, names in per_file.items():
        if _matches(d.path, [pattern]) and (d.check in names or "ALL" in names):
            return True
    return False


def _cache_salt(config: Config, checks: list[ActiveCheck]) -> str:
    names = ",".join(sorted(f"{a.ctx.name}:{sorted(a.ctx.options.items())}" for a in checks))
    return f"{__version__}|{config.fingerprint()}|{names}|{_code_fingerprint(checks)}"


def _code_fingerprint(checks: list[ActiveCheck]) -> str:
    """A hash of the code extraction runs: prlint's modules and each check's package (its
    modules and YAML packs), so an edited or upgraded check never reads stale cache entries."""
    files = set(Path(__file__).resolve().parent.glob("*.py"))
    for active in checks:
        module = sys.modules.get(type(active.check).__module__)
        source = getattr(module, "__file__", None)
        if not source:
            continue
        path = Path(source).resolve()
        files.add(path)
        if module is not None and "." in module.__name__:  # inside a package: its siblings too
            files.update(path.parent.glob("*.py"))
            files.update(path.parent.glob("packs/*.yaml"))
    digest = hashlib.sha256()
    for file in sorted(files):
        try:
            digest.update(file.read_bytes())
        except OSError:
            digest.update(str(file).encode())
    return digest.hexdigest()[:16]
