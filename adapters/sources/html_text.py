"""HTML and model-card text for the claim engine.

`html_to_text` keeps what a reader sees: paragraphs become lines, scripts and styles vanish,
entities are unescaped, and `<table>`s become markdown pipe tables, because the claim engine
reads comparison tables in markdown (model cards) and must see the HTML ones (blogs) the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import NamedTuple

_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "math", "iframe", "object", "title"})
_BLOCK = frozenset(
    {
        "address", "article", "aside", "blockquote", "dd", "details", "div", "dl", "dt", "fieldset",
        "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
        "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "ul", "caption",
    }
)  # fmt: skip
_SPACES = re.compile(r"\s+")
_MAX_COLSPAN = 50


class HtmlText(NamedTuple):
    title: str | None
    text: str


@dataclass
class _Table:
    rows: list[list[str]] = field(default_factory=list)
    row: list[str] | None = None
    cell: list[str] | None = None
    colspan: int = 1

    def close_cell(self) -> None:
        if self.cell is None:
            return
        text = _SPACES.sub(" ", "".join(self.cell)).strip().replace("|", "\\|")
        if self.row is None:
            self.row = []
        self.row.extend([text] * self.colspan)
        self.cell = None

    def close_row(self) -> None:
        self.close_cell()
        if self.row:
            self.rows.append(self.row)
        self.row = None

    def flat(self) -> str:
        self.close_row()
        return "; ".join(" ".join(cell for cell in row if cell) for row in self.rows).replace("\\|", "|")

    def markdown(self) -> str:
        self.close_row()
        if not self.rows:
            return ""
        width = max(len(row) for row in self.rows)
        lines = []
        for i, row in enumerate(self.rows):
            cells = row + [""] * (width - len(row))
            lines.append("| " + " | ".join(cells) + " |")
            if i == 0:
                lines.append("|" + "|".join(["---"] * width) + "|")
        return "\n".join(lines)


class _Extractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title_parts: list[str] | None = None
        self.title: str | None = None
        self.skip = 0
        self.tables: list[_Table] = []
        self.pre = 0

    def _sink(self) -> list[str]:
        for table in reversed(self.tables):
            if table.cell is not None:
                return table.cell
        return self.parts

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
            if tag == "title" and self.title is None:
                self.title_parts = []
            return
        if self.skip:
            return
        table = self.tables[-1] if self.tables else None
        if tag == "table":
            self.tables.append(_Table())
        elif tag == "tr" and table is not None:
            table.close_row()
            table.row = []
        elif tag in ("td", "th") and table is not None:
            table.close_cell()
            table.cell = []
            table.colspan = _colspan(attrs)
        elif tag == "br":
            self._sink().append("\n")
        elif tag == "pre":
            self.pre += 1
            self._sink().append("\n")
        elif tag in _BLOCK:
            self._sink().append("\n- " if tag == "li" else "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            if tag == "title" and self.title_parts is not None:
                self.title = _SPACES.sub(" ", "".join(self.title_parts)).strip() or None
                self.title_parts = None
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        table = self.tables[-1] if self.tables else None
        if tag == "table" and table is not None:
            self.tables.pop()
            if self.tables:  # a table nested in a cell is flattened into that cell's text
                self._sink().append(" " + table.flat() + " ")
            else:
                self._sink().append("\n\n" + table.markdown() + "\n\n")
        elif tag in ("td", "th") and table is not None:
            table.close_cell()
        elif tag == "tr" and table is not None:
            table.close_row()
        elif tag == "pre":
            self.pre = max(0, self.pre - 1)
            self._sink().append("\n")
        elif tag in _BLOCK and tag != "li":
            self._sink().append("\n")

    def handle_data(self, data: str) -> None:
        if self.title_parts is not None:
            self.title_parts.append(data)
        if self.skip:
            return
        self._sink().append(data if self.pre else _SPACES.sub(" ", data))


def _colspan(attrs: list[tuple[str, str | None]]) -> int:
    for name, value in attrs:
        if name == "colspan" and value and value.strip().isdigit():
            return max(1, min(_MAX_COLSPAN, int(value.strip())))
    return 1


def _tidy(raw: str) -> str:
    lines: list[str] = []
    for line in raw.split("\n"):
        cleaned = _SPACES.sub(" ", line).strip()
        if cleaned or (lines and lines[-1]):
            lines.append(cleaned)
    return "\n".join(lines).strip()


def parse_html(html: str) -> HtmlText:
    """The `<title>` and the visible text of an HTML document or fragment."""
    parser = _Extractor()
    parser.feed(html)
    parser.close()
    while parser.tables:  # unclosed tables at the end of the input
        rendered = parser.tables.pop().markdown()
        parser._sink().append("\n\n" + rendered + "\n\n")
    return HtmlText(parser.title, _tidy("".join(parser.parts)))


def html_to_text(html: str) -> str:
    """Visible text of HTML: block elements on their own lines, tables as markdown pipe tables.

    Args:
        html: a document or a fragment (feed entry content); entities may be escaped.

    Returns:
        Plain text with at most one blank line between blocks.
    """
    return parse_html(html).text


_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n.*?^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL | re.M)


def strip_front_matter(md: str) -> str:
    """Drop a YAML front-matter block (`---` ... `---`) from the top of a model card."""
    match = _FRONT_MATTER.match(md)
    return md[match.end() :].lstrip("\r\n") if match else md
