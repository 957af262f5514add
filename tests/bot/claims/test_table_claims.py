"""Comparison tables: markdown and HTML, a column per model or transposed."""

from __future__ import annotations

import pytest

from bot.claims import ClaimDetector, FrontierRegistry
from bot.claims.detector import series_flagship, tagged_variants
from bot.claims.params import DEFAULT
from bot.claims.table_claims import (
    backbone_label,
    parse_score,
    parse_tables,
    superseded_stages,
    table_relation,
)
from bot.domain import Relation

DETECTOR = ClaimDetector(FrontierRegistry.builtin())

COLUMNS_MD = """# Heron-14B

Heron-14B is our new open model. Results are below.

| Category | Benchmark (Metric) | Heron-7B | **Heron-14B** | Llama-3.1-405B | GPT-4o-0513 |
|---|---|---|---|---|---|
| | # Total Params | 7B | 14B | 405B | - |
| Math | MATH-500 (EM) | 70.1 | **81.2** | 73.8 | 74.6 |
| | AIME 2024 (Pass@1)<sup>1</sup> | 10.0 | **20.0%** | 23.3 | 9.3 |
| Code | HumanEval | 60.2 | 80.5* | 77.2 | **90.2** |
| | LiveCodeBench | - | 33.0 | 30.1 | - |
| English | GPQA | 40.0 | 52.0 | 51.1 | 49.9 |

<sup>1</sup> averaged over 16 samples.
"""

TRANSPOSED_MD = """# Kite-32B-Preview

| Model | AIME24 | MATH500 | GPQA | LCB |
|:---|:---:|:---:|:---:|:---:|
| o1-mini | 63.6 | 90.0 | **60.0** | 53.8 |
| Qwen2.5-32B-Instruct | 16.7 | 82.0 | 49.0 | 30.1 |
| **Kite-32B-Preview** | **70.0** | **91.2** | 55.0 | **55.5** |
"""

GROUPED_HTML = """<h1>Lumen-V 2.0</h1>
<p>Lumen-V 2.0 is a vision-language model for phones.</p>
<table>
  <thead>
    <tr><th rowspan="2">Model</th><th colspan="2">Documents</th><th colspan="2">Charts</th></tr>
    <tr><th>DocVQA</th><th>InfoVQA</th><th>ChartQA</th><th>Hallucination rate (lower is better)</th></tr>
  </thead>
  <tbody>
    <tr><td colspan="5"><b>Proprietary</b></td></tr>
    <tr><td>GPT-4V</td><td>88.4</td><td>75.1</td><td>78.5</td><td>12.0</td></tr>
    <tr><td>Gemini 1.5 Pro</td><td>93.1</td><td>81.0</td><td>87.2</td><td>9.0</td></tr>
    <tr><td colspan="5"><b>Open</b></td></tr>
    <tr><td><b>Lumen-V 2.0</b></td><td><b>90.8</b></td><td>80.2</td><td>83.0</td><td>10.0</td></tr>
  </tbody>
</table>
"""

SPLIT_MD = """# Wren-8B

| Benchmark | Wren-8B | Claude 3 Opus |
|---|---|---|
| MMLU | 80.0 | 86.8 |
| GSM8K | 96.0 | 95.0 |
"""

PROSE_AND_TABLE = """# Nova-R1

Nova-R1 achieves performance comparable to OpenAI-o1-1217 on reasoning tasks.

| Benchmark | OpenAI o1-1217 | Nova-R1 |
|---|---|---|
| AIME 2024 | 79.2 | **79.8** |
| GPQA Diamond | **75.7** | 71.5 |
| Codeforces (Rating) | **2061** | 2029 |
"""

OPEN_ONLY_MD = """# Finch-3B

| Benchmark | Finch-3B | Phi-3-mini | Llama-3.2-3B |
|---|---|---|---|
| MMLU | 70.0 | 69.0 | 63.4 |
| GSM8K | 80.0 | 82.5 | 77.7 |
"""

# a delimiter row of one-dash cells beside colons (":-:"), a blank first header cell
ALIGNED_MD = """# Finch-9B

| | Finch-9B | GPT-4o |
|:-|:-:|-:|
| MMLU | 90.0 | 87.2 |
| GSM8K | 96.0 | 92.9 |
| MATH | 80.3 | 76.6 |
"""

# a size line under the model's name in the header ("Finch-9B<br>9B")
SIZE_LINE_MD = """# Finch-9B

| Benchmark | Finch-9B<br>9B | GPT-4o<br>- |
|---|---|---|
| MMLU | 90.0 | 87.2 |
| GSM8K | 96.0 | 92.9 |
| MATH | 80.3 | 76.6 |
"""

