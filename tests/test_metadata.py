"""Table-driven tests of ``prlint.metadata``: datelines of many wires, header dates, front
matter, dates in file names and folders, undated releases, tickers."""

from __future__ import annotations

import datetime as dt

import pytest

from prlint.document import Document
from prlint.metadata import extract_metadata, ticker_slots, tickers_of
from prlint.readers import parse

D = dt.date
TITLE = "Acme Announces News\n\n"


def meta_of(source: str, path: str = "release.txt") -> Document:
    kind = "md" if path.endswith(".md") else "txt"
    doc = parse(path, source, kind=kind)
    extract_metadata(doc)
    return doc


def dates_of(doc: Document) -> dict[str, dt.date]:
    return {m.kind: m.date for m in doc.meta.dates}


# a release's first paragraph -> (dateline date, weekday named with it)
DATELINES = [
    ("MADISON, Wis., Oct. 31, 2016 (GLOBE NEWSWIRE) -- Cellectar Biosciences, Inc. announced",
     D(2016, 10, 31), None),
    ("ATLANTA - (NewMediaWire) - November 12, 2024 - GeoVax Labs, Inc. (Nasdaq: GOVX) reported",
     D(2024, 11, 12), None),
    ("NEW YORK, Nov 12, 2024 /PRNewswire/ -- Acme Corp. today announced", D(2024, 11, 12), None),
    ("TORONTO, Ontario - (NewMediaWire) - September 30, 2024 - ZenaTech, Inc. announced",
     D(2024, 9, 30), None),
    ("LONG ISLAND, NY / WEST PALM BEACH, FL, July 06, 2025 /24-7PressRelease/ -- DapperTails",
     D(2025, 7, 6), None),
    ("TORONTO, ON, July 28, 2025 /24-7PressRelease/ -- Book Release Encourages", D(2025, 7, 28),
     None),
    ("Boerne, TX (Newsworthy.ai) Monday Dec 29, 2025 @ 1:30 PM Pacific — NewsRamp, a platform",
     D(2025, 12, 29), "Monday"),
    ("(NewMediaWire) - June 11, 2025 - Glendale, CA – Father’s Day is always popular",
     D(2025, 6, 11), None),
    ("January 9, 2025 – Los Angeles, CA – Evertise Ai PR, a press release agency", D(2025, 1, 9),
     None),
    ("May 20, 2025, Orem, UT – Turner MedTech, a Utah-based company", D(2025, 5, 20), None),
    ("SALT LAKE CITY, UT / PR Karma / September 9, 2025 1:00", D(2025, 9, 9), None),
    ("Kennett Square, United States - June 18, 2026 / Pegasus Technologies /", D(2026, 6, 18),
     None),
    ("HAIKOU, CHINA – Media OutReach Newswire – 10 August 2026 – A delegation of journalists",
     D(2026, 8, 10), None),
    ("HONG KONG, 01 Nov, 2024, Hong Kong Design Centre (HKDC) is pleased to announce",
     D(2024, 11, 1), None),
    ("DALLAS, TX -- November 5th, 2025 -- Gladstone Commercial Corporation", D(2025, 11, 5), None),
    ("SARASOTA, FL — APRIL 20, 2026 — (NOTICIAS NEWSWIRE) — Legendary radio personality",
     D(2026, 4, 20), None),
    ("Dallas, TX – [November 7, 2024] – Evertise AI PR is shaking up the PR world.",
     D(2024, 11, 7), None),
    ("London, June 26, 2024 - David Dolce, Managing Director, said", D(2024, 6, 26), None),
    ("QINGDAO, SHANGHAI, FRANKFURT and HONG KONG - April 27, 2026 (NEWMEDIAWIRE) - Haier",
     D(2026, 4, 27), None),
    ("Kuwait, July 23, 2024: The Olympic Council of Asia elected", D(2024, 7, 23), None),
    ("2024-11-12 — BERLIN — Acme GmbH announced", D(2024, 11, 12), None),
]  # fmt: skip


@pytest.mark.parametrize(("line", "date", "weekday"), DATELINES)
def test_dateline(line: str, date: dt.date, weekday: str | None) -> None:
    doc = meta_of(TITLE + line + " more text.\n\nA second paragraph.\n")
    (mention,) = [m for m in doc.meta.dates if m.kind == "dateline"]
    assert (mention.date, mention.weekday) == (date, weekday)
    assert doc.meta.release_date == date
    assert mention.anchor.line == 3 and doc.meta.dateline is not None


