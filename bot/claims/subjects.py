"""Who the competitor of a comparison is: finders for the subject of a cue.

The named subject before the cue (not an earlier cue's object, not what it was built from; a new
clause after "while", ";" or "2)" looks for its own), a subject after a leading phrase ("Besides
matching o1, the Nova-R1 release ..."), a frontier model as the subject (two frontier models
compared, or "GPT-4o outperforms X"), and the signs that a clause has a subject of its own, is
reported, or only talks about comparing. `prose.py` combines them with the cue readers.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from bot.claims.competitor import publishes_object
from bot.claims.frontier import Mention
from bot.claims.gazetteer import NameHit
from bot.claims.lexicon import (
    BASE_OF_RE,
    COMMON_WORDS,
    HEDGE_RE,
    INDEFINITE_SUBJECT_RE,
    NEGATION_RE,
    NOT_MODELS,
    ORGANISATIONS,
    REPORT_RE,
    SUBJECT_WORDS,
    UNNAMED_SIZE_SUBJECT_RE,
    ZH_DESCRIBED,
    Cue,
)
from bot.claims.scan import first_char_guarded
from bot.domain import Relation, normalise_model_name

_LEADING_PHRASE = (",", "，")  # noqa: RUF001
_LEADING_RE = re.compile(
    r"^\W*(?:besides|beyond|apart from|in addition to|after|by|despite|like|unlike|matching|rivall?ing|"
    r"outperforming|surpassing|beating|exceeding|trailing|approaching)\b",
    re.IGNORECASE,
)
# Words that say a clause already has its own subject, so borrowing another sentence's model is a guess.
_CONTENT_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'\-]{2,}|[\u4e00-\u9fff]{2,}")
_ABOUT_A_MODEL_RE = first_char_guarded(
    r"(?<![A-Za-z])(?:models?|llms?|versions?|variants?|release|checkpoints?|performance|results?|scores?|"
    r"accuracy|capabilit(?:y|ies)|abilit(?:y|ies)|resulted|results in)(?![A-Za-z])"
    # "our method achieves ...": a text's own method is its release
    r"|\b(?:our|the proposed)\s+(?:method|approach|framework|system|pipeline|recipe)s?\b"
    r"|模型|得分|性能|表现|能力|效果|成绩|分数|我们的方法",
    re.IGNORECASE,
)
_CONNECTIVES = frozenset(
    "additionally also moreover furthermore notably overall meanwhile however still even and then thus "
    "which that who while with only just further finally importantly specifically particularly".split()
)
_ABOUT_RE = re.compile(r"(?:^|\s)(?:of|about|on|in|for|at|towards?)\s*$", re.IGNORECASE)
_FLIP = {
    Relation.EXCEEDS: Relation.TRAILS,
    Relation.TRAILS: Relation.EXCEEDS,
    Relation.MATCHES: Relation.MATCHES,
}


# "..., while matching GPT-4o": the break's clause has no subject of its own
# "X beats A, but trails B": "but" and a verb go on with the subject before it
_BUT_THEN_VERB_RE = re.compile(
    r"\W*(?:but|yet)\s+(?:(?:\w+ly|also|still|only|just|even|then|now)\s+){0,3}[a-z]+(?:s|ed)\b"
)
_BREAK_THEN_GERUND_RE = re.compile(r"\W*(?:while|whereas|although|though|however)?\s*\w+ing\b", re.IGNORECASE)


_ASIDE_RE = re.compile(r"[(（][^()（）]*[)）]")  # noqa: RUF001


# ", fine-tuned by the community from Y," right after a name: a phrase opened by a lowercase word
# (not a verb or a conjunction, which would make it the main clause) that describes that name
_COMMA_ASIDE_RE = re.compile(
    r"\s*,\s+(?!(?:and|or|but|while|is|are|was|were|has|have|had|does|did|will|can)\b)[a-z][^,;:()]*,"
)


def _closed_asides(text: str, names: Sequence[NameHit] = ()) -> list[tuple[int, int]]:
    """Asides that close before the cue: "X (Y came out last week) beats ...", "X, fine-tuned from
    Y, beats ..." are about X; a name inside the aside is not the subject."""
    spans = [m.span() for m in _ASIDE_RE.finditer(text)]
    for name in names:
        aside = _COMMA_ASIDE_RE.match(text, name.end)
        if aside is not None:
            spans.append(aside.span())
    return spans


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
    asides = _closed_asides(sentence[:cue_start], names)

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
            and not publishes_object(sentence, n.end)  # "Acme launches a model that beats o1": the maker
            # a name inside an aside is not the subject, unless the aside is just that name:
            # "the resulting model (s1-32B) beats ..." names it
            and not any(a <= n.start and n.end <= b and b - a > len(n.name) + 4 for a, b in asides)
        ]

    relative = _relative_clause_head(sentence, cue_start, names) or _latter(sentence, cue_start, names)
    if relative is not None:  # "X beats Orrin-70B, which itself rivals GPT-4o": Orrin-70B rivals it
        return relative, False, 1
    bracketed = _bracketed_claim_subject(sentence, cue_start, names)
    if bracketed is not None:  # "Zeta-7B (beats GPT-4o), Lumen-3 (on par with o1)": Lumen-3's
        return bracketed, False, 1
    joined = _joined_clause_subject(sentence, cue_start, names, cues)
    if joined is not None:  # "X beats A, and Lumen-3 matches GPT-4o": Lumen-3 matches it
        return joined, False, 1
    candidates = named(clause_start) if clause_start >= 0 else []
    if (
        not candidates
        and clause_start >= 0
        and (
            _BREAK_THEN_GERUND_RE.match(sentence, clause_start)
            or _BUT_THEN_VERB_RE.match(sentence, clause_start)
        )
    ):
        candidates = named(-1)
    elif clause_start < 0:
        candidates = named(-1)
    last = candidates[-1] if candidates else None
    # with no name, only the cue's own clause: "introduces X, a reasoning model; it matches o1"
    gap = sentence[last.end if last else max(clause_start, 0) : cue_start]
    sized = UNNAMED_SIZE_SUBJECT_RE.search(gap)
    if sized and last is not None and _APPOSITIVE_RE.match(gap, 0, sized.start()):
        sized = None  # "X，这是一个 8B 参数的模型，超越了 Y", "X, the 8B model, beats Y": it describes X  # noqa: RUF003
    if sized or (last is None and INDEFINITE_SUBJECT_RE.search(gap)):
        return None, True, len(candidates)
    distinct = len({normalise_model_name(n.name) for n in candidates})
    return last, False, distinct


