"""HTML to text, with tables as markdown, and front matter stripping."""

from __future__ import annotations

import pytest

from adapters.sources.html_text import html_to_text, parse_html, strip_front_matter


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("plain text", "plain text"),
        ("<p>One</p><p>Two</p>", "One\n\nTwo"),
        ("line<br>break<br/>again", "line\nbreak\nagain"),
        ("<b>bold</b> and <i>italic</i>", "bold and italic"),
        ("a &amp; b &lt;c&gt; &eacute; &#8212; &#x2019;", "a & b <c> \u00e9 \u2014 \u2019"),
        ("<p>x</p><script>alert('<p>no</p>')</script><style>p { color: red }</style><p>y</p>", "x\n\ny"),
        ("<noscript><p>enable js</p></noscript>ok", "ok"),
        ("<ul><li>one</li><li>two</li></ul>", "- one\n- two"),
        ("<h2>Title</h2>\n\n\n<div>  lots   of \n space  </div>", "Title\n\nlots of space"),
        ("<pre>a\n b</pre>", "a\nb"),
        ("<p>unclosed <b>tags", "unclosed tags"),
        ("", ""),
    ],
)
def test_html_to_text(html: str, expected: str) -> None:
    assert html_to_text(html) == expected


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (  # header row, separator, body rows
            "<table><thead><tr><th>Benchmark</th><th>DeepSeek-R1</th><th>OpenAI-o1-1217</th></tr></thead>"
            "<tbody><tr><td>AIME 2024</td><td>79.8</td><td>79.2</td></tr>"
            "<tr><td>MATH-500</td><td>97.3</td><td>96.4</td></tr></tbody></table>",
            "| Benchmark | DeepSeek-R1 | OpenAI-o1-1217 |\n|---|---|---|\n"
            "| AIME 2024 | 79.8 | 79.2 |\n| MATH-500 | 97.3 | 96.4 |",
        ),
        (  # colspan repeated, short rows padded
            "<table><tr><th>Model</th><th colspan='2'>Score</th></tr><tr><td>A</td></tr></table>",
            "| Model | Score | Score |\n|---|---|---|\n| A | | |",
        ),
        (  # pipes escaped, inline markup and entities in cells
            "<table><tr><td><b>x|y</b> &amp; z</td></tr></table>",
            "| x\\|y & z |\n|---|",
        ),
        (  # text around the table on its own lines
            "<p>Before</p><table><tr><td>a</td><td>b</td></tr><tr><td>1</td><td>2</td></tr></table><p>After</p>",
            "Before\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nAfter",
        ),
        (  # a nested table is flattened into its cell
            "<table><tr><td>outer</td><td><table><tr><td>in1</td><td>in2</td></tr></table></td></tr></table>",
            "| outer | in1 in2 |\n|---|---|",
        ),
        (  # unclosed table at the end
            "<table><tr><td>a<td>b<tr><td>1<td>2",
            "| a | b |\n|---|---|\n| 1 | 2 |",
        ),
        ("<table></table>", ""),
        ("<table><tr><td>x</td></tr></table>" * 2, "| x |\n|---|\n\n| x |\n|---|"),
        (
            "<table><tr><td colspan='9999'>x</td></tr></table>",
            "| " + " | ".join(["x"] * 50) + " |\n|" + "|".join(["---"] * 50) + "|",
        ),
    ],
)
def test_tables_become_markdown(html: str, expected: str) -> None:
    assert html_to_text(html) == expected


def test_parse_html_title() -> None:
    doc = parse_html("<html><head><title> A &amp; B </title></head><body><p>Body</p></body></html>")
    assert doc.title == "A & B" and doc.text == "Body"
    assert parse_html("<p>no title</p>").title is None


@pytest.mark.parametrize(
    ("card", "expected"),
    [
        ("---\nlicense: mit\ntags:\n- a\n---\n\n# Model\nText", "# Model\nText"),
        ("\ufeff---\r\nlicense: mit\r\n---\r\n# Model", "# Model"),
        ("# No front matter\n---\nlater rule", "# No front matter\n---\nlater rule"),
        ("---\nunterminated: yes\n# Model", "---\nunterminated: yes\n# Model"),
        ("---\n---\nbody", "body"),
        ("", ""),
    ],
)
def test_strip_front_matter(card: str, expected: str) -> None:
    assert strip_front_matter(card) == expected
