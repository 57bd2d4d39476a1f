"""Time expressions of news prose resolved against the article's reference time.

"Thursday" in an article published on a Saturday is the Thursday just gone;
"last August" is the most recent August before the publication month. Every
span is ``[start, end)`` in UTC with the precision the words allow.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from domain.tokens import WORD_NUMBERS, Tokens, tokenize, word_set
from schemas.common import TimePrecision, TimeSpan

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
# Counts in relative times: "a week ago", "several days ago".
_NUMBERS = {**WORD_NUMBERS, "a": 1, "an": 1, "several": 3, "few": 3}
# Parts of the day as hour ranges; "late on Friday" is its evening.
_PARTS = {
    "morning": (6, 12),
    "afternoon": (12, 18),
    "evening": (18, 24),
    "night": (18, 30),
    "late": (18, 24),
    "early": (0, 12),
    "dawn": (3, 7),
}

_WD = "|".join(_WEEKDAYS)
_MO = "|".join(_MONTHS)
# Abbreviated months of wire copy: "Dec. 9", "Oct. 1, 2022".
_ABBR = "jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec"
_NUM = r"\d+|a few|an?|one|two|three|four|five|six|seven|eight|nine|ten|several|few"

# One alternation, tried left to right at each position: every branch is a short
# run of literal words, so matching stays linear in the sentence length.
_EXPR = re.compile(
    rf"""\b(?:
      (?P<partwd>(?:(?P<p1>late|early)[ ](?:on[ ])?|before[ ]dawn[ ]on[ ])?(?P<wd>{_WD})
          (?:[ ](?P<p2>morning|afternoon|evening|night))?)
    | (?P<date>(?P<d1>\d{{1,2}})[ ](?P<m1>{_MO})(?:[ ](?P<y1>\d{{4}}))?
          | (?P<m2>{_MO}|(?:{_ABBR})\.?)[ ](?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?:,?[ ](?P<y2>\d{{4}}))?)
    | (?P<monthyear>(?:(?P<rel>last|this|since|early|late|mid|in)[ -]?)?(?P<m3>{_MO})
          (?:[ ](?P<y3>\d{{4}})|[ ](?P<ly>last[ ]year))?)
    | (?P<ago>(?P<n>{_NUM})[ ](?P<unit>hour|day|week|month|year)s?[ ]ago)
    | (?P<lastunit>(?P<which>last|this|earlier[ ]this|earlier[ ]in[ ]the|past|over[ ]the)
          [ ](?P<unit2>week|month|year|weekend))
    | (?P<yearstart>since[ ]the[ ](?:beginning|start)[ ]of[ ]the[ ]year)
    | (?P<simple>yesterday|today|tonight|overnight|last[ ]night|this[ ]morning|this[ ]afternoon|this[ ]evening
          |hours[ ]later|earlier[ ]today|earlier[ ]in[ ]the[ ]day|later[ ]in[ ]the[ ]day)
    | (?P<year>(?:in|since)[ ](?:(?P<yp>early|late|mid)[ -])?(?P<y4>(?:19|20)\d\d))
    | (?P<duration>(?<=for[ ])(?:almost[ ]|nearly[ ]|about[ ]|over[ ])?
          (?P<n5>{_NUM})[ ](?P<unit5>day|week|month|year)s?)
    )\b""",
    re.IGNORECASE | re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class TimeMention:
    start: int  # character offsets within the sentence
    end: int
    span: TimeSpan


@functools.lru_cache(maxsize=256)
def _day(dt: datetime) -> datetime:
    return dt.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def article_day(reference: datetime) -> TimeSpan:
    start = _day(reference)
    return TimeSpan(start=start, end=start + timedelta(days=1), precision="day", text=None)


def _month_span(year: int, month: int) -> tuple[datetime, datetime]:
    start = datetime(year, month, 1, tzinfo=UTC)
    end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=UTC)
    return start, end


# Articles about the same days say "on Friday" again and again: the immutable
# spans are built once.
@functools.lru_cache(maxsize=4096)
def _span(start: datetime, end: datetime, precision: TimePrecision, text: str) -> TimeSpan:
    return TimeSpan(start=start, end=end, precision=precision, text=text)


# Cheap test for whether a sentence can hold a time expression at all; most
# sentences of a long article have none, and the full pattern is slower.
_HINT = re.compile(
    r"day|night|ago|week|month|year|morning|evening|today|later|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
    r"|\d",
    re.IGNORECASE,
)

# Scanning a sentence with ``_EXPR`` tries all its branches at every word
# boundary. In ASCII text (where case-insensitive matching is plain ASCII case)
# the places a match can start are known from the words alone, so the pattern
# is tried only there, and only in sentences that hold a word every match
# contains. Both sets are read off ``_EXPR``: keep them in step with it.
_ANCHORS = word_set(
    """
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december ago week month year weekend yesterday today tonight
    overnight night morning afternoon evening later days weeks months years day
    """
)
_RELATIVE = ("last", "this", "since", "early", "late", "mid", "in")
_FIRST_WORDS = word_set(
    """
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december last this since early late mid in before a an one two
    three four five six seven eight nine ten several few yesterday today tonight overnight hours earlier
    past almost nearly about over later jan feb mar apr jun jul aug sep sept oct nov dec
    """
)
# "inMarch": a relative word glued to a month still matches.
_GLUED_FIRST = frozenset(rel + month for rel in _RELATIVE for month in _MONTHS)
_MONTH_SET = frozenset(_MONTHS)
_CANDIDATES = _FIRST_WORDS | _GLUED_FIRST
_DIGIT = re.compile(r"\d")


def find_times(text: str, reference: datetime, tokens: Tokens | None = None) -> list[TimeMention]:
    """All time expressions in a sentence, resolved; unparseable ones are skipped.

    ``tokens``: the sentence's tokens, when the caller has them already."""
    out: list[TimeMention] = []
    for match in _matches(text, tokens):
        span = _resolve(match, reference)
        if span is not None:
            out.append(TimeMention(match.start(), match.end(), span))
    return out


