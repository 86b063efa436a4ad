"""Periodic SEC reports: references in prose, fiscal year ends and deadline arithmetic.

Used by ``stale-filing``. The forms, the period each covers and when each is due come from
YAML packs with a top-level ``filings:`` key (``packs/filings.yaml``); see :func:`load_rules`.

* :func:`find_references` reads "Form 10-K for the year ended December 31, 2012", "Annual
  Report on Form 10-K for fiscal 2023", "its fiscal 2025 annual report on Form 40-F", "Form
  10-Q for the quarterly period ended June 30, 2018", "Form 10-K/A", lists of them, and a
  mangled "Form 0-K for the year ended ..." when a period follows.
* :func:`fiscal_year_end_votes` gathers evidence of the fiscal year end ("year ended June 30,
  2023", "fiscal year ends September 30", "third quarter ended March 31, 2024").
* :func:`newest_due` walks the reports that follow a cited one and returns the newest one due
  before a date, with its deadline for each filer category.

Deadlines are calendar days (or months) after the period end; a deadline on a weekend is not
moved unless asked (``roll_weekends``). Month arithmetic keeps month ends (four months after
June 30 is October 31). A 52/53-week period (ending a few days off a month end) is treated as
ending up to a week after the month end, so its deadlines are never too early.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import regex

from prlint.lazyregex import lazy
from prlint.metadata import DATE_DMY, DATE_ISO, DATE_MDY, MONTH_NAME, MONTHS, find_dates
from prlint.packs import read_pack

PACK_KEY = "filings"
BUILTIN_PACK = Path(__file__).resolve().parent.parent / "packs" / "filings.yaml"
ALL = "all"
MONTH_END_SLACK = 7  # days a 52/53-week period may end after the month end it is near

FiscalYearEnd = tuple[int, int]  # (month, day)


# -- rules ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class DueRule:
    """When a report is due: days or months after the period end, per filer category."""

    since: dt.date | None
    days: Mapping[str, int]
    months: Mapping[str, int]


@dataclass(frozen=True)
class FormRule:
    """One periodic report: its canonical name, the period it covers and its deadlines."""

    name: str
    period: str  # "annual" | "quarterly"
    variants: tuple[str, ...]
    due: tuple[DueRule, ...]
    annual: str | None = None  # for a quarterly form: the report covering the fourth quarter

    @property
    def months(self) -> int:
        return 12 if self.period == "annual" else 3

    def rule_for(self, period_end: dt.date) -> DueRule:
        for rule in self.due:
            if rule.since is None or period_end >= rule.since:
                return rule
        return self.due[-1]


@dataclass(frozen=True)
class FilingRules:
    """All forms known to a run, and the filer categories (earliest deadline first)."""

    categories: tuple[str, ...]
    labels: Mapping[str, str]
    forms: Mapping[str, FormRule]

    @cached_property
    def variant_map(self) -> dict[str, str]:
        """Normalised spelling ("10K", "10KSB") -> canonical form name."""
        return {_norm(v): f.name for f in self.forms.values() for v in (f.name, *f.variants)}

    def deadline(
        self, form: str, period_end: dt.date, category: str, *, roll_weekends: bool = False
    ) -> dt.date:
        """The day the ``form`` report for the period ending ``period_end`` is due."""
        rule = self.forms[form].rule_for(period_end)
        if category in rule.days:
            due = period_end + dt.timedelta(days=rule.days[category])
        else:
            due = add_months(period_end, rule.months[category])
        return roll_weekend(due) if roll_weekends else due


class RulesError(ValueError):
    """A ``filings:`` pack that does not have the expected shape."""


def _norm(form: str) -> str:
    return regex.sub(r"[\s\-‐‑–—]", "", form).upper()


def _category_map(value: Any, categories: Iterable[str], where: str) -> dict[str, int]:
    if not isinstance(value, Mapping):
        raise RulesError(f"{where}: expected a mapping of filer category to a number")
    out: dict[str, int] = {}
    for key, n in value.items():
        if not isinstance(n, int):
            raise RulesError(f"{where}.{key}: expected a whole number, got {n!r}")
        for cat in categories if key == ALL else [str(key)]:
            out[cat] = n
    return out


def _form_rule(name: str, spec: Any, categories: tuple[str, ...], where: str) -> FormRule:
    if not isinstance(spec, Mapping):
        raise RulesError(f"{where}: a form must be a mapping")
    period = spec.get("period")
    if period not in ("annual", "quarterly"):
        raise RulesError(f"{where}.period: expected annual or quarterly, got {period!r}")
    due = []
    for i, raw in enumerate(spec.get("due") or []):
        at = f"{where}.due[{i}]"
        if not isinstance(raw, Mapping):
            raise RulesError(f"{at}: expected a mapping")
        since = raw.get("from")
        if since is not None and not isinstance(since, dt.date):
            raise RulesError(f"{at}.from: expected a date (YYYY-MM-DD), got {since!r}")
        days = _category_map(raw.get("days", {}), categories, f"{at}.days")
        months = _category_map(raw.get("months", {}), categories, f"{at}.months")
        missing = [c for c in categories if c not in days and c not in months]
        if missing:
            raise RulesError(f"{at}: no deadline for {', '.join(missing)}")
        due.append(DueRule(since, days, months))
    if not due:
        raise RulesError(f"{where}.due: at least one deadline rule is needed")
    variants = tuple(str(v) for v in spec.get("variants") or [name])
    annual = spec.get("annual")
    return FormRule(str(name), str(period), variants, tuple(due), str(annual) if annual else None)


def rules_from(specs: Iterable[Mapping[str, Any]]) -> FilingRules:
    """Merge ``filings:`` sections in order: later categories and forms override earlier ones."""
    labels: dict[str, str] = {}
    raw_forms: dict[str, tuple[Any, str]] = {}
    for spec in specs:
        where = str(spec.get("__path__", "pack"))
        body = spec.get(PACK_KEY)
        if not isinstance(body, Mapping):
            raise RulesError(f"{where}: '{PACK_KEY}' must be a mapping")
        cats = body.get("categories") or {}
        if not isinstance(cats, Mapping):
            raise RulesError(f"{where}: '{PACK_KEY}.categories' must be a mapping")
        labels.update({str(k): str(v) for k, v in cats.items()})
        forms = body.get("forms") or {}
        if not isinstance(forms, Mapping):
            raise RulesError(f"{where}: '{PACK_KEY}.forms' must be a mapping")
        for name, form in forms.items():
            raw_forms[str(name)] = (form, f"{where}: {PACK_KEY}.forms.{name}")
    categories = tuple(labels)
    forms = {n: _form_rule(n, spec, categories, at) for n, (spec, at) in raw_forms.items()}
    for f in forms.values():
        if f.annual is not None and f.annual not in forms:
            raise RulesError(f"form {f.name}: annual form {f.annual!r} is not defined")
    return FilingRules(categories, labels, forms)


@lru_cache(maxsize=1)
def _builtin() -> dict[str, Any]:
    return read_pack(BUILTIN_PACK)


_RULES_CACHE: dict[str, FilingRules] = {}


def load_rules(packs: Iterable[Mapping[str, Any]] = ()) -> FilingRules:
    """The built-in ``filings.yaml`` merged with every pack that has a ``filings:`` key (in
    order, so a user pack may add forms or change deadlines); other packs are ignored.
    The rules of a run's packs (a tuple, the same each time) are read once."""
    if isinstance(packs, tuple) and _LAST and _LAST[0][0] is packs:
        return _LAST[0][1]
    rules = _load_rules(packs)
    if isinstance(packs, tuple):
        _LAST[:] = [(packs, rules)]
    return rules


