"""Configuration: discovery, validation (one line naming file, key and what is allowed), effect."""

from __future__ import annotations

from pathlib import Path

import pytest

from prlint import lint
from prlint.api import Severity
from prlint.config import ConfigError, find_config, load_config, parse_config
from prlint.registry import activate
from tests.engine_support import example_plugin, example_site, finding_lines, prlint, write  # noqa: F401

SITE = example_site()


# -- discovery ---------------------------------------------------------------------------------
def test_no_config_gives_defaults_rooted_at_cwd(tmp_path: Path) -> None:
    cfg = load_config(cwd=tmp_path)
    assert cfg.path is None and cfg.root == tmp_path
    assert cfg.select == [] and cfg.corpus == [] and cfg.fail_on is Severity.WARNING


def test_prlint_yaml_found_walking_up(tmp_path: Path) -> None:
    write(tmp_path, {".prlint.yaml": "corpus: ['archive/*.txt']\n", "a/b/c/x.txt": ""})
    cfg = load_config(cwd=tmp_path / "a" / "b" / "c")
    assert cfg.path == tmp_path / ".prlint.yaml"
    assert cfg.root == tmp_path.resolve()
    assert cfg.corpus == ["archive/*.txt"]


def test_pyproject_without_prlint_section_is_passed_over(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            ".prlint.yaml": "select: [example-word]\n",
            "pkg/pyproject.toml": "[project]\nname = 'x'\n[tool.other]\na = 1\n",
        },
    )
    assert find_config(tmp_path / "pkg") == tmp_path / ".prlint.yaml"


def test_pyproject_tool_prlint_nearest_wins(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            ".prlint.yaml": "select: [company-name]\n",
            "pkg/pyproject.toml": "[tool.prlint]\nselect = ['example-word']\nfail_on = 'error'\n",
        },
    )
    cfg = load_config(cwd=tmp_path / "pkg")
    assert cfg.path == tmp_path / "pkg" / "pyproject.toml"
    assert cfg.select == ["example-word"]
    assert cfg.fail_on is Severity.ERROR


def test_prlint_yaml_beats_pyproject_in_the_same_folder(tmp_path: Path) -> None:
    write(tmp_path, {".prlint.yaml": "ignore: [a]\n", "pyproject.toml": "[tool.prlint]\n"})
    assert find_config(tmp_path) == tmp_path / ".prlint.yaml"


def test_config_option_names_a_file_anywhere(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            ".prlint.yaml": "fail-on: error\n",
            "conf/strict.yaml": "checks: {example-word: {words: [FIXME]}}\n",
            "a.txt": "TODO and FIXME\n",
        },
    )
    proc = prlint(
        "check",
        "a.txt",
        "--config",
        "conf/strict.yaml",
        "--select",
        "example-word",
        "--no-cache",
        cwd=tmp_path,
        site=SITE,
    )
    assert proc.returncode == 1  # strict.yaml has no fail-on: the default warning applies
    assert finding_lines(proc.stdout) == [
        "a.txt:1:10: warning [example-word] placeholder 'FIXME' left in"
    ]
    missing = prlint("check", "a.txt", "--config", "nope.yaml", cwd=tmp_path)
    assert missing.returncode == 2
    assert missing.stderr == "prlint: error: nope.yaml: config file not found\n"


def test_keys_accept_underscores_and_comma_strings(tmp_path: Path) -> None:
    write(tmp_path, {".prlint.yaml": "per_file_ignores: {'*.md': 'a, b'}\nfail_on: info\n"})
    cfg = load_config(cwd=tmp_path)
    assert cfg.per_file_ignores == {"*.md": ["a", "b"]}
    assert cfg.fail_on is Severity.INFO


