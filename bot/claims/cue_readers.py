"""Where a sentence says how a frontier model compares: the readers of relation cues.

Each reader looks at one frontier mention and returns the cue that governs it, or None: the
nearest cue before it (`governing_cue`), a Chinese frame around it ("与 GPT-4o 相当"), a model and
the frontier model joined by "and" before a symmetric word ("X and GPT-4o perform similarly"), a
fronted comparison ("Compared to GPT-4o, X scores higher"), or two scores around "vs". The rules
that decide who the competitor is live in `prose.py`.
"""

from __future__ import annotations

import re

from bot.claims.frontier import Mention
from bot.claims.lexicon import (
    NOT_CAPABILITY_RE,
    ZH_COMPARED_BEFORE_RE,
    ZH_FRAME_BEFORE_RE,
    ZH_PASSIVE_AFTER_RE,
    ZH_PASSIVE_BEFORE_RE,
    ZH_STRONGER_RE,
    ZH_WEAKER_RE,
    Cue,
)
from bot.claims.params import Params
from bot.claims.scan import first_char_guarded
from bot.domain import Relation


def governing_cue(
    mention: Mention, cues: list[Cue], breaks: list[int], reach: int, sentence: str = ""
) -> Cue | None:
    """The nearest cue before the mention, within `reach` characters and the same clause, that
    has not taken an object of its own before it (a quantity, or a Chinese predicate after a comma)."""
    best = None
    for cue in cues:
        if cue.end > mention.start:
            break
        if mention.start - cue.end <= reach:
            best = cue
    if best is None or any(best.end <= b < mention.start for b in breaks):
        return None
    if sentence and own_object_between(sentence, best.end, mention.start):
        return None
    return best


# "超过 1 亿美元来训练 GPT-4": the cue's object is a quantity; "超过更大尺寸模型的潜力，拉近了…GPT-4": a  # noqa: RUF003
# comma and a new Chinese predicate stand between the cue and the mention
_QUANTITY_OBJECT_RE = re.compile(r"\s*(?:了\s*)?(?:[$¥￥€£]\s*\d|\d[\d.,]*(?![\w.]))")
# "，拉近了…" a new predicate; "，与 B …" a new frame (a list goes on with "、", "和" or "以及")  # noqa: RUF003
# ("，例如 A、B" names examples of the object: no new predicate)  # noqa: RUF003
_ZH_NEW_PREDICATE_RE = re.compile(
    r"[，,]\s*(?:(?!例如|比如|包括|尤其|特别是)(?:[\u4e00-\u9fff]{0,3}"  # noqa: RUF001
    r"(?:拉近|缩小|缩短|达到|实现|成为|取得|提升|提高|展现|证明)|[\u4e00-\u9fff]{1,4}了)|[与跟同])"
)


_PRONOUN_OBJECT_RE = re.compile(r"\s+(?:them|it)\b(?!\s*$)", re.IGNORECASE)


def own_object_between(sentence: str, cue_end: int, mention_start: int) -> bool:
    """Whether the cue ending at `cue_end` has an object of its own before the mention."""
    if cue_end >= mention_start:
        return False
    if _QUANTITY_OBJECT_RE.match(sentence, cue_end, mention_start):
        return True
    if _PRONOUN_OBJECT_RE.match(sentence, cue_end, mention_start):
        return True  # "outperforms them in consistency, especially for models like GPT-4o"
    return _ZH_NEW_PREDICATE_RE.search(sentence, cue_end, mention_start) is not None


def zh_frame_opens_after(sentence: str, mention: Mention, mentions: list[Mention], start: int) -> bool:
    """Whether a Chinese frame ("与 X 相当") opens after `start` around the mention's list: the
    mention is the frame's, not an earlier cue's ("超越了 A，与 B、C 都能掰手腕")."""  # noqa: RUF002
    head, _ = _zh_list(sentence, mention, mentions)
    return ZH_FRAME_BEFORE_RE.search(sentence, max(start, head.start - 16), head.start) is not None


# "A、B 和 C", "A，B": one list; "A，与 B …" opens a new frame ("超越了 A，与 B 都能掰手腕")  # noqa: RUF003
_ZH_LIST_GLUE_RE = re.compile(r"^[\s、*]*(?:和|及|与|以及|、)?[\s、*]*$|^[\s、，,*]*$")  # noqa: RUF001