_LAST: list[tuple[tuple[Mapping[str, Any], ...], FilingRules]] = []


def _load_rules(packs: Iterable[Mapping[str, Any]]) -> FilingRules:
    extra = [
        p for p in packs
        if PACK_KEY in p and Path(str(p.get("__path__", ""))).resolve() != BUILTIN_PACK
    ]  # fmt: skip
    key = repr([(p.get("__path__"), p[PACK_KEY]) for p in extra])
    if key not in _RULES_CACHE:
        _RULES_CACHE[key] = rules_from([_builtin(), *extra])
    return _RULES_CACHE[key]


# -- date arithmetic ------------------------------------------------------------------------
def is_month_end(d: dt.date) -> bool:
    return d.day == calendar.monthrange(d.year, d.month)[1]


def add_months(d: dt.date, n: int) -> dt.date:
    """``d`` moved by ``n`` months; a month end stays a month end, other days are clamped."""
    y, m = divmod(d.month - 1 + n, 12)
    year, month = d.year + y, m + 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, last if is_month_end(d) else min(d.day, last))


def roll_weekend(d: dt.date) -> dt.date:
    """A Saturday or Sunday moved to the next Monday (holidays are not modelled)."""
    return d + dt.timedelta(days=(7 - d.weekday()) % 7) if d.weekday() >= 5 else d


