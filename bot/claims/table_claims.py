"""Benchmark comparison tables in model cards: markdown and HTML.

A table compares models either a column per model (a row per benchmark) or transposed (a row
per model). Header cells may be bold, carry footnote marks or span groups; score cells may be
bold, carry units or be "-". For each competitor column/row against each frontier model's, the
rows where both have a score give benchmark pairs and a win/loss/tie count.
"""

from __future__ import annotations

import functools
import html
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from bot.claims.frontier import FrontierMatcher
from bot.claims.lexicon import LOWER_IS_BETTER_RE
from bot.claims.scan import first_char_guarded
from bot.domain import BenchmarkPair, FrontierModel, Relation

# a delimiter cell: "---", ":--", ":-:", "-:" (one dash only beside a colon: "| - |" is a blank cell)
_MD_DELIMITER = r"\s*(?::-+:?|-+:|-{2,})\s*"
_MD_SEPARATOR_RE = re.compile(rf"^\|?{_MD_DELIMITER}(?:\|{_MD_DELIMITER})*\|?\s*$")
# a table the text's end cuts off (a trimmed card, a feed's summary) ends there
_HTML_TABLE_RE = re.compile(r"<table\b.*?(?:</table>|\Z)", re.DOTALL | re.IGNORECASE)
_CAPTION_RE = re.compile(r"<caption\b[^>]*>(.*?)</caption>", re.DOTALL | re.IGNORECASE)
_TR_RE = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.DOTALL | re.IGNORECASE)
_CELL_RE = re.compile(r"<t([dh])\b([^>]*)>(.*?)</t[dh]>", re.DOTALL | re.IGNORECASE)
_COLSPAN_RE = re.compile(r"colspan\s*=\s*[\"']?(\d+)", re.IGNORECASE)
_ROWSPAN_RE = re.compile(r"rowspan\s*=\s*[\"']?(\d+)", re.IGNORECASE)
_TAG_RE = re.compile(r"<[^>]*>")
_MARK_RE = re.compile(r"\*\*|__|[*†‡§¶⁰¹²³⁴⁵⁶⁷⁸⁹^]|\[\d+\]|`", re.IGNORECASE)
_FOOTNOTE_SUP_RE = re.compile(r"<sup>\s*[\w*†‡§,\-]{0,3}\s*</sup>", re.IGNORECASE)
_LINK_RE = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_EMPTY_RE = re.compile(r"^(?:[-–—/?]|n/?a|none|null|)$", re.IGNORECASE)  # noqa: RUF001
_PARAMS_RE = re.compile(r"^~?\d+(?:\.\d+)?\s*[BMKT]$|^\d+(?:\.\d+)?\s*[BM]\s*[x×]", re.IGNORECASE)  # noqa: RUF001
_NUMBER_RE = re.compile(
    r"^[<>~≈]?\s*(-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*(?:%|pts?|points?)?\s*(?:(?:±|\+/?-)\s*\d+(?:\.\d+)?%?)?"
    r"\s*(?:\(.*\))?(?:\s*/.*)?$"
)
_CAPTION_LINES = 3  # non-empty lines before a table read as its caption
_NOT_BENCHMARK_RE = first_char_guarded(
    r"param|size|architecture|context|release|date|licen[cs]e|tokens?$|#|shots?$|download|type|year|open"
    # speed, price and footprint rows are no capability
    r"|latency|speed|throughput|tokens?/s|cost|price|\$|memory|vram|ttft|time to first",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Table:
    """A table as text cells: header rows (for grouped headers) and body rows."""

    header: list[list[str]]
    body: list[list[str]]
    raw_body: list[str]
    lower_is_better: bool = False  # the caption says so for every row
    heading: str = ""  # the section heading the table stands under
    caption: str = ""  # the lines just before it (its lead-in), or its HTML caption


@dataclass(frozen=True, slots=True)
class TableHit:
    """A competitor's scores against a frontier model's in one table."""

    competitor: str
    frontier: FrontierModel
    pairs: tuple[BenchmarkPair, ...]
    wins: int
    losses: int
    ties: int
    evidence: str

    @property
    def relation(self) -> Relation:
        """The rows' reading (`table_relation`)."""
        return table_relation(self.wins, self.losses, self.ties)


def table_relation(wins: int, losses: int, ties: int) -> Relation:
    """What a table says: `exceeds` only when more than two thirds of the compared rows are ahead,
    `trails` only when more than two thirds are behind, `matches` otherwise: rows that split are
    parity, as a careful reader labels them (a narrow lead or a narrow deficit)."""
    rows = wins + losses + ties
    if rows and wins * 3 > rows * 2:
        return Relation.EXCEEDS
    if losses * 3 > rows * 2:
        return Relation.TRAILS
    return Relation.MATCHES


@functools.lru_cache(maxsize=16384)
def clean_cell(cell: str) -> str:
    """Cell text without markup, links, footnote marks or emphasis."""
    if not _CELL_MARKUP_RE.search(cell):
        return " ".join(cell.split())  # most cells: a number or a plain name
    text = _LINK_RE.sub(r"\1", cell)
    text = _FOOTNOTE_SUP_RE.sub("", text)  # "<sup>1</sup>", "<sup>*</sup>"; "<sup>Kimi K2</sup>" stays
    text = _TAG_RE.sub(" ", text)
    text = _MARK_RE.sub("", html.unescape(text))
    text = _SYMBOLS_ONLY_RE.sub("", text)  # "Zeta-7B (🤗🤖)": link icons left by the links
    return " ".join(text.split())


# a character that one of clean_cell's rules acts on (markup, link, footnote, emphasis, entity)
_CELL_MARKUP_RE = re.compile(r"[<>\[\]()*_&`^†‡§¶⁰¹²³⁴⁵⁶⁷⁸⁹]")
_EMOJI_RE = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\u2b50\u2b06\u2b07\ufe0f]")
_SYMBOLS_ONLY_RE = re.compile(r"\s*[(\[][^\w()\[\]]*[)\]]")


