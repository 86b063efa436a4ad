"""The pipeline: discover → read → extract (parallel, cached) → corpus phase → filter."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import itertools
import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prlint import __version__, codec, english, heap, registry, reuse
from prlint.api import Diagnostic, Extraction, Insight, iter_unique
from prlint.cache import Cache, Entry, content_key, load_start, record_digest, store_start
from prlint.config import Config
from prlint.corpus import Corpus, DocRecord
from prlint.discovery import InputError, Source, _matches, discover, is_url
from prlint.registry import ActiveCheck, activate
from prlint.result import Result

if TYPE_CHECKING:  # what only extraction uses is imported on use: a warm run needs none of it

    from prlint.baseline import Baseline
    from prlint.document import Document


@dataclass(slots=True)
class DocResult:
    """Everything extraction learned from one document (what the cache stores)."""

    path: str
    release_date: Any = None
    company: str | None = None
    ticker: str | None = None
    identity: Any = None  # prlint.companies.Identity
    suppressions: list[tuple[int, int, frozenset[str]]] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)  # check name -> its facts, if any
    keys: dict[str, bytes] = field(default_factory=dict)  # check name -> its key_digests
    diagnostics: list[Diagnostic] = field(default_factory=list)  # the checks' local findings
    timings: dict[str, float] = field(default_factory=dict)
    crashes: list[str] = field(default_factory=list)


# -- extraction -----------------------------------------------------------------------------
_WORKER_CHECKS: list[ActiveCheck] = []
_WORKER_CACHING = False
_WORKER_SLIM = False  # a local pool's worker: it sends records encoded (see Extracted)
#: display path, kind, the file's path (read in the worker) or its content, whether to cache
Task = tuple[str, str, "str | bytes", bool]


@dataclass
class Extracted:
    """A worker's answer: the record, and what the cache keeps of it (``payload`` None: not
    cached). A local pool's worker sends the record encoded (``encoded``, ``doc`` None): the
    main process decodes it with the texts of the other records shared (see :func:`_record`),
    so the corpus it holds is smaller than records unpickled one by one, and a record encoded
    for the cache is not pickled too."""

    doc: DocResult | None
    key: str = ""
    size: int = 0
    mtime_ns: int = 0
    payload: bytes | None = None
    path: str = ""  # the record's display path
    timings: dict[str, float] = field(default_factory=dict)  # the record's (see DocResult)
    encoded: bytes | None = None  # the record, when ``doc`` is None


@dataclass
class Outcome:
    """The corpus phase's result before the baseline: what the report cache keeps."""

    diagnostics: list[Diagnostic]
    errors: list[str]
    files_checked: int
    undated: list[str]


def _set_worker(checks: list[ActiveCheck], caching: bool, slim: bool = False) -> None:
    global _WORKER_CHECKS, _WORKER_CACHING, _WORKER_SLIM
    _WORKER_CHECKS, _WORKER_CACHING, _WORKER_SLIM = checks, caching, slim


def _init_worker(checks: list[ActiveCheck], caching: bool, slim: bool = False) -> None:
    _set_worker(checks, caching, slim)
    gc.enable()  # a forked worker inherits the main process's paused collector


def extract_document(doc: Document, checks: Sequence[ActiveCheck]) -> DocResult:
    """Run every check's per-document phase on a parsed document."""
    from prlint.companies import identity_of
    from prlint.metadata import extract_metadata

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
            ext: Extraction = active.check.extract(doc, active.ctx)
            if ext.facts is not None:  # None tells the corpus phase nothing: not kept
                out.facts[active.ctx.name] = ext.facts
                if ext.keys is not None:
                    out.keys[active.ctx.name] = key_digests(ext.keys)
            out.diagnostics.extend(ext.diagnostics)
        except Exception as exc:  # one broken check must not lose the other findings
            out.crashes.append(f"{doc.path}: check '{active.ctx.name}' failed: {exc!r}")
        out.timings[active.ctx.name] = time.perf_counter() - started
    return out


def extract_bytes(
    display: str, kind: str, data: bytes, checks: Sequence[ActiveCheck]
) -> DocResult | str:
    """One document from its bytes to its extraction record (an error line if undecodable).

    A pure function of its arguments: the unit of work any executor can map."""
    from prlint.readers import ReadError, decode, parse

    try:
        source, encoding = decode(data)
    except ReadError as exc:
        return f"{display}: {exc}"
    return extract_document(parse(display, source, kind=kind, encoding=encoding), checks)


