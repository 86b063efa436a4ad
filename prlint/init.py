"""``prlint init``: a starter ``.prlint.yaml`` inferred from the corpus.

The company section (names, aliases, domains, ticker) comes from the same inference the entity
checks use (:mod:`prlint.entities`); every other key is shown as a commented-out example.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import yaml

from prlint.config import Config
from prlint.engine import Result, discover
from prlint.entities import EntityFacts, Profile, build_profile, extract_entities, near_miss
from prlint.metadata import extract_metadata
from prlint.readers import ReadError, read_path


@dataclass
class Inferred:
    """The company a corpus is mostly about."""

    names: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    ticker: str = ""
    others: list[str] = field(default_factory=list)  # other companies with releases here
    releases: int = 0


def read_corpus(
    paths: Sequence[str], config: Config | None = None
) -> list[tuple[str, EntityFacts]]:
    """(path, entity facts) of every release under ``paths``."""
    config = config or Config()
    out = []
    for src in discover(paths, config, Result()):
        try:
            doc = read_path(src.path, src.display)
        except ReadError:
            continue
        extract_metadata(doc)
        out.append((src.display, extract_entities(doc)))
    return out


def infer_company(prof: Profile) -> Inferred:
    """The company most releases are about, with its spellings, domains and ticker."""
    homes: Counter[str] = Counter(k for h in prof.home for k in h if k in prof.units)
    if not homes:
        return Inferred()
    ranked = sorted(homes, key=lambda k: (-homes[k], -prof.units[k].uses, k))
    main = prof.units[ranked[0]]
    mine = {i for i, h in enumerate(prof.home) if main.key in h}
    aliases: list[str] = []
    others: list[str] = []
    for k in ranked[1:]:
        unit = prof.units[k]
        if near_miss(unit.name, main.name) or len(unit.key) < 3:
            continue  # a misspelling, not a name
        shared = {i for i, h in enumerate(prof.home) if k in h}
        if shared <= mine and (unit.tickers & main.tickers or unit.domains):
            aliases.append(unit.name)
        elif not shared & mine and homes[k] >= 2:
            others.append(unit.name)
    tickers: Counter[str] = Counter()
    for t in main.tickers:
        tickers[t] = len(prof.ticker_docs.get(t, set()) & mine)
    domains = sorted(main.domains, key=lambda d: (-main.domains[d], d))
    return Inferred(
        names=[main.name],
        aliases=aliases[:5],
        domains=domains,
        ticker=tickers.most_common(1)[0][0] if tickers else "",
        others=others[:10],
        releases=len(mine),
    )


_EXAMPLES = """\
# Which files form the corpus besides the paths given (read for comparison, not reported):
# corpus: ["releases/**/*.md"]
# include: ["*.txt", "*.md", "*.html"]
# exclude: ["drafts/*"]

# Checks to run or skip, by name (see `prlint checks`):
# select: [company-name, url-drift, contact-drift, fact-conflict]
# ignore: [mixed-style]
# per-file-ignores:
#   "archive/*": [stale-filing]
# severity:
#   contact-drift: error
# fail-on: warning

# Options of single checks (see `prlint explain NAME`):
# checks:
#   url-drift:
#     paths: false

# Words that are right even though they look like a near miss:
# allow: [Acurx]
# packs: [style/our-terms.yaml]
"""


def starter_config(paths: list[str]) -> str:
    """The text of a starter ``.prlint.yaml`` for the releases under ``paths``."""
    docs = read_corpus(paths)
    prof = build_profile(docs, {})
    found = infer_company(prof)
    company: dict[str, object] = {}
    if found.names:
        company["names"] = found.names
    if found.aliases:
        company["aliases"] = found.aliases
    if found.domains:
        company["domains"] = found.domains
    if found.ticker:
        company["ticker"] = found.ticker
    lines = [
        "# prlint configuration, inferred by `prlint init` from "
        f"{len(docs)} release(s). Check it and edit freely.",
        "",
    ]
    if company:
        lines.append(
            f"# The company {found.releases} of the releases are about: its canonical names "
            "(aliases: former names and brands that are also right), web and e-mail domains "
            "and ticker."
        )
        lines.append(
            yaml.safe_dump({"company": company}, sort_keys=False, allow_unicode=True).rstrip()
        )
    else:
        lines.append("# No company could be inferred; state it here:")
        lines.append("# company:\n#   names: [Acme]\n#   domains: [acme.com]\n#   ticker: ACME")
    lines.append(
        "#   filer_category: accelerated   # large-accelerated, accelerated, non-accelerated"
    )
    lines.append("#   fiscal_year_end: 12-31")
    if found.others:
        lines.append("# Other companies with releases here: " + ", ".join(found.others))
    lines.append("")
    lines.append(_EXAMPLES)
    return "\n".join(lines)
