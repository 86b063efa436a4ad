"""Unit tests of :mod:`prlint.checks.lib.entities`: tokens, near misses, extraction, profile."""

from __future__ import annotations

from collections import Counter

import pytest

from prlint.checks.lib.entities import (
    EntityFacts,
    build_profile,
    extract_entities,
    key,
    key_of,
    may_near,
    near_miss,
    parts,
    registrable,
    unit_spans,
    units_of,
    valid_isin,
)
from prlint.checks.url_drift import _spellings
from prlint.companies import Company
from prlint.metadata import extract_metadata
from prlint.readers import parse


def facts(text: str, path: str = "a.txt") -> EntityFacts:
    doc = parse(path, text)
    extract_metadata(doc)
    return extract_entities(doc)


def test_parts_split_camel_case_caps_prefixes_and_hyphens() -> None:
    def split(t: str) -> list[str]:
        return [t[a:b] for a, b in parts(t)]

    assert split("GeoVax") == ["Geo", "Vax"]
    assert split("iCoreConnect") == ["i", "Core", "Connect"]
    assert split("CEONephros") == ["CEO", "Nephros"]
    assert split("Mobile-health") == ["Mobile", "health"]
    assert split("ABVC") == ["ABVC"]


def test_key_ignores_case_accents_and_punctuation() -> None:
    assert key("Monké") == key("MONKE") == "monke"
    assert key("Mobile-health") == "mobilehealth"


@pytest.mark.parametrize(
    ("variant", "name"),
    [
        ("Cellecstar", "Cellectar"),  # insertion, 9 letters
        ("Collectar", "Cellectar"),
        ("GoeVax", "GeoVax"),  # transposition
        ("Paltakl", "Paltalk"),
        ("iCoreConncet", "iCoreConnect"),
        ("ZenaeTch", "ZenaTech"),
        ("Ingelagen", "Intelagen"),
        ("Nephroa", "Nephros"),
        ("ABVCC", "ABVC"),  # a doubled letter in an abbreviation
        ("Mobiles-health", "Mobile-health"),
        ("GEOAVX", "GEOVAX"),
        ("VivoPwer", "VivoPower"),  # a slip in a longer part of a CamelCase name
        ("DE000A40ZVM7", "DE000A40ZVN7"),  # a slip breaks the ISIN's check digit
        ("Cust2Mae", "Cust2Mate"),  # a name written with a number: one edit of its letters,
        ("CustM2ate", "Cust2Mate"),  # its number moved past a letter,
        ("CustpMate", "Cust2Mate"),  # turned into a letter
        ("CustMate", "Cust2Mate"),  # or left out
        ("Cut2vate", "Cust2Mate"),  # its number kept between letters: a word's two edits
        ("Cust22Mate", "Cust2Mate"),  # a digit of its number struck twice
    ],
)
def test_near_misses(variant: str, name: str) -> None:
    assert near_miss(variant, name)


@pytest.mark.parametrize(
    ("variant", "name"),
    [
        ("Cellect", "Cellectar"),  # a truncation is another name
        ("IBioCorRx", "BioCorRx"),  # glued text
        ("SIPA", "SIPC"),  # two abbreviations
        ("DaaS", "SaaS"),  # short names take no substitution
        ("Geovax", "GeoVax"),  # case only: judged separately
        ("Nephroxxx", "Nephros"),  # too many edits
        ("Zenadrone", "ZenaTech"),
        ("NetworkIO", "Networked"),  # a word of the name with a short capital part: a product
        ("PATTIE-PL", "PattiePad"),  # ... or a short hyphenated part
        ("PattiePad", "PATTIE-PL"),
        ("VabT", "VABot"),
        ("DE000A40VZN7", "DE000A40ZVN7"),  # two ISINs with right check digits
        ("Cust3Mate", "Cust2Mate"),  # another number: another name
        ("Pixelworks3", "Pixelworks"),  # a number after the name: a version of it
        ("Mopane-1A", "Mopane-1X"),  # items of a series
        ("Advantage2TM", "Advantage2"),  # letters glued after a name ending in its number
        ("9PSUnited", "9JQUnited"),  # a name that starts with its number takes one edit
        ("Cut3vate", "Cust2Mate"),  # two edits and another number
        ("Cust23Mate", "Cust2Mate"),  # a digit more that is no repeat: another number
    ],
)
def test_not_near_misses(variant: str, name: str) -> None:
    assert not near_miss(variant, name)


