"""``--engine dask``: the same report as the local engine, and clear errors when it cannot run.

The cluster tests need the dask extra (``pip install -e '.[test,dask]'``, what ``.ci/run``
installs); without it they are skipped with that reason.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import pytest

from prlint import lint
from prlint.reporters import get_reporter
from tests.conftest import run_prlint

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
HAS_DASK = find_spec("distributed") is not None and find_spec("dask") is not None
needs_dask = pytest.mark.skipif(
    not HAS_DASK, reason="the dask extra is not installed: pip install -e '.[test,dask]'"
)

CORPORA = [
    pytest.param(REPO / "seeds", id="seeds"),
    pytest.param(SHARED / "devset", id="devset"),
    pytest.param(SHARED / "devset-md", id="devset-md"),
]


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    """A LocalCluster of two worker processes, started for these tests and closed after."""
    from distributed import Client, LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as cluster, Client(cluster) as c:
        yield c


def _json(paths: list[str], **kwargs: Any) -> str:
    return get_reporter("json")(lint(paths, config={}, cache=False, **kwargs))


def _corpus(path: Path) -> Path:
    if not path.is_dir():
        pytest.skip(f"{path} is not there (the shared dev sets sit beside the repository)")
    return path


@needs_dask
@pytest.mark.parametrize("corpus", CORPORA)
def test_api_report_is_byte_identical_to_the_local_engine(
    client: Any, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(_corpus(corpus).parent)
    local = _json([corpus.name], jobs=2)
    on_dask = _json([corpus.name], engine="dask", scheduler=client)
    assert json.loads(local)["diagnostics"], "the corpus must hold findings to compare"
    assert on_dask == local


@needs_dask
def test_cli_connects_to_a_scheduler_and_prints_the_same_report(client: Any) -> None:
    devset = _corpus(SHARED / "devset")
    args = ["check", "devset", "--format", "json", "--no-cache"]
    local = run_prlint(args, cwd=devset.parent)
    address = client.scheduler.address
    on_dask = run_prlint([*args, "--engine", "dask", "--scheduler", address], cwd=devset.parent)
    assert (on_dask.returncode, on_dask.stderr) == (1, "")
    assert (local.returncode, local.stderr) == (1, "")
    assert on_dask.stdout == local.stdout


@needs_dask
def test_cli_starts_a_local_cluster_of_jobs_workers(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Visit us at https://acme.com \\$5 today.\n", "utf-8")
    args = ["check", ".", "--format", "json", "--no-cache", "--select", "text-artifact"]
    local = run_prlint(args, cwd=tmp_path)
    on_dask = run_prlint([*args, "--engine", "dask", "-j", "1"], cwd=tmp_path)
    assert on_dask.returncode == local.returncode == 1
    assert on_dask.stdout == local.stdout
    found = json.loads(on_dask.stdout)["diagnostics"]
    assert [(d["path"], d["line"], d["column"], d["check"]) for d in found] == [
        ("a.txt", 1, 30, "text-artifact")
    ]


@needs_dask
def test_unreachable_scheduler_is_one_line_and_exit_2(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Acme Corp. announced results.\n", "utf-8")
    proc = run_prlint(
        ["check", ".", "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9"], cwd=tmp_path
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.startswith(
        "prlint: error: cannot reach the Dask scheduler at tcp://127.0.0.1:9: "
    )
    assert proc.stderr.count("\n") == 1


@needs_dask
def test_worker_with_another_prlint_is_refused(tmp_path: Path) -> None:
    """A worker whose environment holds another prlint version: exit 2 naming the worker."""
    from distributed import Client, LocalCluster

    site = tmp_path / "site"
    info = site / "prlint-9.9.9.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: prlint\nVersion: 9.9.9\n")
    (tmp_path / "a.txt").write_text("Acme Corp. announced results.\n", "utf-8")
    with LocalCluster(n_workers=0, protocol="tcp", dashboard_address=":0") as cluster:
        env = {**os.environ, "PYTHONPATH": str(site)}
        worker = subprocess.Popen(
            [sys.executable, "-m", "distributed.cli.dask_worker", cluster.scheduler_address,
             "--nworkers", "1", "--nthreads", "1", "--no-dashboard"],
            env=env, cwd=site, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            with Client(cluster) as c:
                c.wait_for_workers(1, timeout=120)
            proc = run_prlint(
                ["check", ".", "--engine", "dask", "--scheduler", cluster.scheduler_address],
                cwd=tmp_path,
            )
        finally:
            worker.terminate()
            worker.wait(timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.startswith("prlint: error: Dask worker tcp://")
    assert proc.stderr.endswith(
        " has prlint 9.9.9, this client 0.1.0: install the same version on every worker\n"
    )


@needs_dask
def test_file_urls_are_listed_on_the_client_and_read_on_the_workers(client: Any) -> None:
    """A ``file://`` URL through fsspec gives the local engine's report, paths as URLs."""
    seeds = REPO / "seeds"
    url = seeds.as_uri()
    local = run_prlint(["check", "seeds", "--format", "json", "--no-cache"], cwd=REPO)
    address = client.scheduler.address
    on_dask = run_prlint(
        ["check", url, "--format", "json", "--no-cache", "--engine", "dask", "--scheduler",
         address],
        cwd=REPO,
    )  # fmt: skip
    assert (on_dask.returncode, on_dask.stderr) == (1, "")
    assert json.loads(on_dask.stdout)["files_checked"] == len(list(seeds.glob("*.txt")))
    assert on_dask.stdout == local.stdout.replace('"seeds/', f'"{url}/').replace(
        " seeds/", f" {url}/"
    )
    assert client.who_has() == {}, "the run left records on the cluster"


