"""prlint on one release of a cached corpus, three ways, for one or more prlint commands.

    python bench/one_file.py WORKSPACE corpus/a/b.md --runs 3 \\
        --command before="/work/main/.venv/bin/prlint" --command after=".venv/bin/prlint"

``WORKSPACE`` holds a ``.prlint.yaml`` whose ``corpus`` globs name the corpus and a cache each
command has filled (a whole run: ``prlint check corpus``). Each run reports only the given file:

* ``unchanged``: the file as it is (a file of a known corpus checked on its own);
* ``touched``: its mtime moved on, its content the same (a checkout, a save with no change);
* ``edited``: a blank line more at its end each run (``compare.py``'s "1 changed": new
  content, same findings, but a new extraction record).

Modes run in that order (an edited run leaves the cache's stored findings for that file only),
each command in turn within a run; the file is restored at the end. Prints the median wall, CPU
(user + system of the process tree) and peak RSS of each command and mode, and writes each
run's report to ``--keep`` (if given) for byte-for-byte comparisons.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import statistics
import sys
from pathlib import Path

from bench_corpus import measure
from one_file_proof import own_copy

MODES = ("unchanged", "touched", "edited")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("workspace", type=Path)
    parser.add_argument("file", help="the release, relative to the workspace")
    parser.add_argument("--command", action="append", required=True, help="LABEL=COMMAND")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="copy each run's JSON report here")
    parser.add_argument(
        "--no-reports",
        action="store_true",
        help="remove the cache's stored reports (.report) before each run: every run is the "
        "first one-file run of that file (the same one-file run again reuses its report)",
    )
    args = parser.parse_args()
    commands = dict(c.split("=", 1) for c in args.command)
    target = args.workspace / args.file
    own_copy(target)  # a corpus linked from a shared one is never edited through the link
    original, st = target.read_bytes(), target.stat()
    rows: dict[str, list[dict[str, float]]] = {}
    try:
        for mode in args.modes.split(","):
            for i in range(args.runs):
                for label, command in commands.items():
                    prepare(target, original, st, mode, i)
                    if args.no_reports:
                        for stored in (args.workspace / ".prlint_cache").rglob("*.report"):
                            stored.unlink()
                    report = args.workspace / f".one-file-{label}.json"
                    cmd = [*shlex.split(command), "check", args.file, "--format", "json",
                           "-o", str(report), "--jobs", str(args.jobs)]  # fmt: skip
                    r = measure(cmd, args.workspace)
                    rows.setdefault(f"{label} {mode}", []).append(
                        {
                            "wall_s": float(r["wall_s"]),  # type: ignore[arg-type]
                            "cpu_s": float(r["user_s"]) + float(r["sys_s"]),  # type: ignore[arg-type]
                            "max_rss_mb": float(r["max_rss_kb"]) / 1024,  # type: ignore[arg-type]
                        }
                    )
                    if args.keep:
                        args.keep.mkdir(parents=True, exist_ok=True)
                        shutil.copy(report, args.keep / f"{label}-{mode}-{i}.json")
                    print(f"{label} {mode} {i}: {rows[f'{label} {mode}'][-1]}", file=sys.stderr)
    finally:
        target.write_bytes(original)
        os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
    print(f"{'command and mode':<24}{'wall s':>9}{'CPU s':>9}{'peak MB':>10}")
    medians = {}
    for name, samples in rows.items():
        med = {k: statistics.median(s[k] for s in samples) for k in samples[0]}
        medians[name] = med
        print(f"{name:<24}{med['wall_s']:>9.2f}{med['cpu_s']:>9.2f}{med['max_rss_mb']:>10.0f}")
    print(json.dumps(medians))
    return 0


def prepare(target: Path, original: bytes, st: os.stat_result, mode: str, i: int) -> None:
    """The file as run ``i`` of ``mode`` reads it."""
    if mode == "edited":
        target.write_bytes(original + b"\n" * (i + 1))
        return
    target.write_bytes(original)
    moved = st.st_mtime_ns + (i + 1) * 10_000_000_000 if mode == "touched" else st.st_mtime_ns
    os.utime(target, ns=(st.st_atime_ns, moved))


if __name__ == "__main__":
    sys.exit(main())
