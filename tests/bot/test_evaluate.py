"""Corpus scoring and the `gapwatch detect --json` layout, on small corpora written here."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from bot.claims import ClaimDetector, FrontierRegistry
from bot.evaluate import (
    detect_files,
    evaluate,
    held_aside,
    read_document,
    roc_auc,
    same_family,
    without_documents,
)

DETECTOR = ClaimDetector(FrontierRegistry.builtin())
SHARED_CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "claims"


def _corpus(tmp_path: Path, docs: dict[str, str], labels: list[dict[str, object]]) -> Path:
    (tmp_path / "docs").mkdir()
    for name, text in docs.items():
        (tmp_path / "docs" / name).write_text(f"source: test\nkind: readme\npublished: 2025-01-20\n\n{text}")
    (tmp_path / "labels.jsonl").write_text("".join(json.dumps(entry) + "\n" for entry in labels))
    return tmp_path


@pytest.mark.parametrize(
    ("raw", "header", "text"),
    [
        (
            "source: a/b README.md\nkind: readme\npublished: 2025-01-20\n\nHello.\n",
            {"source": "a/b README.md", "kind": "readme", "published": "2025-01-20"},
            "Hello.\n",
        ),
        ("# Title\n\nNo header here.\n", {}, "# Title\n\nNo header here.\n"),
        ("source: x\nnot a header line\n", {}, "source: x\nnot a header line\n"),
    ],
)
def test_read_document(tmp_path: Path, raw: str, header: dict[str, str], text: str) -> None:
    path = tmp_path / "doc.md"
    path.write_text(raw)
    assert read_document(path) == (header, text)


def test_detect_files_layout(tmp_path: Path) -> None:
    path = tmp_path / "card.md"
    path.write_text(
        "source: acme/Heron README.md\nkind: readme\npublished: 2025-02-01\n\n"
        "# Heron-14B\n\nHeron-14B outperforms GPT-4o on MATH.\n\n"
        "| Benchmark | Heron-14B | GPT-4o |\n|---|---|---|\n| MATH | 80.0 | 75.0 |\n| GPQA | 50.0 | 49.9 |\n"
    )
    (entry,) = detect_files([path], DETECTOR)
    assert entry["file"] == str(path)
    (claim,) = entry["claims"]
    assert set(claim) == {"competitor", "lab", "frontier", "relation", "benchmarks", "evidence", "confidence"}
    assert claim["competitor"] == "Heron-14B"
    assert claim["frontier"] == "gpt-4o"
    assert claim["relation"] == "exceeds"
    assert claim["benchmarks"] == {"MATH": [80.0, 75.0], "GPQA": [50.0, 49.9]}
    assert claim["evidence"] == "Heron-14B outperforms GPT-4o on MATH."
    json.dumps(entry)


def test_detect_uses_header_date() -> None:
    claims = DETECTOR.detect_text("Heron-14B beats o1.", published=date(2025, 1, 2), source_url="u")
    assert claims[0].published == date(2025, 1, 2) and claims[0].source_url == "u"


def test_scoring_rules(tmp_path: Path) -> None:
    docs = {
        # aka name, matches/exceeds one class, duplicates once
        "a.md": "# Heron\n\nThe Heron family is new. Heron outperforms GPT-4o. Heron rivals GPT-4o.",
        # frontier_key list: either key counts; a `relations` alternative
        "b.md": "Wren-8B is close to Claude 3.5 Sonnet.",
        # optional label neither rewards nor penalises; a false alarm
        "c.md": "Kite-7B matches o1-mini. Kite-7B beats GPT-4.",
        # a miss; and a trails-only document is a negative
        "d.md": "Finch-3B still lags behind GPT-4o.",
    }
    labels = [
        {
            "doc": "a.md",
            "parity_claim": True,
            "claims": [
                {
                    "competitor": "Heron series",
                    "aka": ["Heron"],
                    "frontier_key": "gpt-4o",
                    "relation": "exceeds",
                },
                {"competitor": "Heron", "frontier_key": "gpt-4o", "relation": "matches"},
            ],
        },
        {
            "doc": "b.md",
            "parity_claim": True,
            "claims": [
                {
                    "competitor": "Wren-8B-Instruct",
                    "relation": "matches",
                    "relations": ["matches", "approaches"],
                    "frontier_key": ["claude-3.5-sonnet-20240620", "claude-3.5-sonnet-20241022"],
                },
            ],
        },
        {
            "doc": "c.md",
            "parity_claim": True,
            "claims": [
                {"competitor": "Kite-7B", "frontier_key": "o1-mini", "relation": "matches", "optional": True},
            ],
        },
        {
            "doc": "d.md",
            "parity_claim": False,
            "claims": [
                {"competitor": "Finch-3B", "frontier_key": "gpt-4o", "relation": "trails"},
                {"competitor": "Finch-3B", "frontier_key": "o1", "relation": "trails"},
            ],
        },
    ]
    report = evaluate(_corpus(tmp_path, docs, labels), DETECTOR)
    assert report.count == 4
    assert (report.claims["tp"], report.claims["fp"], report.claims["fn"]) == (3, 1, 1)
    assert [(m["doc"], m["frontier"]) for m in report.misses] == [("d.md", "o1")]
    assert [(f["doc"], f["frontier"]) for f in report.false_alarms] == [("c.md", "gpt-4")]
    # documents: a.md positive and found; b.md (matches or approaches) and c.md (optional parity
    # label) are ambiguous, so whatever was detected counts as right; d.md (trails only) negative
    assert (report.documents["tp"], report.documents["fp"], report.documents["fn"]) == (2, 0, 0)
    data = report.to_json()
    assert {"precision", "recall", "f1"} <= set(data["claims"]) and {"precision", "recall", "f1"} <= set(
        data["documents"]
    )
    text = report.render_text()
    assert (
        "precision 0.750" in text
        and "d.md: Finch-3B trails o1" in text
        and "c.md: Kite-7B exceeds gpt-4" in text
    )


def test_split_selects_a_set(tmp_path: Path) -> None:
    corpus = _corpus(
        tmp_path, {"a.md": "Heron-14B beats o1.", "b.md": "Nothing."}, [{"doc": "a.md", "claims": []}]
    )
    split = tmp_path / "split.json"
    split.write_text(json.dumps({"dev": ["b.md"], "test": ["a.md"]}))
    assert evaluate(corpus, DETECTOR, split_file=split, set_name="dev").claims["fp"] == 0
    assert evaluate(corpus, DETECTOR, split_file=split, set_name="test").claims["fp"] == 1


def test_held_aside_failures_are_scored_but_not_listed(tmp_path: Path) -> None:
    docs = {"a.md": "Heron-14B beats o1.", "b.md": "Kite-7B beats o1."}
    corpus = _corpus(tmp_path, docs, [{"doc": "a.md", "claims": []}, {"doc": "b.md", "claims": []}])
    split = tmp_path / "split.json"
    split.write_text(json.dumps({"dev2-work": ["a.md"], "dev2-held": ["b.md"]}))
    assert held_aside(split) == {"b.md"}
    full = evaluate(corpus, DETECTOR, split_file=split)
    shown, hidden = without_documents(full, held_aside(split))
    rows = [*full.misses, *full.false_alarms, *full.document_errors]
    assert hidden == sum(row["doc"] == "b.md" for row in rows) >= 1
    assert shown.claims == full.claims and shown.claims["fp"] == 2  # the figures count both
    assert "a.md" in shown.render_text() and "b.md" not in shown.render_text()
    assert "b.md" not in json.dumps(shown.to_json())


@pytest.mark.skipif(not (SHARED_CORPUS / "labels.jsonl").is_file(), reason="shared corpus not present")
def test_dev_corpus_floor() -> None:
    report = evaluate(SHARED_CORPUS, DETECTOR, split_file=SHARED_CORPUS / "split.json", set_name="dev")
    assert report.claims["f1"] >= 0.93
    assert report.documents["precision"] >= 0.95


@pytest.mark.parametrize(
    ("predicted", "labelled", "same"),
    [
        ("mimo7b", "mimo7b", True),
        ("mimo7brl", "mimo7b", True),  # contains the labelled name
        ("qwen25", "qwen25max", True),  # contained in it, five characters
        ("r1", "deepseekr1", False),  # too short to count
        ("yi", "yi34b", False),
        ("qwen2", "qwen3", False),
    ],
)
def test_family_level_names(predicted: str, labelled: str, same: bool) -> None:
    assert same_family(predicted, labelled) is same


def test_roc_auc() -> None:
    assert roc_auc([0.9, 0.8], [0.1, 0.2]) == 1.0
    assert roc_auc([0.1], [0.9]) == 0.0
    assert roc_auc([0.5], [0.5]) == 0.5
    assert roc_auc([], [0.5]) is None


def test_alert_precision_and_auc(tmp_path: Path) -> None:
    corpus = _corpus(
        tmp_path,
        {
            "a.md": "# Zeta-7B\n\nZeta-7B outperforms GPT-4o on MMLU. Zeta-7B reportedly beats o1.\n",
            "b.md": "# Orrin-9B\n\nOrrin-9B is on par with Claude 3.5 Sonnet.\n",
        },
        [
            {
                "doc": "a.md",
                "claims": [{"competitor": "Zeta-7B", "frontier_key": "gpt-4o", "relation": "exceeds"}],
            },
            {"doc": "b.md", "claims": []},
        ],
    )
    report = evaluate(corpus, DETECTOR)
    # sent: Zeta vs GPT-4o (right, 0.9) and Orrin vs Claude (wrong, 0.9); Zeta vs o1 is below 0.5
    assert report.alerts == {"precision": 0.5, "right": 1, "sent": 2}
    # right 0.9 vs wrong {0.9 (tie), 0.4}: (0.5 + 1) / 2
    assert report.confidence_auc == 0.75
    assert "alerts:    precision 0.500" in report.render_text()
