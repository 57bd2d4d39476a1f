"""The parser never raises, whatever the text, and its work stays bounded."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.parser import ArticleParser
from schemas.article import Article
from services.shared.knowledge import load_parser

WHEN = datetime(2024, 12, 7, 10, tzinfo=UTC)
_PARSER: ArticleParser = load_parser()

# Fragments of the grammar mixed with noise reach deeper paths than random text.
GRAMMAR_FRAGMENTS = (
    "rebels",
    "captured",
    "the town of",
    "Homs",
    "Damascus",
    "HTS",
    "(HST)",
    "said",
    "denied",
    "would",
    "not",
    "six miles from",
    "the capital",
    "[/caption]",
    "Getty",
    "“",
    "”",
    "'s",
    "-held",
    ",",
    ".",
    "\n",
    "on Friday",
    "late on",
    "withdrew from",
    "it",
    "they",
    "known as",
    "the city",
    "Zakyah",
    "RSF",
    "?",
    "27km west of",
    "which",
    "fell to",
    "lost",
    "to",
    "besieging",
    "at the walls of",
    "its forces",
    "GettyA",
    "27km west of Goma",
    "Deir ez-Zor",
    "a week ago",
    "according to the monitor",
    "M23",
    "if",
    "Kharkiv region",
    "Ünïcödé",
    "İstanbul",
)
_TEXT = st.one_of(
    st.text(min_size=1, max_size=400),
    st.lists(st.one_of(st.sampled_from(GRAMMAR_FRAGMENTS), st.text(max_size=8)), min_size=1, max_size=60).map(
        " ".join
    ),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT)
def test_parse_never_raises(text: str) -> None:
    if not text.strip():
        return
    events = _PARSER.parse(Article(article_id="fuzz", text=text), WHEN)
    for event in events:
        assert 0 <= event.confidence <= 1
        assert text[event.evidence.char_start : event.evidence.char_end] == event.evidence.sentence


def test_time_grows_linearly_with_size() -> None:
    chunk = "Rebels captured the town of Zakyah, 16 miles from Damascus, on Friday, residents said. " * 50
    small = Article(article_id="s", text=chunk * 10)
    large = Article(article_id="l", text=chunk * 40)
    _PARSER.parse(small, WHEN)
    start = time.perf_counter()
    _PARSER.parse(small, WHEN)
    t_small = time.perf_counter() - start
    start = time.perf_counter()
    _PARSER.parse(large, WHEN)
    t_large = time.perf_counter() - start
    assert t_large < t_small * 4 * 2.5  # 4x the text: linear, with slack for noise


def test_run_on_text_without_sentence_ends_is_bounded() -> None:
    text = "rebels captured Homs and " * 20_000  # 500 kB, one "sentence"
    start = time.perf_counter()
    _PARSER.parse(Article(article_id="r", text=text), WHEN)
    assert time.perf_counter() - start < 10
