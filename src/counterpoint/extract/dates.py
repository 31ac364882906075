"""Read a printed publication date into ISO form."""

from __future__ import annotations

import re
from datetime import date, datetime

from counterpoint.extract.lines import DATE

__all__ = ["parse_printed_date"]

_NUMERIC_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_CJK = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_ENGLISH_FORMATS = ("%B %d, %Y", "%B %d %Y", "%b %d, %Y", "%b %d %Y", "%d %B %Y", "%d %b %Y",
                    "%b. %d, %Y", "%d. %B %Y")


def parse_printed_date(text: str) -> str | None:
    """Return ``YYYY-MM-DD`` for the first full date printed in ``text``, else None.

    Only day-precise dates count: a publication date is never guessed from a
    month or a year alone.
    """
    match = DATE.search(text)
    if not match:
        return None
    found = match.group(0).strip()
    for pattern in (_NUMERIC_ISO, _CJK):
        m = pattern.search(found)
        if m:
            return _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", found)
    cleaned = " ".join(cleaned.replace(",", ", ").split()).replace(" ,", ",")
    for fmt in _ENGLISH_FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date().isoformat()
        except ValueError:
            continue
    return _parse_with_dateparser(found)


def _valid(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _parse_with_dateparser(text: str) -> str | None:
    import dateparser  # slow to import; only needed for dates in other languages or orders

    parsed = dateparser.parse(text, settings={"REQUIRE_PARTS": ["day", "month", "year"],
                                              "DATE_ORDER": "DMY",
                                              "RETURN_AS_TIMEZONE_AWARE": False})
    return parsed.date().isoformat() if parsed else None
