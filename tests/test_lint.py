"""`glossdeck lint`: broken footnotes reported like a compiler, exit codes for hooks and CI."""

from __future__ import annotations

import json

import pytest

from glossdeck.harvest.labels import LabelMatcher

FRONT = "---\ntitle: 標準化のメモ\ntags: [📑]\n---\n"

# Line 5 references [^dejure] but the footnote is spelt [^dejuru] (line 7); [^jeu-epa] has [^jpa-epa].
TYPOS = FRONT + (
    "国際標準には、デジュール標準[^dejure]とフォーラム標準[^forum]がある。\n"
    "\n"
    "[^dejuru]: 国際電気通信連合（ITU：International Telecommunication Union）などが策定した標準。\n"
    "[^forum]: 企業や大学が集まって策定した標準。\n"
    "\n"
    "日EU経済連携協定（日EU・EPA[^jeu-epa]）が発効した。\n"
    "\n"
    "[^jpa-epa]: 「日本と欧州連合の間で締結された経済連携協定。」\n"
)


def lint_json(cli, vault) -> tuple[int, list[dict]]:
    result = cli("lint", vault, "--format", "json")
    return result.exit_code, json.loads(result.stdout)


def test_dangling_references_suggest_the_closest_unused_label(make_vault, cli):
    code, problems = lint_json(cli, make_vault({"標準.md": TYPOS}))
    assert code == 1
    dangling = [(p["label"], p["line"], p["suggestion"]) for p in problems if p["kind"] == "dangling-reference"]
    assert dangling == [("dejure", 5, "dejuru"), ("jeu-epa", 10, "jpa-epa")]
    unused = [(p["label"], p["line"]) for p in problems if p["kind"] == "unused-definition"]
    assert unused == [("dejuru", 7), ("jpa-epa", 12)]
    assert len(problems) == 4
    assert all(p["path"] == "標準.md" and p["message"] for p in problems)


def test_text_format_reads_like_a_compiler(make_vault, cli):
    result = cli("lint", make_vault({"標準.md": TYPOS}))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "標準.md:5: dangling-reference: [^dejure] is referenced but never defined (did you mean [^dejuru]?)"
    )
    assert lines[1] == "標準.md:7: unused-definition: [^dejuru] is defined but never referenced"
    assert len(lines) == 4


def test_a_clean_vault_exits_0_and_prints_nothing(make_vault, cli):
    vault = make_vault({"a.md": "国際電気通信連合（ITU[^itu]）。\n\n[^itu]: International Telecommunication Union。\n"})
    result = cli("lint", vault)
    assert (result.exit_code, result.stdout) == (0, "")
    assert cli("lint", vault, "--format", "json").stdout.strip() == "[]"


def test_duplicate_definition_points_at_the_second_one(make_vault, cli):
    text = "世界貿易機関（WTO[^wto]）。\n\n[^wto]: World Trade Organization。\n[^wto]: World Trade Organisation。\n"
    code, problems = lint_json(cli, make_vault({"a.md": text}))
    assert code == 1
    assert [(p["kind"], p["label"], p["line"]) for p in problems] == [("duplicate-definition", "wto", 4)]


def test_footnote_labels_are_per_note(make_vault, cli):
    vault = make_vault({
        "a.md": "経済連携協定（EPA[^1]）。\n\n[^1]: Economic Partnership Agreement。\n",
        "b.md": "世界貿易機関（WTO[^1]）。\n\n[^1]: World Trade Organization。\n",
    })
    assert lint_json(cli, vault) == (0, [])


def test_a_label_defined_only_in_another_note_is_dangling_here(make_vault, cli):
    vault = make_vault({
        "a.md": "経済連携協定（EPA[^epa]）。\n\n[^epa]: Economic Partnership Agreement。\n",
        "b.md": "日本はEPA[^epa]を結んでいる。\n",
    })
    code, problems = lint_json(cli, vault)
    assert [(p["path"], p["kind"], p["label"]) for p in problems] == [("b.md", "dangling-reference", "epa")]


