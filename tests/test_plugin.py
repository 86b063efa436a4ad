"""Third-party checks: discovered through the ``prlint.checks`` entry-point group and run.

``tests/plugin_example`` is a real package with its own ``pyproject.toml``. One test installs it
with pip into a folder and runs prlint with that folder on ``PYTHONPATH``; the others use the
same package laid out as an installed distribution by ``engine_support``.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from prlint.registry import ENTRY_POINT_GROUP, available_checks
from tests.engine_support import (  # noqa: F401
    PLUGIN_DIR,
    example_plugin,
    example_site,
    finding_lines,
    prlint,
    write,
)

RELEASES = {
    "a.txt": "Acme Opens a Plant\n\nWork is TODO.\n",
    "b.md": "# Acme Opens a Plant\n\nAll done.\n",
}
EXPECTED = [
    "a.txt:1:1: warning [example-duplicate-title] same title as 1 other release(s)",
    "a.txt:3:9: warning [example-word] placeholder 'TODO' left in",
    "b.md:1:3: warning [example-duplicate-title] same title as 1 other release(s)",
]


def can_build_offline() -> bool:
    """Whether setuptools here builds wheels by itself (>= 70.1, or with ``wheel`` installed)."""
    try:
        import setuptools
    except ImportError:
        return False
    major, minor = (int(x) for x in setuptools.__version__.split(".")[:2])
    return (major, minor) >= (70, 1) or importlib.util.find_spec("wheel") is not None


def test_plugin_installed_with_pip_is_discovered_and_run(tmp_path: Path) -> None:
    source = shutil.copytree(PLUGIN_DIR, tmp_path / "src")  # keep build files out of the repo
    target = tmp_path / "site"
    # without a capable local setuptools, pip builds in isolation (fetching it from the index)
    offline = ["--no-build-isolation", "--no-index"] if can_build_offline() else []
    pip = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            *offline,
            "--target",
            str(target),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert pip.returncode == 0, pip.stderr
    assert list(target.glob("prlint_example-0.1.0.dist-info/entry_points.txt"))
    work = write(tmp_path / "work", RELEASES)
    listed = prlint("checks", cwd=work, site=target)
    rows = [line.split(None, 2) for line in listed.stdout.splitlines()]
    assert ["example-word", "warning", "a placeholder word left in the text"] in rows
    proc = prlint(
        "check",
        ".",
        "--select",
        "example-word,example-duplicate-title",
        "--no-cache",
        cwd=work,
        site=target,
    )
    assert proc.returncode == 1, proc.stderr
    assert finding_lines(proc.stdout) == EXPECTED


@pytest.mark.usefixtures("example_plugin")
def test_plugin_checks_sit_beside_the_builtins_in_one_registry() -> None:
    registry = available_checks()
    assert {"example-word", "example-duplicate-title", "company-name"} <= set(registry)
    builtin = {ep.name for ep in metadata.entry_points(group=ENTRY_POINT_GROUP)}
    assert set(registry) == builtin  # the core knows no check by name: all come from the group
    assert registry["example-duplicate-title"].cross_release is True


def make_site(root: Path, module: str, body: str, entry_points: str) -> Path:
    site = write(root, {f"{module}.py": body})
    info = site / f"{module}-1.0.dist-info"
    write(
        info,
        {
            "METADATA": f"Metadata-Version: 2.1\nName: {module}\nVersion: 1.0\n",
            "entry_points.txt": f"[prlint.checks]\n{entry_points}\n",
        },
    )
    return site


def test_plugin_that_cannot_be_imported_exits_2_with_one_line(tmp_path: Path) -> None:
    site = make_site(
        tmp_path / "site",
        "broken_plugin",
        "import no_such_module\n",
        "broken = broken_plugin:Broken",
    )
    proc = prlint("checks", cwd=tmp_path, site=site)
    assert proc.returncode == 2
    assert proc.stderr == (
        "prlint: error: cannot load check 'broken' from broken_plugin:Broken: "
        "No module named 'no_such_module'\n"
    )


def test_entry_point_that_is_not_a_check_exits_2(tmp_path: Path) -> None:
    site = make_site(
        tmp_path / "site", "odd_plugin", "class Odd:\n    pass\n", "odd = odd_plugin:Odd"
    )
    write(tmp_path, {"a.txt": "text\n"})
    proc = prlint("check", "a.txt", cwd=tmp_path, site=site)
    assert proc.returncode == 2
    assert proc.stderr == (
        "prlint: error: entry point 'odd' (odd_plugin:Odd) is not a prlint Check\n"
    )


CRASHING = '''
from prlint.api import Check, Extraction


class Crash(Check):
    """Fails on releases that mention Boom."""

    name = "crash"
    summary = "crashes"

    def extract(self, doc, ctx):
        if "Boom" in doc.text:
            raise RuntimeError("boom")
        return Extraction()
'''


def test_a_crashing_check_is_reported_and_the_others_still_run(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", "crash_plugin", CRASHING, "crash = crash_plugin:Crash")
    (site / "prlint_example").symlink_to(PLUGIN_DIR / "prlint_example")
    write(
        site / "prlint_example-0.1.0.dist-info",
        {
            "METADATA": "Metadata-Version: 2.1\nName: prlint-example\nVersion: 0.1.0\n",
            "entry_points.txt": "[prlint.checks]\nexample-word = prlint_example:PlaceholderWord\n",
        },
    )
    write(tmp_path, {"r/a.txt": "Boom TODO\n", "r/b.txt": "Fine TODO\n"})
    proc = prlint(
        "check", "r", "--select", "crash,example-word", "--no-cache", cwd=tmp_path, site=site
    )
    assert proc.returncode == 2
    assert proc.stderr == "prlint: error: r/a.txt: check 'crash' failed: RuntimeError('boom')\n"
    assert finding_lines(proc.stdout) == [
        "r/a.txt:1:6: warning [example-word] placeholder 'TODO' left in",
        "r/b.txt:1:6: warning [example-word] placeholder 'TODO' left in",
    ]


def test_the_example_plugin_s_own_cases_pass_with_prlint_testing(tmp_path: Path) -> None:
    source = shutil.copytree(PLUGIN_DIR, tmp_path / "plugin")
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=source,
        env={**os.environ, "PYTHONPATH": str(example_site())},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "5 passed" in proc.stdout