# -- validation: exit 2, one line naming the file, the key and what is allowed -----------------
KNOWN = (
    "allow, baseline, checks, company, corpus, exclude, fail-on, ignore, include, packs, "
    "per-file-ignores, select, severity"
)
BAD = [
    ("colour: red\n", f"unknown key 'colour'; allowed: {KNOWN}"),
    ("select: 5\n", "'select' must be a list of strings, got 5"),
    ("select: [nope]\n", "'select': unknown check 'nope'; known: "),
    ("ignore: [nope]\n", "'ignore': unknown check 'nope'; known: "),
    ("per-file-ignores: {'*.md': [nope]}\n", "'per-file-ignores': unknown check 'nope'; known: "),
    ("per-file-ignores: [a]\n", "'per-file-ignores' must map file globs to lists of checks"),
    (
        "severity: {example-word: loud}\n",
        "'severity.example-word': 'loud' is not one of error, warning, info",
    ),
    ("severity: {nope: error}\n", "'severity.nope': unknown check; known: "),
    ("checks: {example-word: 3}\n", "'checks' must map check names to option mappings"),
    ("checks: {nope: {}}\n", "'checks.nope': unknown check; known: "),
    (
        "checks: {example-word: {colour: 1}}\n",
        "'checks.example-word.colour': unknown option; allowed: words",
    ),
    (
        "checks: {example-word: {words: TODO}}\n",
        "'checks.example-word.words': expected list, got str 'TODO'",
    ),
    (
        "company: {tickr: X}\n",
        "unknown key 'company.tickr'; allowed: aliases, domains, "
        "filer_category, fiscal_year_end, names, ticker",
    ),
    (
        "company: {filer_category: huge}\n",
        "'company.filer_category' must be one of "
        "large-accelerated, accelerated, non-accelerated, got 'huge'",
    ),
    ("company: {fiscal_year_end: 13-01}\n", "'company.fiscal_year_end' must be MM-DD, got '13-01'"),
    ("company: {names: Acme}\n", None),  # a single string is a one-item list: valid
    ("fail-on: never\n", "'fail-on': 'never' is not one of error, warning, info"),
    ("corpus: ['/abs/*.txt']\n", "'corpus' globs must be relative to the config's folder"),
    ("baseline: 3\n", "'baseline' must be a file path, got 3"),
    ("- a\n- b\n", "the config must be a mapping of keys to values"),
    ("select: [a\n", "invalid syntax: "),
    (
        "x: !!python/object/apply:os.system ['echo pwned']\n",
        "invalid syntax: could not determine a constructor for the tag",
    ),
]


@pytest.mark.parametrize(("body", "message"), BAD, ids=[b.split(":")[0] for b, _ in BAD])
def test_bad_config_exits_2_with_one_line(tmp_path: Path, body: str, message: str | None) -> None:
    write(tmp_path, {".prlint.yaml": body, "a.txt": "Plain text.\n"})
    proc = prlint("check", "a.txt", "--no-cache", cwd=tmp_path, site=SITE)
    if message is None:
        assert proc.returncode in (0, 1), proc.stderr
        return
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "pwned" not in proc.stdout
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    prefix = f"prlint: error: {tmp_path.resolve() / '.prlint.yaml'}: "
    assert lines[0].startswith(prefix + message), lines[0]


