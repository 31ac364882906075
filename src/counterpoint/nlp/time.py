"""Time: find temporal expressions and normalise them to ISO values with a precision.

Candidates are spaCy's ``DATE`` entities (``TIME`` ones too, kept only when they
name a day, like "tonight" or "Thursday morning") plus our own patterns for what
the small model misses ("in 2002", "since 2014", "March 20-22, 2023", "the
1990s", "since the beginning of the war", "in the long term"). Each candidate is
normalised by :func:`normalise`, a pure function of the text and the *anchor* (the
document's publication date, when one is known). Overlapping candidates are
settled in favour of the one that resolves, then the longest.

A value is an ISO string: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; decades and
centuries give their first year (``1990`` for "the 1990s", ``1900`` for "the
20th century"). A mention without a value carries a ``reason``. Ranges give their
start as ``value`` and their end as ``value_end``. ``approximate`` marks values the
text only estimates ("a few days ago"): the truth may lie outside the period the
precision names. Precision is never finer than the text: "March 2023" stays a
month, "2022" a year.

Rules (A is the anchor; "future" means the verb the date hangs on carries
*will*/*shall* or is planned/scheduled/expected; a past-tense verb turns off the
"upcoming" guesses below):

==================================  ==================  =========================================
Expression                          kind, precision     value
==================================  ==================  =========================================
"March 10, 2023", "10 March 2023",  absolute, day       2023-03-10
"2023-03-10", "Fri, March 10, 2023"
"10/03/2023"                        absolute, year      2023 (day/month order unknown; a part
                                                        over 12 settles it: day precision)
"March 2023", "Sept. 2022"          absolute, month     2023-03
"2022", "in 2002", "since 2014"     absolute, year      2022
"the 1990s"; "the '90s",            absolute, decade    1990; for '90s, the latest such decade
"the nineties"                                          not after A (19x0 without an anchor)
"the 20th century",                 absolute, century   1900, 2000
"the twenty-first century"
"March 20-22, 2023", "2014-2022",   absolute, as start  the start; value_end is the end
"between 2014 and 2022",
"from March to May 2023"
"early 2022", "mid-March", "the     as the inner one    the inner expression's value: a
end of 2023", "the first half of                        qualifier never adds precision
2023", "summer 2022", "Q1 2023"
"February 24", "24 February"        relative, day       latest Feb 24 on or before A, unless
                                                        that is over 300 days back and this
                                                        year's falls within 60 days after A
                                                        (future: first on or after A); the
                                                        nearest full date in the same sentence
                                                        lends its year, unless that reading
                                                        is already in a year it writes
"September", "in September"         relative, month     latest September on or before A's
                                                        month, unless this year's is at most
                                                        2 months ahead (future: first on or
                                                        after A's month)
"last September"                    relative, month     September strictly before A's month
"this September", "next September"  relative, month     in A's year; strictly after A's month
"today", "tonight", "this morning"  relative, day       A
"yesterday", "last night";          relative, day       A - 1; A + 1
"tomorrow"
"Tuesday", "on Tuesday",            relative, day       latest Tuesday on or before A (future:
"Tuesday evening"                                       first on or after A)
"last Tuesday"; "this Tuesday";     relative, day       strictly before A; in A's week;
"next Tuesday"                                          strictly after A
"the weekend", "last weekend"       relative, day ~     the Saturday of that weekend
"this week"; "last week";           relative, month     month of A; of A - 7 days; of A + 7
"next week"                                             days (~ when the week spans two months)
"this month", "earlier this         relative, month     A's month; -1; +1
month"; "last month"; "next month"
"this year", "earlier this year";   relative, year      A's year; -1; +1
"last year"; "next year"
"this decade"; "this century"       relative, decade /  A's decade; A's century
                                    century
"last summer"; "this summer";       relative, year      the year of the last such season ended
"next summer"                                           before A; A's year; the next to begin
"N days ago", "a day ago"           relative, day       A - N days
"a few days ago", "only a few       relative, day ~     A - 3 days (a couple: 2, several: 4)
days ago", "days ago"
"N weeks ago", "a few weeks ago"    relative, day ~     A - 7N days
"N months ago"                      relative, month     A - N months
"a year ago", "two years ago"       relative, month ~   A - N years (N <= 2: an anniversary)
"N years ago" (N > 2)               relative, year      A - N years
"N decades ago"                     relative, decade ~  A's decade - 10N years
"two days later", "the next day",   relative, none      reason: relative to another event in
"that year", "the first day"                            the text, not to the publication date
"since the beginning of the war",   relative, none      reason: relative to an event, not to
"the start of the invasion",                            the calendar
"since the war began"
"for some weeks", "a year",         duration, none      reason: a duration, not a point in time
"almost three full days", "the
past year", "decades"
"every year", "annually",           set, none           reason: a recurring time
"Mondays"
"in the coming days", "in the       vague, none         reason: too vague: '...'
long term", "recently", "the
foreseeable future"
==================================  ==================  =========================================

(~ marks ``approximate=True``; a hedge such as "about", "nearly" or "some" in
front of a count makes any "ago" value approximate.) Without an anchor every
relative expression comes back with ``value=None`` and a reason saying the
document has no publication date, except a day-month to which a full date in the
same sentence lends its year. A model entity listing dates ("2014 and 2022") is
split into its parts when it does not resolve as a whole.

Not temporal, hence dropped: modifiers such as "three-day" (meeting), "five-year"
(plan), "12-year-old"; ages ("45 years old", "aged 45", "in his 40s");
ordinals ("40th") and plain numbers that are not years; clock times alone.

``dateparser`` is only a fallback for absolute forms the rules above do not read
(it is given the anchor as ``RELATIVE_BASE``); its result is cut to the precision
the text actually writes.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any, Literal

from counterpoint.schema import DateMention

__all__ = [
    "Kind",
    "Precision",
    "TemporalMention",
    "Tense",
    "find_dates",
    "normalise",
    "parse_anchor",
]

Precision = Literal["day", "month", "year", "decade", "century"]
Kind = Literal["absolute", "relative", "duration", "set", "vague"]
# The tense of the verb a date hangs on, when known.
Tense = Literal["past", "future"] | None

NO_ANCHOR = "relative expression and the document has no publication date"
NO_ANCHOR_DAY = "day and month without a year, and the document has no publication date"
NO_ANCHOR_MONTH = "month without a year, and the document has no publication date"
DURATION = "a duration, not a point in time"
# A day-month up to this many days after the anchor (a month up to this many months
# after it) is the coming one: news names last year's days with their year.
UPCOMING_DAYS = 60
UPCOMING_MONTHS = 2
RECURRING = "a recurring time (a set), not a point in time"
NARRATIVE = "relative to another event in the text, not to the publication date"


@dataclass(frozen=True)
class TemporalMention:
    """One temporal expression: where it is, what it means, or why it has no value."""

    text: str
    start: int
    end: int
    value: str | None
    precision: Precision | None
    kind: Kind
    reason: str | None = None
    approximate: bool = False
    value_end: str | None = None

    def to_schema(self) -> DateMention:
        """The contract's ``dates`` item."""
        return DateMention(text=self.text, value=self.value, precision=self.precision,
                           start=self.start, end=self.end, reason=self.reason)

    def as_dict(self) -> dict[str, Any]:
        """All fields as a plain dict."""
        return asdict(self)


@dataclass(frozen=True)
class _Res:
    """A resolution before it is placed in the text."""

    value: str | None
    precision: Precision | None
    kind: Kind
    reason: str | None = None
    approximate: bool = False
    value_end: str | None = None
    needs_year: bool = False  # a day-month: a full date in the same sentence lends its year


