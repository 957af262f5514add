"""From markdown/HTML model cards to plain paragraphs and sentences, and the document's titles."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

# YAML ("---", "title: ...") or TOML ("+++", 'title = "..."') front matter of a blog post
_FRONT_MATTER_RE = re.compile(r"\A\s*(---|\+\+\+)\n(.*?)\n\1[ \t]*(?:\n|\Z)", re.DOTALL)
_TITLE_FIELD_RE = re.compile(r"^title\s*[:=]\s*[\"']?(.+?)[\"']?\s*$", re.MULTILINE)
_SUMMARY_FIELD_RE = re.compile(
    r"^(?:description|summary|excerpt|subtitle)\s*[:=]\s*[\"']?(.+?)[\"']?\s*$", re.MULTILINE
)
_BLOCK_SCALAR_RE = re.compile(r"[>|][-+]?")  # YAML's "description: >-" with the text indented below


def front_matter_summary(fields: str) -> str | None:
    """The description (summary, excerpt, subtitle) of front matter: a one-line value, or a YAML
    block scalar ("description: >-" and the indented lines under it, joined into one line)."""
    found = _SUMMARY_FIELD_RE.search(fields)
    if found is None:
        return None
    if not _BLOCK_SCALAR_RE.fullmatch(found.group(1).strip()):
        return found.group(1)
    lines = []
    for line in fields[found.end() :].lstrip("\n").splitlines():
        if line and not line[0].isspace():
            break  # the next field
        lines.append(line.strip())
    return " ".join(line for line in lines if line) or None


# (a literal every match contains, so that a text without it is not scanned, pattern)
_DROP_RES = [
    ("```", re.compile(r"```.*?(?:```|\Z)", re.DOTALL)),
    ("<!--", re.compile(r"<!--.*?-->", re.DOTALL)),
    ("<", re.compile(r"<table\b.*?(?:</table>|\Z)", re.DOTALL | re.IGNORECASE)),
    ("<", re.compile(r"<(style|script)\b.*?</\1>", re.DOTALL | re.IGNORECASE)),
    ("{{", re.compile(r"\{\{[<%].*?[>%]\}\}", re.DOTALL)),
    ("![", re.compile(r"!\[[^\]]*\]\([^)]*\)")),
]
_LINK_RE = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_URL_RE = re.compile(r"https?://\S+|www\.\S+")
_BLOCK_TAG_RE = re.compile(
    r"<\s*/?\s*(?:p|br|div|li|ul|ol|h[1-6]|tr|td|th|center|details|summary|hr)\b[^>]*>", re.I
)
_BR_RE = re.compile(r"<br\s*/?>", re.IGNORECASE)
_SPACES_RE = re.compile(r"[ \t]+")
_TAG_RE = re.compile(r"<[^>\n]{0,300}>")
_EMPHASIS_RE = re.compile(r"\*\*|__|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])|`")
_HEADING_RE = re.compile(r"^\s*#{1,6}\s+(.*)$")
_HTML_HEADING_RE = re.compile(r"<h[12][^>]*>(.*?)</h[12]>", re.IGNORECASE | re.DOTALL)
_ITEM_START_RE = re.compile(r"^\s*(?:[-*+•●]\s|\d+[.)]\s|>\s?)")
_DIGEST_TITLE_RE = re.compile(r"^\|?\s*\d+\)\.?\s*(?:\*\*)?(.+?)(?:\*\*|\s{2}| - )")
_ABBREVIATIONS = ("e.g.", "i.e.", "vs.", "etc.", "approx.", "fig.", "no.", "et al.", "cf.", "resp.")


@dataclass(slots=True)
class Paragraph:
    """A block of prose; `heading` is True for a section heading."""

    sentences: list[str] = field(default_factory=list)
    heading: bool = False


def titles_of(text: str) -> list[str]:
    """Candidate titles, best first: front-matter title, top headings, a digest entry's paper title,
    then the other headings."""
    found: list[tuple[int, int, str]] = []
    front = _FRONT_MATTER_RE.match(text)
    if front:
        title = _TITLE_FIELD_RE.search(front.group(2))
        if title:
            found.append((0, 0, title.group(1)))
    body = text[front.end() :] if front else text
    pos = 0
    fenced = False
    for line in body.splitlines()[:400]:
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced  # "# load the model" inside a code block is a comment, not a title
        heading = None if fenced else _HEADING_RE.match(line)
        if heading:
            level = len(line.lstrip()) - len(line.lstrip().lstrip("#"))
            found.append((1 if level == 1 else 2, pos, heading.group(1)))
        digest = _DIGEST_TITLE_RE.match(line)
        if digest:
            found.append((1, pos, digest.group(1)))
        pos += len(line) + 1
    for match in _HTML_HEADING_RE.finditer(body[:3000]):
        found.append((1, match.start(), _TAG_RE.sub(" ", match.group(1))))
    found.sort(key=lambda entry: (entry[0], entry[1]))
    # one space between words: a removed tag leaves two ("<em>Zeta</em> v0.1" -> "Zeta v0.1")
    titles = [" ".join(html.unescape(_EMPHASIS_RE.sub("", t)).split()) for _, _, t in found]
    return [t for t in titles if t]


# "GPT\-4", "Llama\-3\.1": converters from HTML to Markdown escape punctuation that a name holds
_MD_ESCAPE_RE = re.compile(r"\\([-.!#*+_`()\[\]{}|~>])")


def unescape_markdown(text: str) -> str:
    """The text with Markdown's backslash escapes of punctuation undone."""
    return _MD_ESCAPE_RE.sub(r"\1", text) if "\\" in text else text


