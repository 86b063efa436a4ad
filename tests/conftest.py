"""Shared test helpers: run the real CLI in a subprocess, with a test-only plugin installed.

``run_prlint(args, cwd, env)`` runs ``prlint`` and returns the completed process with stdout and
stderr decoded as UTF-8 (newlines untouched). The ``plugin_env`` fixture gives the environment
that makes ``tests/prlint_testplugin.py`` discoverable (checks ``test-acme``, ``test-todo``)
through a temporary ``dist-info`` folder on ``PYTHONPATH``: no pip involved.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

PLUGIN = Path(__file__).with_name("prlint_testplugin.py")
#: the example plugin's own tests run with the plugin installed (test_plugin.py runs them)
collect_ignore = ["plugin_example"]
ENTRY_POINTS = """\
[prlint.checks]
test-acme = prlint_testplugin:AcmeTypo
test-todo = prlint_testplugin:TodoMarker
"""


def run_prlint(
    args: Sequence[str], cwd: Path, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``prlint ARGS`` in ``cwd``; ``env`` is added to the current environment."""
    full = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    proc = subprocess.run(
        [sys.executable, "-c", "from prlint.cli import main; main()", *args],
        cwd=cwd,
        env=full,
        capture_output=True,
        timeout=300,
    )
    return subprocess.CompletedProcess(
        proc.args, proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")
    )


@pytest.fixture(scope="session")
def plugin_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the test plugin as an installed distribution."""
    site = tmp_path_factory.mktemp("site")
    shutil.copy(PLUGIN, site / PLUGIN.name)
    info = site / "prlint_testplugin-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: prlint-testplugin\nVersion: 0.1\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(ENTRY_POINTS, encoding="utf-8")
    return site


@pytest.fixture
def plugin_env(plugin_site: Path) -> dict[str, str]:
    """Environment for :func:`run_prlint` with the test plugin discoverable."""
    paths = [str(plugin_site), *filter(None, [os.environ.get("PYTHONPATH")])]
    return {"PYTHONPATH": os.pathsep.join(paths)}
