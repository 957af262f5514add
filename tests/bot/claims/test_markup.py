"""Markup to prose: front matter, headings and sentences."""

from __future__ import annotations

import pytest

from bot.claims.markup import paragraphs, titles_of

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