def _extract_task(task: Task) -> Extracted | str:
    """Worker entry point: read, extract and encode for the cache; an error line on failure."""
    display, kind, payload, caching = task
    size = mtime_ns = 0
    if isinstance(payload, str):  # a file: read here, so the main process holds no contents
        try:
            st = os.stat(payload)  # before reading: a later edit shows as a newer mtime
            data = Path(payload).read_bytes()
        except OSError as exc:
            return f"{display}: cannot read: {exc.strerror or exc}"
        size, mtime_ns = st.st_size, st.st_mtime_ns
    else:
        data = payload
    out = extract_bytes(display, kind, data, _WORKER_CHECKS)
    if isinstance(out, str):
        return out
    cached = caching and _WORKER_CACHING
    encoded = None
    if cached or _WORKER_SLIM:
        # encoded records carry no timings: -v reports only the work of the run that did it
        with contextlib.suppress(codec.CodecError):
            encoded = encode_record(out)
    answer = Extracted(out, path=out.path, timings=out.timings)
    if cached:
        answer.key, answer.size, answer.mtime_ns = content_key(data), size, mtime_ns
        answer.payload = encoded
    if _WORKER_SLIM and encoded is not None:
        answer.doc, answer.encoded = None, encoded  # one bytes object, pickled once
    return answer


def key_digests(keys: Iterable[Any]) -> bytes:
    """Keys as a record keeps them: the 8-byte digests of their reprs, sorted and joined (a
    few bytes per key, the same in every process; keys alike by chance only bring a run more
    facts to compare)."""
    digests = {hashlib.blake2b(repr(k).encode(), digest_size=8).digest() for k in keys}
    return b"".join(sorted(digests))


def _split_digests(data: bytes) -> list[bytes]:
    return [data[i : i + 8] for i in range(0, len(data), 8)]


def encode_record(doc: DocResult) -> bytes:
    """A record as the cache keeps it and a worker sends it, without its timings. Each
    check's facts are encoded by themselves (:class:`prlint.codec.Deferred`, one for facts
    that several checks share): the corpus phase decodes them just before the first check
    that reads them compares and lets them go after the last (see :class:`_Facts`), and a
    run that reports a few releases decodes only those it compares."""
    deferred: dict[int, codec.Deferred] = {}
    facts = {}
    for name, value in doc.facts.items():
        found = deferred.get(id(value))
        if found is None:
            found = deferred[id(value)] = codec.defer(value)
        facts[name] = found
    return codec.encode(replace(doc, timings={}, facts=facts))


def extract_tasks(tasks: Sequence[Task], checks: list[ActiveCheck], caching: bool) -> list[
    Extracted | str
]:
    """Run a batch of tasks in this process (what another executor's worker calls)."""
    _init_worker(checks, caching)
    return [_extract_task(task) for task in tasks]


#: runs the extraction tasks somewhere (checks, whether to cache), yielding the answers in task
#: order (errors are reported in it): the local pool by default, or another engine's
#: (see prlint.dask_engine). Such an engine may also have ``list_urls(urls, config, result)``
#: (tasks for URLs its workers read) and ``judge(cached, reported, checks, config, result,
#: insights)`` (the corpus phase where it kept the records; its answers' records are then
#: placeholders holding the path)
Extractor = Callable[[list[Task], list[ActiveCheck], bool], Iterable["Extracted | str"]]