def _zh_list(sentence: str, mention: Mention, mentions: list[Mention]) -> tuple[Mention, Mention]:
    """The first and last frontier mention of the list this one is in ("与 A、B 和 C 相当")."""
    ordered = sorted(mentions, key=lambda m: m.start)
    if mention not in ordered:
        return mention, mention
    first = last = ordered.index(mention)
    while first > 0 and _ZH_LIST_GLUE_RE.match(sentence[ordered[first - 1].end : ordered[first].start]):
        first -= 1
    while last + 1 < len(ordered) and _ZH_LIST_GLUE_RE.match(
        sentence[ordered[last].end : ordered[last + 1].start]
    ):
        last += 1
    return ordered[first], ordered[last]


def zh_passive_cue(sentence: str, mention: Mention) -> Cue | None:
    """ "Zeta-7B 在数学上被 GPT-4o 超越": the frontier model is the agent of a passive verb, so the
    subject trails it."""
    if not ZH_PASSIVE_BEFORE_RE.search(sentence, max(0, mention.start - 8), mention.start):
        return None
    verb = ZH_PASSIVE_AFTER_RE.match(sentence[mention.end :])
    if verb is None:
        return None
    start = sentence.rindex("被", 0, mention.start)
    return Cue(start, mention.end + verb.end(), Relation.TRAILS, sentence[start : mention.end + verb.end()])


# a narrowing verb before the frame that ends in a gap: "缩小了与 X 的差距", "拉近了开源模型和 X 之间的差距"
_ZH_NARROWING_RE = re.compile(r"(?:缩小|拉近|缩短|减小|弥合)了?[^，。；]{0,10}?(?:与|和|跟|同)\s*$")  # noqa: RUF001


# Latin model names joined by a list word, right before the frontier model: "Command R Plus 和 "
_ZH_LISTED_BEFORE_RE = re.compile(
    r"(?:[A-Za-z][\w.\-]*(?: [A-Za-z0-9][\w.\-]*){0,3}\s*(?:和|及|与|以及|、)\s*){1,3}$"
)


def zh_frame_cue(
    sentence: str, mention: Mention, cues: list[Cue], reach: int, mentions: list[Mention] | None = None
) -> Cue | None:
    """ "与 GPT-4o 相当" / "比 GPT-4o 更强": a Chinese frame puts the cue after the frontier model;
    a list of frontier models inside one frame shares it ("可与 A、B 和 C 相媲美")."""
    head, tail = _zh_list(sentence, mention, mentions or [mention])
    opens = head.start
    # "比 Command R Plus 和 GPT4-0314 强大得多": other models listed first inside the frame
    listed = _ZH_LISTED_BEFORE_RE.search(sentence, max(0, head.start - 60), head.start)
    if listed is not None and ZH_FRAME_BEFORE_RE.search(
        sentence, max(0, listed.start() - 16), listed.start()
    ):
        opens = listed.start()
    elif not ZH_FRAME_BEFORE_RE.search(sentence[max(0, head.start - 16) : head.start]):
        return None
    after = next((c for c in cues if c.start >= tail.end), None)
    if after is not None and after.start - tail.end <= reach:  # the frame opens at the list's head
        if after.relation is Relation.TRAILS and _ZH_NARROWING_RE.search(
            sentence, max(0, head.start - 16), head.start
        ):  # "缩小了开源模型与 GPT-4 之间的差距": the gap narrows
            return Cue(head.start, after.end, Relation.APPROACHES, after.text)
        return Cue(head.start, after.end, after.relation, after.text)
    if not ZH_COMPARED_BEFORE_RE.search(sentence, max(0, opens - 16), opens):
        return None
    after_text = sentence[tail.end :]
    for pattern, relation in ((ZH_STRONGER_RE, Relation.EXCEEDS), (ZH_WEAKER_RE, Relation.TRAILS)):
        found = pattern.match(after_text)
        if found and not NOT_CAPABILITY_RE.search(after_text, 0, found.end() + 6):
            return Cue(mention.start, tail.end + found.end(), relation, found.group(0))
    return None


