"""Every source of an entry names the rule that read it: in JSON, in `harvest --explain`, through the cache."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

from glossdeck import parallel, rows
from glossdeck.vault import NoteFile

TRADE = """\
# 通商のメモ

日本は世界貿易機関（WTO）[^wto]の枠組みのもとで動く。

国際電気通信連合（ITU: International Telecommunication Union）は電波を調整する。

The World Health Organization (WHO) met in May.

[^wto]: World Trade Organization。
"""

LONG = "国と国の間で経済の連携を深めるための取り決め、" * 120
CITED = f"""\
# 引用

連携協定とは「{LONG}」（[デジタル大辞泉 「連携協定」](https://kotobank.jp/word/renkei)より）である。
"""


def test_json_sources_name_the_rule_that_read_each_place(make_vault, cli):
    vault = make_vault({"通商.md": TRADE})
    entries = {e["term"]: e for e in json.loads(cli("harvest", vault, "--format", "json").stdout)}
    assert [(s["line"], s["rule"]) for s in entries["ITU"]["sources"]] == [(5, "inline-colon")]
    assert [(s["line"], s["rule"]) for s in entries["WHO"]["sources"]] == [(7, "inline-english")]
    # `（WTO）[^wto]` is read twice, by the footnote's rule and by the bracket's: one source, the
    # footnote rule's (the first in harvest order), and the footnote's own line
    assert [(s["line"], s["rule"]) for s in entries["WTO"]["sources"]] == [
        (3, "footnote-acronym"), (9, "footnote-acronym"),
    ]


def test_explain_prints_each_entry_its_places_and_rules(make_vault, cli):
    vault = make_vault({"通商.md": TRADE})
    result = cli("harvest", vault, "--explain")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "ITU  International Telecommunication Union",
        "  通商.md:5  inline-colon",
        "WHO  World Health Organization",
        "  通商.md:7  inline-english",
        "WTO  World Trade Organization",
        "  通商.md:3  footnote-acronym",
        "  通商.md:9  footnote-acronym",
    ]


def test_explain_is_text_not_json(make_vault, cli):
    vault = make_vault({"通商.md": TRADE})
    result = cli("harvest", vault, "--explain", "--format", "json")
    assert result.exit_code == 2
    assert "--explain" in result.output


def test_a_cut_definition_warns_with_its_place(make_vault, cli):
    vault = make_vault({"引用.md": CITED})
    result = cli("harvest", vault, "--format", "json")
    assert result.exit_code == 0
    assert result.stderr.startswith("引用.md:3: the definition of 連携協定 is over 2000 characters")
    (entry,) = json.loads(result.stdout)
    assert entry["definition"].endswith("…") and LONG.startswith(entry["definition"][:-1])


def test_rules_and_warnings_survive_the_packing_the_cache_and_workers_use(make_vault):
    vault = make_vault({"通商.md": TRADE, "引用.md": CITED})
    for rel in ("通商.md", "引用.md"):
        row = parallel.harvest_file(NoteFile(Path(vault) / rel, rel))
        again = pickle.loads(pickle.dumps(rows.compact(row)))
        assert again == row
        candidates = rows.candidates_of(again)
        assert candidates and all(c.source.rule == c.rule for c in candidates)
    assert [p.kind for p in rows.problems_of(again)] == ["long-definition"]
