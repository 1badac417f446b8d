"""Footnote definitions: acronym long forms (`[^wto]: World Trade Organization。`) and cited terms.

Each footnote is read by the first rule of RULES that recognises it; the entry it gives is found at
the footnote and at every reference to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import TERM, Candidate, FootnoteDef, FootnoteRef, Note
from .citations import LONG_DEFINITION, Citation, also_called, cut_message, find_citations, remark_after
from .english_long import english_long_form
from .labels import label_as_written, refs_by_definition, unique_definitions
from .longform import LongForm, first_sentence, split_long_form
from .names import is_short_name, japanese_name
from .names import trailing_noun_phrase as noun_before
from .plain import link_text
from .refcontext import RefContext, context
from .rules import Found, Rule, Warn, candidates, dedupe, first_match
from .spelling import ARTICLE, drop_article, tight
from .text import STOPWORDS, clean, clean_long_form, has_japanese, initials_match, is_acronym, nfkc


@dataclass(slots=True)
class Footnote:
    """One footnote as its rules read it: its text, its references and what stands before each."""

    fn: FootnoteDef
    refs: list[FootnoteRef]
    contexts: list[RefContext]
    citations: tuple[Citation, ...]
    long_form: LongForm | None
    note: Note | None = None
    """The note, for the spelling of a label its text writes (read only when a label is the guess)."""

    def acronyms(self) -> list[str]:
        """Return the acronyms the references stand after, in order."""
        return [c.acronym for c in self.contexts if c.acronym]


def harvest_footnotes(note: Note, warn: Warn) -> list[Candidate]:
    """Turn each defining footnote into candidates; commentary footnotes give nothing."""
    refs = refs_by_definition(note)
    out: list[Candidate] = []
    for fn in unique_definitions(note):
        out.extend(_read(note, fn, refs.get(fn.label, []), warn))
    return out


def _read(note: Note, fn: FootnoteDef, refs: list[FootnoteRef], warn: Warn) -> list[Candidate]:
    footnote = Footnote(fn, refs, [context(r.before) for r in refs], find_citations(fn.text),
                        split_long_form(fn.text), note)
    match = first_match(RULES, footnote)
    if match is None:
        return []
    rule, found = match
    lines = sorted({fn.line, *(r.line for r in refs)})
    out: list[Candidate] = []
    for item in found:
        if item.cut:
            warn(LONG_DEFINITION, fn.line, cut_message(item.term))
        out.extend(candidates(note, item, rule, lines))
    return out


def _abbreviates(f: Footnote) -> list[Found] | None:
    """`the International Telecommunication Union[^itu]` with `[^itu]: ITU.`: the footnote abbreviates.

    `[^ntp]: NTP, the protocol that …` abbreviates too, with a remark, when the words before a
    reference spell it (otherwise the next rules read it).
    """
    if f.long_form is None or f.citations:
        return None
    acr, remark = _acronym_and_remark(f.long_form.text)
    if acr is None:
        return None
    expansion = None
    aliases: list[str | None] = []
    for ref in f.refs:
        before = link_text(ref.before).rstrip()
        expansion = expansion or english_long_form(acr, before)
        aliases.append(noun_before(before))
    if expansion is None and not any(aliases):
        return None if remark else []
    return [Found(nfkc(acr), expansion=expansion, aliases=dedupe(aliases), remarks=(remark,) if remark else ())]


def _acronym_and_remark(text: str) -> tuple[str | None, str]:
    """Return the acronym a footnote's first sentence is (`ITU`), or starts with before a comma."""
    if is_acronym(text):
        return text, ""
    head, comma, rest = text.partition(",")
    if comma and is_acronym(head.strip()) and rest.strip():
        return head.strip(), clean(link_text(rest.strip()))
    return None, ""


def _acronym(f: Footnote) -> list[Found] | None:
    """`経済連携協定（EPA）[^epa]` with `[^epa]: Economic Partnership Agreement。`: a long form."""
    parsed = f.long_form
    if parsed is None:
        return None
    heads = [c.headword for c in f.citations]
    if parsed.acronym:
        heads.insert(0, parsed.acronym)
    acr = _pick_acronym(parsed.text, f, heads)
    if acr is None:
        return None
    aliases: list[str | None] = [c.name for c in f.contexts if c.name and c.acronym in (None, acr)]
    aliases += parsed.aliases
    if parsed.acronym == acr:
        # 国際電気通信連合[^itu] with `[^itu]: … Union (ITU)。`: the word the note footnotes is the name
        aliases += [
            noun_before(link_text(ref.before)) for ref, c in zip(f.refs, f.contexts, strict=True)
            if c.acronym is None and not c.bracketed
        ]
    found = Found(acr, expansion=drop_article(acr, parsed.text))
    if f.citations:
        _cite(found, f.citations[0], f.fn.text, aliases)
    elif parsed.remark:
        found.remarks = (clean(link_text(parsed.remark)),)
    found.aliases = dedupe(aliases)
    return [found]