@needs_dask
def test_memory_urls_are_read_by_the_workers_of_the_cluster() -> None:
    """Any fsspec protocol: a ``memory://`` folder, on a cluster of threads sharing it."""
    import fsspec
    from distributed import Client, LocalCluster

    fs = fsspec.filesystem("memory")
    fs.pipe("/h15/news/a.txt", b"Visit us at https://acme.com \\$5 today.\n")
    fs.pipe("/h15/news/.hidden/b.txt", b"Visit \\$6 today.\n")
    fs.pipe("/h15/news/.d.txt", b"Visit \\$7 today.\n")
    fs.pipe("/h15/news/c.pdf", b"not a release")
    try:
        with LocalCluster(
            n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0"
        ) as cluster, Client(cluster) as c:
            result = lint(
                ["memory://h15/news"], config={}, select=["text-artifact"], engine="dask",
                scheduler=c,
            )  # fmt: skip
    finally:
        fs.rm("/h15", recursive=True)
    assert result.files_checked == 1
    assert [(d.path, d.line, d.column, d.check) for d in result.diagnostics] == [
        ("memory://h15/news/a.txt", 1, 30, "text-artifact")
    ]


@needs_dask
@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("nope://bucket/releases", "nope://bucket/releases: cannot list: ValueError: "
         "Protocol not known: nope"),
        ("file:///nonexistent/releases", "file:///nonexistent/releases: no such file or "
         "directory"),
    ],
)  # fmt: skip
def test_bad_url_is_one_line_and_exit_2(client: Any, url: str, message: str) -> None:
    address = client.scheduler.address
    proc = run_prlint(["check", url, "--engine", "dask", "--scheduler", address], cwd=REPO)
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == f"prlint: error: {message}\n"


@needs_dask
def test_url_whose_protocol_package_is_missing_says_which(client: Any) -> None:
    if find_spec("s3fs") is not None:
        pytest.skip("s3fs is installed: this tests the message without it")
    address = client.scheduler.address
    proc = run_prlint(
        ["check", "s3://bucket/releases", "--engine", "dask", "--scheduler", address], cwd=REPO
    )
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == "prlint: error: s3://bucket/releases: Install s3fs to access S3\n"


def test_url_without_the_dask_engine_is_a_usage_error(tmp_path: Path) -> None:
    proc = run_prlint(["check", tmp_path.as_uri()], cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == (
        f"prlint: error: {tmp_path.as_uri()}: a URL is read by the dask engine only "
        "(--engine dask)\n"
    )


def test_scheduler_without_the_dask_engine_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Acme Corp. announced results.\n", "utf-8")
    proc = run_prlint(["check", ".", "--scheduler", "tcp://127.0.0.1:9"], cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == "prlint: error: a scheduler needs the dask engine (--engine dask)\n"


@pytest.mark.skipif(HAS_DASK, reason="dask is installed: this tests the message without it")
def test_dask_engine_without_the_extra_says_how_to_install_it(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Acme Corp. announced results.\n", "utf-8")
    proc = run_prlint(["check", ".", "--engine", "dask"], cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == (
        "prlint: error: the dask engine needs the dask extra: pip install 'prlint[dask]'\n"
    )
