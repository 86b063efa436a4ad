"""Quantities in prose: numbers and ranges with their units, qualifiers and wording.

Used by ``fact-conflict``. :func:`find_quantities` reads "approximately 80-160 days",
"80 to 160 days", "between 80 and 160 days", "$2.5 million", "15%", "25.0 mCi/m²", "36-Patient",
"Phase 1"; numbers that are no quantities (dates, years, times, phone numbers, access codes,
ordinals, parts of names such as "CLR 131" or "COVID-19") are left out. :func:`statement_tokens`
gives the content words of a statement with numbers, qualifiers and measurement units masked,
so that two wordings of one fact can be compared with rapidfuzz. :func:`period_of` tells
whether a sentence is bound to a period ("three months ended March 31, 2025").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import regex

from prlint.lazyregex import lazy

_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_NUMBER = lazy(rf"(?<![\w.,/#@&=%:])({_NUM})(?![\d@]|[.,]\d|/\d|:\d)")

#: measurement units: pattern -> canonical name (matched right after the number)
_UNITS: dict[str, str] = {
    r"%|percent|per\s?cent|pct": "%",
    r"mci/m(?:²|2|\^2)": "mCi/m²",
    r"mg/m(?:²|2|\^2)": "mg/m²",
    r"mg/kg": "mg/kg",
    r"mci/kg": "mCi/kg",
    r"mci|millicuries?": "mCi",
    r"mcg|µg|μg|micrograms?": "mcg",
    r"mg|milligrams?": "mg",
    r"kg|kilograms?": "kg",
    r"g|grams?": "g",
    r"ml|milliliters?|millilitres?": "ml",
    r"gy|gray": "Gy",
    r"mbq|gbq": "Bq",
    r"iu": "IU",
    r"seconds?|secs?": "second",
    r"minutes?|mins?": "minute",
    r"hours?|hrs?": "hour",
    r"days?": "day",
    r"weeks?|wks?": "week",
    r"months?": "month",
    r"years?|yrs?": "year",
    r"(?:square|sq\.?)\s?(?:feet|foot|ft)": "sq ft",
    r"acres?": "acre",
    r"hectares?|ha": "hectare",
    r"miles?|mi": "mile",
    r"km|kilometers?|kilometres?": "km",
    r"feet|foot|ft": "ft",
    r"meters?|metres?": "m",
    r"(?:kw|mw|gw)h?|megawatts?|gigawatts?|kilowatts?": "W",
    r"tons?|tonnes?": "ton",
    r"barrels?|bbls?|boe": "barrel",
    r"ounces?|oz": "oz",
    r"pounds?|lbs?": "lb",
    r"gallons?": "gallon",
    r"liters?|litres?": "liter",
    r"(?:gb|tb|mb)(?:ps)?": "byte",
}
_UNIT_RE = lazy(
    r"(?:" + "|".join(f"(?P<u{i}>{p})" for i, p in enumerate(_UNITS)) + r")(?![\w/])",
    regex.IGNORECASE,
)
_UNIT_NAMES = list(_UNITS.values())
MEASURE_UNITS = frozenset(_UNIT_NAMES) | {"$"}

_SCALE = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "mm": 1e6, "m": 1e6, "mln": 1e6,
    "billion": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12,
}  # fmt: skip
_SCALE_RE = lazy(r"\s?(thousand|million|billion|trillion|mln|mm|bn|tn|k|m|b)\b", regex.I)
_CURRENCY_BEFORE = lazy(r"(?:US\$|C\$|A\$|CA\$|HK\$|\$|€|£|¥|(?:USD|EUR|GBP|CAD)\s?)$")

#: qualifier words before a number -> canonical qualifier
_QUALIFIERS = {
    "approximately": "about", "approx.": "about", "about": "about", "around": "about",
    "roughly": "about", "nearly": "about", "almost": "about", "some": "about", "~": "about",
    "estimated": "about", "over": "over", "more than": "over", "greater than": "over",
    "in excess of": "over", "upwards of": "over", "at least": "over", "exceeding": "over",
    "topping": "over", "surpassing": "over",
    ">": "over", "up to": "up to", "as many as": "up to", "as much as": "up to",
    "a maximum of": "up to", "maximum of": "up to", "less than": "under",
    "fewer than": "under", "under": "under", "below": "under", "<": "under",
}  # fmt: skip
_QUALIFIER_RE = lazy(
    r"(?:^|(?<=\s))("
    + "|".join(regex.escape(q) for q in sorted(_QUALIFIERS, key=len, reverse=True))
    + r")\s*(?:between\s+|from\s+)?$",
    regex.IGNORECASE,
)
_RANGE_SEP = lazy(
    r"\s*(?:[-–—]\s*to\s*[-–—]?|to\s*[-–—]|-|–|—|to|through|and)\s*", regex.IGNORECASE
)


#: words before a number that make it a label ("Phase 2", "type 2 diabetes")
def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


LABEL_WORDS = _wordset(
    "phase type stage grade class tier level series version cohort part arm round step wave "
    "item rule section form chapter article schedule no number gen generation figure fig "
    "table exhibit appendix note footnote slide page chart map photo image hole well zone lot "
    "unit block claim trench sample box room suite floor building route highway lane gate "
    "hall booth stand pavilion district ward region area plot line day week season episode "
    "chapter volume issue edition model"
)

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
#: spans that hold numbers which are not quantities: each kind with the cheap test of a
#: window that it needs to hold for the kind to match in it (see :func:`not_quantity_spans`)
_NOT_QUANTITY_KINDS: tuple[tuple[str, str], ...] = (
    (
        "month",
        rf"""\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:\s*[-–]\s*\d{{1,2}}(?:st|nd|rd|th)?)?
      (?:,?\s+(?:19|20)\d\d)?\b""",
    ),  # March 31, 2025; June 2-6
    ("month", rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+(?:19|20)\d\d)?\b"),
    ("sep", r"\b\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}\b"),  # 12/31/2024
    ("ampm", r"\b\d{1,2}(?::\d\d)?\s*(?:a\.?m\.?|p\.?m\.?)(?!\w)"),  # 4:30 p.m.
    (":", r"\b\d{1,2}:\d\d\b"),  # 16:30
    ("phone", r"(?:\+\d{1,3}[\s.-]?)?\(?\b\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b"),  # 212-838-3777
    ("+", r"\+\d[\d\s().-]{7,}\d"),  # +44 20 7946 0000
    ("phone", r"\b1[\s.-]?8\d\d[\s.-]\d{3}[\s.-]\d{4}\b"),  # 1-800-...
    ("ordinal", r"\b\d+(?:st|nd|rd|th)\b"),  # ordinals
    ("bracket", r"\[\d{1,3}\]|\(\d{1,2}\)|\(\d{3}\)\s?\d{3}"),  # [1], (2), (844) 808
    ("phone", r"\b\d{3}[\s.-]{1,3}\d{3}[\s.-]{1,3}\d{4}(?!\d)"),  # 604-681 -3170
    ("link", r"(?:https?://|www\.)\S+ | (?<!\S)[^\s@]+@[^\s()]+"),  # links, e-mails
    ("code", r"\b[\p{Lu}][\p{Lu}\d]*[-‑]?\d+[\p{L}\d-]*"),  # CLR131, COVID-19
    ("CODE", r"(?-i:\b\p{Lu}{2,}[ ]\d+(?:[-‑]\d+)?\b)"),  # CLR 131
    ("-", r"\b\d+-[A-Z]\b"),  # 10-K, 8-K
    (
        "street",
        r"""\b\d{1,6}[ \t]+(?:[NSEW]\.?[ \t]+)?(?:\p{Lu}[\p{L}'’]*[ \t]+){1,3}
      (?:St|Street|Rd|Road|Ave|Avenue|Blvd|Boulevard|Dr|Drive|Ln|Lane|Way|Pkwy|Parkway|Ct|
         Court|Pl|Place|Hwy|Highway|Sq|Square|Ter|Terrace|Cir|Circle)\b""",
    ),  # 123 Main St
    ("item", r"(?m:^[ \t>*+-]*\d{1,3}[.)](?=[ \t]|$))"),  # "7. " list items
    ("id", r"(?:\#|\bID\b\#?|\bNo\.)[ \t]?\d[\d-]*"),  # ID# 49-001, No. 5
)
_NQ_FLAGS = regex.VERBOSE | regex.IGNORECASE
_NOT_QUANTITY = lazy("|".join(f"(?:{p}\n)" for _, p in _NOT_QUANTITY_KINDS), _NQ_FLAGS)
_NOT_QUANTITY_RES = tuple((kind, lazy(p, _NQ_FLAGS)) for kind, p in _NOT_QUANTITY_KINDS)

# What a window must hold for a kind to match in it: a cheap test before a slow search. A cue
# may accept more than its kind matches, never less. ASCII windows (most) are tested with the
# standard library's ``re``, which agrees with ``regex`` on ASCII text; other windows with
# plain substring tests and ``regex`` patterns of the kinds' own flags.
_STREETS = (
    "St|Street|Rd|Road|Ave|Avenue|Blvd|Boulevard|Dr|Drive|Ln|Lane|Way|Pkwy|Parkway|Ct|Court|Pl|"
    "Place|Hwy|Highway|Sq|Square|Ter|Terrace|Cir|Circle"
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_STREET_WORDS = ("st", "rd", "road", "ave", "blvd", "boulevard", "dr", "ln", "lane", "way",
                 "pkwy", "ct", "court", "pl", "sq", "ter", "cir", "hwy")  # fmt: skip
#: on the lower-cased window, when it is ASCII
_ASCII_CUES = {
    "month": re.compile(rf"\b{_MONTH}\s+\d|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}"),
    "sep": re.compile(r"\d[/.-]\d{1,2}[/.-]\d"),
    "phone": re.compile(r"\d{3}\D{1,3}\d{3}"),
    "ordinal": re.compile(r"\d(?:st|nd|rd|th)"),
    "code": re.compile(r"[a-z]-?\d"),
    "-": re.compile(r"\d-[a-z]"),
    "street": re.compile(rf"[ \t](?:{_STREETS.lower()})\b"),
    "id": re.compile(r"\bid\b|\bno\."),
}
_UPPER_CODE = re.compile(r"[A-Z] \d")  # on the window as written, when it is ASCII
#: on other windows, with the flags of their kinds
_CUES = {
    "phone": lazy(r"\d{3}\D{1,3}\d{3}"),
    "ordinal": lazy(r"\d(?:st|nd|rd|th)", regex.I),
    "code": lazy(r"[\p{Lu}][-‑]?\d", regex.I),
    "CODE": lazy(r"\p{Lu} \d"),
    "street": lazy(rf"[ \t](?:{_STREETS})\b", regex.I),
}
#: characters that match an ASCII letter under IGNORECASE but do not lower-case to one
_ODD_CASE = ("\u0130", "\u017f", "\u212a")


def _cues(w: str, line_start: bool) -> dict[str, bool] | None:
    """Which kinds of :data:`_NOT_QUANTITY_KINDS` can match in a window ``w`` (``line_start``:
    it starts a line); None when it holds a letter that case-folds to ASCII (all can)."""
    ascii_ = w.isascii()
    if not ascii_ and any(c in w for c in _ODD_CASE):
        return None
    wl = w.lower()
    has = {
        "ampm": "am" in wl or "pm" in wl or "a.m" in wl or "p.m" in wl,
        ":": ":" in w,
        "+": "+" in w,
        "bracket": "[" in w or "(" in w,
        "link": "@" in w or "http" in wl or "www." in wl,
        "item": (line_start or "\n" in w) and ("." in w or ")" in w),
    }
    month = any(m in wl for m in _MONTHS)
    street = any(m in wl for m in _STREET_WORDS)
    if ascii_:
        cue = _ASCII_CUES
        has["month"] = month and cue["month"].search(wl) is not None
        has["sep"] = ("/" in w or "." in w or "-" in w) and cue["sep"].search(w) is not None
        has["phone"] = cue["phone"].search(w) is not None
        has["ordinal"] = cue["ordinal"].search(wl) is not None
        has["code"] = cue["code"].search(wl) is not None
        has["CODE"] = _UPPER_CODE.search(w) is not None
        has["-"] = "-" in w and cue["-"].search(wl) is not None
        has["street"] = street and cue["street"].search(wl) is not None
        has["id"] = "#" in w or (("id" in wl or "no." in wl) and cue["id"].search(wl) is not None)
        return has
    has["month"] = month
    has["sep"] = "/" in w or "." in w or "-" in w
    has["-"] = "-" in w
    has["id"] = "#" in w or "id" in wl or "no." in wl
    for kind, rx in _CUES.items():
        has[kind] = rx.search(w) is not None
    has["street"] = street and has["street"]
    return has


def not_quantity_spans(text: str, lo: int, hi: int) -> Iterator[tuple[int, int]]:
    """The spans ``_NOT_QUANTITY.finditer(text, lo, hi)`` finds, found faster: only the kinds
    the window can hold are searched, each ahead of the others, and at each place the first
    kind (in the pattern's order) that matches there wins, as in the one pattern."""
    has = _cues(text[lo:hi], lo == 0 or text[lo - 1] == "\n")
    if has is None:
        yield from (m.span() for m in _NOT_QUANTITY.finditer(text, lo, hi))
        return
    patterns = [p for kind, p in _NOT_QUANTITY_RES if has[kind]]
    if len(patterns) <= 1:
        yield from (m.span() for p in patterns for m in p.finditer(text, lo, hi))
        return
    ahead = [p.search(text, lo, hi) for p in patterns]
    pos = lo
    while True:
        best, first = -1, hi + 1
        for i, m in enumerate(ahead):
            if m is None:
                continue
            if m.start() < pos:  # overtaken by the last span: look again from its end
                m = ahead[i] = patterns[i].search(text, pos, hi)
                if m is None:
                    continue
            if m.start() < first:
                best, first = i, m.start()
        if best < 0:
            return
        pos = ahead[best].end()
        yield first, pos


#: product or trial codes: "CLR 131", "NCT02952508", "GEO-CM04S1"
_CODE = lazy(
    r"\bNCT\d{8}\b|\b[A-Z][A-Z]+[-‑ ]?\d+[A-Za-z\d-]*\b|\b[A-Z][A-Za-z]*-[A-Z\d]*\d[A-Z\d]*\b"
)
_TITLE_WORD = lazy(r"\b\p{L}{4,}")
_BETWEEN = lazy(r"\b(?:between|from)\s+$", regex.I)
_BETWEEN_CUR = lazy(r"\b(?:between|from)\s+\S*$", regex.I)
_GAP = lazy(r"[ \t]?-?[ \t]?")
_WORD_BEFORE = lazy(r"([\p{L}]+)\.?\s*#?\s*$")
_CODE_SEP = lazy(r"[-‑ ]")
_NON_WORD = lazy(r"\W+")
_WORD = lazy(r"[\p{L}][\p{L}\p{M}'’]*(?:[-‑][\p{L}\p{M}]+)*|[$%#]")

STOPWORDS = _wordset(
    "a an the of and or to in on at by for with from as is are was were be been being will "
    "would shall should can could may might must has have had do does did that which who whom "
    "this these those it its their our we us they them he she his her you your than then also "
    "such into onto upon per via each any all both either other about approximately over more "
    "up least nearly around roughly some including include includes included"
)

#: words that bind a statement to a reporting period
_PERIOD_CUE = lazy(
    r"""\b(?:quarter(?:ly)?|fiscal|year[-\s]ended|months?\s+ended|weeks?\s+ended|period\s+ended|
    year[-\s](?:over|on)[-\s]year|yoy|ytd|year[-\s]to[-\s]date|as\s+of|compared\s+(?:to|with)|
    prior[-\s]year|last\s+year|previous\s+year|revenues?|net\s+(?:loss|income|sales)|
    ebitda|gross\s+(?:profit|margin)|operating\s+(?:expenses|loss|income|costs)|
    cash(?:\s+and\s+cash\s+equivalents|\s+used|\s+provided|\s+position|\s+balance)?|
    per\s+share|earnings|eps|sales|bookings|backlog|shares?|warrants?|offering|placement|
    tranche|priced|units?|estimates?|consensus|forecasts?|guidance|projections?|debt|peers?|market\s+cap(?:itali[sz]ation)?|valued\s+at|valuation|price[sd]?|
    increased?|increasing|decreased?|decreasing|declined?|rose|grew|growth|fell|dropped|
    improved?|improvement)\b""",
    regex.VERBOSE | regex.IGNORECASE,
)
_PERIOD = lazy(
    rf"""\b(?:(?:first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter(?:\s+of)?(?:\s+fiscal)?
    (?:\s+year)?\s*(?:(?:19|20)\d\d)?|q[1-4]\s*'?(?:(?:19|20)?\d\d)?|fy\s*'?(?:19|20)?\d\d|
    (?:first|second)\s+half(?:\s+of)?\s*(?:(?:19|20)\d\d)?|h[12]\s*(?:(?:19|20)\d\d)?|
    {_MONTH}\s+\d{{1,2}},?\s+(?:19|20)\d\d|{_MONTH}\s+(?:19|20)\d\d|(?:19|20)\d\d)\b""",
    regex.VERBOSE | regex.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number or range in a text, with its unit and qualifier."""

    start: int
    end: int
    low: float
    high: float
    unit: str  # a measurement unit ("day", "%", "$"), "label:phase", a counted noun, or ""
    qualifier: str = ""  # "", "about", "over", "under", "up to"
    text: str = ""  # the surface form, e.g. "approximately 80-160 days"
    ulp: float = 1.0  # the place of the last written digit (5.0 million -> 100,000)

    @property
    def is_range(self) -> bool:
        return self.low != self.high


def singular(word: str) -> str:
    """A rough singular of an English noun, lower-cased ("centers" -> "center")."""
    w = word.lower()
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def find_quantities(text: str, start: int = 0, end: int | None = None) -> list[Quantity]:
    """Quantities in ``text[start:end]``, in order (offsets are offsets of ``text``)."""
    end = len(text) if end is None else end
    segment = text[start:end]
    skip: list[tuple[int, int]] = []
    seen_to = 0
    title = _Title(segment)
    out: list[Quantity] = []
    pos = 0
    for m in _NUMBER.finditer(segment):
        if m.end() + 30 > seen_to:  # the spans not to read, found only around numbers
            lo = max(seen_to, m.start() - 40)
            seen_to = min(len(segment), m.end() + 60)
            skip.extend(
                x for x in not_quantity_spans(segment, lo, seen_to) if not _inside(skip, *x)
            )
        if m.start() < pos or _inside(skip, m.start(), m.end()):
            continue
        q = _Reader(segment, skip, title).read(m)
        if q is None:
            continue
        pos = q.end
        out.append(
            Quantity(
                q.start + start, q.end + start, q.low, q.high, q.unit, q.qualifier, q.text, q.ulp
            )
        )
    return out


def _number(raw: str) -> tuple[float, float]:
    """(value, place of the last digit) of a written number."""
    digits = raw.replace(",", "")
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    return float(digits), 10.0**-decimals


class _Title:
    """Whether a text is in title case (most of its longer words capitalised), read once and
    only when asked."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.answer: bool | None = None

    def __call__(self) -> bool:
        if self.answer is None:
            words = _TITLE_WORD.findall(self.text)
            self.answer = sum(1 for w in words if w[0].isupper()) * 2 > len(words)
        return self.answer


class _Reader:
    """Reads one quantity around a number match: currency, scale, unit, range, qualifier."""

    def __init__(self, text: str, skip: list[tuple[int, int]], title: _Title) -> None:
        self.text = text
        self.skip = skip
        self.title = title

    def read(self, m: regex.Match[str]) -> Quantity | None:
        text = self.text
        s, raw = m.start(), m.group(1)
        cur = _CURRENCY_BEFORE.search(text, max(0, s - 6), s)
        money = cur is not None
        if cur is not None:
            s = cur.start()
        low, ulp = _number(raw)
        scale, pos = _scale_after(text, m.end(), money)
        unit, pos = _unit_after(text, pos)
        if not unit and not scale and text[pos : pos + 1].isalnum():
            return None  # "5G", "3D": part of a name
        scale = scale or 1.0
        low, ulp, high = low * scale, ulp * scale, low * scale
        rng = self._range_end(pos, money, scale, unit, s)
        if rng is not None and rng[0] * (1.0 if rng[1] != 1.0 or scale == 1.0 else scale) <= low:
            rng = None  # "from $7.1M to $1.2M" is a change, not a range
        if rng is not None:
            high, hi_scale, unit2, pos = rng
            if hi_scale != 1.0 and scale == 1.0:
                low, ulp = low * hi_scale, ulp * hi_scale
            unit = unit or unit2
        if rng is not None:
            b = _BETWEEN.search(text[max(0, s - 10) : s])
            s -= len(b.group()) if b else 0
        if money:
            unit = "$"
        if not unit:
            unit = _label(text, s)
        if not unit:
            abbr = _ABBREVIATION.match(text, pos)  # "97 U.S. patents": a modifier, no name
            noun = _NOUN.match(text, abbr.end() if abbr else pos)
            if noun and noun.group(1)[0].isupper() and not self.title():
                return None  # "82 Dental", "7 Eleven": a name, not a count
            unit = _count_noun(text, abbr.end() if abbr else pos)
        plain = "," not in raw and "." not in raw
        if not unit and plain and (len(raw) >= 5 or (1900 <= low <= 2100 and high == low)):
            return None  # identifiers (access codes) and years (a statement's period)
        counted = unit and unit not in MEASURE_UNITS and not unit.startswith("label:")
        year = plain and 1900 <= low <= 2100 and high == low
        if counted and year and text[m.end() : m.end() + 1] != "-":
            return None  # "2024 results": a year
        qual = ""
        qm = _QUALIFIER_RE.search(text, max(0, s - 30), s)
        if qm:
            qual = _QUALIFIERS[qm.group(1).lower()]
            s = qm.start()
        yearish = unit in ("", "year") or not (unit.startswith("label:") or unit in MEASURE_UNITS)
        if yearish and plain and 1900 <= low < high <= 2100:
            return None  # "2020-2023": a span of years
        return Quantity(s, pos, low, high, unit, qual, text[s:pos].strip(), ulp)

    def _range_end(
        self, pos: int, money: bool, scale: float, unit: str, start: int
    ) -> tuple[float, float, str, int] | None:
        """(high, its scale, its unit, end) when a range goes on at ``pos``."""
        text = self.text
        sep = _RANGE_SEP.match(text, pos)
        if not sep:
            return None
        word = sep.group().strip().lower()
        between = _BETWEEN_CUR.search(text[max(0, start - 12) : start])
        if word == "and" and not between:
            return None
        m2 = _SECOND.match(text, sep.end())
        if m2 is None:
            return None
        s2, e2, raw2 = m2.start(1), m2.end(), m2.group(1)
        if _inside(self.skip, s2, e2):
            return None
        hi, _ = _number(raw2)
        hi_scale, p2 = _scale_after(text, e2, money)
        unit2, p2 = _unit_after(text, p2)
        if unit and unit2 and unit2 != unit:
            return None
        spaced = word in ("-", "–", "—") and " " in sep.group() and not between
        if spaced and not (money or unit or unit2 or hi_scale or scale != 1.0):
            return None  # "Phase 1 - 2024": a dash between clauses
        hi_scale = hi_scale or scale
        return hi * hi_scale, hi_scale, unit2, p2


def _unit_after(text: str, pos: int) -> tuple[str, int]:
    """(canonical unit, end) of a measurement unit at ``pos`` (after optional space/hyphen)."""
    m = _GAP.match(text[pos : pos + 3])
    skip = m.end() if m else 0
    u = _UNIT_RE.match(text, pos + skip)
    if not u:
        return "", pos
    name = _UNIT_NAMES[int(str(u.lastgroup)[1:])]  # the one unit's group that matched
    if u.group() in ("G", "M", "B", "K", "T") or (
        skip and u.group().lower() in ("m", "g", "ha", "mi", "ft", "iu", "oz", "pct")
    ):
        return "", pos  # "5 m", "6 g": too ambiguous when spelled apart
    return name, u.end()


def _scale_after(text: str, pos: int, money: bool) -> tuple[float, int]:
    """(scale, end) of "million", "bn", "K" after a number (0.0 when there is none)."""
    sm = _SCALE_RE.match(text, pos)
    if not sm:
        return 0.0, pos
    word = sm.group(1).lower()
    if not money and (len(word) <= 2 or word == "mln"):
        return 0.0, pos  # "5m", "3b" without a currency: not a scale
    if len(word) == 1 and sm.group().startswith(" "):
        return 0.0, pos
    return _SCALE[word], sm.end()


_SECOND = lazy(rf"(?:US\$|\$|€|£)?\s?({_NUM})(?![\d@]|[.,]\d|/\d|:\d)")
_NOUN = lazy(r"[ \t]*-?[ \t]*([\p{L}][\p{L}'’]*)")
_ABBREVIATION = lazy(r"[ \t]+(?:\p{Lu}\.){2,}(?=[ \t])")  # "U.S.", "U.K."


def _count_noun(text: str, pos: int) -> str:
    """The word counted after a bare number ("8 patents" -> "patent"), if it is a noun-ish."""
    m = _NOUN.match(text, pos)
    if not m:
        return ""
    low = m.group(1).lower()
    if low in STOPWORDS or len(low) < 3:
        return ""
    return singular(low)


def _label(text: str, start: int) -> str:
    m = _WORD_BEFORE.search(text[max(0, start - 20) : start])
    if m and m.group(1).lower() in LABEL_WORDS:
        return "label:" + m.group(1).lower()
    return ""


_CURRENCY_CODE = lazy(r"(?:USD|EUR|GBP|CAD|AUD|CHF|JPY|CNY|HKD|INR|SGD)[-‑ ]?\d")


def codes(text: str) -> list[str]:
    """Product and trial codes in a text, normalised ("CLR 131" -> "CLR131"); an amount in
    a currency ("EUR 225") is none."""
    return [
        _CODE_SEP.sub("", m.group()).upper()
        for m in _CODE.finditer(text)
        if not _CURRENCY_CODE.match(m.group())
    ]


def statement_tokens(text: str, quantities: list[Quantity], offset: int = 0) -> list[str]:
    """Content words of a statement, with quantities masked as ``#`` and stop words dropped.

    Units and qualifiers belong to the quantity, so "over 70 xenograft models" and "more than
    80 xenograft models" give the same tokens.
    """
    parts: list[str] = []
    pos = offset
    for q in quantities:
        parts.append(text[pos : q.start].replace("#", " "))  # only values are "#"
        parts.append(" # ")
        pos = q.end
    parts.append(text[pos:].replace("#", " "))
    masked = "".join(parts)
    return [t for t in map(_token, _WORD.findall(masked)) if t]


@lru_cache(maxsize=1 << 14)
def _token(word: str) -> str:
    """A word's token in a statement ("" for a stop word): lower case, singular, unhyphenated."""
    low = word.lower().replace("’", "'")
    if low in STOPWORDS or (low.endswith("'s") and low[:-2] in STOPWORDS):
        return ""
    if low == "#":
        return "#"
    return singular(low.replace("-", "").replace("‑", ""))


def period_of(sentence: str) -> tuple[str, bool]:
    """(period key, bound): the explicit periods a sentence names, and whether it reports a
    period's figures (a financial result, a change) so that other periods are not conflicts."""
    found = {_NON_WORD.sub(" ", m.group().lower()).strip() for m in _PERIOD.finditer(sentence)}
    bound = any(
        not (_VERB_USE.match(sentence, m.end()) and not _NOUN_USE.search(sentence, 0, m.start()))
        for m in _PERIOD_CUE.finditer(sentence)
    )
    return " | ".join(sorted(found)), bound


#: a cue word used as a verb with its object ("offering a tool", "shares its vision") binds
#: no period
_VERB_USE = lazy(
    r"(?<=\b(?:offering|shares))\s+(?:a|an|the|its|their|his|her|our|your)\b",
    regex.IGNORECASE,
)
_NOUN_USE = lazy(
    r"\b(?:the|a|an|its|their|our|this|that|public|private|direct|registered|secondary|"
    r"initial|underwritten|proposed|common|preferred)\s+$",
    regex.IGNORECASE,
)


_DAY = lazy(rf"\b{_MONTH}\s+\d{{1,2}}\b(?!,?\s+(?:19|20)\d\d)", regex.IGNORECASE)


def periods(text: str) -> frozenset[str]:
    """The periods and dates a text names ("Q2 2025", "June 30, 2024", "2023", "June 30")."""
    found = [m.group() for m in _PERIOD.finditer(text)] + [m.group() for m in _DAY.finditer(text)]
    return frozenset(_NON_WORD.sub(" ", f.lower()).strip() for f in found)


def agree(a: Quantity, b: Quantity) -> bool:
    """Whether two values of one fact can both be true (rounding and qualifiers allowed)."""
    if _close(a.low, b.low, a, b) and _close(a.high, b.high, a, b):
        return True
    for x, y in ((a, b), (b, a)):
        if x.is_range and not y.is_range and x.low <= y.low <= x.high:
            return True  # "50-100 systems" and "80 systems"
        if x.qualifier == "up to" and y.high <= x.high and y.qualifier != "up to":
            return True  # "up to 15 centers" and "approximately 10 centers"
        if x.qualifier == "under" and y.high < x.low and y.qualifier != "under":
            return True
    return False


def _close(x: float, y: float, a: Quantity, b: Quantity) -> bool:
    """Equal up to the rounding of the less precise value ("$5.0 million" = "$5,012,000",
    "nearly 60,000" = "59,192"); a rounding the wording marks ("approximately 5,000") stops
    short of the next round value (4,500 is not approximately 5,000)."""
    place = max(_round_place(a), _round_place(b))
    eps = 1e-9 * max(abs(x), abs(y))
    if place > max(a.ulp, b.ulp):
        return abs(x - y) < place / 2 - eps
    return abs(x - y) <= place / 2 + eps


def _round_place(q: Quantity) -> float:
    """The place a value is rounded to: its last digit, or its zeros when it is approximate."""
    if q.qualifier != "about" or q.is_range or q.low < 1000 or q.ulp < 1:
        return q.ulp
    place = q.ulp
    while q.low % (place * 10) == 0:
        place *= 10
    return place


def describe(q: Quantity) -> str:
    """How a value reads in a message: its surface form without the qualifier."""
    return q.text
