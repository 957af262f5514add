"""Sentence-level claim extraction.

In each sentence, a tracked frontier model takes the relation of the cue that governs it: the
nearest cue before it in the same clause ("outperforms GPT-4o, while a gap remains to o1-mini"),
a level cue right after it ("GPT-4-level"), or a Chinese frame around it ("与 GPT-4o 相当").
The competitor is the model named before the cue (not an earlier cue's object, not what it was
built from); a pronoun or no subject at all borrows the text's model, with less confidence.
Negation before the cue turns parity into `trails`; hedges and questions drop the claim;
report cues ("reportedly", "critics dispute") keep it below the alert threshold; a comparison
between two frontier models is no rival's claim. Every step is written to the hit's trace.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from bot.claims.competitor import DocumentModels, NameHit, find_names
from bot.claims.frontier import FrontierMatcher, Mention
from bot.claims.lexicon import (
    BASE_OF_RE,
    CLAUSE_BREAK_RE,
    FRAME_RE,
    HEDGE_RE,
    INDEFINITE_SUBJECT_RE,
    NEGATION_RE,
    NEW_SUBJECT_RE,
    NOT_CAPABILITY_RE,
    POST_LEVEL_RE,
    PRONOUN_RE,
    REPORT_RE,
    TOOL_OF_RE,
    UNNAMED_SIZE_SUBJECT_RE,
    ZH_FRAME_BEFORE_RE,
    ZH_STRONGER_RE,
    Cue,
    find_cues,
)
from bot.claims.markup import Paragraph
from bot.claims.params import DEFAULT, Params
from bot.domain import FrontierModel, Relation, normalise_model_name

_LEADING_PHRASE = (",", "，")  # noqa: RUF001
_LEADING_RE = re.compile(
    r"^\W*(?:besides|beyond|apart from|in addition to|after|by|despite|like|unlike|matching|rivall?ing|"
    r"outperforming|surpassing|beating|exceeding|trailing|approaching)\b",
    re.IGNORECASE,
)
_WEAK_CUE_RE = re.compile(r"compet|similar|higher|lower|below|tie|level|相当|高于|低于", re.IGNORECASE)
# A frontier family's bare name ("Sonnet moved ahead of GPT-4o"): the subject is a frontier model.
# Also a frontier lab's product name that is not tracked ("GPT-Realtime-2 brings GPT-5-class reasoning").
_FRONTIER_WORD_RE = re.compile(
    r"(?<![\w-])(?:Sonnet|Opus|Haiku|Gemini|Claude|ChatGPT|GPT)(?:-[A-Za-z][\w.\-]*)?(?![\w-])"
)
# Words that say a clause already has its own subject, so borrowing another sentence's model is a guess.
_CONTENT_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'\-]{2,}|[\u4e00-\u9fff]{2,}")
_ABOUT_A_MODEL_RE = re.compile(
    r"(?<![A-Za-z])(?:models?|llms?|versions?|variants?|release|checkpoints?|performance|results?|scores?|"
    r"accuracy|capabilit(?:y|ies)|abilit(?:y|ies)|resulted|results in)(?![A-Za-z])"
    r"|模型|得分|性能|表现|能力|效果|成绩|分数",
    re.IGNORECASE,
)
_CONNECTIVES = frozenset(
    "additionally also moreover furthermore notably overall meanwhile however still even and then thus "
    "which that who while with only just further finally importantly specifically particularly".split()
)
# "the o1 models", "the GPT-4 family": a family of models, not the one the alias names.
_FAMILY_REF_RE = re.compile(r"^\s*(?:models|family|series|系列)\b", re.IGNORECASE)
_ABOUT_RE = re.compile(r"(?:^|\s)(?:of|about|on|in|for|at|towards?)\s*$", re.IGNORECASE)
_FLIP = {
    Relation.EXCEEDS: Relation.TRAILS,
    Relation.TRAILS: Relation.EXCEEDS,
    Relation.MATCHES: Relation.MATCHES,
}


@dataclass(frozen=True, slots=True)
class ProseHit:
    """One competitor-vs-frontier statement found in a sentence, with how it was read."""

    competitor: str
    frontier: FrontierModel
    relation: Relation
    evidence: str
    confidence: float
    trace: tuple[str, ...] = ()


@dataclass(slots=True)
class _Context:
    doc: DocumentModels
    params: Params
    heading_subject: str | None = None
    mentions: list[Mention] = field(default_factory=list)  # the current sentence's


@dataclass(slots=True)
class _Reading:
    """What one mention's rule path found so far: the relation, where its cue starts, the notes."""

    relation: Relation
    cue_start: int
    cue: Cue | None
    notes: list[str] = field(default_factory=list)
    confidence: float = 0.0

    def doubt(self, why: str, weight: float) -> None:
        self.confidence -= weight
        self.notes.append(f"doubt: {why} (-{weight:.2f})")


