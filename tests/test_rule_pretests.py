"""The line rules' cheap pre-tests turn nothing away that the rules themselves would read."""

from __future__ import annotations

import pytest

from conftest import harvest_text
from glossdeck.harvest.text import may_hold_acronym


def found(text: str) -> list[tuple[str, str | None, str]]:
    return [(c.term, c.expansion, c.rule) for c in harvest_text(text)]


@pytest.mark.parametrize("text", ["SSO", "運用は ＳＲＥ が担う", "ⒶⒷ の図"])
def test_capitals_after_nfkc_may_hold_an_acronym(text):
    assert may_hold_acronym(text)


@pytest.mark.parametrize("text", ["single sign-on", "運用チームが担う", "ｓｒｅ"])
def test_no_capitals_hold_no_acronym(text):
    assert not may_hold_acronym(text)


def test_full_width_acronym_alone_then_its_long_form():
    assert found("- ＢＦＤ\n- Bidirectional Forwarding Detection\n") == [
        ("BFD", "Bidirectional Forwarding Detection", "acronym-then-long-form")
    ]


def test_stated_with_the_word_for_initialism():
    # `の頭字語` says it as `の略` does: the pre-test must let it through to acronym-stated
    assert found("- GPT は Generative Pre-trained Transformer の頭字語。文章を生成する\n")[0][::2] == (
        "GPT", "acronym-stated"
    )


def test_stated_later_with_a_full_width_acronym():
    assert found("認証を見直した。ＭＦＡ は Multi-Factor Authentication の頭字語とされる。\n") == [
        ("MFA", "Multi-Factor Authentication", "acronym-stated-later")
    ]


def test_several_said_in_one_line():
    assert [t for t, _, rule in found("SSO = single sign-on. IdP = identity provider.\n")] == ["SSO", "IdP"]