# a card about several models: a table that does not name the main model is the model its section
# heading names; a table under a heading that names none stays unread
SECTION_MD = """# Finch-7B

We release Finch-7B and Wren-9B. Finch-7B is small.

## Wren-9B

| Model | MMLU | GSM8K | MATH |
|---|---|---|---|
| GPT-4o | 88.7 | 95.8 | 76.6 |
| Wren-9B | 90.0 | 96.0 | 80.0 |

## Other results

| Model | MMLU | GSM8K | MATH |
|---|---|---|---|
| GPT-4o | 88.7 | 95.8 | 76.6 |
| Kite-3B | 90.0 | 96.0 | 80.0 |
"""

# (document, expected {(competitor, frontier, relation)}, expected origins)
CASES = [
    (COLUMNS_MD, {("Heron-14B", "gpt-4o", Relation.EXCEEDS)}),
    (TRANSPOSED_MD, {("Kite-32B-Preview", "o1-mini", Relation.EXCEEDS)}),
    (
        GROUPED_HTML,
        {("Lumen-V 2.0", "gpt-4v", Relation.EXCEEDS), ("Lumen-V 2.0", "gemini-1.5-pro", Relation.TRAILS)},
    ),
    (SPLIT_MD, {("Wren-8B", "claude-3-opus", Relation.MATCHES)}),
    (PROSE_AND_TABLE, {("Nova-R1", "o1", Relation.MATCHES)}),
    (OPEN_ONLY_MD, set()),
    (ALIGNED_MD, {("Finch-9B", "gpt-4o", Relation.EXCEEDS)}),
    (SIZE_LINE_MD, {("Finch-9B", "gpt-4o", Relation.EXCEEDS)}),
    (SECTION_MD, {("Wren-9B", "gpt-4o", Relation.EXCEEDS)}),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_table_claims(text: str, expected: set[tuple[str, str, Relation]]) -> None:
    claims = DETECTOR.detect_text(text)
    assert {(c.competitor, c.frontier_key, c.relation) for c in claims} == expected


def test_table_only_claim_says_where_its_relation_came_from() -> None:
    (claim,) = DETECTOR.detect_text(COLUMNS_MD)
    assert claim.origin == "table"
    assert "table majority" in claim.evidence
    assert "ahead on 3, behind on 1" in claim.evidence
    pairs = {b.benchmark: (b.competitor, b.frontier) for b in claim.benchmarks}
    assert pairs["MATH-500 (EM)"] == (81.2, 74.6)
    assert pairs["AIME 2024 (Pass@1)"] == (20.0, 9.3)  # footnote and unit dropped
    assert pairs["LiveCodeBench"] == (33.0, None)  # "-" is no score
    assert not any("Params" in name for name in pairs)


def test_prose_claim_keeps_its_relation_and_gains_the_table_scores() -> None:
    (claim,) = DETECTOR.detect_text(PROSE_AND_TABLE)
    assert claim.origin == "prose"
    assert claim.relation is Relation.MATCHES
    assert {b.benchmark: (b.competitor, b.frontier) for b in claim.benchmarks}["AIME 2024"] == (79.8, 79.2)


def test_lower_is_better_rows_are_inverted() -> None:
    claims = {c.frontier_key: c for c in DETECTOR.detect_text(GROUPED_HTML)}
    # 3 wins of 4 against GPT-4V, including a lower hallucination rate
    assert "ahead on 4, behind on 0" in claims["gpt-4v"].evidence


def test_grouped_html_header_labels_the_benchmarks() -> None:
    (table,) = parse_tables(GROUPED_HTML)
    assert len(table.header) == 2
    assert [row[0] for row in table.body] == ["GPT-4V", "Gemini 1.5 Pro", "Lumen-V 2.0"]
    assert table.header[1][4] == "Hallucination rate (lower is better)"


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("81.2", 81.2),
        ("**81.2**", 81.2),
        ("2,029", 2029.0),  # a rating with a thousands separator
        ("1,234.5", 1234.5),
        ("12,34", None),  # not a thousands group
        ("<b>90.8</b>", 90.8),
        ("20.0%", 20.0),
        ("80.5*", 80.5),
        ("72.6 (±0.3)", 72.6),
        ("85.4/81.7", 85.4),
        ("-", None),
        ("–", None),
        ("N/A", None),
        ("", None),
        ("37B", None),
        ("MoE", None),
        ("2061", 2061.0),
        ("🥇7.85", 7.85),  # a medal before the best score
        ("**🥈80.09**", 80.09),
        ("7.5 ✅", 7.5),
    ],
)
def test_parse_score(cell: str, value: float | None) -> None:
    assert parse_score(cell) == value


# --- issue 9, family 8: tables the first rules got wrong (all written for these tests) -------------

STD_CELLS_MD = """# Pallas-9B

| Benchmark | Pallas-9B | GPT-4o |
|---|---|---|
| MMLU | 84.1 ± 0.3 | 80.2 ± 0.4 |
| GPQA | 51.0 ± 1.2 | 49.9 ± 0.9 |
| MATH | 77.3±0.5 | 76.6±0.2 |
"""

