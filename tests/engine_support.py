"""Helpers for the engine tests: the example plugin on the path, files, and a CLI runner.

The example plugin (``tests/plugin_example``) is made importable and discoverable the way an
installed distribution is: a ``*.dist-info`` folder whose ``entry_points.txt`` is written from
the plugin's own ``pyproject.toml``. Tests import the fixtures they use from here.
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
import regex

from prlint import registry

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
PLUGIN_DIR = TESTS / "plugin_example"


def make_plugin_site(dest: Path) -> Path:
    """Lay out the example plugin in ``dest`` as an installed distribution; returns ``dest``."""
    project = tomllib.loads((PLUGIN_DIR / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    name, version = project["name"], project["version"]
    shutil.copytree(PLUGIN_DIR / "prlint_example", dest / "prlint_example", dirs_exist_ok=True)
    info = dest / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True, exist_ok=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8"
    )
    lines = []
    for group, entries in project["entry-points"].items():
        lines.append(f"[{group}]")
        lines += [f"{key} = {value}" for key, value in entries.items()]
    (info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return dest


@functools.lru_cache(maxsize=1)
def example_site() -> Path:
    """One site folder holding the example plugin per test process (removed at exit)."""
    dest = Path(tempfile.mkdtemp(prefix="prlint-example-site-"))
    atexit.register(shutil.rmtree, dest, True)
    return make_plugin_site(dest)


@pytest.fixture
def example_plugin(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The example plugin's checks are registered for in-process runs (``prlint.lint``)."""
    site = example_site()
    monkeypatch.syspath_prepend(str(site))
    registry.available_checks.cache_clear()
    yield site
    registry.available_checks.cache_clear()


def write(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write ``files`` (relative path → text or bytes) under ``root``; returns ``root``."""
    for name, content in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8") if isinstance(content, str) else content
        target.write_bytes(data)
    return root


def prlint(
    *args: str, cwd: Path, site: Path | None = None, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the ``prlint`` CLI in a subprocess; ``site`` puts the example plugin on its path."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("PRLINT", "PYTHONPATH"))}
    full_env["NO_COLOR"] = "1"
    full_env["COLUMNS"] = "200"
    if site is not None:
        full_env["PYTHONPATH"] = str(site)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-c", "from prlint.cli import main; main()", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
    )


_FINDING = regex.compile(r"^\S[^\n]*?:\d+:\d+: (?:error|warning|info) \[[\w\-]+\] ")


def finding_lines(stdout: str) -> list[str]:
    """The ``path:line:col: severity [check] message`` lines of a text report."""
    return [line for line in stdout.splitlines() if _FINDING.match(line)]