def test_bad_pyproject_names_the_pyproject(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": "[tool.prlint]\nselectt = ['a']\n", "a.txt": "x\n"})
    proc = prlint("check", "a.txt", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.startswith(
        f"prlint: error: {tmp_path / 'pyproject.toml'}: unknown key 'selectt'; allowed: "
    )


def test_load_config_raises_config_error(tmp_path: Path) -> None:
    write(tmp_path, {".prlint.yaml": "include: {a: 1}\n"})
    with pytest.raises(ConfigError, match=r"'include' must be a list of strings"):
        load_config(cwd=tmp_path)


# -- effect ------------------------------------------------------------------------------------
FILES = {
    "news/a.txt": "Title A\n\nSome TODO and FIXME.\n",
    "news/b.md": "# Title B\n\nAnother XXX here.\n",
    "drafts/c.txt": "Title C\n\nDraft TODO.\n",
}


def run_lint(root: Path, config: dict[str, object], **kw: object) -> list[str]:
    write(root, FILES)
    result = lint([str(root)], config=config, cache=False, jobs=1, **kw)  # type: ignore[arg-type]
    assert not result.errors, result.errors
    return [
        f"{Path(d.path).relative_to(root).as_posix()}:{d.line}:{d.column} {d.severity.value} "
        f"{d.check} {d.matched}"
        for d in result.diagnostics
    ]


@pytest.mark.usefixtures("example_plugin")
@pytest.mark.parametrize(
    ("config", "expected"),
    [
        (
            {"select": ["example-word"]},
            [
                "drafts/c.txt:3:7 warning example-word TODO",
                "news/a.txt:3:6 warning example-word TODO",
                "news/b.md:3:9 warning example-word XXX",
            ],
        ),
        (
            {"select": ["example-word"], "per-file-ignores": {"drafts/*": ["example-word"]}},
            ["news/a.txt:3:6 warning example-word TODO", "news/b.md:3:9 warning example-word XXX"],
        ),
        (
            {"select": ["example-word"], "per-file-ignores": {"*.md": ["ALL"]}},
            [
                "drafts/c.txt:3:7 warning example-word TODO",
                "news/a.txt:3:6 warning example-word TODO",
            ],
        ),
        (
            {"select": ["example-word"], "exclude": ["drafts/*"], "include": ["*.txt"]},
            ["news/a.txt:3:6 warning example-word TODO"],
        ),
        (
            {
                "select": ["example-word"],
                "severity": {"example-word": "error"},
                "checks": {"example-word": {"words": ["FIXME"]}},
            },
            ["news/a.txt:3:15 error example-word FIXME"],
        ),
        (
            {"select": ["example-word"], "allow": ["TODO"]},
            ["news/b.md:3:9 warning example-word XXX"],
        ),
        (
            {"select": ["example-word", "example-duplicate-title"], "ignore": ["example-word"]},
            [],
        ),
    ],
)
def test_config_keys_take_effect(
    tmp_path: Path, config: dict[str, object], expected: list[str]
) -> None:
    assert run_lint(tmp_path, config) == expected


@pytest.mark.usefixtures("example_plugin")
def test_select_argument_beats_config_select(tmp_path: Path) -> None:
    got = run_lint(tmp_path, {"select": ["example-duplicate-title"]}, select=["example-word"])
    assert len(got) == 3 and all("example-word" in g for g in got)


@pytest.mark.usefixtures("example_plugin")
def test_company_allow_packs_and_options_reach_the_check_context(tmp_path: Path) -> None:
    pack = "rules:\n  acme: {kind: existence, message: m, tokens: [Acme]}\n"
    write(tmp_path, {"my-pack.yaml": pack})
    cfg = parse_config(
        {
            "company": {
                "names": ["Acme Corp"],
                "ticker": "ACME",
                "fiscal-year-end": "6-30",
                "filer_category": "accelerated",
                "domains": "acme.test",
            },
            "allow": ["Acmeware"],
            "packs": ["my-pack.yaml"],
            "checks": {"example-word": {"words": ["FIXME"]}},
            "select": ["example-word"],
        },
        path=None,
        root=tmp_path,
    )
    (active,) = activate(cfg)
    ctx = active.ctx
    assert ctx.name == "example-word" and ctx.severity is Severity.WARNING
    assert dict(ctx.options) == {"words": ["FIXME"]}
    assert ctx.company == {
        "names": ["Acme Corp"],
        "ticker": "ACME",
        "fiscal_year_end": "06-30",
        "filer_category": "accelerated",
        "domains": ["acme.test"],
    }
    assert ctx.allow == frozenset({"Acmeware"})
    user_pack = ctx.packs[-1]
    assert user_pack == {
        "__path__": str(tmp_path / "my-pack.yaml"),
        "rules": [{"name": "acme", "kind": "existence", "message": "m", "tokens": ["Acme"]}],
    }


def test_a_bad_pack_is_a_config_error(tmp_path: Path) -> None:
    write(
        tmp_path, {".prlint.yaml": "packs: [p.yaml]\n", "p.yaml": "- just\n- a list\n", "a.txt": ""}
    )
    proc = prlint("check", "a.txt", cwd=tmp_path)
    assert proc.returncode == 2
    assert (
        proc.stderr
        == f"prlint: error: {tmp_path.resolve() / 'p.yaml'}: a pack must be a mapping with a "
        "'rules' section\n"
    )


# -- the README's examples are valid ------------------------------------------------------------
def readme_blocks(lang: str) -> list[str]:
    text = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    return [block.split("\n", 1)[1] for block in text.split("```")[1::2] if block.startswith(lang)]


def test_readme_config_examples_are_valid(tmp_path: Path) -> None:
    yaml_blocks = readme_blocks("yaml\n")
    config = next(b for b in yaml_blocks if b.startswith("# .prlint.yaml"))
    pack = next(b for b in yaml_blocks if b.startswith("# style/our-terms.yaml"))
    toml = next(b for b in readme_blocks("toml\n") if b.startswith("[tool.prlint]"))
    write(tmp_path, {"a/.prlint.yaml": config, "a/style/our-terms.yaml": pack})
    write(tmp_path, {"b/pyproject.toml": toml})
    for folder in ("a", "b"):
        cfg = load_config(cwd=tmp_path / folder)
        assert activate(cfg), folder
    cfg = load_config(cwd=tmp_path / "a")
    assert cfg.company["ticker"] == "CLRB" and cfg.baseline == "prlint-baseline.json"
    user_pack = activate(cfg)[0].ctx.packs[-1]
    assert [r["name"] for r in user_pack["rules"]] == ["no-placeholder", "e-mail"]