CAPTION_LOWER_MD = """# Pallas-9B

Table 2: word error rate on speech benchmarks (lower is better).

| Benchmark | Pallas-9B | GPT-4o |
|---|---|---|
| LibriSpeech clean | 1.8 | 2.6 |
| LibriSpeech other | 3.9 | 5.1 |
| CommonVoice | 8.0 | 9.5 |
"""

OURS_MD = """# Pallas-9B

| Benchmark | Llama-3-8B | Ours | o1-mini |
|---|---|---|---|
| AIME24 | 10.0 | 58.0 | 56.7 |
| MATH500 | 50.2 | 91.0 | 90.0 |
| GPQA | 30.1 | 59.9 | 60.0 |
"""

SEVERAL_FRONTIER_MD = """# Pallas-9B

| Benchmark | Pallas-9B | GPT-4o | Claude 3.5 Sonnet | o1-mini |
|---|---|---|---|---|
| MMLU | 85.0 | 88.7 | 88.3 | 85.2 |
| HumanEval | 92.0 | 90.2 | 92.0 | 92.4 |
| MATH | 80.0 | 76.6 | 71.1 | 90.0 |
| GPQA | 55.0 | 53.6 | 59.4 | 60.0 |
"""

ROWS_HTML = """<h1>Pallas-9B</h1>
<table>
<tr><th></th><th>Model</th><th>Params</th><th>MMLU</th><th>GPQA</th><th>MATH</th></tr>
<tr><td rowspan="2">Open</td><td>Pallas-9B</td><td>9B</td><td>81.0</td><td>50.0</td><td>70.0</td></tr>
<tr><td>Llama-3-8B</td><td>8B</td><td>66.0</td><td>30.0</td><td>30.0</td></tr>
<tr><td rowspan="1">Closed</td><td>GPT-4o</td><td>-</td><td>88.7</td><td>53.6</td><td>76.6</td></tr>
</table>
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(STD_CELLS_MD, {("Pallas-9B", "gpt-4o", Relation.EXCEEDS)}, id="plus-minus std cells"),
        pytest.param(
            CAPTION_LOWER_MD, {("Pallas-9B", "gpt-4o", Relation.EXCEEDS)}, id="lower is better in caption"
        ),
        pytest.param(OURS_MD, {("Pallas-9B", "o1-mini", Relation.MATCHES)}, id="column headed Ours"),
        pytest.param(
            SEVERAL_FRONTIER_MD,
            {
                ("Pallas-9B", "gpt-4o", Relation.EXCEEDS),
                # 1 ahead, 2 behind, 1 tie: no two-thirds majority either way
                ("Pallas-9B", "claude-3.5-sonnet-20240620", Relation.MATCHES),
                ("Pallas-9B", "o1-mini", Relation.TRAILS),
            },
            id="several frontier columns",
        ),
        pytest.param(
            ROWS_HTML, {("Pallas-9B", "gpt-4o", Relation.TRAILS)}, id="models as HTML rows with size cells"
        ),
    ],
)
def test_family_8_tables(text: str, expected: set[tuple[str, str, Relation]]) -> None:
    got = {(c.competitor, c.frontier_key, c.relation) for c in DETECTOR.detect_text(text)}
    assert got == expected


STACKED_HTML = """<h1>Pallas-Audio</h1>
<table>
<tr><th>Benchmark</th><th>Model</th><th>Score</th></tr>
<tr><td>SpeechChat</td><td>Orrin-7B<br>GPT-4o<br>Pallas-Audio</td><td>5.1<br>6.0<br>6.4</td></tr>
<tr><td>SoundChat</td><td>Orrin-7B<br>GPT-4o<br>Pallas-Audio</td><td>4.0 | 4.2<br>5.5 | 5.7<br>6.1 | 6.3</td></tr>
</table>
"""


def test_stacked_html_cells_are_rows() -> None:
    (table,) = parse_tables(STACKED_HTML)
    assert [row[1] for row in table.body] == ["Orrin-7B", "GPT-4o", "Pallas-Audio"] * 2
    assert parse_score("5.5 | 5.7") == 5.6
    assert parse_score("5.5 | n/a") is None


LONG_HTML = """<h1>Pallas-Audio</h1>
<table>
<tr><th>Task</th><th>Dataset</th><th>Model</th><th>Metric</th><th>Result</th></tr>
<tr><td rowspan="4">ASR</td><td rowspan="2">SpeechSet</td><td>GPT-4o</td><td rowspan="2">Acc</td><td>71.0</td></tr>
<tr><td>Pallas-Audio</td><td>74.5</td></tr>
<tr><td rowspan="2">NoiseSet</td><td>GPT-4o</td><td rowspan="2">Acc</td><td>60.0</td></tr>
<tr><td>Pallas-Audio</td><td>66.2</td></tr>
<tr><td rowspan="2">Chat</td><td rowspan="2">ChatSet</td><td>GPT-4o</td><td rowspan="2">Score</td><td>7.1</td></tr>
<tr><td>Pallas-Audio</td><td>7.4</td></tr>
</table>
"""


def test_long_format_tables_are_pivoted() -> None:
    claims = DETECTOR.detect_text(LONG_HTML)
    assert {(c.competitor, c.frontier_key, c.relation) for c in claims} == {
        ("Pallas-Audio", "gpt-4o", Relation.EXCEEDS)
    }
    assert {b.benchmark for b in claims[0].benchmarks} == {"ASR SpeechSet", "ASR NoiseSet", "Chat ChatSet"}


_NO_PROSE_TABLE = """# {title}

