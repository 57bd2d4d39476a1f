"""Word tokens with character offsets, in the folded form names are compared in.

Actor aliases, source names and the parser's grammar all match on the same
tokens, so a name written with accents, curly apostrophes or hyphens in one
place and plainly in another still meets itself.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Words, and every other non-space character as a token of its own, so
# "Russia's" is [Russia, ', s] and "al-Sham" is [al, -, Sham].
_TOKEN = re.compile(r"\w+|[^\w\s]")


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    norm: str  # lower case, accents dropped; punctuation as is
    start: int
    end: int
    is_word: bool
    is_cap: bool


_FOLDED: dict[str, str] = {}


def fold(word: str) -> str:
    folded = _FOLDED.get(word)
    if folded is None:
        if word.isascii():
            folded = word.lower()
        else:
            decomposed = unicodedata.normalize("NFKD", word)
            folded = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
        if len(_FOLDED) < 500_000:  # bounded: a pathological input cannot grow it forever
            _FOLDED[word] = folded
    return folded


def tokenize(text: str, offset: int = 0) -> list[Token]:
    out: list[Token] = []
    append = out.append
    for m in _TOKEN.finditer(text):
        word = m.group()
        first = word[0]
        start = m.start() + offset
        append(Token(word, fold(word), start, start + len(word), first.isalnum(), first.isupper()))
    return out


def word_key(text: str) -> tuple[str, ...]:
    """The folded words of a name, without apostrophes and hyphens: the key
    aliases are indexed under."""
    return tuple(t.norm for t in tokenize(text) if t.is_word)


# Number words as articles write them ("six miles", "a couple of days").
WORD_NUMBERS: dict[str, int] = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "a hundred": 100,
    "a few": 3,
    "a couple of": 2,
}