def governing_cue(mention: Mention, cues: list[Cue], breaks: list[int], reach: int) -> Cue | None:
    """The nearest cue before the mention, within `reach` characters and the same clause."""
    best = None
    for cue in cues:
        if cue.end > mention.start:
            break
        if mention.start - cue.end <= reach:
            best = cue
    if best is None or any(best.end <= b < mention.start for b in breaks):
        return None
    return best


def zh_frame_cue(sentence: str, mention: Mention, cues: list[Cue], reach: int) -> Cue | None:
    """ "与 GPT-4o 相当" / "比 GPT-4o 更强": a Chinese frame puts the cue after the frontier model."""
    if not ZH_FRAME_BEFORE_RE.search(sentence[max(0, mention.start - 6) : mention.start]):
        return None
    after = next((c for c in cues if c.start >= mention.end), None)
    if after is not None and after.start - mention.end <= reach:
        return Cue(mention.start, after.end, after.relation, after.text)
    stronger = ZH_STRONGER_RE.match(sentence[mention.end :])
    if stronger and sentence[max(0, mention.start - 3) : mention.start].strip().endswith("比"):
        return Cue(mention.start, mention.end + stronger.end(), Relation.EXCEEDS, stronger.group(0))
    return None


# "..., while matching GPT-4o": the break's clause has no subject of its own
_BREAK_THEN_GERUND_RE = re.compile(r"\W*(?:while|whereas|although|though|however)?\s*\w+ing\b", re.IGNORECASE)


def named_subject(
    sentence: str,
    cue_start: int,
    names: list[NameHit],
    cues: list[Cue],
    new_subjects: Sequence[int] = (),
) -> tuple[NameHit | None, bool, int]:
    """The named subject before the cue: (name, unnamed-size-subject seen, candidates counted)."""
    # Names after an earlier cue of the same clause are that cue's objects ("beats Llama-3-70B and
    # matches GPT-4o"); after a clause break ("1) X beats A, 2) Y beats B") a new subject may come.
    # A new subject is looked for after the break first ("..., while the reward model ranks above
    # GPT-4o" is not about the names before "while"); with none there ("X beats A while matching B"),
    # the subject before the break carries on.
    clause_start = max((b for b in new_subjects if b < cue_start), default=-1)

    def named(since: int) -> list[NameHit]:
        objects_from = max(
            (c.end for c in cues if c.end <= cue_start and c.start < cue_start and c.start > since),
            default=-1,
        )
        return [
            n
            for n in names
            if since < n.start
            and n.end <= cue_start
            and not (objects_from >= 0 and n.start >= objects_from)
            and not BASE_OF_RE.search(sentence[max(0, n.start - 30) : n.start])
        ]

    candidates = named(clause_start) if clause_start >= 0 else []
    if not candidates and clause_start >= 0 and _BREAK_THEN_GERUND_RE.match(sentence, clause_start):
        candidates = named(-1)
    elif clause_start < 0:
        candidates = named(-1)
    last = candidates[-1] if candidates else None
    gap = sentence[last.end if last else 0 : cue_start]
    if UNNAMED_SIZE_SUBJECT_RE.search(gap) or (last is None and INDEFINITE_SUBJECT_RE.search(gap)):
        return None, True, len(candidates)
    distinct = len({normalise_model_name(n.name) for n in candidates})
    return last, False, distinct


def leading_phrase_subject(sentence: str, names: list[NameHit], mention_end: int) -> NameHit | None:
    """ "Besides matching o1, the Nova-R1 release ...": a leading phrase, then the subject."""
    if not _LEADING_RE.match(sentence):
        return None
    tail = sentence[mention_end:]
    comma = min((tail.find(p) for p in _LEADING_PHRASE if p in tail), default=-1)
    if 0 <= comma < 80:
        after = [n for n in names if n.start >= mention_end + comma]
        if after:
            return after[0]
    return None


def frontier_before(
    mention: Mention, mentions: list[Mention], cues: list[Cue], breaks: list[int], cue_start: int
) -> Mention | None:
    """A registry model named before the cue in the same clause and not an earlier cue's object:
    the sentence compares two frontier models ("Claude 3.5 Sonnet outperforms GPT-4o")."""
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


