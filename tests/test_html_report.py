"""The HTML corpus report (``--format html``) through the real CLI, read as a user sees it.

Findings come from the test-only plugin (``tests/prlint_testplugin.py``), insights from
``tests/prlint_insightplugin.py``. The page is parsed with BeautifulSoup; where Chromium is
installed (``.ci/run`` installs it) the page is also opened headless: its DOM after the page's
script ran, a screenshot, and proof that markup inside a release never runs.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from prlint import lint
from prlint.api import Insight, InsightPoint
from prlint.engine import Result
from prlint.reporters import html
from scripts.screenshot_report import dump_dom, find_chromium, png_size, screenshot
from tests.conftest import run_prlint

TESTS = Path(__file__).resolve().parent
SEEDS = TESTS.parent / "seeds"
SELECT = ["--select", "test-acme,test-todo,test-insights", "--no-cache"]
ENTRY_POINTS = """\
[prlint.checks]
test-acme = prlint_testplugin:AcmeTypo
test-todo = prlint_testplugin:TodoMarker
test-insights = prlint_insightplugin:AcmeInsights
"""
SCRIPT = "<script>document.title='pwned'</script>"
HOSTILE = "<img src=x onerror=\"document.title='pwned'\">.txt"  # a file name that is markup

needs_chromium = pytest.mark.skipif(
    find_chromium() is None, reason="chromium is not installed (.ci/run installs it with apt)"
)


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The test plugins as an installed distribution on PYTHONPATH."""
    site = tmp_path_factory.mktemp("site")
    for module in ("prlint_testplugin.py", "prlint_insightplugin.py"):
        shutil.copy(TESTS / module, site / module)
    info = site / "prlint_htmltest-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: prlint-htmltest\nVersion: 0.1\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(ENTRY_POINTS, encoding="utf-8")
    return {"PYTHONPATH": str(site)}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("project")
    docs = root / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(
        "NEW YORK, June 1, 2020 -- Acme Corp. (NASDAQ: ACME) today announced a trial.\n"
        "Patients may receive a second dose 80-160 days later. Contact ir@acme.com.\n"
        "Acmee Corp. said more.\n",
        encoding="utf-8",
    )
    (docs / "b.txt").write_text(
        "NEW YORK, May 3, 2021 -- Acme Corp. (NASDAQ: ACME) today announced results.\n"
        "Patients may receive a second dose 80-160 days later. Contact ir@acme.com.\n"
        "TODO: check the dose\n",
        encoding="utf-8",
    )
    (docs / "c.md").write_text(
        "NEW YORK, March 9, 2022 -- Acme Corp. (NASDAQ: ACME) today announced an update.\n\n"
        "Patients may receive a second dose 75-180 days later. Contact ir@acme-corp.com.\n\n"
        f"Acmee {SCRIPT} and Acmy.\n",
        encoding="utf-8",
    )
    (docs / HOSTILE).write_text("NEW YORK, April 2, 2022 -- Acmee Corp. FIXME now\n")
    return root


@pytest.fixture(scope="module")
def report(project: Path, env: dict[str, str]) -> Path:
    proc = run_prlint(["check", "docs", *SELECT, "--format", "html", "-o", "r.html"], project, env)
    assert (proc.returncode, proc.stdout, proc.stderr) == (1, "", "")
    return project / "r.html"


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def cells(table: Tag) -> list[list[str]]:
    """The text of each body row's cells."""
    return [
        [" ".join(td.get_text().split()) for td in tr.find_all("td", recursive=False)]
        for tr in table.tbody.find_all("tr", recursive=False)
    ]


def key_section(page: BeautifulSoup, topic: str, key: str) -> Tag:
    for div in page.select(f"#company-0 .topic-{topic} .key"):
        if div.h4.contents[0].strip() == key:
            return div
    raise AssertionError(f"no {topic} key {key!r}")


# -- the page, parsed -------------------------------------------------------------------------
def test_summary_counts_files_findings_and_checks(report: Path) -> None:
    page = soup_of(report)
    cards = [c.get_text(" ", strip=True) for c in page.select("#summary .card")]
    assert cards == ["4 files", "1 error", "3 warnings", "1 info"]
    rows = cells(page.select_one("table.checks"))
    assert [(r[0], r[1:5]) for r in rows] == [
        ("test-acme", ["", "3", "", "3"]),
        ("test-todo", ["1", "", "1", "2"]),
        ("test-insights", ["", "", "", "0"]),
    ]
    slowest = [chip.get_text().rsplit(" ", 2)[0] for chip in page.select(".slowest .chip")]
    assert sorted(slowest) == ["test-acme", "test-insights", "test-todo"]