def snap(d: dt.date) -> tuple[dt.date, int]:
    """A month end within a week of ``d`` and the slack to add back, else ``(d, 0)``."""
    if is_month_end(d):
        return d, 0
    this_end = add_months(d.replace(day=1), 1) - dt.timedelta(days=1)
    prev_end = d.replace(day=1) - dt.timedelta(days=1)
    for end in (prev_end, this_end):
        if abs((d - end).days) <= MONTH_END_SLACK:
            return end, MONTH_END_SLACK
    return d, 0


def shift_period(end: dt.date, months: int) -> dt.date:
    """The end of the period ``months`` after one ending ``end`` (never too early)."""
    base, slack = snap(end)
    return add_months(base, months) + dt.timedelta(days=slack)


def fiscal_year_end_in(year: int, fye: FiscalYearEnd) -> dt.date:
    month, day = fye
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, last if month == 2 and day >= 28 else min(day, last))


def is_fiscal_year_end(d: dt.date, fye: FiscalYearEnd) -> bool:
    """Whether a period ending ``d`` ends a fiscal year (a week's tolerance: 52/53 weeks)."""
    return any(
        abs((d - fiscal_year_end_in(y, fye)).days) <= MONTH_END_SLACK
        for y in (d.year - 1, d.year, d.year + 1)
    )


def parse_fye(value: str | None) -> FiscalYearEnd | None:
    """``"06-30"`` -> (6, 30); None when absent or malformed."""
    m = regex.fullmatch(r"\s*(\d{1,2})-(\d{1,2})\s*", value or "")
    if not m:
        return None
    month, day = int(m.group(1)), int(m.group(2))
    if 1 <= month <= 12 and 1 <= day <= calendar.monthrange(2024, month)[1]:
        return month, day
    return None


def fye_of(d: dt.date) -> FiscalYearEnd:
    """The fiscal year end a period ending ``d`` implies (a 52/53-week end snaps)."""
    base, _ = snap(d)
    return base.month, 28 if base.month == 2 and base.day == 29 else base.day


# -- the reports that follow a cited one ----------------------------------------------------
@dataclass(frozen=True)
class Filing:
    """A periodic report: its form ("10-Q or 10-K" when the fiscal year end is unknown)."""

    form: str
    period_end: dt.date
    annual: bool
    forms: tuple[str, ...] = ()  # the forms it may be; the latest deadline counts


def following(
    form: str, period_end: dt.date, fye: FiscalYearEnd | None, rules: FilingRules
) -> Iterator[Filing]:
    """The periodic reports after the one ``form`` covering ``period_end``, in order."""
    rule = rules.forms[form]
    if fye is not None and not _aligned(period_end, fye, rule.months):
        # the year end changed since: the next report covers the period to the next end
        old_end, period_end = period_end, _next_aligned(period_end, fye, rule.months)
        transition = _transition(form, old_end, period_end, fye, rule)
        if transition is not None:
            yield transition
    k = 1
    while True:
        end = shift_period(period_end, rule.months * k)
        if rule.period == "annual":
            yield Filing(form, end, True, (form,))
        elif rule.annual is None:
            yield Filing(form, end, False, (form,))
        elif fye is None:
            yield Filing(f"{form} or {rule.annual}", end, False, (form, rule.annual))
        elif is_fiscal_year_end(end, fye):
            yield Filing(rule.annual, end, True, (rule.annual,))
        else:
            yield Filing(form, end, False, (form,))
        k += 1


def _transition(
    form: str, old_end: dt.date, new_end: dt.date, fye: FiscalYearEnd, rule: FormRule
) -> Filing | None:
    """The report for the months from an old fiscal period end to the first new one; an
    annual form's only for six months or more (a shorter transition period goes on a 10-Q,
    SEC Rule 13a-10, and the next annual report covers the first new fiscal year)."""
    if rule.period == "annual":
        return Filing(form, new_end, True, (form,)) if add_months(old_end, 6) <= new_end else None
    if rule.annual is None:
        return Filing(form, new_end, False, (form,))
    if is_fiscal_year_end(new_end, fye):
        return Filing(rule.annual, new_end, True, (rule.annual,))
    return Filing(form, new_end, False, (form,))


