"""Scoring claim detection against a labelled corpus (`gapwatch eval`) and `gapwatch detect` output.

Corpus layout: `CORPUS_DIR/docs/*.md` (an optional `source:`/`kind:`/`published:` header, a blank
line, the text) and `CORPUS_DIR/labels.jsonl` (one `{"doc", "claims", "parity_claim"}` per line).

Scoring, per document: claims compare as (competitor, frontier key, relation class) where
`matches` and `exceeds` are one class. Competitor names compare normalised
(`bot.domain.normalise_model_name`), and a label's `aka` names count too; a label's
`frontier_key` may be a list (either counts) and its `relations` list gives acceptable
alternatives. Labels that duplicate each other count once; `optional` labels are neither
rewarded nor penalised. Documents: positive when they have a parity-class (`matches` or
`exceeds`) claim, as DESIGN.md and the corpus README's "Scoring" define it (the labels' own
`parity_claim` field also counts `approaches`; it is not used). A document whose only parity
labels are optional, or also accept a non-parity relation, is scored as whatever was detected.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from bot.claims import ClaimDetector
from bot.claims.detector import Explained, TextMeta
from bot.domain import Claim, Relation, normalise_model_name
from bot.errors import GapwatchError

_HEADER_RE = re.compile(r"^(source|kind|published|title|model_id|lab|url):\s*(.*)$", re.IGNORECASE)


def read_document(path: Path) -> tuple[dict[str, str], str]:
    """A corpus file as (header, text); a file without the small header gives ({}, whole text)."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    lines = raw.split("\n")
    header: dict[str, str] = {}
    for index, line in enumerate(lines):
        match = _HEADER_RE.match(line)
        if match:
            header[match.group(1).lower()] = match.group(2).strip()
            continue
        if header and not line.strip():
            return header, "\n".join(lines[index + 1 :])
        break
    return {}, raw


def _published(header: dict[str, str]) -> date | None:
    try:
        return date.fromisoformat(header.get("published", "")[:10])
    except ValueError:
        return None


def _explain(path: Path, detector: ClaimDetector) -> list[Explained]:
    header, text = read_document(path)
    meta = TextMeta(
        title=header.get("title") or None,
        model_id=header.get("model_id") or None,
        source_url=header.get("url") or header.get("source") or None,
        published=_published(header),
        lab=header.get("lab") or None,
    )
    return detector.explain_text(text, meta)


def _detect(path: Path, detector: ClaimDetector) -> list[Claim]:
    return [e.claim for e in _explain(path, detector)]


def claim_to_json(claim: Claim) -> dict[str, Any]:
    """One claim in the `gapwatch detect --json` layout."""
    return {
        "competitor": claim.competitor,
        "lab": claim.lab,
        "frontier": claim.frontier_key,
        "relation": claim.relation.value,
        "benchmarks": {b.benchmark: [b.competitor, b.frontier] for b in claim.benchmarks},
        "evidence": claim.evidence,
        "confidence": claim.confidence,
    }


def detect_files(
    paths: Sequence[Path], detector: ClaimDetector, *, explain: bool = False
) -> list[dict[str, Any]]:
    """Claims per file, as `gapwatch detect --json` prints them; with `explain`, each claim also
    carries `explain`: its rule path (mention, cue, competitor, relation, doubts)."""
    out = []
    for path in paths:
        claims = []
        for found in _explain(path, detector):
            entry = claim_to_json(found.claim)
            if explain:
                entry["explain"] = list(found.trace)
            claims.append(entry)
        out.append({"file": str(path), "claims": claims})
    return out


@dataclass(slots=True)
class _Gold:
    names: set[str]
    keys: set[str]
    classes: set[str]
    optional: bool
    label: dict[str, Any]

    def matches(self, name: str, key: str, cls: str) -> bool:
        return key in self.keys and cls in self.classes and any(same_family(name, n) for n in self.names)

    def overlaps(self, other: _Gold) -> bool:
        return bool(self.names & other.names and self.keys & other.keys and self.classes & other.classes)


_FAMILY_MIN = 5
ALERT_THRESHOLD = 0.5  # the default route's min_confidence: what would reach a channel


def same_family(predicted: str, labelled: str) -> bool:
    """Family-level name match (corpus README, "Scoring"): equal normalised names, or one contains
    the other and the shorter has at least five characters ("mimo7b" ~ "mimo7brl")."""
    if predicted == labelled:
        return True
    short, long_ = sorted((predicted, labelled), key=len)
    return len(short) >= _FAMILY_MIN and short in long_


