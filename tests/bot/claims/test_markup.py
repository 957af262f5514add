"""Markup to prose: front matter, headings and sentences."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.claims.markup import _sentence_pieces, fold_accents, paragraphs, titles_of, unescape_markdown

TOML_POST = """+++
title = "Zeta-7B is here"
description = "Zeta-7B, an open model, rivals GPT-4o on math."
date = 2025-01-02T00:00:00Z
draft = false
+++

The body starts here.
"""

YAML_POST = """---
title: Zeta-7B is here
summary: Zeta-7B rivals GPT-4o on math.
tags: [models]
---

The body starts here.
"""


@pytest.mark.parametrize("post", [TOML_POST, YAML_POST])
def test_front_matter_gives_a_title_heading_and_a_summary_paragraph(post: str) -> None:
    paras = paragraphs(post)
    assert paras[0].heading and paras[0].sentences == ["Zeta-7B is here"]
    assert "rivals GPT-4o on math" in paras[1].sentences[0]
    assert paras[2].sentences == ["The body starts here."]
    assert not any("date" in s or "tags" in s or "draft" in s for p in paras for s in p.sentences)
    assert titles_of(post)[0] == "Zeta-7B is here"


def test_a_rule_line_later_in_the_text_is_not_front_matter() -> None:
    text = "Intro line.\n\n---\ntitle: no\n---\n"
    assert paragraphs(text)[0].sentences == ["Intro line."]


CORPUS_DOCS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus" / "claims" / "docs"
# the pattern _sentence_pieces replaces (its look-behind made `re` try it at every offset)
_LOOK_BEHIND_SPLIT = re.compile(
    r"(?<=[.!?])[\"”')\]]*\s+(?=[A-Z0-9\"“(\[【\u4e00-\u9fff])|(?<=[。！？])|\s*●\s*|\s+•\s+"
)


@pytest.mark.parametrize(
    "text",
    [
        "Zeta beats o1. It is open! Really? Yes.",
        'He said "it wins." Then (it) left. 3.5 is a version. e.g. this',
        "Zeta 发布了。它超越了 GPT-4o！真的？是的",
        "Thanks to all. 相较于 GPT-4o，Zeta 更强。 Done. 【新】 here",
        "Key points ● fast ● open  •  small •tight",
        "End.  \u201cQuoted\u201d start. [1] ref",
        "",
    ],
)
def test_sentence_cuts_are_the_look_behind_patterns(text: str) -> None:
    assert _sentence_pieces(text) == _LOOK_BEHIND_SPLIT.split(text)


def test_sentence_cuts_agree_with_the_look_behind_pattern_on_every_corpus_paragraph() -> None:
    docs = sorted(CORPUS_DOCS.glob("*.md")) if CORPUS_DOCS.is_dir() else []
    if not docs:
        pytest.skip("corpus not present")
    for path in docs:
        for para in path.read_text(encoding="utf-8", errors="replace").split("\n\n"):
            assert _sentence_pieces(para) == _LOOK_BEHIND_SPLIT.split(para), path.name


def test_a_title_has_one_space_where_a_tag_was_removed() -> None:
    text = '<h1 align="center">\n<em>Zeta</em> v0.1: a fast model\n</h1>\n\nBody.\n'
    assert titles_of(text)[0] == "Zeta v0.1: a fast model"


def test_a_folded_yaml_description_is_the_summary_paragraph() -> None:
    post = "---\ntitle: Daily digest\ndescription: >-\n  Acme released Zeta-7B,\n  which beats GPT-4o.\ncompanies:\n  - acme\n---\n\nBody.\n"
    sentences = [s for p in paragraphs(post) for s in p.sentences]
    assert "Acme released Zeta-7B, which beats GPT-4o." in sentences
    assert not any("acme" == s or "companies" in s for s in sentences)


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("Zeta\\-3\\.1\\-70B beats GPT\\-4", "Zeta-3.1-70B beats GPT-4"),
        ("\\*not emphasis\\* and a\\_b", "*not emphasis* and a_b"),
        ("a LaTeX \\frac{1}{2} and a path C:\\temp stay", "a LaTeX \\frac{1}{2} and a path C:\\temp stay"),
        ("no escapes at all", "no escapes at all"),
    ],
)
def test_unescape_markdown(text: str, plain: str) -> None:
    assert unescape_markdown(text) == plain


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Tülu 3 beats it", "Tulu 3 beats it"),
        ("Émile-7B and Zoë", "Emile-7B and Zoe"),
        ("Zeta-7B 超越了 GPT-4o", "Zeta-7B 超越了 GPT-4o"),  # Chinese is not Latin: left as it is
        ("plain ascii", "plain ascii"),
    ],
)
def test_fold_accents_keeps_offsets_and_restores_the_spelling(text: str, folded: str) -> None:
    got, restore = fold_accents(text)
    assert got == folded and len(got) == len(text)
    assert restore(got) == text