@functools.lru_cache(maxsize=16384)
def parse_score(cell: str) -> float | None:
    """A score cell as a number; None for "-", blanks, parameter counts and text."""
    text = _EMOJI_RE.sub("", clean_cell(cell)).strip()  # "🥇7.85", "7.85 ✅"
    if _EMPTY_RE.match(text) or _PARAMS_RE.match(text):
        return None
    match = _NUMBER_RE.match(text)
    if match is None and "|" in text:  # several splits in one cell ("dev | test"): their mean
        values = [parse_score(part) for part in text.split("|") if part.strip()]
        numbers = [v for v in values if v is not None]
        return round(sum(numbers) / len(numbers), 4) if numbers and len(numbers) == len(values) else None
    return float(match.group(1).replace(",", "")) if match else None  # "2,029": a rating


_REPEATED_SIZE_RE = re.compile(r"\s+\(?(\d+(?:\.\d+)?[BbMm])\)?$")


def _header_label(cell: str) -> str:
    """A header cell without a size line that repeats its name's size ("Zeta-14B<br>14B")."""
    repeated = _REPEATED_SIZE_RE.search(cell)
    if repeated and repeated.group(1).lower() in cell[: repeated.start()].lower():
        return cell[: repeated.start()]
    return cell


def _md_cells(line: str) -> list[str]:
    return [clean_cell(c) for c in line.strip().strip("|").split("|")]


def _caption_before(lines: list[str], start: int) -> str:
    """The few non-empty lines just before line `start` (a table's caption or lead-in)."""
    found: list[str] = []
    k = start - 1
    while k >= 0 and len(found) < _CAPTION_LINES and not lines[k].lstrip().startswith("|"):
        if lines[k].strip():
            found.append(lines[k])
        k -= 1
    return " ".join(reversed(found))


