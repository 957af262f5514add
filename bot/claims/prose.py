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

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.claims.competitor import (
    DocumentModels,
    family,
    find_names,
    frontier_lab_model,
    loose_name,
    published_at,
    publishes_object,
    size_of,
)
from bot.claims.cue_readers import (
    compared_frame_cue,
    coordinated_cue,
    gap_between_cue,
    governing_cue,
    inline_scores_cue,
    platform_mention,
    split_scores_cue,
    zh_frame_cue,
    zh_frame_opens_after,
    zh_passive_cue,
    zh_share_cue,
)
from bot.claims.frontier import FrontierMatcher, Mention, ShorthandMatcher
from bot.claims.gazetteer import NameHit
from bot.claims.lexicon import (
    BASE_OF_RE,
    CHINESE_MODELS,
    CLAUSE_BREAK_RE,
    COMPONENT_OF_RE,
    CONCESSION_RE,
    CONTRAST_LEAD_RE,
    DISPUTE_RE,
    FRAME_RE,
    HEDGE_RE,
    INDEFINITE_SUBJECT_RE,
    LEAD_VERDICT_RE,
    LOW_RESULT_RE,
    LOWER_IS_BETTER_RE,
    NEGATED_AFTER_RE,
    NEGATION_RE,
    NEW_SUBJECT_RE,
    NOT_CAPABILITY_AFTER_RE,
    NOT_CAPABILITY_RE,
    PLURAL_SUBJECT_RE,
    POST_LEVEL_RE,
    PRONOUN_RE,
    ROLE_AFTER_RE,
    TOOL_OF_RE,
    UNNAMED_SIZE_SUBJECT_RE,
    ZH_ROLE_RE,
    Cue,
    find_cues,
)
from bot.claims.markup import Paragraph
from bot.claims.params import DEFAULT, Params
from bot.claims.scan import first_char_guarded
from bot.claims.subjects import (
    comma_clause_subject,
    coordinated_subjects,
    frontier_as_subject,
    frontier_before,
    has_own_subject,
    leading_phrase_subject,
    named_subject,
    other_family_subject,
    plain_word_subject,
    publisher_clause,
    reported_in_clause,
    talk_about_gerund,
)
from bot.domain import FrontierModel, Relation, normalise_model_name

_WEAK_CUE_RE = first_char_guarded(
    r"compet|challeng|similar|higher|lower|below|tie|level|"
    r" up (?:well |favou?rably |nicely )?(?:against|to|with)|"
    r"相当|高于|低于|对标",
    re.IGNORECASE,
)


# A frontier family's bare name ("Sonnet moved ahead of GPT-4o"): the subject is a frontier model.
# Also a frontier lab's product name that is not tracked ("GPT-Realtime-2 brings GPT-5-class reasoning").
_FRONTIER_WORD_RE = first_char_guarded(
    r"(?<![\w-])(?:Sonnet|Opus|Haiku|Gemini|Claude|ChatGPT|GPT)(?:-[A-Za-z][\w.\-]*)?(?![\w-])"
)


def _bare_frontier_subject(
    sentence: str, start: int, cue_start: int, mentions: list[Mention], cues: list[Cue]
) -> bool:
    """A frontier family word ("Sonnet", "GPT") between `start` and the cue that is not part of a
    full mention and not an earlier cue's object ("beats GPT-4o and Claude 3.5 Sonnet and edges
    out o1-mini" has none)."""
    objects_from = min((c.end for c in cues if start <= c.start and c.end <= cue_start), default=cue_start)
    for found in _FRONTIER_WORD_RE.finditer(sentence, start, min(cue_start, objects_from)):
        if not any(m.start <= found.start() < m.end for m in mentions):
            return True
    return False


# "the o1 models", "the GPT-4 family": a family of models, not only the one the alias names.
_FAMILY_REF_RE = re.compile(r"^\s*(?:models|family|series|系列)\b", re.IGNORECASE)


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
    subjects: dict[tuple[str, bool], str | None] = field(default_factory=dict)  # _first_subject's
    names: dict[str, list[NameHit]] = field(default_factory=dict)  # find_names per sentence
    found: dict[str, list[Mention]] = field(default_factory=dict)  # frontier mentions per sentence
    matcher: FrontierMatcher | ShorthandMatcher | None = None
    earlier: list[str] = field(default_factory=list)  # the paragraph's sentences before this one

    def mentions_in(self, sentence: str) -> list[Mention]:
        """The frontier mentions of a sentence, found once per text (earlier sentences are looked
        back at for every later one)."""
        found = self.found.get(sentence)
        if found is None:
            assert self.matcher is not None
            found = self.found[sentence] = self.matcher.find(sentence)
        return found


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


