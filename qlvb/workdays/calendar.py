"""Working-day arithmetic: the one place deadlines are computed.

A day is a working day unless it is a Saturday/Sunday or a Vietnamese public
holiday. Three sources are combined, the later ones winning:

1. The weekend (Saturday, Sunday).
2. The statutory calendar of the ``holidays`` package (Tết, Hùng Kings' day,
   30/4, 1/5, 2/9 and its extra day, substitute days off, and the make-up
   working Saturdays the package knows about).
3. :class:`~qlvb.workdays.models.DayOverride` rows entered by administrators
   for the days off and make-up working days the government announces each
   year. An override always wins.

The statutory calendar is cached per year (it never changes while the process
runs). The overrides table is small, so it is loaded whole at most once per
call and kept in a per-process cache that is cleared when a ``DayOverride`` is
saved or deleted (signals wired in ``WorkdaysConfig.ready()``) and, as a
safety net for the other worker processes of a deployment, expires after
``OVERRIDE_CACHE_TTL`` seconds.

All functions take plain ``datetime.date`` objects. Passing a ``datetime``
raises ``TypeError``: convert it first with ``django.utils.timezone.localdate``
so the local (Vietnam) calendar day is used.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from functools import lru_cache
from types import MappingProxyType
from typing import NamedTuple

import holidays
from django.db import transaction

__all__ = [
    "OVERRIDE_CACHE_TTL",
    "add_working_days",
    "clear_cache",
    "holiday_name",
    "is_statutory_working_day",
    "is_working_day",
    "next_working_day",
    "working_days_between",
]

# Seconds after which another process's override edits become visible here.
OVERRIDE_CACHE_TTL = 60.0

_WEEKEND = frozenset({5, 6})  # date.weekday(): Saturday, Sunday
_ONE_DAY = timedelta(days=1)

# Kind values of DayOverride.Kind, duplicated as plain strings so this module
# does not import the models at import time.
_KIND_OFF = "day_off"
_KIND_WORKING = "working_day"


# --------------------------------------------------------------------------
# Statutory calendar (``holidays`` package), cached per year
# --------------------------------------------------------------------------


class _StatutoryYear(NamedTuple):
    days_off: frozenset[date]  # public holidays and substitute days off
    make_up_days: frozenset[date]  # weekend days that are working days
    names: Mapping[date, str]  # Vietnamese holiday names


@lru_cache(maxsize=64)
def _statutory_year(year: int) -> _StatutoryYear:
    # A substitution pair can straddle New Year (e.g. day off 31/12/2018 for
    # the make-up Saturday 05/01/2019 is populated with 2018), so the
    # neighbouring years are populated too and the result filtered to `year`.
    years = range(max(year - 1, 1), year + 2)
    cal = holidays.country_holidays("VN", years=years, language="vi")
    names = {day: name for day, name in cal.items() if day.year == year}
    make_up = frozenset(day for day in cal.weekend_workdays if day.year == year)
    return _StatutoryYear(frozenset(names), make_up, MappingProxyType(names))


def is_statutory_working_day(day: date) -> bool:
    """Whether ``day`` is a working day ignoring the admin overrides."""
    _check_date(day)
    data = _statutory_year(day.year)
    if day.weekday() in _WEEKEND:
        return day in data.make_up_days
    return day not in data.days_off


# --------------------------------------------------------------------------
# Admin overrides, cached per process
# --------------------------------------------------------------------------

_overrides_lock = threading.Lock()
_overrides: Mapping[date, tuple[str, str]] | None = None
_overrides_loaded_at = 0.0


def _load_overrides() -> Mapping[date, tuple[str, str]]:
    global _overrides, _overrides_loaded_at
    with _overrides_lock:
        if _overrides is not None and time.monotonic() - _overrides_loaded_at < OVERRIDE_CACHE_TTL:
            return _overrides
    from qlvb.workdays.models import DayOverride

    rows = DayOverride.objects.values_list("date", "kind", "note")
    data = MappingProxyType({day: (kind, note) for day, kind, note in rows})
    with _overrides_lock:
        _overrides = data
        _overrides_loaded_at = time.monotonic()
    return data


def clear_cache(statutory: bool = False) -> None:
    """Forget the cached overrides (and, if asked, the statutory calendar).

    Called automatically when a DayOverride is saved or deleted. Call it by hand
    after ``QuerySet.update()``/``bulk_create()``, which send no signals.
    """
    global _overrides
    with _overrides_lock:
        _overrides = None
    if statutory:
        _statutory_year.cache_clear()


def _on_override_changed(sender, **kwargs) -> None:
    # Clear now (same thread sees its own change) and again after commit, so a
    # concurrent reader that reloaded the pre-commit rows does not keep them.
    clear_cache()
    transaction.on_commit(clear_cache, using=kwargs.get("using"))


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------


def _check_date(day: date) -> None:
    if isinstance(day, datetime) or not isinstance(day, date):
        raise TypeError(
            f"expected a datetime.date, got {type(day).__name__}; "
            "convert datetimes with django.utils.timezone.localdate()"
        )


def _is_working(day: date, overrides: Mapping[date, tuple[str, str]]) -> bool:
    override = overrides.get(day)
    if override is not None:
        return override[0] == _KIND_WORKING
    return is_statutory_working_day(day)


def is_working_day(day: date) -> bool:
    """Whether officials work on ``day``. An admin override wins over every other rule."""
    _check_date(day)
    return _is_working(day, _load_overrides())


def add_working_days(start: date, n: int) -> date:
    """The date ``n`` working days after ``start`` (``start`` itself is not counted).

    ``add_working_days(arrival, 10)`` is the deadline "10 working days from
    arrival". ``n == 0`` returns ``start`` if it is a working day, else the next
    working day. A negative ``n`` counts backwards: the date ``-n`` working
    days before ``start``.
    """
    _check_date(start)
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"n must be an int, got {type(n).__name__}")
    overrides = _load_overrides()
    day = start
    if n == 0:
        while not _is_working(day, overrides):
            day += _ONE_DAY
        return day
    step = _ONE_DAY if n > 0 else -_ONE_DAY
    remaining = abs(n)
    while remaining:
        day += step
        if _is_working(day, overrides):
            remaining -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Number of working days in the interval (start, end].

    Negative (minus the count of working days in (end, start]) when
    ``end < start``. For any ``n``, ``working_days_between(s, add_working_days(s, n)) == n``.
    """
    _check_date(start)
    _check_date(end)
    if end == start:
        return 0
    sign = 1
    if end < start:
        start, end, sign = end, start, -1
    overrides = _load_overrides()
    count = 0
    day = start + _ONE_DAY
    while day <= end:
        if _is_working(day, overrides):
            count += 1
        day += _ONE_DAY
    return sign * count


def next_working_day(day: date) -> date:
    """The first working day strictly after ``day``.

    Use ``add_working_days(day, 0)`` for "``day`` itself if working, else the next one".
    """
    return add_working_days(day, 1)


def holiday_name(day: date) -> str | None:
    """Vietnamese name of the holiday or extra day off on ``day``, else ``None``.

    Ordinary weekends and working days (including make-up working days) have
    no name. For an admin day off the override's note is used.
    """
    _check_date(day)
    override = _load_overrides().get(day)
    if override is not None:
        kind, note = override
        if kind == _KIND_WORKING:
            return None
        statutory = _statutory_year(day.year).names.get(day)
        if note or statutory:
            return note or statutory
        from qlvb.workdays.models import DayOverride

        return str(DayOverride.Kind.OFF.label)
    return _statutory_year(day.year).names.get(day)