def test_may_near_needs_long_keys_close_in_length_sharing_an_end() -> None:
    """What the company-name check asks of a name's key before :func:`near_miss`."""
    assert may_near("cellecstar", "cellectar")
    assert may_near("cellectarxx", "cellectar")  # two letters apart
    assert may_near("xellectar", "cellectar")  # the last letter shared
    assert may_near("cellectaz", "cellectar")  # the first letter shared
    assert may_near("abcd", "abce")  # four letters each
    assert not may_near("cellectar", "cellectar")  # the same key: no miss
    assert not may_near("abc", "abcd")  # too short
    assert not may_near("abcd", "abc")
    assert not may_near("cellectarxxx", "cellectar")  # three letters apart
    assert not may_near("xellectaz", "cellectar")  # neither end shared
    for variant, name in [("Cellecstar", "Cellectar"), ("ABVCC", "ABVC"), ("GoeVax", "GeoVax")]:
        assert near_miss(variant, name) and may_near(key_of(variant), key_of(name))


def test_units_of_company_names() -> None:
    assert units_of(["Cellectar", "Biosciences", "Inc"]) == ["Cellectar"]
    assert units_of(["GeoVax", "Labs"]) == ["GeoVax"]
    assert units_of(["Golden", "Matrix", "Group"]) == ["Golden Matrix"]
    assert units_of(["IntelagenIntelagen"]) == ["Intelagen"]
    assert units_of(["CEONephros"]) == ["Nephros"]
    assert units_of(["Holdings"]) == []
    assert units_of(["About", "Zenith"]) == []  # a single ordinary word is no name unit
    assert units_of(["Forward", "Industries", "Inc"]) == ["Forward Industries"]  # with its trade
    assert units_of(["The", "Forward", "Group"]) == ["Forward Group"]


def test_registrable_domains() -> None:
    assert registrable("ir.cellectar.com") == "cellectar.com"
    assert registrable("www.example.co.uk") == "example.co.uk"


def test_unit_spans_find_names_inside_glued_tokens() -> None:
    assert unit_spans("IntelagenIntelagen", {"intelagen"}) == [
        (0, 9, "intelagen"),
        (9, 18, "intelagen"),
    ]
    assert unit_spans("CEONephros", {"nephros"}) == [(3, 10, "nephros")]
    assert unit_spans("iCoreConnect", {"icoreconnect", "connect"}) == [(0, 12, "icoreconnect")]


@pytest.mark.parametrize(
    ("text", "tickers"),
    [
        ("Peapack-Gladstone Financial Corporation (NASDAQ Global Select Market: PGC) said",
         {"peapackgladstone": "PGC"}),
        ("Acme Mining Corp., Ltd. (TSX.V: ACM) said", {"acme": "ACM"}),
        ("Acme Mining said in a statement today (TSX.V: ACM)", {}),
    ],
)  # fmt: skip
def test_the_name_before_a_ticker_skips_its_legal_forms(text: str, tickers: dict[str, str]) -> None:
    assert facts(text + "\n").tickers == tickers


def test_extraction_reads_names_domains_and_phones() -> None:
    f = facts(
        "GeoVax Announces Results\n\n"
        "ATLANTA, GA - August 28, 2024 - GeoVax Labs, Inc. (Nasdaq: GOVX) announced results.\n\n"
        "About GeoVax\n\nGeoVax develops vaccines. Visit www.geovax.com.\n\n"
        "Media Contact:sr@roberts-communications.com202-779-0929 and (678) 384-7220\n\n"
        "Source: GeoVax Labs, Inc.\n"
    )
    assert f.names["GeoVax"] >= {"about", "ticker", "suffix", "source", "domain"}
    assert f.tickers == {"geovax": "GOVX"}
    assert {d.domain for d in f.domains} == {"geovax.com", "roberts-communications.com"}
    assert [p.number for p in f.phones] == ["+12027790929", "+16783847220"]
    assert f.phones[0].emails == ("roberts-communications.com",)
    assert f.tokens.counts_of()["GeoVax"] == 5
    first = f.tokens.uses()["GeoVax"][0]
    assert f.loc(first.start, first.end) == (1, 1, 1, 7, 0, 6)


