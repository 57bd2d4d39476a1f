"""Sentence splitting with character offsets, and image captions.

Scraped pages glue a photo credit to the caption text and close it with a
``[/caption]`` marker ("GettyA rebel fighter stands in Hama[/caption]"). A
caption is still evidence, but weaker, so it is marked and its credit stripped.

Without markers the glued credit still gives the caption away. At the start of
a line it opens one ("AFPSoldiers parade in Hama"); after a sentence it closes
one and the article's text follows it ("... in Afrin, March 18. REUTERS/Khalil
AshawiANKARA, March 18 (Reuters) - Turkish troops ..."): the sentence before
the credit is the caption, and the credit is neither.
"""

from __future__ import annotations

import re
from bisect import bisect_right
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
# An agency's credit glued to the next word, without a marker: "GettyA rebel",
# "AFPSudan's army", "REUTERS/Khalil AshawiANKARA", "Handout via REUTERSKYIV",
# "(Photo: SAF media office)The Sudanese", "(Ukrainian Armed Forces via AP)KYIV".
_GLUED_CREDIT = re.compile(
    r"(?:AFP via Getty Images|Getty Images|Getty|AFP|REUTERS|Reuters|AP Photo|EPA-EFE|EPA|Anadolu)"
    r"(?:/(?:[A-Z][a-z'’.-]+ ){0,3}[A-Z][a-z'’.-]+)?(?=[A-Z“\"‘])"
    r"|\((?:Photo|Photograph|Image|Credit)?[^()\n]{0,80}(?:via |Photo|AFP|AP|Reuters|REUTERS|Getty|/)"
    r"[^()\n]{0,60}\)(?=[A-Z])"
)
# Substrings without which a line holds no glued credit (a cheap test first).
_PAREN_GLUE = re.compile(r"\)[A-Z]")


def _credit_hint(line: str) -> bool:
    return (
        "Getty" in line
        or "AFP" in line
        or "REUTERS" in line
        or "Reuters" in line
        or "AP" in line
        or "EPA" in line
        or "Anadolu" in line
        or _PAREN_GLUE.search(line) is not None
    )


# A credit running back to the sentence before it: "Press Service of the 24th
# Brigade/Handout via REUTERS".
_CREDIT_TAIL = re.compile(r"(?:via |/)$")
# Where a sentence ends inside a line, for the start of a credit.
_SENTENCE_END = re.compile(r"[.!?][\"”’)\]]*\s+")
_MAX_CREDIT_CHARS = 120

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
        line = text[start:end]
        if "[caption" in line or _CAPTION_END in line or not _credit_hint(line):
            for s_start, s_end in _split_line(text, start, end):
                for p_start, p_end in _bounded(text, s_start, s_end):
                    sentence = _make(text, p_start, p_end, len(out))
                    if sentence is not None:
                        out.append(sentence)
            continue
        for seg_start, seg_end, caption_at in _credit_segments(text, start, end):
            spans = list(_split_line(text, seg_start, seg_end))
            for k, (s_start, s_end) in enumerate(spans):
                marked = (caption_at == "first" and k == 0) or (caption_at == "last" and k == len(spans) - 1)
                for p_start, p_end in _bounded(text, s_start, s_end):
                    sentence = _make(text, p_start, p_end, len(out), caption=marked)
                    if sentence is not None:
                        out.append(sentence)
    return out


def _credit_segments(text: str, start: int, end: int) -> Iterator[tuple[int, int, str | None]]:
    """The parts of a line around the agency credits glued to its text, each with
    which of its sentences is a caption ("first", "last" or None); the credits
    themselves are left out. (A line with caption markers is left to them.)"""
    line = text[start:end]
    cursor = 0
    pending: str | None = None  # the caption opened by a credit at the start of the line
    for match in _GLUED_CREDIT.finditer(line):
        credit_start = match.start()
        before = line[cursor:credit_start]
        if _CREDIT_TAIL.search(before):
            # "... 2025. Press Service of the Brigade/Handout via REUTERSKYIV": the
            # credit starts where the caption's sentence ended.
            ends = list(_SENTENCE_END.finditer(before))
            back = cursor + ends[-1].end() if ends else cursor
            if credit_start - back > _MAX_CREDIT_CHARS:
                continue
            credit_start = back
            before = line[cursor:credit_start]
        bracketed = match.group().startswith("(")
        if before.strip() and not bracketed and not _SENTENCE_END.search(before[-3:]):
            continue  # glued inside a sentence: not a credit after a caption
        if before.strip():
            yield start + cursor, start + credit_start, pending or "last"
            pending = None
        else:
            pending = "first"  # "GettyA rebel fighter stands in Hama": the credit opens the caption
        cursor = match.end()
    yield start + cursor, end, pending


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
        quotes: list[int] | None = None  # positions of double quotes, found when first needed
        quoted = '"' in chunk or "“" in chunk or "”" in chunk
        for match in _BOUNDARY.finditer(chunk):
            head = chunk[max(0, match.start() - 12) : match.start()]
            if _ABBREVIATION.search(head):
                continue
            if quoted:
                if quotes is None:
                    quotes = [m.start() for m in _DOUBLE_QUOTE.finditer(chunk)]
                if _inside_attributed_quote(chunk, quotes, match.end()):
                    continue
            yield start + p_start + cursor, start + p_start + match.end()
            cursor = match.end()
        yield start + p_start + cursor, start + p_end


_DOUBLE_QUOTE = re.compile(r'["“”]')
# The speech tag after a closing quote: '," Burhan said', '," said a spokesman'.
_SPEECH_TAG = re.compile(
    r"\s*(?:[\w'’.-]+,?\s+){0,6}?(?:said|says|told|added|adding|wrote|posted|stated|insisted|declared)\b"
)
# How far past the boundary the quote must close for the sentences to stay one.
_MAX_QUOTE_CHARS = 400


def _inside_attributed_quote(chunk: str, quotes: list[int], at: int) -> bool:
    """True when ``at`` (just past a sentence end) lies inside a quotation that
    closes later on the line before its speech tag: '"Khartoum is free. It is
    over," Burhan said' is one statement of one speaker, read as one sentence."""
    k = bisect_right(quotes, at - 1)
    if k % 2 == 0 or k >= len(quotes):
        return False  # not inside a quotation, or it never closes
    close = quotes[k]
    if close - at > _MAX_QUOTE_CHARS:
        return False
    return _SPEECH_TAG.match(chunk, close + 1) is not None


def _make(text: str, start: int, end: int, index: int, *, caption: bool = False) -> Sentence | None:
    chunk = text[start:end]
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