def test_company_section_lists_names_domains_and_counts(report: Path) -> None:
    page = soup_of(report)
    (company,) = page.select("details.company")
    assert company.summary.get_text(" ", strip=True) == (
        "Acme 4 releases, 5 findings, 5 flagged observations"
    )
    assert " ".join(company.select_one(".profile").get_text().split()) == (
        "tickers ACME written Acme (3) domains acme.com (2), acme-corp.com (1)"
    )
    names = key_section(page, "names", "Acme")
    assert cells(names.table) == [  # one use per release: no separate uses column
        ["Acme", "canonical", "3", "docs/a.txt, docs/b.txt, docs/c.md"],
        ["Acmee", "variant", "3", f"docs/{HOSTILE}, docs/a.txt, docs/c.md"],
        ["Acmy", "variant", "1", "docs/c.md"],
    ]
    domains = key_section(page, "domains", "e-mail")
    assert cells(domains.table) == [
        ["acme.com", "", "2", "docs/a.txt, docs/b.txt"],
        ["acme-corp.com", "", "1", "docs/c.md"],
    ]
    link = names.table.find("a", string="docs/c.md")
    assert link["href"] == (report.parent / "docs/c.md").as_uri()


def test_fact_timeline_marks_the_conflict(report: Path) -> None:
    fact = key_section(soup_of(report), "facts", "second dose interval")
    assert fact.select_one(".note").get_text() == "usually 80-160 days"
    svg = fact.svg
    assert [t.get_text() for t in svg.select("text.value")] == ["80-160 days", "75-180 days"]
    assert [t.get_text() for t in svg.select("text.tick")] == ["2021", "2022"]
    dots = [(c["class"], c.title.get_text()) for c in svg.select("circle")]
    assert dots == [
        (["dot", "st-plain"], "2020-06-01: 80-160 days (docs/a.txt:2)"),
        (["dot", "st-plain"], "2021-05-03: 80-160 days (docs/b.txt:2)"),
        (["dot", "st-conflict"], "2022-03-09: 75-180 days (docs/c.md:3), conflict"),
    ]
    row_y = {t.get_text(): float(t["y"]) - 4 for t in svg.select("text.value")}
    assert [float(c["cy"]) for c in svg.select("circle")] == [
        row_y["80-160 days"], row_y["80-160 days"], row_y["75-180 days"]
    ]
    xs = [float(c["cx"]) for c in svg.select("circle")]
    assert xs == sorted(xs) and len(set(xs)) == 3  # placed by release date
    assert cells(fact.select_one("details.points table")) == [
        ["2020-06-01", "80-160 days", "", "docs/a.txt:2"],
        ["2021-05-03", "80-160 days", "", "docs/b.txt:2"],
        ["2022-03-09", "75-180 days", "conflict", "docs/c.md:3"],
    ]


def test_findings_table_rows_excerpts_and_related_links(report: Path) -> None:
    page = soup_of(report)
    rows = page.select("#table tbody tr")
    assert [
        (r["id"], r["data-check"], r["data-severity"], r["data-company"], r["data-path"])
        for r in rows
    ] == [
        ("f0", "test-acme", "warning", "0", f"docs/{HOSTILE}"),
        ("f1", "test-todo", "error", "0", f"docs/{HOSTILE}"),
        ("f2", "test-acme", "warning", "0", "docs/a.txt"),
        ("f3", "test-todo", "info", "0", "docs/b.txt"),
        ("f4", "test-acme", "warning", "0", "docs/c.md"),
    ]
    assert [r.select_one(".where").get_text() for r in rows] == [
        f"docs/{HOSTILE}:1:28", f"docs/{HOSTILE}:1:40", "docs/a.txt:3:1", "docs/b.txt:3:1",
        "docs/c.md:5:1",
    ]
    excerpt = rows[0].select_one("pre.excerpt")
    assert excerpt.get_text() == "1NEW YORK, April 2, 2022 -- Acmee Corp. FIXME now"
    assert excerpt.mark.get_text() == "Acmee"
    assert rows[0].select_one(".fix code").get_text() == "Acme"
    assert rows[3].select_one(".message").get_text() == "TODO left in the text:\n: check the dose"
    # related: "'Acme' used here" in the same release, with its own excerpt
    related = rows[2].select_one(".related")
    assert related.a.get_text() == "docs/a.txt:1:27"
    assert related.a["href"] == (report.parent / "docs/a.txt").as_uri()
    assert related.mark.get_text() == "Acme"
    options = [o.get_text() for o in page.select("#filters select[name=company] option")]
    assert options == ["all", "Acme"]
    assert [o["value"] for o in page.select("#filters select[name=check] option")] == [
        "", "test-acme", "test-todo"
    ]


