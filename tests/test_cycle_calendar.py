"""The SIB calendar: competência of a sending day, deadlines, late and expired RPX, month ends."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from sibtui.catalog.calendar import (
    Competencia,
    add_months,
    competencia_of,
    days_left,
    rpx_has_expired,
    rpx_is_late,
)


@pytest.mark.parametrize(
    "sent, competencia",
    [
        (date(2026, 11, 3), "2026-10"),  # day 1-5 still closes the previous month
        (date(2026, 11, 5), "2026-10"),
        (date(2026, 11, 6), "2026-11"),  # from day 6 the month's own movements
        (date(2026, 11, 30), "2026-11"),
        (date(2027, 1, 2), "2026-12"),  # across the year
        (date(2028, 3, 1), "2028-02"),  # leap year's February
    ],
)
def test_competencia_of_a_sending_day(sent, competencia):
    assert str(competencia_of(sent)) == competencia


@pytest.mark.parametrize(
    "competencia, deadline",
    [(Competencia(2026, 10), date(2026, 11, 5)), (Competencia(2026, 12), date(2027, 1, 5)),
     (Competencia(2028, 2), date(2028, 3, 5))],
)
def test_deadline_is_day_5_of_the_next_month(competencia, deadline):
    assert competencia.deadline == deadline


def test_days_left_counts_to_the_deadline_and_goes_negative_after():
    deadline = Competencia(2026, 11).deadline
    assert days_left(deadline, date(2026, 12, 1)) == 4
    assert days_left(deadline, date(2026, 12, 5)) == 0
    assert days_left(deadline, date(2026, 12, 7)) == -2
    assert days_left(Competencia(2026, 12).deadline, date(2026, 12, 31)) == 5


@pytest.mark.parametrize(
    "day, months, expected",
    [(date(2026, 1, 31), 1, date(2026, 2, 28)), (date(2028, 1, 31), 1, date(2028, 2, 29)),
     (date(2026, 11, 30), 3, date(2027, 2, 28)), (date(2026, 10, 15), 3, date(2027, 1, 15)),
     (date(2026, 12, 31), 2, date(2027, 2, 28))],
)
def test_add_months_clamps_to_the_last_day(day, months, expected):
    assert add_months(day, months) == expected


def test_an_rpx_is_late_after_five_days_without_answer():
    sent = datetime(2026, 11, 3, 10, 15)
    assert not rpx_is_late(sent, date(2026, 11, 8))
    assert rpx_is_late(sent, date(2026, 11, 9))


def test_an_rpx_expires_three_months_after_it_was_made():
    made = datetime(2026, 11, 30, 3, 0)
    assert not rpx_has_expired(made, date(2027, 2, 28))
    assert rpx_has_expired(made, date(2027, 3, 1))