def test_profile_counts_support_and_belonging() -> None:
    a = facts(
        "About Cellectar Biosciences, Inc.\n\nCellectar's drug. Visit www.cellectar.com.\n", "a.txt"
    )
    b = facts("Cellecstar Biosciences, Inc. (Nasdaq: CLRB) and Cellectar.\n", "b.txt")
    c = facts("About Acme Corp.\n\nAcme makes anvils.\n", "c.txt")
    prof = build_profile([("a.txt", a), ("b.txt", b), ("c.txt", c)], {})
    cellectar = prof.units["cellectar"]
    assert cellectar.docs == (0, 1) and cellectar.uses == 3
    assert dict(cellectar.domains) == {"cellectar.com": 1}
    assert prof.units["cellecstar"].tickers == {"CLRB"}
    assert prof.belongs(cellectar) == {0, 1}
    assert prof.home[2] == ("acme",)


def test_a_name_always_written_before_the_same_word_is_bound_to_it() -> None:
    a = facts(
        "Publisher Ysaan Books said so. Ysaan Books sells books. Its site, Ysaan.com. In Isaan.\n"
    )
    b = facts("Ysaan Books said so. Ysaan makes books.\n", "b.txt")
    prof = build_profile([("a.txt", a)], {})
    assert prof.units["ysaan"].bound() == "Books"  # a domain alone is no use in prose
    prof = build_profile([("a.txt", a), ("b.txt", b)], {})
    assert prof.units["ysaan"].bound() is None  # "Ysaan makes" stands apart


def test_a_profile_spells_tokens_with_its_units_and_allowed_words() -> None:
    """The spans of a token are the units it spells, and the allowed words too when there
    are some (the profile's own spans, counted with its units alone, are not reused then)."""
    a = facts("About Zentrix Corp.\n\nZentrix and ZentrixGlow. ZentrixGlow again.\n")
    plain = build_profile([("a.txt", a)], {})
    assert plain.spans("ZentrixGlow") == [(0, 7, "zentrix")]
    allowed = build_profile([("a.txt", a)], {}, allow=["Glow"])
    assert allowed.spans("ZentrixGlow") == [(0, 7, "zentrix"), (7, 11, "glow")]


def test_configured_names_are_units_with_their_domains() -> None:
    prof = build_profile(
        [], {"names": ["Genvora Inc."], "domains": ["www.genvora.com"], "ticker": "GNVR"}
    )
    unit = prof.units["genvora"]
    assert unit.configured and "genvora.com" in unit.domains and unit.tickers == {"GNVR"}


def test_facts_are_shared_per_document_object_only() -> None:
    first = parse("a.txt", "About Acme Corp.\n")
    assert extract_entities(first) is extract_entities(first)
    second = parse("a.txt", "About Zentrix Corp.\n")
    assert set(extract_entities(second).names) == {"Zentrix"}


def test_isin_check_digits() -> None:
    assert valid_isin("US0378331005") and valid_isin("DE000A40ZVN7")
    assert not valid_isin("US0378331006") and not valid_isin("DE000A40ZVM7")
    assert not valid_isin("CLR1404")


def test_the_first_label_of_another_host_is_no_token() -> None:
    f = facts("Visit JayPaterno.OnlinePresskit247.com or Phrasly.AI's site or Acme.co.uk.\n")
    assert "JayPaterno" not in f.tokens.counts_of()
    assert "Phrasly" in f.tokens.counts_of() and "Acme" in f.tokens.counts_of()


def test_compact_uses_give_the_positions_the_document_gives() -> None:
    text = (
        "---\ntitle: x\n---\n# **GeoVax** Labs\r\n\r\nATLANTA - [GeoVax](https://geovax.com) and"
        " Cellectar\r\nsaid &amp; GeoVax-Labs.\r\n"
    )
    doc = parse("a.md", text, kind="md")
    extract_metadata(doc)
    f = extract_entities(doc)
    for word, start, end in doc.tokens:
        if word in ("GeoVax", "Cellectar", "GeoVax-Labs"):
            a = doc.anchor(start, end)
            expected = (a.line, a.column, a.end_line, a.end_column, a.start, a.end)
            table = f.words if word != "GeoVax-Labs" else f.tokens
            assert expected in [f.loc(*span) for span in table.spans_of(word)]
    assert f.words.counts_of()["GeoVax"] == 2
    assert [u.prev for u in f.tokens.uses()["Cellectar"]] == ["and"]
    assert f.words.spans_of("Nowhere") == []


