"""``prlint init``: a starter config inferred from the corpus.

The corpus globs cover the folders given; the ``company`` section is filled only where one
value clearly dominates the releases (the "About X" name, the ticker, the web and e-mail
domains), so a folder of many companies' releases gets none.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import regex
import yaml

from prlint.config import Config
from prlint.discovery import discover
from prlint.lazyregex import lazy
from prlint.metadata import extract_metadata
from prlint.readers import ReadError, decode, kind_of, parse
from prlint.result import Result

_DOMAIN = lazy(
    r"(?:https?://|www\.|@)(?:www\.)?((?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+[a-z]{2,})",
    regex.IGNORECASE,
)


_LEGAL = lazy(r",?\s+(?:Inc|Corp|Corporation|Ltd|Limited|LLC|PLC|AG|SA|NV)\.?$")


def _label(domain: str) -> str:
    """The registrable label of a host: ``ir.cellectar.com`` → ``cellectar``."""
    parts = domain.split(".")
    return parts[-2] if len(parts) >= 2 else domain


def _dominant(counts: Counter[str], total: int, share: float = 0.5) -> list[str]:
    """The values found in at least ``share`` of ``total`` releases, most used first."""
    return [value for value, n in counts.most_common() if total and n / total >= share]


def starter_config(paths: Sequence[str], root: Path) -> str:
    """The text of a ``.prlint.yaml`` for the releases under ``paths``, written in ``root``."""
    sources = discover(list(paths), Config(root=root), Result())
    names: Counter[str] = Counter()
    tickers: Counter[str] = Counter()
    domains: Counter[str] = Counter()
    suffixes: set[str] = set()
    read = 0
    for src in sources:
        try:
            source, encoding = decode(src.path.read_bytes())
        except (OSError, ReadError):
            continue
        doc = parse(src.display, source, kind=kind_of(src.path), encoding=encoding)
        extract_metadata(doc)
        read += 1
        suffixes.add(src.path.suffix.lower())
        if doc.meta.company:
            names[doc.meta.company] += 1
        if doc.meta.ticker:
            tickers[doc.meta.ticker] += 1
        hosts = {m.group(1).lower() for m in _DOMAIN.finditer(doc.source)}
        domains.update(hosts)
    corpus = []
    for given in paths:
        rel = os.path.relpath(Path(given).resolve(), root.resolve()).replace(os.sep, "/")
        prefix = "" if rel == "." else f"{rel}/"
        corpus += [f"{prefix}**/*{suffix}" for suffix in sorted(suffixes)]
    body: dict[str, object] = {"corpus": corpus}
    company: dict[str, object] = {}
    if top := _dominant(names, read):
        name = _LEGAL.sub("", top[0])
        company["names"] = [name]
        squashed = regex.sub(r"[^a-z0-9]", "", name.lower())
        own = [d for d in _dominant(domains, read, share=0.3) if _label(d)[:5] in squashed]
        if own:
            company["domains"] = own[:3]
    if top := _dominant(tickers, read):
        company["ticker"] = top[0]
    if company:
        body["company"] = company
    header = (
        f"# prlint config inferred by `prlint init` from {read} release(s).\n"
        "# Check it, then see README.md for every key (select, ignore, severity, checks, ...).\n"
    )
    return header + yaml.safe_dump(body, sort_keys=False, allow_unicode=True) + _EXAMPLES


_EXAMPLES = """
# More keys (uncomment and adapt):
#   aliases: [Former Name]          # under company: other valid names (a rename, a brand)
#   filer_category: accelerated     # under company: large-accelerated, accelerated, non-acc.
#   fiscal_year_end: "12-31"        # under company: MM-DD
# select: [company-name, url-drift]   # run only these checks
# ignore: [mixed-style]               # skip these checks
# per-file-ignores:
#   "archive/**": [stale-filing]
# severity:
#   mixed-style: info
# checks:
#   mixed-style:
#     prefer: {phase: arabic}
# allow: [Cellecta]                   # words that are never reported as misspellings
# packs: [prlint-packs/energy.yaml]   # your own YAML packs of rules (see README, "YAML packs")
# fail-on: warning
"""
