"""The pipeline: discover → read → extract (parallel, cached) → corpus phase → filter."""

from __future__ import annotations

import fnmatch
import gc
import hashlib
import os
import stat
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pathspec

from prlint import __version__
from prlint.api import Diagnostic, Extraction, iter_unique
from prlint.baseline import Baseline
from prlint.cache import Cache
from prlint.config import Config
from prlint.corpus import Corpus, DocRecord
from prlint.document import Document
from prlint.metadata import extract_metadata
from prlint.readers import SUPPORTED_SUFFIXES, ReadError, decode, kind_of, parse
from prlint.registry import ActiveCheck, activate
from prlint.result import Result

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
    suppressions: list[tuple[int, int, frozenset[str]]] = field(default_factory=list)
    extractions: dict[str, Extraction] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    crashes: list[str] = field(default_factory=list)


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

    ``report_corpus`` reports on the corpus files too (a run given no paths at all). Only
    regular files are read: FIFOs, devices, broken links and link loops met while walking are
    skipped (``-v`` says why), and a file larger than ``max-file-size`` is skipped with a note.
    """
    found: dict[Path, Source] = {}
    for given in paths:
        p = Path(given)
        if not os.path.lexists(p):
            raise InputError(f"{given}: no such file or directory")
        try:
            mode = p.stat().st_mode
        except OSError as exc:  # a broken link, a link loop, no permission
            raise InputError(f"{given}: cannot read: {exc.strerror or exc}") from None
        if stat.S_ISDIR(mode):
            for file, display in _walk(p, given, config, result):
                found.setdefault(file.resolve(), Source(file, display, True))
            continue
        if not stat.S_ISREG(mode):
            raise InputError(f"{given}: not a regular file")
        display = _display(p, given)
        if not _matches(display, config.exclude) and _small_enough(p, display, config, result):
            found.setdefault(p.resolve(), Source(p, display, True, explicit=True))
    for pattern in config.corpus:
        try:
            matched = sorted(config.root.glob(pattern))
        except (ValueError, NotImplementedError, IndexError) as exc:
            raise InputError(f"corpus glob {pattern!r}: {exc or 'invalid pattern'}") from None
        for file in matched:
            parts = Path(os.path.relpath(file, config.root)).parts[:-1]
            if any(p in SKIP_DIRS or (p.startswith(".") and p != "..") for p in parts):
                continue
            if file.suffix.lower() not in SUPPORTED_SUFFIXES:
                continue
            display = _display(file)
            if _matches(display, config.exclude) or not _readable(file, display, result):
                continue
            if _small_enough(file, display, config, result):
                found.setdefault(file.resolve(), Source(file, display, report_corpus))
    return sorted(found.values(), key=lambda s: s.display)


def _readable(file: Path, display: str, result: Result) -> bool:
    """Whether a file met while walking is a regular file (else it is skipped, with why)."""
    try:
        mode = file.stat().st_mode
    except OSError as exc:
        result.skipped.append((display, f"cannot read: {exc.strerror or exc}"))
        return False
    if not stat.S_ISREG(mode):
        result.skipped.append((display, "not a regular file"))
        return False
    return True


def _small_enough(file: Path, display: str, config: Config, result: Result) -> bool:
    """Whether a file is within ``max-file-size``; a larger one is skipped with a note."""
    try:
        size = file.stat().st_size
    except OSError:
        return True  # reading it reports the error
    if size <= config.max_file_size * 1_000_000:
        return True
    result.notes.append(
        f"{display}: skipped, {size / 1_000_000:.1f} MB is above max-file-size "
        f"({config.max_file_size:g} MB)"
    )
    result.skipped.append((display, "above max-file-size"))
    return False


def _walk(root: Path, given: str, config: Config, result: Result) -> Iterable[tuple[Path, str]]:
    """The files under a folder that ``include`` takes, minus excluded and git-ignored ones.

    Links to folders are not followed (no loops); ``.gitignore`` files of the folder, of its
    sub-folders and of its parents up to the repository's root are respected."""
    ignores = _GitIgnores(root)
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        real = here.resolve()
        ignores.enter(real)
        dirnames[:] = sorted(
            d
            for d in dirnames
            if d not in SKIP_DIRS and not d.startswith(".") and not ignores.ignored(real / d, True)
        )
        for name in sorted(filenames):
            file = here / name
            rel = os.path.relpath(file, root)
            display = _display(file, os.path.join(given, rel))
            if not _matches(display, config.include):
                continue
            if _matches(display, config.exclude):
                result.skipped.append((display, "excluded by config"))
                continue
            if ignores.ignored(real / name, False):
                result.skipped.append((display, "ignored by .gitignore"))
                continue
            if _readable(file, display, result) and _small_enough(file, display, config, result):
                yield file, display


class _GitIgnores:
    """The ``.gitignore`` rules that apply under a folder (deeper files override)."""

    def __init__(self, root: Path) -> None:
        self.specs: list[tuple[Path, pathspec.GitIgnoreSpec]] = []
        top = root.resolve()
        parents = []
        for directory in top.parents:
            parents.append(directory)
            if (directory / ".git").exists():
                break
        else:
            parents = []  # not in a repository: only the folder's own files
        for directory in reversed(parents):
            self._load(directory)

    def _load(self, directory: Path) -> None:
        file = directory / ".gitignore"
        try:
            lines = file.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return
        self.specs.append((directory, pathspec.GitIgnoreSpec.from_lines(lines)))

    def enter(self, directory: Path) -> None:
        """Read the ``.gitignore`` of a folder (a resolved path) the walk enters."""
        self._load(directory)

    def ignored(self, path: Path, is_dir: bool) -> bool:
        """Whether git ignores ``path`` (its folder resolved)."""
        verdict = False
        for base, spec in self.specs:
            try:
                rel = path.relative_to(base).as_posix()
            except ValueError:
                continue
            include = spec.check_file(rel + "/" if is_dir else rel).include
            if include is not None:
                verdict = include
        return verdict


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
) -> Iterator[DocResult | str]:
    if not tasks:
        return
    if jobs <= 1 or len(tasks) < 4:
        gc.freeze()  # the collector runs again (see _init_worker), but skips what is loaded
        _init_worker(checks, cache)
        yield from (_extract_bytes(t) for t in tasks)
        return
    chunk = max(1, min(64, len(tasks) // (jobs * 8) or 1))
    with ProcessPoolExecutor(
        max_workers=jobs, initializer=_init_worker, initargs=(checks, cache)
    ) as pool:
        yield from pool.map(_extract_bytes, tasks, chunksize=chunk)


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
    progress: Callable[[int, int], None] | None = None,
) -> Result:
    """Lint ``paths`` (and ``texts``: name → content) and return the findings.

    ``progress(done, total)`` is called as documents are extracted."""
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
        doc_results, reported = _extract_all(
            sources, texts, checks, jobs, cache, result, progress
        )
    finally:
        (gc.enable if collecting else gc.disable)()  # serial extraction re-enables it
    gc.freeze()  # what was loaded stays alive: later collections need not walk it
    try:
        return _corpus_phase(doc_results, reported, checks, config, result, baseline)
    finally:
        gc.unfreeze()


def _extract_all(
    sources: list[Source],
    texts: Mapping[str, str] | None,
    checks: list[ActiveCheck],
    jobs: int,
    cache: Cache | None,
    result: Result,
    progress: Callable[[int, int], None] | None = None,
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

    total = len(doc_results) + len(tasks)
    for done, item in enumerate(_run_extraction(tasks, checks, jobs, cache), len(doc_results) + 1):
        if progress is not None:
            progress(done, total)
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
