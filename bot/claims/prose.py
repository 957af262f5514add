"""Sentence-level claim extraction.

In each sentence, a tracked frontier model takes the relation of the nearest cue before it in
the same clause ("outperforms GPT-4o, while a gap remains to o1-mini" gives exceeds for GPT-4o
and trails for o1-mini), or a level cue right after it ("GPT-4-level", "GPT-4o 级"). Negation
before the cue flips parity to `trails` ("does not yet match o1"); hedging ("aims to match",
"could rival", a question) drops the claim.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.claims.competitor import DocumentModels, NameHit, find_names
from bot.claims.frontier import FrontierMatcher, Mention
from bot.claims.lexicon import (
    BASE_OF_RE,
    CLAUSE_BREAK_RE,
    HEDGE_RE,
    NEGATION_RE,
    POST_LEVEL_RE,
    UNNAMED_SIZE_SUBJECT_RE,
    Cue,
    find_cues,
)
from bot.claims.markup import Paragraph
from bot.domain import FrontierModel, Relation

_CUE_REACH = 170  # characters between a cue and the frontier model it governs
_NEGATION_REACH = 30
_LEADING_PHRASE = (",", "，")  # noqa: RUF001
_LEADING_RE = re.compile(
    r"^\W*(?:besides|beyond|apart from|in addition to|after|by|despite|like|unlike|matching|rivall?ing|"
    r"outperforming|surpassing|beating|exceeding|trailing|approaching)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class ProseHit:
    """One competitor-vs-frontier statement found in a sentence."""

    competitor: str
    frontier: FrontierModel
    relation: Relation
    evidence: str
    confidence: float


@dataclass(slots=True)
class _Context:
    doc: DocumentModels
    heading_subject: str | None = None


def _governing_cue(sentence: str, mention: Mention, cues: list[Cue], breaks: list[int]) -> Cue | None:
    best = None
    for cue in cues:
        if cue.end > mention.start:
            break
        if mention.start - cue.end <= _CUE_REACH:
            best = cue
    if best is None or any(best.end <= b < mention.start for b in breaks):
        return None
    return best


def _subject(
    sentence: str, cue_start: int, names: list[NameHit], cues: list[Cue], mention_end: int
) -> tuple[NameHit | None, bool]:
    """The named subject before the cue; (None, True) when the subject is an unnamed size variant."""
    # Names after an earlier cue are that cue's objects ("beats Llama-3-70B and matches GPT-4o").
    objects_from = max((c.end for c in cues if c.end <= cue_start), default=-1)
    candidates = [
        n
        for n in names
        if n.end <= cue_start
        and n.start >= 0
        and not (objects_from >= 0 and n.start >= objects_from)
        and not BASE_OF_RE.search(sentence[max(0, n.start - 30) : n.start])
    ]
    last = candidates[-1] if candidates else None
    gap = sentence[last.end if last else 0 : cue_start]
    if UNNAMED_SIZE_SUBJECT_RE.search(gap):
        return None, True
    if last is not None:
        return last, False
    # "Besides matching o1, the DeepSeek-R1 release ...": a leading phrase, then the subject.
    if not _LEADING_RE.match(sentence):
        return None, False
    tail = sentence[mention_end:]
    comma = min((tail.find(p) for p in _LEADING_PHRASE if p in tail), default=-1)
    if comma >= 0 and comma < 80:
        after = [n for n in names if n.start >= mention_end + comma]
        if after:
            return after[0], False
    return None, False


def _sentence_hits(
    sentence: str,
    ctx: _Context,
    matcher: FrontierMatcher,
    mentions: list[Mention],
    borrowed: str | None,
) -> list[ProseHit]:
    cues = find_cues(sentence)
    breaks = [m.start() for m in CLAUSE_BREAK_RE.finditer(sentence)]
    names = find_names(sentence, ctx.doc.known, [(m.start, m.end) for m in mentions])
    question = sentence.rstrip().endswith(("?", "？"))  # noqa: RUF001
    hits: list[ProseHit] = []
    for mention in mentions:
        if not mention.model.tracked:
            continue
        cue = _governing_cue(sentence, mention, cues, breaks)
        post = POST_LEVEL_RE.match(sentence[mention.end :])
        if post and (cue is None or mention.start - cue.end > 25):
            relation, cue_start = Relation.MATCHES, mention.start
        elif cue is not None:
            relation, cue_start = cue.relation, cue.start
        else:
            reverse = _frontier_as_subject(sentence, mention, cues, breaks, names)
            if reverse is not None:
                hits.append(_reverse_hit(reverse, sentence, ctx, mention))
            continue
        subject, unnamed = _subject(sentence, cue_start, names, cues, mention.end)
        if unnamed:
            continue
        rival = None if subject is not None else _frontier_subject(mention, mentions, cues, breaks, cue_start)
        if subject is not None:
            name = ctx.doc.expand(subject.name, sentence[subject.end :])
            confidence, subject_end = 0.9, subject.end
        elif rival is not None:
            # "Claude 3.5 Sonnet outperforms GPT-4o": another frontier model is the subject, not
            # the document's model. A lab's own models compared with each other ("o3-mini
            # outperforms o1") are not a rival catching up: no claim.
            if rival.model.key == mention.model.key or rival.model.lab == mention.model.lab:
                continue
            name, confidence, subject_end = sentence[rival.start : rival.end], 0.85, rival.end
        elif cue is not None and _talk_about_gerund(sentence, cue):
            continue  # "claims of matching GPT-4 are overstated": talk about matching, no one doing it
        else:
            name = borrowed or ctx.heading_subject or ctx.doc.main or ""
            confidence = 0.75 if borrowed or ctx.heading_subject else 0.65
            subject_end = 0
        if not name:
            continue
        window = sentence[subject_end:cue_start]
        if question or HEDGE_RE.search(window):
            continue
        if NEGATION_RE.search(sentence[max(subject_end, cue_start - _NEGATION_REACH) : cue_start]):
            if not relation.is_parity:
                continue
            relation = Relation.TRAILS
        if relation is Relation.APPROACHES:
            confidence -= 0.05
        hits.append(ProseHit(name, mention.model, relation, sentence.strip(), round(confidence, 2)))
    return hits


_ABOUT_RE = re.compile(r"(?:^|\s)(?:of|about|on|in|for|at|towards?)\s*$", re.IGNORECASE)


def _talk_about_gerund(sentence: str, cue: Cue) -> bool:
    """A gerund cue governed by a preposition ("claims of matching", "talk about beating")."""
    return cue.text.lower().rstrip().endswith("ing") and bool(_ABOUT_RE.search(sentence[: cue.start]))


def _frontier_subject(
    mention: Mention, mentions: list[Mention], cues: list[Cue], breaks: list[int], cue_start: int
) -> Mention | None:
    """A frontier model named before the cue, in the same clause, that is not one of an earlier
    cue's objects: the subject of the comparison."""
    objects_from = max((c.end for c in cues if c.end <= cue_start), default=-1)
    before = [
        m
        for m in mentions
        if m is not mention
        and m.end <= cue_start
        and not (objects_from >= 0 and m.start >= objects_from)
        and not any(m.end <= b < cue_start for b in breaks)
    ]
    return before[-1] if before else None


