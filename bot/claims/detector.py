"""The claim detector: prose and table findings combined into one list of claims per document.

Within a document, the same (competitor, frontier model, relation class) is one claim. Table
scores attach to a prose claim about the same pair; a table with no prose claim makes its own
claim from the plain majority of its rows (`matches` when they split) and says so.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from bot.claims.competitor import (
    DocumentModels,
    acceptable,
    family,
    find_names,
    hf_model_names,
    lab_for,
    loose_name,
    size_of,
)
from bot.claims.frontier import FrontierMatcher, FrontierRegistry, ShorthandMatcher
from bot.claims.gazetteer import Gazetteer
from bot.claims.lexicon import CHINESE_MODELS, COMMON_WORDS, NOT_MODELS, ORGANISATIONS, find_cues
from bot.claims.markup import fold_accents, paragraphs, titles_of, unescape_markdown
from bot.claims.params import DEFAULT, Params
from bot.claims.prose import ProseHit, extract_prose
from bot.claims.table_claims import (
    Table,
    TableHit,
    compare_tables,
    model_labels,
    parse_tables,
    superseded_stages,
    table_relation,
)
from bot.domain import BenchmarkPair, Claim, FrontierModel, Item, Relation, normalise_model_name


@dataclass(slots=True)
class _TableGroup:
    competitor: str
    frontier: FrontierModel
    pairs: dict[str, BenchmarkPair] = field(default_factory=dict)
    wins: int = 0
    losses: int = 0
    ties: int = 0
    evidence: str = ""

    def add(self, hit: TableHit) -> None:
        for pair in hit.pairs:
            self.pairs.setdefault(pair.benchmark, pair)
        self.wins += hit.wins
        self.losses += hit.losses
        self.ties += hit.ties
        self.evidence = self.evidence or hit.evidence

    @property
    def rows(self) -> int:
        return self.wins + self.losses + self.ties

    @property
    def relation(self) -> Relation:
        return table_relation(self.wins, self.losses, self.ties)


@dataclass(frozen=True, slots=True)
class TextMeta:
    """What is known about a text besides its words: title, Hugging Face id, URL, date, lab."""

    title: str | None = None
    model_id: str | None = None
    source_url: str | None = None
    published: date | None = None
    lab: str | None = None


@dataclass(frozen=True, slots=True)
class Explained:
    """A claim with the rule path that produced it (`gapwatch detect --explain`)."""

    claim: Claim
    trace: tuple[str, ...]


# A named member after a family's name: "Maverick" in "Llama 4 Maverick" beside "Llama4".
_MEMBER_TAIL_RE = re.compile(r"[a-z]{3,}")
# A pretrained base beside the tuned model: "Zeta-9B-Base".
_BASE_TAIL_RE = re.compile(r"[-_ ](?:base|pretrained)\W*$", re.IGNORECASE)
# What a release's variants append to its name: "MiMo-7B-RL", "Zeta-7B-SFT", "Zeta-Zero".
_VARIANT_TAG_RE = re.compile(r"rl|sft|dpo|zero|base|preview|thinking|reasoning|distill|final", re.IGNORECASE)
_OURS_RE = re.compile(r"^\W*(?:ours|our model|proposed|本模型|我们的模型)\W*$", re.IGNORECASE)
# "CogVLM-X (Ours)", "Zeta-7B (ours)": a label marked as the text's own model
_MARKED_OURS_RE = re.compile(r"\s*[(（]\s*(?:ours|our model|本模型|我们的)\s*[)）]\s*$", re.IGNORECASE)  # noqa: RUF001


_STEM_RE = re.compile(r"[A-Za-z]{3,}")


def _stem(name: str) -> str:
    """A name's first run of letters, lower-cased: the line it belongs to ("internlm" in
    "InternLM2-Math-Plus" and in "InternLM-Math")."""
    found = _STEM_RE.search(name)
    return found.group(0).lower() if found else ""


def own_model_rank(main: str) -> Callable[[str], int]:
    """How surely a table label names the document's own model: 2 for its main model, 1 for a
    size variant of the same family ("OpenThinker-7B" in a card whose main model is
    "OpenThinker-32B"), 0 otherwise."""
    main_key = loose_name(main)
    main_family = loose_name(family(main) or main)

    main_base = _BASE_TAIL_RE.search(main) is not None
    main_bare = len(main_key) >= 5 and size_of(main) is None  # a family name with no size

    @functools.lru_cache(maxsize=1024)
    def rank(label: str) -> int:
        if _OURS_RE.match(label):
            return 2
        if loose_name(label) == main_key:  # "Zeta-9B-Base" beside "Zeta-9B" is its earlier stage
            return 1 if not main_base and _BASE_TAIL_RE.search(label) else 2
        label_key = loose_name(label)
        if _MARKED_OURS_RE.search(label):  # of several "(Ours)" rows, the main model's family first
            return 2 if len(main_key) >= 3 and label_key.startswith(main_key) else 1
        label_family = family(label)
        same = label_family is not None and len(main_family) >= 3 and loose_name(label_family) == main_family
        tagged = label_key.startswith(main_key) and bool(
            _VARIANT_TAG_RE.fullmatch(label_key[len(main_key) :])
        )
        # a method's name on a base model: "Eurus-2-7B-PRIME" in the card of the PRIME method
        suffixed = len(main_key) >= 4 and label_key != main_key and label.lower().endswith(f"-{main.lower()}")
        # a point release of the family the text names: "Phi-3.5-vision" where it speaks of "Phi-3"
        point = (
            label.lower().startswith(f"{main.lower()}.") and label[len(main) + 1 : len(main) + 2].isdigit()
        )
        # a named member of the family the text is about: "Llama 4 Maverick" in a text on "Llama4"
        member = (
            main_bare
            and label_key.startswith(main_key)
            and _MEMBER_TAIL_RE.fullmatch(label_key[len(main_key) :]) is not None
        )
        return 1 if same or tagged or suffixed or point or member else 0

    return rank


_FRONTIER_FAMILY_RE = re.compile(r"(?<![\w-])(?:Claude|Gemini|GPT|ChatGPT|OpenAI|Anthropic)(?![\w-])")


_NOTE_RE = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")  # noqa: RUF001


def series_flagship(series: str, labels: list[str]) -> str | None:
    """Of two or more table labels of one series ("Zeta-V1 (2025-1)", "Zeta-V2 (2025-5)" under the
    title "Zeta Series"), the last one (tables list a series oldest first), without its note."""
    key = loose_name(series)
    members = [label for label in labels if len(key) >= 3 and loose_name(label).startswith(key)]
    return _NOTE_RE.sub("", members[-1]) if len(members) >= 2 else None


def _flagship(family_name: str, labels: list[str]) -> str | None:
    """In a text titled by a family ("Qwen2.5-VL") whose tables score several of its sizes against
    frontier models, the largest size is the one the text puts up against them."""
    key = loose_name(family_name)
    sized = [
        (size, label)
        for label in labels
        if (base := family(label)) is not None
        and loose_name(base) == key
        and (size := size_of(label)) is not None
    ]
    return max(sized)[1] if len(sized) >= 2 else None


def _family_sizes(family_name: str | None, labels: list[str], flagship: str) -> list[str]:
    """The other sizes of the title's family that the tables name ("EXAONE Deep 7.8B" beside the
    flagship "EXAONE Deep 32B"): each is a released model the tables put up as well."""
    if not family_name:
        return []
    key = loose_name(family_name)
    if loose_name(family(flagship) or "") != key:
        return []
    return sorted(
        {
            label
            for label in labels
            if (base := family(label)) is not None
            and loose_name(base) == key
            and size_of(label) is not None
            and loose_name(label) != loose_name(flagship)
        }
    )


def tagged_variants(main: str, labels: list[str]) -> list[str]:
    """The main model's tagged variants that the tables name ("Zeta-9B-Thinking", "Zeta-9B-RL"
    beside "Zeta-9B"), not its pretrained base: released beside it, put up against the frontier too."""
    key = loose_name(main)
    head = main[:3].lower()
    return sorted(
        {
            label
            for label in labels
            if label[:3].lower() == head  # most labels are other models: a cheap test first
            and (tail := loose_name(label)[len(key) :])
            and loose_name(label).startswith(key)
            and _VARIANT_TAG_RE.fullmatch(tail)
            and not _BASE_TAIL_RE.search(label)
        }
    )


# Typographic look-alikes that HTML-converted text carries: non-breaking and other Unicode hyphens
# ("GPT\u20114o") and spaces ("GPT-4o\u00a0mini"), one character for one so that offsets keep.
_UNIFIED = str.maketrans(
    {"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2212": "-", "\u00a0": " ", "\u202f": " ", "\u2009": " "}
)


def may_name_frontier(text: str, title: str | None, matcher: FrontierMatcher) -> bool:
    """Whether a text can hold a claim at all: every claim has a frontier competitor, named in full
    (prose or a table label, entities decoded) or as "Gemini-2.5"-style shorthand, which needs the
    family word. Most feed items name none; they skip the detector's per-text work."""
    for part in (text, title or ""):
        part = (html.unescape(part) if "&" in part else part).translate(_UNIFIED)
        if "Gemini" in part or "Claude" in part or matcher.mentions_any(part):
            return True
    return False