@pytest.mark.parametrize(
    "line",
    [
        "On June 3, 2024, Web3 infrastructure innovator GetBlock launched a service.",
        "On Saturday, October 25, 2025, Central Florida cyclists will take to the streets.",
        "WHEN: Tuesday, September 16, 2025 | 2:30 p.m. – 3:15 p.m. CT",
        "Merger Completion: On August 15, 2024, Silexion completed its combination.",
        "The collection drops on October 24, 2024. Stay tuned for updates.",
        "As of March 31, 2024, the company had cash of $3.2 million.",
        "Recently, on March 26, 2024, BNNHF announced the closing.",
    ],
)
def test_sentences_are_no_datelines(line: str) -> None:
    doc = meta_of(TITLE + line + "\n")
    assert doc.meta.dates == [] and doc.meta.release_date is None


@pytest.mark.parametrize(
    ("line", "date", "weekday"),
    [
        ("March 4, 2014", D(2014, 3, 4), None),
        ("Release Date: July 28, 2025", D(2025, 7, 28), None),
        ("Embargoed until 4 a.m. CT/5 a.m. ET Monday, May 19, 2025", D(2025, 5, 19), "Monday"),
        ("Tuesday, November 12, 2024", D(2024, 11, 12), "Tuesday"),
    ],
)
def test_header_date(line: str, date: dt.date, weekday: str | None) -> None:
    doc = meta_of(f"\n\n{line}\n\n{TITLE}Acme Corp. said things.\n")
    (mention,) = doc.meta.dates
    assert (mention.kind, mention.date, mention.weekday) == ("header", date, weekday)
    assert mention.anchor.line == 3


def test_header_and_dateline_of_a_seed() -> None:
    doc = meta_of(
        "\n\nMarch 4, 2014\n\n\n\nCellectar Announces a Trial\n\n"
        "MADISON, Wis., March 4, 2014 (GLOBE NEWSWIRE) -- Cellectar Biosciences, Inc. "
        "(OTCQX:CLRB) announced news.\n"
    )
    assert [(m.kind, m.date, m.anchor.line) for m in doc.meta.dates] == [
        ("header", D(2014, 3, 4), 3),
        ("dateline", D(2014, 3, 4), 9),
    ]
    assert (doc.meta.ticker, doc.meta.exchange) == ("CLRB", "OTCQX")


def test_an_event_date_after_a_label_is_no_header() -> None:
    doc = meta_of("# A Wine Dinner\n\nWHEN:\n\nThursday, Aug. 21, 2025 6:30 p.m.\n", "a.md")
    assert doc.meta.dates == []


def test_a_title_ending_in_a_date_is_no_dateline() -> None:
    doc = meta_of("Acme Announces New Ownership Effective January 1, 2025\n\nThe company said.\n")
    assert doc.meta.dates == []
    md = meta_of("# Acme Holds a Meeting on 4 December 2025\n\nThe company said.\n", "a.md")
    assert md.meta.dates == []


@pytest.mark.parametrize(
    ("value", "date", "slack", "line"),
    [
        ("2024-11-12", D(2024, 11, 12), 0, 3),
        ("2024-11-13T02:30:00Z", D(2024, 11, 13), 1, 3),
        ("'November 12, 2024'", D(2024, 11, 12), 0, 3),
    ],
)
def test_front_matter(value: str, date: dt.date, slack: int, line: int) -> None:
    doc = meta_of(f"---\ntitle: Acme\ndate: {value}\n---\n# Acme\n\nAcme said.\n", "a.md")
    (mention,) = doc.meta.dates
    assert (mention.kind, mention.date, mention.slack, mention.anchor.line) == (
        "front-matter", date, slack, line,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("path", "kind", "date", "slack"),
    [
        ("2024-11-12_announces-results.txt", "file-name", D(2024, 11, 12), 1),
        ("releases/20241112-acme.md", "file-name", D(2024, 11, 12), 1),
        ("acme_2024_11_12.txt", "file-name", D(2024, 11, 12), 1),
        ("newmediawire/2024/1112/acme-results.md", "folder", D(2024, 11, 12), 7),
        ("news/2024/11/12/acme.md", "folder", D(2024, 11, 12), 7),
    ],
)
def test_dates_in_paths(path: str, kind: str, date: dt.date, slack: int) -> None:
    doc = meta_of("Acme said things.\n", path)
    (mention,) = doc.meta.dates
    assert (mention.kind, mention.date, mention.slack) == (kind, date, slack)
    assert doc.meta.release_date == date


@pytest.mark.parametrize(
    "path", ["acme-2024-results.md", "2024-13-45_acme.txt", "q3-2024/acme.txt", "slug-10-12.md"]
)
def test_no_date_in_path(path: str) -> None:
    assert meta_of("Acme said things.\n", path).meta.dates == []