# "Lumen-3 (on par with o1)": a bracket opened right after a name holds that name's claim
_BRACKET_OPEN_RE = re.compile(r"\s*[(（]\s*(?:(?:\w+ly|also|even|now|still|already)\s+)*", re.IGNORECASE)  # noqa: RUF001


def _bracketed_claim_subject(sentence: str, cue_start: int, names: list[NameHit]) -> NameHit | None:
    """The name right before a bracket that opens with the cue: "Zeta-7B (beats GPT-4o), Lumen-3
    (on par with o1)" gives each name its own bracket's claim."""
    before = [n for n in names if n.end <= cue_start]
    if before and _BRACKET_OPEN_RE.fullmatch(sentence, before[-1].end, cue_start):
        return before[-1]
    return None


# "…, and Lumen-3 matches": a conjunction, then a name right before the cue (adverbs between)
_JOINED_BEFORE_RE = re.compile(r"(?:,\s*(?:and|but|while)?|\band|\bbut|;)\s*$", re.IGNORECASE)
_ADVERBS_ONLY_RE = re.compile(r"\s*(?:(?:\w+ly|also|now|even|still|already|too)\s+)*$", re.IGNORECASE)


def _joined_clause_subject(
    sentence: str, cue_start: int, names: list[NameHit], cues: list[Cue]
) -> NameHit | None:
    """After an earlier cue, "and" and a name written right before this cue open a clause of their
    own: "X beats A and Lumen-3 matches GPT-4o" is Lumen-3's claim, not X's."""
    before = [n for n in names if n.end <= cue_start]
    if not before:
        return None
    last = before[-1]
    aside = _COMMA_ASIDE_RE.match(sentence, last.end, cue_start)  # "Orrin-8B, trained on more data,"
    if not _ADVERBS_ONLY_RE.fullmatch(sentence, aside.end() if aside else last.end, cue_start):
        return None
    if not any(c.end <= last.start for c in cues):
        return None  # no earlier cue: the ordinary subject search finds it
    return last if _JOINED_BEFORE_RE.search(sentence, 0, last.start) else None