def _read_relation(
    sentence: str,
    mention: Mention,
    cues: list[Cue],
    breaks: list[int],
    p: Params,
    mentions: list[Mention] | None = None,
) -> _Reading | None:
    cue = governing_cue(mention, cues, breaks, p.cue_reach, sentence)
    if cue is not None and zh_frame_opens_after(sentence, mention, mentions or [mention], cue.end):
        frame = zh_frame_cue(sentence, mention, cues, p.zh_frame_reach, mentions)
        if frame is not None:  # "超越了 A，与 B 都能掰手腕": B is the frame's  # noqa: RUF003
            return _reading_from(frame, min(frame.start, mention.start), "frame around the mention {text!r}")
    post = POST_LEVEL_RE.match(sentence[mention.end :])
    if post and NOT_CAPABILITY_RE.search(sentence, max(0, mention.start - 20), mention.start):
        post = None  # "the fastest GPT-4-level token source": speed, not capability
    if post and (cue is None or mention.start - cue.end > p.post_level_reach):
        gap = _gap_after_level(mention.end + post.end(), cues, breaks, p)
        if gap is not None:  # "距离 GPT-4o 的水平还有差距": the level is what it falls short of
            return _reading_from(gap, mention.start, "{text!r} after the level suffix")
        return _Reading(
            Relation.MATCHES, mention.start, None, [f"cue: level suffix {post.group(0).strip()!r}"]
        )
    if cue is not None:
        return _reading_from(cue, cue.start, "{text!r} before the mention")
    frame = zh_frame_cue(sentence, mention, cues, p.zh_frame_reach, mentions) or zh_passive_cue(
        sentence, mention
    )
    if frame is not None:  # the subject is whatever comes before the frame's mention
        return _reading_from(frame, min(frame.start, mention.start), "frame around the mention {text!r}")
    found: list[tuple[Cue | None, str]] = [
        (gap_between_cue(sentence, mention), "the gap between a model and <frontier>: {text!r}"),
        (coordinated_cue(sentence, mention, cues, breaks), "'X and <frontier>' then {text!r}"),
        (compared_frame_cue(sentence, mention, breaks, mentions), "'compared to <frontier>' then {text!r}"),
        (inline_scores_cue(sentence, mention, p), "inline scores {text!r}"),
        (zh_share_cue(sentence, mention), "a share of the frontier model's score {text!r}"),
        (split_scores_cue(sentence, mention, p), "scores in two clauses {text!r}"),
    ]
    for other, why in found:
        if other is not None:
            return _reading_from(other, other.start, why)
    return None


_INFINITIVE_RE = re.compile(r"\s+to\s+", re.IGNORECASE)


def _gap_after_level(level_end: int, cues: list[Cue], breaks: list[int], p: Params) -> Cue | None:
    """A trails or approaches cue right after "X-level" in the same clause ("离 GPT-4o 水平仍有差距",
    "GPT-4-level results are still some way off"): the level is the target, not reached."""
    end = min((b for b in breaks if b >= level_end), default=level_end + p.post_level_reach)
    return next(
        (
            c
            for c in cues
            if level_end <= c.start < min(end, level_end + p.post_level_reach)
            and c.relation in (Relation.TRAILS, Relation.APPROACHES)
        ),
        None,
    )


# "Quokka sets a record, beating A and matching GPT-4o": the main clause's one-word subject and verb
_PARTICIPLE_RE = re.compile(r"[,，]\s*(?:\w+ly\s+)?\w+ing\b")  # noqa: RUF001
_MAIN_CLAUSE_WORD_RE = re.compile(r"[\W_]*[A-Z][A-Za-z]{2,}(?=\s+(?:[a-z]{2,}(?:s|ed)|is|was|has)\b)")


def _named_plain_word(
    sentence: str, clause_start: int, cue_start: int, ctx: _Context
) -> tuple[str, int] | None:
    """A clause whose whole subject is one capitalised word that the clause or the text marks as a
    name ("ByteDance's Quokka beats", "Quokka beats" in a text that writes "... by Quokka"), and
    where it ends; None otherwise (an unmarked word is a doubt, not a competitor). A participle
    phrase after a comma takes the subject of the clause before it."""
    found = plain_word_subject(sentence[clause_start:cue_start])
    start = clause_start
    if found is None and _PARTICIPLE_RE.search(sentence, clause_start, cue_start):
        head = _MAIN_CLAUSE_WORD_RE.match(sentence, start)
        found = plain_word_subject(head.group(0)) if head else None
    if found is None:
        return None
    word, marked = found
    if not (marked or ctx.doc.names_word(word)):
        return None
    return word, sentence.index(word, start) + len(word)


_DIRECTION_CUE_RE = first_char_guarded(r"\b(?:lower|higher|less|more|fewer|below|above)\b", re.IGNORECASE)
_FLIPPED = {Relation.EXCEEDS: Relation.TRAILS, Relation.TRAILS: Relation.EXCEEDS}


def _lower_is_better(reading: _Reading, sentence: str, mention: Mention) -> None:
    """ "a 10.3% hallucination rate, lower than GPT-4V's 13.6%": for an error, a rate of failure or a
    latency, "lower than" is ahead and "higher than" behind."""
    if (
        reading.cue is None
        or reading.relation not in _FLIPPED
        or not _DIRECTION_CUE_RE.search(reading.cue.text)
    ):
        return
    if LOWER_IS_BETTER_RE.search(sentence, max(0, reading.cue.start - 80), reading.cue.start):
        reading.relation = _FLIPPED[reading.relation]
        reading.notes.append(f"relation: lower is better here -> {reading.relation.value}")