| Model | MMLU | MATH | GPQA |
|---|---|---|---|
| GPT-4o | 88.7 | 76.6 | 53.6 |
| Pellory-32B | 90.9 | 91.2 | 61.4 |
| Llama-3.1-70B | 86.0 | 68.0 | 46.7 |
"""


def test_a_title_word_names_the_tables_model_when_the_prose_names_none() -> None:
    claims = DETECTOR.detect_text(_NO_PROSE_TABLE.format(title="Pellory"))
    assert [(c.competitor, c.frontier_key, c.relation) for c in claims] == [
        ("Pellory-32B", "gpt-4o", Relation.EXCEEDS)
    ]
    assert claims[0].confidence >= 0.5


def test_without_any_named_model_the_first_table_model_is_a_guess_below_the_alert_threshold() -> None:
    claims = DETECTOR.detect_text(_NO_PROSE_TABLE.format(title="Results"))
    assert [(c.competitor, c.relation) for c in claims] == [("Pellory-32B", Relation.EXCEEDS)]
    assert claims[0].confidence < 0.5
    explained = DETECTOR.explain_text(_NO_PROSE_TABLE.format(title="Results"))
    assert any("table's first model" in step for step in explained[0].trace)


def test_stacked_markdown_cells_are_one_row_per_benchmark() -> None:
    text = """# Pellory-32B

| Area | Bench | GPT-4o | Pellory-32B |
|---|---|---|---|
| Math | AIME<br>MATH<br>GSM8K | 9.3<br>74.6<br>92.0 | 40.1<br>90.2<br>95.3 |
| Code | HumanEval<br>MBPP | 90.2<br>86.2 | 91.0<br>88.5 |
"""
    claims = DETECTOR.detect_text(text)
    assert [(c.competitor, c.relation) for c in claims] == [("Pellory-32B", Relation.EXCEEDS)]
    assert {p.benchmark for p in claims[0].benchmarks} == {"AIME", "MATH", "GSM8K", "HumanEval", "MBPP"}


def test_flag_cells_do_not_name_a_row_and_ours_marks_the_own_rows() -> None:
    text = """# Pellory-2

Pellory-2 is our new vision model family.

| Model | Open | Size | MMLU | MATH | DocVQA |
|---|---|---|---|---|---|
| GPT-4o | ❌ | - | 88.7 | 76.6 | 92.8 |
| Pellory-1 (Ours) | ✅ | 7B | 70.0 | 50.1 | 80.0 |
| Pellory-2-Vision (Ours) | ✅ | 8B | 89.0 | 80.2 | 93.5 |
"""
    claims = DETECTOR.detect_text(text)
    # of the two "(Ours)" rows, the one of the text's model: the older model is left out
    assert [(c.competitor, c.frontier_key, c.relation) for c in claims] == [
        ("Pellory-2-Vision", "gpt-4o", Relation.EXCEEDS)
    ]


def test_a_group_header_row_puts_the_model_names_in_the_first_body_row() -> None:
    text = """# Pellory-VL

| | Closed | | Open | |
|---|---|---|---|---|
| Benchmark | GPT-4o | Gemini-1.5-Pro | Orrin-VL-72B | Pellory-VL-78B |
| MMMU | 69.1 | 62.2 | 64.5 | 70.1 |
| MathVista | 63.8 | 63.9 | 70.5 | 72.3 |
| ChartQA | 85.7 | 87.2 | 88.3 | 88.9 |
"""
    claims = DETECTOR.detect_text(text)
    assert {(c.competitor, c.frontier_key, c.relation) for c in claims} == {
        ("Pellory-VL-78B", "gpt-4o", Relation.EXCEEDS),
        ("Pellory-VL-78B", "gemini-1.5-pro", Relation.EXCEEDS),
    }


_GROUPS_ABOVE_NAMES = {
    "markdown, group labels repeated": """# Tamsin-2

| | Closed | Closed | Open |
|---|---|---|---|
| Benchmark | GPT-4o | o1-mini | Tamsin-2 |
| AIME | 9.3 | 63.6 | 70.0 |
| MATH-500 | 74.6 | 90.0 | 94.2 |
| GPQA | 49.9 | 60.0 | 62.1 |
""",
    "html, a group label over a single column": """<h1>Tamsin-2</h1>