def _matches(text: str, tokens: Tokens | None) -> list[re.Match[str]]:
    if not text.isascii():
        return list(_EXPR.finditer(text)) if _HINT.search(text) else []
    if tokens is None:
        tokens = tokenize(text)
    norms = tokens.norm
    if _ANCHORS.isdisjoint(norms) and _GLUED_FIRST.isdisjoint(norms) and not _DIGIT.search(text):
        return []
    texts, starts = tokens.text, tokens.start
    positions: list[int] = []
    for k in [k for k, w in enumerate(norms) if w in _CANDIDATES or w[0].isdigit()]:
        start = starts[k]
        # "Hama March": after a word, the month branch may take the space before it.
        if (
            k
            and norms[k] in _MONTH_SET
            and starts[k - 1] + len(texts[k - 1]) == start - 1
            and text[start - 1] == " "
            and (texts[k - 1][0].isalnum() or texts[k - 1][0] == "_")
        ):
            positions.append(start - 1)
        positions.append(start)
    out: list[re.Match[str]] = []
    resume = 0  # matches do not overlap: the next starts after the last one ends
    for position in positions:
        if position >= resume:
            match = _EXPR.match(text, position)
            if match is not None:
                out.append(match)
                resume = match.end()
    return out


def _month_number(word: str) -> int:
    """1-12 for a month's name or its abbreviation ("Dec.", "Sept")."""
    prefix = word.lower().rstrip(".")[:3]
    return next(i for i, name in enumerate(_MONTHS, 1) if name.startswith(prefix))