# a relative clause opened right after a name, with no other clause opened before the cue
_RELATIVE_RE = re.compile(r"\s*,\s*(?:which|who|that)\b[^,;:()]*$", re.IGNORECASE)


# "后者", "the latter": the last name before it; "前者", "the former": the one before that
_LATTER_RE = first_char_guarded(
    r"(?P<latter>后者|\bthe latter(?![\w-]))|(?P<former>前者|\bthe former(?![\w-]))", re.IGNORECASE
)


def _latter(sentence: str, cue_start: int, names: list[NameHit]) -> NameHit | None:
    """The name "the latter" / "后者" stands for, when it is the last subject-like word before the cue
    ("X beat Orrin-70B; the latter already rivals GPT-4o")."""
    found = next(reversed(list(_LATTER_RE.finditer(sentence, 0, cue_start))), None)
    if found is None:
        return None
    before = [n for n in names if n.end <= found.start()]
    if any(n.start >= found.end() for n in names if n.end <= cue_start):
        return None  # a name after "the latter" is the subject
    if found.group("latter") and before:
        return before[-1]
    return before[-2] if found.group("former") and len(before) >= 2 else None


def _relative_clause_head(sentence: str, cue_start: int, names: list[NameHit]) -> NameHit | None:
    """The name a relative clause holding the cue hangs on ("Orrin-70B, which itself rivals")."""
    before = [n for n in names if n.end <= cue_start]
    if before and _RELATIVE_RE.match(sentence, before[-1].end, cue_start):
        return before[-1]
    return None


# between a name and a description of it: "X，这是一个 8B …模型", "X, the 8B model"  # noqa: RUF003
_APPOSITIVE_RE = re.compile(
    r"\s*[,，(（]\s*(?:(?:这|它|其|that|which)\s*(?:是|is)\s*)?(?:一个|一款|一种|a|an|the)?\s*$",  # noqa: RUF001
    re.IGNORECASE,
)
_LAST_GLUE_RE = re.compile(r"^\s*(?:,\s*)?(?:and|&|as well as|与|和|及)\s*$", re.IGNORECASE)
_LIST_GLUE_RE = re.compile(r"^\s*[,，、/]\s*$")  # noqa: RUF001
_BOTH_RE = re.compile(
    r"^\W*(?:both|all|each|both of them|all of them|都|均"
    r"|(?:这样的|等)[\w\s\-]{0,16}?模型(?:都|均)?(?:被证明|被认为)?)?\W*$",  # "像 A 和 B 这样的开源模型"
    re.IGNORECASE,
)


def coordinated_subjects(
    sentence: str, subject: NameHit, names: list[NameHit], cue_start: int
) -> list[NameHit]:
    """ "Zeta-7B and Zeta-70B both outperform GPT-4o": the names joined to the subject by "and" (and
    commas before it) share its claim; [subject] when there is no such list. The subject is last:
    a Chinese list after it ("Zeta-7B 和 Orrin-9B 都超越了", where 和 reads like "with") joins too."""
    if not _BOTH_RE.match(sentence[subject.end : cue_start]):
        after: list[NameHit] = []
        for name in (n for n in names if subject.end <= n.start and n.end <= cue_start):
            gap = sentence[(after[-1] if after else subject).end : name.start]
            if not (_LAST_GLUE_RE.match(gap) or _LIST_GLUE_RE.match(gap)):
                break
            after.append(name)
        if after and _BOTH_RE.match(sentence[after[-1].end : cue_start]):
            return [*after, subject]
        return [subject]
    before = [n for n in names if n.end <= subject.start]
    group = [subject]
    for index, name in enumerate(reversed(before)):
        gap = sentence[name.end : group[-1].start]
        if not (_LAST_GLUE_RE.match(gap) if index == 0 else _LIST_GLUE_RE.match(gap)):
            break
        group.append(name)
    return list(reversed(group)) if len(group) > 1 else [subject]


