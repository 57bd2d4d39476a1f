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


@dataclass(slots=True)
class Tokens:
    """A sentence's tokens as parallel lists, one entry per token.

    Parallel lists rather than one object per token: a sentence is read by
    index arithmetic over these lists many times, and building an object for
    each of the hundreds of thousands of tokens a worker sees per second was
    the largest single cost of the parser.
    """

    text: list[str]
    norm: list[str]  # lower case, accents dropped; punctuation as is
    start: list[int]  # offset of the token in the tokenized text
    word: list[bool]  # starts with a letter or digit
    cap: list[bool]  # starts with a capital letter
    words: list[int]  # indices of the word tokens
    word_norm: list[str]  # their ``norm``s: what names and phrases are matched on

    def __len__(self) -> int:
        return len(self.text)

    def end(self, i: int) -> int:
        return self.start[i] + len(self.text[i])


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


def tokenize(text: str) -> Tokens:
    matches = list(_TOKEN.finditer(text))
    texts = [m[0] for m in matches]
    word = [w[0].isalnum() for w in texts]
    norm = _fold_all(text, texts)
    words = [i for i, w in enumerate(word) if w]
    return Tokens(
        text=texts,
        norm=norm,
        start=[m.start() for m in matches],
        word=word,
        cap=[w[0].isupper() for w in texts],
        words=words,
        word_norm=[norm[i] for i in words],
    )


def _fold_all(text: str, texts: list[str]) -> list[str]:
    """``fold`` of every token. Lower-casing the whole text and splitting it
    again is several times faster than folding token by token, and gives the
    same tokens: lower-casing keeps every character's length and class, except
    "İ", which becomes two characters. Only tokens outside ASCII need their
    accents dropped on top."""
    if "İ" in text:
        return [fold(w) for w in texts]
    norms: list[str] = _TOKEN.findall(text.lower())
    if not text.isascii():
        for i, w in enumerate(texts):
            if not w.isascii():
                norms[i] = fold(w)
    return norms


def word_set(text: str) -> frozenset[str]:
    """A vocabulary written as whitespace-separated words (long lists stay readable)."""
    return frozenset(text.split())


def word_key(text: str) -> tuple[str, ...]:
    """The folded words of a name, without apostrophes and hyphens: the key
    aliases are indexed under."""
    return tuple(tokenize(text).word_norm)


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