def _run_extraction(
    tasks: list[Task], checks: list[ActiveCheck], jobs: int, caching: bool
) -> Iterator[Extracted | str]:
    if not tasks:
        return
    if jobs <= 1 or len(tasks) < 4:
        gc.freeze()  # the collector runs again (see _init_worker), but skips what is loaded
        collecting = gc.isenabled()
        _init_worker(checks, caching)
        try:
            yield from map(_extract_task, tasks)
        finally:  # paused again for what follows: decoding and comparing the records
            (gc.enable if collecting else gc.disable)()
        return
    # The first document is extracted here, before the pool forks: what extraction loads
    # lazily (word lists, memoised tables) is then loaded once and shared by the workers,
    # not once per worker.
    _set_worker(checks, caching)
    yield _extract_task(tasks[0])
    rest = tasks[1:]
    chunk = max(1, min(64, len(rest) // (jobs * 8) or 1))
    from concurrent.futures import ProcessPoolExecutor  # loaded by runs that extract

    with ProcessPoolExecutor(
        max_workers=jobs, initializer=_init_worker, initargs=(checks, caching, True)
    ) as pool:
        yield from pool.map(_extract_task, rest, chunksize=chunk)


def kind_of(path: Path | str) -> str:
    """Which reader reads a file (:func:`prlint.readers.kind_of`, loaded on use)."""
    from prlint.readers import kind_of

    return kind_of(path)


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
    progress: Callable[[int, int], None] | None = None,
    extractor: Extractor | None = None,
) -> Result:
    """Lint ``paths`` (and ``texts``: name → content) and return the findings.

    ``insights`` also collects what each check learned per company (for the corpus report);
    ``progress(done, total)`` is called as documents are extracted; ``extractor`` runs the
    per-document phase instead of the local process pool.
    """
    result = Result()
    checks = _Checks(config, select, ignore)
    if use_cache:  # the start-up record may answer without loading any check
        salt, allowed = _start(config, checks, select, ignore)
    else:
        checks.load()  # bad options or a broken plugin are reported before any input error
    urls = [p for p in paths if is_url(p)]
    local = [p for p in paths if not is_url(p)]
    sources = discover(
        local, config, result, report_corpus=not paths and not texts,
        keep=config.root / ".prlint_cache" if use_cache else None,
    )  # fmt: skip
    remote: list[Task] = []
    if urls:  # listed here, read by the engine's workers (see prlint.dask_engine)
        lister = getattr(extractor, "list_urls", None)
        if lister is None:
            raise InputError(f"{urls[0]}: a URL is read by the dask engine only (--engine dask)")
        remote = lister(urls, config, result)
    jobs = jobs or os.cpu_count() or 1
    cache = Cache(config.root / ".prlint_cache", salt, allowed) if use_cache else None
    english.keep_table_in(cache.directory if cache is not None else None)
    # Decoding tens of thousands of records allocates millions of objects: with the cyclic
    # collector running, each full collection walks them all again (7x slower on 24k releases).
    collecting = gc.isenabled()
    gc.disable()
    try:
        outcome = _extract_and_judge(
            sources, texts, checks, config, jobs, cache, result, extractor,
            insights=insights, progress=progress, remote=remote,
        )
    finally:
        (gc.enable if collecting else gc.disable)()
        gc.unfreeze()
    result.errors.extend(outcome.errors)
    result.files_checked = outcome.files_checked
    result.undated = outcome.undated
    kept = outcome.diagnostics
    if baseline is not None:
        before = len(kept)
        kept = baseline.filter(kept)
        result.baselined = before - len(kept)
    result.diagnostics = kept
    return result


def _extract_and_judge(
    sources: list[Source],
    texts: Mapping[str, str] | None,
    checks: list[ActiveCheck],
    config: Config,
    jobs: int,
    cache: Cache | None,
    result: Result,
    extractor: Extractor | None = None,
    *,
    insights: bool = False,
    progress: Callable[[int, int], None] | None = None,
    remote: Sequence[Task] = (),
) -> Outcome:
    """The corpus phase's outcome: from the report cache when no input changed, else from
    every document's record (cached, or extracted by the workers). Insights need the corpus
    phase itself, so they never come from the report cache."""
    reported: dict[str, bool] = {}
    keys: dict[str, str] = {}  # display path -> content key, for the report cache
    hits: list[tuple[str, Entry]] = []  # (display path, its entry)
    tasks: list[Task] = []
    cwd = os.getcwd()
    if cache is not None:
        cache.load()
    for src in sources:
        entry = _cached_entry(src, cache, result, cwd)
        if entry is False:
            continue
        reported[src.display] = src.reported
        if isinstance(entry, Entry):
            hits.append((src.display, entry))
            keys[src.display] = entry.key
        else:
            tasks.append((src.display, kind_of(src.path), str(src.path), cache is not None))
    for name, text in sorted((texts or {}).items()):
        reported[name] = True
        tasks.append((name, kind_of(name), text.encode("utf-8"), False))
    for task in remote:  # URLs the extractor reads (never cached: they have no stat)
        reported[task[0]] = True
        tasks.append(task)

    if cache is not None and not tasks and not insights:
        corpus_key = _corpus_key(cache, config, keys, reported)
        stored = cache.load_report(corpus_key)
        if isinstance(stored, Outcome):
            result.cache_hits = len(hits)
            cache.save()
            return stored

    by_display = {src.display: src.file for src in sources}
    judging = cache is not None and extractor is None and not texts and not remote
    early: list[Extracted | str] = []  # the tasks' answers, when reuse extracted them first
    hit_digests: dict[str, bytes] = {}  # entry path -> its record's digest (see prlint.reuse)
    if judging and not insights and cache is not None:
        judged = reuse.load(cache)
        if judged is not None:
            hit_digests = _known_digests(judged, hits)
            early, outcome = _reuse(judged, hits, tasks, reported, checks, jobs, cache, config)
            if outcome is not None:
                result.cache_hits = len(hits)
                _add_answers(early, cache, result, keys, by_display, cwd, progress, len(hits))
                cache.save()
                if any(judged.keys[i] != keys[p] for i, p in enumerate(judged.paths)):
                    judged.keys = [keys[p] for p in judged.paths]  # new content, same record
                    reuse.store(cache, judged)
                return outcome

    doc_results: list[DocResult] = []
    digests: dict[str, bytes] = {}  # display path -> its record's digest (see prlint.reuse)
    records = (
        cache.records([entry for _, entry in hits], hit_digests if judging else None)
        if cache is not None
        else iter(())
    )
    for (display, entry), record in zip(hits, records):  # noqa: B905 - one record per hit
        if isinstance(record, DocResult) and record.path == display:
            doc_results.append(record)
            result.cache_hits += 1
            if judging:
                digests[display] = hit_digests[entry.path]
            continue
        if cache is not None:
            cache.forget(entry.path)
        keys.pop(display, None)
        path = by_display[display]
        tasks.append((display, kind_of(path), str(path), True))
    if cache is not None:
        cache.release()  # the loaded pack is decoded: free it before extracting the rest
        heap.give_back_memory()
    caching = cache is not None
    pending = tasks[len(early) :]
    answers = itertools.chain(
        early,
        extractor(pending, checks, caching)
        if extractor is not None and pending
        else _run_extraction(pending, checks, jobs, caching),
    )
    cached, total = len(doc_results), len(doc_results) + len(tasks)
    judge = getattr(extractor, "judge", None)  # an engine whose workers keep the records
    shared: dict[Any, Any] = {}  # the texts of the records decoded here (see _record)
    decoding = codec.Decoding(_allowed(checks), shared)
    for done, item in enumerate(answers, 1):
        if progress is not None:
            progress(cached + done, total)
        if done % heap.EVERY == 0:
            heap.give_back_memory()  # the encoded records decoded so far
        if isinstance(item, str):
            result.errors.append(item)
            continue
        for name, secs in item.timings.items():  # counted here: records keep none
            result.timings[name] = result.timings.get(name, 0.0) + secs
        doc = _record(item, decoding)
        if doc is None:
            result.errors.append(f"{item.path}: its extraction record does not decode")
            continue
        doc_results.append(doc)
        if cache is not None and item.payload is not None:
            name = _cache_name(item.path, by_display[item.path], cwd)
            cache.add(name, item.size, item.mtime_ns, item.key, item.payload)
            keys[item.path] = item.key
            digests[item.path] = record_digest(item.payload)
    decoding.close()
    shared.clear()  # the records keep their texts; the table is not needed any more
    if cache is not None:
        cache.save()
    gc.freeze()  # what was loaded stays alive: later collections need not walk it
    every: list[Diagnostic] = []
    if judge is not None:  # the extracted records are on its workers: the client got paths
        outcome = judge(doc_results[:cached], reported, checks, config, result, insights)
    else:
        outcome = _corpus_phase(
            doc_results, reported, checks, config, result, insights=insights, every=every
        )
    if cache is not None and not texts and len(keys) == len(doc_results) == len(reported):
        cache.store_report(_corpus_key(cache, config, keys, reported), outcome)
        crashes = sum(len(dr.crashes) for dr in doc_results)  # the rest: a check failed
        if judging and len(digests) == len(keys) and len(outcome.errors) == crashes:
            reuse.store(cache, _judged(doc_results, reported, keys, digests, every, outcome))
    return outcome


def _known_digests(judged: reuse.Judged, hits: list[tuple[str, Entry]]) -> dict[str, bytes]:
    """By entry path, the record digests the stored findings know for the hits: a record
    is a function of its content and the salt, so an entry whose content key is the one
    they were judged on has the digest they keep (a pre-commit run hashes no record again)."""
    index = judged.index()
    known = {}
    for display, entry in hits:
        i = index.get(display)
        if i is not None and judged.keys[i] == entry.key:
            known[entry.path] = judged.digests[i]
    return known


def _record(item: Extracted, decoding: codec.Decoding) -> DocResult | None:
    """The record of a worker's answer: as sent, or decoded by ``decoding`` (which shares
    equal texts across the records it decodes), without timings (the caller counts
    ``item.timings``)."""
    if item.doc is not None:
        item.doc.timings = {}
        return item.doc
    try:
        doc = decoding.decode(item.encoded or b"")
    except codec.CodecError:
        return None
    if not isinstance(doc, DocResult) or doc.path != item.path:
        return None
    return doc


def _reuse(
    judged: reuse.Judged,
    hits: list[tuple[str, Entry]],
    tasks: list[Task],
    reported: Mapping[str, bool],
    checks: list[ActiveCheck],
    jobs: int,
    cache: Cache,
    config: Config,
) -> tuple[list[Extracted | str], Outcome | None]:
    """The outcome from the stored findings if every document's record is the one they were
    judged on (the few documents to extract are extracted here, their answers returned
    either way); else None."""
    index = reuse.covers(judged, reported)
    if index is None or len(tasks) > _REUSE_TASKS:
        return [], None
    if any(judged.keys[index[display]] != entry.key for display, entry in hits):
        return [], None
    early = list(_run_extraction(tasks, checks, jobs, True))
    for item in early:
        if isinstance(item, str) or item.payload is None:
            return early, None
        if judged.digests[index[item.path]] != record_digest(item.payload):
            return early, None
    diagnostics = [
        d
        for d in judged.diagnostics
        if reported.get(d.path) and not _ignored_for_file(d, config.per_file_ignores)
    ]
    shown = [p for p in judged.paths if reported[p]]
    undated = [p for p in shown if not judged.flags[index[p]] & reuse.DATED]
    return early, Outcome(diagnostics, list(judged.errors), len(shown), undated)


#: at most this many documents are extracted to see whether stored findings still hold
_REUSE_TASKS = 16


def _add_answers(
    answers: list[Extracted | str],
    cache: Cache,
    result: Result,
    keys: dict[str, str],
    by_display: Mapping[str, str],
    cwd: str,
    progress: Callable[[int, int], None] | None,
    cached: int,
) -> None:
    """Cache the records extracted to check stored findings, and count their time."""
    for done, item in enumerate(answers, 1):
        if progress is not None:
            progress(cached + done, cached + len(answers))
        if isinstance(item, str) or item.payload is None:
            continue
        for name, secs in item.timings.items():
            result.timings[name] = result.timings.get(name, 0.0) + secs
        path = by_display[item.path]
        cache.add(_cache_name(item.path, path, cwd), item.size, item.mtime_ns, item.key,
                  item.payload)  # fmt: skip
        keys[item.path] = item.key


def _judged(
    doc_results: list[DocResult],
    reported: Mapping[str, bool],
    keys: Mapping[str, str],
    digests: Mapping[str, bytes],
    every: list[Diagnostic],
    outcome: Outcome,
) -> reuse.Judged:
    """What :mod:`prlint.reuse` keeps of a corpus phase (``doc_results`` in path order)."""
    judged = reuse.Judged(diagnostics=every, errors=list(outcome.errors))
    for dr in doc_results:
        judged.paths.append(dr.path)
        judged.keys.append(keys[dr.path])
        judged.digests.append(digests[dr.path])
        flags = reuse.REPORTED if reported.get(dr.path) else 0
        judged.flags.append(flags | (reuse.DATED if dr.release_date is not None else 0))
    return judged


def _cached_entry(src: Source, cache: Cache | None, result: Result, cwd: str) -> Entry | bool:
    """The cache entry that holds ``src``'s record; True: extract it; False: skip it (an
    error or a binary file, recorded in ``result``)."""
    name = (
        f"{src.display}\0{src.absolute}"
        if src.absolute is not None
        else _cache_name(src.display, src.file, cwd)
    )
    try:
        st = src.stat or os.stat(src.file)
        src.stat = None  # read once: a corpus's stats are not held for the run
        if cache is not None:
            entry = cache.lookup(name, st)
            if entry is not None:
                return entry
        known = cache is not None and name in cache.entries
        with open(src.file, "rb") as fh:
            data = fh.read() if known else fh.read(8192)
    except OSError as exc:
        result.errors.append(f"{src.display}: cannot read: {exc.strerror or exc}")
        return False
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        if src.explicit:
            result.errors.append(f"{src.display}: binary file, not a text release")
        else:
            result.skipped.append((src.display, "binary file"))
        return False
    if cache is not None and known:
        entry = cache.lookup_content(name, content_key(data), st)
        if entry is not None:
            return entry
    return True


def _cache_name(display: str, path: Path | str, cwd: str) -> str:
    """What the cache knows a document by: the path it is reported as (its record holds it)
    and the file it is (absolute, from ``cwd``), so that one name seen from two working
    folders is never mixed up."""
    return f"{display}\0{os.path.normpath(os.path.join(cwd, path))}"


def _corpus_key(
    cache: Cache, config: Config, keys: Mapping[str, str], reported: Mapping[str, bool]
) -> str:
    """What the corpus phase's outcome depends on besides the salt: every document of the run,
    whether it is reported on, and the per-file ignores."""
    digest = hashlib.blake2b(cache.name.encode(), digest_size=16)
    digest.update(json.dumps(config.per_file_ignores, sort_keys=True).encode())
    for path in sorted(keys):
        digest.update(f"\0{path}\0{keys[path]}\0{int(reported.get(path, False))}".encode())
    return digest.hexdigest()


def _corpus_phase(
    doc_results: list[DocResult],
    reported: dict[str, bool],
    checks: list[ActiveCheck],
    config: Config,
    result: Result,
    *,
    insights: bool = False,
    every: list[Diagnostic] | None = None,
) -> Outcome:
    """Compare the records; ``every`` (if given) gets the findings on every reported
    document before the per-file ignores (what :mod:`prlint.reuse` keeps)."""
    doc_results.sort(key=lambda d: d.path)
    diags: list[Diagnostic] = []
    records = []
    errors: list[str] = []
    files_checked = 0
    undated: list[str] = []
    folders: dict[str, str] = {}
    for dr in doc_results:
        errors.extend(dr.crashes)
        for name, secs in dr.timings.items():  # cached records have none
            result.timings[name] = result.timings.get(name, 0.0) + secs
        if reported.get(dr.path):
            files_checked += 1
            if dr.release_date is None:
                undated.append(dr.path)
        records.append(
            DocRecord(
                path=dr.path,
                reported=reported.get(dr.path, False),
                release_date=dr.release_date,
                company=dr.company,
                ticker=dr.ticker,
                identity=dr.identity,
                folder=_folder(dr.path, folders),
                facts=dr.facts,
            )
        )
        diags.extend(dr.diagnostics)
    order = _compare_order(checks)
    facts = _Facts(doc_results, order, _allowed(checks), errors, scoped=not insights)
    facts.leave_out(records)
    corpus = Corpus(records, dict(config.company))
    failed: dict[str, str] = {}
    gone: set[str] = set()  # the checks whose facts were let go
    for done, active in enumerate(order, 1):
        started = time.perf_counter()
        facts.ready(records, [a.ctx.name for a in order if _reads(active, a.ctx.name)])
        try:
            diags.extend(active.check.compare(corpus, active.ctx))
        except Exception as exc:
            failed[active.ctx.name] = (
                f"check '{active.ctx.name}' failed in the corpus phase: {exc!r}"
            )
        result.timings[active.ctx.name] = (
            result.timings.get(active.ctx.name, 0.0) + time.perf_counter() - started
        )
        if not insights:  # insights read every check's facts once all have compared
            _let_go(records, order[:done], order[done:], gone)
    errors.extend(failed[a.ctx.name] for a in checks if a.ctx.name in failed)
    if insights:
        facts.ready(records, [a.ctx.name for a in checks])
        result.insights = collect_insights(corpus, checks, result)
        result.companies = dict(corpus.companies.companies)
    suppressions = {dr.path: dr.suppressions for dr in doc_results}
    shown = sorted(
        (
            d
            for d in iter_unique(diags)
            if reported.get(d.path) and not _suppressed(d, suppressions.get(d.path, []))
        ),
        key=lambda d: d.sort_key,
    )
    if every is not None:
        every.extend(shown)
    kept = [d for d in shown if not _ignored_for_file(d, config.per_file_ignores)]
    return Outcome(kept, errors, files_checked, undated)


class _Facts:
    """Makes the facts a check reads ready before it compares: decoded if still encoded
    (:class:`prlint.codec.Deferred`) and, for a check that gives keys and whose facts no
    other check reads, left out for the releases not reported that share no key with a
    reported one (see :attr:`prlint.api.Extraction.keys`)."""

    def __init__(
        self,
        doc_results: list[DocResult],
        checks: Sequence[ActiveCheck],
        allowed: list[str],
        errors: list[str],
        *,
        scoped: bool,
    ) -> None:
        self.keys = {dr.path: dr.keys for dr in doc_results if dr.keys}
        self.allowed = allowed
        self.errors = errors
        self.done: set[str] = set()
        self.scoped = {
            a.ctx.name
            for a in checks
            if scoped and not any(_reads(b, a.ctx.name) for b in checks if b is not a)
        }

    def leave_out(self, records: list[DocRecord]) -> None:
        """Drop, before any check compares, the facts of the scoped checks that no reported
        release needs: a run that reports a few releases never builds an index on top of
        the encoded facts of every other release. The records' keys are read here only:
        they are let go after."""
        if self.scoped and not all(rec.reported for rec in records):
            self._drop_unmet(records)
        for keys in self.keys.values():
            keys.clear()  # each record's own dict: not held while the checks compare
        self.keys = {}
        heap.give_back_memory()

    def _drop_unmet(self, records: list[DocRecord]) -> None:
        """Drop the scoped facts of the releases not reported that share no key with one."""
        wanted: dict[str, set[bytes]] = {name: set() for name in self.scoped}
        for rec in records:
            if rec.reported:
                keys = self.keys.get(rec.path, {})
                for name, found in wanted.items():
                    found.update(_split_digests(keys.get(name, b"")))
        for rec in records:
            if rec.reported or rec.path not in self.keys:
                continue
            keys = self.keys[rec.path]
            for name, found in wanted.items():
                given = keys.get(name)
                if given is None or rec.facts.get(name) is None:
                    continue
                if found.isdisjoint(_split_digests(given)):
                    del rec.facts[name]  # nothing it states meets a reported release's

    def ready(self, records: list[DocRecord], names: Sequence[str]) -> None:
        """Decode the facts of the checks called ``names`` that are still encoded."""
        decoding = codec.Decoding(self.allowed)  # texts shared within these facts only
        decoded = 0
        try:
            for name in names:
                if name not in self.done:
                    self.done.add(name)
                    decoded += self._ready(records, name, decoding)
        finally:
            decoding.close()
        if decoded:
            heap.give_back_memory()  # the encoded facts just decoded

    def _ready(self, records: list[DocRecord], name: str, decoding: codec.Decoding) -> int:
        """Decode the facts of ``name`` (and of the checks sharing them); how many values."""
        count = 0
        for rec in records:
            value = rec.facts.get(name)
            if type(value) is not codec.Deferred:
                continue
            count += 1
            sharing = [other for other, v in rec.facts.items() if v is value]
            try:
                decoded = decoding.undefer(value)
            except codec.CodecError:
                for other in sharing:
                    del rec.facts[other]
                    self.errors.append(f"{rec.path}: the facts of check '{other}' do not decode")
                continue
            for other in sharing:  # one value, as extraction gave it to these checks
                rec.facts[other] = decoded
        return count


def _reads(active: ActiveCheck, name: str) -> bool:
    """Whether ``active``'s corpus phase may read the facts of the check called ``name``."""
    reads = active.check.reads
    return reads is None or name == active.ctx.name or name in reads


def _folder(path: str, known: dict[str, str]) -> str:
    """The folder of ``path``, one object per folder across ``known`` (a folder of an
    archive holds thousands of releases)."""
    folder = path.rsplit("/", 1)[0] if "/" in path else ""
    return known.setdefault(folder, folder)


def _compare_order(checks: Sequence[ActiveCheck]) -> list[ActiveCheck]:
    """The checks that read only their own facts first (theirs can go right after them),
    then those that read others' (in the given order within each)."""
    return sorted(checks, key=lambda a: a.check.reads != ())


def _let_go(
    records: list[DocRecord],
    done: Sequence[ActiveCheck],
    to_come: Sequence[ActiveCheck],
    gone: set[str],
) -> None:
    """Drop the facts that no check still to compare reads, adding their checks to ``gone``
    (the corpus phase peaks with the last checks' indexes on top of every record)."""
    names = [
        a.ctx.name
        for a in done
        if a.ctx.name not in gone and not any(_reads(later, a.ctx.name) for later in to_come)
    ]
    gone.update(names)
    held = False
    for rec in records:
        for name in names:
            held = rec.facts.pop(name, None) is not None or held
    if held:
        heap.give_back_memory()


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


class _Checks(list[ActiveCheck]):
    """The active checks of a run, activated on first use (a list once loaded): a warm run
    whose outcome the cache holds never imports a check."""

    def __init__(
        self, config: Config, select: Sequence[str] | None, ignore: Sequence[str] | None
    ) -> None:
        super().__init__()
        self._args: tuple[Any, ...] | None = (config, select, ignore)

    def load(self) -> None:
        if self._args is not None:
            config, select, ignore = self._args
            self._args = None
            super().extend(activate(config, select=select, ignore=ignore))

    def __iter__(self) -> Iterator[ActiveCheck]:
        self.load()
        return super().__iter__()

    def __len__(self) -> int:
        self.load()
        return super().__len__()

    def __bool__(self) -> bool:
        return len(self) > 0

    def __getitem__(self, index: Any) -> Any:
        self.load()
        return super().__getitem__(index)

    def __reduce__(self) -> tuple[Any, ...]:  # sent to another engine's workers as a list
        return (list, (list(self),))


def _start(
    config: Config,
    checks: list[ActiveCheck],
    select: Sequence[str] | None,
    ignore: Sequence[str] | None,
) -> tuple[str, list[str]]:
    """The cache's salt and the modules its records may hold. They come from the start-up
    record (see :func:`prlint.cache.load_start`) when prlint's version, the config, the
    options given and the registered checks are those it was written for and no file the
    salt hashed has changed its stat; then no check is imported. Else the checks are
    activated (validating the config against them) and the record is written."""
    directory = config.root / ".prlint_cache"
    eps = registry.entry_point_key()
    key = hashlib.blake2b(
        json.dumps(
            [__version__, config.fingerprint(), vars(config), select, ignore, eps],
            sort_keys=True,
            default=str,
        ).encode(),
        digest_size=16,
    ).hexdigest()
    permitted = {"prlint", *(value.partition(":")[0].split(".")[0] for _, value, _ in eps)}
    found = load_start(directory, key, permitted)
    if found is not None:
        salt, allowed, names = found
        registry.remember_names(names)
        return salt, allowed
    salt, allowed = _cache_salt(config, checks), _allowed(checks)
    files, folders = _code_files(checks)
    store_start(directory, key, [*map(str, files), *map(str, folders)], salt, allowed,
                list(registry.available_checks()))  # fmt: skip
    return salt, allowed


def _cache_salt(config: Config, checks: list[ActiveCheck]) -> str:
    """Everything besides a document that changes its record: prlint's version, the config,
    each check's options and severity, and the code."""
    names = ",".join(
        sorted(
            f"{a.ctx.name}:{a.ctx.severity.value}:{sorted(a.ctx.options.items())}" for a in checks
        )
    )
    return f"{__version__}|{config.fingerprint()}|{names}|{_code_fingerprint(checks)}"


def _allowed(checks: list[ActiveCheck]) -> list[str]:
    """The modules whose dataclasses and enums a cached record may hold: prlint's own and the
    top-level package of each active check."""
    return sorted({"prlint", *(type(a.check).__module__.split(".")[0] for a in checks)})


def _code_fingerprint(checks: list[ActiveCheck]) -> str:
    """A hash of the code extraction runs: prlint's modules and each check's package (its
    modules, subpackages and YAML packs), so an edited or upgraded check never reads stale
    cache entries."""
    files, _ = _code_files(checks)
    digest = hashlib.sha256()
    for file in sorted(files):
        try:
            digest.update(file.read_bytes())
        except OSError:
            digest.update(str(file).encode())
    return digest.hexdigest()[:16]


def _code_files(checks: list[ActiveCheck]) -> tuple[set[Path], set[Path]]:
    """The files :func:`_code_fingerprint` hashes, and the folders they were found in (a file
    added to one changes the folder's stat)."""
    here = Path(__file__).resolve().parent
    files, folders = set(here.glob("*.py")), {here}
    for active in checks:
        module = sys.modules.get(type(active.check).__module__)
        source = getattr(module, "__file__", None)
        if not source:
            continue
        path = Path(source).resolve()
        files.add(path)
        if module is not None and "." in module.__name__:  # inside a package: all of it
            for pattern in ("*.py", "*.yaml", "*.yml"):  # helpers in subpackages, packs
                files.update(path.parent.rglob(pattern))
            folders.add(path.parent)
            folders.update(
                d for d in path.parent.rglob("*") if d.is_dir() and "__pycache__" not in d.parts
            )
    return files, folders