def _aligned(end: dt.date, fye: FiscalYearEnd, months: int) -> bool:
    """Whether a period ending ``end`` ends a fiscal year (or quarter, for 3 months)."""
    return any(is_fiscal_year_end(shift_period(end, k), fye) for k in range(0, 12, months))


def _next_aligned(end: dt.date, fye: FiscalYearEnd, months: int) -> dt.date:
    """The first fiscal year (or quarter) end after ``end``."""
    slack = end + dt.timedelta(days=MONTH_END_SLACK)
    ends = [
        shift_period(fiscal_year_end_in(y, fye), -k)
        for y in (end.year, end.year + 1)
        for k in range(0, 12, months)
    ]
    return min(d for d in ends if d > slack)


def deadlines(
    filing: Filing,
    rules: FilingRules,
    categories: Iterable[str],
    *,
    roll_weekends: bool = False,
) -> dict[str, dt.date]:
    """The deadline of ``filing`` for each category (the latest of the forms it may be)."""
    return {
        c: max(
            rules.deadline(f, filing.period_end, c, roll_weekends=roll_weekends)
            for f in filing.forms
        )
        for c in categories
    }


def newest_due(
    form: str,
    period_end: dt.date,
    fye: FiscalYearEnd | None,
    on: dt.date,
    rules: FilingRules,
    categories: Iterable[str],
    *,
    every: bool = False,
    roll_weekends: bool = False,
) -> tuple[Filing, dict[str, dt.date]] | None:
    """The newest report after the cited one that was due before ``on`` for the category
    with the earliest deadline (``every``: for every category), with its deadline per
    category; None if none was due."""
    cats = tuple(categories)
    pick = max if every else min
    best = None
    for filing in following(form, period_end, fye, rules):
        dues = deadlines(filing, rules, cats, roll_weekends=roll_weekends)
        if pick(dues.values()) >= on:
            break
        best = (filing, dues)
    return best


# -- references in prose --------------------------------------------------------------------
_HY = r"[\-‐‑–—]"
_DATE = rf"(?:{DATE_MDY}|{DATE_DMY}|{DATE_ISO})"
_ORD = r"(?:first|second|third|fourth|1st|2nd|3rd|4th)"
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4,
             "4th": 4}  # fmt: skip
_YEAR = r"(?:19|20)\d\d"

#: what may stand between a form and its period: "(the “2023 Form 10-K”)", ", as amended,"
_GAP = r"""(?:\s*/\s*A\b)?(?:\s*\([^()]{0,80}\))?\s*,?\s*(?:as\s+amended,?\s*)?
    (?:(?:as\s+|which\s+was\s+)?filed\s+(?:with|on)\s[^;()]{0,80}?,?\s+)?"""
