"""Milliseconds per release of each check's per-document phase (extraction), in one process.

    python bench/extract_speed.py /tmp/pra --sample 2000              # all checks together
    python bench/extract_speed.py /tmp/pra --sample 2000 --alone      # and each check alone
    python bench/extract_speed.py /tmp/pra --sample 2000 --profile out.prof

Files are read and decoded first (not timed); then each release is parsed and extracted as a
worker does (``extract_document``), timed in CPU seconds of this process. "together" runs all
checks on each document, so what they share (tokens, sentences, ``doc.memo``) is paid by
whichever check asks first; "alone" runs one check per pass over fresh documents and shows
what each costs by itself. ``parse`` and ``meta+identity`` are what every run pays before any
check. Word caches fill during the first pass ("together"), so "alone" passes run warm:
compare like with like. ``--profile`` writes a cProfile of the "together" pass. Nothing here
runs in the tests.
"""

from __future__ import annotations

import argparse
import cProfile
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from compare import releases, spread

from prlint.config import load_config
from prlint.engine import kind_of
from prlint.readers import decode, parse
from prlint.registry import activate


def load(files: list[Path]) -> list[tuple[str, str, str, str]]:
    out = []
    for f in files:
        source, encoding = decode(f.read_bytes())
        out.append((str(f), kind_of(f), source, encoding))
    return out


def one_pass(docs: list[tuple[str, str, str, str]], checks: list) -> dict[str, float]:
    """CPU seconds of this process per check summed over ``docs``, and ``parse``,
    ``meta+identity`` and ``total`` (CPU time: other processes on the machine do not count)."""
    from prlint.companies import identity_of
    from prlint.metadata import extract_metadata

    clock = time.process_time
    sums: dict[str, float] = {"parse": 0.0, "meta+identity": 0.0}
    started = clock()
    for path, kind, source, encoding in docs:
        t0 = clock()
        doc = parse(path, source, kind=kind, encoding=encoding)
        t1 = clock()
        extract_metadata(doc)  # what extract_document does before the checks
        identity_of(doc)
        t2 = clock()
        sums["parse"] += t1 - t0
        sums["meta+identity"] += t2 - t1
        for active in checks:
            t0 = clock()
            active.check.extract(doc, active.ctx)
            sums[active.ctx.name] = sums.get(active.ctx.name, 0.0) + clock() - t0
    sums["total"] = clock() - started
    return sums


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--sample", type=int, default=2000)
    ap.add_argument("--alone", action="store_true", help="also time each check alone")
    ap.add_argument("--select", default="", help="comma-separated checks (default: all)")
    ap.add_argument("--profile", type=Path, help="write a cProfile of the 'together' pass")
    args = ap.parse_args()

    files = spread(releases(args.corpus), args.sample)
    docs = load(files)
    config = load_config(None, cwd=Path.cwd())
    select = [s for s in args.select.split(",") if s] or None
    checks = activate(config, select=select)
    one_pass(docs[:20], checks)  # warm-up: word lists and memoised tables loaded
    n = len(docs)
    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
    together = one_pass(docs, checks)
    if args.profile:
        prof.disable()
        prof.dump_stats(str(args.profile))
    alone = {}
    if args.alone:
        for active in checks:
            alone[active.ctx.name] = one_pass(docs, [active]).get(active.ctx.name, 0.0)
    print(f"{n} releases; ms per release")
    print(f"{'check':<20} {'together':>9} {'alone':>9}")
    for name, secs in sorted(together.items(), key=lambda kv: -kv[1]):
        extra = f"{alone[name] * 1000 / n:9.2f}" if name in alone else ""
        print(f"{name:<20} {secs * 1000 / n:9.2f} {extra}")


if __name__ == "__main__":
    main()
