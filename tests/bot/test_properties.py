"""Property tests (hypothesis): the claim detector, alias resolution and config loading never
raise on arbitrary input, and a negated parity sentence never comes out as matches/exceeds.

The detector is exercised through its public API only (`from bot.claims import ...`).
"""

from __future__ import annotations

import string
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.claims import ClaimDetector, FrontierRegistry
from bot.config import parse_settings
from bot.domain import Item, Relation, SourceKind
from bot.errors import ConfigError, GapwatchError, UnknownModelError
from bot.fetch import Fetcher, FetchPolicy, new_client

pytestmark = pytest.mark.reliability
PROPERTY = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

REGISTRY = FrontierRegistry.builtin()
DETECTOR = ClaimDetector(REGISTRY)
ALIASES = sorted({alias for model in REGISTRY.all() for alias in (model.key, model.name, *model.aliases)})
COMPETITORS = ["Zephyr-9B", "DeepSeek-R1", "Qwen2.5-72B", "Kestrel-34B", "MiniMax-Text-01", "Nova Pro"]
BENCHMARKS = ["AIME 2024", "MATH-500", "MMLU", "GPQA Diamond", "HumanEval", "SWE-bench Verified"]
WORDS = [
    "matches", "outperforms", "beats", "surpasses", "rivals", "on par with", "comparable to",
    "close to", "trails", "behind", "not", "never", "yet", "despite", "while", "but", "|", "---",
    "%", "88.5", "vs", "\n", "\n\n", "#", "*", "(", ")", ",", ".",
]  # fmt: skip
NEGATED = [
    "{c} does not match {f} on {b}.",
    "{c} does not yet match {f} on {b}.",
    "{c} doesn't beat {f} on {b}.",
    "{c} did not outperform {f} on {b}.",
    "{c} fails to match {f} on {b}.",
    "{c} is not on par with {f} on {b}.",
    "{c} is not comparable to {f} on {b}.",
    "{c} has not surpassed {f} on {b}.",
    "{c} cannot rival {f} on {b}.",
    "{c} does not outperform {f} on {b}.",
]


def item(text: str) -> Item:
    return Item(
        "feed:test", "k", title="t", url="https://x.example/1", text=text, lab="Acme",
        published=datetime(2025, 1, 1, tzinfo=UTC), source_kind=SourceKind.FEED,
    )  # fmt: skip


prose = st.lists(
    st.one_of(
        st.sampled_from(ALIASES),
        st.sampled_from(COMPETITORS),
        st.sampled_from(BENCHMARKS),
        st.sampled_from(WORDS),
    ),
    max_size=60,
).map(" ".join)
cell = st.one_of(
    st.sampled_from(ALIASES), st.sampled_from(COMPETITORS), st.sampled_from(BENCHMARKS),
    st.floats(allow_nan=True, allow_infinity=True).map(str), st.text(max_size=8), st.just(""), st.just("|"),
)  # fmt: skip


@st.composite
def tables(draw: st.DrawFn) -> str:
    width = draw(st.integers(1, 6))
    header = [draw(cell) for _ in range(width)]
    rows = draw(st.lists(st.lists(cell, min_size=0, max_size=width + 1), max_size=8))
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return draw(prose) + "\n\n" + "\n".join(lines) + "\n\n" + draw(prose)


@PROPERTY
@given(st.one_of(st.text(max_size=400), prose, tables()))
def test_the_detector_never_raises(text: str) -> None:
    for claim in DETECTOR.detect(item(text)):
        assert isinstance(claim.relation, Relation)
        assert REGISTRY.resolve(claim.frontier_key) is not None


@PROPERTY
@given(
    st.sampled_from(NEGATED),
    st.sampled_from(COMPETITORS),
    st.sampled_from([a for a in ALIASES if any(ch.isdigit() for ch in a)]),
    st.sampled_from(BENCHMARKS),
    st.sampled_from(["", "Today we release it. ", "In our tests, "]),
)
def test_a_negated_parity_sentence_is_never_matches_or_exceeds(
    template: str, competitor: str, frontier: str, bench: str, lead: str
) -> None:
    sentence = lead + template.format(c=competitor, f=frontier, b=bench)
    relations = {c.relation for c in DETECTOR.detect(item(sentence))}
    assert not relations & {Relation.MATCHES, Relation.EXCEEDS}, sentence