_PERIOD = rf"""
    (?:for|covering)\s+(?:the\s+|its\s+|our\s+|their\s+)?
    (?:
        (?P<ord>{_ORD})?\s*(?:fiscal\s+)?
        (?P<unit>years?|quarters?|quarterly\s+periods?|(?:fiscal\s+)?periods?|
            (?:three|six|nine|twelve|3|6|9|12)[\s\-]+months?(?:\s+periods?)?)
        \s+(?P<tense>ended|ending|end)\s+(?:on\s+)?
        (?P<dates>{_DATE}(?:\s*(?:,|and|&)\s*(?:and\s+)?{_DATE})*)
      | (?:fiscal(?:\s+year)?|FY|the\s+(?:fiscal\s+)?year)\s*'?(?P<fy>{_YEAR})(?![\d\-])
      | (?P<fy2>{_YEAR})\s+fiscal\s+year
      | (?P<qord>{_ORD})\s+(?P<qfiscal>fiscal\s+)?quarter\s+(?:of\s+)?
        (?P<qfiscal2>fiscal\s+(?:year\s+)?)?
        (?P<qy>{_YEAR})(?![\d\-])
    )
"""
_PERIOD_AFTER = lazy(_GAP + _PERIOD, regex.IGNORECASE | regex.VERBOSE)
#: "fiscal 2025 annual report on Form 40-F", "the Company's 2023 Annual Report on Form 10-K"
_LABEL_BEFORE = lazy(
    rf"""(?:(?P<fiscal>fiscal)\s+(?:year\s+)?|FY\s*'?)?(?P<fy>{_YEAR})\s+(?:fiscal\s+year\s+)?
    (?:(?:annual|quarterly)\s+report\s+(?:on\s+)?)?(?:Forms?\s*)?[“"']?$""",
    regex.IGNORECASE | regex.VERBOSE,
)
_QUARTER_BEFORE = lazy(
    rf"""(?:(?P<qord>{_ORD})\s+(?P<qfiscal>fiscal\s+)?quarter\s+(?:of\s+)?(?P<qfiscal2>fiscal\s+)?
    |Q(?P<qn>[1-4])\s+(?P<qfiscal3>fiscal\s+|FY\s*)?)(?P<qy>{_YEAR})\s+
    (?:quarterly\s+report\s+(?:on\s+)?)?(?:Forms?\s*)?[“"']?$""",
    regex.IGNORECASE | regex.VERBOSE,
)
_SENTENCE_START = lazy(r"(?:[.!?;]\s|\n\s*\n)(?=[^.!?;]*$)")


@dataclass(frozen=True)
class Reference:
    """A cited periodic report, the period it names, and where (prose offsets)."""

    form: str  # canonical name
    start: int
    end: int
    amended: bool = False
    period_end: dt.date | None = None  # the latest date named ("year ended December 31, 2012")
    tense: str | None = None  # "ended" | "ending" (a past or future period)
    fiscal_year: int | None = None  # "fiscal 2023", "2023 Annual Report on Form 10-K"
    quarter: int | None = None  # 1-4 when named ("second quarter ended ...", "Q3 2024")
    quarter_year: int | None = None  # "third quarter of 2024" (no date)
    fiscal_quarter: bool = False  # "third quarter of fiscal 2024"
    mangled: bool = False  # "Form 0-K": recognised from its context

    @property
    def explicit(self) -> bool:
        return self.period_end is not None


@lru_cache(maxsize=8)
def _form_regexes(
    forms: tuple[tuple[str, str], ...],
) -> tuple[regex.Pattern[str], regex.Pattern[str]]:
    """(proper, mangled) form patterns from (variant, canonical) pairs."""
    proper, mangled = [], []
    for variant, _ in sorted(forms, key=lambda vc: -len(vc[0])):
        m = regex.fullmatch(r"(\d+)\s*-?\s*([A-Za-z][A-Za-z0-9]*)", variant)
        if not m:
            continue
        digits, letters = m.groups()
        proper.append(rf"{digits}\s?{_HY}?\s?{letters}")
        if len(digits) > 1:
            mangled.append(rf"{digits[1:]}{_HY}{letters}")
            mangled.append(rf"{digits.replace('0', 'O')}{_HY}{letters}")
    bound_l, bound_r = r"(?<![\w\-‐‑–—/.$])", r"(?![\w\-‐‑–—]|\.\d)"
    amend = r"(?P<amend>\s?/\s?A\b|\s+\(?Amendment\b)?"
    p = regex.compile(rf"{bound_l}(?P<form>{'|'.join(proper)}){bound_r}{amend}", regex.IGNORECASE)
    q = regex.compile(
        rf"\bForms?\s+(?P<form>{'|'.join(mangled)}){bound_r}{amend}", regex.IGNORECASE
    )
    return p, q


def _canonical(spelling: str, variants: Mapping[str, str]) -> str | None:
    key = _norm(spelling).replace("O", "0")
    if key in variants:
        return variants[key]
    return variants.get("1" + key)  # "0K" -> "10K"


def find_references(text: str, rules: FilingRules) -> list[Reference]:
    """Every periodic report cited in ``text`` with the period it names (or none)."""
    variants = rules.variant_map
    proper, mangled = _form_regexes(tuple((v, f) for v, f in variants.items()))
    found: dict[int, Reference] = {}
    for pattern, is_mangled in ((proper, False), (mangled, True)):
        for m in pattern.finditer(text):
            form = _canonical(m.group("form"), variants)
            if form is None or m.start("form") in found:
                continue
            ref = _reference(text, m, form, rules, mangled=is_mangled)
            if ref is not None:
                found[m.start("form")] = ref
    return _dedupe(sorted(found.values(), key=lambda r: r.start))


