"""url-drift: a web or e-mail domain that is a near miss of the company's usual one."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from typing import ClassVar, NamedTuple

from rapidfuzz.distance import OSA

from prlint.api import Check, CheckContext, Diagnostic, Extraction, Insight, Option, Severity
from prlint.checks.lib import insights
from prlint.checks.lib.entities import (
    ENTITY_CHECKS,
    Domains,
    DomainUse,
    EntityFacts,
    Loc,
    Profile,
    anchor_of,
    domain_label,
    extract_entities,
    is_distinctive,
    key,
    label_written,
    near_miss,
    profile,
    registrable,
)
from prlint.companies import LEGAL_FORMS, Companies, Company, core_words, name_words
from prlint.corpus import Corpus, DocRecord
from prlint.document import Document

#: top-level domains a company may slip between (.com for .net, .io, .org)
GENERIC_TLDS = frozenset(("com", "net", "org", "io", "co", "ai", "info", "biz"))
#: a near-miss domain used in more releases than this is taken for a site of its own
RECURRING = 3


def _tld_slip(a: str, b: str) -> bool:
    """``cellectar.co`` for ``cellectar.com``: same name, top-level domains a letter apart."""
    if "." not in a or "." not in b:
        return False
    la, ta = a.split(".", 1)
    lb, tb = b.split(".", 1)
    return (
        la == lb
        and ta != tb
        and abs(len(ta) - len(tb)) <= 1
        and (ta.startswith(tb) or tb.startswith(ta))
    )


def _replace_label(written: str, bad: str, good: str) -> str:
    """The host as written with its registrable domain replaced, keeping subdomains."""
    bad_written_label = label_written(written, domain_label(bad))
    head, _, _ = written.rpartition(bad_written_label)
    if not head and not written.startswith(bad_written_label):
        return good
    return head + good


def _path_slip(url: str, usual: str) -> bool:
    """Same host, and a path a letter or two away (``/investor-alerts`` → ``/investor-alert``)."""
    host, _, path = url.partition("/")
    host2, _, path2 = usual.partition("/")
    if host != host2 or not path or not path2 or path.count("/") != path2.count("/"):
        return False
    limit = 1 if max(len(path), len(path2)) < 8 else 2
    return 0 < OSA.distance(path.casefold(), path2.casefold()) <= limit


def _label_slip(bad: str, good: str) -> bool:
    """Domain labels a slip apart: 1 edit from 4 letters, 2 from 8, the first letter kept
    (two edits), no letters glued to an end (cellectarbio is another site)."""
    if min(len(bad), len(good)) < 4 or bad.startswith(good) or bad.endswith(good):
        return bad.startswith(good) and len(bad) == len(good) + 1 and bad[-1] == good[-1]
    if good.startswith(bad) or good.endswith(bad):
        return False  # a shorter label: another site (acme.com, acmebio.com)
    limit = 1 if len(good) < 8 else 2
    d = OSA.distance(bad, good, score_cutoff=limit)
    return d <= limit and (d == 1 or bad[0] == good[0])


def _short_name_slip(label: str, good: str, spelt: frozenset[str]) -> bool:
    """A slip of a four-letter label that spells the company's name (too short for
    :func:`_label_slip`): one edit, the first letter kept (``oar`` for ``onar``)."""
    return (
        len(good) == 4
        and good in spelt
        and label[:1] == good[:1]
        and OSA.distance(label, good, score_cutoff=1) == 1
    )


def _spellings(company: Company) -> frozenset[str]:
    """The company's names as domain labels (see :func:`_spells`): their distinctive words,
    or all their words, joined, or a first word rare in English alone. Names written in one
    release only are left out when others recur (a slip of the name)."""
    joined = {"".join(company.core)}
    names = [n for n, count in company.names.items() if count >= 2] or list(company.names)
    for name in names:
        words = name_words(name)
        joined.add("".join(core_words(name)))
        joined.add("".join(w.casefold() for w in words))
        if len(words) > 1 and is_distinctive(words[0]):
            joined.add(words[0].casefold())  # its rare first word alone (opawica.com)
    return frozenset(joined)


def _spells(label: str, spelt: frozenset[str]) -> bool:
    """Whether a domain label spells the company's name: one of ``spelt``, a legal form after
    it or not (seggmediacorp for SEGG Media Corp.)."""
    return label in spelt or any(
        label.startswith(j) and label[len(j) :] in LEGAL_FORMS for j in spelt
    )


def _name_slip(label: str, spelt: frozenset[str], tickers: Iterable[str]) -> str | None:
    """The spelling of the company's name (see :func:`_spells`) that a domain label which
    spells none (hyphens aside) nor a ticker of the company is a slip of, if one: the name a
    slip away (``newpaciicmetals`` for ``newpacificmetals``), the name whole before a legal
    form of four letters or more one letter off (``seggmediacop`` for ``seggmediacorp``), or
    the name a slip away before such a form whole (``seglmediacorp``)."""
    bare = label.replace("-", "")
    if _spells(bare, frozenset(j.replace("-", "") for j in spelt)) or bare in {
        t.casefold() for t in tickers
    }:
        return None
    for joined in sorted(spelt):
        if _label_slip(label, joined):
            return joined
        rest = label[len(joined) :] if label.startswith(joined) else ""
        for form in sorted(f for f in LEGAL_FORMS if len(f) >= 4):
            if len(rest) >= 3 and OSA.distance(rest, form) == 1:
                return joined + form
            if label.endswith(form) and _label_slip(label[: -len(form)], joined):
                return joined + form
    return None


#: at most this many characters from a domain a link's text names to the link's host (the
#: rest of the text and "](https://www.")
_LINK_TEXT_GAP = 40


def _link_named(prof: Profile, i: int, use: DomainUse, facts: EntityFacts) -> str | None:
    """The domain a link's text names (written just before it) when the link goes to
    that domain's name under another top-level domain that no other release uses, and the
    named domain is used in two other releases or more (``[Acme.com](https://acme.net/x)``)."""
    if _others(prof, use.domain, i):
        return None
    line, column = use.loc[:2]
    label = domain_label(use.domain)
    ds = facts.domains
    for j, good in enumerate(ds.domain):
        if good == use.domain or ds.in_link[j] or domain_label(good) != label:
            continue
        at = ds.loc(j)
        if at[0] == line and 0 <= column - at[3] <= _LINK_TEXT_GAP and _others(prof, good, i) >= 2:
            return good
    return None


def _others(prof: Profile, domain: str, i: int) -> int:
    """How many releases besides release ``i`` use ``domain``."""
    docs = prof.domain_docs.get(domain, ())
    return len(docs) - (i in docs)


def _giving(corpus: Corpus, prof: Profile, domain: str, docs: Iterable[int]) -> list[int]:
    """The releases among ``docs`` that write ``domain`` in lower case (an address or a bare
    domain), not only as a name."""
    out = []
    for j in docs:
        rec = corpus.by_path.get(prof.paths[j])
        facts = rec.facts.get(UrlDrift.name) if rec is not None else None
        if not isinstance(facts, EntityFacts) or any(
            u.domain == domain and not u.cased for u in facts.domains
        ):
            out.append(j)
    return out


def _other(n: int) -> str:
    return f"{n} other release{'' if n == 1 else 's'}"


def _purposeful(ds: Domains) -> Iterator[tuple[int, str, str]]:
    """(index, domain, purpose) of the uses of a site given for a purpose: neither e-mail
    addresses nor links, after three words or more ("for more information please visit")."""
    for j, purpose in enumerate(ds.purpose):
        if not (ds.email[j] or ds.in_link[j] or len(purpose.split()) < 3):
            yield j, ds.domain[j], purpose


def _near_miss(
    ctx: CheckContext, prof: Profile, i: int, use: DomainUse, fixed: str, good: str, where: str
) -> Diagnostic:
    """The finding on a domain written ``use.written`` that should read ``fixed``."""
    rel = prof.related_domain(good, i)
    return ctx.diagnostic(
        anchor_of(prof.paths[i], use.loc, use.written),
        f"'{use.written}' looks like '{fixed}' ({where})",
        fix=fixed,
        related=[rel] if rel else [],
    )


class _Usual(NamedTuple):
    """A usual domain of a company: the domain, its label and top-level part, its releases."""

    domain: str
    label: str
    tld: str
    releases: int


class _Url:
    """A URL given for one purpose: its first use and the releases giving it."""

    __slots__ = ("first", "last", "loc", "releases")

    def __init__(self, path: str, loc: Loc) -> None:
        self.first = self.last = path  # the first release giving it, and the last so far
        self.loc = loc  # of its first use
        self.releases = 1


def _uses_of(
    entity: list[tuple[DocRecord, EntityFacts]], slips: Iterable[tuple[str, str, str]]
) -> dict[tuple[str, str, str], list[tuple[str, Loc, str]]]:
    """(release, location, as written) of every use of the (domain, purpose, URL) ``slips``,
    in the order of the slips, then of the releases."""
    out: dict[tuple[str, str, str], list[tuple[str, Loc, str]]] = {s: [] for s in slips}
    if not out:
        return out
    for rec, facts in entity:
        ds = facts.domains
        for j, domain, purpose in _purposeful(ds):
            found = out.get((domain, purpose, ds.host[j] + ds.path[j]))
            if found is not None:
                found.append((rec.path, ds.loc(j), ds.written[j]))
    return out


class UrlDrift(Check):
    """A URL, bare domain or e-mail domain that is a near miss of the company's usual one.

    The usual domains are inferred from the corpus (the domains most releases use, and the
    config ``company.domains``). A domain a letter or two away from one of them
    (``www.collectar.com`` for ``www.cellectar.com``, ``cellectar.co`` for ``cellectar.com``)
    in a release of that company is an error, with a fix. So is an address of the company
    (given with a scheme, ``www.`` or as a mailbox, in one release) a slip of the company's
    name spelt as a domain when the company has no usual site of its own (one that other
    companies' releases do not use): ``www.norvelamning.com`` for Norvela Mining, named in
    two releases or more. A domain that shortens the name,
    hyphenates it or is its ticker is not. A link whose text names a domain and which goes to
    that name under another top-level domain used in no other release is an error too
    (``[Newsramp.com TLDR](https://newsramp.net/...)``, newsramp.com in two other releases or
    more). Other third-party domains are not near misses of the company's and are left
    alone; a name spelt as a domain with capitals
    (``iCoreConncet.com``) is company-name's. A company URL whose path is a letter or two
    away from the one most releases give for the same purpose ("To be added to our
    distribution list, please visit ...") is reported at info level; other paths are left
    alone, as releases link to pages of their own.

    Passes::

        For more information please visit www.cellectar.com.   (in every release)

    Fails::

        For additional information please visit www.collectar.com.
        -> 'www.collectar.com' looks like 'www.cellectar.com' (used in 4 other releases)
    """

    name = "url-drift"
    severity = Severity.ERROR
    summary = (
        "a URL or e-mail domain that is a near miss of, or differs from, the company's usual one"
    )
    reads = ENTITY_CHECKS
    cross_release = True
    safe_fixes = False  # a near miss of a domain may be another domain
    fixes_tokens = True  # its fixes edit URLs and e-mail addresses
    options: ClassVar[Mapping[str, Option]] = {
        "paths": Option(True, "Report (at info) a company URL whose path differs from the usual."),
    }

    def extract(self, doc: Document, ctx: CheckContext) -> Extraction:
        return Extraction(facts=extract_entities(doc))

    def compare(self, corpus: Corpus, ctx: CheckContext) -> Iterable[Diagnostic]:
        prof = profile(corpus, ctx.allow)
        self._docs_memo: dict[str, set[int]] = {}
        self._usual_memo: dict[str, tuple[frozenset[str], list[_Usual]]] = {}
        self._addresses_memo: dict[str, set[tuple[str, str]]] = {}
        configured = {
            registrable(d.lower().removeprefix("www.")) for d in ctx.company.get("domains", [])
        }
        index = {p: i for i, p in enumerate(prof.paths)}
        found_at: set[tuple[str, int, int]] = set()
        for rec, facts in corpus.facts(self.name):
            if rec.reported and isinstance(facts, EntityFacts):
                for d in self._near_misses(ctx, prof, index[rec.path], facts, configured):
                    found_at.add((d.path, d.line, d.column))
                    yield d
        for rec, facts in corpus.facts(self.name):
            if rec.reported and isinstance(facts, EntityFacts):
                for d in self._company_drift(ctx, corpus, prof, index[rec.path], facts):
                    if (d.path, d.line, d.column) not in found_at:
                        found_at.add((d.path, d.line, d.column))
                        yield d
        for rec, facts in corpus.facts(self.name):
            if rec.reported and isinstance(facts, EntityFacts):
                for d in self._link_misses(ctx, prof, index[rec.path], facts, configured):
                    if (d.path, d.line, d.column) not in found_at:
                        yield d
        if ctx.options.get("paths", True):
            yield from self._paths(ctx, corpus, prof)

    def insights(self, corpus: Corpus, ctx: CheckContext) -> Iterable[Insight]:
        """Per company, the domains its releases use (two releases or more, or spelling its
        name) and the near misses found of them, one point per release and domain."""
        model = corpus.companies
        t = insights.table()
        for d in self.compare(corpus, ctx):
            owner = model.company_of(d.path)
            if owner is not None and d.fix is not None and d.severity != Severity.INFO:
                good = registrable(d.fix.replacement)
                insights.add(t, owner, good, registrable(d.matched), d.path, d.line, "variant")
        for rec, facts in corpus.facts(self.name):
            owner = model.company_of(rec.path)
            company = model.companies.get(owner or "")
            if company is None or not isinstance(facts, EntityFacts):
                continue
            for use in facts.domains:
                if company.domains[use.domain] >= 2:
                    insights.add(
                        t, company.key, use.domain, use.domain, rec.path, use.loc[0], "canonical"
                    )
        yield from insights.emit(corpus, "domains", t)

    def _strength(
        self, prof: Profile, domain: str, configured: set[str]
    ) -> tuple[int, int, int, int]:
        """Configured, spelling a name of the corpus, releases, uses."""
        unit = prof.units.get(key(domain_label(domain)))
        named = unit is not None and (bool(unit.docs) or unit.configured)
        return (
            int(domain in configured),
            int(named),
            len(prof.domain_docs.get(domain, ())),
            prof.domain_count[domain],
        )

    def _company_docs(self, prof: Profile, domain: str) -> set[int]:
        """Releases of the company a domain belongs to (its own, its name's, its ticker's)."""
        if domain not in self._docs_memo:
            docs = set(prof.domain_docs.get(domain, ()))
            unit = prof.units.get(key(domain_label(domain)))
            if unit is not None:
                docs |= prof.belongs(unit)
            self._docs_memo[domain] = docs
        return self._docs_memo[domain]

    def _usual_for(
        self,
        prof: Profile,
        i: int,
        bad: str,
        candidates: set[str],
        configured: set[str],
        paths: dict[str, set[str]],
    ) -> str | None:
        """The usual domain ``bad`` is a near miss of, in release ``i``, if any."""
        if len(prof.domain_docs.get(bad, ())) > RECURRING:
            return None  # a domain in many releases is a site of its own, not a slip
        bad_docs = set(prof.domain_docs.get(bad, ())) | {i}
        bad_label, bad_tld = domain_label(bad), bad.partition(".")[2]
        best: tuple[tuple[int, int, int, int], str] | None = None
        for good in candidates:
            label, tld = domain_label(good), good.partition(".")[2]
            if good == bad or abs(len(label) - len(bad_label)) > 2:
                continue
            if not (
                (tld == bad_tld and near_miss(bad_label, label))
                or (_tld_slip(bad, good) and not paths.get(bad, set()) - paths.get(good, set()))
            ):
                continue  # (a short-link domain such as apple.co carries paths of its own)
            good_docs = prof.domain_docs.get(good, set())
            if len(bad_docs) > 1 and bad_docs & good_docs:
                continue  # both recur side by side: two sites (nymetrowire, lametrowire)
            score = self._strength(prof, good, configured)
            if score <= self._strength(prof, bad, configured):
                continue
            if good not in configured and not bad_docs <= self._company_docs(prof, good):
                continue  # used where the company is absent: another site
            if best is None or score > best[0]:
                best = (score, good)
        return best[1] if best else None

    def _near_misses(
        self, ctx: CheckContext, prof: Profile, i: int, facts: EntityFacts, configured: set[str]
    ) -> Iterator[Diagnostic]:
        candidates = set(configured) | {d.domain for d in facts.domains}
        for k in {*prof.home[i], *prof.doc_units[i]}:
            unit = prof.units.get(k)
            if unit is not None:
                candidates |= set(unit.domains)
        decided: dict[str, str | None] = {}
        paths: dict[str, set[str]] = defaultdict(set)
        for d in facts.domains:
            if d.path:
                paths[d.domain].add(d.path)
        for use in facts.domains:
            bad = use.domain
            if use.cased or bad in configured or key(domain_label(bad)) in prof.allow:
                continue
            if bad not in decided:
                decided[bad] = self._usual_for(prof, i, bad, candidates, configured, paths)
            good = decided[bad]
            if good is None:
                continue
            fixed = _replace_label(use.written, bad, good)
            others = _others(prof, good, i)
            where = f"used in {_other(others)}" if others else "used elsewhere in this release"
            if good in configured:
                where = "configured"
            yield _near_miss(ctx, prof, i, use, fixed, good, where)

    def _link_misses(
        self, ctx: CheckContext, prof: Profile, i: int, facts: EntityFacts, configured: set[str]
    ) -> Iterator[Diagnostic]:
        """Links to another top-level domain than the one their text names (see
        :func:`_link_named`)."""
        for use in facts.domains:
            if not use.in_link or use.cased or use.domain in configured:
                continue
            if key(domain_label(use.domain)) in prof.allow:
                continue
            good = _link_named(prof, i, use, facts)
            if good is not None:
                fixed = _replace_label(use.written, use.domain, good)
                where = f"named by the link's text; used in {_other(_others(prof, good, i))}"
                yield _near_miss(ctx, prof, i, use, fixed, good, where)

    def _company_drift(
        self, ctx: CheckContext, corpus: Corpus, prof: Profile, i: int, facts: EntityFacts
    ) -> Iterator[Diagnostic]:
        """Near misses of the domains the release's company uses in two releases or more
        (the corpus model's): a label within the edit budget, or another top-level domain."""
        model = corpus.companies
        key_ = model.company_of(prof.paths[i])
        company = model.companies.get(key_ or "")
        if company is None:
            return
        spelt, usual = self._usual(key_ or "", company)
        allow = {key(a) for a in ctx.allow}
        for use in facts.domains:
            bad = use.domain
            bad_docs = prof.domain_docs.get(bad, set())
            if use.cased or company.domains[bad] >= 2 or key(domain_label(bad)) in allow:
                continue
            if any(model.company_of(prof.paths[j]) != key_ for j in bad_docs):
                continue  # used by other companies: a site of its own
            if len(bad_docs) > 2 and len(_giving(corpus, prof, bad, bad_docs)) > 2:
                continue  # recurring as an address, not only as a name ("Gaxs.ai"): a site
            known = self._addresses(corpus, key_ or "", company) if use.email or use.path else set()
            # weighed as the company model counts addresses (with a scheme, www. or as a
            # mailbox): once, here; a release writing it bare or as a name ("Gaxso.ai") adds none
            good = self._drift_of(bad, use, usual, spelt, known)
            if good is not None:
                fixed = _replace_label(use.written, bad, good)
                n = _others(prof, good, i)
                yield _near_miss(ctx, prof, i, use, fixed, good, f"used in {_other(n)}")
            elif (
                company.domains[bad]
                and max(company.names.values(), default=0) >= 2
                and (spelling := _name_slip(domain_label(bad), spelt, company.tickers))
                and not any(self._own(prof, model, key_, u.domain) for u in usual)
            ):
                # given as the company's address here (a scheme, www. or a mailbox), and the
                # company has no usual site of its own: the name, written in two releases or
                # more, is the evidence
                good = f"{spelling}.{bad.partition('.')[2]}"
                yield self._name_miss(ctx, prof, i, use, good, company)

    @staticmethod
    def _own(prof: Profile, model: Companies, key_: str | None, domain: str) -> bool:
        """Whether only the releases of the company ``key_`` use ``domain`` (a filings or
        newswire site is used by many companies')."""
        return all(
            model.company_of(prof.paths[j]) == key_ for j in prof.domain_docs.get(domain, ())
        )

    @staticmethod
    def _name_miss(
        ctx: CheckContext, prof: Profile, i: int, use: DomainUse, good: str, company: Company
    ) -> Diagnostic:
        """The finding on a company address a slip of the company's name spelt as a domain,
        related to the name's use in another release."""
        fixed = _replace_label(use.written, use.domain, good)
        others = len(company.releases) - 1
        related = []
        for name in (company.name, *company.core):  # the name, else its distinctive word
            unit = prof.units.get(key(name))
            rel = prof.related_use(unit, i) if unit is not None else None
            if rel is not None:
                rpath, rloc, rform = rel
                related.append(anchor_of(rpath, rloc).related(f"'{rform}' used here"))
                break
        return ctx.diagnostic(
            anchor_of(prof.paths[i], use.loc, use.written),
            f"'{use.written}' looks like '{fixed}' (the company's name, '{company.name}', "
            f"spelt as a domain; the name is used in {_other(others)})",
            fix=fixed,
            related=related,
        )

    def _usual(self, key_: str, company: Company) -> tuple[frozenset[str], list[_Usual]]:
        """The company's names spelt as one word, and the domains its releases use in two
        releases or more or that spell its name (memoised per company)."""
        found = self._usual_memo.get(key_)
        if found is None:
            spelt = _spellings(company)
            usual = [
                _Usual(d, domain_label(d), d.partition(".")[2], n)
                for d, n in company.domains.items()
                if n >= 2 or _spells(domain_label(d), spelt)
            ]
            found = self._usual_memo[key_] = (spelt, usual)
        return found

    def _addresses(self, corpus: Corpus, key_: str, company: Company) -> set[tuple[str, str]]:
        """(local part, domain) of every e-mail address the company's releases give, and
        (path, domain) of every URL with a path (memoised per company)."""
        found = self._addresses_memo.get(key_)
        if found is None:
            found = self._addresses_memo[key_] = set()
            for path in company.releases:
                rec = corpus.by_path.get(path)
                facts = rec.facts.get(self.name) if rec is not None else None
                if isinstance(facts, EntityFacts):
                    ds = facts.domains
                    for local, url_path, domain in zip(ds.email, ds.path, ds.domain, strict=True):
                        found.update((x.lower(), domain) for x in (local, url_path) if x)
        return found

    @staticmethod
    def _drift_of(
        bad: str,
        use: DomainUse,
        usual: list[_Usual],
        spelt: frozenset[str],
        known: set[tuple[str, str]],
    ) -> str | None:
        """The usual domain of the company that ``bad`` (given as an address in one release:
        see the caller) is a slip of: one used in more releases, or spelling the company's
        name where ``bad`` does not. ``known``: the company's e-mail addresses, (local part,
        domain), and URL paths, (path, domain)."""
        label, tld = domain_label(bad), bad.partition(".")[2]
        best: tuple[int, str] | None = None
        for good, g_label, g_tld, n in usual:
            if (n, _spells(g_label, spelt)) <= (1, _spells(label, spelt)):
                continue
            if g_label == label and g_tld != tld:
                # generic top-level domains only (a .store, .tv or country site is deliberate);
                # a short link carries paths of its own, unless the company gives that very
                # path at the usual domain (acme.net/investors for acme.com/investors); an
                # address, unless it gives that very mailbox there (ir@acme.net, ir@acme.com)
                ok = (
                    {tld, g_tld} <= GENERIC_TLDS
                    and (not use.path or (use.path.lower(), good) in known)
                    and (not use.email or (use.email.lower(), good) in known)
                )
            elif g_tld == tld:
                ok = _label_slip(label, g_label) or _short_name_slip(label, g_label, spelt)
            else:
                ok = False
            if ok and (best is None or (n, good) > best):
                best = (n, good)
        return best[1] if best else None

    def _paths(self, ctx: CheckContext, corpus: Corpus, prof: Profile) -> Iterator[Diagnostic]:
        """Same domain, same purpose, a path that differs from the one most releases give.
        Each URL is counted, not its uses kept: the uses of a slip are found in a second
        pass over the few releases that wrote one."""
        groups: dict[tuple[str, str], dict[str, _Url]] = defaultdict(dict)
        entity = [(r, f) for r, f in corpus.facts(self.name) if isinstance(f, EntityFacts)]
        wanted = None  # the (domain, purpose) a reported release gives, unless all are reported
        if not all(rec.reported for rec in corpus.records):
            wanted = {(d, p) for r, f in entity if r.reported for _, d, p in _purposeful(f.domains)}
        for rec, facts in entity:
            ds = facts.domains
            for j, domain, purpose in _purposeful(ds):  # columns: few uses are kept
                if wanted is None or (domain, purpose) in wanted:
                    by_url = groups[(domain, purpose)]
                    url = ds.host[j] + ds.path[j]
                    seen = by_url.get(url)
                    if seen is None:
                        by_url[url] = _Url(rec.path, ds.loc(j))
                    elif seen.last != rec.path:  # a release's uses come one after another
                        seen.last = rec.path
                        seen.releases += 1
        slips: dict[tuple[str, str, str], tuple[str, int, _Url]] = {}  # -> the usual URL
        for (domain, purpose), by_url in groups.items():
            if len(by_url) < 2 or len(purpose.split()) < 3:
                continue
            releases = Counter({u: seen.releases for u, seen in by_url.items()})
            (top, n_top), *rest = releases.most_common()
            total = sum(releases.values())
            if n_top < 3 or n_top * 3 < total * 2:
                continue
            for url, n in rest:
                if n == 1 and _path_slip(url, top) and corpus.is_reported(by_url[url].first):
                    slips[(domain, purpose, url)] = (top, n_top, by_url[top])
        for slip, uses in _uses_of(entity, slips).items():
            url, (top, n_top, usual) = slip[2], slips[slip]
            for path, loc, written in uses:
                yield ctx.diagnostic(
                    anchor_of(path, loc, written),
                    f"'{url}' differs from '{top}', given for the same purpose in {_other(n_top)}",
                    severity=Severity.INFO,
                    related=[anchor_of(usual.first, usual.loc).related(f"'{top}' used here")],
                )