_AHEAD_WORDS = r"better|stronger|ahead|beats?|outperforms?|surpass(?:es)?|wins?|higher|leads?|excels?"
_BEHIND_WORDS = r"worse|weaker|behind|trails?|lags?|lower|loses?|falls? short"
_ZH_AHEAD_WORDS = "超越|超过|领先|优于|胜过|强于"
_ZH_BEHIND_WORDS = "落后|不及|不如|逊于|逊色|较弱|弱于"
_MIXED_AFTER_RE = {
    Relation.TRAILS: re.compile(
        rf"[^.;!?]{{0,80}}?\bbut\b[^.;!?]{{0,40}}?\b(?:{_AHEAD_WORDS})\b"
        rf"|[^。；！？]{{0,40}}?(?:但|而|不过)[^。；！？]{{0,20}}?(?:{_ZH_AHEAD_WORDS})",  # noqa: RUF001
        re.I,
    ),
    Relation.EXCEEDS: re.compile(
        rf"[^.;!?]{{0,80}}?\bbut\b[^.;!?]{{0,40}}?\b(?:{_BEHIND_WORDS})\b"
        rf"|[^。；！？]{{0,40}}?(?:但|而|不过)[^。；！？]{{0,20}}?(?:{_ZH_BEHIND_WORDS})",  # noqa: RUF001
        re.I,
    ),
}


def mixed_verdict(
    sentence: str, mention: Mention, relation: Relation, mentions: Iterable[Mention] = ()
) -> re.Match[str] | None:
    """ "Zeta-7B falls behind GPT-4o in knowledge but beats it in math": after "but" the sentence
    turns the comparison the other way, so its verdict is mixed (parity), not what the first cue says.
    Not when the turn names another model ("beats o1, but trails GPT-4o": two verdicts)."""
    pattern = _MIXED_AFTER_RE.get(relation)
    found = pattern.match(sentence, mention.end) if pattern else None
    if found is None:
        return None
    if any(m.model.key != mention.model.key and found.end() <= m.start <= found.end() + 24 for m in mentions):
        return None
    return found


_EXCEPT_BEFORE_RE = first_char_guarded(
    r"(?:\bexcept(?: for)?|\bother than|\bapart from|\bwith the exception of|\bsave for|除了?)"
    r"\s*(?:the\s+)?$",
    re.IGNORECASE,
)
_ZH_EXCEPT_AFTER_RE = re.compile(r"^\s*(?:之外|以外|外)")


# a quoted question: "Can Small Models Beat GPT-4o?", 《开源模型能否超越 GPT-4o？》 (a title, not a claim)  # noqa: RUF003
_QUOTED_QUESTION_RE = re.compile(r"[\"“「『《]([^\"“”「」『』《》]{0,200}?)[?？][\"”」』》]")  # noqa: RUF001


def in_quoted_question(sentence: str, mention: Mention) -> bool:
    """Whether the mention lies inside a quoted question (a title asking whether a model wins)."""
    if "?" not in sentence and "？" not in sentence:  # noqa: RUF001
        return False
    return any(
        m.start() < mention.start and mention.end < m.end() for m in _QUOTED_QUESTION_RE.finditer(sentence)
    )


# ", and (Anthropic's) Claude 3 Opus sparked ...": the mention is the subject of a clause of its own
_CLAUSE_JOIN_BEFORE_RE = re.compile(r",\s*(?:and|but|while)\s+(?:[A-Z][\w.-]*['’]s\s+)?$")  # noqa: RUF001
_FINITE_VERB_AFTER_RE = re.compile(
    # auxiliaries and a few past forms only: "GPT-4o combined with ..." is a participle, still an object
    r"\s+(?:(?:\w+ly|also|still|then)\s+)?(?:is|was|are|were|has|had|remains|stays|sparked|drew|became|won)\b"
)


def starts_a_clause(sentence: str, mention: Mention) -> bool:
    """Whether the mention, after ", and", is followed by its own verb: then an earlier cue's list of
    objects ended before it ("is on par with GPT-4, and Claude 3 Opus sparked a debate")."""
    return bool(
        _CLAUSE_JOIN_BEFORE_RE.search(sentence, max(0, mention.start - 40), mention.start)
        and _FINITE_VERB_AFTER_RE.match(sentence, mention.end)
    )


def excepted(sentence: str, mention: Mention) -> bool:
    """Whether the frontier model is named as the exception to a comparison ("beats all models
    except o1", "除 o1 之外"): the sentence says nothing of the text's model against it."""
    before = _EXCEPT_BEFORE_RE.search(sentence, max(0, mention.start - 30), mention.start)
    if before is None:
        return False
    return not before.group(0).startswith("除") or bool(_ZH_EXCEPT_AFTER_RE.match(sentence[mention.end :]))


@functools.lru_cache(maxsize=256)
def _disputed(sentence: str) -> re.Match[str] | None:
    """A contested or anecdotal cue anywhere in the sentence (once per sentence, not per mention)."""
    return DISPUTE_RE.search(sentence)


