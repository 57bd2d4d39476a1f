"""Screening of article text before parsing: what we refuse, and why.

An input is refused with an ``InputError`` whose message is a one-line reason
for a human; the caller dead-letters it. We refuse rather than guess because a
wrong parse of garbage would reach the audit log as if it were news.
"""

from __future__ import annotations

import re

from domain.errors import BinaryInput, EmptyInput, InputTooLarge, UndecodableInput, UnsupportedLanguage

MAX_ARTICLE_BYTES = 5 * 1024 * 1024

# The commonest English function words: an English text of a few sentences
# always has several; a text in another language (even with English names in
# it) rarely does.
_ENGLISH_WORDS = frozenset(
    {
        "the",
        "of",
        "and",
        "to",
        "in",
        "a",
        "is",
        "that",
        "for",
        "on",
        "was",
        "with",
        "as",
        "by",
        "at",
        "from",
        "has",
        "have",
        "had",
        "are",
        "were",
        "it",
        "its",
        "said",
        "after",
        "been",
        "will",
        "this",
        "their",
        "they",
        "not",
        "an",
        "or",
        "but",
    }
)

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def decode_article_bytes(raw: bytes) -> str:
    """UTF-8 (with or without BOM) or a clear reason why not."""
    if b"\x00" in raw[:8192]:
        raise BinaryInput("binary content (NUL bytes), not text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise UndecodableInput(
            f"not valid UTF-8 (invalid byte 0x{raw[err.start]:02x} at offset {err.start})"
        ) from err


def screen_text(text: str, max_bytes: int = MAX_ARTICLE_BYTES) -> str:
    """Return the text if Sitrep can parse it; raise an InputError otherwise."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise InputTooLarge(f"article is {size:,} bytes; the limit is {max_bytes:,}")
    if not text.strip():
        raise EmptyInput("empty article (no text)")
    sample = text[:20000]
    controls = len(_CONTROL.findall(sample))
    if controls > max(8, len(sample) // 100):
        raise BinaryInput(
            f"looks binary: {controls} control characters in the first {len(sample)} characters"
        )
    words = [w.lower() for w in _WORD.findall(sample)]
    if not words:
        raise EmptyInput("article has no words")
    english = sum(1 for w in words if w in _ENGLISH_WORDS)
    # Short texts (a headline) get the benefit of the doubt; longer ones must
    # read like English for the English grammar of the parser to mean anything.
    if len(words) >= 12 and english / len(words) < 0.05:
        raise UnsupportedLanguage(
            f"not English ({english} of {len(words)} words are common English words); only English is parsed"
        )
    return text
