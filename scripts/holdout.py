"""Build a labelled held-out corpus from an archive of releases, defects planted as the dev sets'.

    python scripts/holdout.py /tmp/pra /tmp/holdout --companies 30 --seed 1 \
        --exclude ../shared/devset ../shared/devset-md
    prlint check /tmp/holdout --format json > /tmp/holdout.json
    python ../shared/eval/score.py /tmp/holdout/labels.jsonl /tmp/holdout.json --root /tmp/holdout

Companies are the issuers of the wire releases that give a ticker ("Acme, Inc. (NASDAQ:
ACME)"), with six releases or more; those whose tickers the ``--exclude`` folders name are
left out, so the set holds companies no rule was tuned on. Each company gets up to eight
releases, laid out ``company/YYYY-MM-DD_slug.md`` as in ``devset-md``, and these defects:

* ``company-name``: two misspellings of the company's name word (a letter doubled, dropped,
  swapped with the next or replaced, twice for a quarter of the words of seven letters or
  more; the first letter kept), each in one to three uses of one release;
* ``url-drift``: the company's web domain misspelt, or given another top-level domain, once;
* ``contact-drift``: one digit changed in one use of a phone number that two releases give;
* ``fact-conflict``: one figure changed in one copy of a sentence that two releases repeat
  (``--facts N``: in up to N such sentences, a sentence repeated within one release counting
  too, as the dev sets plant several conflicts in one company).

The unchanged sides of a contact or a fact are labelled ``neutral``. Nothing here reads
prlint: the planting is its own, and a held-out score says how the rules hold on releases
they never saw (it resembles, but is not, the hidden sets' planting).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import string
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

WIRES = ("ibn", "newmediawire")
TICKER = re.compile(
    r"(?P<name>[A-Z][\w.&'’-]*(?:,? [A-Z&][\w.&'’-]*){0,5}),? \((?:NASDAQ|Nasdaq|NYSE|"
    r"NYSE American|OTCQB|OTCQX|OTC|CSE|TSXV|TSX|CBOE)[A-Za-z ]*: ?(?P<ticker>[A-Z]{2,5})\b"
)
DOMAIN = re.compile(r"\b(?:https?://)?(?:www\.)?(?P<label>[a-z0-9-]{4,})\.(?P<tld>com|net|io|ai)\b")
PHONE = re.compile(r"(?<![\d-])(?:\(\d{3}\) ?|\d{3}-)\d{3}-\d{4}(?!\d)")
#: a count or amount before the word it counts ("14,000 dairy cows", "65 million gallons")
FIGURE = re.compile(r"(?<=[\s(])(?P<n>\d{1,3}(?:,\d{3})+|\d{2,5})(?=\+?\s[a-z])")
#: legal forms and the trade words that follow a name (Acme Capital Group): not its own word
LEGAL = {
    "inc", "corp", "corporation", "ltd", "limited", "plc", "llc", "co", "holding", "holdings",
    "group", "capital", "pharma", "biopharma", "pharmaceuticals", "therapeutics", "media",
    "technologies", "technology", "industries", "financial", "mining", "resources", "metals",
    "brands", "products", "solutions", "systems", "global", "international", "partners",
}  # fmt: skip
OTHER_TLDS = {"com": ["net", "org", "co"], "net": ["com"], "io": ["com"], "ai": ["com"]}


@dataclass
class Release:
    source: Path
    name: str  # company/YYYY-MM-DD_slug.md
    lines: list[str]


@dataclass
class Company:
    ticker: str
    name: str
    releases: list[Release] = field(default_factory=list)
    labels: list[dict[str, object]] = field(default_factory=list)

    def label(self, rel: Release, line: int, check: str, kind: str, note: str) -> None:
        self.labels.append(
            {"path": rel.name, "line": line + 1, "check": check, "kind": kind, "note": note}
        )


def issuer(text: str) -> tuple[str, str] | None:
    """(name, ticker) of the first ticker slot in the first 1,500 characters."""
    m = TICKER.search(text[:1500])
    return (m.group("name"), m.group("ticker")) if m else None


def excluded_tickers(folders: list[Path]) -> set[str]:
    out: set[str] = set()
    for folder in folders:
        for f in folder.rglob("*"):
            if f.suffix in (".md", ".txt"):
                for m in TICKER.finditer(f.read_text(encoding="utf-8", errors="replace")):
                    out.add(m.group("ticker"))
    return out


def companies(archive: Path, exclude: set[str]) -> dict[str, list[tuple[Path, str]]]:
    """Ticker -> (file, issuer name) of its releases, in path (date) order."""
    found: dict[str, list[tuple[Path, str]]] = defaultdict(list)
    for wire in WIRES:
        for f in sorted((archive / wire).rglob("*.md")):
            got = issuer(f.read_text(encoding="utf-8", errors="replace"))
            if got and got[1] not in exclude:
                found[got[1]].append((f, got[0]))
    return {t: fs for t, fs in found.items() if len(fs) >= 6}


def name_word(company: Company) -> str | None:
    """The issuer name's first word of five characters or more, no legal form or trade, used
    fifteen times or more in its releases (the distinctive word: "Aemetis" of "Aemetis, Inc.";
    a company only mentioned in a wire's articles has too few uses to misspell some)."""
    words = re.findall(r"[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*", company.name)
    text = "\n".join(line for r in company.releases for line in r.lines)
    for w in words:
        if len(w) >= 5 and w.lower() not in LEGAL and len(re.findall(rf"\b{w}\b", text)) >= 15:
            return w
    return None


def typo(word: str, rng: random.Random) -> str:
    """``word`` with one slip past its first letter: doubled, dropped, swapped or replaced."""
    for _ in range(20):
        i = rng.randrange(1, len(word) - 1)
        op = rng.choice(("double", "drop", "swap", "replace"))
        if op == "double":
            out = word[: i + 1] + word[i] + word[i + 1 :]
        elif op == "drop":
            out = word[:i] + word[i + 1 :]
        elif op == "swap":
            out = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        else:
            out = word[:i] + rng.choice(string.ascii_lowercase) + word[i + 1 :]
        if out != word and out.lower() != word.lower():
            return out
    return word + word[-1]


def plant_names(c: Company, rng: random.Random) -> None:
    """Two misspellings of the name word, each in one release (one to three of its uses),
    a quarter of them two slips away when the word has seven letters or more."""
    word = name_word(c)
    if word is None:
        return
    pattern = re.compile(rf"\b{re.escape(word)}\b")
    spots: dict[str, list[tuple[Release, int]]] = defaultdict(list)
    for r in c.releases:
        spots[r.name] += [(r, i) for i, line in enumerate(r.lines) if pattern.search(line)]
    using = sorted(n for n, found in spots.items() if found)
    if len(using) < 3:
        return  # a name in one or two releases has no usual spelling to be wrong against
    for name in rng.sample(using, 2):
        wrong = typo(word, rng)
        if len(word) >= 7 and rng.random() < 0.25:
            wrong = typo(wrong, rng) if len(wrong) > 2 else wrong
            wrong = wrong if wrong.lower() != word.lower() else typo(word, rng)
        found = spots[name]
        for rel, i in rng.sample(found, min(len(found), rng.choice((1, 1, 2, 3)))):
            rel.lines[i] = pattern.sub(wrong, rel.lines[i], count=1)
            c.label(rel, i, "company-name", "defect", f"{wrong} for {word}")


def plant_domain(c: Company, rng: random.Random) -> None:
    label = c.name.split()[0].lower().strip(",.")[:5]
    uses = [
        (r, i, m)
        for r in c.releases
        for i, line in enumerate(r.lines)
        for m in DOMAIN.finditer(line)
        if m.group("label").startswith(label)
    ]
    if len({r.name for r, _, _ in uses}) < 2:
        return
    rel, i, m = rng.choice(uses)
    host = f"{m.group('label')}.{m.group('tld')}"
    if rng.random() < 0.3:
        wrong = f"{m.group('label')}.{rng.choice(OTHER_TLDS[m.group('tld')])}"
    else:
        wrong = f"{typo(m.group('label'), rng)}.{m.group('tld')}"
    line = rel.lines[i]
    rel.lines[i] = line[: m.start()] + m.group(0).replace(host, wrong) + line[m.end() :]
    c.label(rel, i, "url-drift", "defect", f"{wrong} for {host}")


def plant_phone(c: Company, rng: random.Random) -> None:
    where: dict[str, list[tuple[Release, int]]] = defaultdict(list)
    for r in c.releases:
        for i, line in enumerate(r.lines):
            for m in PHONE.finditer(line):
                where[m.group(0)].append((r, i))
    shared = sorted(n for n, spots in where.items() if len({r.name for r, _ in spots}) >= 2)
    if not shared:
        return
    number = rng.choice(shared)
    rel, i = rng.choice(where[number])
    digits = [k for k, ch in enumerate(number) if ch.isdigit()][3:]  # not the area code
    k = rng.choice(digits)
    wrong = number[:k] + rng.choice([d for d in "0123456789" if d != number[k]]) + number[k + 1 :]
    rel.lines[i] = rel.lines[i].replace(number, wrong, 1)
    c.label(rel, i, "contact-drift", "defect", f"{number} -> {wrong}")
    for other, j in where[number]:
        if (other.name, j) != (rel.name, i):
            c.label(other, j, "contact-drift", "neutral", "the unchanged side of a planted drift")


def sentences_of(line: str) -> list[str]:
    return re.split(r"(?<=[.!?])\s+", line)


def plant_fact(c: Company, rng: random.Random, shared: set[str], count: int = 1) -> None:
    """Change one figure in each of up to ``count`` statements the company repeats (in two
    releases, or twice in one when ``count`` > 1, as the dev sets plant several conflicts
    per company). ``shared``: sentences other companies' releases hold too (a wire's
    boilerplate)."""
    done: set[str] = set()
    for _ in range(count):
        if not _plant_one_fact(c, rng, shared, done, within=count > 1):
            return


def _plant_one_fact(
    c: Company, rng: random.Random, shared: set[str], done: set[str], *, within: bool
) -> bool:
    sentences: dict[str, list[tuple[Release, int]]] = defaultdict(list)
    for r in c.releases:
        for i, line in enumerate(r.lines):
            for s in sentences_of(line):
                if (
                    len(s.split()) >= 8
                    and FIGURE.search(s)
                    and s not in shared
                    and s not in done
                    and not re.search(r"\b(?:19|20)\d\d\b|https?:|www\.|@|passcode", s)
                ):
                    sentences[s].append((r, i))
    repeated = sorted(
        s
        for s, spots in sentences.items()
        if len(spots if within else {r.name for r, _ in spots}) >= 2
    )
    if not repeated:
        return False
    sentence = rng.choice(repeated)
    m = rng.choice(list(FIGURE.finditer(sentence)))
    value = int(m.group("n").replace(",", ""))
    factors = (0.8, 0.9, 1.1, 1.25, 1.5) if within else (0.8, 0.9, 1.1, 1.25)
    new = max(1, round(value * rng.choice(factors)))
    if new == value:
        new = value + 5
    shown = f"{new:,}" if "," in m.group("n") else str(new)
    changed = sentence[: m.start()] + shown + sentence[m.end() :]
    done.update((sentence, changed))
    rel, i = rng.choice(sentences[sentence])
    rel.lines[i] = rel.lines[i].replace(sentence, changed, 1)
    c.label(rel, i, "fact-conflict", "defect", f"{m.group('n')} -> {shown} in a repeated statement")
    for other, j in sentences[sentence]:
        if (other.name, j) != (rel.name, i) and (within or other.name != rel.name):
            c.label(
                other, j, "fact-conflict", "neutral", "the unchanged side of a planted conflict"
            )
    return True


def build(
    archive: Path, out: Path, n: int, seed: int, exclude: list[Path], facts: int = 1
) -> None:
    rng = random.Random(seed)
    found = companies(archive, excluded_tickers(exclude))
    picked = rng.sample(sorted(found), min(n, len(found)))
    if out.exists():
        if any(out.iterdir()) and not (out / "labels.jsonl").is_file():
            raise SystemExit(f"holdout: {out} is not empty and no held-out corpus: not replaced")
        shutil.rmtree(out)
    labels: list[dict[str, object]] = []
    folders: Counter[str] = Counter()
    owners: dict[str, set[str]] = defaultdict(set)  # sentence -> tickers whose releases hold it
    for ticker in picked:
        for f, _ in found[ticker]:
            for line in f.read_text(encoding="utf-8").split("\n"):
                for s in sentences_of(line):
                    owners[s].add(ticker)
    shared = {s for s, tickers in owners.items() if len(tickers) > 1}
    for ticker in sorted(picked):
        files = found[ticker]
        step = max(1, len(files) // 8)
        chosen = files[::step][:8]
        folder = re.sub(r"[^a-z0-9]+", "-", chosen[0][1].split(",")[0].lower()).strip("-")[:24]
        folders[folder] += 1
        folder = folder if folders[folder] == 1 else f"{folder}-{folders[folder]}"
        c = Company(ticker, Counter(name for _, name in chosen).most_common(1)[0][0])
        for f, _ in chosen:
            wire_path = f.relative_to(archive).parts  # WIRE/YYYY/MMDD/slug.md
            date = f"{wire_path[1]}-{wire_path[2][:2]}-{wire_path[2][2:]}"
            name = f"{folder}/{date}_{f.stem[:40]}.md"
            c.releases.append(Release(f, name, f.read_text(encoding="utf-8").split("\n")))
        plant_names(c, rng)
        plant_domain(c, rng)
        plant_phone(c, rng)
        plant_fact(c, rng, shared, facts)
        for r in c.releases:
            target = out / r.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text("\n".join(r.lines), encoding="utf-8")
        labels += c.labels
    with (out / "labels.jsonl").open("w", encoding="utf-8") as fh:
        for lab in labels:
            fh.write(json.dumps(lab) + "\n")
    kinds = Counter(f"{lab['check']} {lab['kind']}" for lab in labels)
    print(
        f"{len(picked)} companies, {sum(len(found[t][:8]) for t in picked)} releases; {dict(kinds)}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("archive", type=Path, help="an unpacked archive: WIRE/YYYY/MMDD/slug.md")
    ap.add_argument("out", type=Path, help="the folder to write (replaced)")
    ap.add_argument("--companies", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--exclude", type=Path, nargs="*", default=[], help="corpora to leave out")
    ap.add_argument(
        "--facts", type=int, default=1, help="fact conflicts per company (more: as the dev sets)"
    )
    args = ap.parse_args()
    build(args.archive, args.out, args.companies, args.seed, args.exclude, args.facts)


if __name__ == "__main__":
    main()
