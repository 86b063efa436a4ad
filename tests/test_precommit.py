"""The real ``pre-commit try-repo`` against a temporary git repository holding the seeds.

pre-commit installs this repository (its committed state plus tracked changes) with pip into a
fresh environment, so the test needs the package index and takes a minute; it makes exactly
two try-repo calls: one that fails with the seeds' findings, one that passes once they are
baselined.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.engine_support import REPO, finding_lines, prlint, write

SEEDS = REPO / "seeds"
STABLE_CHECK = "text-artifact"  # its seed findings (escaped dollar signs) are exact and stable

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment for git and pre-commit: a private PRE_COMMIT_HOME, no colour, no git hooks'
    variables leaking in from an outer git process."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    return {
        **base,
        "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home")),
        "NO_COLOR": "1",
        "GIT_AUTHOR_NAME": "prlint tests",
        "GIT_AUTHOR_EMAIL": "tests@example.invalid",
        "GIT_COMMITTER_NAME": "prlint tests",
        "GIT_COMMITTER_EMAIL": "tests@example.invalid",
    }


def git(repo: Path, env: dict[str, str], *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def try_repo(repo: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pre_commit",
            "try-repo",
            str(REPO),
            "prlint",
            "--all-files",
            "--color",
            "never",
        ],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_try_repo_fails_on_the_seeds_then_passes_once_baselined(
    tmp_path: Path, env: dict[str, str]
) -> None:
    repo = tmp_path / "releases-repo"
    for seed in sorted(SEEDS.glob("*.txt")):
        write(repo, {f"releases/{seed.name}": seed.read_bytes()})
    write(repo, {".prlint.yaml": "corpus: ['releases/*.txt']\n"})
    git(repo, env, "init", "-q")
    git(repo, env, "add", ".")
    git(repo, env, "commit", "-q", "-m", "seeds")

    direct = prlint("check", "releases", "--no-cache", cwd=repo)
    assert direct.returncode == 1, direct.stderr
    expected = finding_lines(direct.stdout)

    first = try_repo(repo, env)
    assert first.returncode == 1, first.stdout + first.stderr
    assert "- hook id: prlint\n- exit code: 1\n" in first.stdout
    got = finding_lines(first.stdout)
    assert got and all(line.startswith("releases/") for line in got)
    # the stable check's lines exactly as prlint prints them, and on the labelled lines
    tag = f"[{STABLE_CHECK}]"
    stable_lines = [line for line in got if tag in line]
    assert stable_lines == [line for line in expected if tag in line]
    labels = [json.loads(line) for line in (SEEDS / "labels.jsonl").read_text().splitlines()]
    assert sorted(
        f"releases/{lab['path']}:{lab['line']}"
        for lab in labels
        if lab["check"] == STABLE_CHECK and lab["kind"] == "defect"
    ) == [line.split(":", 2)[0] + ":" + line.split(":", 2)[1] for line in stable_lines]

    wrote = prlint(
        "check", "releases", "--no-cache", "--write-baseline", "prlint-baseline.json", cwd=repo
    )
    assert wrote.returncode == 0, wrote.stderr
    write(repo, {".prlint.yaml": "corpus: ['releases/*.txt']\nbaseline: prlint-baseline.json\n"})
    git(repo, env, "add", ".")
    git(repo, env, "commit", "-q", "-m", "baseline")

    second = try_repo(repo, env)
    assert second.returncode == 0, second.stdout + second.stderr
    assert [line for line in second.stdout.splitlines() if line.startswith("prlint")] == [
        "prlint" + "." * (79 - len("prlint") - len("Passed")) + "Passed"
    ]