def _has_own_subject(clause: str) -> bool:
    """A clause with three or more content words before its cue and no word that points back at a
    model ("a speculative edits algorithm that surpasses ...", "The OlympicCoder series surpassed")
    names a subject of its own. "This 671B MoE model performs ...", "its average score exceeds ..."
    still speak of the text's model."""
    if _ABOUT_A_MODEL_RE.search(clause):
        return False
    words = [w for w in _CONTENT_WORD_RE.findall(clause) if w.lower() not in _CONNECTIVES]
    return len(words) >= 3


def reported_in_clause(sentence: str, breaks: list[int], start: int, end: int) -> re.Match[str] | None:
    """A report or dispute cue ("reportedly", "critics dispute", "据称") in the clause that holds
    the claim: from the clause break before `start` to the one after `end`."""
    left = max((b for b in breaks if b < start), default=0)
    right = min((b for b in breaks if b > end), default=len(sentence))
    return REPORT_RE.search(sentence, left, right)


def talk_about_gerund(sentence: str, cue: Cue) -> bool:
    """A gerund cue governed by a preposition ("claims of matching", "talk about beating")."""
    return cue.text.lower().rstrip().endswith("ing") and bool(_ABOUT_RE.search(sentence[: cue.start]))


def frontier_as_subject(
    sentence: str, mention: Mention, cues: list[Cue], breaks: list[int], names: list[NameHit], reach: int
) -> tuple[NameHit, Relation, Cue] | None:
    """ "GPT-4o outperforms Lark-7B" / "GPT-4o is outperformed by Lark-7B": the frontier model is the
    subject; the competitor follows the cue and takes the flipped relation."""
    cue = next((c for c in cues if c.start >= mention.end), None)
    if cue is None or cue.start - mention.end > reach or cue.relation not in _FLIP:
        return None
    window = sentence[mention.end : cue.start]
    if (
        any(mention.end <= b < cue.start for b in breaks)
        or HEDGE_RE.search(window)
        or NEGATION_RE.search(window)
    ):
        return None
    after = [n for n in names if n.start >= cue.end and n.start - cue.end <= 40]
    if not after or any(cue.end <= b < after[0].start for b in breaks):
        return None
    return after[0], _FLIP[cue.relation], cue


def _read_relation(
    sentence: str, mention: Mention, cues: list[Cue], breaks: list[int], p: Params
) -> _Reading | None:
    cue = governing_cue(mention, cues, breaks, p.cue_reach)
    post = POST_LEVEL_RE.match(sentence[mention.end :])
    if post and NOT_CAPABILITY_RE.search(sentence, max(0, mention.start - 20), mention.start):
        post = None  # "the fastest GPT-4-level token source": speed, not capability
    if post and (cue is None or mention.start - cue.end > p.post_level_reach):
        return _Reading(
            Relation.MATCHES, mention.start, None, [f"cue: level suffix {post.group(0).strip()!r}"]
        )
    if cue is not None:
        return _reading_from(cue, cue.start, "{text!r} before the mention")
    frame = zh_frame_cue(sentence, mention, cues, p.zh_frame_reach)
    if frame is not None:  # the subject is whatever comes before the frame's mention
        return _reading_from(frame, mention.start, "frame around the mention {text!r}")
    found: list[tuple[Cue | None, str]] = [
        (coordinated_cue(sentence, mention, cues, breaks), "'X and <frontier>' then {text!r}"),
        (compared_frame_cue(sentence, mention, breaks), "'compared to <frontier>' then {text!r}"),
        (inline_scores_cue(sentence, mention, p), "inline scores {text!r}"),
    ]
    for other, why in found:
        if other is not None:
            return _reading_from(other, other.start, why)
    return None


def _reading_from(cue: Cue, start: int, why: str) -> _Reading:
    note = f"cue: {why.format(text=cue.text)} -> {cue.relation.value}"
    return _Reading(cue.relation, start, cue, [note])


_AND_BEFORE_RE = re.compile(r"[A-Za-z0-9)\]]\s+(?:and|&)\s+(?:the\s+)?$", re.IGNORECASE)
_SYMMETRIC_RE = re.compile(
    r"(?<![A-Za-z])(?:similarly|comparably|equally|the same|neck and neck|on par|tied?|level)(?![A-Za-z])",
    re.IGNORECASE,
)