def _resolve(m: re.Match[str], ref: datetime) -> TimeSpan | None:
    text = m.group(0).strip()
    today = _day(ref)
    if m.group("wd"):
        target = _WEEKDAYS.index(m.group("wd").lower())
        back = (today.weekday() - target) % 7
        day = today - timedelta(days=back)
        part = (m.group("p2") or m.group("p1") or "").lower()
        if text.lower().startswith("before dawn"):
            part = "dawn"
        if part:
            lo, hi = _PARTS[part]
            return _span(day + timedelta(hours=lo), day + timedelta(hours=hi), "part_of_day", text)
        return _span(day, day + timedelta(days=1), "day", text)
    if m.group("date"):
        month = _month_number(m.group("m1") or m.group("m2"))
        day_no = int(m.group("d1") or m.group("d2"))
        year_text = m.group("y1") or m.group("y2")
        year = int(year_text) if year_text else today.year
        try:
            start = datetime(year, month, day_no, tzinfo=UTC)
        except ValueError:
            return None
        if not year_text and start > today:
            start = start.replace(year=year - 1)
        return _span(start, start + timedelta(days=1), "day", text)
    if m.group("monthyear"):
        month = _MONTHS.index(m.group("m3").lower()) + 1
        rel = (m.group("rel") or "").lower()
        if m.group("y3"):
            year = int(m.group("y3"))
        elif m.group("ly"):
            year = today.year - 1  # "at the end of April last year"
        else:
            # "May" alone is too often the verb; only take a bare month with a
            # preposition or qualifier before it.
            if not rel:
                return None
            year = today.year if month <= today.month else today.year - 1
            if rel == "last" and month >= today.month:
                year = today.year - 1
        start, end = _month_span(year, month)
        if rel == "since":
            return _span(start, today + timedelta(days=1), "month", text)
        return _span(start, end, "month", text)
    if m.group("duration"):
        # "(for) almost a year": from that long ago until today.
        words = m.group("n5").lower()
        n = int(words) if words.isdigit() else _NUMBERS.get(words, 1)
        unit = m.group("unit5").lower()
        days = {"day": 1, "week": 7, "month": 30, "year": 365}[unit] * n
        kind: TimePrecision = {"day": "day", "week": "week", "month": "month", "year": "year"}[unit]  # type: ignore[assignment]
        return _span(today - timedelta(days=days), today + timedelta(days=1), kind, text)
    if m.group("ago"):
        words = m.group("n").lower()
        n = int(words) if words.isdigit() else _NUMBERS.get(words, 1)
        unit = m.group("unit").lower()
        if unit == "hour":
            at = ref.astimezone(UTC) - timedelta(hours=n)
            return _span(at.replace(minute=0, second=0, microsecond=0), at + timedelta(hours=1), "hour", text)
        days = {"day": 1, "week": 7, "month": 30, "year": 365}[unit] * n
        centre = today - timedelta(days=days)
        if unit == "day":
            return _span(centre, centre + timedelta(days=1), "day", text)
        precision: TimePrecision = {"week": "week", "month": "month", "year": "year"}[unit]  # type: ignore[assignment]
        half = timedelta(days=max(1, days // 7))
        return _span(centre - half, centre + half + timedelta(days=1), precision, text)
    if m.group("lastunit"):
        which = " ".join(m.group("which").lower().split())
        unit = m.group("unit2").lower()
        if which == "over the" and unit == "weekend":
            # "over the weekend": the one just gone, or this one when it is under way
            saturday = today - timedelta(days=(today.weekday() - 5) % 7)
            return _span(saturday, saturday + timedelta(days=2), "day", text)
        if unit in {"week", "weekend"}:
            monday = today - timedelta(days=today.weekday())
            if which in {"last", "past"}:
                if unit == "weekend":
                    saturday = monday - timedelta(days=2)
                    return _span(saturday, monday, "day", text)
                return _span(monday - timedelta(days=7), monday, "week", text)
            return _span(monday, today + timedelta(days=1), "week", text)
        if unit == "month":
            if which in {"last", "past"}:
                year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
                start, end = _month_span(year, month)
                return _span(start, end, "month", text)
            start, _ = _month_span(today.year, today.month)
            return _span(start, today + timedelta(days=1), "month", text)
        year_start = datetime(today.year, 1, 1, tzinfo=UTC)
        if which in {"last", "past"}:
            return _span(datetime(today.year - 1, 1, 1, tzinfo=UTC), year_start, "year", text)
        return _span(year_start, today + timedelta(days=1), "year", text)
    if m.group("yearstart"):
        return _span(datetime(today.year, 1, 1, tzinfo=UTC), today + timedelta(days=1), "year", text)
    if m.group("simple"):
        word = " ".join(text.lower().split())
        if word == "yesterday":
            return _span(today - timedelta(days=1), today, "day", text)
        if word in {"overnight", "last night"}:
            return _span(today - timedelta(hours=6), today + timedelta(hours=6), "part_of_day", text)
        if word in {"this morning", "this afternoon", "this evening", "tonight"}:
            lo, hi = _PARTS.get(word.split()[-1], (18, 24))
            return _span(today + timedelta(hours=lo), today + timedelta(hours=hi), "part_of_day", text)
        return _span(today, today + timedelta(days=1), "day", text)
    if m.group("year"):
        year = int(m.group("y4"))
        start = datetime(year, 1, 1, tzinfo=UTC)
        if text.lower().startswith("since"):
            return _span(start, today + timedelta(days=1), "year", text)
        part = (m.group("yp") or "").lower()
        if part:
            # "in early 2024": its first third; "mid-2024" the middle, "late" the last.
            first = {"early": 1, "mid": 5, "late": 9}[part]
            part_start = _month_span(year, first)[0]
            part_end = _month_span(year, first + 3)[1]
            return _span(part_start, part_end, "month", text)
        return _span(start, datetime(year + 1, 1, 1, tzinfo=UTC), "year", text)
    return None
