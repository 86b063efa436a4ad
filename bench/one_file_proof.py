"""Each of N releases checked alone against a whole-corpus report: the same findings?

    python bench/one_file_proof.py WORKSPACE WHOLE.json --files 50 --mode touched \\
        --command ".venv/bin/prlint"

``WORKSPACE`` holds a ``.prlint.yaml`` whose ``corpus`` globs name the corpus, and a cache the
command filled; ``WHOLE.json`` is a JSON report of the whole corpus (paths relative to the
workspace). Half the files are spread evenly over the corpus, half over the files with a
cross-release finding (a ``related`` location in another file). Each is prepared by ``--mode``
(``touched``: a new mtime, the same content; ``edited``: a blank line more at its end, a new
extraction record and so a new corpus phase; ``unchanged``), checked on its own, and its
findings compared with the whole report's for that file, byte for byte (as JSON). Prints one
line per file and the count of equal reports; exits 1 on any difference. The file is restored.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path


def pick(whole: dict, n: int, corpus: list[str]) -> list[str]:
    """``n`` paths: half spread over the corpus, half over files with cross-release findings."""
    cross = sorted({d["path"] for d in whole["diagnostics"]
                    if any(r["path"] != d["path"] for r in d["related"])})  # fmt: skip
    half = n // 2
    out = [cross[int(i * len(cross) / half)] for i in range(half)] if cross else []
    rest = [p for p in corpus if p not in out]
    out += [rest[int(i * len(rest) / (n - len(out)))] for i in range(n - len(out))]
    return out


def own_copy(target: Path) -> None:
    """Give a file its own inode before writing to it: a corpus linked (``cp -al``) from a
    shared one is never edited through the link. Content and times are kept."""
    if target.stat().st_nlink > 1:
        tmp = target.with_name(target.name + ".own")
        shutil.copy2(target, tmp)
        os.replace(tmp, target)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("workspace", type=Path)
    parser.add_argument("whole", type=Path)
    parser.add_argument("--files", type=int, default=50)
    parser.add_argument("--mode", choices=("touched", "edited", "unchanged"), default="touched")
    parser.add_argument("--command", required=True)
    parser.add_argument("-j", "--jobs", type=int, default=2)
    args = parser.parse_args()
    whole = json.loads(args.whole.read_text(encoding="utf-8"))
    corpus = sorted(
        str(p.relative_to(args.workspace))
        for p in (args.workspace / "corpus").rglob("*")
        if p.suffix in (".md", ".txt", ".html")
    )
    same = 0
    files = pick(whole, args.files, corpus)
    for path in files:
        target = args.workspace / path
        own_copy(target)
        st = target.stat()
        original = target.read_bytes() if args.mode == "edited" else b""
        if args.mode == "touched":
            os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns + 10_000_000_000))
        elif args.mode == "edited":
            target.write_bytes(original + b"\n")
        started = time.perf_counter()
        proc = subprocess.run(
            [*shlex.split(args.command), "check", path, "--format", "json", "-j", str(args.jobs)],
            cwd=args.workspace, capture_output=True, text=True, check=False,
        )  # fmt: skip
        wall = time.perf_counter() - started
        if args.mode == "edited":
            target.write_bytes(original)
        os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
        try:
            report = json.loads(proc.stdout)
        except json.JSONDecodeError:
            print(f"{path}: no report (exit {proc.returncode}): {proc.stderr[:200]}")
            continue
        expected = [d for d in whole["diagnostics"] if d["path"] == path]
        ok = json.dumps(report["diagnostics"]) == json.dumps(expected)
        ok = ok and report["files_checked"] == 1
        same += ok
        related = sum(1 for d in expected if any(r["path"] != path for r in d["related"]))
        print(f"{'same' if ok else 'DIFFERENT'} {len(expected):3} findings "
              f"({related} cross-release) {wall:6.2f}s exit {proc.returncode} {path}")  # fmt: skip
    print(f"{same}/{len(files)} files: findings byte-identical to the whole-corpus report")
    return 0 if same == len(files) else 1


if __name__ == "__main__":
    sys.exit(main())
