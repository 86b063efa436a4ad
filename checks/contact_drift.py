"""contact-drift: one organisation's or person's phone number given differently across releases."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from rapidfuzz.distance import OSA

from prlint.api import Check, CheckContext, Diagnostic, Extraction, Insight, Related, Severity
from prlint.checks.lib import insights
from prlint.checks.lib.entities import (
    ENTITY_CHECKS,
    DomainUse,
    EntityFacts,
    PhoneUse,
    anchor_of,
    extract_entities,
)
from prlint.corpus import Corpus
from prlint.document import Document


@dataclass
class _Number:
    """One phone number as the corpus gives it: where, and for whom."""

    number: str
    digits: str
    uses: list[tuple[int, PhoneUse]] = field(default_factory=list)
    owners: set[tuple[str, str]] = field(default_factory=set)

    @property
    def docs(self) -> set[int]:
        return {d for d, _ in self.uses}

    @property
    def mailboxes(self) -> set[str]:
        """The e-mail local parts given next to it (whose direct line it is)."""
        return {u.mailbox.split("@")[0] for _, u in self.uses if u.mailbox}

    @property
    def fax(self) -> bool:
        return any("fax" in u.label.casefold() for _, u in self.uses)


def _one_box(x: str, y: str) -> bool:
    """Whether two e-mail local parts are one, a word glued before one of them aside
    ("groupinfo" of "Splash Beverage GroupInfo@..." is "info")."""
    short, long_ = sorted((x, y), key=len)
    return short == long_ or (len(short) >= 3 and long_.endswith(short))


def _pretty(number: str) -> str:
    import phonenumbers  # imported on first use: a warm run needs none

    num = phonenumbers.parse(number)
    fmt = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if num.country_code == 1
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(num, fmt)


def _address_slip(a: str, b: str) -> bool:
    """Mailbox names a slip apart: one edit (or a swap) in names of five letters or more."""
    if min(len(a), len(b)) < 5 or abs(len(a) - len(b)) > 1:
        return False
    return OSA.distance(a, b, score_cutoff=1) <= 1


def _differ(a: str, b: str) -> int:
    """Digits in which two numbers of the same length differ (99 for other lengths)."""
    if len(a) != len(b):
        return 99
    return sum(x != y for x, y in zip(a, b, strict=True))


class ContactDrift(Check):
    """One organisation's or person's phone number or e-mail given differently across releases.

    Phone numbers are normalised (``(347) 204-4226`` and ``347-204-4226`` are one number) and
    tied to whom they belong: the company the release is about and the e-mail domains of the
    contact block around them. Two numbers of one owner that differ in one or two digits and
    never appear in the same release are a finding: on the outlier when one number is in more
    releases, on both when it is one against one, with ``related`` pointing at the other.
    Numbers that differ in more digits or in the country or area code are different lines,
    and so are direct lines of one switchboard: numbers of one exchange given with other
    people's e-mail addresses (with the same address they are one line), or, where no address
    tells, an exchange the owner gives three or more numbers of.
    Likewise an e-mail mailbox a
    letter away from the one the other releases give at the same domain
    (``investor@zenatech.com`` for ``investors@zenatech.com``) is reported.

    Passes::

        LHA Investor Relations 212-838-3777 mmiller@lhai.com   (in every release)

    Fails::

        LHA Investor Relations 212-828-3777 afields@lhai.com   (in one release)
        -> '(212) 828-3777' differs in 1 digit from '(212) 838-3777', given for lhai.com in
           1 other release
    """

    name = "contact-drift"
    severity = Severity.WARNING
    summary = "one organisation's or person's phone or e-mail given differently across releases"
    reads = ENTITY_CHECKS
    cross_release = True

    def extract(self, doc: Document, ctx: CheckContext) -> Extraction:
        return Extraction(facts=extract_entities(doc))

    def compare(self, corpus: Corpus, ctx: CheckContext) -> Iterable[Diagnostic]:
        return self._compare(corpus, ctx, every_owner=False)

    def _compare(
        self, corpus: Corpus, ctx: CheckContext, *, every_owner: bool
    ) -> Iterator[Diagnostic]:
        """The findings; unless ``every_owner``, the numbers of an owner that no reported
        release gives a number of are not paired (nothing reported can come of them)."""
        model = corpus.companies
        paths = [rec.path for rec, _ in corpus.facts(self.name)]
        index = {p: i for i, p in enumerate(paths)}
        numbers: dict[str, _Number] = {}
        self._pairs: dict[str, str] = {}  # odd number -> usual number (for insights)
        reported: set[str] = set()  # the numbers reported releases give
        for rec, facts in corpus.facts(self.name):
            if not isinstance(facts, EntityFacts):
                continue
            i = index[rec.path]
            issuer = model.company_of(rec.path)
            for use in facts.phones:
                n = numbers.setdefault(use.number, _Number(use.number, use.number[1:]))
                n.uses.append((i, use))
                if issuer is not None:
                    n.owners.add(("company", issuer))
                n.owners |= {("e-mail", d) for d in use.emails}
                if rec.reported:
                    reported.add(use.number)
        by_owner: dict[tuple[str, str], list[_Number]] = defaultdict(list)
        for n in numbers.values():
            for owner in n.owners:
                by_owner[owner].append(n)
        if not every_owner:  # the owners of a number some reported release gives
            mine = {owner for number in reported for owner in numbers[number].owners}
            by_owner = {owner: group for owner, group in by_owner.items() if owner in mine}
        pairs: dict[tuple[str, str], tuple[str, str]] = {}
        for owner, group in sorted(by_owner.items(), key=lambda kv: (kv[0][0] != "e-mail", kv[0])):
            for a, b in self._close_pairs(group):
                pair = (min(a.number, b.number), max(a.number, b.number))
                pairs.setdefault(pair, owner)
        for (x, y), owner in sorted(pairs.items()):
            company = model.companies.get(owner[1]) if owner[0] == "company" else None
            whose = company.name if company is not None else owner[1]
            yield from self._report(ctx, paths, corpus, numbers[x], numbers[y], whose)
        yield from self._addresses(ctx, corpus, paths, index)

    def insights(self, corpus: Corpus, ctx: CheckContext) -> Iterable[Insight]:
        """Per company, the phone numbers its releases give (two releases or more) and the
        numbers found to drift from them, one point per release and number."""
        for _ in self._compare(corpus, ctx, every_owner=True):  # fills self._pairs
            pass
        model = corpus.companies
        seen: dict[str, set[str]] = defaultdict(set)
        for rec, facts in corpus.facts(self.name):
            if isinstance(facts, EntityFacts):
                for use in facts.phones:
                    seen[use.number].add(rec.path)
        t = insights.table()
        for rec, facts in corpus.facts(self.name):
            owner = model.company_of(rec.path)
            if owner is None or not isinstance(facts, EntityFacts):
                continue
            for use in facts.phones:
                usual = self._pairs.get(use.number)
                if usual is not None:
                    status, key_ = "variant", usual
                elif len(seen[use.number]) >= 2:
                    status, key_ = "canonical", use.number
                else:
                    continue
                insights.add(
                    t, owner, _pretty(key_), _pretty(use.number), rec.path, use.loc[0], status
                )
        yield from insights.emit(corpus, "contacts", t)

    def _addresses(
        self, ctx: CheckContext, corpus: Corpus, paths: list[str], index: dict[str, int]
    ) -> Iterator[Diagnostic]:
        """E-mail addresses of one domain whose names are a letter apart (investor@, investors@)."""
        mailboxes: dict[str, dict[str, list[tuple[int, DomainUse]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for rec, facts in corpus.facts(self.name):
            if isinstance(facts, EntityFacts):
                ds = facts.domains
                for j, email in enumerate(ds.email):  # columns: few uses are addresses
                    if email and "." not in email.strip("."):
                        mailboxes[ds.domain[j]][email].append((index[rec.path], ds.use(j)))
        for domain, boxes in sorted(mailboxes.items()):
            if len(boxes) < 2 or len(boxes) > 50:
                continue
            docs = {box: {d for d, _ in uses} for box, uses in boxes.items()}
            names = sorted(boxes)
            for i, a in enumerate(names):
                for b in names[i + 1 :]:
                    if docs[a] & docs[b] or not _address_slip(a, b):
                        continue
                    na, nb = len(docs[a]), len(docs[b])
                    sides = [(a, b)] if na < nb else [(b, a)] if nb < na else [(a, b), (b, a)]
                    for odd, usual in sides:
                        if len(docs[odd]) > 1:
                            continue
                        first_doc, first_use = min(boxes[usual], key=lambda u: u[0])
                        related = anchor_of(paths[first_doc], first_use.loc).related(
                            f"'{usual}@{domain}' given here"
                        )
                        n = len(docs[usual])
                        for doc, use in boxes[odd]:
                            if corpus.is_reported(paths[doc]):
                                yield ctx.diagnostic(
                                    anchor_of(paths[doc], use.loc),
                                    f"'{odd}@{use.written}' looks like '{usual}@{use.written}', "
                                    f"given in {n} other release{'' if n == 1 else 's'}",
                                    related=[related],
                                )

    def _close_pairs(self, group: list[_Number]) -> Iterator[tuple[_Number, _Number]]:
        """Pairs one or two digits apart, bucketed by the digits outside two positions."""
        buckets: dict[tuple[int, int, str], list[_Number]] = defaultdict(list)
        for n in group:
            d = n.digits
            for p in range(len(d)):
                for q in range(p + 1, len(d)):
                    buckets[(p, q, d[:p] + d[p + 1 : q] + d[q + 1 :])].append(n)
        exchanges = Counter(n.digits[:-4] for n in group)
        seen: set[tuple[str, str]] = set()
        for members in buckets.values():
            if len(members) < 2:
                continue
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    pair = (min(a.number, b.number), max(a.number, b.number))
                    if pair in seen or a.number == b.number:
                        continue
                    seen.add(pair)
                    if a.docs & b.docs or a.fax != b.fax:
                        continue  # both in one release: two lines, not a slip
                    if 1 <= _differ(a.digits, b.digits) <= 2 and not self._lines(a, b, exchanges):
                        yield a, b

    def _lines(self, a: _Number, b: _Number, exchanges: Counter[str]) -> bool:
        """Different lines: other offices (country or area code), direct lines of one
        switchboard (numbers of one exchange given with other people's e-mail addresses, or,
        where no address tells, an exchange the owner gives three or more numbers of)."""
        diff = [i for i, (x, y) in enumerate(zip(a.digits, b.digits, strict=True)) if x != y]
        n = len(a.digits)
        area = n - 7  # country code and area code: another office, not a slip
        if any(i < area for i in diff):
            return True
        if a.digits[:-4] != b.digits[:-4]:
            return False
        if a.mailboxes and b.mailboxes:  # whose line it is: one person's, or two people's
            return not any(_one_box(x, y) for x in a.mailboxes for y in b.mailboxes)
        return exchanges[a.digits[:-4]] >= 3

    def _report(
        self,
        ctx: CheckContext,
        paths: list[str],
        corpus: Corpus,
        a: _Number,
        b: _Number,
        whose: str,
    ) -> Iterator[Diagnostic]:
        da, db = len(a.docs), len(b.docs)
        sides = [(a, b)] if da < db else [(b, a)] if db < da else [(a, b), (b, a)]
        digits = _differ(a.digits, b.digits)
        for odd, usual in sides:
            first_doc, first_use = min(usual.uses, key=lambda u: u[0])
            related: list[Related] = [
                anchor_of(paths[first_doc], first_use.loc).related(
                    f"'{_pretty(usual.number)}' given here"
                )
            ]
            n_usual = len(usual.docs)
            self._pairs.setdefault(odd.number, usual.number)
            for doc, use in odd.uses:
                if not corpus.is_reported(paths[doc]):
                    continue
                yield ctx.diagnostic(
                    anchor_of(paths[doc], use.loc),
                    f"'{_pretty(odd.number)}' differs in {digits} digit"
                    f"{'' if digits == 1 else 's'} from '{_pretty(usual.number)}', given for "
                    f"{whose} in {n_usual} other release{'' if n_usual == 1 else 's'}",
                    related=related,
                )