def _respell(alias: str, data: st.DataObject) -> str:
    """The same name with other case and separators (what users type)."""
    out = []
    for ch in alias:
        if ch in " -_":
            out.append(data.draw(st.sampled_from([" ", "-", "_", "  ", ""])))
        else:
            out.append(ch.upper() if data.draw(st.booleans()) else ch.lower())
    return "".join(out)


@PROPERTY
@given(st.sampled_from(REGISTRY.all()), st.data())
def test_every_alias_resolves_to_its_model_in_any_spelling(model: Any, data: st.DataObject) -> None:
    alias = data.draw(st.sampled_from([model.key, *model.aliases]))
    found = REGISTRY.resolve(_respell(alias, data))
    assert found is not None and found.key == model.key


@PROPERTY
@given(st.text(max_size=60))
def test_alias_resolution_never_raises(name: str) -> None:
    if REGISTRY.resolve(name) is None:
        with pytest.raises(UnknownModelError):
            REGISTRY.get(name)


# --- config loading --------------------------------------------------------------------------

scalar = st.one_of(
    st.booleans(), st.integers(-(2**40), 2**40), st.floats(), st.text(string.printable, max_size=30),
    st.sampled_from(["http://127.0.0.1:9/f.xml", "http://[::1/f", "http:///x", "env:NOPE", "a/b", "o1"]),
)  # fmt: skip
KEYS = {
    "storage": ["url"],
    "polling": [
        "interval",
        "jitter",
        "read_timeout",
        "fetch_timeout",
        "source_timeout",
        "max_bytes",
        "retries",
    ],
    "delivery": ["max_attempts", "lease_seconds", "timeout"],
    "discord": ["token", "webhooks", "api_base", "channel_id", "gateway_url"],
    "slack": ["bot_token", "mode", "signing_secret", "api_base", "channel"],
    "admin": ["destination"],
    "http": ["listen"],
    "bogus": ["x"],
}
FETCHER = Fetcher(new_client(FetchPolicy()), FetchPolicy())  # only stored by the sources built here
SOURCE_KEYS = ["kind", "url", "author", "repo", "name", "lab", "interval", "api_base"]
KINDS = st.sampled_from(["feed", "page", "huggingface", "github", "ftp"])


@st.composite
def configs(draw: st.DrawFn) -> dict[str, Any]:
    raw: dict[str, Any] = {}
    for section in draw(st.lists(st.sampled_from(sorted(KEYS)), unique=True, max_size=4)):
        keys = draw(st.lists(st.sampled_from(KEYS[section]), unique=True, max_size=3))
        raw[section] = {k: draw(scalar) for k in keys}
    sources = []
    for _ in range(draw(st.integers(0, 3))):
        keys = draw(st.lists(st.sampled_from(SOURCE_KEYS[1:]), unique=True, max_size=3))
        sources.append({"kind": draw(KINDS), **{k: draw(scalar) for k in keys}})
    if sources or draw(st.booleans()):
        raw["sources"] = sources
    if draw(st.booleans()):
        raw["routes"] = [
            {"destination": draw(st.sampled_from(["console", "webhook:x", "discord:1", "slack:C", "bad"]))}
            | (
                {"frontier": [draw(st.sampled_from(["o1", "gpt-4o", "gpt-99"]))]}
                if draw(st.booleans())
                else {}
            )
        ]
    return raw


@PROPERTY
@given(configs())
def test_config_loading_is_a_settings_object_or_one_line(raw: dict[str, Any]) -> None:
    """Either valid (and then every source builds, as `poll` would build it) or one ConfigError line."""
    from adapters.sources import build_source

    try:
        loaded = parse_settings(raw, {}, file="prop.toml")
    except ConfigError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("prop.toml")
        return
    for spec in loaded.source_specs():
        build_source(spec, FETCHER)  # poll accepts what config check accepted


@PROPERTY
@given(st.binary(max_size=200))
def test_config_files_of_any_bytes_are_loaded_or_refused_in_one_line(
    tmp_path_factory: Any, data: bytes
) -> None:
    from bot.config import load_settings

    path: Path = tmp_path_factory.mktemp("cfg") / "config.toml"
    path.write_bytes(data)
    try:
        load_settings(path, {})
    except GapwatchError as exc:
        assert isinstance(exc, ConfigError) and "\n" not in str(exc)