def _fold_table() -> dict[int, str]:
    table = {}
    for code in range(0xC0, 0x250):  # Latin-1 Supplement and Latin Extended-A/B
        base = unicodedata.normalize("NFKD", chr(code))[0]
        if base.isascii() and base.isalpha():
            table[code] = base
    return table


_FOLD = _fold_table()
_ACCENTED_WORD_RE = re.compile(r"[A-Za-z]*[\u00c0-\u024f][A-Za-z\u00c0-\u024f]*")
_ASCII_WORD_RE = re.compile(r"[A-Za-z]{2,}")


def fold_accents(text: str) -> tuple[str, Callable[[str], str]]:
    """The text with accented Latin letters as their base letter, one for one ("Tülu 3" as
    "Tulu 3", so that name patterns of ASCII letters read it), and a function that puts the
    text's own spelling back into a string taken from the folded text."""
    if text.isascii():
        return text, _same
    originals: dict[str, str] = {}
    for word in _ACCENTED_WORD_RE.findall(text):
        originals.setdefault(word.translate(_FOLD), word)
    if not originals:
        return text, _same

    def restore(folded: str) -> str:
        return _ASCII_WORD_RE.sub(lambda m: originals.get(m.group(0), m.group(0)), folded)

    return text.translate(_FOLD), restore


def _same(text: str) -> str:
    return text


def _clean_inline(line: str) -> str:
    if "](" in line:
        line = _LINK_RE.sub(r"\1", line)
    if "http" in line or "www." in line:
        line = _URL_RE.sub(" ", line)
    if "<" in line:
        line = _TAG_RE.sub(" ", line)
    if "*" in line or "_" in line or "`" in line:  # the pattern's look-behinds cost every offset
        line = _EMPHASIS_RE.sub("", line)
    if "&" in line:
        line = html.unescape(line)
    return _SPACES_RE.sub(" ", line.replace("\u00a0", " ")).strip()


