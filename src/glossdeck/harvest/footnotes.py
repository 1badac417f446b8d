"""Footnote definitions: acronym long forms (`[^wto]: World Trade Organization。`) and cited terms."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import ACRONYM, TERM, Candidate, FootnoteDef, FootnoteRef, Note, Source
from .citations import Citation, also_called, find_citations, remark_after
from .labels import refs_by_definition, unique_definitions
from .text import (
    clean,
    clean_long_form,
    has_japanese,
    initials_match,
    is_acronym,
    is_latin,
    japanese_name,
    matching_open,
    nfkc,
    split_sentence,
    starts_word,
    strip_links,
    trailing_acronym,
    trailing_noun_phrase,
)

# A long form is a name, not a sentence: at most this many words.
MAX_LONG_FORM_WORDS = 16


def context(before: str) -> tuple[str | None, str | None, bool]:
    """Read what stands before a reference: return (acronym, Japanese name, bracketed).

    Handles `経済連携協定（EPA）`, `経済協力開発機構（OECD`, `[世界貿易機関（WTO）](url)`,
    `[DFFT（信頼性のある自由なデータ流通）](url)`, `[ICANN](url)` and a bare `GPAI`.
    """
    text = before.rstrip(" \u3000")
    link = re.search(r"\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\([^()\s]*\)$", text)
    if link:
        inner = link.group(1)
        plain = clean(strip_links(inner))
        if is_acronym(plain):
            return nfkc(plain), None, False
        # "[Name（ACR）](url)" or "[ACR（Name）](url)": the whole link text is the name.
        m = re.fullmatch(r"(.*?)[（(]([^（()）]*)[）)]", plain)
        if m:
            a, b = m.group(1).strip(), m.group(2).strip()
            if is_acronym(b) and has_japanese(a):
                return nfkc(b), _short_name(a), False
            if is_acronym(a) and has_japanese(b):
                return nfkc(a), _short_name(b), False
        return None, None, False
    if text.endswith(("）", ")")):
        open_at = matching_open(text, len(text) - 1)
        if open_at < 0:
            return None, None, True
        inner = clean(strip_links(text[open_at + 1:-1]))
        outer = text[:open_at]
        if is_acronym(inner):
            return nfkc(inner), japanese_name(outer), True
        if has_japanese(inner) and not is_latin(inner):
            acr = trailing_acronym(outer)
            if acr and starts_word(outer, acr):
                return acr, _short_name(inner), True
        return None, None, True
    m = re.search(r"[（(]\s*([^（()）]*)$", text)
    if m:
        inner = clean(strip_links(m.group(1)))
        if is_acronym(inner):
            return nfkc(inner), japanese_name(text[: m.start()]), True
        return None, None, True
    acr = trailing_acronym(text)
    if acr and starts_word(text, acr):
        return acr, None, False
    return None, None, False


def _short_name(text: str) -> str | None:
    text = clean(text)
    if not text or len(text) > 40 or "。" in text or "、" in text:
        return None
    return text


@dataclass(frozen=True, slots=True)
class LongForm:
    """What the first sentence of a footnote says: a long form and what stands around it."""

    text: str
    remark: str = ""
    aliases: tuple[str, ...] = ()
    acronym: str | None = None
    """An acronym the footnote states itself (`ITU: International …`, `… Union (ITU)`)."""


_SUFFIX = re.compile(r"\s*(?:の)?(?:略称|略語|略|頭字語)(?:である|です)?$")
_STATED_FIRST = re.compile(r"^([^\s:：=＝]+)\s*[:：=＝]\s*(.+)$")
_BRACKET_AFTER = re.compile(r"^(.+?)\s*[（(]([^（()）]+)[）)]$")
_COMMA_REST = re.compile(r"^([^、，,]+?)\s*[、，,]\s*(.+)$", re.S)


def split_long_form(text: str) -> LongForm | None:
    """Read a footnote's long form: `Internet Governance Forum。そのまま。` -> long form + remark.

    Also `ITU: International …`, `International … Union (ITU)`, `… Union（国際電気通信連合）`,
    `… Union、国連の機関。` and `World Trade Organizationの略。`.
    """
    first, rest = split_sentence(text.strip())
    plain = _SUFFIX.sub("", clean(strip_links(first)))
    remark = rest.strip()
    aliases: tuple[str, ...] = ()
    acronym = None
    m = _STATED_FIRST.match(plain)
    if m and is_acronym(m.group(1)) and is_latin(m.group(2)):
        acronym, plain = nfkc(m.group(1)), m.group(2)
    m = _BRACKET_AFTER.match(plain)
    if m and is_latin(m.group(1)):
        inner = m.group(2).strip()
        if is_acronym(inner):
            plain, acronym = m.group(1), nfkc(inner)
        elif has_japanese(inner) and not is_latin(inner):
            plain, aliases = m.group(1), (inner,)
    if not is_latin(plain):
        m = _COMMA_REST.match(plain)
        if not m or not is_latin(m.group(1)) or not has_japanese(m.group(2)):
            return None
        plain = m.group(1)
        remark = clean(m.group(2) + "。" + remark) if remark else m.group(2)
    if len(plain.split()) > MAX_LONG_FORM_WORDS:
        return None
    return LongForm(clean_long_form(plain), remark, aliases, acronym)


def harvest_footnotes(note: Note) -> list[Candidate]:
    """Turn each defining footnote into a candidate; commentary footnotes give nothing."""
    refs = refs_by_definition(note)
    out: list[Candidate] = []
    for fn in unique_definitions(note):
        out.extend(_from_footnote(note, fn, refs.get(fn.label, [])))
    return out


def _from_footnote(note: Note, fn: FootnoteDef, refs: list[FootnoteRef]) -> list[Candidate]:
    text = fn.text
    citations = find_citations(text)
    parsed = split_long_form(text)
    contexts = [context(r.before) for r in refs]
    sources = _sources(note, fn, refs)

    if parsed is None:
        # "有限責任組合員（Limited Partner、…（[…「LP」](url)より））": the long form leads a citation.
        for cite in citations:
            if cite.lead:
                acr = _pick_acronym(cite.lead, contexts, fn, [cite.headword])
                if acr:
                    return [_nested(note, fn, cite, acr, sources)]
        if not citations:
            return _japanese_name_only(note, fn, contexts, sources)
        return _cited(note, fn, citations, refs, contexts, sources)

    long_form, rest = parsed.text, parsed.remark
    heads = [c.headword for c in citations]
    if parsed.acronym:
        heads.insert(0, parsed.acronym)
    acr = _pick_acronym(long_form, contexts, fn, heads)
    if acr is None:
        return _cited(note, fn, citations, refs, contexts, sources)
    aliases = [name for a, name, _ in contexts if name and (a is None or a == acr)] + list(parsed.aliases)
    definition = source = url = None
    remarks: list[str] = []
    if citations:
        cite = citations[0]
        definition, source, url = cite.definition, cite.source, cite.url
        if cite.headword != acr and has_japanese(cite.headword):
            aliases.append(cite.headword)
        tail = remark_after(text, cite.end)
        if tail:
            remarks.append(tail)
            aliases.extend(also_called(tail))
    elif rest:
        remarks.append(clean(strip_links(rest)))
    first = Candidate(
        term=acr,
        kind=ACRONYM,
        source=sources[0],
        rule="footnote-acronym",
        expansion=long_form,
        aliases=tuple(_dedupe(aliases)),
        definition=definition,
        definition_source=source,
        definition_url=url,
        remarks=tuple(remarks),
        tags=note.tags,
    )
    return [first, *_uses(sources, first, note)]


_NAME_ONLY = re.compile(r"[^\u3041-\u3096、，,。]*")


def _japanese_name_only(
    note: Note, fn: FootnoteDef, contexts: list[tuple[str | None, str | None, bool]], sources: list[Source]
) -> list[Candidate]:
    """`ICT[^ict]` with `[^ict]: 情報通信技術。`: the footnote gives only the Japanese name."""
    acronyms = [a for a, _, _ in contexts if a]
    if not acronyms:
        return []
    first, rest = split_sentence(fn.text.strip())
    name = _SUFFIX.sub("", clean(strip_links(first)))
    # A name holds no hiragana but の and never a comma: anything else is a sentence, a memo.
    if not (4 <= len(name) <= 30) or not has_japanese(name) or not _NAME_ONLY.fullmatch(name.replace("の", "")):
        return []
    cand = Candidate(
        term=acronyms[0],
        kind=ACRONYM,
        source=sources[0],
        rule="footnote-japanese-name",
        aliases=(name,),
        remarks=(clean(strip_links(rest)),) if rest.strip() else (),
        tags=note.tags,
    )
    return [cand, *_uses(sources, cand, note)]


def _pick_acronym(
    long_form: str, contexts: list[tuple[str | None, str | None, bool]], fn: FootnoteDef, heads: list[str]
) -> str | None:
    """Choose the acronym the long form spells: from the text, else the headword, else the label."""
    options = [a for a, _, _ in contexts if a]
    options += [nfkc(h) for h in heads if is_acronym(h)]
    for acr in options:
        if initials_match(acr, long_form):
            return acr
    if not fn.inline:
        label = nfkc(fn.label).upper()
        # a label is only a guess at the acronym: its letters must be the long form's initials
        if is_acronym(label) and initials_match(label, long_form, "medium"):
            return label
    return None


def _nested(note: Note, fn: FootnoteDef, cite: Citation, acr: str, sources: list[Source]) -> Candidate:
    """A long form inside brackets after its Japanese name, with a nested citation."""
    open_at = fn.text.rfind("（", 0, cite.start)
    if open_at < 0:
        open_at = fn.text.rfind("(", 0, cite.start)
    name = japanese_name(fn.text[:open_at]) if open_at > 0 else None
    aliases = [name] if name else []
    if cite.headword != acr and has_japanese(cite.headword):
        aliases.append(cite.headword)
    return Candidate(
        term=acr,
        kind=ACRONYM,
        source=sources[0],
        rule="footnote-nested",
        expansion=clean_long_form(cite.lead),
        aliases=tuple(_dedupe(aliases)),
        definition=cite.definition,
        definition_source=cite.source,
        definition_url=cite.url,
        tags=note.tags,
    )


def _cited(
    note: Note,
    fn: FootnoteDef,
    citations: list[Citation],
    refs: list[FootnoteRef],
    contexts: list[tuple[str | None, str | None, bool]],
    sources: list[Source],
) -> list[Candidate]:
    """The first citation of a footnote as a term, with every reference as a use."""
    if not citations:
        return []
    term = _cited_term(note, fn, citations[0], refs, contexts, sources)
    return [term, *_uses(sources, term, note)] if term else []


def _cited_term(
    note: Note,
    fn: FootnoteDef,
    cite: Citation,
    refs: list[FootnoteRef],
    contexts: list[tuple[str | None, str | None, bool]],
    sources: list[Source],
) -> Candidate | None:
    """A footnote that only cites a dictionary: the word in the text (or the headword) is the term."""
    term = cite.headword
    aliases: list[str] = []
    for ref, (_, _, bracketed) in zip(refs, contexts, strict=True):
        if bracketed:
            continue
        plain = strip_links(ref.before).rstrip()
        if term and plain.endswith(term):
            break
        word = trailing_noun_phrase(plain)
        if word and word != term:
            term, aliases = word, [cite.headword] if cite.headword else []
        break
    if not term:
        return None
    tail = remark_after(fn.text, cite.end)
    remarks = [tail] if tail else []
    aliases.extend(also_called(tail))
    return Candidate(
        term=term,
        kind=TERM,
        source=sources[0],
        rule="footnote-citation",
        aliases=tuple(_dedupe(aliases)),
        definition=cite.definition,
        definition_source=cite.source,
        definition_url=cite.url,
        remarks=tuple(remarks),
        tags=note.tags,
    )


def _sources(note: Note, fn: FootnoteDef, refs: list[FootnoteRef]) -> list[Source]:
    lines = [fn.line] + [r.line for r in refs]
    return [note.source(line) for line in sorted(set(lines))]


def _uses(sources: list[Source], first: Candidate, note: Note) -> list[Candidate]:
    """Every other place the footnote stands or is referenced is a use of the same entry."""
    return [
        Candidate(term=first.term, kind=first.kind, source=s, rule="footnote-use", expansion=first.expansion,
                  tags=note.tags)
        for s in sources[1:]
    ]


def _dedupe(items: list[str]) -> list[str]:
    seen: list[str] = []
    for item in items:
        item = clean(item)
        if item and item not in seen:
            seen.append(item)
    return seen