def test_entity_facts_survive_the_cache_codec() -> None:
    from prlint import codec

    f = facts("About Acme Corp.\n\nAcme, Style with Trysh, said Trysh.\nCall 212-555-0100.\n")
    back = codec.decode(codec.encode(f), ["prlint"])
    assert back == f
    assert back.frames_of("Trysh") == ("Style with _", "_")  # distinct, in order
    assert back.frames_of("Corp") == ("About Acme _",)
    assert back.frames_of("Call") == back.frames_of("Nowhere") == ()  # always alone, unused
    assert back.loc(*back.words.spans_of("Trysh")[1]) == (3, 30, 3, 35, 47, 52)


def test_a_releases_domains_are_kept_as_columns_and_read_back_as_uses() -> None:
    """A release's URLs and addresses are kept one column per field; iterating gives the
    uses as extracted, each with its location, in order."""
    from prlint.checks.lib import entities

    text = (
        "Acme Corp. (www.acme.com/investors) announced results.\n\n"
        "Contact: ir@Acme.com or visit https://acme.io\n"
    )
    doc = parse("a.txt", text, kind="text")
    uses = entities._domains(doc)
    f = facts(text)
    assert [u.host for u in uses] == ["acme.com", "acme.com", "acme.io"]
    assert len(f.domains) == 3 and list(f.domains) == uses
    assert [f.domains.loc(i) for i in range(3)] == [u.loc for u in uses]
    assert f.domains.loc(1) == (3, 13, 3, 21, 68, 76)  # "Acme.com" on line 3
    assert (f.domains.email, f.domains.cased) == (("", "ir", ""), (False, True, False))
    assert list(entities.Domains.of([])) == [] and not entities.Domains()


def test_host_names_are_the_ones_the_pattern_finds_in_the_whole_text() -> None:
    """Searching host names only in the lines that hold a dot before a small letter finds
    what the pattern finds in the whole text."""
    import random

    from prlint.checks.lib import entities

    rng = random.Random(5)
    alphabet = ["www.", "acme", "Acme", ".com", ".io", ".", "@", "http://", "https://", "/",
                "path", " ", "\n", "\r\n", "-", "A", "e.g.", "x", "é", ")", "1"]  # fmt: skip
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        fast = [m.span() for m in entities._hosts(text)]
        assert fast == [m.span() for m in entities._HOST.finditer(text)], text


def test_word_tests_pass_the_words_each_test_passes_once_asked_or_forgotten() -> None:
    from prlint.checks.lib.entities import WordTests, indices_in

    asked: list[str] = []

    def capital(w: str) -> bool:
        asked.append(w)
        return w[:1].isupper()

    tests = WordTests(limit=5)
    first = tests.add(capital)
    short = tests.add(lambda w: len(w) <= 4)
    assert first == 0 and short == 1
    assert tests.passing({"Acme", "acme", "Beta", "Gamma"}) == [
        {"Acme", "Beta", "Gamma"},
        {"Acme", "acme", "Beta"},
    ]
    assert tests.passing({"Acme", "beta"}) == [{"Acme"}, {"Acme", "beta"}]
    assert sorted(asked) == ["Acme", "Beta", "Gamma", "acme", "beta"]  # each word tested once
    assert tests.passing({"Zeta", "zetas"}) == [{"Zeta"}, {"Zeta"}]  # past the limit: forgotten
    assert tests.passing({"Acme"}) == [{"Acme"}, {"Acme"}] and asked.count("Acme") == 2
    tests.add(lambda w: w.endswith("a"))  # a test added later: every word is asked again
    assert tests.passing({"Acme", "Zeta"}) == [{"Acme", "Zeta"}, {"Acme", "Zeta"}, {"Zeta"}]
    assert asked.count("Acme") == 3
    # answers forgotten while a document's words are read: its words known before still pass
    small = WordTests(limit=2)
    small.add(capital)
    assert small.passing({"Acme"}) == [{"Acme"}]
    assert small.passing({"Acme", "Beta", "Cute"}) == [{"Acme", "Beta", "Cute"}]
    assert indices_in(["a", "B", "a", "C"], {"a", "C"}) == [0, 2, 3]


def test_a_domain_label_spells_a_name_by_its_rare_first_word_alone() -> None:
    company = Company("opawica", "Opawica Explorations", names=Counter({"Opawica Explorations": 8}))
    spelt = _spellings(company)
    assert "opawica" in spelt and "opawicaexplorations" in spelt
    golden = Company("golden", "Golden Triangle Ventures", names=Counter({"Golden Triangle": 5}))
    assert "golden" not in _spellings(golden)  # a common word alone names no company