<table>
<tr><th rowspan="2">Benchmark</th><th colspan="2">Closed</th><th>Open</th></tr>
<tr><th>GPT-4o</th><th>o1-mini</th><th>Tamsin-2</th></tr>
<tr><td>AIME</td><td>9.3</td><td>63.6</td><td>70.0</td></tr>
<tr><td>MATH-500</td><td>74.6</td><td>90.0</td><td>94.2</td></tr>
<tr><td>GPQA</td><td>49.9</td><td>60.0</td><td>62.1</td></tr>
</table>
""",
}


@pytest.mark.parametrize("text", _GROUPS_ABOVE_NAMES.values(), ids=list(_GROUPS_ABOVE_NAMES))
def test_group_labels_above_the_model_names_do_not_hide_them(text: str) -> None:
    claims = DETECTOR.detect_text(text)
    assert {(c.competitor, c.frontier_key, c.relation) for c in claims} == {
        ("Tamsin-2", "gpt-4o", Relation.EXCEEDS),
        ("Tamsin-2", "o1-mini", Relation.EXCEEDS),
    }


def test_a_family_texts_tables_put_its_largest_size_against_the_frontier() -> None:
    # the title names the family; the 7B is named most (usage examples), the 72B is the flagship
    text = """# Wrenlet-VL

Wrenlet-VL-7B runs on a laptop. Load Wrenlet-VL-7B with the usual tools; Wrenlet-VL-7B is small.

