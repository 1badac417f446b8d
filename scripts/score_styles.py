#!/usr/bin/env python3
"""Score glossdeck's harvest of the style corpus (tests/fixtures/styles) against its hand-made gold.

usage: score_styles.py [--glossdeck CMD] [--lang en|ja]... [--only PREFIX]

CMD runs glossdeck (default: this interpreter's `python -m glossdeck`); give another worktree's
`.venv/bin/glossdeck` to score that branch. --only PREFIX harvests and scores just the notes whose
file name starts with PREFIX (a held-out set, e.g. `ho-`), copied alone into a temporary folder.
Per language it prints tier-A recall (term found with the gold long form), the share of harvested
entries that are right, and every miss and false entry with the issue-12 pattern the gold names for it.
Exit 0 always: the figures are for reading; the targets are asserted by tests/test_styles.py.
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

STYLES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "styles"
LANGS = ("en", "ja")
# must_not strings this long also match inside a term, alias or long form; shorter ones only whole.
SUBSTRING_MIN = 5


def norm(text: str | None) -> str:
    """Return text in NFKC, case-folded, with runs of white space as one space and no end punctuation."""
    s = unicodedata.normalize("NFKC", text or "").casefold()
    return re.sub(r"\s+", " ", s).strip().rstrip("。.、, ")


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if len(word) > 2 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def long_key(text: str | None) -> str:
    """Return a long form's comparison key: case, spacing, hyphens, slashes, commas and plurals ignored."""
    words = re.split(r"[^\w]+|_", norm(text))
    return "".join(_singular(w) for w in words if w)


def term_key(text: str | None) -> str:
    """Return a term's comparison key: case and spacing ignored, a plural `VMs` read as `VM`."""
    raw = unicodedata.normalize("NFKC", text or "").strip()
    raw = re.sub(r"\s+", " ", raw)
    if re.fullmatch(r"[A-Z0-9][A-Za-z0-9/-]*[A-Z0-9]s", raw) and sum(c.isupper() for c in raw) >= 2:
        raw = raw[:-1]
    return raw.casefold()


@dataclass(frozen=True)
class Gold:
    """One acronym of one note as the gold lists it."""

    note: str
    term: str
    expansions: tuple[str, ...]
    aliases: tuple[str, ...]
    pattern: str
    # Other readings a careful reader may equally harvest (`KMS` = `Key Management Service` for
    # `AWS Key Management Service (AWS KMS)`): (term, long form) pairs that count as this acronym.
    alternates: tuple[tuple[str, str], ...] = ()

    @property
    def tier(self) -> str:
        """Return A (long form stated), B (only a Japanese name) or N (neither)."""
        if self.expansions:
            return "A"
        return "B" if self.aliases else "N"

    def accepts(self, expansion: str | None) -> bool:
        """Return whether an entry's long form is this acronym's (none, for one the note never expands)."""
        if not self.expansions:
            return not long_key(expansion)
        return long_key(expansion) in {long_key(x) for x in self.expansions}

    def matches(self, term: str, expansion: str | None) -> bool:
        """Return whether an entry's term and long form are this acronym, in its own or another reading."""
        if term_key(term) == term_key(self.term) and self.accepts(expansion):
            return True
        return any(term_key(term) == term_key(t) and long_key(expansion) == long_key(x) for t, x in self.alternates)


@dataclass
class Score:
    """What one language's harvest got right and wrong."""

    lang: str
    notes: int
    tier_a: list[Gold]
    found_a: list[Gold] = field(default_factory=list)
    missed_a: list[tuple[Gold, list[str]]] = field(default_factory=list)
    tier_b: list[Gold] = field(default_factory=list)
    found_b: list[Gold] = field(default_factory=list)
    missed_b: list[Gold] = field(default_factory=list)
    aliases_total: int = 0
    aliases_missed: list[str] = field(default_factory=list)
    entries: int = 0
    right: int = 0
    wrong: list[str] = field(default_factory=list)
    # issue-12 pattern -> terms missed or wrongly harvested there, for the summary by pattern
    by_pattern: dict[str, list[str]] = field(default_factory=dict)

    @property
    def recall_a(self) -> float:
        """Return the share of tier-A acronyms found with their long form."""
        return len(self.found_a) / len(self.tier_a) if self.tier_a else 1.0

    @property
    def right_share(self) -> float:
        """Return the share of harvested entries that are right."""
        return self.right / self.entries if self.entries else 1.0