_CAMEL_WORD_RE = re.compile(r"(?<![\w-])[A-Z][a-z]+[A-Z][A-Za-z]*")


def _about_frontier(title: str, matcher: FrontierMatcher) -> bool:
    """The text is about a frontier model when its title names one first, not as the object of a
    comparison ("Claude 3.7 Sonnet is here", "o1: reasoning models"; not "Beating GPT-4o at 7B")."""
    starts = [m.start for m in matcher.finditer(title) if m.model.tracked]
    starts += [m.start() for m in _FRONTIER_FAMILY_RE.finditer(title)]
    if not starts:
        return False
    first = min(starts)
    before = title[:first]
    if find_cues(before) or re.search(r"(?i)\b(?:vs\.?|versus|than|against|with)\s*\W*$", before):
        return False
    others = find_names(before, frozenset())
    # "InternVL——GPT-4V 的开源替代方案": a CamelCase word before the frontier model names the text's own
    # (a maker is no model: "OpenAI o3-mini", "ChatGPT 4o")
    camel = [
        w for w in _CAMEL_WORD_RE.findall(before) if normalise_model_name(w) not in ORGANISATIONS | NOT_MODELS
    ]
    return not others and not camel


def _table_main(labels: list[str], titles: Iterable[str]) -> tuple[str | None, bool]:
    """The text's model when only its tables name it: the label a title word starts ("Zeta" and
    "Zeta-32B"), else the first model label, as a guess (True)."""
    words = [w for t in titles for w in re.findall(r"[A-Z][\w.\-]{2,}", t) if w.lower() not in COMMON_WORDS]
    labels = [_MARKED_OURS_RE.sub("", label) for label in labels]  # "Zeta (ours)" is Zeta
    for label in labels:
        if any(loose_name(label).startswith(loose_name(w)) for w in words if loose_name(w)):
            return label, False
    named = [label for label in labels if acceptable(label, frozenset())]
    return (named[0], True) if named else (None, False)