# --- vocabulary ----------------------------------------------------------------------------

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
}
_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
             "saturday": 5, "sunday": 6}
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "a hundred": 100,
    "one hundred": 100, "a dozen": 12,
}
# Counts that only estimate: value, and always approximate.
_FUZZY = {"a few": 3, "few": 3, "a couple of": 2, "a couple": 2, "couple of": 2,
          "several": 4, "some": 3}
_ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "twenty-first": 21, "twenty first": 21,
    "twenty-second": 22,
}
_DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6,
                 "seventies": 7, "eighties": 8, "nineties": 9}
_UNIT_RE = r"(?:minute|hour|day|night|week|fortnight|month|year|decade|centur(?:y|ie))s?"

_MON = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
        r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])\.?")
_MON_FULL = (r"(?:January|February|March|April|May|June|July|August|September|October"
             r"|November|December)")
_MON_CAP = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?"
            r"|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
            r"(?![a-z])\.?")
_WD = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_WD_CAP = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
_YEAR = r"(?:1\d{3}|20\d{2})(?!\d)"
_DASH = r"\s*(?:-|–|—|to|until|till|through|thru)\s*"
_QTY = (r"(?:\d+|a\s+few|few|a\s+couple(?:\s+of)?|couple\s+of|several|some|a\s+dozen"
        r"|a\s+hundred|one\s+hundred|an?|one|two|three|four|five|six|seven|eight|nine|ten"
        r"|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
        r"|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)")
_DAYPART = r"(?:morning|afternoon|evening|night)"
_SEASON = r"(?:spring|summer|autumn|fall|winter)"
_FUTURE_AUX = {"will", "shall", "'ll", "’ll", "wo"}

_I = re.IGNORECASE


def _c(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, _I)


# --- small date arithmetic --------------------------------------------------------------


def _iso(y: int, m: int | None = None, d: int | None = None) -> str:
    if m is None:
        return f"{y:04d}"
    if d is None:
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}-{m:02d}-{d:02d}"


def _day(d: date) -> str:
    return _iso(d.year, d.month, d.day)