_ZH_FRAME_OPENER_RE = re.compile(r"[比与跟同较]|相比|和")
_COMMA_CLAUSE_RE = re.compile(r"[,，]\s*(?:and\s+|then\s+|while\s+)?([^,，]*)$")  # noqa: RUF001
_OWN_SUBJECT_TOKEN_RE = re.compile(r"(?<![\w.-])(?:[A-Z][\w.\-]*|\d[\w.\-]*)")


def comma_clause_subject(sentence: str, subject_end: int, cue_start: int, cues: list[Cue]) -> bool:
    """ "Zeta beats A in Elo, 2.0 Flash beats GPT-4o": after an earlier cue, a comma and a subject the
    detector cannot name start a new clause; the named subject before them is not this cue's."""
    if not any(subject_end <= c.start and c.end <= cue_start for c in cues):
        return False
    tail = _COMMA_CLAUSE_RE.search(sentence[subject_end:cue_start])
    if tail is None:
        return False
    words = tail.group(1)
    words_start = subject_end + tail.start(1)
    inner = min((c.start for c in cues if words_start <= c.start < cue_start), default=cue_start)
    words = words[: inner - words_start]  # ", surpassing Llama-3-70B and rivaling o1": an object, no subject
    words = _ZH_FRAME_OPENER_RE.split(words, maxsplit=1)[0]  # "，并且比 Orrin 和 GPT-4 强": objects  # noqa: RUF003
    return any(t.lower() not in _CONNECTIVES for t in _OWN_SUBJECT_TOKEN_RE.findall(words))


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


# "与 GPT-4o 相当", "与 A、B 和 C 相媲美": a frontier model inside a Chinese frame is its object
_ZH_OBJECT_RE = first_char_guarded(
    rf"(?:与|和|跟|同|比|较|对比|相比于?|、)\s*\**\s*(?:[A-Z][A-Za-z]+\s*的|前代|上一代|{ZH_DESCRIBED})?\s*$"
)


def frontier_before(
    mention: Mention,
    mentions: list[Mention],
    cues: list[Cue],
    breaks: list[int],
    cue_start: int,
    sentence: str = "",
) -> Mention | None:
    """A registry model named before the cue in the same clause and not an earlier cue's object:
    the sentence compares two frontier models ("Claude 3.5 Sonnet outperforms GPT-4o")."""
    # an earlier cue's objects, in the same clause: "A 优于 B：新的 C 比 D 更强" - C is no object of 优于  # noqa: RUF003
    clause_start = max((b for b in breaks if b < cue_start), default=-1)
    objects_from = max((c.end for c in cues if clause_start < c.end <= cue_start), default=-1)
    before = [
        m
        for m in mentions
        if m is not mention
        and m.model.tracked
        and not _ZH_OBJECT_RE.search(sentence[max(0, m.start - 16) : m.start])
        and m.end <= cue_start
        and not (objects_from >= 0 and m.start >= objects_from)
        and not any(m.end <= b < cue_start for b in breaks)
    ]
    return before[-1] if before else None


# a clause opened by a maker publishing something: "Ai2 introduced ...", "Acme has released ..."
_PUBLISHER_CLAUSE_RE = re.compile(
    r"\W*(?!(?:We|Our|It|They|This|These|The)\b)[A-Z][\w.\-]*(?:\s+[A-Z][\w.\-]*){0,2}\s+"
    r"(?:(?:has|have|just|also|today|quietly|officially)\s+){0,2}"
    r"(?:introduced|released|launched|unveiled|announced|open-sourced|debuted|shipped|rolled out"
    r"|introduces|releases|launches|unveils|announces|open-sources|debuts|ships|rolls out)\b"
    # "Lumen 推出了一款语音模型": a maker and a release it does not name
    r"|\W*[A-Za-z][\w.\-]*\s*(?:公司|团队|实验室)?\s*(?:近日|今日|今天|正式|也)?\s*(?:发布|推出|开源|上线)了?\s*"
    r"(?:一款|一个|一种|新的?|全新的?|自家的?)"
)