def _piped(lines: list[str]) -> list[str]:
    """Tables written without outer pipes ("Benchmark | Zeta | GPT-4o" over "---|---|---") given
    them, so that every table row starts with "|"."""
    out = list(lines)
    for k in range(1, len(lines)):
        line = lines[k]
        if "|" not in line or line.lstrip().startswith("|") or not _MD_SEPARATOR_RE.match(line.strip()):
            continue
        if "|" not in lines[k - 1] or lines[k - 1].lstrip().startswith("|"):
            continue
        out[k - 1] = f"| {lines[k - 1].strip()}"
        out[k] = f"| {line.strip()}"
        j = k + 1
        while j < len(lines) and "|" in lines[j] and lines[j].strip():
            if not lines[j].lstrip().startswith("|"):
                out[j] = f"| {lines[j].strip()}"
            j += 1
    return out


def _markdown_tables(text: str) -> Iterator[Table]:
    lines = _piped(text.splitlines()) if "|" in text else text.splitlines()
    i = 0
    heading = ""
    while i < len(lines):
        if not lines[i].lstrip().startswith("|"):
            if lines[i].startswith("#"):
                heading = lines[i].lstrip("#").strip()
            i += 1
            continue
        block = []
        while i < len(lines) and lines[i].lstrip().startswith("|"):
            block.append(lines[i].strip())
            i += 1
        sep = next((k for k, line in enumerate(block) if _MD_SEPARATOR_RE.match(line)), None)
        if sep is None or sep == 0:
            continue
        header = [[_header_label(c) for c in _md_cells(r)] for r in block[:sep]]
        rows = block[sep + 1 :]
        # "| | Closed | | Open | |" or "| | Closed | Closed | Open |" above the separator, the model
        # names in the first body row
        while rows and header and _group_row(header[-1]) and _label_row(_md_cells(rows[0])):
            header.append(_md_cells(rows.pop(0)))
        body: list[list[str]] = []
        raw: list[str] = []
        for line in rows:
            stacked = _unstack(line.strip().strip("|").split("|"))
            for cells in stacked:  # "| Math | AIME<br>MATH | 74.3<br>96.4 |": one row per benchmark
                body.append([clean_cell(c) for c in cells])
                raw.append(line if len(stacked) == 1 else "| " + " | ".join(body[-1]) + " |")
        caption = _caption_before(lines, i - len(block))
        yield Table(header, body, raw, bool(LOWER_IS_BETTER_RE.search(caption)), heading, caption)


def _group_row(cells: list[str]) -> bool:
    """A header row of group labels: some left empty or repeated across the columns they span."""
    rest = cells[1:]
    return "" in rest or len(set(rest)) < len(rest)


def _label_row(cells: list[str]) -> bool:
    """A row of labels only (no score after its first cell), with at least two of them."""
    rest = [c for c in cells[1:] if c]
    return len(rest) >= 2 and all(parse_score(c) is None for c in rest)


def _take_carried(cells: list[str], carry: dict[int, tuple[int, str]]) -> None:
    while len(cells) in carry:
        left, text = carry.pop(len(cells))
        if left > 1:
            carry[len(cells)] = (left - 1, text)
        cells.append(text)


def _html_rows(table: str) -> Iterator[tuple[list[str], bool]]:
    """Rows as (cells, all header cells), with colspan repeated and rowspan carried down."""
    carry: dict[int, tuple[int, str]] = {}
    for row in _TR_RE.finditer(table):
        raw_cells = _CELL_RE.findall(row.group(1))
        for stacked in _unstack([content for _, _, content in raw_cells]):
            cells: list[str] = []
            all_th = True
            for (kind, attrs, _), content in zip(raw_cells, stacked, strict=True):
                _take_carried(cells, carry)
                span = _COLSPAN_RE.search(attrs)
                down = _ROWSPAN_RE.search(attrs)
                text = clean_cell(content)
                for _ in range(int(span.group(1)) if span else 1):
                    if down and int(down.group(1)) > 1:
                        carry[len(cells)] = (int(down.group(1)) - 1, text)
                    cells.append(text)
                all_th = all_th and kind.lower() == "th"
            _take_carried(cells, carry)
            if cells:
                yield cells, all_th