def _reference(
    text: str, m: regex.Match[str], form: str, rules: FilingRules, *, mangled: bool
) -> Reference | None:
    start, end = m.start("form"), m.end()
    amended = bool(m.group("amend"))
    after = _PERIOD_AFTER.match(text, end, min(len(text), end + 260))
    if after is not None:
        dates = [d for _, _, d in find_dates(after.group("dates") or "")]
        quarter = _ORDINALS.get((after.group("ord") or after.group("qord") or "").lower())
        if dates:
            return Reference(
                form, start, after.end(), amended, max(dates), after.group("tense").lower(),
                quarter=quarter, mangled=mangled,
            )  # fmt: skip
        fy = after.group("fy") or after.group("fy2")
        if fy:
            return Reference(
                form, start, after.end(), amended, fiscal_year=int(fy), mangled=mangled
            )
        if after.group("qy") and rules.forms[form].period == "quarterly":
            fiscal = bool(after.group("qfiscal") or after.group("qfiscal2"))
            return Reference(
                form, start, after.end(), amended, quarter=quarter,
                quarter_year=int(after.group("qy")), fiscal_quarter=fiscal,
            )  # fmt: skip
    if mangled:
        return None  # a mangled form counts only with its period spelled out after it
    return _label_before(text, start, end, form, amended, rules)


def _label_before(
    text: str, start: int, end: int, form: str, amended: bool, rules: FilingRules
) -> Reference:
    head = text[max(0, start - 80) : start]
    cut = _SENTENCE_START.search(head)
    head = head[cut.end() :] if cut else head
    if rules.forms[form].period == "quarterly":
        q = _QUARTER_BEFORE.search(head)
        if q:
            n = _ORDINALS.get((q.group("qord") or "").lower()) or int(q.group("qn"))
            fiscal = bool(q.group("qfiscal") or q.group("qfiscal2") or q.group("qfiscal3"))
            return Reference(
                form, start - len(head) + q.start(), end, amended, quarter=n,
                quarter_year=int(q.group("qy")), fiscal_quarter=fiscal,
            )  # fmt: skip
    else:
        lab = _LABEL_BEFORE.search(head)
        if lab:
            return Reference(
                form,
                start - len(head) + lab.start(),
                end,
                amended,
                fiscal_year=int(lab.group("fy")),
            )
    return Reference(form, start, end, amended)


def _dedupe(refs: list[Reference]) -> list[Reference]:
    """Drop a bare label ("the 2023 Form 10-K") that repeats a dated reference's period."""
    dated = {(r.form, r.period_end.year) for r in refs if r.period_end is not None}
    return [r for r in refs if r.fiscal_year is None or (r.form, r.fiscal_year) not in dated]


# -- fiscal year end evidence ---------------------------------------------------------------
_YEAR_ENDED = lazy(
    rf"\b(?:fiscal\s+)?years?\s+(?:ended|ending|end)\s+(?:on\s+)?(?P<d>{_DATE})", regex.IGNORECASE
)
_FYE_STATED = lazy(
    rf"""\bfiscal\s+year[\s\-]+end(?:s|ed|ing)?\s+(?:is\s+|was\s+|on\s+|of\s+)*
    (?P<month>{MONTH_NAME})\s+(?P<day>\d{{1,2}})(?!\d|,?\s+{_YEAR})""",
    regex.IGNORECASE | regex.VERBOSE,
)
_QUARTER_ENDED = lazy(
    rf"""\b(?P<ord>{_ORD})\s+(?:fiscal\s+)?quarter\s+(?:of\s+(?:fiscal\s+)?(?:year\s+)?{_YEAR}\s+)?
    (?:ended|ending)\s+(?:on\s+)?(?P<d>{_DATE})""",
    regex.IGNORECASE | regex.VERBOSE,
)


def _cues(text: str) -> tuple[bool, bool]:
    """Whether a text says "year" and "quarter" (in any case): what _YEAR_ENDED and
    _FYE_STATED, and _QUARTER_ENDED need (none of their letters case-folds from non-ASCII)."""
    lower = text.lower()
    return "year" in lower, "quarter" in lower


