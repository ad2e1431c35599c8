"""The SIB calendar of RN 250/2011 (arts. 7, 8, 11, 12, 13) as pure date arithmetic.

Movements of a month (the competência) are sent from day 6 of that month to day 5 of the
next; the RPX comes within 5 days and ANS keeps it for 3 months; rejected records are
corrected before the next monthly update. `today` is always a parameter, so tests can stand
on any day, month end and leap day included.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

SENDING_DEADLINE_DAY = 5
RPX_EXPECTED_WITHIN = timedelta(days=5)
RPX_KEPT_MONTHS = 3


@dataclass(frozen=True, order=True)
class Competencia:
    """A reference month: the movements of `year`-`month`."""

    year: int
    month: int

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def next(self) -> "Competencia":
        return Competencia(self.year + self.month // 12, self.month % 12 + 1)

    @property
    def deadline(self) -> date:
        """Day 5 of the following month: the last day to send this month's movements."""
        following = self.next()
        return date(following.year, following.month, SENDING_DEADLINE_DAY)


def correction_deadline(competencia: Competencia) -> date:
    """When what ANS rejected of `competencia` must be corrected: by the next monthly update
    (art. 13), i.e. day 5 after the following competência."""
    return competencia.next().deadline


def parse_competencia(text: str | None) -> Competencia | None:
    """`AAAA-MM` as a competência; None when it is not one."""
    if not text:
        return None
    year, _, month = text.strip().partition("-")
    if not (year.isdigit() and month.isdigit() and len(year) == 4 and 1 <= int(month) <= 12):
        return None
    return Competencia(int(year), int(month))


def competencia_of(sent: date) -> Competencia:
    """The competência a file sent on `sent` belongs to (day 1-5 still closes the previous month)."""
    if sent.day <= SENDING_DEADLINE_DAY:
        previous = sent.replace(day=1) - timedelta(days=1)
        return Competencia(previous.year, previous.month)
    return Competencia(sent.year, sent.month)


def current_competencia(today: date) -> Competencia:
    """The competência whose deadline is the next one to come (today included)."""
    return competencia_of(today)


def days_left(deadline: date, today: date) -> int:
    """Days from today to the deadline: 0 on the day itself, negative once it has passed."""
    return (deadline - today).days


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    following = date(year + month // 12, month % 12 + 1, 1)
    return date(year, month, min(day.day, (following - timedelta(days=1)).day))


def rpx_is_late(sent: datetime | date, today: date) -> bool:
    """An SBX still without an answer more than 5 days after it was sent."""
    return today - _as_date(sent) > RPX_EXPECTED_WITHIN


def rpx_has_expired(generated: datetime | date, today: date) -> bool:
    """ANS deletes an RPX 3 months after generating it: only the operator's copy remains."""
    return today > add_months(_as_date(generated), RPX_KEPT_MONTHS)


def _as_date(moment: datetime | date) -> date:
    return moment.date() if isinstance(moment, datetime) else moment