def _table_cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def paragraphs(text: str) -> list[Paragraph]:
    """Split a document into paragraphs of sentences; table rows keep only long text cells."""
    front = _FRONT_MATTER_RE.match(text)
    if front:  # the title is a heading and the description a paragraph; the other fields go
        title = _TITLE_FIELD_RE.search(front.group(2))
        summary = front_matter_summary(front.group(2))
        head = (f"# {title.group(1)}\n\n" if title else "") + (f"{summary}\n\n" if summary else "")
        text = head + text[front.end() :]
    for literal, regex in _DROP_RES:
        if literal in text:
            text = regex.sub("\n", text)
    if "<" in text:
        text = _BLOCK_TAG_RE.sub("\n", text)
        text = _BR_RE.sub("\n", text)
    blocks: list[tuple[list[str], bool]] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            blocks.append((current.copy(), False))
            current.clear()

    for raw in text.splitlines():
        stripped = raw.strip()
        if not stripped:
            flush()
            continue
        if stripped.startswith("|"):
            flush()
            cells = _table_cells(stripped)
            row_name = next((c for c in cells if c), "")
            for cell in cells:
                if len(cell.split()) >= 8:
                    # a sentence in a table row is about the row's model: "| Zeta-7B | beats o1 ... |"
                    named = row_name and row_name != cell and len(row_name.split()) <= 6
                    blocks.append(([f"{row_name} — {cell}" if named else cell], False))
            continue
        heading = _HEADING_RE.match(raw)
        if heading:
            flush()
            blocks.append(([heading.group(1)], True))
            continue
        if _ITEM_START_RE.match(raw):
            flush()
        current.append(stripped)
    flush()
    result = []
    for lines, is_heading in blocks:
        joined = _clean_inline(" ".join(lines))
        if joined:
            result.append(Paragraph(split_sentences(joined), is_heading))
    return result


def _sentence_pieces(text: str) -> list[str]:
    """`text` cut where a sentence ends: after [.!?] (and closing quotes or brackets) and spaces
    before a capital, a digit, an opening quote or a Chinese character; right after a Chinese full
    stop, exclamation or question mark; around a bullet. The cuts of a look-behind pattern's `split` (kept in
    tests/bot/claims/test_markup.py), found by scanning for the stop characters instead: that
    pattern opens with a look-behind, so `re` tried it at every offset."""
    size, pieces, last = len(text), [], 0
    for match in _STOP_CHAR_RE.finditer(text):
        at = match.start()
        char = text[at]
        if char in ".!?":
            end = at + 1
            while end < size and text[end] in _CLOSERS:
                end += 1
            spaces = end
            while end < size and text[end].isspace():
                end += 1
            if end == spaces or end >= size or not _opens_sentence(text[end]):
                continue
            cut = (at + 1, end)
        elif char in "●•":
            cut = _with_spaces(text, at, last)
            if char == "•" and (cut[0] == at or cut[1] == at + 1):
                continue  # a small bullet cuts only between spaces

        else:  # a Chinese full stop, exclamation or question mark
            cut = (at + 1, at + 1)
        if cut[0] < last:
            continue
        pieces.append(text[last : cut[0]])
        last = cut[1]
    pieces.append(text[last:])
    return pieces


def _with_spaces(text: str, at: int, last: int) -> tuple[int, int]:
    """The bullet at `at` with the spaces on both sides (not before `last`, the previous cut)."""
    start, end = at, at + 1
    while start > last and text[start - 1].isspace():
        start -= 1
    while end < len(text) and text[end].isspace():
        end += 1
    return start, end


_STOP_CHAR_RE = re.compile("[.!?\u3002\uff01\uff1f\u25cf\u2022]")  # a set first: a fast scan
_CLOSERS = frozenset("\"\u201d')]")
_SENTENCE_OPENERS = frozenset('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"\u201c([\u3010')


def _opens_sentence(char: str) -> bool:
    """A capital, a digit, an opening quote or bracket, or a Chinese character (a bilingual text's
    Chinese sentence after an English one)."""
    return char in _SENTENCE_OPENERS or "\u4e00" <= char <= "\u9fff"


def split_sentences(text: str) -> list[str]:
    """Sentences of one paragraph (English and Chinese punctuation)."""
    pieces = _sentence_pieces(text)
    sentences: list[str] = []
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        if sentences and sentences[-1].lower().endswith(_ABBREVIATIONS):
            sentences[-1] = f"{sentences[-1]} {piece}"
        else:
            sentences.append(piece)
    return sentences