| Benchmark | Wrenlet-VL-3B [(🤗)](https://example.org/a) | Wrenlet-VL-7B | Wrenlet-VL-72B | GPT-4o |
|---|---|---|---|---|
| MMMU | 53.1 | 58.6 | 70.2 | 69.1 |
| MathVista | 62.3 | 68.2 | 74.8 | 63.8 |
| DocVQA | 93.9 | 95.7 | 96.4 | 91.1 |
"""
    claims = DETECTOR.detect_text(text)
    alerting = {
        (c.competitor, c.frontier_key, c.relation) for c in claims if c.confidence >= DEFAULT.alert_threshold
    }
    assert alerting == {("Wrenlet-VL-72B", "gpt-4o", Relation.EXCEEDS)}
    # a smaller size that keeps up is recorded below the threshold; one that trails (the 3B) is not
    recorded = {(c.competitor, c.relation) for c in claims if c.confidence < DEFAULT.alert_threshold}
    assert recorded == {("Wrenlet-VL-7B", Relation.MATCHES)}  # ahead on 2 of 3 rows: not > 2/3


@pytest.mark.parametrize(
    ("cell", "clean"),
    [("Zeta-7B (🤗🤖)", "Zeta-7B"), ("Zeta-7B [🔗]", "Zeta-7B"), ("Zeta-7B (ours)", "Zeta-7B (ours)")],
)
def test_link_icons_are_not_part_of_a_label(cell: str, clean: str) -> None:
    from bot.claims.table_claims import clean_cell

    assert clean_cell(cell) == clean


def test_a_table_without_outer_pipes_is_a_table() -> None:
    text = """# Meta-like lab releases Tamsin 3 Large Language Models

Tamsin 3 8B and Tamsin 3 70B are out; Tamsin-3 405B is still training.

Benchmark | Tamsin-3 405B | Claude 3 Opus | GPT-4 Turbo
----------|---------------|---------------|------------
MMLU      | 86.1          | 86.8          | 86.5
GPQA      | 48.0          | 50.4          | 49.1
HumanEval | 84.1          | 84.9          | 87.6
"""
    claims = DETECTOR.detect_text(text)
    assert {(c.competitor, c.frontier_key, c.relation) for c in claims} == {
        ("Tamsin-3 405B", "claude-3-opus", Relation.TRAILS),
        ("Tamsin-3 405B", "gpt-4-turbo", Relation.TRAILS),
    }


def test_speed_and_price_rows_are_no_capability() -> None:
    text = """# Pellory-8B

| Benchmark | Pellory-8B | GPT-4o |
|---|---|---|
| MMLU | 71.0 | 88.7 |
| GSM8K | 80.0 | 95.0 |
| Latency (ms) | 120 | 450 |
| Throughput tokens/s | 300 | 90 |
| Price $/M tokens | 0.1 | 5.0 |
"""
    claims = DETECTOR.detect_text(text)
    assert [(c.competitor, c.relation) for c in claims] == [("Pellory-8B", Relation.TRAILS)]
    assert {p.benchmark for p in claims[0].benchmarks} == {"MMLU", "GSM8K"}


def test_an_ours_marker_is_not_part_of_the_name() -> None:
    text = """# Pellory

| Model | Size | MMLU | GSM8K | HumanEval |
|---|---|---|---|---|
| GPT-4o | - | 88.7 | 95.8 | 90.2 |
| **Pellory (ours)** | 7B | 70.2 | 85.1 | 75.0 |
"""
    assert [c.competitor for c in DETECTOR.detect_text(text)] == ["Pellory"]


@pytest.mark.parametrize(
    ("wins", "losses", "ties", "relation"),
    [
        (7, 3, 0, Relation.EXCEEDS),  # more than two thirds ahead
        (2, 1, 0, Relation.MATCHES),  # exactly two thirds: not more
        (5, 4, 0, Relation.MATCHES),  # a narrow lead is parity
        (21, 32, 0, Relation.MATCHES),  # a narrow deficit too (60% behind)
        (1, 3, 0, Relation.TRAILS),  # more than two thirds behind
        (0, 0, 4, Relation.MATCHES),
    ],
)
def test_a_table_says_exceeds_or_trails_only_by_a_two_thirds_majority(
    wins: int, losses: int, ties: int, relation: Relation
) -> None:
    assert table_relation(wins, losses, ties) is relation


# models as rows under two header rows: the direction arrow is on the upper row ("Edit ↓" over EN/ZH)
ARROWS_OVER_SPLITS_HTML = """<h1>Pallas-OCR</h1>
<table>
<tr><th rowspan="2">Model</th><th colspan="2">Text Edit↓</th><th colspan="2">Table Edit↓</th><th colspan="2">TEDS↑</th></tr>
<tr><th>EN</th><th>ZH</th><th>EN</th><th>ZH</th><th>EN</th><th>ZH</th></tr>
<tr><td>Pallas-OCR</td><td>0.10</td><td>0.12</td><td>0.20</td><td>0.21</td><td>88.0</td><td>86.0</td></tr>
<tr><td>GPT-4o</td><td>0.23</td><td>0.40</td><td>0.33</td><td>0.45</td><td>72.0</td><td>63.0</td></tr>
</table>
"""


def test_a_direction_arrow_on_an_upper_header_row_holds_for_the_columns_below_it() -> None:
    got = {(c.competitor, c.frontier_key, c.relation) for c in DETECTOR.detect_text(ARROWS_OVER_SPLITS_HTML)}
    assert got == {("Pallas-OCR", "gpt-4o", Relation.EXCEEDS)}  # lower edit distance is ahead


_RELEASES_README = """# Zeta: open chat models

- We released Zeta-Coder-33B, our code model.

| Model | Checkpoint | Paper | HumanEval | MBPP |
| --- | --- | --- | --- | --- |
| GPT-4-Turbo | - | - | 85.4 | 83.0 |
| Orrin-33B | - | - | 78.7 | 78.7 |
| Zeta-Coder-33B | HF Link | [paper] | 79.9 | 78.9 |
"""


def test_the_model_column_names_the_rows_and_a_released_model_is_its_tables_model() -> None:
    """A row's name is its "Model" cell, not a later link cell; in a README whose title names a
    family, a table of another model the text releases is that model's."""
    got = {(c.competitor, c.frontier_key, c.relation) for c in DETECTOR.detect_text(_RELEASES_README)}
    assert got == {("Zeta-Coder-33B", "gpt-4-turbo", Relation.TRAILS)}
    # without the release sentence the table's model is only a guess: recorded, not alerted
    unreleased = _RELEASES_README.replace("- We released Zeta-Coder-33B, our code model.", "")
    claims = DETECTOR.detect_text(unreleased)
    assert claims and all(c.confidence < DEFAULT.alert_threshold for c in claims)


_LEAD_IN_README = """# Zeta-Math

We also score the models on a school-math suite. {lead}
| Model | Arithmetic | Primary | Middle | High |
| --- | --- | --- | --- | --- |
| GPT-4o | 80.1 | 88.0 | 77.0 | 60.2 |
| Orrin-70B | 70.3 | 86.0 | 53.0 | 38.7 |
| Zeta-Math-Plus-8x22B | 77.5 | 82.0 | 63.6 | 50.3 |
| Zeta-Math-Plus-20B | 65.8 | 79.7 | 59.5 | 47.6 |
"""


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        # the lead-in names a row: that row is the table's model
        (
            "Zeta-Math-Plus-8x22B leads the open models.",
            {("Zeta-Math-Plus-8x22B", "gpt-4o", Relation.TRAILS)},
        ),
        # a frontier model or a name of another line (a baseline) makes no row the text's own
        ("GPT-4o leads every column.", set()),
        ("Orrin-70B is the open baseline.", set()),
        ("", set()),
    ],
)
def test_a_tables_lead_in_names_its_model_when_the_title_names_none_of_its_rows(
    lead: str, expected: set[tuple[str, str, Relation]]
) -> None:
    claims = DETECTOR.detect_text(_LEAD_IN_README.format(lead=lead))
    got = {
        (c.competitor, c.frontier_key, c.relation) for c in claims if c.confidence >= DEFAULT.alert_threshold
    }
    assert got == expected