def test_release_date_prefers_the_dateline() -> None:
    doc = meta_of(
        "---\ndate: 2024-11-10\n---\nNovember 11, 2024\n\n# Acme\n\n"
        "ATLANTA - (NewMediaWire) - November 12, 2024 - Acme said.\n",
        "2024/1109/2024-11-13_acme.md",
    )
    assert dates_of(doc) == {
        "header": D(2024, 11, 11), "dateline": D(2024, 11, 12), "front-matter": D(2024, 11, 10),
        "file-name": D(2024, 11, 13),
    }  # fmt: skip
    assert doc.meta.release_date == D(2024, 11, 12)


def test_undated_release() -> None:
    doc = meta_of("Acme Announces News\n\nAcme said things on Tuesday.\n\nMore text.\n")
    assert doc.meta.dates == [] and doc.meta.release_date is None and doc.meta.dateline is None


@pytest.mark.parametrize(
    ("text", "ticker", "exchange"),
    [
        ("GeoVax Labs, Inc. (Nasdaq: GOVX), a company", "GOVX", "Nasdaq"),
        ("Platinum Group Metals Ltd. (NYSE American: PLG) (TSX: PTM)", "PLG", "NYSE American"),
        ("Gladstone Commercial Corp. (NasdaqGS: GOOD) said", "GOOD", "NasdaqGS"),
        ("Isiah Enterprises (OTCQB: OWPC) said", "OWPC", "OTCQB"),
        ("BitFrontier Capital Holdings, Inc. (OTCID: BFCH), doing", "BFCH", "OTCID"),
        ("Tautachrome, Inc. (OTCMKTS: TTCM) said", "TTCM", "OTCMKTS"),
        ("Luminar Media Group, Inc. (OTCMARKETS: LRGR) said", "LRGR", "OTCMARKETS"),
        ("Peapack-Gladstone (NASDAQ Global Select Market: PGC) said", "PGC",
         "NASDAQ Global Select Market"),
        ("Eloro Resources Ltd. (TSX.V: ELO) said", "ELO", "TSX.V"),
        ("Ampco-Pittsburgh (NYSE-A: AP) said", "AP", "NYSE-A"),
        ("(see: the notes) and (Note: AIM) said", None, None),
    ],
)
def test_ticker(text: str, ticker: str | None, exchange: str | None) -> None:
    doc = meta_of(text + "\n")
    assert (doc.meta.ticker, doc.meta.exchange) == (ticker, exchange)


def test_company_from_about() -> None:
    doc = meta_of("Acme said.\n\nAbout Acme Biosciences, Inc.\n\nAcme develops drugs.\n")
    assert doc.meta.company == "Acme Biosciences, Inc"


@pytest.mark.parametrize(
    ("text", "slots"),
    [
        ("Acme Corp. (NASDAQ: ACME, ACMEW) said", [("ACME", "ACMEW")]),
        ("Esgold Corp. (CSE: ESAU) (OTCQB: ESAUF) (FSE: Z7D) is", [("ESAU", "ESAUF", "Z7D")]),
        (
            "Zeta (Nasdaq: ZETA; ZETAU) and Beta (NYSE American: BETA) met",
            [("ZETA", "ZETAU"), ("BETA",)],
        ),
        ("Berkshire [NYSE: BRK.A] rose", [("BRK.A",)]),
        ("SolarBank Corp. (NASDAQ: SUUN) (Cboe CA: SUNN) (FSE: GY2)", [("SUUN", "SUNN", "GY2")]),
        ("traded on Nasdaq: it rose (not a slot)", []),
    ],
)
def test_ticker_slots_keep_an_issuers_listings_together(
    text: str, slots: list[tuple[str, ...]]
) -> None:
    assert [s for s, _start, _end in ticker_slots(text)] == slots


def test_ticker_matches_are_found_once_per_document_and_shared() -> None:
    doc = parse("a.txt", "Acme Corp. (NASDAQ: ACME, ACMEW) and Beta Inc. (NYSE: BETA)\n")
    found = tickers_of(doc)
    assert tickers_of(doc) is found
    assert [m.group("ticker") for m in found] == ["ACME", "BETA"]
    assert ticker_slots(doc.text, found) == ticker_slots(doc.text)
    assert ticker_slots(doc.text)[0][0] == ("ACME", "ACMEW")
    extract_metadata(doc)
    assert (doc.meta.ticker, doc.meta.exchange) == ("ACME", "NASDAQ")
