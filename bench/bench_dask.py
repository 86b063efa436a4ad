"""Wall time and the client's peak memory: the local engine against Dask with 1 and 2 workers.

    python bench/bench_dask.py /tmp/pra                # the unpacked archive: long
    python bench/bench_dask.py seeds/ --jobs 2         # a quick look
    python bench/bench_dask.py /tmp/pra --sample 3000  # 3,000 releases spread over the archive

Each run is ``prlint check FOLDER --format json --no-cache -o REPORT`` in a fresh process:
``local -jN`` (the process pool), then ``--engine dask -j 1`` and ``--engine dask -j N`` (a
LocalCluster of worker processes started by the run; its scheduler lives in the client). The
client's peak resident set is ``getrusage(RUSAGE_SELF)`` of that process taken at exit, so it
leaves out the worker processes (the pool's or Dask's), whose largest peak is reported beside it
(``getrusage(RUSAGE_CHILDREN)``: with Dask, the worker that ran the corpus phase). The load
average is taken before and after each run. Every report must be byte-identical to
the local engine's; a difference is printed and the exit status is 1. Needs the dask extra.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Runs prlint's CLI in this process and writes at exit its own peak RSS and the largest of its
# ended child processes' (the pool's or the LocalCluster's workers), in KiB.
CLIENT = r"""
import atexit, resource, sys
out = sys.argv.pop(1)
def peak():
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    with open(out, "w") as fh:
        fh.write(f"{own} {child}")
atexit.register(peak)
from prlint.cli import main
main()
"""


def sample(folder: Path, n: int, dest: Path) -> Path:
    """``n`` releases spread evenly over the sorted folder, linked into ``dest``."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    step = max(1, len(files) // n)
    for i, f in enumerate(files[::step][:n]):
        (dest / f"{i:06d}_{f.name}").symlink_to(f.resolve())
    return dest


def run(folder: Path, extra: list[str], report: Path) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        cmd = [sys.executable, "-c", CLIENT, rss.name, "check", str(folder), "--format",
               "json", "--no-cache", "-o", str(report), *extra]  # fmt: skip
        load = os.getloadavg()[0]
        started = time.perf_counter()
        proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - started
        if proc.returncode not in (0, 1):
            sys.exit(f"{' '.join(extra)}: exit {proc.returncode}: {proc.stderr.strip()}")
        own, child = (int(x) for x in (rss.read() or "0 0").split())
    return {
        "wall_s": round(wall, 1),
        "client_peak_mib": round(own / 1024, 1),
        "worker_peak_mib": round(child / 1024, 1),
        "load_before": round(load, 1),
        "load_after": round(os.getloadavg()[0], 1),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("-j", "--jobs", type=int, default=2, help="local workers and Dask's larger run")
    ap.add_argument("--sample", type=int, default=0, help="only N releases (0: all)")
    ap.add_argument("--json", type=Path, help="also write the results here")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        folder = args.folder
        if args.sample:
            (tmpdir / "sample").mkdir()
            folder = sample(folder, args.sample, tmpdir / "sample")
        files = sum(1 for p in folder.rglob("*") if p.is_file() or p.is_symlink())
        runs = {
            f"local -j{args.jobs}": ["-j", str(args.jobs)],
            "dask 1 worker": ["--engine", "dask", "-j", "1"],
            f"dask {args.jobs} workers": ["--engine", "dask", "-j", str(args.jobs)],
        }
        results: dict[str, dict[str, float]] = {}
        first: Path | None = None
        identical = True
        for name, extra in runs.items():
            report = tmpdir / f"{len(results)}.json"
            results[name] = run(folder, extra, report)
            if first is None:
                first = report
            elif not filecmp.cmp(first, report, shallow=False):
                identical = False
                print(f"{name}: report differs from the local engine's", file=sys.stderr)
        findings = len(json.loads(first.read_text(encoding="utf-8"))["diagnostics"]) if first else 0
    load = os.getloadavg()
    print(f"{files} releases, {findings} findings, load average {load[0]:.1f} on "
          f"{os.cpu_count()} cores, reports identical: {identical}")  # fmt: skip
    print(f"{'run':<18} {'wall s':>8} {'client peak MiB':>16} {'worker peak MiB':>16} "
          f"{'load before/after':>18}")  # fmt: skip
    for name, r in results.items():
        loads = f"{r['load_before']:.1f}/{r['load_after']:.1f}"
        print(f"{name:<18} {r['wall_s']:>8.1f} {r['client_peak_mib']:>16.1f} "
              f"{r['worker_peak_mib']:>16.1f} {loads:>18}")  # fmt: skip
    out = {"releases": files, "findings": findings, "load": round(load[0], 1),
           "identical": identical, "runs": results}  # fmt: skip
    print(json.dumps(out))
    if args.json:
        args.json.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