def test_release_markup_is_text_and_only_our_script_is_allowed(report: Path) -> None:
    html = report.read_text(encoding="utf-8")
    assert SCRIPT not in html and "<img" not in html
    page = BeautifulSoup(html, "html.parser")
    (script,) = page.find_all("script")
    assert page.find_all("img") == []
    row = page.select_one("#f4 pre.excerpt")
    assert row.get_text() == f"5Acmee {SCRIPT} and Acmy."
    # the policy allows that one script by its hash, no other script and no network at all
    policy = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    digest = base64.b64encode(hashlib.sha256(script.string.encode()).digest()).decode()
    assert policy == (
        "default-src 'none'; style-src 'unsafe-inline'; "
        f"script-src 'sha256-{digest}'; img-src data:"
    )


def test_pages_beyond_the_first_are_hidden_until_asked(tmp_path: Path, env: dict[str, str]) -> None:
    (tmp_path / "many.txt").write_text("Acmee\n" * 150, encoding="utf-8")
    proc = run_prlint(["check", "many.txt", *SELECT, "--format", "html"], tmp_path, env)
    assert proc.returncode == 1
    rows = BeautifulSoup(proc.stdout, "html.parser").select("#table tbody tr")
    assert len(rows) == 150
    assert [r.has_attr("hidden") for r in rows] == [False] * 100 + [True] * 50


def test_report_without_companies_says_so(tmp_path: Path, env: dict[str, str]) -> None:
    (tmp_path / "a.txt").write_text("Acme is fine.\n", encoding="utf-8")
    proc = run_prlint(
        ["check", "a.txt", "--select", "test-acme", "--format", "html"], tmp_path, env
    )
    assert proc.returncode == 0
    page = BeautifulSoup(proc.stdout, "html.parser")
    assert page.select_one("#companies p").get_text() == (
        "No company found in this run."
    )
    assert page.select_one("#showing").get_text() == "no findings"


