"""The parser's shortcuts give the answers of the plain computations they replace."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.distance import find_distances
from domain.timeexpr import _EXPR, _matches, find_times
from domain.tokens import fold, tokenize

WHEN = datetime(2024, 12, 7, 10, tzinfo=UTC)


def word_list(text: str) -> list[str]:
    return text.split()


# Words of the time and distance grammars, glued and spaced every which way.
_WORDS = st.sampled_from(
    word_list(
        """january march May june December monday Friday sunday in last this since early late mid a an few
    several one two ten ago day days week month year weekend yesterday today tonight overnight night
    morning afternoon evening later hours earlier past before dawn on 12 2024 3rd 1st 27km km miles mi
    kilometres from of , . - ( ) the x _ Hama İ ı é ’ “"""
    )
)
_SEPARATORS = st.sampled_from(["", " ", "  ", "-", ", ", "\n"])
_TEXT = st.lists(st.tuples(_WORDS, _SEPARATORS), max_size=12).map(lambda ps: "".join(w + s for w, s in ps))


@settings(max_examples=500, deadline=None)
@given(st.one_of(_TEXT, st.text(max_size=80)))
def test_tokens_fold_like_fold(text: str) -> None:
    tokens = tokenize(text)
    assert tokens.norm == [fold(t) for t in tokens.text]
    assert all(text[s : s + len(t)] == t for s, t in zip(tokens.start, tokens.text, strict=True))
    assert tokens.word_norm == [tokens.norm[i] for i in tokens.words]


@settings(max_examples=1000, deadline=None)
@given(st.one_of(_TEXT, st.text(max_size=80)))
def test_time_scan_finds_what_the_pattern_finds(text: str) -> None:
    expected = [(m.start(), m.end()) for m in _EXPR.finditer(text)]
    assert [(m.start(), m.end()) for m in _matches(text, tokenize(text))] == expected
    assert find_times(text, WHEN, tokenize(text)) == find_times(text, WHEN)


@settings(max_examples=500, deadline=None)
@given(st.one_of(_TEXT, st.text(max_size=80)))
def test_distance_hint_from_words_agrees(text: str) -> None:
    assert find_distances(text, tokenize(text).norm) == find_distances(text)