def publisher_clause(clause: str) -> bool:
    """Whether the clause opens with a maker publishing something ("Ai2 introduced ...")."""
    return _PUBLISHER_CLAUSE_RE.match(clause) is not None


# "Another lab's model beats GPT-4o", "a rival system": a model the clause says is someone else's
_OTHER_MODEL_RE = re.compile(
    r"\W*(?:(?i:an?other|other|rival|competing|a (?:rival|competing|different))\b"
    r"|另一家|另一款|其他(?:公司|厂商|团队)|别家|竞争对手|友商)"
)


def has_own_subject(clause: str) -> bool:
    """A clause with three or more content words before its cue and no word that points back at a
    model ("a speculative edits algorithm that surpasses ...", "The OlympicCoder series surpassed")
    names a subject of its own. "This 671B MoE model performs ...", "its average score exceeds ..."
    still speak of the text's model."""
    if _PUBLISHER_CLAUSE_RE.match(clause) or _OTHER_MODEL_RE.match(clause):
        return True  # "Ai2 introduced new models, competing with GPT-4o": that maker's, unnamed
    if _ABOUT_A_MODEL_RE.search(clause):
        return False
    words = [w for w in _CONTENT_WORD_RE.findall(clause) if w.lower() not in _CONNECTIVES]
    return len(words) >= 3


# "the Nova family models", "Acme's Orca series": a capitalised name before a word for models
_FAMILY_SUBJECT_RE = first_char_guarded(
    r"(?<![\w-])([A-Z][\w.\-]*)\s+(?:(?:family|series)\s+)?(?:models?|family|series|llms?)(?![\w-])"
)


def other_family_subject(clause: str, main: str) -> bool:
    """Whether the clause's subject is a family of models named by a capitalised word that is not
    part of `main` ("According to a tester, the Nova family models outperform ..." in a text whose
    main model is another): the text's model would be a guess."""
    main_key = re.sub(r"[^a-z0-9]", "", main.lower())
    for found in _FAMILY_SUBJECT_RE.finditer(clause):
        word = re.sub(r"[^a-z0-9]", "", found.group(1).lower())
        if len(word) >= 3 and word not in main_key and found.group(1).lower() not in _CONNECTIVES:
            return True
    return False


def reported_in_clause(sentence: str, breaks: list[int], start: int, end: int) -> re.Match[str] | None:
    """A report or dispute cue ("reportedly", "critics dispute", "据称") in the clause that holds
    the claim: from the clause break before `start` to the one after `end`."""
    reports = _reports(sentence)
    if not reports:
        return None  # most sentences: one scan for all their mentions
    left = max((b for b in breaks if b < start), default=0)
    right = min((b for b in breaks if b > end), default=len(sentence))
    return REPORT_RE.search(sentence, left, right)


@functools.lru_cache(maxsize=256)
def _reports(sentence: str) -> bool:
    return REPORT_RE.search(sentence) is not None


def talk_about_gerund(sentence: str, cue: Cue) -> bool:
    """A gerund cue governed by a preposition ("claims of matching", "talk about beating")."""
    return cue.text.lower().rstrip().endswith("ing") and bool(_ABOUT_RE.search(sentence[: cue.start]))


_JOINED_NAMES_RE = re.compile(r"(?:\s*(?:,|and|&)\s+[A-Z][\w.\-]*(?:\s+[A-Z0-9][\w.\-]*){0,3})+")