def _cite(found: Found, cite: Citation, text: str, aliases: list[str | None]) -> None:
    """Give `found` the citation's definition, and its headword and remark's names as aliases."""
    found.definition, found.definition_source, found.definition_url = cite.definition, cite.source, cite.url
    found.cut = cite.cut
    if cite.headword != found.term and has_japanese(cite.headword):
        aliases.append(cite.headword)
    tail = remark_after(text, cite.end)
    if tail:
        found.remarks = (tail,)
        aliases.extend(also_called(tail))


def _nested(f: Footnote) -> list[Found] | None:
    """`有限責任組合員（Limited Partner、…（[…「LP」](url)より））`: the long form leads a citation."""
    if f.long_form is not None:
        return None
    for cite in f.citations:
        acr = _pick_acronym(cite.lead, f, [cite.headword]) if cite.lead else None
        if acr is None:
            continue
        open_at = f.fn.text.rfind("（", 0, cite.start)
        if open_at < 0:
            open_at = f.fn.text.rfind("(", 0, cite.start)
        aliases: list[str | None] = [japanese_name(f.fn.text[:open_at]) if open_at > 0 else None]
        if cite.headword != acr and has_japanese(cite.headword):
            aliases.append(cite.headword)
        return [Found(acr, expansion=clean_long_form(cite.lead), aliases=dedupe(aliases),
                      definition=cite.definition, definition_source=cite.source, definition_url=cite.url,
                      cut=cite.cut)]
    return None


# A name holds no hiragana but の and never a comma: anything else is a sentence, a memo.
_NAME_ONLY = re.compile(r"[^\u3041-\u3096、，,。（）()「」\[\]]*")


def _japanese_name(f: Footnote) -> list[Found] | None:
    """`ICT[^ict]` with `[^ict]: 情報通信技術。`: the footnote gives only the Japanese name."""
    if f.long_form is not None or f.citations:
        return None
    acronyms = f.acronyms()
    if not acronyms:
        return []
    sentence = first_sentence(f.fn.text)
    name = sentence.text
    if not (4 <= len(name) <= 30 or is_short_name(name)) or not has_japanese(name):
        return []
    if not _NAME_ONLY.fullmatch(name.replace("の", "")):
        return []
    remarks = (clean(link_text(sentence.rest)),) if sentence.rest else ()
    return [Found(acronyms[0], aliases=(name,), remarks=remarks)]


def _citation(f: Footnote) -> list[Found] | None:
    """A footnote that only cites a dictionary: the word in the text (or the headword) is the term."""
    if not f.citations:
        return None
    cite = f.citations[0]
    term = cite.headword
    aliases: list[str | None] = []
    for ref, c in zip(f.refs, f.contexts, strict=True):
        if c.bracketed:
            continue
        plain = link_text(ref.before).rstrip()
        word = noun_before(plain)
        if not (term and plain.endswith(term)) and word and word != term:
            term, aliases = word, [cite.headword]
        break
    if not term:
        return []
    found = Found(term, kind=TERM)
    _cite(found, cite, f.fn.text, aliases)
    found.aliases = dedupe(aliases)
    return [found]


def _pick_acronym(long_form: str, f: Footnote, heads: list[str]) -> str | None:
    """Choose the acronym the long form spells: from the text, else the headword, else the label."""
    options = f.acronyms() + [nfkc(h) for h in heads if is_acronym(h)]
    for acr in options:
        if initials_match(acr, long_form) and not _names_itself(acr, long_form) and _names_or_spells(acr, long_form):
            return acr
    if not f.fn.inline:
        label = nfkc(f.fn.label).upper()
        if f.note is not None:
            label = nfkc(label_as_written(f.fn.label, f.note))
        # a label is only a guess at the acronym: its letters must be the long form's initials
        if (
            is_acronym(label) and initials_match(label, long_form, "medium")
            and not _names_itself(label, long_form) and _names_or_spells(label, long_form)
        ):
            return label
    return None


# Small words a name keeps in lower case (`HTTP over TLS`, `Voice over IP`).
_NAME_JOINERS = STOPWORDS | {"over", "via", "versus", "vs"}


def _names_or_spells(acr: str, long_form: str) -> bool:
    """Tell whether a long form is a name (its content words capitalised) or spells the acronym tightly.

    `[^arp]: A protocol that maps addresses …` under `ARP[^arp]` holds A, r and p in order, as the
    loose check asks, but it is a description: only a name may be matched that loosely.
    """
    content = [w for w in ARTICLE.sub("", long_form).split() if w.lower() not in _NAME_JOINERS]
    return all(w[:1].isupper() or w[:1].isdigit() for w in content) or tight(acr, drop_article(acr, long_form))


def _names_itself(acr: str, long_form: str) -> bool:
    """Tell whether a "long form" holds its acronym as a word: `QUIC is a transport protocol …`."""
    return acr in long_form.split()


RULES: list[Rule[Footnote, list[Found]]] = [
    ("footnote-abbreviates", _abbreviates),
    ("footnote-acronym", _acronym),
    ("footnote-nested", _nested),
    ("footnote-japanese-name", _japanese_name),
    ("footnote-citation", _citation),
]
