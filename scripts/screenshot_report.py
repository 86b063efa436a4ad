"""Render the seeds' HTML report and take its screenshot for the README, with headless Chromium.

    .venv/bin/python scripts/screenshot_report.py            # writes docs/report.png
    .venv/bin/python scripts/screenshot_report.py PATHS... --png out.png --html out.html
    .venv/bin/python scripts/screenshot_report.py --measure report.html   # size, load time

The helpers (``find_chromium``, ``dump_dom``, ``screenshot``) are also what the tests use to open
the report in a browser. Chromium comes from Debian's ``chromium`` package (``.ci/run`` installs
it); it runs with a fresh profile and every background network feature off.
"""

from __future__ import annotations

import argparse
import shutil
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def find_chromium() -> str | None:
    """The Chromium executable on PATH, or None."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _chromium(args: list[str], profile: Path, timeout: float = 120) -> str:
    exe = find_chromium()
    if exe is None:
        raise RuntimeError("chromium is not installed (apt-get install chromium)")
    profile.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        [exe, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )
    return proc.stdout


def dump_dom(url: str, profile: Path) -> str:
    """The page's DOM after it loaded and its script ran, serialized."""
    return _chromium(["--dump-dom", url], profile)


def screenshot(url: str, png: Path, profile: Path, size: tuple[int, int] = (1280, 1600)) -> None:
    """A PNG of the page's first ``size`` pixels (width, height)."""
    _chromium([f"--window-size={size[0]},{size[1]}", f"--screenshot={png}", url], profile)


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's header."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("not a PNG")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _timed(call: Callable[[], str]) -> tuple[float, str]:
    started = time.perf_counter()
    out = call()
    return time.perf_counter() - started, out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=["seeds"], help="what to lint (default: seeds)")
    parser.add_argument("--png", type=Path, default=REPO / "docs" / "report.png")
    parser.add_argument("--html", type=Path, help="keep the HTML report here")
    parser.add_argument("--size", default="1280x1600", help="window WIDTHxHEIGHT")
    parser.add_argument(
        "--measure", type=Path, help="only print this report's size and the seconds Chromium "
        "takes to load it, run its script and serialize its DOM (browser start included)"
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.measure:
        with tempfile.TemporaryDirectory(prefix="prlint-measure-") as tmp:
            blank = _timed(lambda: dump_dom("about:blank", Path(tmp) / "blank"))[0]
            url = args.measure.resolve().as_uri()
            seconds, dom = _timed(lambda: dump_dom(url, Path(tmp) / "page"))
        size = args.measure.stat().st_size
        print(f"{args.measure}: {size / 1e6:.1f} MB, loaded in Chromium in {seconds:.1f} s "
              f"(an empty page: {blank:.1f} s; {len(dom) / 1e6:.1f} MB of DOM)")  # fmt: skip
        return 0
    width, height = (int(n) for n in args.size.split("x"))
    with tempfile.TemporaryDirectory(prefix="prlint-shot-") as tmp:
        html = args.html or Path(tmp) / "report.html"
        proc = subprocess.run(
            [sys.executable, "-c", "from prlint.cli import main; main()", "check", *args.paths,
             "--no-cache", "--format", "html", "-o", str(html)],
            cwd=REPO,
        )  # fmt: skip
        if proc.returncode not in (0, 1):
            return proc.returncode
        args.png.parent.mkdir(parents=True, exist_ok=True)
        screenshot(html.resolve().as_uri(), args.png, Path(tmp) / "profile", (width, height))
    print(f"wrote {args.png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
