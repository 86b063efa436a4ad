"""Whose facts a release states: the one place checks ask which company a release is.

Until the corpus model of companies (``corpus.companies``) is available, a release belongs to
its ticker, else to its folder's only ticker, else to the configured ticker, else to its
folder. :func:`identities` is the adapter every check goes through, so switching to the
corpus model is a change here only.
"""

from __future__ import annotations

from collections import defaultdict

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
