"""prlint against codespell (and typos) on the same files, in one run.

    python bench/compare.py /tmp/pra --sample 2000          # 500, 1000 and 2000 releases
    python bench/compare.py /tmp/pra --sample 0 --runs 3    # the whole archive, medians of 3

For each size (a quarter, half and all of the sample; ``--no-growth`` for all only) it copies
the files into a fresh folder ``run/corpus`` next to a ``.prlint.yaml`` whose ``corpus`` globs
name them, and times:

* ``prlint cold``: ``prlint check corpus --no-cache``;
* ``prlint fill``: the same with the cache (an empty one), which it fills;
* ``prlint warm``: the same again, nothing changed;
* ``prlint 1 changed``: one release edited, ``prlint check corpus/THAT-FILE`` (the pre-commit
  case: the rest of the corpus comes from the cache as reference);
* ``prlint update``: that release edited again, ``prlint check corpus`` (an archive's daily
  run: one record extracted, every release compared and reported again);
* ``codespell`` and ``typos`` over ``corpus`` when they are installed (else skipped).

Each is the median of ``--runs`` runs (wall, CPU = user + system of the whole process tree,
the largest resident set of one process, and the peaks of the tree's summed resident set and
of its summed proportional set: pages the workers share with the main process counted once),
with its ratio to codespell's wall time; the growth line compares each size's time with the smallest
size's time scaled linearly. Nothing here runs in the tests: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_corpus import measure, prlint_command

SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm")


def releases(folder: Path) -> list[Path]:
    """Every release file under ``folder`` (hidden folders skipped), sorted."""
    out = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        out += [Path(dirpath) / f for f in filenames if f.lower().endswith(SUFFIXES)]
    return sorted(out)


def spread(files: list[Path], n: int) -> list[Path]:
    """``n`` files spread evenly over the sorted list (every company and year represented)."""
    if n <= 0 or n >= len(files):
        return files
    step = len(files) / n
    return [files[int(i * step)] for i in range(n)]


def lay_out(files: list[Path], root: Path, dest: Path) -> None:
    """Copy ``files`` under ``dest/corpus`` and write the config naming them as the corpus."""
    for f in files:
        target = dest / "corpus" / f.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(f, target)
    globs = [f"corpus/**/*{s}" for s in SUFFIXES]
    (dest / ".prlint.yaml").write_text(f"corpus: {json.dumps(globs)}\n", encoding="utf-8")


def tool(name: str) -> list[str] | None:
    """The command of an installed tool: next to this Python first, then on PATH."""
    local = Path(sys.executable).parent / name
    if local.exists():
        return [str(local)]
    found = shutil.which(name)
    return [found] if found else None


def timed(cmd: list[str], cwd: Path, runs: int, before: object = None) -> dict[str, float]:
    """Medians of ``runs`` measured runs; ``before(i)`` prepares run ``i``."""
    samples = []
    for i in range(runs):
        if callable(before):
            before(i)
        r = measure(cmd, cwd)
        samples.append(
            {
                "wall_s": float(r["wall_s"]),  # type: ignore[arg-type]
                "cpu_s": float(r["user_s"]) + float(r["sys_s"]),  # type: ignore[arg-type]
                "max_rss_mb": float(r["max_rss_kb"]) / 1024,  # type: ignore[arg-type]
                "tree_rss_mb": float(r["tree_rss_bytes"]) / 2**20,  # type: ignore[arg-type]
                "tree_pss_mb": float(r.get("tree_pss_bytes", 0)) / 2**20,  # type: ignore[arg-type]
                "exit": float(r["exit"]),  # type: ignore[arg-type]
            }
        )
    return {k: statistics.median(s[k] for s in samples) for k in samples[0]}


def bench_size(files: list[Path], root: Path, work: Path, args: argparse.Namespace) -> dict:
    """All tools on one set of files."""
    dest = work / f"run-{len(files)}"
    lay_out(files, root, dest)
    out: dict[str, dict[str, float]] = {}
    if args.before:
        time_prlint(shlex.split(args.before), "before ", files, root, dest, work, args, out)
    time_prlint(prlint_command(), "", files, root, dest, work, args, out)
    for name, extra in (("codespell", []), ("typos", ["--format", "brief"])):
        cmd = tool(name)
        if cmd is None:
            print(f"{name}: not installed, skipped", file=sys.stderr)
            continue
        out[name] = timed([*cmd, *extra, "corpus"], dest, args.runs)
    shutil.rmtree(dest, ignore_errors=True)
    return out


def time_prlint(
    command: list[str],
    label: str,
    files: list[Path],
    root: Path,
    dest: Path,
    work: Path,
    args: argparse.Namespace,
    out: dict[str, dict[str, float]],
) -> None:
    """Cold, fill, warm and one changed release of one prlint command (``label`` prefixes
    the rows); its reports are kept as ``report-LABEL-cold.json`` etc. in ``--keep``."""
    prlint = [*command, "check", "--format", "json", "-o", str(work / "report.json"),
              "--jobs", str(args.jobs)]  # fmt: skip
    if args.select:
        prlint += ["--select", args.select]
    cache = dest / ".prlint_cache"
    shutil.rmtree(cache, ignore_errors=True)
    compile_modules(command, files[0], work)

    def clear_cache(_: int) -> None:
        shutil.rmtree(cache, ignore_errors=True)

    def keep(kind: str) -> None:
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            name = f"report-{label.strip() or 'after'}-{kind}-{len(files)}.json"
            shutil.copy(work / "report.json", args.keep / name)

    out[f"{label}prlint cold"] = timed([*prlint, "corpus", "--no-cache"], dest, args.runs)
    keep("cold")
    out[f"{label}prlint fill"] = timed([*prlint, "corpus"], dest, args.runs, clear_cache)
    keep("fill")
    out[f"{label}prlint warm"] = timed([*prlint, "corpus"], dest, args.runs)
    keep("warm")
    changed = dest / "corpus" / files[len(files) // 2].relative_to(root)
    original = changed.read_bytes()

    def edit(i: int) -> None:  # a new blank line at the end: new content, same findings
        changed.write_bytes(original + b"\n" * (i + 1))

    out[f"{label}prlint 1 changed"] = timed(
        [*prlint, str(changed.relative_to(dest))], dest, args.runs, edit
    )
    keep("changed")

    def edit_again(i: int) -> None:  # content no run above had: nothing is reused
        edit(args.runs + i)

    out[f"{label}prlint update"] = timed([*prlint, "corpus"], dest, args.runs, edit_again)
    keep("update")
    changed.write_bytes(original)
    shutil.rmtree(cache, ignore_errors=True)


def compile_modules(command: list[str], release: Path, work: Path) -> None:
    """Run ``command`` once, untimed, on one release with bytecode writing on, so that every
    module it imports is compiled as an installed package's is: where
    ``PYTHONDONTWRITEBYTECODE`` is set, an editable checkout would otherwise be compiled again
    in every timed run (codespell, installed, is not)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    scratch = Path(tempfile.mkdtemp(dir=work))
    shutil.copy(release, scratch / release.name)
    subprocess.run(
        [*command, "check", "--no-cache", "--jobs", "1", release.name],
        cwd=scratch,
        env=env,
        capture_output=True,
        check=False,  # a release with findings exits 1
    )
    shutil.rmtree(scratch, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="a folder of releases, e.g. /tmp/pra")
    parser.add_argument("--sample", type=int, default=2000, help="releases (0: all)")
    parser.add_argument("--runs", type=int, default=1, help="runs per measure (the median)")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--select", help="only these checks (default: all)")
    parser.add_argument("--no-growth", action="store_true", help="only the whole sample")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--before",
        help="another prlint command (e.g. an older checkout's) timed in the same run, its "
        "rows prefixed 'before'",
    )
    parser.add_argument("--keep", type=Path, help="copy each prlint run's JSON report here")
    args = parser.parse_args()

    root = args.corpus.resolve()
    sample = spread(releases(root), args.sample)
    sizes = [len(sample)] if args.no_growth else [len(sample) // 4, len(sample) // 2, len(sample)]
    results: dict[str, object] = {"corpus": str(root), "jobs": args.jobs, "runs": args.runs}
    with tempfile.TemporaryDirectory(prefix="prlint-compare-") as tmp:
        for n in sorted(set(s for s in sizes if s > 0)):
            print(f"timing {n} releases ...", file=sys.stderr)
            results[str(n)] = bench_size(spread(sample, n), root, Path(tmp), args)
    print_table(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


def print_table(results: dict[str, object]) -> None:
    sizes = sorted(int(k) for k in results if k.isdigit())
    print(f"{'releases':>8}  {'tool':<26}{'wall s':>9}{'CPU s':>9}{'max RSS MB':>12}"
          f"{'tree RSS MB':>13}{'tree PSS MB':>13}{'x codespell':>13}")  # fmt: skip
    for n in sizes:
        rows = results[str(n)]
        assert isinstance(rows, dict)
        base = rows.get("codespell", {}).get("wall_s")
        for name, r in rows.items():
            ratio = f"{r['wall_s'] / base:.2f}" if base else "-"
            print(f"{n:>8}  {name:<26}{r['wall_s']:>9.2f}{r['cpu_s']:>9.2f}"
                  f"{r['max_rss_mb']:>12.0f}{r['tree_rss_mb']:>13.0f}"
                  f"{r.get('tree_pss_mb', 0):>13.0f}{ratio:>13}")  # fmt: skip
    if len(sizes) > 1:
        first = results[str(sizes[0])]
        assert isinstance(first, dict)
        for name in first:
            growth = []
            for n in sizes[1:]:
                rows = results[str(n)]
                assert isinstance(rows, dict)
                if name in rows and first[name]["wall_s"] > 0:
                    scaled = first[name]["wall_s"] * n / sizes[0]
                    growth.append(f"{n}: {rows[name]['wall_s'] / scaled:.2f}x linear")
            print(f"growth of {name}: " + ", ".join(growth))


if __name__ == "__main__":
    try:
        sys.exit(main())
    except subprocess.CalledProcessError as exc:
        print(f"compare: a measured command failed: {exc.stderr}", file=sys.stderr)
        sys.exit(2)