def _notes(path: Path, only: str) -> list[tuple[str, dict[str, list[dict[str, object]]]]]:
    """Return the gold's notes in name order, those whose file name starts with only."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return [(n, spec) for n, spec in sorted(data["notes"].items()) if n.split("/", 1)[1].startswith(only)]


def load_gold(path: Path = STYLES / "gold.json", only: str = "") -> dict[str, list[Gold]]:
    """Return the gold acronyms per language, one per term and meaning."""
    out: dict[str, list[Gold]] = {lang: [] for lang in LANGS}
    seen: set[tuple[str, str, str]] = set()
    for note, spec in _notes(path, only):
        lang = note.split("/", 1)[0]
        for a in spec["acronyms"]:
            x = a["expansion"]
            exps = tuple(x) if isinstance(x, list) else ((x,) if x else ())
            key = (lang, term_key(a["term"]), long_key(exps[0]) if exps else "")
            if key in seen:
                continue
            seen.add(key)
            alternates = tuple((t, x) for t, x in a.get("alternates", []))
            out[lang].append(Gold(note, a["term"], exps, tuple(a["aliases"]), a["pattern"], alternates))
    return out


def load_must_not(path: Path = STYLES / "gold.json", only: str = "") -> dict[str, list[str]]:
    """Return the strings that must never be an entry's term, alias or long form, per language."""
    out: dict[str, list[str]] = {lang: [] for lang in LANGS}
    for note, spec in _notes(path, only):
        out[note.split("/", 1)[0]].extend(spec["must_not"])
    return out


# must_not strings for every entry (a list), or per note file name for entries harvested there (a dict):
# a phrase one note must not give (`ネットワーク (AS)`) may be part of another note's right name.
MustNot = list[str] | dict[str, list[str]]


def load_must_not_by_note(path: Path = STYLES / "gold.json") -> dict[str, dict[str, list[str]]]:
    """Return the must_not strings per language and note file name."""
    data = json.loads(path.read_text(encoding="utf-8"))
    out: dict[str, dict[str, list[str]]] = {lang: {} for lang in LANGS}
    for note, spec in sorted(data["notes"].items()):
        lang, name = note.split("/", 1)
        out[lang][name] = list(spec["must_not"])
    return out


def must_not_for(must_not: MustNot, notes: list[str]) -> list[str]:
    """Return the must_not strings that apply to an entry or gold item from these note file names."""
    if isinstance(must_not, list):
        return must_not
    return [m for n in notes for m in must_not.get(n, [])]


def _source_notes(entry: dict[str, object]) -> list[str]:
    sources = entry.get("sources")
    if not isinstance(sources, list):
        return []
    return [Path(str(s.get("path"))).name for s in sources if isinstance(s, dict)]


def must_not_hit(item: str, fields: list[str]) -> bool:
    """Return whether a must_not string is one of fields, or (when long enough) inside one."""
    m = norm(item)
    return any(m == norm(f) or (len(m) >= SUBSTRING_MIN and m in norm(f)) for f in fields if f)