def test_insights_are_collected_only_when_asked(project: Path, env: dict[str, str]) -> None:
    """The API fills ``insights`` for a report that needs them, and leaves it empty otherwise."""
    code = (
        "import json, sys; from prlint import lint\n"
        "for ask in (False, True):\n"
        "    r = lint(['docs'], select=['test-insights'], cache=False, insights=ask)\n"
        "    print(json.dumps([[i.company, i.topic, i.key, len(i.points)] for i in r.insights]))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=project,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    without, with_ = (json.loads(line) for line in proc.stdout.splitlines())
    assert without == []
    assert with_ == [
        ["acme", "domains", "e-mail", 3],
        ["acme", "facts", "second dose interval", 3],
        ["acme", "names", "Acme", 7],
    ]


# -- the seeds, with the built-in checks ---------------------------------------------------------
@pytest.fixture(scope="module")
def seeds_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seeds") / "r.html"
    proc = run_prlint(
        ["check", str(SEEDS), "--no-cache", "--format", "html", "-o", str(out)], TESTS.parent
    )
    assert (proc.returncode, proc.stderr) == (1, "")
    return out


def test_seeds_report_counts_match_the_json_report(seeds_report: Path) -> None:
    proc = run_prlint(["check", str(SEEDS), "--no-cache", "--format", "json"], TESTS.parent)
    data = json.loads(proc.stdout)
    page = soup_of(seeds_report)
    totals = {r[0]: int(r[4]) for r in cells(page.select_one("table.checks"))}
    expected: dict[str, int] = {}
    for d in data["diagnostics"]:
        expected[d["check"]] = expected.get(d["check"], 0) + 1
    assert {k: v for k, v in totals.items() if v} == expected
    rows = page.select("#table tbody tr")
    assert [(r["data-path"], r.select_one(".where").get_text()) for r in rows] == [
        (d["path"], f"{d['path']}:{d['line']}:{d['column']}") for d in data["diagnostics"]
    ]
    cards = [c.get_text(" ", strip=True) for c in page.select("#summary .card")]
    assert cards[0] == f"{data['files_checked']} files"


@functools.lru_cache(maxsize=1)
def _seed_topics() -> frozenset[str]:
    return frozenset(i.topic for i in lint([SEEDS], cache=False, insights=True, config={}).insights)


def _seed_insights(topic: str) -> None:
    if topic not in _seed_topics():
        pytest.skip(
            f"no built-in check yields '{topic}' insights yet (issue 14: enabled once the "
            "checks' insights are merged)"
        )


def test_seeds_report_groups_the_releases_into_their_company(seeds_report: Path) -> None:
    page = soup_of(seeds_report)
    (company,) = page.select("details.company")
    assert company.select_one(".company-name").get_text() == "Cellectar Biosciences"
    rows = page.select("#table tbody tr")
    assert company.summary.get_text(" ", strip=True).startswith(
        f"Cellectar Biosciences 5 releases, {len(rows)} findings"
    )
    profile = " ".join(company.select_one(".profile").get_text().split())
    assert profile.startswith("tickers CLRB written Cellectar Biosciences (5),")
    assert {r["data-company"] for r in rows} == {company["id"].removeprefix("company-")}


def _company(page: BeautifulSoup, name: str) -> Tag:
    for details in page.select("details.company"):
        if details.select_one(".company-name").get_text().startswith(name):
            return details
    raise AssertionError(f"no company section for {name!r}")


def test_seeds_cellectar_lists_its_misspellings_with_counts(seeds_report: Path) -> None:
    _seed_insights("names")
    company = _company(soup_of(seeds_report), "Cellectar")
    rows = {}
    for table in company.select(".topic-names table.values"):
        for tr in table.tbody.find_all("tr"):
            tds = [td.get_text(" ", strip=True) for td in tr.find_all("td")]
            rows[tds[0]] = tds
    # each variant, its release count (the seeds: grep -lw) in the column before the paths
    assert {v: rows[v][-2] for v in ("Cellecstar", "Cellestar", "Collectar")} == {
        "Cellecstar": "2", "Cellestar": "2", "Collectar": "1"
    }
    assert all(rows[v][1] == "variant" for v in ("Cellecstar", "Cellestar", "Collectar"))


def test_seeds_fact_timeline_shows_the_dose_conflict(seeds_report: Path) -> None:
    _seed_insights("facts")
    company = _company(soup_of(seeds_report), "Cellectar")
    for svg in company.select(".topic-facts svg.timeline"):
        values = [t.get_text() for t in svg.select("text.value")]
        if any("80-160" in v for v in values) and any("75-180" in v for v in values):
            assert svg.select("circle.st-conflict")
            return
    raise AssertionError("no fact timeline holds both 80-160 and 75-180 days")


# -- in Chromium --------------------------------------------------------------------------------
@needs_chromium
def test_chromium_runs_our_script_and_never_the_releases(report: Path, tmp_path: Path) -> None:
    page = BeautifulSoup(dump_dom(report.as_uri(), tmp_path / "profile"), "html.parser")
    assert page.title.get_text() == "prlint report"  # the release's script did not set it
    assert "js" in page.html["class"]  # the page's own script ran (the CSP hash is right)
    assert page.select_one("#showing").get_text() == "1\u20135 of 5"
    assert page.select_one("#f4 pre.excerpt").get_text() == f"5Acmee {SCRIPT} and Acmy."
    assert page.find_all("img") == [] and len(page.find_all("script")) == 1


@needs_chromium
def test_chromium_filters_from_the_address(report: Path, tmp_path: Path) -> None:
    url = report.as_uri() + "#?check=test-todo"
    page = BeautifulSoup(dump_dom(url, tmp_path / "profile"), "html.parser")
    shown = [r["id"] for r in page.select("#table tbody tr") if not r.has_attr("hidden")]
    assert shown == ["f1", "f3"]
    assert page.select_one("#showing").get_text() == "1\u20132 of 2 (of 5)"
    url = report.as_uri() + "#?severity=warning&file=c.md"
    page = BeautifulSoup(dump_dom(url, tmp_path / "profile2"), "html.parser")
    assert [r["id"] for r in page.select("#table tbody tr") if not r.has_attr("hidden")] == [
        "f4"
    ]


@needs_chromium
def test_chromium_screenshot_of_the_report(report: Path, tmp_path: Path) -> None:
    png = tmp_path / "report.png"
    screenshot(report.as_uri(), png, tmp_path / "profile", size=(1000, 700))
    data = png.read_bytes()
    assert png_size(data) == (1000, 700)
    assert len(data) > 20_000  # text and colour, not a blank page


# -- rendering a result directly: limits for large corpora ---------------------------------------
def _render(insights: list[Insight]) -> BeautifulSoup:
    return BeautifulSoup(html.render(Result(files_checked=1, insights=insights)), "html.parser")


def test_companies_past_the_limit_are_listed_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html, "MAX_COMPANIES", 2)
    def web(*paths: str, status: str = "") -> Insight:
        points = tuple(InsightPoint("x.com", p, 1, None, status) for p in paths)
        return Insight(paths[0][0].upper() + paths[0][1:-4], "domains", "web", points)

    page = _render(
        [web("beta.txt", "beta2.txt"), web("alpha.txt"), web("gamma.txt", status="drift")]
    )
    assert [s.get_text() for s in page.select("details.company .company-name")] == [
        "Gamma", "Beta", "1 more company"  # flagged observations first, then most releases
    ]
    assert page.select_one(".more-list").get_text() == "Alpha (1)"
    assert page.select_one(".lead").get_text(" ", strip=True).endswith("3 companies.")