def conceded_lead(sentence: str, cue: Cue) -> re.Match[str] | None:
    """ "X leads in A, B and C, with only a slight disadvantage in D compared to Y": the trails cue
    is a small concession after a lead verdict, so the sentence's claim over Y is the lead. Returns
    the lead verdict, or None."""
    conceded = CONCESSION_RE.search(sentence, max(0, cue.start - 40), cue.end + 5)
    if conceded is None or conceded.end() < cue.start:
        return None
    return LEAD_VERDICT_RE.search(sentence, 0, conceded.start())


def _reading_from(cue: Cue, start: int, why: str) -> _Reading:
    note = f"cue: {why.format(text=cue.text)} -> {cue.relation.value}"
    return _Reading(cue.relation, start, cue, [note])


def _sentence_hits(
    sentence: str, ctx: _Context, mentions: list[Mention], borrowed: str | None
) -> list[ProseHit]:
    p = ctx.params
    ctx.mentions = mentions
    cues = find_cues(sentence)
    breaks = [m.start() for m in CLAUSE_BREAK_RE.finditer(sentence)]
    new_subjects = [m.start() for m in NEW_SUBJECT_RE.finditer(sentence)]
    names = _names(sentence, ctx, mentions)
    question = sentence.rstrip().endswith(("?", "？"))  # noqa: RUF001
    hits: list[ProseHit] = []
    for mention in mentions:
        if not mention.model.tracked or question:
            continue
        family = _FAMILY_REF_RE.match(sentence[mention.end :])
        if ROLE_AFTER_RE.match(sentence[mention.end : mention.end + 60]) or ZH_ROLE_RE.search(
            sentence, 0, mention.start
        ):
            continue  # "outperforms GPT-4o as a judge", "作为评判模型优于": the comparison is about the role
        if TOOL_OF_RE.search(sentence[max(0, mention.start - 40) : mention.start]):
            continue  # "using GPT-4o", "judged by GPT-4": a tool, not the thing compared with
        if excepted(sentence, mention) or in_quoted_question(sentence, mention):
            continue  # "beats every model except o1", "超越了除 o1 之外的所有模型": o1 is left out
        mention_note = f"mention: {sentence[mention.start : mention.end]!r} -> {mention.model.key}"
        reading = _read_relation(sentence, mention, cues, breaks, p, mentions)
        if reading is None:
            reverse = frontier_as_subject(sentence, mention, cues, breaks, names, p.reverse_reach)
            if reverse is not None and NOT_CAPABILITY_AFTER_RE.match(sentence, reverse[0].end):
                continue  # "GPT-4o-mini outperforms X on speed": not capability
            if reverse is not None and not mention.shorthand:  # "Sonnet beats X": too loose to read back
                reported = reported_in_clause(sentence, breaks, mention.start, reverse[0].end)
                hits.append(_reverse_hit(reverse, sentence, ctx, mention, mention_note, reported))
            continue
        if (
            reading.cue is not None
            and reading.cue.end <= mention.start
            and starts_a_clause(sentence, mention)
        ):
            continue  # "on par with GPT-4, and Anthropic's Claude 3 Opus sparked ...": a new clause
        if reading.cue is not None and platform_mention(sentence, reading.cue, mention, mentions):
            continue  # "outperforms baselines on GPT-4o": the model the method runs on
        reading.notes.insert(0, mention_note)
        _lower_is_better(reading, sentence, mention)
        lead = None
        if reading.cue is not None and reading.relation is Relation.TRAILS:
            lead = conceded_lead(sentence, reading.cue)
            if lead is not None:
                reading.relation = Relation.EXCEEDS
                reading.notes.append(f"relation: a concession after the lead {lead.group(0)!r} -> exceeds")
        mixed = mixed_verdict(sentence, mention, reading.relation, mentions) if lead is None else None
        if mixed is not None:
            reading.relation = Relation.MATCHES
            reading.notes.append("relation: 'but' turns the comparison the other way: mixed -> matches")
        reported = reported_in_clause(sentence, breaks, reading.cue_start, mention.end)
        subject, unnamed, crowd = named_subject(sentence, reading.cue_start, names, cues, new_subjects)
        sized, own_guess, own_said = None, False, False
        if unnamed:  # "our 7B model", "the 90B": the text's model of that size, if it names one
            sized = _sized_subject(sentence[: reading.cue_start], ctx.doc)
            if sized is None:
                own = own_unsized_subject(sentence[: reading.cue_start], ctx.doc)
                if own is None:
                    continue
                own_name, own_end, own_guess = own
                sized, own_said = (own_name, own_end, False), not own_guess
        if subject is None:
            subject = leading_phrase_subject(sentence, names, mention.end)
        rival = frontier_before(mention, mentions, cues, breaks, reading.cue_start, sentence)
        if rival is not None and (subject is None or rival.start > subject.end):
            continue  # two frontier models compared with each other: nobody's catching up
        clause_start = max((b for b in breaks if b < reading.cue_start), default=0)
        floor = sized[1] if sized else subject.end if subject else 0
        if _bare_frontier_subject(sentence, max(clause_start, floor), reading.cue_start, mentions, cues):
            continue  # "Sonnet moved ahead of GPT-4o": a frontier model named by its family word
        partners: list[str] = []
        if sized is not None:
            name, subject_end, bare_size = sized
            reading.confidence = p.pronoun_subject
            reading.notes.append(
                f"competitor: {name!r}, the text's own model ('our')"
                if own_guess or own_said
                else f"competitor: {name!r}, the text's model of the size the clause names"
            )
            size = next(reversed(list(_SIZE_RE.finditer(sentence, 0, subject_end))), None)
            if own_guess:
                weight = max(0.0, reading.confidence - p.reported_cap)
                reading.doubt(
                    "the text names no model of this size: its own model, recorded, not alerted", weight
                )
            elif bare_size:
                weight = max(0.0, reading.confidence - p.reported_cap)
                reading.doubt("a size with no determiner stands for the model: recorded, not alerted", weight)
            elif size is not None and not own_said and ctx.doc.sizes_shared(size.group(0)):
                weight = max(0.0, reading.confidence - p.reported_cap)
                reading.doubt("models of several families have this size: recorded, not alerted", weight)
        elif subject is not None:
            if comma_clause_subject(sentence, subject.end, reading.cue_start, cues):
                continue  # the cue has a subject of its own that is not a name we know
            if COMPONENT_OF_RE.match(sentence[subject.end : subject.end + 40]):
                continue  # "Zeta-7B's reward model beats GPT-4o": a part of the model, not the model
            name = ctx.doc.expand(subject.name, sentence[subject.end :])
            reading.confidence, subject_end = p.named_subject, subject.end
            reading.notes.append(f"competitor: {name!r}, named before the cue")
            group = [  # a name an earlier cue took as its object is not a partner of this subject
                n
                for n in coordinated_subjects(sentence, subject, names, reading.cue_start)
                if n is subject or not any(c.end <= n.start < subject.start for c in cues)
            ]
            partners = [ctx.doc.expand(n.name, sentence[n.end :]) for n in group[:-1]]
            if partners:
                reading.notes.append(
                    f"competitor: {', '.join(partners)} joined to it by 'and' share the claim"
                )
            if crowd > len(group):
                reading.doubt(f"{crowd} models named before the cue", p.crowded_subject)
            if frontier_lab_model(name):
                weight = max(0.0, reading.confidence - p.reported_cap)
                reading.doubt("a frontier lab's own other model: recorded, not alerted", weight)
            elif name in CHINESE_MODELS:
                weight = max(0.0, reading.confidence - p.reported_cap)
                reading.doubt(
                    "a product line without a version (which model?): recorded, not alerted", weight
                )
        elif reading.cue is not None and talk_about_gerund(sentence, reading.cue):
            continue  # "claims of matching GPT-4 are overstated": talk about matching, no one doing it
        elif (word := _named_plain_word(sentence, clause_start, reading.cue_start, ctx)) is not None:
            name, subject_end = word
            reading.confidence = p.plain_word_subject
            reading.notes.append(f"competitor: {name!r}, a capitalised word the text uses as a name")
        else:
            clause = sentence[: reading.cue_start]
            pronoun = PRONOUN_RE.search(clause)
            # in a text about a frontier model, an unnamed subject is that model: nobody's claim;
            # so is a pronoun after a frontier model ("o3-mini is out; it beats o1")
            name = "" if ctx.doc.about_frontier else borrowed or ctx.heading_subject or ctx.doc.main or ""
            earlier = [m for m in mentions if m.end <= (pronoun.start() if pronoun else 0)]
            if (
                earlier
                and _first_subject(sentence[: earlier[-1].end], ctx, earlier, frontier_counts=True)
                == FRONTIER_ANTECEDENT
            ):
                name = ""
            name = "" if name == FRONTIER_ANTECEDENT else name
            unnamed_release = name == UNNAMED_RELEASE or bool(
                pronoun and publisher_clause(sentence[: pronoun.start()])
            )
            if unnamed_release:  # "Lumen shipped a speech system. It beats GPT-4o": which model?
                name = ctx.doc.main or ""
            if name and pronoun and ctx.doc.main and _OWN_RE.match(pronoun.group(0)):
                name = ctx.doc.main  # "our model" is the text's own, not the last sentence's subject
            subject_end = pronoun.end() if pronoun else 0
            # "推出了一款 14B 推理模型 其评分…": the pronoun points at the sized model just named
            antecedent = _sized_subject(sentence[: pronoun.start()], ctx.doc) if pronoun else None
            if pronoun and antecedent and name:
                name = antecedent[0]
                reading.confidence = p.pronoun_subject
                reading.notes.append(
                    f"competitor: {name!r}, the text's model of the size named before {pronoun.group(0)!r}"
                )
            elif pronoun:
                reading.confidence = p.pronoun_subject
                reading.notes.append(f"competitor: {name!r}, the text's model, for {pronoun.group(0)!r}")
            elif borrowed or ctx.heading_subject:
                reading.confidence = p.borrowed_subject
                reading.notes.append(f"competitor: {name!r}, borrowed from an earlier sentence or heading")
            else:
                reading.confidence = p.main_model_subject
                reading.notes.append(f"competitor: {name!r}, the document's main model (no subject)")
            plural = PLURAL_SUBJECT_RE.search(sentence, clause_start, reading.cue_start)
            both = _earlier_names(ctx.earlier, ctx) if plural and name else []
            if plural and len(both) >= 2:  # "这两个模型…超越了 o1": both
                name, *partners = both
                reading.notes.append(f"competitor: {', '.join(both)}, for {plural.group(0)!r}")
            elif unnamed_release:
                weight = max(p.unclear_subject, reading.confidence - p.reported_cap)
                reading.doubt("the pronoun points at a release the text does not name", weight)
            elif not pronoun and plain_word_subject(sentence[clause_start : reading.cue_start]):
                weight = max(p.unclear_subject, reading.confidence - p.reported_cap)
                reading.doubt(
                    "the clause's subject is a capitalised word that may name another model", weight
                )
            elif not pronoun and (
                has_own_subject(sentence[clause_start : reading.cue_start])
                or other_family_subject(sentence[clause_start : reading.cue_start], name)
            ):
                weight = max(p.unclear_subject, reading.confidence - p.reported_cap)
                reading.doubt("the clause has a subject of its own that is not a known model", weight)
        if not name:
            continue
        if reading.cue is not None and NOT_CAPABILITY_RE.search(
            sentence, _clause_tail(sentence, reading.cue.start, 15), max(mention.start, reading.cue.end)
        ):
            continue  # "superior output speed compared to GPT-4o": speed or price, not capability
        if NOT_CAPABILITY_AFTER_RE.match(sentence, mention.end):
            continue  # "beats GPT-4o in price-performance", "GPT-4o-level latency"
        # with no named subject, the whole clause before the cue may hedge it ("some speculate it rivals")
        window = sentence[subject_end if subject is not None else clause_start : reading.cue_start]
        if HEDGE_RE.search(window) or FRAME_RE.search(sentence, clause_start, reading.cue_start):
            continue
        if subject is not None and _INFINITIVE_RE.fullmatch(window):
            continue  # "many expect Zeta-8 to beat o1", "built Zeta-8 to beat o1": wanted, not done
        negation = NEGATION_RE.search(
            sentence[max(subject_end, reading.cue_start - p.negation_reach) : reading.cue_start]
        )
        negated_after = NEGATED_AFTER_RE.match(sentence, mention.end)
        if negation is None and negated_after is not None and reading.relation is not Relation.TRAILS:
            negation = negated_after  # "better than GPT-4o at nothing"
        if negation:
            if reading.relation is Relation.TRAILS:
                continue  # "not behind GPT-4o": no telling how close
            if reading.relation is Relation.EXCEEDS:
                reading.doubt("negated exceeds: not ahead is not necessarily behind", p.negated_exceeds)
            reading.relation = Relation.TRAILS
            where = "after the frontier model" if negation is negated_after else "before the cue"
            reading.notes.append(f"negation {negation.group(0).strip()!r} {where} -> trails")
        _common_doubts(reading, sentence, ctx, name, mention, reported)
        disputed = _disputed(sentence)
        if disputed and reading.relation is not Relation.TRAILS and not reported:
            weight = max(p.reported, reading.confidence - p.reported_cap)
            reading.doubt(f"contested or anecdotal ({disputed.group(0)!r}): recorded, not alerted", weight)
        if lead is not None or mixed is not None:
            weight = max(p.reported, reading.confidence - p.reported_cap)
            reading.doubt("a mixed verdict: recorded, not alerted", weight)
        if family:
            weight = max(p.family_ref, reading.confidence - p.reported_cap)
            reading.doubt(
                f"'{family.group(0).strip()}' names a family, not one model: recorded, not alerted", weight
            )
        if mention.shorthand:
            weight = max(p.shorthand_frontier, reading.confidence - p.reported_cap)
            reading.doubt(
                f"{mention.model.name} is named only by its family word: recorded, not alerted", weight
            )
        for competitor in (name, *partners):
            hits.append(
                ProseHit(
                    competitor,
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


_SIZE_RE = re.compile(r"\d+(?:\.\d+)?[BbMm]")


# "the 1M length task", "its 128K context": a context length, not a model size
_CONTEXT_AFTER_RE = re.compile(r"[\s-]*(?:length|context|tokens?|window|ctx)\b", re.IGNORECASE)


def _sized_subject(before_cue: str, doc: DocumentModels) -> tuple[str, int, bool] | None:
    """The text's model of the size an unnamed subject names ("the 90B", "400B 版本"): its name,
    where the subject ends, and whether the size stands bare, with no determiner."""
    found = [
        m
        for m in UNNAMED_SIZE_SUBJECT_RE.finditer(before_cue)
        if not _CONTEXT_AFTER_RE.match(before_cue, m.end())
    ]
    size = _SIZE_RE.search(found[-1].group(0)) if found else None
    # "the 90B" points at a size of the text's family; "their 32B model" may be a derived model,
    # so only a size the text names stands for it
    definite = bool(found) and found[-1].group(0).lower().startswith("the ")
    name = doc.sized(size.group(0), build=definite) if size else None
    if not name:
        return None
    last = found[-1]
    if _OWN_RE.match(last.group(0)) and _other_family_than_own(name, doc):
        name = doc.main or name  # "our 11B model" in a text about LLaVA-X that names Llama-3.2-11B
    bare = last.group(0)[:1].isdigit() and not _ZH_DETERMINER_RE.search(before_cue, 0, last.start())
    return name, last.end(), bare


_OWN_RE = first_char_guarded(r"(?i)\b(?:our|we)\b|我们|本文|本研究")


def _other_family_than_own(name: str, doc: DocumentModels) -> bool:
    """Whether `name` is of another family than the text's own model, which has no size in its
    name: "our 11B model" is then the text's model, not the other family's 11B."""
    if doc.main is None or size_of(doc.main) is not None:
        return False
    own = loose_name(family(doc.main) or doc.main)
    return len(own) >= 3 and not loose_name(family(name) or name).startswith(own)


def own_unsized_subject(before_cue: str, doc: DocumentModels) -> tuple[str, int, bool] | None:
    """For "a single 8-billion-parameter model trained with our method", in a text whose own model
    has no size in its name and that names no model of this size: the text's model, its subject's
    end, and whether that is a guess: "our 11B model" says it is the text's own, "a model trained
    with our method" only suggests it."""
    found = [*UNNAMED_SIZE_SUBJECT_RE.finditer(before_cue), *INDEFINITE_SUBJECT_RE.finditer(before_cue)]
    found.sort(key=lambda m: m.end())
    if not found or doc.main is None or size_of(doc.main) is not None or not _OWN_RE.search(before_cue):
        return None
    return doc.main, found[-1].end(), not _OWN_RE.match(found[-1].group(0))


# "一款专注于代码的 14B 推理模型": a determiner before the size, which then does not stand bare
_ZH_DETERMINER_RE = first_char_guarded(r"(?:一款|这款|该款?|这一|一个|这个|此款?)[^，。；,;]{0,12}$")  # noqa: RUF001


def _names(sentence: str, ctx: _Context, mentions: Iterable[Mention]) -> list[NameHit]:
    """The model names of a sentence (outside its tracked frontier mentions), found once per text."""
    found = ctx.names.get(sentence)
    if found is None:
        found = ctx.names[sentence] = find_names(
            sentence, ctx.doc.known, _tracked_spans(mentions), ctx.doc.literals
        )
    return found


def _tracked_spans(mentions: Iterable[Mention]) -> list[tuple[int, int]]:
    """Where tracked frontier models are named; an untracked registry model ("Llama 3.1 405B") is a
    reference point that can itself be a rival."""
    return [(m.start, m.end) for m in mentions if m.model.tracked]


_DERIVED_AFTER_RE = re.compile(
    r"[\s\-]?(?:like|style|level|class|grade|tier|inspired|based)\b", re.IGNORECASE
)
# A pronoun whose antecedent is a frontier model ("OpenAI released o3-mini. It beats o1"): nobody's claim.
FRONTIER_ANTECEDENT = "\0frontier"
UNNAMED_RELEASE = "\0unnamed"  # "Lumen shipped a new speech system.": a release with no name


_CLAUSE_GLUE_RE = re.compile(r"[,;，；]|\b(?:and|but|while|whereas)\b")  # noqa: RUF001


def _clause_tail(sentence: str, end: int, width: int) -> int:
    """Where the last `width` characters before `end` start, not reaching back past a comma or an
    "and" ("beats models of similar size and approaches GPT-4o": "size" is not what approaches)."""
    start = max(0, end - width)
    glue = [m.end() for m in _CLAUSE_GLUE_RE.finditer(sentence, start, end)]
    return glue[-1] if glue else start


def _first_subject(
    sentence: str, ctx: _Context, mentions: Iterable[Mention], *, frontier_counts: bool = False
) -> str | None:
    """The first model the sentence is about; with `frontier_counts`, FRONTIER_ANTECEDENT when that
    is a tracked frontier model (not the object of "than", "compared with", "using" ...)."""
    key = (sentence, frontier_counts)
    if key not in ctx.subjects:  # a paragraph's sentences are looked back at again and again
        ctx.subjects[key] = _first_subject_of(sentence, ctx, list(mentions), frontier_counts)
    return ctx.subjects[key]


def _first_subject_of(
    sentence: str, ctx: _Context, mentions: list[Mention], frontier_counts: bool
) -> str | None:
    names = _names(sentence, ctx, mentions)
    cues = find_cues(sentence)
    first_cue = cues[0].start if cues else len(sentence)
    first = next(
        (
            n
            for n in names
            if not BASE_OF_RE.search(sentence[max(0, n.start - 30) : n.start])
            and (not publishes_object(sentence, n.end) or published_at(sentence, n.start))
            # after a comparison a name is its object ("..., surpassing GPT-4's 91.6 and Zeta's 89.9")
            and not (cues and n.start >= cues[0].end)
        ),
        None,
    )
    if frontier_counts:
        subject_like = [  # a frontier model before any cue, and not an object or a tool
            m
            for m in mentions
            if m.model.tracked
            and m.end <= first_cue
            and not _DERIVED_AFTER_RE.match(sentence, m.end)  # "o1-like reasoning": an adjective
            and not BASE_OF_RE.search(sentence[max(0, m.start - 30) : m.start])
            and not TOOL_OF_RE.search(sentence[max(0, m.start - 40) : m.start])
        ]
        if subject_like and (first is None or subject_like[0].start < first.start):
            return FRONTIER_ANTECEDENT
    if first is None and publisher_clause(sentence):
        return UNNAMED_RELEASE
    return ctx.doc.expand(first.name, sentence[first.end :]) if first else None


def extract_prose(
    paragraphs: list[Paragraph],
    doc: DocumentModels,
    matcher: FrontierMatcher | ShorthandMatcher,
    params: Params = DEFAULT,
) -> list[ProseHit]:
    """Claims stated in prose, in document order."""
    ctx = _Context(doc, params, matcher=matcher)
    hits: list[ProseHit] = []
    previous = ""  # the sentence before, also across a paragraph break (not across a heading)
    for paragraph in paragraphs:
        if paragraph.heading:
            previous = ""
            text = " ".join(paragraph.sentences)  # one line: "5. Zeta beats GPT-4o" is not two sentences
            mentions = ctx.mentions_in(text)
            headline: list[ProseHit] = []
            if any(m.model.tracked for m in mentions):  # a headline states a claim too
                headline = [h for h in _sentence_hits(text, ctx, mentions, None) if _named_in(h, text)]
                hits.extend(headline)
            # a heading that names a model starts that model's section (a digest's next entry); one
            # that names none ("Evaluation") keeps the section's subject; a headline's claimant is
            # the section's subject too ("5. STORM 模型超越 GPT-4o")
            subject = _first_subject(text, ctx, mentions) or (headline[0].competitor if headline else None)
            if subject or _names(text, ctx, mentions):
                ctx.heading_subject = subject
            continue
        for index, sentence in enumerate(paragraph.sentences):
            mentions = ctx.mentions_in(sentence)
            if any(m.model.tracked for m in mentions):
                borrowed = _borrowed_subject(paragraph.sentences[:index], ctx)
                ctx.earlier = paragraph.sentences[:index]
                hits.extend(_sentence_hits(sentence, ctx, mentions, borrowed))
            elif previous and CONTRAST_LEAD_RE.match(sentence):
                hits.extend(contrast_hits(previous, sentence, ctx))
            previous = sentence
    return hits


def contrast_hits(before: str, sentence: str, ctx: _Context) -> list[ProseHit]:
    """ "Claude 3 Opus and GPT-4 Turbo solve only 1 or 2 of 30 problems. In contrast, Zeta-7B solves
    9": frontier models that do poorly in one sentence and a model the next sentence contrasts with
    them. The model is ahead, recorded below the alert threshold (an inference across sentences)."""
    mentions = [
        m
        for m in ctx.mentions_in(before)
        if m.model.tracked and not TOOL_OF_RE.search(before[max(0, m.start - 40) : m.start])
    ]
    low = LOW_RESULT_RE.search(before)
    if not mentions or low is None or low.start() < mentions[-1].end or find_cues(before):
        return []  # the frontier models must be the subjects of the poor result, with no comparison
    name = _first_subject(sentence, ctx, [])
    if not name:
        return []
    p = ctx.params
    trace = (
        f"cue: {low.group(0)!r} for the frontier models, then a contrast -> exceeds",
        f"competitor: {name!r}, the contrasted sentence's subject",
        f"doubt: an inference across two sentences: recorded, not alerted (capped at {p.contrast:.2f})",
    )
    evidence = f"{before.strip()} {sentence.strip()}"
    return [ProseHit(name, m.model, Relation.EXCEEDS, evidence, p.contrast, trace) for m in mentions]


def _named_in(hit: ProseHit, heading: str) -> bool:
    """A headline's claim counts only when the headline names its competitor ("Zeta-7B beats
    GPT-4o"), not when it falls back on the text's model ("Comparison: beats GPT-4o?")."""
    return hit.competitor.lower() in heading.lower()


def _earlier_names(before: list[str], ctx: _Context) -> list[str]:
    """The distinct models of the nearest of the four earlier sentences of the paragraph that names
    more than one (at most three): what "both models" / "这两个模型" stands for."""
    for sentence in reversed(before[-4:]):
        names: list[str] = []
        for hit in _names(sentence, ctx, ctx.mentions_in(sentence)):
            name = ctx.doc.expand(hit.name, sentence[hit.end :])
            if all(normalise_model_name(name) != normalise_model_name(n) for n in names) and not (
                frontier_lab_model(name)
            ):
                names.append(name)
        if len(names) >= 2:
            return names[:3]
    return []


def _borrowed_subject(before: list[str], ctx: _Context) -> str | None:
    """The subject of the nearest earlier sentence in the paragraph that names a model."""
    for distance, sentence in enumerate(reversed(before)):
        # a frontier model is the antecedent only of the very next sentence ("o3-mini is out. It ...")
        subject = _first_subject(sentence, ctx, ctx.mentions_in(sentence), frontier_counts=distance == 0)
        if subject:
            return subject
    return None