_FLIP = {
    Relation.EXCEEDS: Relation.TRAILS,
    Relation.TRAILS: Relation.EXCEEDS,
    Relation.MATCHES: Relation.MATCHES,
}


def _frontier_as_subject(
    sentence: str, mention: Mention, cues: list[Cue], breaks: list[int], names: list[NameHit]
) -> tuple[NameHit, Relation] | None:
    """ "GPT-4o outperforms Lark-7B": the frontier model is the subject, the competitor follows."""
    cue = next((c for c in cues if c.start >= mention.end), None)
    if cue is None or cue.start - mention.end > 25 or cue.relation not in _FLIP:
        return None
    if any(mention.end <= b < cue.start for b in breaks) or HEDGE_RE.search(
        sentence[mention.end : cue.start]
    ):
        return None
    if NEGATION_RE.search(sentence[mention.end : cue.start]):
        return None
    after = [n for n in names if n.start >= cue.end and n.start - cue.end <= 40]
    if not after or any(cue.end <= b < after[0].start for b in breaks):
        return None
    return after[0], _FLIP[cue.relation]


def _reverse_hit(found: tuple[NameHit, Relation], sentence: str, ctx: _Context, mention: Mention) -> ProseHit:
    name, relation = found
    competitor = ctx.doc.expand(name.name, sentence[name.end :])
    return ProseHit(competitor, mention.model, relation, sentence.strip(), 0.8)


def _first_subject(sentence: str, ctx: _Context, mentions: Iterable[Mention]) -> str | None:
    names = find_names(sentence, ctx.doc.known, [(m.start, m.end) for m in mentions])
    for name in names:
        if not BASE_OF_RE.search(sentence[max(0, name.start - 30) : name.start]):
            return ctx.doc.expand(name.name, sentence[name.end :])
    return None


def extract_prose(paragraphs: list[Paragraph], doc: DocumentModels, matcher: FrontierMatcher) -> list[ProseHit]:
    """Claims stated in prose, in document order."""
    ctx = _Context(doc)
    hits: list[ProseHit] = []
    for paragraph in paragraphs:
        if paragraph.heading:
            text = paragraph.sentences[0] if paragraph.sentences else ""
            ctx.heading_subject = _first_subject(text, ctx, matcher.find(text)) or ctx.heading_subject
            continue
        for index, sentence in enumerate(paragraph.sentences):
            mentions = matcher.find(sentence)
            if any(m.model.tracked for m in mentions):
                borrowed = _borrowed_subject(paragraph.sentences[:index], ctx, matcher)
                hits.extend(_sentence_hits(sentence, ctx, matcher, mentions, borrowed))
    return hits


def _borrowed_subject(before: list[str], ctx: _Context, matcher: FrontierMatcher) -> str | None:
    """The subject of the nearest earlier sentence in the paragraph that names a model."""
    for sentence in reversed(before):
        subject = _first_subject(sentence, ctx, matcher.find(sentence))
        if subject:
            return subject
    return None