def coordinated_cue(sentence: str, mention: Mention, cues: list[Cue], breaks: list[int]) -> Cue | None:
    """ "Zeta-7B and GPT-4o perform similarly": a model and a frontier model joined by "and", then a
    symmetric comparison (parity only: "X and Y are neck and neck")."""
    if not _AND_BEFORE_RE.search(sentence[max(0, mention.start - 40) : mention.start]):
        return None
    end = min((b for b in breaks if b > mention.end), default=len(sentence))
    found = _SYMMETRIC_RE.search(sentence, mention.end, min(end, mention.end + 40))
    after = next((c for c in cues if mention.end <= c.start < min(end, mention.end + 40)), None)
    if after is not None and after.relation is Relation.MATCHES:
        return Cue(after.start, after.end, Relation.MATCHES, after.text)
    if found is not None:
        return Cue(found.start(), found.end(), Relation.MATCHES, found.group(0))
    return None


_FRONTED_RE = re.compile(
    r"(?:^|[,;(]\s*)\W*(?:compared (?:to|with)|in comparison (?:to|with)|relative to|against|versus|vs\.?)"
    r"\s*(?:the\s+)?$",
    re.IGNORECASE,
)
_COMPARATIVE_RE = re.compile(
    r"(?<![A-Za-z])(?:(?P<exceeds>higher|better|stronger|superior|ahead|outperforms?|wins)"
    r"|(?P<matches>comparable|similar|on par|equal|the same|competitive)"
    r"|(?P<trails>lower|worse|weaker|behind|falls? short|lags?))(?![A-Za-z])",
    re.IGNORECASE,
)


def compared_frame_cue(sentence: str, mention: Mention, breaks: list[int]) -> Cue | None:
    """ "Compared to GPT-4o, Zeta-7B scores higher on MMLU": a fronted comparison frame names the
    frontier model first; the comparative word after it gives the relation."""
    if not _FRONTED_RE.search(sentence[: mention.start]):
        return None
    end = min((b for b in breaks if b > mention.end), default=len(sentence))
    found = _COMPARATIVE_RE.search(sentence, mention.end, min(end, mention.end + 120))
    if found is None or found.lastgroup is None:
        return None
    return Cue(found.start(), found.end(), Relation(found.lastgroup), found.group(0))


_INLINE_SCORES_RE = re.compile(
    r"(?<![\w.])(\d{1,3}(?:\.\d+)?)\s*%?\s*(?:vs\.?|versus|against|compared (?:to|with))\s*"
)
_SCORE_RE = re.compile(r"(?<![\w.])(\d{1,3}(?:\.\d+)?)(?![\w.]*[A-Za-z])")
_SCORE_GAP = 30  # characters between the frontier mention and its score


def inline_scores_cue(sentence: str, mention: Mention, p: Params) -> Cue | None:
    """ "Zeta-7B scores 73% vs GPT-4o's 77%", "88.9 vs 88.7 for GPT-4o": two scores around "vs", the
    frontier model's second. Ahead by more than a point exceeds, within a point matches, behind by
    up to five approaches, further behind trails."""
    for found in _INLINE_SCORES_RE.finditer(sentence, max(0, mention.start - 80), mention.start + 1):
        theirs = _SCORE_RE.match(sentence, found.end())  # "88.9 vs 88.7 for GPT-4o"
        if theirs is None or not 0 <= mention.start - theirs.end() <= _SCORE_GAP:
            if not 0 <= mention.start - found.end() <= _SCORE_GAP:
                continue
            theirs = _SCORE_RE.search(sentence, mention.end, mention.end + _SCORE_GAP)  # "vs GPT-4o's 77%"
            if theirs is None:
                continue
        diff = float(found.group(1)) - float(theirs.group(1))
        if diff > p.inline_tie_points:
            relation = Relation.EXCEEDS
        elif diff >= -p.inline_tie_points:
            relation = Relation.MATCHES
        elif diff >= -p.inline_close_points:
            relation = Relation.APPROACHES
        else:
            relation = Relation.TRAILS
        end = max(theirs.end(), mention.end)
        return Cue(found.start(), end, relation, sentence[found.start() : end])
    return None