class ClaimDetector:
    """Rules-based parity-claim detection (satisfies `bot.ports.ClaimDetector`).

    Args:
        registry: the frontier models to look for.
        min_confidence: claims below this are not returned.
        params: thresholds and weights.
        gazetteer: model names the bot already knows (ids of watched Hugging Face orgs, the claim
            ledger's competitors); recognised in text even without a digit ("Mistral Large").
    """

    def __init__(
        self,
        registry: FrontierRegistry,
        *,
        min_confidence: float = 0.0,
        params: Params = DEFAULT,
        gazetteer: Iterable[str] = (),
    ) -> None:
        self.registry = registry
        self.min_confidence = min_confidence
        self.params = params
        self._gazetteer_names = tuple(n for n in gazetteer if n)
        self._known_names = Gazetteer((*sorted(CHINESE_MODELS), *self._gazetteer_names))

    def with_gazetteer(self, names: Iterable[str]) -> ClaimDetector:
        """A detector that also knows `names`."""
        return ClaimDetector(
            self.registry,
            min_confidence=self.min_confidence,
            params=self.params,
            gazetteer=[*self._gazetteer_names, *names],
        )

    def detect(self, item: Item) -> list[Claim]:
        """Claims in one item (its title, Hugging Face id, text, URL, date and lab)."""
        meta = TextMeta(
            title=item.title,
            model_id=item.model_id,
            source_url=item.url,
            published=item.published.date() if item.published else None,
            lab=item.lab,
        )
        text = item.text
        if item.title and item.title.strip() not in text[: len(item.title) + 200]:
            text = f"# {item.title.strip()}\n\n{text}"  # a feed's headline can carry the claim
        return [e.claim for e in self.explain_text(text, meta)]

    def detect_text(
        self,
        text: str,
        *,
        title: str | None = None,
        model_id: str | None = None,
        source_url: str | None = None,
        published: date | None = None,
        lab: str | None = None,
    ) -> list[Claim]:
        """Claims in a text (markdown, HTML or plain), with optional item metadata."""
        meta = TextMeta(title, model_id, source_url, published, lab)
        return [e.claim for e in self.explain_text(text, meta)]

    def explain_text(self, text: str, meta: TextMeta | None = None) -> list[Explained]:
        """Claims in a text, each with the rule path that produced it."""
        meta = meta or TextMeta()
        text, restore = fold_accents(unescape_markdown(text.translate(_UNIFIED)))
        title, model_id, source_url, published, lab = (
            fold_accents(meta.title)[0] if meta.title else None,
            meta.model_id,
            meta.source_url,
            meta.published,
            meta.lab,
        )
        matcher = self.registry.matcher.on(published)
        if not may_name_frontier(text, title, matcher):
            return []
        paras = paragraphs(text)
        plain = "\n".join(" ".join(p.sentences) for p in paras)
        titles = [t.translate(_UNIFIED) for t in (title, *titles_of(text)) if t]
        mentions = matcher.find(plain)
        doc = DocumentModels(
            plain,
            titles=titles,
            about_frontier=bool(titles) and _about_frontier(titles[0], matcher),
            model_id=model_id,
            skip=[(m.start, m.end) for m in mentions if m.model.tracked],  # untracked: a rival
            hf_names=hf_model_names(text),
            known_names=self._known_names,
        )
        prose_claims = self._merge_prose(
            extract_prose(paras, doc, ShorthandMatcher(matcher, plain, mentions), self.params)
        )

        groups: dict[tuple[str, str], _TableGroup] = {}
        secondary: set[tuple[str, str]] = set()
        tables = parse_tables(text)
        table_main, guessed = doc.main, False
        if not table_main and tables:
            table_main, guessed = _table_main(model_labels(tables, matcher), doc.titles)
        elif doc.title_family and tables:
            table_main = (
                _flagship(doc.title_family, model_labels(tables, matcher, untracked=True)) or table_main
            )
        if table_main and tables:
            groups = self._table_groups(tables, table_main, doc, matcher)
            # the family's other sizes the tables score: a smaller size that keeps up (ahead on at
            # least as many rows as behind) is news, one that trails is expected; recorded below
            # the alert threshold, as the text leads with the flagship
            sizes = (
                _family_sizes(doc.title_family, model_labels(tables, matcher, untracked=True), table_main)
                if doc.title_family and loose_name(family(table_main) or "") == loose_name(doc.title_family)
                else []
            )
            # header cells and first cells: where a variant's label stands ("| Zeta-9B-Thinking |")
            labels = [c for t in tables for row in t.header for c in row] + [
                r[0] for t in tables for r in t.body if r
            ]
            sizes += [v for v in tagged_variants(table_main, labels) if v not in sizes]
            for size in sizes:
                for key, group in self._table_groups(tables, size, doc, matcher).items():
                    if (
                        key not in groups
                        and group.wins >= group.losses
                        and group.relation is not Relation.TRAILS
                    ):
                        groups[key] = group
                        secondary.add(key)
            if not groups and doc.title_word:
                # a series' README ("ReasonFlux Series") whose main model is not in its tables: the
                # last row of the series there is its newest model, the one put up against the frontier
                flagship = series_flagship(doc.title_word, model_labels(tables, matcher, untracked=True))
                if flagship:
                    table_main = flagship
                    groups = self._table_groups(tables, table_main, doc, matcher)

        result = []
        attached = self._attach_tables(prose_claims, groups, table_main, guessed=guessed, secondary=secondary)
        for claim, trace in attached:
            if claim.confidence < self.min_confidence:
                continue
            claim = replace(
                claim,
                competitor=restore(claim.competitor),
                evidence=restore(claim.evidence),
                lab=lab_for(claim.competitor, model_id=model_id, lab=lab),
                source_url=source_url,
                published=published,
            )
            result.append(Explained(claim, tuple(map(restore, trace))))
        return result

    @staticmethod
    def _table_groups(
        tables: list[Table], table_main: str, doc: DocumentModels, matcher: FrontierMatcher
    ) -> dict[tuple[str, str], _TableGroup]:
        """The tables' comparisons of the text's model with frontier models, grouped per model pair
        (earlier training stages left out)."""

        def section_rank(heading: str) -> Callable[[str], int] | None:
            named = [h.name for h in find_names(heading, doc.known, (), doc.literals)]
            return own_model_rank(named[0]) if named else None

        def caption_ranks(caption: str) -> list[Callable[[str], int]]:
            # a name of the text's own line ("InternLM2-Math-Plus" under "InternLM-Math"), not a baseline
            named = (h.name for h in find_names(caption, doc.known, (), doc.literals))
            stem = _stem(table_main)
            return [own_model_rank(n) for n in named if _stem(n) == stem and not matcher.find(n)]

        groups: dict[tuple[str, str], _TableGroup] = {}
        released = [own_model_rank(n) for n in doc.introduced if n != table_main]
        own = own_model_rank(table_main)
        hits = compare_tables(tables, own, matcher, section_rank, released, caption_ranks)
        for hit in hits:
            if _OURS_RE.match(hit.competitor):
                hit = replace(hit, competitor=table_main)
            elif _MARKED_OURS_RE.search(hit.competitor):
                hit = replace(hit, competitor=_MARKED_OURS_RE.sub("", hit.competitor))
            key = (normalise_model_name(hit.competitor), hit.frontier.key)
            groups.setdefault(key, _TableGroup(hit.competitor, hit.frontier)).add(hit)
        earlier = {normalise_model_name(n) for n in superseded_stages(g.competitor for g in groups.values())}
        return {key: group for key, group in groups.items() if key[0] not in earlier}

    @staticmethod
    def _merge_prose(hits: list[ProseHit]) -> list[tuple[Claim, tuple[str, ...]]]:
        merged: dict[tuple[str, str, str], tuple[Claim, tuple[str, ...]]] = {}
        for hit in hits:
            claim = Claim(hit.competitor, hit.frontier.key, hit.relation, hit.evidence, hit.confidence)
            previous = merged.get(claim.cluster_key)
            # on a tie, the longer sentence says more (a body sentence over its headline)
            if previous is None or (claim.confidence, len(claim.evidence)) > (
                previous[0].confidence,
                len(previous[0].evidence),
            ):
                merged[claim.cluster_key] = (claim, hit.trace)
        return list(merged.values())

    def _attach_tables(
        self,
        claims: list[tuple[Claim, tuple[str, ...]]],
        groups: dict[tuple[str, str], _TableGroup],
        main: str | None,
        *,
        guessed: bool = False,
        secondary: set[tuple[str, str]] | frozenset[tuple[str, str]] = frozenset(),
    ) -> list[tuple[Claim, tuple[str, ...]]]:
        p = self.params
        out = []
        for claim, trace in claims:
            group = groups.get((normalise_model_name(claim.competitor), claim.frontier_key))
            if group is not None:
                claim = replace(claim, benchmarks=tuple(group.pairs.values()))
                trace = (*trace, f"table: {len(group.pairs)} benchmark pairs attached")
            out.append((claim, trace))
        covered = {(normalise_model_name(c.competitor), c.frontier_key) for c, _ in claims}
        for key, group in groups.items():
            if key in covered or group.rows < p.table_min_rows:
                continue
            name = main if main and normalise_model_name(main) == key[0] else group.competitor
            ahead = (
                f"ahead on {group.wins}, behind on {group.losses}, level on {group.ties} of {group.rows} rows"
            )
            evidence = (
                f"{group.evidence} (table: {name} vs {group.frontier.name}: {ahead}; "
                f"relation from the table majority, no prose claim)"
            )
            margin = abs(group.wins - group.losses) / group.rows
            confidence = (
                p.table_base
                + p.table_rows_weight * min(group.rows, p.table_rows_full) / p.table_rows_full
                + p.table_margin_weight * margin
            )
            trace = (
                f"table: {name!r} column against {group.frontier.name!r}: {ahead}",
                f"relation: plain majority -> {group.relation.value}",
                f"confidence: {p.table_base} + rows {min(group.rows, p.table_rows_full)}/{p.table_rows_full}"
                f" + margin {margin:.2f}",
            )
            if key in secondary:
                confidence = min(confidence, p.table_guessed_cap)
                trace = (*trace, f"doubt: {name!r} is not the size the text leads with (capped)")
            if guessed:
                confidence = min(confidence, p.table_guessed_cap)
                trace = (
                    *trace,
                    f"doubt: the text names no model; {name!r} is the table's first model (capped)",
                )
            out.append(
                (
                    Claim(
                        name,
                        group.frontier.key,
                        group.relation,
                        evidence,
                        round(min(1.0, confidence), 2),
                        benchmarks=tuple(group.pairs.values()),
                        origin="table",
                    ),
                    trace,
                )
            )
        return out