def _shift_months(y: int, m: int, n: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def _valid(y: int, m: int, d: int) -> bool:
    try:
        date(y, m, d)
    except ValueError:
        return False
    return True


def _month_num(word: str) -> int:
    return _MONTHS[word.lower().rstrip(".")]


def _day_num(word: str) -> int:
    return int(re.sub(r"\D", "", word))


def _count(word: str) -> tuple[int, bool] | None:
    """A count written in digits or words, and whether it only estimates."""
    w = " ".join(word.lower().split())
    if w.isdigit():
        return int(w), False
    if w in _FUZZY:
        return _FUZZY[w], True
    if w in _NUMBERS:
        return _NUMBERS[w], False
    return None


def parse_anchor(value: str | date | None) -> date | None:
    """A publication date (``YYYY-MM-DD``, a datetime, an ISO timestamp) as a date, else None.

    Partial dates (``2023`` or ``2023-03``) are not anchors: relative expressions
    need the day.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", value)
    if m and _valid(int(m[1]), int(m[2]), int(m[3])):
        return date(int(m[1]), int(m[2]), int(m[3]))
    return None


# --- the normaliser ------------------------------------------------------------------------

_LEAD = _c(r"^(?:on|in|at|by|during|since|until|till|before|after|from|through|throughout"
           r"|over|within|around|about|only|just|roughly|approximately|nearly|almost|some"
           r"|more\s+than|less\s+than|at\s+least|as\s+(?:early|late|recently)\s+as|exactly"
           r"|precisely|circa|c\.|ca\.|up\s+to|as\s+of|already|even|for)\s+")
_HEDGE = {"around", "about", "roughly", "approximately", "nearly", "almost", "some", "circa",
          "c.", "ca.", "more than", "less than", "at least"}
_TRAIL = _c(r"\s+(?:at\s+the\s+(?:latest|earliest)|onwards?|or\s+so|and\s+beyond|or\s+later"
            r"|or\s+earlier|or\s+before|at\s+most)$")

_NOT_TEMPORAL = [
    _c(rf"^[\w’'.]+(?:-[\w’'.]+)*-{_UNIT_RE}(?:-(?:old|long))?$"),      # three-day, 12-year-old
    _c(rf"^{_UNIT_RE}-(?:old|long)$"),                                 # year-long
    _c(rf"^.*\b{_UNIT_RE}\s+(?:old|of\s+age)$"),                       # 45 years old
    _c(r"^(?:aged|age)\b.*$"),
    _c(r"^(?:his|her|their|my|your|our|its)\s+(?:early\s+|mid-?|late\s+)?"
       r"(?:\d0s|['’]\d0s|twenties|thirties|forties|fifties|sixties|seventies|eighties"
       r"|nineties|teens)$"),                                           # in his 40s
    _c(r"^(?:the\s+)?\d+(?:st|nd|rd|th)$"),                             # 40th
    _c(r"^(?:the\s+)?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth"
       r"|last|final|next|previous)$"),
    _c(r"^\d{1,2}(?::\d\d)?\s*(?:[ap]\.?m\.?|o['’]clock|h)?$"),         # 10 a.m., 12
    _c(r"^\d{1,2}:\d\d(?::\d\d)?(?:\s*[ap]\.?m\.?)?(?:\s+\w+)?$"),
    _c(r"^(?:noon|midnight|midday|dawn|dusk|sunrise|sunset)$"),
]

_EVENT_START = _c(r"^(?:since|before|after|until|till|from)\s+(?P<ev>the\s+(?:[\w’'-]+\s+){0,3}"
                  r"[\w’'-]+)\s+(?:began|begun|started|broke\s+out|erupted|ended)$")

_SETS = [
    _c(rf"^(?:every|each)\s+(?:other\s+|single\s+|\w+\s+)?(?:{_UNIT_RE}|{_DAYPART}|weekend|"
       rf"{_SEASON}|{_WD}|{_MON})s?$"),
    _c(r"^(?:daily|weekly|monthly|yearly|annual(?:ly)?|biannual(?:ly)?|bi-?annual(?:ly)?"
       r"|quarterly|nightly|hourly|fortnightly|biweekly|bi-weekly|semi-?annual(?:ly)?)$"),
    _c(rf"^(?:on\s+)?(?:the\s+)?{_WD}s$"),
    _c(rf"^(?:once|twice|\w+\s+times)\s+(?:a|per|every|each)\s+(?:{_UNIT_RE}|{_DAYPART})$"),
    _c(r"^(?:weekdays|weekends|mornings|evenings|nights)$"),
]

_VAGUE = [
    _c(r"^(?:the\s+)?(?:long|short|medium|near)[- ]term$"),
    _c(r"^(?:the\s+)?(?:near|distant|foreseeable|immediate|not\s+(?:too\s+)?distant|future"
       r"|recent|remote)\s+(?:future|past)$"),
    _c(rf"^(?:the\s+)?(?:coming|upcoming|recent)\s+(?:few\s+)?{_UNIT_RE}$"),
    _c(r"^(?:recently|lately|soon|shortly|now|for\s+now|nowadays|currently|presently|at\s+present"
       r"|these\s+days|those\s+days|then|once|earlier|later|formerly|previously|eventually"
       r"|the\s+present|the\s+past|the\s+future|today['’]s|recent\s+times|modern\s+times"
       r"|the\s+moment|the\s+time|some\s+time|sometime|one\s+day|someday|the\s+interim"
       r"|the\s+meantime|the\s+era|the\s+period|the\s+age|the\s+years|the\s+days|"
       r"(?:the\s+)?(?:same\s+)?time|the\s+(?:day|week|month|year|decade|century)|"
       r"a\s+time|times|ages|the\s+old\s+days|yesteryear|the\s+postwar\s+(?:era|period))$"),
]

# Stretches of time counted from some point: "the next two years", "the last 40 years".
_DURATIONS = [
    _c(rf"^the\s+(?:next|last|past|coming|previous|preceding|following|first|final)\s+"
       rf"(?:{_QTY}|few|couple\s+of|dozen)\s+(?:full\s+|whole\s+)?{_UNIT_RE}$"),
    _c(rf"^(?:the\s+)?(?:past|last)\s+few\s+{_UNIT_RE}$"),
]

_AHEAD = _c(r"\b(?:coming|upcoming|future|soon|shortly|eventually|someday|one\s+day"
            r"|(?:long|medium|short|near)[- ]term)\b")

_NARRATIVE = [
    _c(rf"^(?:{_QTY}\s+)?(?:full\s+|whole\s+)?{_UNIT_RE}\s+(?:later|earlier|before|after"
       r"|afterwards?|on|prior|previously|hence|beforehand)$"),
    _c(rf"^the\s+(?:next|following|previous|preceding|same|prior|subsequent|ensuing)\s+"
       rf"(?:{_QTY}\s+)?(?:{_UNIT_RE}|{_DAYPART}|weekend|{_SEASON})$"),
    _c(rf"^(?:that|this\s+very|that\s+very|the\s+very\s+same)\s+(?:{_UNIT_RE}|{_DAYPART}|weekend"
       rf"|{_SEASON})$"),
    _c(r"^the\s+(?:day|night|week|month|year)\s+(?:before|after|prior)$"),
    _c(rf"^the\s+(?:first|second|third|fourth|fifth|last|final|opening|closing|early|"
       rf"initial|\d+(?:st|nd|rd|th))\s+(?:(?:few|two|three|four|five|\d+)\s+)?"
       rf"(?:{_UNIT_RE}|hours|moments)$"),
]

# "early 2022", "mid-March", "the late 1990s"
_ADJ_QUAL = _c(r"^(?:the\s+)?(?:very\s+)?(?:early|mid|middle|late)(?:-|\s+)(?P<rest>.+)$")
# "the end of 2023", "the beginning of the war", "the first half of 2023"
_OF_QUAL = _c(
    r"^(?:the\s+)?(?:very\s+)?(?P<q>beginning|start|end|middle|turn|outset|close|dawn"
    r"|(?:first|second|latter|early|later|last)\s+(?:half|part|quarter|third)"
    r"|(?:first|second|third|fourth|last|final)\s+(?:quarter|half|week|weeks|days?|months?"
    r"|hours)|rest|remainder|course|spring|summer|autumn|fall|winter|eve|outbreak|onset"
    r"|height|peak|aftermath|wake|early\s+hours|morning|evening|night|afternoon|run-up)"
    r"\s+of\s+(?P<rest>.+)$")
_SEASON_QUAL = _c(rf"^(?:the\s+)?{_SEASON}\s+(?P<rest>(?:of\s+)?(?:{_YEAR}|this\s+year"
                  r"|last\s+year|next\s+year))$")
_QUARTER_QUAL = _c(r"^(?:q[1-4]|h[12])\s+(?P<rest>.+)$")
_THE_UNIT = _c(r"^the\s+(?P<u>week|month|year|decade|century)$")

_ISO_DAY = _c(rf"^(?P<y>{_YEAR})[-/.](?P<m>\d{{1,2}})[-/.](?P<d>\d{{1,2}})$")
_ISO_MONTH = _c(rf"^(?P<y>{_YEAR})-(?P<m>\d{{2}})$")
_NUMERIC = _c(rf"^(?P<a>\d{{1,2}})[/.](?P<b>\d{{1,2}})[/.](?P<y>{_YEAR})$")
_MDY = _c(rf"^(?:{_WD},?\s+)?(?:the\s+)?(?P<m>{_MON})\s+(?:the\s+)?(?P<d>{_DAY})"
          rf"(?:,\s*|\s+)(?:of\s+)?(?P<y>{_YEAR})$")
_DMY = _c(rf"^(?:{_WD},?\s+)?(?:the\s+)?(?P<d>{_DAY})(?:\s+of)?\s+(?P<m>{_MON}),?\s+"
          rf"(?P<y>{_YEAR})$")
_MY = _c(rf"^(?P<m>{_MON}),?\s+(?:of\s+)?(?P<y>{_YEAR})$")
_Y = _c(rf"^(?:the\s+(?:year\s+)?|year\s+)?(?P<y>{_YEAR})(?:\s*(?:AD|CE|A\.D\.))?$")
_DECADE = _c(r"^(?:the\s+)?(?P<c>1\d|20)(?P<d>\d)0['’]?s$")
_DECADE2 = _c(r"^(?:the\s+)?['’](?P<d>\d)0s$")
_DECADE_WORD = _c(r"^(?:the\s+)?(?P<w>twenties|thirties|forties|fifties|sixties|seventies"
                  r"|eighties|nineties)$")
_CENTURY = _c(r"^(?:the\s+)?(?P<n>\d{1,2})(?:st|nd|rd|th)[\s-]+century$")
_CENTURY_WORD = _c(r"^(?:the\s+)?(?P<w>[a-z]+(?:[\s-][a-z]+)?)[\s-]+century$")

_DAYWORD = _c(rf"^(?P<w>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|yesterday"
              rf"|today|tomorrow|tonight|last\s+night|this\s+{_DAYPART})"
              rf"(?:\s+{_DAYPART})?$")
_AGO = _c(rf"^(?:(?P<q>{_QTY})\s+)?(?:full\s+|whole\s+|long\s+)?(?P<u>{_UNIT_RE})"
          r"\s+(?:ago|back|before\s+now|earlier\s+than\s+now)$")
_EARLIER_THIS = _c(r"^(?:earlier|later)\s+(?:this|in\s+the)\s+(?P<u>week|month|year)$")
_REL_UNIT = _c(r"^(?P<mod>last|this|next|past|coming|previous|current|the\s+current"
               r"|the\s+past|the\s+last|the\s+coming|the\s+present)\s+"
               r"(?P<u>week|month|year|decade|century)$")
_WEEKEND = _c(r"^(?P<mod>the|this|last|next|past|coming)\s+weekend$")
_WEEKDAY = _c(rf"^(?:(?P<mod>last|this|next|past|coming)\s+)?(?P<w>{_WD})"
              rf"(?:\s+{_DAYPART})?$")
_MONTH_DAY = _c(rf"^(?:(?P<mod>last|this|next|coming)\s+)?(?:{_WD},?\s+)?(?P<m>{_MON})\s+"
                rf"(?:the\s+)?(?P<d>{_DAY})$")
_DAY_MONTH = _c(rf"^(?:(?P<mod>last|this|next|coming)\s+)?(?:{_WD},?\s+)?(?:the\s+)?"
                rf"(?P<d>{_DAY})(?:\s+of)?\s+(?P<m>{_MON})$")
_MONTH = _c(rf"^(?:(?P<mod>last|this|next|coming|past)\s+)?(?P<m>{_MON})$")
_SEASON_REL = _c(rf"^(?P<mod>last|this|next|past|coming)\s+(?P<s>{_SEASON})$")

_SAME_MONTH_RANGE = _c(rf"^(?P<m>{_MON})\s+(?P<d1>{_DAY}){_DASH}(?P<d2>{_DAY}),?\s+"
                       rf"(?P<y>{_YEAR})$")
_RANGE_PREFIX = _c(r"^(?:between|from)\s+(?P<body>.+)$")
_RANGE_SPLIT = _c(r"\s*(?:-|–|—|\bto\b|\buntil\b|\btill\b|\bthrough\b|\bthru\b|\band\b)\s*")
_HAS_UNIT = _c(rf"\b{_UNIT_RE}\b|\bweekends?\b")
_HAS_MONTH = _c(rf"\b{_MON}(?![a-z])")
_HAS_YEAR = _c(rf"(?<!\d){_YEAR}")
_HAS_WEEKDAY = _c(rf"\b(?P<w>{_WD})\b")
_HAS_DAYWORD = _c(r"\b(?P<w>yesterday|today|tomorrow|tonight)\b")


def normalise(text: str, anchor: date | None = None, *, tense: Tense = None,
              year_hint: int | None = None) -> TemporalMention | None:
    """Normalise one temporal expression; ``None`` when it is not temporal at all.

    ``anchor`` is the publication date relative expressions resolve against;
    ``tense`` is that of the verb the date hangs on: "future" makes a bare
    "March 28" or "Tuesday" the next one; "past" turns off the guess that a
    day-month shortly after the anchor is upcoming; ``year_hint`` is a year written in the
    same sentence, which wins over the anchor for day-month and bare months.
    The result's offsets cover ``text`` (0 to ``len(text)``).
    """
    res = _resolve(text, parse_anchor(anchor), tense, year_hint)
    if res is None:
        return None
    return _mention(text, 0, len(text), res)


def _mention(text: str, start: int, end: int, res: _Res) -> TemporalMention:
    return TemporalMention(text=text, start=start, end=end, value=res.value,
                           precision=res.precision, kind=res.kind, reason=res.reason,
                           approximate=res.approximate, value_end=res.value_end)


def _clean(text: str) -> str:
    s = " ".join(text.replace("\u00a0", " ").split())
    s = re.sub(r"['’]s$", "", s)
    return s.strip(" ,;:()[]\"“”")


def _resolve(text: str, anchor: date | None, tense: Tense,
             year_hint: int | None) -> _Res | None:
    s = _clean(text)
    hedged = False
    while True:
        m = _LEAD.match(s)
        if not m:
            break
        word = " ".join(m.group(0).lower().split())
        if word in _HEDGE:
            hedged = True
        s = s[m.end():]
    s = _TRAIL.sub("", s)
    if not s:
        return None
    low = s.lower()
    if any(p.match(s) for p in _NOT_TEMPORAL):
        return None
    if re.fullmatch(r"\d+", s) and not (1000 <= int(s) <= 2099):
        return None
    if m := _EVENT_START.match(_clean(text)):
        return _Res(None, None, "relative",
                    f"relative to an event ('{m['ev']}'), not to the calendar")
    if any(p.match(s) for p in _SETS):
        return _Res(None, None, "set", RECURRING)

    res = (_absolute(s, anchor) or _range(s, anchor) or _qualified(s, anchor, tense, year_hint)
           or _relative(s, anchor, tense, year_hint, hedged))
    if res is not None:
        return res
    if any(p.match(s) for p in _DURATIONS):
        return _Res(None, None, "duration", DURATION)
    if any(p.match(s) for p in _NARRATIVE):
        return _Res(None, None, "relative", NARRATIVE)
    if any(p.match(s) for p in _VAGUE):
        ahead = " (the future)" if _AHEAD.search(s) else ""
        return _Res(None, None, "vague", f"too vague: '{s}'{ahead}")
    if (found := _embedded(s, anchor, tense, year_hint)) is not None:
        return found
    if _HAS_UNIT.search(low) and not _HAS_YEAR.search(s):
        return _Res(None, None, "duration", DURATION)
    return _fallback(s, anchor)


def _absolute(s: str, anchor: date | None) -> _Res | None:
    """Expressions that carry their own year."""
    if m := _ISO_DAY.match(s):
        y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
        if _valid(y, mo, d):
            return _Res(_iso(y, mo, d), "day", "absolute")
        return None
    if m := _ISO_MONTH.match(s):
        y, mo = int(m["y"]), int(m["m"])
        # "2011-12" is a span of years, "2023-03" a month
        season = not m["m"].startswith("0") and mo == (y + 1) % 100
        if 1 <= mo <= 12 and not season:
            return _Res(_iso(y, mo), "month", "absolute")
    if m := _NUMERIC.match(s):
        a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
        if a > 12 and _valid(y, b, a):
            return _Res(_iso(y, b, a), "day", "absolute")
        if b > 12 and _valid(y, a, b):
            return _Res(_iso(y, a, b), "day", "absolute")
        if a == b and _valid(y, a, b):
            return _Res(_iso(y, a, b), "day", "absolute")
        return _Res(_iso(y), "year", "absolute")  # day/month order unknown: keep the year
    for pat in (_MDY, _DMY):
        if m := pat.match(s):
            y, mo, d = int(m["y"]), _month_num(m["m"]), _day_num(m["d"])
            if _valid(y, mo, d):
                return _Res(_iso(y, mo, d), "day", "absolute")
            return _Res(_iso(y, mo), "month", "absolute")
    if m := _MY.match(s):
        return _Res(_iso(int(m["y"]), _month_num(m["m"])), "month", "absolute")
    if m := _Y.match(s):
        return _Res(_iso(int(m["y"])), "year", "absolute")
    if m := _DECADE.match(s):
        return _Res(_iso(int(m["c"]) * 100 + int(m["d"]) * 10), "decade", "absolute")
    two_digit: int | None = None
    if m := _DECADE2.match(s):
        two_digit = int(m["d"])
    elif m := _DECADE_WORD.match(s):
        two_digit = _DECADE_WORDS[m["w"].lower()]
    if two_digit is not None:
        year = 1900 + two_digit * 10
        if anchor is not None:
            year = 2000 + two_digit * 10
            if year > anchor.year:
                year -= 100
        return _Res(_iso(year), "decade", "absolute")
    if m := _CENTURY.match(s):
        return _Res(_iso((int(m["n"]) - 1) * 100), "century", "absolute")
    if m := _CENTURY_WORD.match(s):
        word = m["w"].lower()
        if word in _ORDINAL_WORDS:
            return _Res(_iso((_ORDINAL_WORDS[word] - 1) * 100), "century", "absolute")
        rel = word.removeprefix("the ").strip()
        if rel in {"this", "current", "present", "last", "previous", "next"}:
            return _relative_unit({"current": "this", "present": "this",
                                   "previous": "last"}.get(rel, rel), "century", anchor)
    return None


def _range(s: str, anchor: date | None) -> _Res | None:
    """Ranges give their start; the right side lends the left its missing parts."""
    if m := _SAME_MONTH_RANGE.match(s):                            # March 20-22, 2023
        y, mo, d1, d2 = int(m["y"]), _month_num(m["m"]), _day_num(m["d1"]), _day_num(m["d2"])
        if _valid(y, mo, d1) and _valid(y, mo, d2) and d1 < d2:
            return _Res(_iso(y, mo, d1), "day", "absolute", value_end=_iso(y, mo, d2))
        return None
    body = s
    bounded = False
    if m := _RANGE_PREFIX.match(s):
        body, bounded = m["body"], True
    parts = _RANGE_SPLIT.split(body, maxsplit=1)
    if len(parts) != 2 or not parts[0] or not parts[1]:
        return None
    sep = body[len(parts[0]):len(body) - len(parts[1])].strip().lower()
    if sep == "and" and not bounded:
        return None  # "2014 and 2022": two dates, found one by one
    left, right = parts
    right_res = _absolute(right, anchor)
    if right_res is None or right_res.value is None or right_res.precision is None:
        # "2014-22", "2022–23": a two-digit end year
        if (mm := re.fullmatch(r"\d{2}", right)) and (ly := _Y.match(left)):
            start = int(ly["y"])
            end = start // 100 * 100 + int(mm.group(0))
            if end > start:
                return _Res(_iso(start), "year", "absolute", value_end=_iso(end))
        # "March 20-22": the left side resolves as a day-month, the right borrows from it
        if (re.fullmatch(_DAY, right, _I) and (md := _MONTH_DAY.match(left))
                and not md["mod"]):
            first = _month_day(_month_num(md["m"]), _day_num(md["d"]), "", anchor,
                               tense=None, year_hint=None)
            if first is None or first.value is None:
                return first
            last = _day_num(right)
            y, mo = int(first.value[:4]), int(first.value[5:7])
            if _valid(y, mo, last) and last > _day_num(md["d"]):
                return replace(first, value_end=_iso(y, mo, last))
        return None
    ry = int(right_res.value[:4])
    rm = int(right_res.value[5:7]) if len(right_res.value) >= 7 else None
    left_res = _absolute(left, anchor)
    if left_res is None:
        if (rm is not None and re.fullmatch(_DAY, left, _I)
                and _valid(ry, rm, _day_num(left))):              # March 20-22, 2023
            left_res = _Res(_iso(ry, rm, _day_num(left)), "day", "absolute")
        elif (md := _MONTH_DAY.match(left) or _DAY_MONTH.match(left)) and not md["mod"]:
            mo, d = _month_num(md["m"]), _day_num(md["d"])
            if _valid(ry, mo, d):                                  # March 30 - April 2, 2023
                left_res = _Res(_iso(ry, mo, d), "day", "absolute")
        elif (mn := _MONTH.match(left)) and not mn["mod"]:          # March to May 2023
            left_res = _Res(_iso(ry, _month_num(mn["m"])), "month", "absolute")
    if left_res is None or left_res.value is None or left_res.value > right_res.value:
        return None
    return replace(left_res, value_end=right_res.value)


def _qualified(s: str, anchor: date | None, tense: Tense,
               year_hint: int | None) -> _Res | None:
    """"early 2022", "the end of the year", "the beginning of the war"."""
    m = (_OF_QUAL.match(s) or _SEASON_QUAL.match(s) or _QUARTER_QUAL.match(s)
         or _ADJ_QUAL.match(s))
    if m is None:
        return None
    rest = re.sub(r"^of\s+", "", m["rest"].strip(), flags=_I)
    if (u := _THE_UNIT.match(rest)) is not None:
        rest = f"this {u['u']}"  # "by the end of the year": this year
    inner = _resolve(rest, anchor, tense, year_hint)
    if inner is None:
        if m.re is _OF_QUAL:
            return _Res(None, None, "relative",
                        f"relative to an event ('{rest}'), not to the calendar")
        return None
    if inner.value is None and inner.kind != "relative":
        return _Res(None, None, "vague", f"too vague: '{s}'")
    return inner


def _relative(s: str, anchor: date | None, tense: Tense, year_hint: int | None,
              hedged: bool) -> _Res | None:
    """Expressions that need the anchor (or a year from the sentence)."""
    if m := _DAYWORD.match(s):
        w = " ".join(m["w"].lower().split())
        offset = {"the day before yesterday": -2, "the day after tomorrow": 2,
                  "yesterday": -1, "last night": -1, "tomorrow": 1}.get(w, 0)
        if anchor is None:
            return _Res(None, None, "relative", NO_ANCHOR)
        return _Res(_day(anchor + timedelta(days=offset)), "day", "relative")
    if m := _AGO.match(s):
        return _ago(m["q"], m["u"], anchor, hedged)
    if m := _EARLIER_THIS.match(s):
        return _relative_unit("this", m["u"].lower(), anchor)
    if m := _REL_UNIT.match(s):
        mod = " ".join(m["mod"].lower().split())
        unit = m["u"].lower()
        if mod in {"past", "the past", "the last"}:
            return _Res(None, None, "duration", DURATION)
        if mod in {"coming", "the coming"}:
            return _Res(None, None, "vague", f"too vague: '{s}'")
        if mod == "previous":
            return _Res(None, None, "relative", NARRATIVE)
        mod = "this" if mod in {"current", "the current", "the present"} else mod
        return _relative_unit(mod, unit, anchor)
    if m := _WEEKEND.match(s):
        return _weekend(m["mod"].lower(), anchor, tense)
    if m := _WEEKDAY.match(s):
        return _weekday(_WEEKDAYS[m["w"].lower()], (m["mod"] or "").lower(), anchor, tense)
    if m := _MONTH_DAY.match(s) or _DAY_MONTH.match(s):
        return _month_day(_month_num(m["m"]), _day_num(m["d"]), (m["mod"] or "").lower(),
                          anchor, tense=tense, year_hint=year_hint)
    if m := _MONTH.match(s):
        if m["m"].lower() == "may" and not m["mod"] and not s[0].isupper():
            return None  # the verb
        return _month(_month_num(m["m"]), (m["mod"] or "").lower(), anchor, tense, year_hint)
    if m := _SEASON_REL.match(s):
        return _season(m["s"].lower(), m["mod"].lower(), anchor)
    return None


def _ago(q: str | None, unit: str, anchor: date | None, hedged: bool) -> _Res:
    u = unit.lower().rstrip("s")
    u = "century" if u.startswith("centur") else u
    if q is None:
        if u in {"year", "decade", "century"}:
            return _Res(None, None, "vague", f"too vague: '{unit} ago'")
        n, fuzzy = 3, True       # "days ago": a few
    else:
        counted = _count(q)
        if counted is None:
            return _Res(None, None, "vague", f"too vague: '{q} {unit} ago'")
        n, fuzzy = counted
    fuzzy = fuzzy or hedged
    if anchor is None:
        return _Res(None, None, "relative", NO_ANCHOR)
    a = anchor
    if u in {"minute", "hour"}:
        return _Res(_day(a), "day", "relative")
    if u in {"day", "night"}:
        return _Res(_day(a - timedelta(days=n)), "day", "relative", approximate=fuzzy)
    if u in {"week", "fortnight"}:
        days = 7 * n * (2 if u == "fortnight" else 1)
        return _Res(_day(a - timedelta(days=days)), "day", "relative", approximate=True)
    if u == "month":
        y, mo = _shift_months(a.year, a.month, -n)
        return _Res(_iso(y, mo), "month", "relative", approximate=fuzzy)
    if u == "year":
        if n <= 2:
            y, mo = _shift_months(a.year, a.month, -12 * n)
            return _Res(_iso(y, mo), "month", "relative", approximate=True)
        return _Res(_iso(a.year - n), "year", "relative", approximate=fuzzy)
    if u == "decade":
        return _Res(_iso((a.year - 10 * n) // 10 * 10), "decade", "relative", approximate=True)
    return _Res(_iso((a.year - 100 * n) // 100 * 100), "century", "relative", approximate=True)


def _relative_unit(mod: str, unit: str, anchor: date | None) -> _Res:
    """this/last/next week, month, year, decade, century."""
    if anchor is None:
        return _Res(None, None, "relative", NO_ANCHOR)
    step = {"last": -1, "this": 0, "next": 1}[mod]
    a = anchor
    if unit == "week":
        d = a + timedelta(days=7 * step)
        monday = d - timedelta(days=d.weekday())
        sunday = monday + timedelta(days=6)
        return _Res(_iso(d.year, d.month), "month", "relative",
                    approximate=monday.month != sunday.month)
    if unit == "month":
        y, mo = _shift_months(a.year, a.month, step)
        return _Res(_iso(y, mo), "month", "relative")
    if unit == "year":
        return _Res(_iso(a.year + step), "year", "relative")
    if unit == "decade":
        return _Res(_iso(a.year // 10 * 10 + 10 * step), "decade", "relative")
    return _Res(_iso(a.year // 100 * 100 + 100 * step), "century", "relative")


def _weekday(w: int, mod: str, anchor: date | None, tense: Tense) -> _Res:
    if anchor is None:
        return _Res(None, None, "relative", NO_ANCHOR)
    a = anchor
    if mod in {"last", "past"}:
        d = a - timedelta(days=(a.weekday() - w) % 7 or 7)
    elif mod == "this":
        d = a + timedelta(days=w - a.weekday())
    elif mod in {"next", "coming"}:
        d = a + timedelta(days=(w - a.weekday()) % 7 or 7)
    elif tense == "future":
        d = a + timedelta(days=(w - a.weekday()) % 7)
    else:
        d = a - timedelta(days=(a.weekday() - w) % 7)
    return _Res(_day(d), "day", "relative")


def _weekend(mod: str, anchor: date | None, tense: Tense) -> _Res:
    """The Saturday of the weekend meant."""
    if anchor is None:
        return _Res(None, None, "relative", NO_ANCHOR)
    a = anchor
    current = a - timedelta(days=a.weekday() - 5) if a.weekday() >= 5 else None
    upcoming = a + timedelta(days=5 - a.weekday()) if current is None else current
    previous = (current - timedelta(days=7) if current is not None
                else a - timedelta(days=a.weekday() + 2))
    if mod in {"last", "past"}:
        d = previous
    elif mod in {"next", "coming"}:
        d = upcoming if current is None else current + timedelta(days=7)
    elif mod == "this" or tense == "future":
        d = upcoming
    else:
        d = current if current is not None else previous
    return _Res(_day(d), "day", "relative", approximate=True)


def _month_day(mo: int, d: int, mod: str, anchor: date | None, *, tense: Tense,
               year_hint: int | None) -> _Res | None:
    if not _valid(2000, mo, d):  # 2000 is a leap year: Feb 29 passes
        return None
    if year_hint is not None and not mod and _valid(year_hint, mo, d):
        return _Res(_iso(year_hint, mo, d), "day", "relative")
    if anchor is None:
        return _Res(None, None, "relative", NO_ANCHOR_DAY, needs_year=True)
    a = anchor
    forward = mod in {"next", "coming"} or (tense == "future" and mod != "last")
    y = a.year
    if mod == "this":
        while not _valid(y, mo, d):
            y += 1
        return _Res(_iso(y, mo, d), "day", "relative", needs_year=True)
    if not mod and tense is None and _valid(a.year, mo, d):
        ahead = (date(a.year, mo, d) - a).days
        if 0 < ahead <= UPCOMING_DAYS:  # an upcoming day, not one eleven months ago
            return _Res(_iso(a.year, mo, d), "day", "relative", needs_year=True)
    for _ in range(9):
        if _valid(y, mo, d):
            cand = date(y, mo, d)
            if forward and (cand > a or (cand == a and mod == "")):
                break
            if not forward and (cand < a or (cand == a and mod != "last")):
                break
        y += 1 if forward else -1
    return _Res(_iso(y, mo, d), "day", "relative", needs_year=True)


def _month(mo: int, mod: str, anchor: date | None, tense: Tense,
           year_hint: int | None) -> _Res:
    if year_hint is not None and not mod:
        return _Res(_iso(year_hint, mo), "month", "relative")
    if anchor is None:
        return _Res(None, None, "relative", NO_ANCHOR_MONTH)
    a = anchor
    if mod in {"last", "past"}:
        y = a.year if mo < a.month else a.year - 1
    elif mod == "this":
        y = a.year
    elif mod in {"next", "coming"}:
        y = a.year if mo > a.month else a.year + 1
    elif tense == "future":
        y = a.year if mo >= a.month else a.year + 1
    elif tense is None and 0 < mo - a.month <= UPCOMING_MONTHS:
        y = a.year  # an upcoming month, not one ten months ago
    else:
        y = a.year if mo <= a.month else a.year - 1
    return _Res(_iso(y, mo), "month", "relative")


_SEASON_MONTHS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11),
                  "winter": (12, 2)}


def _season(season: str, mod: str, anchor: date | None) -> _Res:
    """last/this/next summer: the year the season (its start, for winter) falls in."""
    if anchor is None:
        return _Res(None, None, "relative", NO_ANCHOR)
    first, last = _SEASON_MONTHS[season]
    a = anchor
    if mod == "this":
        y = a.year
    elif mod in {"last", "past"}:
        if season == "winter":
            y = a.year - 1 if a.month > last else a.year - 2
        else:
            y = a.year if a.month > last else a.year - 1
    else:
        y = a.year if a.month < first else a.year + 1
    return _Res(_iso(y), "year", "relative", approximate=season == "winter")


def _embedded(s: str, anchor: date | None, tense: Tense, year_hint: int | None) -> _Res | None:
    """A day inside a longer phrase: "the early hours of Thursday morning"."""
    if m := _HAS_DAYWORD.search(s):
        return _relative(m["w"], anchor, tense, year_hint, False)
    if (m := _HAS_WEEKDAY.search(s)) and not _HAS_MONTH.search(s):
        return _weekday(_WEEKDAYS[m["w"].lower()], "", anchor, tense)
    return None


@lru_cache(maxsize=4)
def _date_parser(anchor: date | None) -> Any:
    from dateparser.date import DateDataParser

    settings: dict[str, Any] = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    if anchor is not None:
        settings["RELATIVE_BASE"] = datetime(anchor.year, anchor.month, anchor.day)
    return DateDataParser(languages=["en"], settings=settings)


def _fallback(s: str, anchor: date | None) -> _Res | None:
    """dateparser for absolute forms the rules miss; cut to what the text writes."""
    has_year = _HAS_YEAR.search(s) is not None
    has_month = _HAS_MONTH.search(s) is not None
    if not (has_year or has_month) or re.search(r"\d{5}", s):
        return None
    if not has_year:
        return None  # a month without a year that no rule reads: not our business to guess
    try:
        data = _date_parser(anchor).get_date_data(s)
    except Exception:  # dateparser raises assorted errors on odd input
        return None
    found = data.date_obj if data is not None else None
    if not isinstance(found, datetime):
        return None
    has_day = re.search(r"(?<![\d])(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d])",
                        _HAS_YEAR.sub(" ", s)) is not None
    period = str(getattr(data, "period", "") or "")
    if has_month and has_day and period in {"day", "time", "week"}:
        return _Res(_day(found.date()), "day", "absolute")
    if has_month and period in {"day", "time", "week", "month"}:
        return _Res(_iso(found.year, found.month), "month", "absolute")
    return _Res(_iso(found.year), "year", "absolute")


# --- finding candidates in a text ------------------------------------------------------------

_LEAD_YEAR = (r"(?:(?<![\w-])(?:[Ii]n|[Ss]ince|[Bb]y|[Uu]ntil|[Tt]ill|[Bb]efore|[Aa]fter"
              r"|[Dd]uring|[Ff]rom|[Tt]hrough|[Ee]arly|[Ll]ate|[Mm]id|year|[Cc]irca"
              r"|[Ss]pring|[Ss]ummer|[Aa]utumn|[Ff]all|[Ww]inter)[\s-]+)")

_SCAN = [
    # ranges
    re.compile(rf"\b{_MON_CAP}\s+{_DAY}(?:{_DASH}(?:{_MON_CAP}\s+)?{_DAY}),?\s+{_YEAR}"),
    re.compile(rf"\b{_DAY}{_DASH}{_DAY}\s+{_MON_CAP},?\s+{_YEAR}"),
    re.compile(rf"\b(?:[Bb]etween|[Ff]rom)\s+(?:{_MON_CAP}\s+)?{_YEAR}\s+(?:and|to|until|till"
               rf"|through)\s+(?:{_MON_CAP}\s+)?{_YEAR}"),
    re.compile(rf"\b(?:[Ff]rom\s+)?{_MON_CAP}\s+(?:to|until|till|through|-|–)\s+{_MON_CAP},?"
               rf"\s+{_YEAR}"),
    re.compile(rf"(?<![\d/-]){_YEAR}\s*[-–]\s*(?:{_YEAR}|\d\d(?![\d%]))(?![-/]\d)"),
    # full dates
    re.compile(rf"\b(?:{_WD_CAP},?\s+)?{_MON_CAP}\s+{_DAY},?\s+{_YEAR}"),
    re.compile(rf"\b(?:{_WD_CAP},?\s+)?(?:the\s+)?{_DAY}(?:\s+of)?\s+{_MON_CAP},?\s+{_YEAR}"),
    re.compile(rf"(?<![\d/.-]){_YEAR}-\d\d-\d\d(?![\d-])"),
    re.compile(rf"(?<![\d/.]){_YEAR}/\d\d?/\d\d?(?![\d/])"),
    re.compile(rf"(?<![\d/.])\d\d?/\d\d?/{_YEAR}(?![\d/])"),
    re.compile(rf"\b{_MON_CAP},?\s+(?:of\s+)?{_YEAR}"),
    # qualified years and months
    re.compile(rf"\b(?:[Tt]he\s+)?(?:very\s+)?(?:[Ee]arly|[Mm]id|[Ll]ate)(?:-|\s+)"
               rf"(?:{_MON_CAP}(?:\s+{_YEAR})?|{_YEAR}|(?:1\d|20)\d0s)(?!\w)"),
    _c(rf"\b(?:the\s+)?(?:very\s+)?(?:beginning|start|end|middle|turn|close|(?:first|second"
       rf"|last)\s+(?:half|quarter)|(?:third|fourth)\s+quarter|spring|summer|autumn|fall"
       rf"|winter)\s+of\s+(?:{_YEAR}|this\s+year|last\s+year|next\s+year|the\s+year"
       rf"|the\s+century|the\s+decade|the\s+month)\b"),
    re.compile(rf"\b(?:Q[1-4]|H[12])\s+{_YEAR}"),
    # day-month without a year
    re.compile(rf"\b(?:(?:[Ll]ast|[Tt]his|[Nn]ext)\s+)?{_MON_CAP}\s+{_DAY}(?![\d,]*\s*\d{{4}})"
               rf"(?:{_DASH}{_DAY})?\b"),
    re.compile(rf"\b{_DAY}(?:\s+of)?\s+{_MON_FULL}\b(?!,?\s+\d)"),
    # decades, centuries
    re.compile(r"\b(?:[Tt]he\s+)?(?:1\d|20)\d0s\b"),
    re.compile(r"\b[Tt]he\s+['’]\d0s\b"),
    _c(r"\bthe\s+(?:\d{1,2}(?:st|nd|rd|th)|[a-z]+(?:-[a-z]+)?)[\s-]century\b"),
    # bare months and years after a preposition (the span is the date itself)
    re.compile(rf"{_LEAD_YEAR}(?P<span>{_YEAR})(?![\d%$-]|\s*(?:percent|per\s+cent))"),
    re.compile(rf"(?:\b(?:[Ii]n|[Ss]ince|[Bb]y|[Uu]ntil|[Tt]ill|[Bb]efore|[Aa]fter|[Dd]uring"
               rf"|[Ff]rom|[Tt]hrough)\s+)(?P<span>{_MON_FULL})\b(?!\s+\d)"),
    # relative
    _c(r"\b(?:the\s+day\s+(?:before\s+yesterday|after\s+tomorrow)|yesterday|today|tomorrow"
       rf"|tonight|last\s+night|this\s+{_DAYPART})\b(?:\s+{_DAYPART}\b)?"),
    _c(rf"\b(?:(?:only|just|about|around|roughly|nearly|almost|some|more\s+than|less\s+than)"
       rf"\s+)?(?:{_QTY}\s+)?(?:full\s+|whole\s+)?{_UNIT_RE}\s+(?:ago|back)\b"),
    _c(r"\b(?:earlier|later)\s+this\s+(?:week|month|year)\b"),
    _c(r"\b(?:last|this|next|past|coming)\s+(?:week|weekend|month|year|decade|century)\b"),
    _c(rf"\b(?:last|this|next)\s+{_SEASON}\b"),
    re.compile(rf"\b(?:(?:[Ll]ast|[Tt]his|[Nn]ext)\s+)?{_WD_CAP}(?:\s+{_DAYPART})?\b"),
    re.compile(rf"\b(?:[Ll]ast|[Nn]ext|[Tt]his)\s+{_MON_FULL}\b"),
    _c(r"\b(?:over\s+)?the\s+weekend\b"),
    # narrative, event-relative, durations, vague
    _c(r"\b(?:since|before|after|until)\s+the\s+(?:very\s+)?(?:beginning|start|outbreak"
       r"|onset|end)\s+of\s+(?:the\s+|this\s+|that\s+|his\s+|her\s+|its\s+|their\s+)?"
       r"(?:(?!(?:in|on|at|with|and|or|to|by|for|from|as|that|which|who|but|is|was|has|had"
       r"|a|an|the|when|while|of)\b)[A-Za-z’'-]+\s?){1,3}"),
    _c(r"\bsince\s+the\s+(?:[A-Za-z’'-]+\s+){0,2}?(?:war|invasion|conflict|crisis|pandemic"
       r"|revolution|coup|election|attack|fighting|occupation|annexation|offensive)\s+"
       r"(?:began|started|broke\s+out|erupted)\b"),
    _c(r"\b(?:in\s+)?the\s+(?:long|short|medium)[- ]term\b"),
    _c(r"\bthe\s+(?:near|distant|foreseeable|immediate)\s+future\b"),
    _c(rf"\b(?:in\s+)?(?:the\s+)?(?:coming|upcoming|recent)\s+(?:few\s+)?{_UNIT_RE}\b"),
    _c(rf"\bfor\s+(?:{_QTY}\s+)?(?:full\s+|whole\s+|long\s+)?{_UNIT_RE}\b(?![\s-]*(?:old|ago))"),
    _c(r"\b(?:recently|nowadays|at\s+present|these\s+days|(?:for|at)\s+the\s+moment"
       r"|for\s+now)\b"),
]

_LIST_SEP = re.compile(r"\s*,?\s+(?:and|or|and/or)\s+|\s*[,;](?!\s*\d{4})\s*")

# Entity types a pattern hit must not fall inside: a weekday in "Bloody Sunday", a
# "year" in a money amount.
_BLOCKING_ENTS = {"PERSON", "ORG", "WORK_OF_ART", "EVENT", "FAC", "PRODUCT", "LAW", "MONEY",
                  "PERCENT", "QUANTITY"}


@dataclass
class _Cand:
    start: int
    end: int
    res: _Res
    from_model: bool


def find_dates(doc_or_spans: Any, anchor: date | None = None) -> list[TemporalMention]:
    """Every temporal expression in a spaCy ``Doc``, a ``Span``, spans, or a plain string.

    With a ``Doc`` (or its spans) the candidates are the model's ``DATE`` (and
    day-naming ``TIME``) entities plus our patterns, and the parse tells future
    tense apart; with a string only the patterns run. Offsets are character
    offsets into the document's text (the string's, for a string).
    """
    anchor = parse_anchor(anchor)
    if isinstance(doc_or_spans, str):
        return _find(doc_or_spans, 0, len(doc_or_spans), doc=None, ents=[], anchor=anchor)
    # (look on the type: reading ``ents`` on a Doc builds them all)
    spans = [doc_or_spans] if hasattr(type(doc_or_spans), "ents") else list(doc_or_spans)
    found: dict[tuple[int, int], TemporalMention] = {}
    for span in spans:
        doc = span.doc if hasattr(type(span), "doc") else span
        lo = int(getattr(span, "start_char", 0))
        hi = int(getattr(span, "end_char", len(doc.text)))
        for m in _find(doc.text, lo, hi, doc=doc, ents=list(span.ents), anchor=anchor):
            found.setdefault((m.start, m.end), m)
    return sorted(found.values(), key=lambda m: (m.start, m.end))


def _find(text: str, lo: int, hi: int, *, doc: Any, ents: list[Any],
          anchor: date | None) -> list[TemporalMention]:
    cands: list[_Cand] = []
    blocked: list[tuple[int, int]] = []

    def add(start: int, end: int, from_model: bool, keep_unresolved: bool = True) -> None:
        start, end = _trim(text, start, end)
        if end <= start or _is_age(text, start, end):
            return
        res = _resolve(text[start:end], anchor, _tense(doc, start, end), None)
        if res is None or (res.value is None and not keep_unresolved):
            return
        cands.append(_Cand(start, end, res, from_model))

    for ent in ents:
        if ent.label_ == "DATE":
            add(ent.start_char, ent.end_char, True)
            # "2014 and 2022", "March 3, 10 and 17": the parts, should the whole not resolve
            cut = ent.start_char
            pieces = list(_LIST_SEP.finditer(ent.text))
            for sep in pieces:
                add(cut, ent.start_char + sep.start(), True)
                cut = ent.start_char + sep.end()
            if pieces:
                add(cut, ent.end_char, True)
        elif ent.label_ == "TIME":
            add(ent.start_char, ent.end_char, True, keep_unresolved=False)
        elif ent.label_ in _BLOCKING_ENTS:
            blocked.append((ent.start_char, ent.end_char))
    region = text[lo:hi]
    for pat in _SCAN:
        for m in pat.finditer(region):
            g = "span" if "span" in pat.groupindex else 0
            start, end = lo + m.start(g), lo + m.end(g)
            if any(b0 < end and start < b1 for b0, b1 in blocked):
                continue
            add(start, end, False)

    chosen: list[_Cand] = []
    for c in sorted(cands, key=lambda c: (c.res.value is None, -(c.end - c.start),
                                          not c.from_model, c.start)):
        if all(c.end <= o.start or o.end <= c.start for o in chosen):
            chosen.append(c)
    chosen.sort(key=lambda c: c.start)
    sentences: list[tuple[int, int]] | None = None
    out: list[TemporalMention] = []
    for c in chosen:
        res = c.res
        if res.needs_year:
            if sentences is None:
                sentences = _sentences(text, lo, hi, doc)
            hint = _year_hint(c, chosen, sentences, res.value)
            if hint is not None:
                again = _resolve(text[c.start:c.end], anchor, _tense(doc, c.start, c.end), hint)
                res = again if again is not None else res
        out.append(_mention(text[c.start:c.end], c.start, c.end, res))
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop outer spaces, punctuation and a possessive 's from a span."""
    while start < end and text[start] in " \t\n,;:([\"“":
        start += 1
    while end > start and text[end - 1] in " \t\n,;:)]\"”’'.":
        if text[end - 1] == "." and re.search(
                r"\b(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.$", text[start:end], _I):
            break  # "Sept." keeps its dot
        end -= 1
    if re.search(r"['’]s$", text[start:end]) and not re.search(r"\d0['’]s$", text[start:end]):
        end -= 2
    return start, end