def _fye_key(fye: FiscalYearEnd) -> str:
    return f"{fye[0]:02d}-{fye[1]:02d}"


def fiscal_year_end_votes(
    text: str, refs: Iterable[Reference], rules: FilingRules
) -> dict[str, int]:
    """How often each fiscal year end ("MM-DD") is implied by the text and its references."""
    votes: Counter[str] = Counter()
    for r in refs:
        if r.period_end is not None and rules.forms[r.form].period == "annual":
            votes[_fye_key(fye_of(r.period_end))] += 2
    year, quarter = _cues(text)
    for m in _YEAR_ENDED.finditer(text) if year else ():
        for _, _, d in find_dates(m.group("d")):
            votes[_fye_key(fye_of(d))] += 1
    for m in _FYE_STATED.finditer(text) if year else ():
        month = MONTHS.get(m.group("month").lower().rstrip("."))
        day = int(m.group("day"))
        if month and 1 <= day <= calendar.monthrange(2024, month)[1]:
            votes[_fye_key(fye_of(dt.date(2024 if month == 2 else 2023, month, day)))] += 2
    for m in _QUARTER_ENDED.finditer(text) if quarter else ():
        n = _ORDINALS[m.group("ord").lower()]
        for _, _, d in find_dates(m.group("d")):
            votes[_fye_key(fye_of(shift_period(d, 3 * (4 - n))))] += 1
    return dict(votes)


def fiscal_year_end_evidence(
    text: str, refs: Iterable[Reference], rules: FilingRules
) -> list[tuple[dt.date, str]]:
    """(period end, fiscal year end "MM-DD") for each period a text names that ends a fiscal
    year: annual reports cited, "year ended ...", "third quarter ended ..." (shifted)."""
    out: list[tuple[dt.date, str]] = []
    for r in refs:
        if r.period_end is not None and rules.forms[r.form].period == "annual":
            out.append((r.period_end, _fye_key(fye_of(r.period_end))))
    year, quarter = _cues(text)
    for m in _YEAR_ENDED.finditer(text) if year else ():
        out.extend((d, _fye_key(fye_of(d))) for _, _, d in find_dates(m.group("d")))
    for m in _QUARTER_ENDED.finditer(text) if quarter else ():
        n = _ORDINALS[m.group("ord").lower()]
        for _, _, d in find_dates(m.group("d")):
            end = shift_period(d, 3 * (4 - n))
            out.append((end, _fye_key(fye_of(end))))
    return sorted(set(out))


def best_fye(votes: Mapping[str, int]) -> FiscalYearEnd | None:
    """The fiscal year end with the most votes (ties: none)."""
    ranked = sorted(votes.items(), key=lambda kv: -kv[1])
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    return parse_fye(ranked[0][0])


# -- what a reference covers ----------------------------------------------------------------
@dataclass(frozen=True)
class Period:
    """The period a reference covers: its end, or the range its end may lie in."""

    earliest: dt.date
    latest: dt.date
    exact: bool


def period_of(ref: Reference, fye: FiscalYearEnd | None) -> Period | None:
    """The end of the period a reference names, given the fiscal year end if known."""
    if ref.period_end is not None:
        return Period(ref.period_end, ref.period_end, True)
    if ref.fiscal_year is not None:
        y = ref.fiscal_year
        if fye is None:
            return Period(dt.date(y, 1, 31), dt.date(y, 12, 31), False)
        end = fiscal_year_end_in(y, fye)
        if fye[0] <= 2:  # "fiscal 2023" of a January year end may end in January 2024
            return Period(end, fiscal_year_end_in(y + 1, fye), False)
        return Period(end, end, True)
    if ref.quarter is not None and ref.quarter_year is not None:
        if ref.fiscal_quarter:
            if fye is None:
                return None
            end = shift_period(fiscal_year_end_in(ref.quarter_year, fye), -3 * (4 - ref.quarter))
        elif fye is None:  # a calendar quarter, or the same quarter of any fiscal year
            end = add_months(dt.date(ref.quarter_year, 1, 31), 3 * ref.quarter - 1)
            return Period(add_months(end, -11), end, False)
        elif fye == (12, 31):
            end = add_months(dt.date(ref.quarter_year, 1, 31), 3 * ref.quarter - 1)
        else:
            return None
        return Period(end, end, True)
    return None
