"""Whose facts a release states: the one place checks ask which company a release is.

Every check goes through these functions, which ask the corpus model of companies
(``corpus.companies``): a release belongs to its issuer, a sentence of a release that names
several companies to the company it names. A release the model cannot place belongs to its
ticker, else its folder.
"""

from __future__ import annotations

from prlint.corpus import Corpus


def identities(corpus: Corpus) -> dict[str, str]:
    """Path -> company key of every release of the corpus."""
    return corpus.memo(
        "lib.attribution.identities",
        lambda: {r.path: company_of(corpus, r.path) for r in corpus.records},
    )


def company_of(corpus: Corpus, path: str) -> str:
    """The company a release belongs to."""
    found = corpus.companies.company_of(path)
    if found is not None:
        return found
    rec = corpus.by_path.get(path)
    if rec is not None and rec.ticker:
        return "ticker:" + rec.ticker.upper()
    return "folder:" + (rec.folder if rec is not None else "")


def company_at(corpus: Corpus, path: str, offset: int) -> str:
    """The company a statement at decoded-source ``offset`` of release ``path`` belongs to."""
    return corpus.companies.company_at(path, offset) or company_of(corpus, path)