@pytest.mark.parametrize(
    ("labels", "earlier"),
    [
        (
            ["Zeta Stage 1: 8K", "Zeta Stage 2: 16K", "Zeta Stage 3: 24K"],
            {"Zeta Stage 1: 8K", "Zeta Stage 2: 16K"},
        ),
        (["Zeta (step 2)", "Zeta (step 10)"], {"Zeta (step 2)"}),
        (["Zeta-Round-1", "Zeta-Round-2", "Orrin-Round-1"], {"Zeta-Round-1"}),  # per model
        (["Zeta Stage 2", "Orrin-7B"], set()),  # one stage alone is the model
        (["Zeta-7B", "Zeta-32B"], set()),  # sizes are not stages
    ],
)
def test_superseded_stages(labels: list[str], earlier: set[str]) -> None:
    assert superseded_stages(labels) == earlier


def test_earlier_training_stages_in_a_table_claim_nothing() -> None:
    text = """# Pellory v0.1

We train Pellory with RL in three stages.

| Model | MATH500 | AIME 2024 |
|---|---|---|
| o1-preview | 81.4 | 40.0 |
| Pellory Stage 1 (Ours) | 85.7 | 33.2 |
| Pellory Stage 2 (Ours) | 87.4 | 34.2 |
| Pellory Stage 3 (Ours) | 88.0 | 40.2 |
"""
    claims = DETECTOR.detect_text(text)
    assert [(c.competitor, c.frontier_key, c.relation) for c in claims] == [
        ("Pellory Stage 3", "o1-preview", Relation.EXCEEDS)
    ]


@pytest.mark.parametrize(
    ("label", "start", "backbone"),
    [
        ("WebWeaver(Claude-Sonnet-4)", 10, True),
        ("ReAct (GPT-4o)", 7, True),
        ("智能体（GPT-4o）", 4, True),
        ("GPT-4o (2024-08-06)", 0, False),  # the model first, a note in brackets
        ("Claude 3.5 Sonnet", 0, False),
        ("(GPT-4o)", 1, False),  # nothing named before the bracket
        ("o1 (teacher)", 0, True),  # its role in the method
        ("GPT-4o（裁判）", 0, True),
    ],
)
def test_backbone_label(label: str, start: int, backbone: bool) -> None:
    assert backbone_label(label, start) is backbone


def test_a_system_on_a_frontier_backbone_is_not_a_frontier_row() -> None:
    text = """# Pellory-8B

| Model | Depth | Breadth | Insight |
|---|---|---|---|
| WebWeaver(GPT-4o) | 50.1 | 51.4 | 50.0 |
| Pellory-8B | 50.9 | 52.0 | 51.3 |
"""
    assert DETECTOR.detect_text(text) == []


def test_a_frontier_lab_prefix_and_a_star_mark_do_not_hide_the_rows() -> None:
    text = """# Pellory-4B

| 模型 | GAIA | HLE | Frames |
|---|---|---|---|
| OpenAI-GPT-5-high | 76.4 | 35.2 | 85.0 |
| ⭐ Pellory-4B | 63.9 | 19.1 | 82.7 |
"""
    claims = DETECTOR.detect_text(text)
    assert [(c.competitor, c.frontier_key, c.relation) for c in claims] == [
        ("Pellory-4B", "gpt-5", Relation.TRAILS)
    ]


def test_a_series_readme_puts_its_newest_model_against_the_frontier() -> None:
    text = """# Pellory Series

We release Pellory-PRM-7B, a reward model, and the Pellory reasoning models. Pellory is open.

| Model | MATH-500 | AIME 2024 | GPQA |
|---|---|---|---|
| OpenAI-o1-2024-12-17 | 94.8 | 74.3 | 75.0 |
| Orrin-32B | 90.0 | 50.0 | 60.0 |
| **Pellory-V1 (2025-1)** | 91.2 | 56.7 | 61.2 |
| **Pellory-V2 (2025-5)** | 97.8 | 86.7 | 76.2 |
"""
    claims = DETECTOR.detect_text(text)
    assert [(c.competitor, c.frontier_key, c.relation) for c in claims] == [
        ("Pellory-V2", "o1", Relation.EXCEEDS)
    ]


@pytest.mark.parametrize(
    ("series", "labels", "flagship"),
    [
        ("Zeta", ["Orrin-7B", "Zeta-V1 (2025-1)", "Zeta-V2 (2025-5)"], "Zeta-V2"),
        ("Zeta", ["Zeta-V1", "Orrin-7B"], None),  # one member: nothing to choose
        ("Ze", ["Ze-1", "Ze-2"], None),  # too short a series name to tell
    ],
)
def test_series_flagship(series: str, labels: list[str], flagship: str | None) -> None:
    assert series_flagship(series, labels) == flagship


def test_an_html_table_cut_off_by_the_texts_end_is_still_read() -> None:
    text = """# Pellory-9B

<table>
<tr><th>Benchmark</th><th>GPT-4o</th><th>Pellory-9B</th></tr>
<tr><td>MMLU</td><td>88.7</td><td>90.1</td></tr>
<tr><td>MATH</td><td>76.6</td><td>80.2</td></tr>
<tr><td>GPQA</td><td>53.6</td><td>60.0</td></tr>
<tr><td>DROP</td><td>83.4"""
    claims = DETECTOR.detect_text(text)
    assert [(c.competitor, c.frontier_key, c.relation) for c in claims] == [
        ("Pellory-9B", "gpt-4o", Relation.EXCEEDS)
    ]
    assert "DROP" not in {b.benchmark for b in claims[0].benchmarks}  # the unfinished row is left out


