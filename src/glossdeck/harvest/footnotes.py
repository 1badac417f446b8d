"""Footnote definitions: acronym long forms (`[^wto]: World Trade Organization。`) and cited terms."""

from __future__ import annotations

import re

from ..model import ACRONYM, TERM, Candidate, FootnoteDef, FootnoteRef, Note, Source
from .citations import Citation, also_called, find_citations, remark_after
from .inline import english_long_form
from .labels import refs_by_definition, unique_definitions
from .parts import SUFFIX, context, split_long_form
from .text import (
    clean,
    clean_long_form,
    has_japanese,
    initials_match,
    is_acronym,
    japanese_name,
    nfkc,
    split_sentence,
    strip_links,
    trailing_noun_phrase,
)


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
                    nested = _nested(note, fn, cite, acr, sources)
                    return [nested, *_uses(sources, nested, note)]
        if not citations:
            return _japanese_name_only(note, fn, contexts, sources)
        return _cited(note, fn, citations, refs, contexts, sources)

    if is_acronym(parsed.text) and not citations:
        return _acronym_for_text(note, fn, parsed.text, refs, sources)
    long_form, rest = parsed.text, parsed.remark
    heads = [c.headword for c in citations]
    if parsed.acronym:
        heads.insert(0, parsed.acronym)
    acr = _pick_acronym(long_form, contexts, fn, heads)
    if acr is None:
        return _cited(note, fn, citations, refs, contexts, sources)
    aliases = [name for a, name, _ in contexts if name and (a is None or a == acr)] + list(parsed.aliases)
    if parsed.acronym == acr:
        # 国際電気通信連合[^itu] with `[^itu]: … Union (ITU)。`: the word the note footnotes is the name
        aliases += [
            name for ref, (a, _, bracketed) in zip(refs, contexts, strict=True)
            if a is None and not bracketed and (name := trailing_noun_phrase(strip_links(ref.before)))
        ]
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


_NAME_ONLY = re.compile(r"[^\u3041-\u3096、，,。（）()「」\[\]]*")


def _japanese_name_only(
    note: Note, fn: FootnoteDef, contexts: list[tuple[str | None, str | None, bool]], sources: list[Source]
) -> list[Candidate]:
    """`ICT[^ict]` with `[^ict]: 情報通信技術。`: the footnote gives only the Japanese name."""
    acronyms = [a for a, _, _ in contexts if a]
    if not acronyms:
        return []
    first, rest = split_sentence(fn.text.strip())
    name = SUFFIX.sub("", clean(strip_links(first)))
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


def _acronym_for_text(
    note: Note, fn: FootnoteDef, acr: str, refs: list[FootnoteRef], sources: list[Source]
) -> list[Candidate]:
    """`the International Telecommunication Union[^itu]` with `[^itu]: ITU.`: the footnote abbreviates."""
    expansion = None
    aliases: list[str] = []
    for ref in refs:
        before = strip_links(ref.before).rstrip()
        expansion = expansion or english_long_form(acr, before)
        name = trailing_noun_phrase(before)
        if name:
            aliases.append(name)
    if expansion is None and not aliases:
        return []
    first = Candidate(
        term=nfkc(acr),
        kind=ACRONYM,
        source=sources[0],
        rule="footnote-abbreviates",
        expansion=expansion,
        aliases=tuple(_dedupe(aliases)),
        tags=note.tags,
    )
    return [first, *_uses(sources, first, note)]


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
    citations: tuple[Citation, ...],
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