def roc_auc(right: Sequence[float], wrong: Sequence[float]) -> float | None:
    """Probability that a right claim scores higher than a wrong one (ties count half)."""
    if not right or not wrong:
        return None
    wins = sum((r > w) + 0.5 * (r == w) for r in right for w in wrong)
    return wins / (len(right) * len(wrong))


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _gold_units(labels: Iterable[dict[str, Any]]) -> list[_Gold]:
    units: list[_Gold] = []
    for label in labels:
        # `relations` lists alternatives a careful reader may also choose; `relation` stays acceptable
        relations = [*_as_list(label.get("relation")), *_as_list(label.get("relations"))]
        gold = _Gold(
            names={
                normalise_model_name(n)
                for n in [*_as_list(label.get("competitor")), *_as_list(label.get("aka"))]
            },
            keys=set(_as_list(label.get("frontier_key")) or _as_list(label.get("frontier"))),
            classes={Relation(r).score_class for r in relations if r in Relation._value2member_map_},
            optional=bool(label.get("optional")),
            label=label,
        )
        same = next((u for u in units if u.overlaps(gold)), None)
        if same is None:
            units.append(gold)
        else:  # a duplicate counts once; it is required if either copy is
            same.names |= gold.names
            same.keys |= gold.keys
            same.classes |= gold.classes
            same.optional = same.optional and gold.optional
    return units


def _prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


@dataclass(slots=True)
class EvalReport:
    """Precision, recall and F1 over claims and documents, with every miss and false alarm."""

    claims: dict[str, float | int]
    documents: dict[str, float | int]
    alerts: dict[str, float | int] = field(default_factory=dict)
    confidence_auc: float | None = None
    misses: list[dict[str, Any]] = field(default_factory=list)
    false_alarms: list[dict[str, Any]] = field(default_factory=list)
    document_errors: list[dict[str, Any]] = field(default_factory=list)
    count: int = 0

    def to_json(self) -> dict[str, Any]:
        """The report as one JSON-ready object (keys `claims`, `documents`, `misses`, ...)."""
        return {
            "claims": self.claims,
            "documents": self.documents,
            "alerts": self.alerts,
            "confidence_auc": self.confidence_auc,
            "misses": self.misses,
            "false_alarms": self.false_alarms,
            "document_errors": self.document_errors,
            "count": self.count,
        }

    def render_text(self) -> str:
        """A human-readable report."""
        c, d = self.claims, self.documents
        out = [
            f"{self.count} documents",
            f"claims:    precision {c['precision']:.3f}  recall {c['recall']:.3f}  f1 {c['f1']:.3f}  "
            f"(tp {c['tp']}, fp {c['fp']}, fn {c['fn']})",
            f"documents: precision {d['precision']:.3f}  recall {d['recall']:.3f}  f1 {d['f1']:.3f}  "
            f"(tp {d['tp']}, fp {d['fp']}, fn {d['fn']})",
        ]
        a = self.alerts
        if a:
            out.append(
                f"alerts:    precision {a['precision']:.3f}  ({a['right']} right of {a['sent']} "
                f"parity/approaches claims at confidence >= {ALERT_THRESHOLD})"
            )
        auc = "n/a" if self.confidence_auc is None else f"{self.confidence_auc:.3f}"
        out.append(f"confidence: ROC AUC right vs wrong {auc}")
        for title, rows in (("misses", self.misses), ("false alarms", self.false_alarms)):
            out.append(f"\n{title} ({len(rows)}):")
            for row in rows:
                out.append(f"  {row['doc']}: {row['competitor']} {row['relation']} {row['frontier']}")
                out.append(f"      evidence: {str(row.get('evidence', ''))[:240]}")
        if self.document_errors:
            out.append(f"\ndocument errors ({len(self.document_errors)}):")
            out.extend(
                f"  {row['doc']}: expected {row['expected']}, detected {row['detected']}"
                for row in self.document_errors
            )
        return "\n".join(out)


def held_aside(split_file: Path | None) -> set[str]:
    """The documents of a split's held-aside sets (named "...-held"): scored, never listed, so a
    developer does not read their failures by accident."""
    if split_file is None:
        return set()
    split = json.loads(split_file.read_text(encoding="utf-8"))
    return {name for set_name, docs in split.items() if set_name.endswith("-held") for name in docs}