_BR_RE = re.compile(r"<br\s*/?>", re.IGNORECASE)


def _unstack(contents: list[str]) -> list[list[str]]:
    """One row (HTML or markdown) whose cells stack several rows with <br> ("A<br>B<br>C" beside
    "1<br>2<br>3") as that many rows; the other cells repeat. A row without such stacking stays one."""
    parts = [_BR_RE.split(c) for c in contents]
    counts = [len(p) for p in parts]
    depth = max(counts, default=1)
    if depth < 2 or counts.count(depth) < 2:
        return [contents]
    return [
        [p[k] if len(p) == depth else c for p, c in zip(parts, contents, strict=True)] for k in range(depth)
    ]


def _html_tables(text: str) -> Iterator[Table]:
    for table in _HTML_TABLE_RE.finditer(text):
        header: list[list[str]] = []
        body: list[list[str]] = []
        raw: list[str] = []
        for cells, all_th in _html_rows(table.group(0)):
            if len(set(cells)) <= 1:  # a group label spanning the row ("Proprietary")
                continue
            numeric = any(parse_score(c) is not None for c in cells[1:])
            if not body and (all_th or not numeric):
                header.append([_header_label(c) for c in cells])
            else:
                body.append(cells)
                raw.append("| " + " | ".join(cells) + " |")
        if header and body:
            caption = text[max(0, table.start() - 300) : table.start()] + " ".join(
                _CAPTION_RE.findall(table.group(0))
            )
            lower = bool(LOWER_IS_BETTER_RE.search(caption.rsplit("</table>", 1)[-1]))
            start = text.rfind("\n#", 0, table.start())
            heading = text[start + 1 : text.find("\n", start + 1)].lstrip("#").strip() if start >= 0 else ""
            yield Table(header, body, raw, lower, heading, caption.rsplit("</table>", 1)[-1][-300:])


def parse_tables(text: str) -> list[Table]:
    """Every markdown and HTML table in a document."""
    return [*_markdown_tables(text), *_html_tables(text)]


def _column_labels(table: Table, *, last_row_only: bool = False) -> list[str]:
    width = max(len(r) for r in (*table.header, *table.body))
    labels = []
    for col in range(width):
        parts: list[str] = []
        for row in table.header[-1:] if last_row_only else table.header:
            cell = row[col] if col < len(row) else ""
            if cell and cell not in parts:
                parts.append(cell)
        labels.append(" ".join(parts))
    return labels


_SIZE_CELL_RE = re.compile(r"^~?[\d.]+\s*[BMKT]?(?:\s*/\s*~?[\d.]+\s*[BMKT]?)*$|^-$|^\d+-shot$", re.I)


def _row_label(row: list[str], first_score: int, name_col: int | None = None) -> str:
    """The name of a row: the cell of the column headed "Model" when there is one before the
    scores ("| Model | Checkpoint | Paper | HumanEval |"), else the last text cell before the scores,
    skipping size cells ("321B", "300B/424B", "-") and shot counts."""
    if name_col is not None and name_col < first_score and _LETTER_RE.search(row[name_col]):
        return _unmarked(row[name_col])
    labels = [
        c
        for c in row[:first_score]
        if c and not _SIZE_CELL_RE.match(c) and _LETTER_RE.search(c) and not _FLAG_CELL_RE.match(c)
    ]
    return _unmarked(labels[-1]) if labels else ""


def _unmarked(label: str) -> str:
    """A row's name without the emoji that mark it ("⭐ Zeta-4B", "Zeta-4B 🔥")."""
    return _EMOJI_RE.sub("", label).strip() if _EMOJI_RE.search(label) else label


_LETTER_RE = re.compile(r"[A-Za-z\u4e00-\u9fff]")  # "✅", "❌", "—" are flags, not names
_FLAG_CELL_RE = re.compile(
    r"^(?:yes|no|y|n|open|closed|api|open[- ]source|proprietary|开源|闭源|是|否)$", re.I
)


