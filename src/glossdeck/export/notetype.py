"""The glossdeck Anki note type: fixed id, fields, card templates and styling (see docs/anki.md)."""

from __future__ import annotations

import genanki

# Anki matches note types by id. Never change the fields or templates under this id: Anki reports
# every note of a note type whose fields changed as "conflicting" and leaves it alone. A schema
# change takes a new id and a new name (docs/anki.md, "Changing the note type").
MODEL_ID = 1_732_560_117
MODEL_NAME = "glossdeck"
FIELDS = ["Term", "Expansion", "Aliases", "Definition", "Source", "Remarks", "Notes", "Reverse"]
# "Reverse" switches the meaning -> term card on (non-empty) or off, like Anki's own
# "Basic (optional reversed card)". Both templates are always in the note type, so turning
# --reverse on or off later changes field content only, never the schema.

CSS = """\
.card {
  --fg: #1f2328; --muted: #59636e; --bg: #fbfaf7; --panel: #ffffff; --rule: #d8d4c8;
  --accent: #b7282e; --link: #1f5fa8; --quote: #f4f1e8;
  font-family: "Hiragino Sans", "Hiragino Kaku Gothic ProN", "Noto Sans JP", "Noto Sans CJK JP",
    "Yu Gothic UI", "Yu Gothic", "Meiryo", "Segoe UI", "Helvetica Neue", Arial, sans-serif;
  font-size: 20px; line-height: 1.75; color: var(--fg); background: var(--bg);
  text-align: left; margin: 0; padding: 1.2em 1em 1.6em;
  /* Japanese line breaking: no small kana or closing brackets at a line start. */
  line-break: strict; word-break: normal; overflow-wrap: anywhere;
}
.card.nightMode, .nightMode .card, .card.night_mode, .night_mode .card {
  --fg: #e8e6e3; --muted: #a7a29a; --bg: #1b1c1e; --panel: #242528; --rule: #3a3b3f;
  --accent: #ff7b72; --link: #79b8ff; --quote: #2a2b2f;
}
.gd { max-width: 34em; margin: 0 auto; }
.term { font-size: 2.4em; font-weight: 700; line-height: 1.3; text-align: center;
  letter-spacing: 0.03em; margin: 0.3em 0 0.2em; font-feature-settings: "palt"; }
.prompt { font-size: 0.8em; color: var(--muted); text-align: center; letter-spacing: 0.1em; }
hr#answer { border: none; border-top: 1px solid var(--rule); margin: 0.9em 0 1em; }
.expansion { font-size: 1.3em; font-weight: 600; text-align: center; line-height: 1.4; }
.aliases { font-size: 1.15em; text-align: center; color: var(--accent); margin: 0.3em 0 0.2em;
  font-feature-settings: "palt"; }
.definition { margin: 1em 0 0.4em; padding: 0.75em 1em; background: var(--quote);
  border-left: 4px solid var(--accent); border-radius: 0 6px 6px 0; }
.source { text-align: right; font-size: 0.78em; color: var(--muted); }
.source::before { content: "—— "; }
.remarks { margin-top: 0.8em; font-size: 0.9em; }
.meta { margin-top: 1.4em; padding-top: 0.6em; border-top: 1px dashed var(--rule);
  font-size: 0.75em; color: var(--muted); line-height: 1.6; }
.label { display: inline-block; font-size: 0.85em; font-weight: 600; color: var(--muted);
  border: 1px solid var(--rule); border-radius: 4px; padding: 0 0.4em; margin-right: 0.5em; }
.lines { margin-left: 0.4em; }
a { color: var(--link); text-decoration: none; }
a:hover { text-decoration: underline; }
"""

_MEANING = (
    "{{#Expansion}}<div class=expansion lang=en>{{Expansion}}</div>{{/Expansion}}"
    "{{#Aliases}}<div class=aliases>{{Aliases}}</div>{{/Aliases}}"
)
_DEFINITION = (
    "{{#Definition}}<div class=definition>{{Definition}}"
    "{{#Source}}<div class=source>{{Source}}</div>{{/Source}}</div>{{/Definition}}"
)
# The labels (備考, Remarks, …) and the reverse card's question are in the fields, in the vault's
# language: the wording of a template reaches users only when Anki takes the whole note type, so one
# note type for every language keeps each deck's notes updating (docs/anki.md, "Labels").
_DETAILS = (
    "{{#Remarks}}<div class=remarks>{{Remarks}}</div>{{/Remarks}}"
    "{{#Notes}}<div class=meta>{{Notes}}</div>{{/Notes}}"
)
# lang=ja picks Japanese glyph shapes for kanji that Chinese fonts draw differently.
FORWARD = {
    "name": "Term → meaning",
    "qfmt": "<div class=gd lang=ja><div class=term>{{Term}}</div></div>",
    "afmt": "{{FrontSide}}<div class=gd lang=ja><hr id=answer>" + _MEANING + _DEFINITION + _DETAILS + "</div>",
}
# genanki (which writes the package's cards) and Anki make this card whenever Reverse is filled:
# anki.fields leaves it empty for an entry with nothing but a term, whose card would be blank.
_REVERSE_FRONT = (
    "<div class=gd lang=ja>{{#Reverse}}<div class=prompt>{{Reverse}}</div>"
    + _MEANING
    + "{{^Expansion}}{{#Definition}}<div class=definition>{{Definition}}</div>{{/Definition}}{{/Expansion}}"
    "{{/Reverse}}</div>"
)
REVERSE = {
    "name": "Meaning → term",
    "qfmt": _REVERSE_FRONT,
    "afmt": "{{FrontSide}}<div class=gd lang=ja><hr id=answer><div class=term>{{Term}}</div>"
    + _DETAILS + "</div>",
}


def model() -> genanki.Model:
    """Return the glossdeck note type (both card templates; Reverse decides the second)."""
    return genanki.Model(
        MODEL_ID,
        MODEL_NAME,
        fields=[{"name": f, "font": "Hiragino Sans", "size": 20} for f in FIELDS],
        templates=[dict(FORWARD), dict(REVERSE)],  # genanki fills in defaults in place
        css=CSS,
        sort_field_index=0,
    )
