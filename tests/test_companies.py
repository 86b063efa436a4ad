"""The corpus model of companies: grouping releases, issuers with related tickers, and the
company each sentence of a round-up names."""

from __future__ import annotations

from prlint.companies import Companies, identity_of
from prlint.corpus import Corpus, DocRecord
from prlint.readers import parse


def model(files: dict[str, str]) -> Companies:
    records = []
    for path, text in files.items():
        doc = parse(path, text, kind="md" if path.endswith(".md") else "txt")
        folder = path.rsplit("/", 1)[0] if "/" in path else ""
        records.append(DocRecord(path, True, folder=folder, identity=identity_of(doc)))
    return Corpus(records).companies


def release(name: str, ticker: str, body: str = "", about: str = "", site: str = "") -> str:
    return (
        f"{name} Announces News\n\nBOSTON, May 1, 2025 (GLOBE NEWSWIRE) -- {name} ({ticker}) "
        f"today announced results. {body}\n\nAbout {about or name}\n\n{about or name} makes "
        f"things. Visit {site or 'www.example.com'}.\n"
    )


def test_releases_are_grouped_by_ticker_about_line_and_domain() -> None:
    cs = model({
        "a1.txt": release("Acme Robotics, Inc.", "NASDAQ: ACME", "Photos: www.example.com.",
                          site="https://www.acmerobotics.com"),
        "a2.txt": release("Acme Robotics, Inc.", "NASDAQ: ACME", "Photos: www.example.com.",
                          site="https://www.acmerobotics.com"),
        # no ticker: its About line and its domain say whose it is
        "a3.txt": "Acme Opens a Plant\n\nAcme Robotics opened a plant.\n\nAbout Acme Robotics\n\n"
                  "See https://acmerobotics.com/news.\n",
        "b1.txt": release("Borealis Foods Corp.", "NYSE: BRLS"),
        "b2.txt": release("Borealis Foods Corp.", "NYSE: BRLS"),
    })  # fmt: skip
    assert sorted(cs.companies) == ["acme robotics", "borealis foods"]
    acme = cs.companies["acme robotics"]
    assert acme.name == "Acme Robotics"
    assert acme.tickers == {"ACME"}
    assert acme.releases == ["a1.txt", "a2.txt", "a3.txt"]
    assert acme.domains == {"acmerobotics.com": 3}  # example.com: see below
    assert [cs.company_of(p) for p in ("a3.txt", "b1.txt")] == ["acme robotics", "borealis foods"]
    # www.example.com is in as many releases of each company: it belongs to neither
    assert "example.com" not in cs.companies["borealis foods"].domains


def test_a_newswire_about_section_in_every_release_names_no_company() -> None:
    wire = "NewsWire is a platform. Visit https://www.newswire.example."
    files = {
        f"{k}{i}.md": release(name, tick) + f"\n## About NewsWire\n\n{wire}\n"
        for k, name, tick in (("a", "Acme Corp.", "NASDAQ: ACME"),
                              ("b", "Borealis Inc.", "NYSE: BRLS"))
        for i in range(3)
    }  # fmt: skip
    files["c.md"] = "Market Notes\n\nMarkets moved today.\n\n## About NewsWire\n\n" + wire + "\n"
    cs = model(files)
    assert sorted(cs.companies) == ["acme", "borealis"]
    assert cs.company_of("a0.md") == "acme"
    assert cs.company_of("b0.md") == "borealis"
    assert cs.company_of("c.md") is None  # the wire's name and domain are nobody's


def test_an_issuer_with_warrants_and_a_second_listing_is_one_company() -> None:
    cs = model({
        "1.txt": release("Zeta Bio Inc.", "NASDAQ: ZETA, ZETAW"),
        "2.txt": release("Zeta Bio Inc.", "NASDAQ: ZETAW"),
        "3.txt": "Zeta Update\n\nZeta Bio (CSE: ZTB) (OTCQB: ZETAF) said more.\n",
        "4.txt": "Zeta Warrants\n\nHolders of Zeta (OTCQB: ZETAF) warrants may exercise.\n",
        "5.txt": release("Zeta Bio Inc.", "NASDAQ: ZETA"),
    })  # fmt: skip
    assert list(cs.companies) == ["zeta bio"]
    zeta = cs.companies["zeta bio"]
    assert zeta.tickers == {"ZETA", "ZETAW", "ZTB", "ZETAF"}
    assert zeta.releases == ["1.txt", "2.txt", "3.txt", "4.txt", "5.txt"]
    assert cs.of_symbol("zetaw") == "zeta bio"