def test_a_frontier_column_labelled_as_the_teacher_is_no_rival() -> None:
    text = """# Pellory-8B

We distill Pellory-8B from o1 outputs.

| Benchmark | Pellory-8B | o1 (teacher) |
|---|---|---|
| MATH | 80.1 | 94.8 |
| AIME | 40.0 | 74.3 |
| GPQA | 50.0 | 75.0 |
"""
    assert DETECTOR.detect_text(text) == []


@pytest.mark.parametrize(
    ("family_name", "labels", "flagship", "others"),
    [
        (
            "Wrenlet-VL",
            ["Wrenlet-VL-3B", "Wrenlet-VL-72B", "GPT-4o", "Wrenlet-VL-7B"],
            "Wrenlet-VL-72B",
            ["Wrenlet-VL-3B", "Wrenlet-VL-7B"],
        ),
        ("Kite Deep", ["Kite Deep 2.4B", "Kite Deep 32B", "Orrin-32B"], "Kite Deep 32B", ["Kite Deep 2.4B"]),
        (
            "Wrenlet-VL",
            ["Wrenlet-VL-7B", "Orrin-VL-7B"],
            "Orrin-VL-7B",
            [],
        ),  # the flagship is another family's
        (None, ["Wrenlet-VL-7B", "Wrenlet-VL-72B"], "Wrenlet-VL-72B", []),
    ],
)
def test_family_sizes_are_the_other_sizes_of_the_title_family(
    family_name: str | None, labels: list[str], flagship: str, others: list[str]
) -> None:
    from bot.claims.detector import _family_sizes

    assert _family_sizes(family_name, labels, flagship) == others


def test_a_base_models_column_beside_the_tuned_model_is_not_counted_as_its_rows() -> None:
    text = """# Zeta-9B

| | Zeta-9B | Zeta-9B-Base | GPT-4o |
|---|---|---|---|
| MMLU | 89.1 | 75.0 | 88.7 |
| MATH | 78.2 | 40.0 | 76.6 |
| IFEval | 85.0 | 60.0 | 84.3 |
"""
    (claim,) = DETECTOR.detect_text(text)
    assert (claim.competitor, claim.frontier_key, claim.relation) == ("Zeta-9B", "gpt-4o", Relation.EXCEEDS)
    assert len(claim.benchmarks) == 3  # the base model's three rows are not the tuned model's


def test_a_lower_is_better_word_inside_another_word_does_not_invert_the_rows() -> None:
    # "applications" holds "ppl" and "supply" too: no perplexity column here
    text = """# Zeta-9B

Zeta-9B serves many applications; we thank the community for its supply of feedback.

| Benchmark | Zeta-9B | GPT-4o |
|---|---|---|
| MMLU | 90.1 | 88.7 |
| MATH | 80.2 | 76.6 |
| GPQA | 55.0 | 53.6 |
"""
    (claim,) = DETECTOR.detect_text(text)
    assert claim.relation is Relation.EXCEEDS


def test_a_tagged_variant_that_the_table_puts_up_is_recorded_below_the_threshold() -> None:
    text = """# Zeta-9B

| Model | MMLU | MATH | GPQA |
|---|---|---|---|
| GPT-4o | 88.7 | 76.6 | 53.6 |
| Zeta-9B | 86.0 | 70.0 | 50.0 |
| Zeta-9B-Thinking | 89.5 | 85.0 | 60.0 |
| Zeta-9B-Base | 90.0 | 80.0 | 55.0 |
"""
    got = {
        (c.competitor, c.relation, c.confidence < DEFAULT.alert_threshold) for c in DETECTOR.detect_text(text)
    }
    # the main model trails (alert level); its thinking variant's lead is recorded, not alerted;
    # the pretrained base is an earlier stage, not put up against the frontier
    assert got == {("Zeta-9B", Relation.TRAILS, False), ("Zeta-9B-Thinking", Relation.EXCEEDS, True)}


@pytest.mark.parametrize(
    ("main", "labels", "variants"),
    [
        (
            "Zeta-9B",
            ["Zeta-9B", "Zeta-9B-Thinking", "Zeta-9B-RL", "Zeta-9B-Base", "Orrin-9B-RL"],
            ["Zeta-9B-RL", "Zeta-9B-Thinking"],
        ),
        ("Zeta-9B", ["Zeta-90B", "Zeta-9B-Chat"], []),  # another size; a chat tag is the model itself
    ],
)
def test_tagged_variants(main: str, labels: list[str], variants: list[str]) -> None:
    assert tagged_variants(main, labels) == variants
