"""The corpus phase alone, in this process, on records dumped from a filled cache.

    python bench/corpus_phase.py dump WORKSPACE records.bin     # once, with the code that filled it
    python bench/corpus_phase.py run WORKSPACE records.bin --report corpus/a/b.md [--profile]

``dump`` reads the cache of ``WORKSPACE`` (filled by ``prlint check corpus`` with this code:
the start record must still match) and writes every encoded record to one file. ``run``
decodes them with the code as it is now and runs the engine's corpus phase, reporting the
files given with ``--report`` (all files without it), and prints the time of decoding and
of each check's compare, and the findings as JSON lines (``--out``): a change of the corpus
phase is measured, and its findings compared, without filling a cache again.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import resource
import sys
import time
from pathlib import Path

import msgspec

from prlint import codec, engine
from prlint.cache import Cache
from prlint.config import load_config
from prlint.registry import activate
from prlint.result import Result


def dump(workspace: Path, out: Path) -> None:
    os.chdir(workspace)
    config = load_config()
    checks = engine._Checks(config, None, None)
    salt, allowed = engine._start(config, checks, None, None)
    cache = Cache(config.root / ".prlint_cache", salt, allowed)
    cache.load()
    cache._payloads()
    payloads = [bytes(e.payload) for _, e in sorted(cache.entries.items()) if e.payload]
    out.write_bytes(msgspec.msgpack.encode(payloads))
    print(f"{len(payloads)} records, {out.stat().st_size / 1e6:.0f} MB")


def run(
    workspace: Path,
    data: Path,
    report: list[str],
    out: Path | None,
    profile: bool,
    insights: bool = False,
) -> None:
    os.chdir(workspace)
    config = load_config()
    checks = activate(config)
    payloads = msgspec.msgpack.decode(data.read_bytes())
    allowed = engine._allowed(checks)
    prof = cProfile.Profile() if profile else None
    if prof:
        prof.enable()
    started = time.process_time()
    strings: dict[str, str] = {}
    import gc

    gc.disable()
    docs = [codec.decode(p, allowed, strings) for p in payloads]
    decoded = time.process_time() - started
    wanted = set(report)
    reported = {d.path: (not wanted or d.path in wanted) for d in docs}
    result = Result()
    started = time.process_time()
    every: list[engine.Diagnostic] = []
    outcome = engine._corpus_phase(
        docs, reported, checks, config, result, insights=insights, every=every
    )
    compared = time.process_time() - started
    if prof:
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(40)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    times = " ".join(f"{k}={v:.2f}" for k, v in sorted(result.timings.items()))
    print(
        f"decode {decoded:.2f} s, corpus phase {compared:.2f} s ({times}), peak {peak:.0f} MB,"
        f" {len(outcome.diagnostics)} findings, errors {outcome.errors}",
        file=sys.stderr,
    )
    if out is not None:
        enc = msgspec.json.Encoder()
        lines = [enc.encode(repr(d)) for d in outcome.diagnostics]
        lines += [enc.encode(repr(i)) for i in result.insights or ()]
        out.write_bytes(b"\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=("dump", "run"))
    parser.add_argument("workspace", type=Path)
    parser.add_argument("data", type=Path)
    parser.add_argument("--report", action="append", default=[])
    parser.add_argument("--out", type=Path)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--insights", action="store_true", help="collect insights too")
    args = parser.parse_args()
    data = args.data.resolve()
    out = args.out.resolve() if args.out else None
    if args.mode == "dump":
        dump(args.workspace, data)
    else:
        run(args.workspace, data, args.report, out, args.profile, args.insights)


if __name__ == "__main__":
    main()