def _sentence_hits(
    sentence: str, ctx: _Context, mentions: list[Mention], borrowed: str | None
) -> list[ProseHit]:
    p = ctx.params
    ctx.mentions = mentions
    cues = find_cues(sentence)
    breaks = [m.start() for m in CLAUSE_BREAK_RE.finditer(sentence)]
    names = find_names(sentence, ctx.doc.known, [(m.start, m.end) for m in mentions], ctx.doc.literals)
    question = sentence.rstrip().endswith(("?", "？"))  # noqa: RUF001
    hits: list[ProseHit] = []
    for mention in mentions:
        if not mention.model.tracked or question or _FAMILY_REF_RE.match(sentence[mention.end :]):
            continue
        if TOOL_OF_RE.search(sentence[max(0, mention.start - 40) : mention.start]):
            continue  # "using GPT-4o", "judged by GPT-4": a tool, not the thing compared with
        mention_note = f"mention: {sentence[mention.start : mention.end]!r} -> {mention.model.key}"
        reading = _read_relation(sentence, mention, cues, breaks, p)
        if reading is None:
            reverse = frontier_as_subject(sentence, mention, cues, breaks, names, p.reverse_reach)
            if reverse is not None:
                reported = reported_in_clause(sentence, breaks, mention.start, reverse[0].end)
                hits.append(_reverse_hit(reverse, sentence, ctx, mention, mention_note, reported))
            continue
        reading.notes.insert(0, mention_note)
        reported = reported_in_clause(sentence, breaks, reading.cue_start, mention.end)
        new_subjects = [m.start() for m in NEW_SUBJECT_RE.finditer(sentence)]
        subject, unnamed, crowd = named_subject(sentence, reading.cue_start, names, cues, new_subjects)
        if unnamed:
            continue
        if subject is None:
            subject = leading_phrase_subject(sentence, names, mention.end)
        rival = frontier_before(mention, mentions, cues, breaks, reading.cue_start)
        if rival is not None and (subject is None or rival.start > subject.end):
            continue  # two frontier models compared with each other: nobody's catching up
        clause_start = max((b for b in breaks if b < reading.cue_start), default=0)
        bare = _FRONTIER_WORD_RE.search(
            sentence, max(clause_start, subject.end if subject else 0), reading.cue_start
        )
        if bare is not None:
            continue  # "Sonnet moved ahead of GPT-4o": a frontier model named by its family word
        if subject is not None:
            name = ctx.doc.expand(subject.name, sentence[subject.end :])
            reading.confidence, subject_end = p.named_subject, subject.end
            reading.notes.append(f"competitor: {name!r}, named before the cue")
            if crowd > 1:
                reading.doubt(f"{crowd} models named before the cue", p.crowded_subject)
        elif reading.cue is not None and talk_about_gerund(sentence, reading.cue):
            continue  # "claims of matching GPT-4 are overstated": talk about matching, no one doing it
        else:
            clause = sentence[: reading.cue_start]
            pronoun = PRONOUN_RE.search(clause)
            name = borrowed or ctx.heading_subject or ctx.doc.main or ""
            subject_end = pronoun.end() if pronoun else 0
            if pronoun:
                reading.confidence = p.pronoun_subject
                reading.notes.append(f"competitor: {name!r}, the text's model, for {pronoun.group(0)!r}")
            elif borrowed or ctx.heading_subject:
                reading.confidence = p.borrowed_subject
                reading.notes.append(f"competitor: {name!r}, borrowed from an earlier sentence or heading")
            else:
                reading.confidence = p.main_model_subject
                reading.notes.append(f"competitor: {name!r}, the document's main model (no subject)")
            if not pronoun and _has_own_subject(sentence[clause_start : reading.cue_start]):
                weight = max(p.unclear_subject, reading.confidence - p.reported_cap)
                reading.doubt("the clause has a subject of its own that is not a known model", weight)
        if not name:
            continue
        if reading.cue is not None and NOT_CAPABILITY_RE.search(
            sentence, max(0, reading.cue.start - 15), max(mention.start, reading.cue.end)
        ):
            continue  # "superior output speed compared to GPT-4o": speed or price, not capability
        # with no named subject, the whole clause before the cue may hedge it ("some speculate it rivals")
        window = sentence[subject_end if subject is not None else clause_start : reading.cue_start]
        if HEDGE_RE.search(window) or FRAME_RE.search(sentence, clause_start, reading.cue_start):
            continue
        negation = NEGATION_RE.search(
            sentence[max(subject_end, reading.cue_start - p.negation_reach) : reading.cue_start]
        )
        if negation:
            if not reading.relation.is_parity:
                continue
            if reading.relation is Relation.EXCEEDS:
                reading.doubt("negated exceeds: not ahead is not necessarily behind", p.negated_exceeds)
            reading.relation = Relation.TRAILS
            reading.notes.append(f"negation {negation.group(0)!r} before the cue -> trails")
        _common_doubts(reading, sentence, ctx, name, mention, reported)
        hits.append(
            ProseHit(
                name,
                mention.model,
                reading.relation,
                sentence.strip(),
                _clamp(reading.confidence),
                tuple(reading.notes),
            )
        )
    return hits