# a header that names the column of model names
_NAME_HEADER_RE = re.compile(r"^(?:models?|model names?|names?|systems?|模型|模型名称|名称)$", re.IGNORECASE)


def _name_column(table: Table) -> int | None:
    """The column headed "Model" (or "模型", "Name"), when its header says so."""
    labels = _column_labels(table)
    return next((k for k, label in enumerate(labels) if _NAME_HEADER_RE.match(label.strip())), None)


def _compare(
    benchmarks: list[tuple[str, str, str]],
    competitor: str,
    frontier: FrontierModel,
    evidence: list[str],
    lower_is_better: bool = False,
    flags: _LabelFlags | None = None,
) -> TableHit | None:
    pairs: list[BenchmarkPair] = []
    wins = losses = ties = 0
    flags = flags if flags is not None else _LabelFlags()
    for label, ours, theirs in benchmarks:
        if not label or flags[label][0]:
            continue
        a, b = parse_score(ours), parse_score(theirs)
        pairs.append(BenchmarkPair(label, a, b))
        if a is None or b is None:
            continue
        diff = (b - a) if lower_is_better or flags[label][1] else (a - b)
        wins, losses, ties = wins + (diff > 0), losses + (diff < 0), ties + (diff == 0)
    if wins + losses + ties < 2:
        return None
    return TableHit(competitor, frontier, tuple(pairs), wins, losses, ties, " / ".join(evidence))


class _LabelFlags(dict[str, tuple[bool, bool]]):
    """Per table: whether a row label is no benchmark, and whether lower is better for it (a label
    is met once per pair of compared columns)."""

    def __missing__(self, label: str) -> tuple[bool, bool]:
        flags = self[label] = (
            _NOT_BENCHMARK_RE.search(label) is not None,
            LOWER_IS_BETTER_RE.search(label) is not None,
        )
        return flags


def _first_score_index(row: list[str]) -> int:
    return next((k for k, c in enumerate(row) if parse_score(c) is not None), len(row))


def _all_labels(table: Table) -> list[str]:
    """Every column and row label of the table."""
    name_col = _name_column(table)
    labels = [*_column_labels(table), *(_row_label(r, _first_score_index(r), name_col) for r in table.body)]
    return [label for label in labels if label]


def _table_rank(
    table: Table,
    own_rank: Callable[[str], int],
    section_rank: Callable[[str], Callable[[str], int] | None] | None,
    released_ranks: Sequence[Callable[[str], int]],
    caption_ranks: Callable[[str], Sequence[Callable[[str], int]]] | None,
) -> Callable[[str], int]:
    """The rank that names the table's own model: the document's, else its section heading's, else
    another released model's, else its lead-in's (the first of them the table names)."""
    labels = _all_labels(table)

    def names(rank: Callable[[str], int]) -> bool:
        return any(rank(label) > 0 for label in labels)

    if names(own_rank):
        return own_rank
    section = section_rank(table.heading) if section_rank is not None and table.heading else None
    if section is not None and names(section):
        return section
    candidates = itertools.chain(
        released_ranks, caption_ranks(table.caption) if caption_ranks is not None and table.caption else ()
    )
    return next((r for r in candidates if names(r)), own_rank)


