"""Sentence splitting with character offsets, and image captions.

Scraped pages glue a photo credit to the caption text and close it with a
``[/caption]`` marker ("GettyA rebel fighter stands in Hama[/caption]"). A
caption is still evidence, but weaker, so it is marked and its credit stripped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_CAPTION_END = "[/caption]"
_CAPTION_OPEN = re.compile(r"\[caption[^\]\n]{0,200}\]")
# Credits as they appear glued to the caption's first word; longest first so
# "Getty Images" wins over "Getty".
_CREDIT = re.compile(
    r"(?:AFP via Getty Images|Getty Images|Getty|AFP|Reuters|AP Photo|AP|EPA-EFE|EPA|Alamy|Shutterstock|"
    r"Rex Features|Rex|PA|Anadolu|Bloomberg|Sipa)(?=[A-Z“\"‘'])"
)
# A full stop, question or exclamation mark (and closing quotes) followed by
# space and something that can open a sentence.
_BOUNDARY = re.compile(r"[.!?]+[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Maj|Capt|Sgt|Cpl|Adm|Brig|St|No|Nos|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|"
    r"Oct|Nov|Dec|vs|etc|approx|Prof|Sen|Rep|Gov|Pres|Jr|Sr|Inc|Co|Ltd|Mt|Ft)|\b[A-Z]|\b(?:U\.S|U\.N|U\.K|e\.g|i\.e))$"
)


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    text: str
    start: int  # offsets of ``text`` in the article
    end: int
    caption: bool = False


# Longer "sentences" (tables, run-on scraped text, garbage) are cut at spaces so
# the parser's work per sentence stays bounded and the total linear in the input.
MAX_SENTENCE_CHARS = 1500


def split_sentences(text: str) -> list[Sentence]:
    out: list[Sentence] = []
    for start, end in _lines(text):
        for s_start, s_end in _split_line(text, start, end):
            for p_start, p_end in _bounded(text, s_start, s_end):
                sentence = _make(text, p_start, p_end, len(out))
                if sentence is not None:
                    out.append(sentence)
    return out


def _bounded(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while end - start > MAX_SENTENCE_CHARS:
        cut = text.rfind(" ", start + MAX_SENTENCE_CHARS // 2, start + MAX_SENTENCE_CHARS)
        if cut <= start:
            cut = start + MAX_SENTENCE_CHARS
        yield start, cut
        start = cut
    yield start, end


def _lines(text: str) -> Iterator[tuple[int, int]]:
    pos = 0
    for line in text.splitlines(keepends=True):
        yield pos, pos + len(line)
        pos += len(line)


def _split_line(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    line = text[start:end]
    pieces: list[tuple[int, int]] = []
    cursor = 0
    # A caption marker always ends a sentence, whatever follows it.
    while True:
        at = line.find(_CAPTION_END, cursor)
        if at < 0:
            pieces.append((cursor, len(line)))
            break
        pieces.append((cursor, at + len(_CAPTION_END)))
        cursor = at + len(_CAPTION_END)
    for p_start, p_end in pieces:
        chunk = line[p_start:p_end]
        cursor = 0
        for match in _BOUNDARY.finditer(chunk):
            head = chunk[max(0, match.start() - 12) : match.start()]
            if _ABBREVIATION.search(head):
                continue
            yield start + p_start + cursor, start + p_start + match.end()
            cursor = match.end()
        yield start + p_start + cursor, start + p_end


def _make(text: str, start: int, end: int, index: int) -> Sentence | None:
    chunk = text[start:end]
    caption = False
    marker = chunk.find(_CAPTION_END)
    if marker >= 0:
        caption = True
        end = start + marker
        chunk = chunk[:marker]
    opener = _CAPTION_OPEN.match(chunk.lstrip())
    if opener:
        caption = True
        skip = len(chunk) - len(chunk.lstrip()) + opener.end()
        start += skip
        chunk = chunk[skip:]
    lead = len(chunk) - len(chunk.lstrip())
    start += lead
    chunk = chunk.strip()
    end = start + len(chunk)
    if caption:
        credit = _CREDIT.match(chunk)
        if credit:
            start += credit.end()
            chunk = chunk[credit.end() :]
    if not any(c.isalnum() for c in chunk):
        return None
    return Sentence(index=index, text=chunk, start=start, end=end, caption=caption)