def test_a_fact_that_never_varies_is_one_row_not_a_timeline() -> None:
    points = tuple(
        InsightPoint("12 weeks", f"r{n}.txt", 3, dt.date(2020 + n, 1, 1)) for n in range(3)
    )
    page = _render([Insight("Acme", "facts", "treatment length", points)])
    key = page.select_one(".topic-facts .key")
    assert key.svg is None and key.select("details.points") == []
    assert cells(key.table) == [["12 weeks", "", "3", "r0.txt, r1.txt, r2.txt"]]


def test_timeline_of_one_day_and_undated_points() -> None:
    points = (
        InsightPoint("5 mg", "a.txt", 1, dt.date(2021, 6, 1)),
        InsightPoint("10 mg", "b.txt", 2, dt.date(2021, 6, 1), "conflict"),
        InsightPoint("10 mg", "c.txt", 4, None, "conflict"),
    )
    page = _render([Insight("Acme", "facts", "dose", points)])
    svg = page.select_one(".topic-facts svg")
    assert [t.get_text() for t in svg.select("text.tick")] == ["2021-06-01"]
    assert [c.title.get_text() for c in svg.select("circle")] == [
        "2021-06-01: 5 mg (a.txt:1)", "2021-06-01: 10 mg (b.txt:2), conflict"
    ]  # an undated point has no place on the time axis: it is listed below only
    assert cells(page.select_one(".topic-facts details.points table")) == [
        ["2021-06-01", "5 mg", "", "a.txt:1"],
        ["2021-06-01", "10 mg", "conflict", "b.txt:2"],
        ["", "10 mg", "conflict", "c.txt:4"],
    ]


def test_long_fact_histories_keep_every_flagged_point(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html, "MAX_POINTS", 4)
    points = tuple(
        InsightPoint("1 mg" if n != 1 else "2 mg", f"r{n}.txt", 1, dt.date(2010 + n, 1, 1),
                     "conflict" if n == 1 else "")
        for n in range(8)
    )  # fmt: skip
    page = _render([Insight("Acme", "facts", "dose", points)])
    table = page.select_one(".topic-facts details.points")
    assert table.summary.get_text() == "4 observations (and 4 more not shown)"
    assert [r[0] for r in cells(table.table)] == [
        "2011-01-01", "2015-01-01", "2016-01-01", "2017-01-01"
    ]