def harvest(folder: Path, command: list[str]) -> list[dict[str, object]]:
    """Return the entries `glossdeck harvest FOLDER --format json` prints."""
    proc = subprocess.run(
        [*command, "harvest", str(folder), "--format", "json"], capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(f"glossdeck harvest {folder} exited {proc.returncode}: {proc.stderr.strip()}")
    entries: list[dict[str, object]] = json.loads(proc.stdout or "[]")
    return entries


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _aliases(entry: dict[str, object]) -> list[str]:
    value = entry.get("aliases")
    return [a for a in value if isinstance(a, str)] if isinstance(value, list) else []


def _where(entry: dict[str, object]) -> str:
    sources = entry.get("sources")
    if isinstance(sources, list) and sources and isinstance(sources[0], dict):
        s = sources[0]
        return f"{s.get('path')}:{s.get('line')} {s.get('rule')}"
    return "?"


def _show(entry: dict[str, object]) -> str:
    x = _text(entry.get("expansion")) or "-"
    al = "; ".join(_aliases(entry))
    return f"{entry.get('term')} = {x}" + (f" [{al}]" if al else "") + f"  ({_where(entry)})"


def judge(entry: dict[str, object], gold: list[Gold], must_not: MustNot) -> str | None:
    """Return why an entry is wrong, or None when it is right."""
    must_not = must_not_for(must_not, _source_notes(entry))
    term, exp = _text(entry.get("term")), _text(entry.get("expansion"))
    hits = [m for m in must_not if must_not_hit(m, [term, *_aliases(entry)])]
    if hits:
        return f"must_not {hits[0]!r}"
    hits = [m for m in must_not if must_not_hit(m, [exp])]
    if hits:
        return f"long form holds must_not {hits[0]!r}"
    if any(g.matches(term, exp) for g in gold):
        return None
    same = [g for g in gold if term_key(g.term) == term_key(term)]
    if not same:
        return "not in gold"
    return "wrong long form (gold: " + " | ".join(g.expansions[0] if g.expansions else "none" for g in same) + ")"


def _pattern_of(term: str, gold: list[Gold]) -> str:
    """Return the pattern the gold gives a term: 4 for a slash pair it holds apart, else precision."""
    same = [g.pattern for g in gold if term_key(g.term) == term_key(term)]
    if same:
        return same[0]
    halves = term.split("/")
    known = {term_key(g.term) for g in gold}
    return "4" if len(halves) > 1 and all(term_key(h) in known for h in halves) else "precision"


def score(lang: str, entries: list[dict[str, object]], gold: list[Gold], must_not: MustNot, notes: int) -> Score:
    """Return how a language's harvested entries compare with its gold."""
    s = Score(lang, notes, [g for g in gold if g.tier == "A"], tier_b=[g for g in gold if g.tier == "B"])
    for g in gold:
        if g.tier == "N":
            continue
        same = [e for e in entries if term_key(_text(e.get("term"))) == term_key(g.term)]
        ok = [e for e in entries if g.matches(_text(e.get("term")), _text(e.get("expansion")))]
        if g.tier == "A":
            if ok:
                s.found_a.append(g)
            else:
                s.missed_a.append((g, [_text(e.get("expansion")) or "-" for e in same]))
                s.by_pattern.setdefault(g.pattern, []).append(g.term)
        elif any(_aliases(e) for e in same):
            s.found_b.append(g)
        else:
            s.missed_b.append(g)
            s.by_pattern.setdefault(g.pattern, []).append(g.term)
        have = {norm(a) for e in (ok if g.tier == "A" else same) for a in _aliases(e)}
        for alias in g.aliases:
            s.aliases_total += 1
            if norm(alias) not in have:
                s.aliases_missed.append(f"{g.term}={alias}  [pattern {g.pattern}] {g.note}")
    seen: set[tuple[str, str]] = set()
    for e in entries:
        s.entries += 1
        key = (term_key(_text(e.get("term"))), long_key(_text(e.get("expansion"))))
        why = "duplicate of another entry" if key in seen else judge(e, gold, must_not)
        seen.add(key)
        if why is None:
            s.right += 1
        else:
            s.wrong.append(f"{_show(e)}: {why}")
            where = "precision" if why.startswith("must_not") else _pattern_of(_text(e.get("term")), gold)
            s.by_pattern.setdefault(where, []).append(f"-{e.get('term')}")
    return s


def gold_problems(gold: list[Gold], must_not: MustNot) -> list[str]:
    """Return gold items a must_not string would reject (a contradiction in the gold)."""
    return [
        f"{g.note}: {g.term} hit by must_not {m!r}"
        for g in gold
        for m in must_not_for(must_not, [g.note.split("/", 1)[1]])
        if must_not_hit(m, [g.term, *g.expansions, *g.aliases, *(x for pair in g.alternates for x in pair)])
    ]


def report(s: Score) -> str:
    """Return a language's score as a short table and the lists behind it."""
    lines = [
        f"== {s.lang}: {s.notes} notes",
        f"  {'tier-A recall':<22}{len(s.found_a):>4}/{len(s.tier_a):<4}{s.recall_a:7.1%}   (target >= 90%)",
        f"  {'entries right':<22}{s.right:>4}/{s.entries:<4}{s.right_share:7.1%}   (target >= 95%)",
        f"  {'tier-B found (name)':<22}{len(s.found_b):>4}/{len(s.tier_b):<4}",
        f"  {'aliases found':<22}{s.aliases_total - len(s.aliases_missed):>4}/{s.aliases_total:<4}",
    ]
    lines += [f"  MISSED  {g.term} = {g.expansions[0]}  [pattern {g.pattern}] {g.note}  got: {got or '-'}"
              for g, got in s.missed_a]
    lines += [f"  MISSED  {g.term} (tier B, {g.aliases[0]})  [pattern {g.pattern}] {g.note}" for g in s.missed_b]
    lines += [f"  ALIAS   {a}" for a in s.aliases_missed]
    lines += [f"  FALSE   {w}" for w in s.wrong]
    lines += ["  by pattern (missed, -false):"]
    lines += [f"    {p:<10}{len(ts):>3}  {' '.join(ts)}" for p, ts in sorted(s.by_pattern.items())]
    return "\n".join(lines)


def run(command: list[str], langs: tuple[str, ...] = LANGS, only: str = "") -> dict[str, Score]:
    """Harvest each language's notes (those named with the prefix only, when given) and score them."""
    gold, must_not = load_gold(), load_must_not_by_note()
    out = {}
    for lang in langs:
        notes = sorted(p for p in (STYLES / lang).glob("*.md") if p.name.startswith(only))
        with tempfile.TemporaryDirectory() as tmp:
            folder = STYLES / lang
            if only:
                folder = Path(tmp)
                for p in notes:
                    shutil.copy(p, folder / p.name)
            entries = harvest(folder, command)
        mine = [g for g in gold[lang] if Path(g.note).name.startswith(only)]
        out[lang] = score(lang, entries, mine, must_not[lang], len(notes))
    return out


def main() -> int:
    """Print the score of each language's harvest."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--glossdeck", default=f"{shlex.quote(sys.executable)} -m glossdeck",
                    help="command that runs glossdeck (default: this Python's -m glossdeck)")
    ap.add_argument("--lang", action="append", choices=LANGS, help="score only this language (repeatable)")
    ap.add_argument("--only", default="", metavar="PREFIX", help="score only the notes whose name starts so")
    args = ap.parse_args()
    gold, must_not = load_gold(), load_must_not_by_note()
    for lang in LANGS:
        for p in gold_problems(gold[lang], must_not[lang]):
            print(f"GOLD PROBLEM {p}")
    scores = run(shlex.split(args.glossdeck), tuple(args.lang or LANGS), args.only)
    for s in scores.values():
        print(report(s))
    print("summary: " + "  ".join(
        f"{s.lang} A={len(s.found_a)}/{len(s.tier_a)} ({s.recall_a:.0%}) right={s.right}/{s.entries} "
        f"({s.right_share:.0%})" for s in scores.values()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