_AND_BEFORE_RE = re.compile(r"[A-Za-z0-9)\]]\s+(?:and|&)\s+(?:the\s+)?$", re.IGNORECASE)
_SYMMETRIC_RE = first_char_guarded(
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


# "the gap between Zeta-7B and o1 has narrowed to two points": the model named first, the gap's
# size or change after the frontier model
_GAP_BETWEEN_RE = first_char_guarded(
    r"(?<![A-Za-z])(?:gap|distance|difference)\s+between\s+(?:the\s+)?\S[^,;.]{0,60}?(?P<and>\s+and\s+)(?:the\s+)?$",
    re.IGNORECASE,
)
_GAP_AFTER_RE = re.compile(
    r"^\W{0,3}\s*(?:(?:has|have|had|is|was|are|were|remains?|remained|stays?|still|now|already|further|been|to|down)\s+){0,4}"
    r"(?:(?P<approaches>narrow(?:ed|s|ing)?|shr[iu]nk|shrinks|shrinking|clos(?:ed|es|ing)|down to|only|just"
    r"|less than|under|within|a mere|tiny|small|minimal|negligible)"
    r"|(?P<trails>widen(?:ed|s|ing)?|grow(?:n|s|ing)?|grew|large|wide|big|huge|significant|considerable|substantial))"
    r"(?![A-Za-z])",
    re.IGNORECASE,
)


def gap_between_cue(sentence: str, mention: Mention) -> Cue | None:
    """ "The gap between Zeta-7B and o1 has narrowed": approaches; "... remains large": trails. The
    cue starts at the "and", so that the model named before it is the subject."""
    before = _GAP_BETWEEN_RE.search(sentence, max(0, mention.start - 90), mention.start)
    if before is None:
        return None
    after = _GAP_AFTER_RE.match(sentence[mention.end : mention.end + 60])
    if after is None:
        return None
    relation = Relation.APPROACHES if after.group("approaches") else Relation.TRAILS
    start = before.start("and")
    return Cue(
        start, mention.end + after.end(), relation, sentence[before.start() : mention.end + after.end()]
    )


_FRONTED_RE = re.compile(
    r"(?:^|[,;(，；]\s*)\W*(?:(?:compared|measured|pitted|tested|benchmarked) against|compared (?:to|with)"  # noqa: RUF001
    r"|in comparison (?:to|with)|relative to|against|versus|vs\.?"
    r"|相比于?|相较于?|对比|较之|和|与)"
    r"\s*(?:the\s+)?\**\s*$",
    re.IGNORECASE,
)
_COMPARATIVE_RE = first_char_guarded(
    r"(?<![A-Za-z])(?:(?P<exceeds>higher|better|stronger|superior|ahead|outperforms?|wins|advantage|leads?"
    r"|(?:comes?|came) out on top|on top|the winner|prevails"
    r"|更好|更强|更高|更优|更胜一筹|领先|占优)"
    r"|(?P<matches>comparable|similar|on par|equal|the same|competitive|相当|持平|不相上下)"
    r"|(?P<trails>lower|worse|weaker|behind|falls? short|lags?|更低|更差|更弱|落后|不及"
    r"|(?:仍|依然|还|尚)?(?:有|存在)(?:明显|较大|一定|不小)?的?差距))(?![A-Za-z])",
    re.IGNORECASE,
)


_EN_LIST_GLUE_RE = re.compile(
    r"^\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|&\s*|/\s*)(?:the\s+)?$", re.IGNORECASE
)


def compared_frame_cue(
    sentence: str, mention: Mention, breaks: list[int], mentions: list[Mention] | None = None
) -> Cue | None:
    """ "Compared to GPT-4o, Zeta-7B scores higher on MMLU": a fronted comparison frame names the
    frontier model first; the comparative word after it gives the relation. A list shares the frame
    ("Compared with o3 and Claude 4 Opus, ...")."""
    head = mention
    for other in sorted(mentions or [], key=lambda m: m.start, reverse=True):
        if other.end <= head.start and _EN_LIST_GLUE_RE.match(sentence[other.end : head.start]):
            head = other
    if not _FRONTED_RE.search(sentence[: head.start]):
        return None
    end = min((b for b in breaks if b > mention.end), default=len(sentence))
    found = _COMPARATIVE_RE.search(sentence, mention.end, min(end, mention.end + 120))
    if found is None or found.lastgroup is None:
        return None
    return Cue(found.start(), found.end(), Relation(found.lastgroup), found.group(0))


_INLINE_SCORES_RE = re.compile(
    r"(?<![\w.])(\d{1,3}(?:\.\d+)?)\s*%?\)?,?\s*"  # "64.2, compared with 70.4 for GPT-4o", "Zeta (79.8%) vs"
    r"(?:(?:on|in|for) [\w\-. ]{1,25}?,?\s*)?"  # "88.9 on MMLU, compared with 88.7 for GPT-4o"
    r"(?:vs\.?|versus|against|compared (?:to|with))\s*"
)
_SCORE_RE = re.compile(r"(?<![\w.])(\d{1,3}(?:\.\d+)?)(?![\w.]*[A-Za-z])")
_SCORE_GAP = 30  # characters between the frontier mention and its score


def score_relation(diff: float, p: Params) -> Relation:
    """Two scores' reading: ahead by more than a tie exceeds, within it matches, a little behind
    approaches, further behind trails."""
    if diff > p.inline_tie_points:
        return Relation.EXCEEDS
    if diff >= -p.inline_tie_points:
        return Relation.MATCHES
    if diff >= -p.inline_close_points:
        return Relation.APPROACHES
    return Relation.TRAILS


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
        relation = score_relation(diff, p)
        end = max(theirs.end(), mention.end)
        return Cue(found.start(), end, relation, sentence[found.start() : end])
    return None


# "outperforms baselines on GPT-4o and Claude": the frontier models are what a method runs on
_PLATFORM_BEFORE_RE = first_char_guarded(
    r"^\s+(?!the (?:scores?|results?|performance)\b)(?:[\w-]+\s+){1,4}?"
    r"(?:on|across|atop|with|(?:when )?paired with)\s+(?:(?:both|various|several|different)\s+)?"
    r"(?:(?:models|backbones|LLMs|base models|frontier models)\s+(?:such as|like|including)\s+)?$",
    re.IGNORECASE,
)


def platform_mention(sentence: str, cue: Cue, mention: Mention, mentions: list[Mention]) -> bool:
    """Whether the cue's object comes first and the mention (or the list it ends) follows "on",
    "across" or "with" ("HeronPrompt outperforms baselines on GPT-4o"): the model a method is run
    on, not the model compared with."""
    head = mention
    for other in sorted(mentions, key=lambda m: m.start, reverse=True):
        if cue.end <= other.end <= head.start and _EN_LIST_GLUE_RE.match(sentence[other.end : head.start]):
            head = other
    return cue.end <= head.start and _PLATFORM_BEFORE_RE.match(sentence[cue.end : head.start]) is not None


# "性能达到了 o1 的 95%": a share of the frontier model's score (the Chinese "reaches 95% of o1")
_ZH_SHARE_BEFORE_RE = re.compile(r"(?:达到|实现|取得|相当于|保留|恢复)了?\s*(?:其|[A-Z][A-Za-z]+\s*的)?\s*$")
_ZH_SHARE_AFTER_RE = re.compile(r"\s*的?\s*(?:约|近|接近|超过|逾)?\s*\d{2}(?:\.\d+)?\s*[%％]")  # noqa: RUF001


def zh_share_cue(sentence: str, mention: Mention) -> Cue | None:
    """ "Zeta-7B 性能达到了 o1 的 95%": a share below the whole of the frontier model's score, read
    as approaching it (as "achieves 95% of o1's score" is)."""
    before = _ZH_SHARE_BEFORE_RE.search(sentence, max(0, mention.start - 12), mention.start)
    after = _ZH_SHARE_AFTER_RE.match(sentence, mention.end)
    if before is None or after is None:
        return None
    return Cue(
        before.start(),
        mention.end + after.end() - mention.end,
        Relation.APPROACHES,
        sentence[before.start() : after.end()],
    )


# Two scores in two clauses, the frontier model's in the second: "该分数为 50.4, 而 GPT-4o 为 69.2",
# "Zeta 取得 82.1 分, GPT-4o 为 88.7 分" (either comma), "Zeta scores 82.1 on MMLU, while GPT-4o scores 88.7",
# "Zeta reaches 79.8 (o1: 79.2)"
_SPLIT_SCORE_BEFORE_RE = re.compile(
    r"(\d{1,3}(?:\.\d+)?)\s*(?:分|%|％|points?)?\s*(?:(?:on|in) [\w\-. ]{1,25}?)?\s*"  # noqa: RUF001
    r"(?:[，,;；]?\s*(?:而|相比之下[，,]?|对比之下[，,]?|while|whereas)|[，,]|[(（])\s*$"  # noqa: RUF001
)
_SPLIT_SCORE_AFTER_RE = re.compile(
    r"\s*(?:则|仅|只有)?\s*(?:为|是|得分为?|达到|[:：]|(?:only\s+)?(?:scores?|gets?|reaches|achieves|posts))"  # noqa: RUF001
    r"\s*(\d{1,3}(?:\.\d+)?)(?![\w.]*[A-Za-z])"
)


def split_scores_cue(sentence: str, mention: Mention, p: Params) -> Cue | None:
    """The subject's score, then the frontier model's in the next clause ("…50.4, 而 GPT-4o 为 69.2",
    "…82.1 on MMLU, while GPT-4o scores 88.7"); read as inline scores are (ahead, level, a little
    behind, behind). A bare comma joins them only when the frontier model's score follows at once."""
    before = _SPLIT_SCORE_BEFORE_RE.search(sentence, max(0, mention.start - 40), mention.start)
    after = _SPLIT_SCORE_AFTER_RE.match(sentence, mention.end)
    if before is None or after is None:
        return None
    diff = float(before.group(1)) - float(after.group(1))
    relation = score_relation(diff, p)
    return Cue(before.start(), after.end(), relation, sentence[before.start() : after.end()])