def test_conflicting_expansion_across_the_vault(make_vault, cli):
    vault = make_vault({
        "通商.md": "経済連携協定（EPA[^epa]）。\n\n[^epa]: Economic Partnership Agreement。\n",
        "環境.md": "米国の環境保護庁（EPA[^epa]）。\n\n[^epa]: Environmental Protection Agency。\n",
    })
    code, problems = lint_json(cli, vault)
    assert code == 1
    assert {(p["kind"], p["label"], p["path"]) for p in problems} == {
        ("conflicting-expansion", "EPA", "通商.md"),
        ("conflicting-expansion", "EPA", "環境.md"),
    }
    mine = next(p for p in problems if p["path"] == "環境.md")
    assert "Environmental Protection Agency" in mine["message"] and "Economic Partnership Agreement" in mine["message"]


def test_a_misspelt_long_form_is_flagged_as_a_likely_typo(make_vault, cli):
    vault = make_vault({
        "a.md": "国際電気通信連合（ITU[^itu]）。\n\n[^itu]: International Telecommunication Union。\n",
        "b.md": "国際電気通信連合（ITU[^itu]）。\n\n[^itu]: International Telecomunication Union。\n",
    })
    _, problems = lint_json(cli, vault)
    assert any("(a typo?)" in p["message"] for p in problems if p["path"] == "a.md")


def test_different_words_are_a_conflict_but_no_typo(make_vault, cli):
    vault = make_vault({
        "a.md": "認証局（CA[^ca]）。\n\n[^ca]: Certificate Authorities。\n",
        "b.md": "認証局（CA[^ca]）。\n\n[^ca]: certification authority。\n",
    })
    _, problems = lint_json(cli, vault)
    conflicts = [p for p in problems if p["kind"] == "conflicting-expansion"]
    assert len(conflicts) == 2
    assert not any("(a typo?)" in p["message"] for p in conflicts)


def test_one_small_edit_inside_a_word_is_a_typo_and_more_is_not() -> None:
    from glossdeck.lint import one_edit_apart

    assert one_edit_apart("telecomunication", "telecommunication")
    assert one_edit_apart("agreement", "agreemnet")
    assert one_edit_apart("agreement", "agreemant")
    assert not one_edit_apart("certificateauthority", "certificationauthority")
    assert not one_edit_apart("agreement", "agreement")
    assert not one_edit_apart("agreement", "arrangement")


def test_same_meaning_spelt_differently_is_not_a_conflict(make_vault, cli):
    vault = make_vault({
        "a.md": "OECD[^oecd]の会合。\n\n[^oecd]: Organisation for Economic Co-operation and Development。\n",
        "b.md": "OECD[^oecd]の会合。\n\n[^oecd]: Organization for Economic Cooperation and Development.\n",
    })
    assert lint_json(cli, vault) == (0, [])
    entries = json.loads(cli("harvest", vault, "--format", "json").stdout)
    assert [(e["term"], len(e["sources"])) for e in entries] == [("OECD", 4)]


@pytest.mark.parametrize(
    "text",
    [
        "コードの例：`[^x]` は脚注ではない。\n",
        "例：\n\n```markdown\n本文[^x]\n[^y]: 定義\n```\n",
        "例：\n\n    本文[^x]\n",
        "インライン脚注^[Obsidianの書き方]も使える。\n",
        "一回目[^a]、二回目[^a]。\n\n[^a]: 同じ脚注を二度参照してよい。\n",
        "数式 $x[^2]$ と $$\ny[^3]\n$$\n",
        "%% あとで[^todo]を書く %%\n",
        "角括弧を書くには \\[^x] とエスケープする。\n",
        "画像 ![図](img[^1].png) のファイル名。\n",
        "<!-- [^draft] --> 下書き。\n",
        "脚注の中の参照[^a]。\n\n[^a]: 詳しくは[^b]。\n[^b]: 注の注。\n",
    ],
    ids=["inline-code", "fenced-code", "indented-code", "inline-footnote", "used-twice", "math",
         "obsidian-comment", "escaped", "link-target", "html-comment", "nested"],
)
def test_no_false_reports(make_vault, cli, text):
    assert lint_json(cli, make_vault({"a.md": text})) == (0, [])