def _is_age(text: str, start: int, end: int) -> bool:
    after = text[end:end + 12].lower()
    before = text[max(0, start - 12):start].lower()
    return (re.match(r"[\s-]*old\b", after) is not None
            or re.search(r"\b(?:aged|age\s+of)\s*$", before) is not None)


def _tense(doc: Any, start: int, end: int) -> Tense:
    """The tense of the verb the date hangs on: will/shall/is to/planned is future."""
    if doc is None:
        return None
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    tok = span.root
    for _ in range(6):
        if tok.pos_ in {"VERB", "AUX"} or tok.dep_ == "ROOT" or tok.head is tok:
            break
        tok = tok.head
    if tok.pos_ not in {"VERB", "AUX"}:
        return None
    verb = tok
    for _ in range(3):
        auxes = [c for c in tok.children if c.dep_ in {"aux", "auxpass"}]
        if any(c.lower_ in _FUTURE_AUX for c in auxes):
            return "future"
        if tok.lemma_ in {"plan", "schedule", "expect", "due", "set"} and any(
                c.dep_ == "xcomp" or c.lower_ == "for" for c in tok.children):
            return "future"
        if not any(c.lower_ == "to" for c in auxes) or tok.head is tok:
            break
        tok = tok.head  # "is expected to meet on Tuesday": look at "expected"
    auxes = [c for c in verb.children if c.dep_ in {"aux", "auxpass"}]
    if verb.tag_ == "VBD" or any(c.tag_ == "VBD" or c.lower_ in {"has", "have", "had"}
                                 for c in auxes):
        return "past"
    return None