def frontier_as_subject(
    sentence: str, mention: Mention, cues: list[Cue], breaks: list[int], names: list[NameHit], reach: int
) -> tuple[NameHit, Relation, Cue] | None:
    """ "GPT-4o outperforms Lark-7B" / "GPT-4o is outperformed by Lark-7B": the frontier model is the
    subject; the competitor follows the cue and takes the flipped relation."""
    cue = next((c for c in cues if c.start >= mention.end), None)
    if cue is None or cue.relation not in _FLIP:
        return None
    # "GPT-5 and Claude Sonnet 4.5 remain ahead of X": the subject is a list; reach from its end
    joined = _JOINED_NAMES_RE.match(sentence, mention.end, cue.start)
    if cue.start - (joined.end() if joined else mention.end) > reach:
        return None
    window = sentence[mention.end : cue.start]
    if (
        any(mention.end <= b < cue.start for b in breaks)
        # "challenging GPT-4.5 and ERNIE X1 matching R1": a model named between them is the subject
        or any(mention.end <= n.start and n.end <= cue.start for n in names)
        or HEDGE_RE.search(window)
        or NEGATION_RE.search(window)
    ):
        return None
    # a Chinese passive holds its agent: "GPT-4o 被 Zeta-7B 超越"
    inside = [n for n in names if cue.start <= n.start and n.end <= cue.end] if cue.passive else []
    after = inside or [n for n in names if n.start >= cue.end and n.start - cue.end <= 40]
    if not after or (not inside and any(cue.end <= b < after[0].start for b in breaks)):
        return None
    return after[0], _FLIP[cue.relation], cue


# "Quokka matches", "ByteDance's Quokka is competitive with", "The new Quokka model beats": a clause
# that is one capitalised word (with an owner, an article, a model noun, a verb or adverb around it)
_PLAIN_WORD_CLAUSE_RE = re.compile(
    r"^(?:[^,;:]{0,60},\s+)?"  # a leading phrase: "According to the paper, Quokka beats"
    r"[\s*_\-•>#:(]*(?:\d{1,2}[.)]\s+)?(?:(?P<owner>[A-Z][\w.-]*)['’]s\s+)?(?:(?i:the|a)\s+)?"  # noqa: RUF001
    r"(?:(?i:new|latest|open|open-source|open-weight)\s+)?"
    r"(?P<word>[A-Z][A-Za-z]{2,}(?:-[A-Z][A-Za-z]+)?)[*_]*"
    r"(?P<noun>\s+(?i:model|llm|vlm|system|agent)"
    # "STORM 文本-视频模型性能超越": a Chinese kind noun after the Latin name, then what is compared
    r"|\s*[\u4e00-\u9fff\-]{0,6}?(?:模型|系统|智能体)(?:的?(?:性能|表现|能力|成绩|得分|效果))?)?"
    r"(?:\s+(?i:is|was|are|were|also|even|now|still|already|clearly|easily|handily|narrowly|slightly|"
    r"further|significantly|consistently|can|does|did|has|have|reportedly|actually|reliably|"
    r"performs|performed|scores|scored|ranks|ranked|comes|came|sits|stands|lands|landed|finishes|finished)){0,2}"
    r"(?:\s*[:：]?\s*(?:达到了?|实现了?|可以?|能够|已经?|在[^，。；]{0,12}?上))?\s*$"  # noqa: RUF001
)


def plain_word_subject(clause: str) -> tuple[str, bool] | None:
    """The capitalised word that is a clause's whole subject, and whether the clause itself marks it
    as a name (an owner: "ByteDance's Quokka"; a model noun: "the new Quokka model"); None when
    the clause is not one word, or the word is a function word, an organisation or a common word."""
    match = _PLAIN_WORD_CLAUSE_RE.match(clause)
    if match is None:
        return None
    word = match.group("word")
    plain = normalise_model_name(word)
    if (
        word.lower() in SUBJECT_WORDS
        or word.lower() in COMMON_WORDS
        or plain in ORGANISATIONS
        or plain in NOT_MODELS
        or _FRONTIER_WORD_SUBJECT_RE.match(word)
    ):
        return None
    marked = bool(match.group("noun")) or (
        match.group("owner") is not None and normalise_model_name(match.group("owner")) in ORGANISATIONS
    )
    return word, marked


_FRONTIER_WORD_SUBJECT_RE = first_char_guarded(
    r"(?:gpt|chatgpt|claude|gemini|openai|anthropic|sonnet|opus|haiku|google|meta)(?![a-z])", re.IGNORECASE
)