def test_a_round_up_attributes_each_sentence_to_the_company_it_names() -> None:
    roundup = (
        "Sector Round-Up\n\n"
        "Acme Robotics Inc. (NASDAQ: ACME) reported revenue of $5 million. It also hired staff.\n\n"
        "Borealis Foods (NYSE: BRLS) said sales rose 10%. Margins were 30%.\n\n"
        "Separately, Borealis opened a plant. Acme Robotics closed one.\n"
    )
    files = {
        "acme1.txt": release("Acme Robotics Inc.", "NASDAQ: ACME"),
        "acme2.txt": release("Acme Robotics Inc.", "NASDAQ: ACME"),
        "bor1.txt": release("Borealis Foods Inc.", "NYSE: BRLS"),
        "roundup.txt": roundup,
    }
    cs = model(files)

    def at(fragment: str) -> str | None:
        return cs.company_at("roundup.txt", roundup.index(fragment))

    assert cs.company_of("roundup.txt") == "acme robotics"  # the first issuer named
    assert at("$5 million") == "acme robotics"
    assert at("hired staff") == "acme robotics"  # names none: the sentence before it
    assert at("sales rose") == "borealis foods"
    assert at("Margins were") == "borealis foods"
    assert at("opened a plant") == "borealis foods"  # by name, without the ticker
    assert at("closed one") == "acme robotics"
    # a single-company release: every sentence is its issuer's
    assert cs.company_at("bor1.txt", 40) == "borealis foods"
    assert cs.company_at("nowhere.txt", 0) is None


def test_a_release_with_no_evidence_goes_with_its_folder() -> None:
    cs = model({
        "acme/1.txt": release("Acme Corp.", "NASDAQ: ACME"),
        "acme/2.txt": release("Acme Corp.", "NASDAQ: ACME"),
        "acme/3.txt": release("Acme Corp.", "NASDAQ: ACME"),
        "acme/4.txt": "A Note\n\nThe plant opened today.\n",
        "misc/5.txt": "A Note\n\nThe plant opened today.\n",
    })  # fmt: skip
    assert cs.company_of("acme/4.txt") == "acme"
    assert cs.company_of("misc/5.txt") is None  # a folder of one release says nothing


def test_hosts_are_counted_as_the_pattern_over_the_whole_text_counts_them() -> None:
    """Searching only the lines with a scheme, an "@" or "www." finds the hosts a search of
    the whole text counts, on texts mixing URLs, addresses, bare domains and line breaks."""
    import random

    from prlint import companies

    def counted(matches: object) -> list[tuple[int, int]]:
        return [m.span() for m in matches  # type: ignore[attr-defined]
                if m.group("scheme") or m.group("local")
                or m.group("host").lower().startswith("www.")]  # fmt: skip

    rng = random.Random(5)
    alphabet = ["acme.com", "WWW.", "www.", "wWw.", "https://", "http:/", "@", "ir@", "Acme",
                ".io", ".COM", "/path", " ", "\n", ".", "-", "x", "Inc.com"]  # fmt: skip
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        assert counted(companies._kept_hosts(text)) == counted(companies.HOST.finditer(text))


def test_a_round_ups_mentions_are_packed_and_read_back_as_they_were() -> None:
    """The sentences of a release naming several companies are kept packed in its record
    and unpacked, as extracted, when a run asks which company a sentence names."""
    from prlint import codec
    from prlint.companies import Mentions, _mentions
    from prlint.metadata import extract_metadata

    text = (
        "Acme Robotics (NASDAQ: ACME) and Borealis Foods (NYSE: BRLS, BRLSW) merged.\n\n"
        "Borealis O’Neil said so. 12 staff moved.\n"
    )
    doc = parse("r.txt", text, kind="text")
    extract_metadata(doc)
    mentions = _mentions(doc)
    assert [(m.start, m.end, m.paragraph, m.symbols) for m in mentions] == [
        (0, 75, 0, ("ACME", "BRLS", "BRLSW")),
        (77, 101, 1, ()),  # "12 staff moved." names nothing: no mention
    ]
    assert mentions[1].words == ("borealis", "o'neil")
    packed = codec.decode(codec.encode(identity_of(doc)), ["prlint"]).mentions
    assert type(packed) is Mentions and packed.unpacked() == mentions
    assert not Mentions.pack([]) and Mentions.pack([]).unpacked() == []
