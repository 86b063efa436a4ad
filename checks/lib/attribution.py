"""Whose facts a release states: the one place checks ask which company a release is.

Until the corpus model of companies (``corpus.companies``) is available, a release belongs to
its ticker, else to its folder's only ticker, else to the configured ticker, else to its
folder. :func:`identities` is the adapter every check goes through, so switching to the
corpus model is a change here only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import regex

from prlint.corpus import Corpus


def identities(corpus: Corpus) -> dict[str, str]:
    """Path -> company key of every release of the corpus."""
    return corpus.memo("lib.attribution.identities", lambda: _identities(corpus))


def _identities(corpus: Corpus) -> dict[str, str]:
    by_folder: dict[str, set[str]] = defaultdict(set)
    for r in corpus.records:
        if r.ticker:
            by_folder[r.folder].add(r.ticker.upper())
    default = str(corpus.company.get("ticker") or "").upper()
    out = {}
    for r in corpus.records:
        tickers = by_folder.get(r.folder, set())
        if r.ticker:
            out[r.path] = "ticker:" + r.ticker.upper()
        elif len(tickers) == 1:
            out[r.path] = "ticker:" + next(iter(tickers))
        elif default:
            out[r.path] = "ticker:" + default
        else:
            out[r.path] = "folder:" + r.folder
    return out


def company_at(corpus: Corpus, path: str, offset: int, named: str = "") -> str:
    """The company a statement at ``offset`` of release ``path`` belongs to.

    ``named`` is what the release itself says (:func:`sentence_owners`): another listed
    company's ticker named in the sentence, else "" for the release's own company."""
    return named or identities(corpus)[path]


def company_of(corpus: Corpus, path: str) -> str:
    """The company a release belongs to."""
    return identities(corpus)[path]


# -- per document: which sentences name another listed company -----------------------------
_TICKER = regex.compile(
    r"""[(\[,;]\s*(?:(?i:NASDAQ(?:\s?(?:GS|GM|CM|Global\s+Select|Global|Capital))?|
    NYSE(?:\s(?:American|MKT|Arca))?|OTC(?:QX|QB|\s?Pink|PK|\sMarkets)?|TSX(?:-V|V|\sVenture)?|
    CSE|ASX|AMEX|Cboe|LSE|AIM|HKEX|SGX|FWB|FSE|XETRA|Euronext|TASE|NEO|WKN))
    \s*:\s*(?P<ticker>[A-Z0-9][A-Z0-9.\-]{0,6})\b""",
    regex.VERBOSE,
)
_CLUSTER_GAP = 40  # ticker slots this close together name one issuer ("(CSE: X) (OTCQB: XF)")


def ticker_clusters(text: str) -> list[tuple[int, int, tuple[str, ...]]]:
    """(start, end, tickers in text order) of each group of adjacent ticker slots."""
    out: list[tuple[int, int, tuple[str, ...]]] = []
    for m in _TICKER.finditer(text):
        t = m.group("ticker").rstrip(".").upper()
        if out and m.start() - out[-1][1] <= _CLUSTER_GAP:
            s, _, ts = out[-1]
            out[-1] = (s, m.end(), ts if t in ts else (*ts, t))
        else:
            out.append((m.start(), m.end(), (t,)))
    return out


def sentence_owners(text: str, sentences: Sequence[tuple[int, int]]) -> dict[int, str]:
    """Sentence start -> "ticker:X" for each sentence that names another listed company (a
    ticker slot of a group other than the release's first) and not the release's own."""
    clusters = ticker_clusters(text)
    if len(clusters) < 2:
        return {}
    own = set(clusters[0][2])
    others = [(s, e, ts) for s, e, ts in clusters[1:] if not own.intersection(ts)]
    out: dict[int, str] = {}
    for start, end in sentences:
        inside = [ts for s, _, ts in others if start <= s < end]
        mine = any(start <= s < end for s, _, ts in clusters if own.intersection(ts))
        if inside and not mine:
            out[start] = "ticker:" + inside[0][0]
    return out
