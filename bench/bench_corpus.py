"""Wall time and peak memory of a cold and a warm ``prlint check`` over a corpus folder.

    python bench/bench_corpus.py                 # the 24,676-release archive of ../shared/corpora
    python bench/bench_corpus.py /tmp/pra        # an unpacked folder
    python bench/bench_corpus.py seeds/          # a quick in-repo run on the five seeds

Cold: a fresh, empty cache folder. Warm: the same command again with the cache the cold run
left. Each run is ``prlint check FOLDER --format json -o REPORT`` started from its own
measuring process, so ``getrusage(RUSAGE_CHILDREN)`` gives the largest resident set of any
process of that run (main or worker); the sum over the live process tree is sampled from
``/proc`` as well. ``--verbose`` gives the files read from cache and the seconds spent in each
check (extraction summed over workers, plus the corpus phase). Prints a table and a JSON
object (``--json FILE`` also writes it).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ARCHIVE = REPO.parent / "shared" / "corpora" / "press-release-archive.tar.gz"

# Runs in a child of the benchmark: start prlint, sample the tree's RSS and PSS, report JSON.
MEASURE = r"""
import json, os, resource, subprocess, sys, time

def _pss(pid):
    # the proportional set size: a page shared by n processes counts 1/n in each (0 if the
    # kernel gives none)
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0

def tree_memory(root):
    kids = {}
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
                kids.setdefault(ppid, []).append(int(pid))
            except (OSError, ValueError, IndexError):
                pass
    rss, pss, todo = 0, 0, [root]
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/statm") as fh:
                rss += int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError):
            pass
        pss += _pss(pid)
        todo.extend(kids.get(pid, []))
    return rss, pss

cmd, cwd = json.loads(sys.argv[1]), sys.argv[2]
started = time.perf_counter()
proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
peak_tree = peak_pss = 0
while proc.poll() is None:
    rss, pss = tree_memory(proc.pid)
    peak_tree, peak_pss = max(peak_tree, rss), max(peak_pss, pss)
    time.sleep(0.2)
wall = time.perf_counter() - started
err = proc.stderr.read().decode("utf-8", "replace")
timings = {}
for line in err.splitlines():
    if line.startswith("prlint: time in "):
        name, _, secs = line[len("prlint: time in "):].rpartition(": ")
        timings[name] = float(secs.rstrip("s"))
summary = [line for line in err.splitlines() if "file(s) checked" in line]
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"exit": proc.returncode, "wall_s": wall, "max_rss_kb": usage.ru_maxrss,
                  "tree_rss_bytes": peak_tree, "tree_pss_bytes": peak_pss, "user_s": usage.ru_utime,
                  "sys_s": usage.ru_stime, "summary": summary[-1:], "check_seconds": timings,
                  "errors": [l for l in err.splitlines() if l.startswith("prlint: error")][:5]}))
"""


def prlint_command() -> list[str]:
    return [sys.executable, "-c", "from prlint.cli import main; main()"]


def measure(cmd: list[str], cwd: Path) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, json.dumps(cmd), str(cwd)],
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(out.stdout))


def corpus_folder(given: str | None, workdir: Path) -> Path:
    if given:
        return Path(given).resolve()
    target = workdir / "corpus"
    print(f"unpacking {ARCHIVE} to {target} ...", file=sys.stderr)
    with tarfile.open(ARCHIVE) as tar:
        tar.extractall(target, filter="data")
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", help="corpus folder (default: unpack the archive)")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--select", help="only these checks (default: all)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="prlint-bench-") as tmp:
        work = Path(tmp)
        folder = corpus_folder(args.folder, work)
        files = sum(1 for p in folder.rglob("*") if p.suffix in (".md", ".txt", ".html"))
        cwd = work / "run"  # no config above /tmp: the cache goes to run/.prlint_cache
        cwd.mkdir()
        report = work / "report.json"
        cmd = [*prlint_command(), "check", str(folder), "--format", "json", "-o", str(report),
               "--jobs", str(args.jobs), "--verbose"]  # fmt: skip
        if args.select:
            cmd += ["--select", args.select]
        results: dict[str, object] = {"folder": str(folder), "files": files, "jobs": args.jobs}
        for name in ("cold", "warm"):
            run = measure(cmd, cwd)
            body = json.loads(report.read_text(encoding="utf-8")) if report.exists() else {}
            run["findings"] = len(body.get("diagnostics", []))
            run["files_checked"] = body.get("files_checked")
            results[name] = run
        cache = cwd / ".prlint_cache"
        results["cache_bytes"] = sum(p.stat().st_size for p in cache.rglob("*") if p.is_file())

    print(f"{'run':<6}{'exit':>5}{'wall s':>10}{'user s':>10}{'max RSS MB':>12}"
          f"{'tree RSS MB':>13}{'findings':>10}")  # fmt: skip
    for name in ("cold", "warm"):
        r = results[name]
        assert isinstance(r, dict)
        print(f"{name:<6}{r['exit']:>5}{r['wall_s']:>10.1f}{r['user_s']:>10.1f}"
              f"{r['max_rss_kb'] / 1024:>12.0f}{r['tree_rss_bytes'] / 2**20:>13.0f}"
              f"{r['findings']:>10}")  # fmt: skip
    text = json.dumps(results, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