def _common_doubts(
    reading: _Reading,
    sentence: str,
    ctx: _Context,
    name: str,
    mention: Mention,
    reported: re.Match[str] | None,
) -> None:
    p = ctx.params
    if reported and reading.relation is not Relation.TRAILS:  # a trails claim never alerts anyway
        weight = max(p.reported, reading.confidence - p.reported_cap)
        reading.doubt(f"reported or disputed ({reported.group(0)!r}): recorded, not alerted", weight)
    if reading.cue is not None and _LIST_GLUE_RE.sub(
        "", _after_previous_mention(sentence, reading.cue, mention, ctx)
    ):
        reading.doubt("the cue reaches this mention across other words", p.shared_cue)
    if reading.relation is Relation.APPROACHES:
        reading.doubt("approaches is a weaker claim", p.approaches)
    if reading.cue is not None and mention.start - reading.cue.end > p.far_cue_chars:
        reading.doubt("the cue is far from the mention", p.far_cue)
    if reading.cue is not None and _WEAK_CUE_RE.search(reading.cue.text):
        reading.doubt(f"loose wording {reading.cue.text!r}", p.weak_cue)
    if len(sentence) > p.long_sentence_chars:
        reading.doubt("long sentence", p.long_sentence)
    if ctx.doc.is_rare(name):
        reading.doubt(f"{name!r} is named once and is not the text's model", p.rare_name)


_LIST_GLUE_RE = re.compile(
    r"[\s,，、&/()]+|(?<![A-Za-z])(?:and|or|as well as|及|和|与|以及)(?![A-Za-z])",  # noqa: RUF001
    re.IGNORECASE,
)


def _after_previous_mention(sentence: str, cue: Cue, mention: Mention, ctx: _Context) -> str:
    """The text between the nearest earlier frontier mention that the same cue governs and this
    one: "" for a plain list ("beats GPT-4o, Claude 3.5 Sonnet and o1")."""
    earlier = [m for m in ctx.mentions if cue.end <= m.start and m.end <= mention.start]
    return sentence[earlier[-1].end : mention.start] if earlier else ""


def _clamp(value: float) -> float:
    return round(min(1.0, max(0.0, value)), 2)


def _reverse_hit(
    found: tuple[NameHit, Relation, Cue],
    sentence: str,
    ctx: _Context,
    mention: Mention,
    mention_note: str,
    reported: re.Match[str] | None,
) -> ProseHit:
    name, relation, cue = found
    competitor = ctx.doc.expand(name.name, sentence[name.end :])
    reading = _Reading(relation, cue.start, None, confidence=ctx.params.reversed_subject)
    reading.notes += [
        mention_note,
        f"cue: {cue.text!r} after the frontier model (the subject) -> {relation.value} for the object",
        f"competitor: {competitor!r}, named after the cue",
    ]
    _common_doubts(reading, sentence, ctx, competitor, mention, reported)
    return ProseHit(
        competitor,
        mention.model,
        relation,
        sentence.strip(),
        _clamp(reading.confidence),
        tuple(reading.notes),
    )


def _first_subject(sentence: str, ctx: _Context, mentions: Iterable[Mention]) -> str | None:
    names = find_names(sentence, ctx.doc.known, [(m.start, m.end) for m in mentions], ctx.doc.literals)
    for name in names:
        if not BASE_OF_RE.search(sentence[max(0, name.start - 30) : name.start]):
            return ctx.doc.expand(name.name, sentence[name.end :])
    return None


def extract_prose(
    paragraphs: list[Paragraph], doc: DocumentModels, matcher: FrontierMatcher, params: Params = DEFAULT
) -> list[ProseHit]:
    """Claims stated in prose, in document order."""
    ctx = _Context(doc, params)
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
                hits.extend(_sentence_hits(sentence, ctx, mentions, borrowed))
    return hits


def _borrowed_subject(before: list[str], ctx: _Context, matcher: FrontierMatcher) -> str | None:
    """The subject of the nearest earlier sentence in the paragraph that names a model."""
    for sentence in reversed(before):
        subject = _first_subject(sentence, ctx, matcher.find(sentence))
        if subject:
            return subject
    return None