def without_documents(report: EvalReport, names: set[str]) -> tuple[EvalReport, int]:
    """`report` with the rows (misses, false alarms, document errors) of `names` left out, and how
    many were left out; the figures stay those of every document."""

    def keep(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [row for row in rows if row["doc"] not in names]

    shown = replace(
        report,
        misses=keep(report.misses),
        false_alarms=keep(report.false_alarms),
        document_errors=keep(report.document_errors),
    )
    hidden = sum(
        len(a) - len(b)
        for a, b in (
            (report.misses, shown.misses),
            (report.false_alarms, shown.false_alarms),
            (report.document_errors, shown.document_errors),
        )
    )
    return shown, hidden


def _load_labels(corpus_dir: Path) -> dict[str, dict[str, Any]]:
    path = corpus_dir / "labels.jsonl"
    if not path.is_file():
        raise GapwatchError(f"{path}: no labels file")
    labels = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                entry = json.loads(line)
            except json.JSONDecodeError as exc:
                raise GapwatchError(f"{path}:{number}: not JSON ({exc.msg})") from exc
            labels[entry["doc"]] = entry
    return labels


def _selected(corpus_dir: Path, split_file: Path | None, set_name: str | None) -> list[str]:
    names = sorted(p.name for p in (corpus_dir / "docs").glob("*.md"))
    if split_file is None:
        return names
    split = json.loads(split_file.read_text(encoding="utf-8"))
    if set_name is not None:
        if set_name not in split:
            raise GapwatchError(f"{split_file}: no set {set_name!r} (sets: {', '.join(split)})")
        wanted = set(split[set_name])
    else:
        wanted = {name for docs in split.values() for name in docs}
    return [n for n in names if n in wanted]


def evaluate(
    corpus_dir: Path, detector: ClaimDetector, *, split_file: Path | None = None, set_name: str | None = None
) -> EvalReport:
    """Score `detector` on a labelled corpus (optionally one set of a split file)."""
    labels = _load_labels(corpus_dir)
    tp = fp = fn = 0
    right_conf: list[float] = []
    wrong_conf: list[float] = []
    alerts_sent = alerts_right = 0
    doc_counts = {"tp": 0, "fp": 0, "fn": 0}
    report = EvalReport(claims={}, documents={})
    for name in _selected(corpus_dir, split_file, set_name):
        entry = labels.get(name, {"claims": []})
        units = _gold_units(entry.get("claims", []))
        predicted: dict[tuple[str, str, str], Claim] = {}
        for claim in _detect(corpus_dir / "docs" / name, detector):
            # scored by the corpus's own name rule, not the bot's clustering identity
            key = (normalise_model_name(claim.competitor), claim.frontier_key, claim.relation.score_class)
            predicted.setdefault(key, claim)
        hit_units: set[int] = set()
        for key, claim in predicted.items():
            matched = [i for i, unit in enumerate(units) if unit.matches(*key)]
            hit_units.update(i for i in matched if not units[i].optional)
            right = any(not units[i].optional for i in matched)
            if not matched:
                fp += 1
                report.false_alarms.append({"doc": name, **claim_to_json(claim)})
            if right or not matched:  # a claim matching only an optional label is neither
                (right_conf if right else wrong_conf).append(claim.confidence)
                if claim.relation is not Relation.TRAILS and claim.confidence >= ALERT_THRESHOLD:
                    alerts_sent += 1
                    alerts_right += right
        for i, unit in enumerate(units):
            if unit.optional:
                continue
            if i in hit_units:
                tp += 1
            else:
                fn += 1
                lab = unit.label
                report.misses.append(
                    {
                        "doc": name,
                        "competitor": lab.get("competitor"),
                        "frontier": lab.get("frontier_key"),
                        "relation": lab.get("relation"),
                        "evidence": lab.get("evidence", ""),
                    }
                )
        # Positive: a confirmed label that can only be read as parity. A label whose acceptable
        # relations include parity and others, or an optional parity label, makes the document
        # ambiguous: detecting parity there counts as right, not detecting it is no miss.
        expected = any(unit.classes == {"parity"} for unit in units if not unit.optional)
        ambiguous = any("parity" in unit.classes for unit in units)
        detected = any(c.relation.is_parity for c in predicted.values())
        if ambiguous and not expected:
            expected = detected
        if expected and detected:
            doc_counts["tp"] += 1
        elif detected:
            doc_counts["fp"] += 1
        elif expected:
            doc_counts["fn"] += 1
        if bool(expected) != detected:
            report.document_errors.append({"doc": name, "expected": bool(expected), "detected": detected})
        report.count += 1
    report.claims = _prf(tp, fp, fn)
    report.alerts = {
        "precision": round(alerts_right / alerts_sent, 4) if alerts_sent else 1.0,
        "right": alerts_right,
        "sent": alerts_sent,
    }
    auc = roc_auc(right_conf, wrong_conf)
    report.confidence_auc = None if auc is None else round(auc, 4)
    report.documents = _prf(doc_counts["tp"], doc_counts["fp"], doc_counts["fn"])
    return report