def _sentences(text: str, lo: int, hi: int, doc: Any) -> list[tuple[int, int]]:
    if doc is not None and doc.has_annotation("SENT_START"):
        return [(s.start_char, s.end_char) for s in doc.sents
                if s.end_char > lo and s.start_char < hi]
    bounds: list[tuple[int, int]] = []
    pos = lo
    for m in re.finditer(r"(?<=[.!?])\s+(?=[A-Z“\"‘'(\d])|\n+", text[lo:hi]):
        bounds.append((pos, lo + m.start()))
        pos = lo + m.end()
    bounds.append((pos, hi))
    return bounds


def _year_hint(c: _Cand, chosen: list[_Cand], sentences: list[tuple[int, int]],
               resolved: str | None) -> int | None:
    """The year of the nearest full date written in the same sentence.

    None when the sentence writes no full date, or when the anchor's reading
    already falls in a year the sentence writes.
    """
    sent = next(((s0, s1) for s0, s1 in sentences if s0 <= c.start < s1), None)
    if sent is None:
        return None
    best: tuple[int, int] | None = None
    years: set[str] = set()
    for o in chosen:
        if (o is c or o.res.kind != "absolute" or o.res.value is None
                or o.res.precision != "day"
                or not (sent[0] <= o.start < sent[1])):
            continue
        years.add(o.res.value[:4])
        distance = abs(o.start - c.start)
        if best is None or distance < best[0]:
            best = (distance, int(o.res.value[:4]))
    if resolved is not None and resolved[:4] in years:
        return None
    return best[1] if best else None