def test_lines_count_the_frontmatter(make_vault, cli):
    text = "---\ntitle: x\naliases: []\n---\n\n本文[^nope]。\n"
    _, problems = lint_json(cli, make_vault({"a.md": text}))
    assert [(p["kind"], p["line"]) for p in problems] == [("dangling-reference", 6)]


def test_bad_input_is_reported_and_the_rest_of_the_vault_is_linted(make_vault, cli):
    vault = make_vault({
        "a-frontmatter.md": "---\ntitle: [unclosed\n---\n本文[^x]。\n",
        "b-sjis.md": "経済連携協定（EPA[^epa]）。\n\n[^epa]: Economic Partnership Agreement。\n".encode("cp932"),
        "c-binary.md": b"\x00\x01PNG\x00",
        "d-good.md": "本文[^y]。\n",
    })
    code, problems = lint_json(cli, vault)
    assert code == 1
    kinds = [(p["path"], p["kind"]) for p in problems]
    assert kinds == [
        ("a-frontmatter.md", "bad-frontmatter"),
        ("a-frontmatter.md", "dangling-reference"),
        ("b-sjis.md", "decoded-as"),
        ("c-binary.md", "unreadable-note"),
        ("d-good.md", "dangling-reference"),
    ]
    assert next(p for p in problems if p["kind"] == "dangling-reference")["line"] == 4


def test_usage_errors_exit_2(make_vault, cli, tmp_path):
    vault = make_vault({"a.md": "本文。\n"})
    assert cli("lint", vault, "--format", "xml").exit_code == 2
    missing = cli("lint", tmp_path / "no-such-vault")
    assert missing.exit_code == 2
    assert "no-such-vault" in missing.stderr


def test_closest_label_is_a_likely_typo_or_nothing():
    assert LabelMatcher(["asean", "dejuru", "fta"]).closest("dejure") == "dejuru"
    assert LabelMatcher(["asean", "fta", "jpa-epa"]).closest("jeu-epa") == "jpa-epa"
    assert LabelMatcher(["asean", "dejuru"]).closest("wto") is None


def test_thousands_of_dangling_references_get_suggestions_within_a_budget():
    matcher = LabelMatcher([f"m{i}" for i in range(5000)] + ["dejuru"])
    assert matcher.closest("dejure") == "dejuru"  # the first ones are still matched
    for i in range(100):
        matcher.closest(f"l{i}")
    assert matcher.closest("dejuri") is None  # the budget is spent: no more pairwise comparing


def test_a_reference_after_an_escaped_backslash_is_reported(make_vault, cli):
    # `\\` is one literal backslash, so the `[^sep]` after it is a real reference (and dangling);
    # `\\\[^esc]` is a literal backslash and an escaped bracket: no reference.
    text = "区切りは \\\\[^sep] で示し、\\\\\\[^esc] は文字のまま。\n"
    code, problems = lint_json(cli, make_vault({"a.md": text}))
    assert code == 1
    assert [(p["kind"], p["label"], p["line"]) for p in problems] == [("dangling-reference", "sep", 1)]


def test_math_in_one_paragraph_hides_no_reference_in_another(make_vault, cli):
    # Both references have the same text before them (`$`): only the one inside `$…$` is math.
    text = "$[^x]$ は数式の中で、脚注ではない。\n\n$[^y] のドル記号は数式を開かない。\n"
    code, problems = lint_json(cli, make_vault({"a.md": text}))
    assert code == 1
    assert [(p["kind"], p["label"], p["line"]) for p in problems] == [("dangling-reference", "y", 3)]