def compare_tables(
    tables: list[Table],
    own_rank: Callable[[str], int],
    matcher: FrontierMatcher,
    section_rank: Callable[[str], Callable[[str], int] | None] | None = None,
    released_ranks: Sequence[Callable[[str], int]] = (),
    caption_ranks: Callable[[str], Sequence[Callable[[str], int]]] | None = None,
) -> list[TableHit]:
    """Competitor-vs-tracked-frontier comparisons in `tables`.

    Args:
        tables: parsed tables.
        own_rank: how surely a header/row label names the document's own model (0: not at all).
            In each table only the labels of the best rank present count, so a card's main
            model is compared where it has a column, and its size variants where it has none.
        matcher: finds frontier models in header/row labels.
        section_rank: for a table that does not name the document's model, the rank of the model
            its section heading names ("## Eurux-8x22B-NCA" over that model's table), if any.
        released_ranks: for a table that names neither, the ranks of the other models the text
            releases, in order ("We released Zeta-Coder-33B" in a README whose title is the family's
            chat model): the first the table names is its model.
        caption_ranks: for a table that names none of those, the ranks of the models its lead-in
            names ("Zeta-8x22B is comparable to GPT-4o:" over a table of many models), in order.
    """
    hits: list[TableHit] = []
    default_rank = own_rank
    for table in tables:
        own_rank = _table_rank(table, default_rank, section_rank, released_ranks, caption_ranks)
        flags = _LabelFlags()
        table = pivot_long(table, own_rank, matcher) or table
        labels = full_labels = _column_labels(table)
        ours = _best_ranked(labels, own_rank)
        theirs = _frontier_slots(labels, matcher)
        if not (ours and theirs) and len(table.header) > 1:
            # group headers above the names ("Closed" over "GPT-4o | o1-mini", "Open" over "Zeta-2"):
            # the lowest header row alone names the columns
            labels = _column_labels(table, last_row_only=True)
            ours = _best_ranked(labels, own_rank)
            theirs = _frontier_slots(labels, matcher)
        if ours and theirs:  # a column per model, a row per benchmark
            row_labels = [_row_label(r, _first_score_index(r)) for r in table.body]
            for o in ours:
                for f, model in theirs:
                    rows = [
                        (label, r[o], r[f], raw)
                        for r, raw, label in zip(table.body, table.raw_body, row_labels, strict=False)
                        if max(o, f) < len(r)
                    ]
                    hit = _compare(
                        [(a, b, c) for a, b, c, _ in rows],
                        labels[o],
                        model,
                        _evidence(rows),
                        table.lower_is_better,
                        flags,
                    )
                    if hit:
                        hits.append(hit)
            continue
        # transposed: a row per model, a column per benchmark (named by every header row: "Text
        # Edit ↓" over "EN")
        labels = full_labels
        name_col = _name_column(table)
        names = [_row_label(r, _first_score_index(r), name_col) for r in table.body]
        own_rows = _best_ranked(names, own_rank)
        frontier_rows = _frontier_slots(names, matcher)
        for o in own_rows:
            for f, model in frontier_rows:
                row_o, row_f = table.body[o], table.body[f]
                cols = [
                    (labels[k] if k < len(labels) else "", row_o[k], row_f[k])
                    for k in range(_first_score_index(row_o), min(len(row_o), len(row_f)))
                ]
                hit = _compare(
                    cols,
                    names[o],
                    model,
                    [table.raw_body[o], table.raw_body[f]],
                    table.lower_is_better,
                    flags,
                )
                if hit:
                    hits.append(hit)
    return hits


def pivot_long(table: Table, own_rank: Callable[[str], int], matcher: FrontierMatcher) -> Table | None:
    """A long-format table (a row per benchmark and model: "MMLU | Zeta-7B | 80.1", "MMLU | GPT-4o |
    82.0") as a column per model and a row per benchmark; None when the table is not one.

    The model column is the one where the card's model and a tracked frontier model both appear
    in several rows (a table with a row per model names each once); the benchmark is what the
    cells before it say; the score is the first number after it."""
    width = min((len(r) for r in table.body), default=0)
    for col in range(width):
        names = [r[col] for r in table.body]
        if sum(1 for n in names if n and _LETTER_RE.search(n)) < 4:
            continue  # a column of scores: no model named twice and a frontier model twice
        own = sum(1 for n in names if n and own_rank(n))
        if own < 2 or len(_frontier_slots(names, matcher)) < 2:
            continue  # long format repeats each model, once per benchmark
        models: list[str] = []
        scores: dict[str, dict[str, str]] = {}
        for row in table.body:
            score = next((c for c in row[col + 1 :] if parse_score(c) is not None), None)
            if score is None or not row[col]:
                continue
            bench = " ".join(dict.fromkeys(c for c in row[:col] if c)) or "score"
            if row[col] not in models:
                models.append(row[col])
            scores.setdefault(bench, {})[row[col]] = score
        if len(scores) < 2:
            return None
        body = [[bench, *(by_model.get(m, "-") for m in models)] for bench, by_model in scores.items()]
        raw = ["| " + " | ".join(r) + " |" for r in body]
        return Table([["Benchmark", *models]], body, raw, table.lower_is_better)
    return None


