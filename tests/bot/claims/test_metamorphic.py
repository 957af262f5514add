"""Metamorphic tests: changes to a text that must not change its claims (or must change them in a
known way), over sentences written here and, when ../shared/corpus is present, every corpus text.

- renaming the competitor (also to a name without a digit) keeps the claim;
- active <-> passive gives the same claim;
- adding an unrelated sentence removes no claim;
- negating a parity sentence never yields matches/exceeds at alert confidence.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from bot.claims import ClaimDetector, FrontierRegistry
from bot.claims.params import DEFAULT
from bot.domain import Relation, normalise_model_name
from bot.evaluate import read_document

DETECTOR = ClaimDetector(FrontierRegistry.builtin())
CORPUS = Path(__file__).resolve().parents[4] / "shared" / "corpus" / "claims" / "docs"

FRONTIER = {
    "GPT-4o": "gpt-4o",
    "o1": "o1",
    "Claude 3.5 Sonnet": "claude-3.5-sonnet-20240620",
    "o1-mini": "o1-mini",
    "Gemini 1.5 Pro": "gemini-1.5-pro",
    "GPT-4": "gpt-4",
}
NAMES = ["Zeta-7B", "Orrin-13B-Instruct", "Quillfeather", "Marrow Large", "Sable-Pro", "kestrel.vl"]
PARITY = [
    ("{X} outperforms {F} on MMLU.", Relation.EXCEEDS),
    ("{X} is on par with {F}.", Relation.MATCHES),
    ("{X} matches {F} on coding benchmarks.", Relation.MATCHES),
    ("On AIME, {X} beats {F} by four points.", Relation.EXCEEDS),
    ("{X} rivals {F} in math.", Relation.MATCHES),
    ("{X} surpasses {F} on GPQA.", Relation.EXCEEDS),
    ("{X} is comparable to {F} on HumanEval.", Relation.MATCHES),
    ("{X} edges out {F} on LiveCodeBench.", Relation.EXCEEDS),
    ("{X} 在数学上超越了 {F}。", Relation.EXCEEDS),
    ("{X} 与 {F} 不相上下。", Relation.MATCHES),
    ("{X} performs nearly as well as {F} on MMLU.", Relation.APPROACHES),
    ("{X} edges {F} on MMLU.", Relation.EXCEEDS),
    ("{X} achieves 95% of {F}'s score on AIME.", Relation.APPROACHES),
    ("{X} 全面超过 {F}，并在部分任务上领先。", Relation.EXCEEDS),
    ("{X} is the first open model to score above {F}.", Relation.EXCEEDS),
    ("{X} 以更少的参数打败了 {F}。", Relation.EXCEEDS),
    ("相较于 {F}，{X} 更胜一筹。", Relation.EXCEEDS),
    ("{X} is challenging {F} on coding.", Relation.MATCHES),
    ("{X} sets a new record, surpassing Orrin-70B and rivaling {F}.", Relation.MATCHES),
    ("{X} is right up there with {F}.", Relation.MATCHES),
    ("{X} ties {F} on AIME.", Relation.MATCHES),
    ("{X} lands 2 points above {F} on MMLU.", Relation.EXCEEDS),
    ("{X} 可达到和 {F} 相仿的水平。", Relation.MATCHES),
    ("{X} 超越了 Orrin-7B，并在性能上和业界顶尖的闭源模型 {F} 不相上下。", Relation.MATCHES),
]
ACTIVE_PASSIVE = [
    ("{X} outperforms {F} on MMLU.", "{F} is outperformed by {X} on MMLU."),
    ("{F} outperforms {X} on MMLU.", "{X} is outperformed by {F} on MMLU."),
    ("{X} surpasses {F} in coding.", "{F} is surpassed by {X} in coding."),
    ("{F} beats {X} on AIME.", "{X} is beaten by {F} on AIME."),
    ("{X} matches {F} on GPQA.", "{F} is matched by {X} on GPQA."),
]
NEGATED = [
    "{X} does not match {F} on MMLU.",
    "{X} doesn't outperform {F}.",
    "{X} isn't on par with {F}.",
    "{X} never beats {F} on AIME.",
    "{X} fails to rival {F} in math.",
    "{X} is not yet comparable to {F}.",
    "It would be wrong to say {X} surpasses {F}.",
    "Nobody has shown that {X} matches {F}, and it is unclear whether {X} rivals {F}.",
    "{X} 并未超越 {F}。",
    "{X} 尚未达到 {F} 的水平。",
    "{X} is better than {F} at nothing.",
    "It's hard to argue that {X} matches {F}.",
    "{X} isn't even close to {F}.",
    "{X} is not challenging {F} on coding.",
]
UNRELATED = "The team also thanks the open-source community for its feedback."


def _claims(text: str, name: str) -> set[tuple[str, str, str]]:
    found = DETECTOR.detect_text(text, model_id=f"acme/{name}")
    return {(normalise_model_name(c.competitor), c.frontier_key, c.relation.score_class) for c in found}


@pytest.mark.parametrize(("template", "relation"), PARITY)
def test_renaming_the_competitor_keeps_the_claim(template: str, relation: Relation) -> None:
    for (frontier, key), name in itertools.product(FRONTIER.items(), NAMES):
        got = _claims(template.format(X=name, F=frontier), name)
        assert got == {(normalise_model_name(name), key, relation.score_class)}, (template, name, frontier)


@pytest.mark.parametrize(("active", "passive"), ACTIVE_PASSIVE)
def test_active_and_passive_give_the_same_claim(active: str, passive: str) -> None:
    for (frontier, _), name in itertools.product(FRONTIER.items(), NAMES[:3]):
        a = _claims(active.format(X=name, F=frontier), name)
        p = _claims(passive.format(X=name, F=frontier), name)
        assert a and a == p, (active, name, frontier)


@pytest.mark.parametrize("template", NEGATED)
def test_negated_parity_never_alerts_as_parity(template: str) -> None:
    for (frontier, _), name in itertools.product(FRONTIER.items(), NAMES):
        for claim in DETECTOR.detect_text(template.format(X=name, F=frontier), model_id=f"acme/{name}"):
            alerting = claim.confidence >= DEFAULT.alert_threshold
            assert not (claim.relation.is_parity and alerting), (template, name, frontier, claim)


@pytest.mark.parametrize(("template", "relation"), PARITY)
def test_an_unrelated_sentence_removes_no_claim(template: str, relation: Relation) -> None:
    for frontier, name in itertools.product(FRONTIER, NAMES[:2]):
        text = template.format(X=name, F=frontier)
        before = _claims(text, name)
        assert before <= _claims(f"{UNRELATED} {text}", name)
        assert before <= _claims(f"{text} {UNRELATED}", name)
        assert before <= _claims(f"{text}\n\n{UNRELATED}\n", name)


def _corpus_docs() -> list[Path]:
    return sorted(CORPUS.glob("*.md")) if CORPUS.is_dir() else []


@pytest.mark.skipif(not _corpus_docs(), reason="shared corpus not present")
def test_an_unrelated_paragraph_removes_no_claim_from_any_corpus_text() -> None:
    for path in _corpus_docs():
        _, text = read_document(path)
        before = {c.cluster_key for c in DETECTOR.detect_text(text)}
        head, sep, tail = text.partition("\n\n")
        for changed in (f"{text}\n\n{UNRELATED}\n", f"{head}{sep}{UNRELATED}\n\n{tail}"):
            after = {c.cluster_key for c in DETECTOR.detect_text(changed)}
            assert before <= after, path.name


@pytest.mark.parametrize(("template", "relation"), [t for t in PARITY if t[0].isascii()])
def test_a_plain_word_the_text_writes_as_a_name_keeps_the_claim(template: str, relation: Relation) -> None:
    # no model id, no digit, no introduction: only mid-sentence capitalisation marks the name
    for (frontier, key), word in itertools.product(FRONTIER.items(), ["Quokka", "Brindle", "Mossbank"]):
        text = f"We compared several systems with {word}. {template.format(X=word, F=frontier)}"
        found = DETECTOR.detect_text(text)
        got = {(normalise_model_name(c.competitor), c.frontier_key, c.relation.score_class) for c in found}
        assert got == {(normalise_model_name(word), key, relation.score_class)}, (template, word, frontier)


@pytest.mark.parametrize(("template", "relation"), PARITY)
def test_unicode_hyphens_and_spaces_keep_the_claim(template: str, relation: Relation) -> None:
    # HTML-converted text writes "GPT\u20114o" (non-breaking hyphen) and "Claude 3.5\u00a0Sonnet"
    for frontier, name in itertools.product(FRONTIER, NAMES[:3]):
        text = template.format(X=name, F=frontier)
        typeset = text.replace("-", "\u2011").replace(" ", "\u00a0")
        assert _claims(typeset, name) == _claims(text, name) != set(), (template, name, frontier)
