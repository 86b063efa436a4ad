"""``prlint init``: a starter config inferred from the corpus."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from prlint.cli import app
from prlint.config import parse_config

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture()
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(SEEDS, tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_init_infers_the_company_of_the_seeds(corpus: Path) -> None:
    result = CliRunner().invoke(app, ["init", "seeds"])
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((corpus / ".prlint.yaml").read_text(encoding="utf-8"))
    assert data["company"] == {
        "names": ["Cellectar Biosciences"],
        "domains": ["cellectar.com"],
        "ticker": "CLRB",
    }
    assert data["corpus"] == ["seeds/**/*.txt"]
    text = (corpus / ".prlint.yaml").read_text(encoding="utf-8")
    assert "# select: [company-name, url-drift]" in text and "#   filer_category:" in text
    parse_config(data, path=None, root=corpus)  # a valid config


def test_init_refuses_to_overwrite_without_force(corpus: Path) -> None:
    (corpus / ".prlint.yaml").write_text("select: [company-name]\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["init", "seeds"])
    assert result.exit_code == 2
    assert (corpus / ".prlint.yaml").read_text(encoding="utf-8") == "select: [company-name]\n"
    forced = CliRunner().invoke(app, ["init", "seeds", "--force", "-o", "other.yaml"])
    assert forced.exit_code == 0
    assert "Cellectar" in (corpus / "other.yaml").read_text(encoding="utf-8")


def test_init_with_the_inferred_config_finds_the_same_misspellings(corpus: Path) -> None:
    from prlint import lint

    assert CliRunner().invoke(app, ["init", "seeds"]).exit_code == 0
    result = lint(
        ["seeds"], config=corpus / ".prlint.yaml", select=["company-name"], cache=False, jobs=1
    )
    assert {d.matched for d in result.diagnostics} == {"Cellecstar", "Cellestar", "Collectar"}