def model_labels(tables: list[Table], matcher: FrontierMatcher, *, untracked: bool = False) -> list[str]:
    """Column and row labels of tables that compare with a tracked frontier model, other than the
    registry's models (with `untracked`, other than the tracked ones only), in order: who else the
    tables score ("Zeta-32B", "Llama-3.1-70B")."""
    out: list[str] = []
    for table in tables:
        labels = _column_labels(table)
        if not _frontier_slots(labels, matcher):
            labels = [_row_label(r, _first_score_index(r)) for r in table.body]
            if not _frontier_slots(labels, matcher):
                continue
        out.extend(
            label
            for label in labels
            if label
            and not any(m.model.tracked or not untracked for m in matcher.find(label))
            and label not in out
        )
    return out


def _best_ranked(labels: list[str], own_rank: Callable[[str], int]) -> list[int]:
    ranks = [own_rank(label) if label else 0 for label in labels]
    best = max(ranks, default=0)
    return [k for k, rank in enumerate(ranks) if best and rank == best]


# "WebWeaver(Claude-Sonnet-4)", "ReAct (GPT-4o)": a system named first, its backbone in brackets
_BACKBONE_RE = re.compile(r"\w[^()（）]*[(（]\s*$")  # noqa: RUF001


# "o1 (teacher)", "GPT-4o (judge)": the frontier model's role in the method, not a rival
_ROLE_NOTE_RE = re.compile(r"(?i)[(（]\s*(?:teacher|judge|annotator|教师|裁判|评判)[^()（）]*[)）]")  # noqa: RUF001


def backbone_label(label: str, start: int) -> bool:
    """Whether the frontier model named at `start` of a table label is the backbone of another
    system, written in brackets after that system's name, or is labelled with its role in the
    method ("o1 (teacher)"): that row is not the frontier model competing."""
    return bool(_BACKBONE_RE.search(label, 0, start) or _ROLE_NOTE_RE.search(label, start))


def _frontier_slots(labels: list[str], matcher: FrontierMatcher) -> list[tuple[int, FrontierModel]]:
    slots = []
    for k, label in enumerate(labels):
        found = matcher.find(label) if label else []
        if (
            len(found) == 1
            and found[0].model.tracked
            and len(label) - (found[0].end - found[0].start) < 25
            and not backbone_label(label, found[0].start)
        ):
            slots.append((k, found[0].model))
    return slots


def _evidence(rows: list[tuple[str, str, str, str]]) -> list[str]:
    scored = [raw for label, a, b, raw in rows if parse_score(a) is not None and parse_score(b) is not None]
    return scored[:1]


# "Zeta Stage 2: 16K", "Zeta (step 3)", "Zeta-Round-4": a training stage of one model
_STAGE_RE = re.compile(r"(?i)\b(?:stage|step|phase|round|iter(?:ation)?|epoch)[\s_-]*(\d+)\b")


def superseded_stages(labels: Iterable[str]) -> set[str]:
    """Labels that are earlier training stages of a model whose later stage is also listed
    ("Zeta Stage 1" and "Zeta Stage 2" beside "Zeta Stage 3"): the release is the last stage, the
    others are steps on the way and claim nothing of their own."""
    stages: dict[str, list[tuple[int, str]]] = {}
    for label in labels:
        match = _STAGE_RE.search(label)
        if match is None:
            continue
        stem = re.sub(r"\W+", "", label[: match.start()].lower())
        stages.setdefault(stem, []).append((int(match.group(1)), label))
    earlier = set()
    for found in stages.values():
        last = max(number for number, _ in found)
        earlier |= {label for number, label in found if number < last}
    return earlier
