"""Working-day arithmetic with fixed 2026 dates.

Vietnamese public holidays in 2026 as reported by ``holidays`` 0.109 (VN):

    Thu 01/01  Tết Dương lịch
    Mon 16/02  Giao thừa Tết Nguyên Đán      -+
    Tue 17/02  Tết Nguyên Đán                 |  with the weekends on both sides:
    Wed 18/02  Mùng hai Tết Nguyên Đán        |  Sat 14/02 .. Sun 22/02 = 9 days off
    Thu 19/02  Mùng ba Tết Nguyên Đán         |
    Fri 20/02  Mùng bốn Tết Nguyên Đán       -+
    Sun 26/04  Ngày Giỗ Tổ Hùng Vương
    Mon 27/04  Ngày Giỗ Tổ Hùng Vương (nghỉ bù)
    Thu 30/04  Ngày Chiến thắng
    Fri 01/05  Ngày Quốc tế Lao động
    Mon 31/08  Ngày nghỉ (thay cho ngày 22/08/2026)   (Sat 22/08 becomes a working day)
    Tue 01/09  Quốc khánh (extra day)
    Wed 02/09  Quốc khánh
    Tue 24/11  Ngày Văn hóa Việt Nam
"""

from datetime import date, datetime

import holidays
import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError

from qlvb.workdays.calendar import (
    add_working_days,
    clear_cache,
    holiday_name,
    is_statutory_working_day,
    is_working_day,
    next_working_day,
    working_days_between,
)
from qlvb.workdays.models import DayOverride

pytestmark = pytest.mark.django_db

D = date

VN_2026 = {
    D(2026, 1, 1),
    D(2026, 2, 16),
    D(2026, 2, 17),
    D(2026, 2, 18),
    D(2026, 2, 19),
    D(2026, 2, 20),
    D(2026, 4, 26),
    D(2026, 4, 27),
    D(2026, 4, 30),
    D(2026, 5, 1),
    D(2026, 8, 31),
    D(2026, 9, 1),
    D(2026, 9, 2),
    D(2026, 11, 24),
}


@pytest.fixture(autouse=True)
def _fresh_override_cache():
    # The override cache is per process and outlives the per-test DB rollback.
    clear_cache()
    yield
    clear_cache()


def test_library_2026_vn_holidays_are_the_expected_dates():
    reported = holidays.country_holidays("VN", years=2026)
    assert set(reported) == VN_2026


def test_every_2026_statutory_holiday_is_skipped():
    for day in VN_2026:
        assert not is_working_day(day), day
        assert holiday_name(day)


# --- Weekends -------------------------------------------------------------


def test_friday_plus_one_is_monday():
    assert add_working_days(D(2026, 3, 6), 1) == D(2026, 3, 9)


def test_weekend_days_are_not_working():
    assert not is_working_day(D(2026, 3, 7))  # Saturday
    assert not is_working_day(D(2026, 3, 8))  # Sunday
    assert is_working_day(D(2026, 3, 9))  # Monday
    assert holiday_name(D(2026, 3, 7)) is None


def test_zero_days_from_weekend_is_next_monday():
    assert add_working_days(D(2026, 3, 7), 0) == D(2026, 3, 9)
    assert add_working_days(D(2026, 3, 9), 0) == D(2026, 3, 9)
    # Start is never counted: the first working day after Saturday is Monday.
    assert add_working_days(D(2026, 3, 7), 1) == D(2026, 3, 9)
    assert add_working_days(D(2026, 3, 7), 2) == D(2026, 3, 10)


def test_next_working_day_is_strictly_after():
    assert next_working_day(D(2026, 3, 9)) == D(2026, 3, 10)
    assert next_working_day(D(2026, 3, 6)) == D(2026, 3, 9)


def test_ten_working_days_plain_weeks():
    # Mon 02/03 + 10 working days = Mon 16/03 (two full weeks, no holiday).
    assert add_working_days(D(2026, 3, 2), 10) == D(2026, 3, 16)


# --- Tết 2026 -------------------------------------------------------------


def test_tet_2026_block():
    assert is_working_day(D(2026, 2, 13))  # Friday before Tết
    for day in range(14, 23):  # Sat 14/02 .. Sun 22/02
        assert not is_working_day(D(2026, 2, day)), day
    assert is_working_day(D(2026, 2, 23))  # Monday after Tết
    assert holiday_name(D(2026, 2, 17)) == "Tết Nguyên Đán"


def test_day_before_tet_plus_one_is_after_the_block():
    assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 23)


def test_ten_working_day_deadline_across_tet():
    # Arrival Mon 09/02: Tue 10, Wed 11, Thu 12, Fri 13 (4), Tết block,
    # Mon 23 .. Fri 27 (9), Mon 02/03 (10). Without Tết it would be 23/02.
    assert add_working_days(D(2026, 2, 9), 10) == D(2026, 3, 2)


def test_working_days_between_across_tet():
    assert working_days_between(D(2026, 2, 13), D(2026, 2, 23)) == 1
    assert working_days_between(D(2026, 2, 9), D(2026, 3, 2)) == 10
    assert working_days_between(D(2026, 3, 2), D(2026, 2, 9)) == -10
    assert working_days_between(D(2026, 2, 14), D(2026, 2, 22)) == 0
    assert working_days_between(D(2026, 2, 9), D(2026, 2, 9)) == 0


def test_negative_n_counts_backwards():
    assert add_working_days(D(2026, 2, 23), -1) == D(2026, 2, 13)
    assert add_working_days(D(2026, 3, 2), -10) == D(2026, 2, 9)


@pytest.mark.parametrize("n", [0, 1, 5, 10, 30, 60, -7, -30])
def test_add_and_between_are_consistent(n):
    start = D(2026, 2, 11)
    end = add_working_days(start, n)
    assert is_working_day(end)
    assert working_days_between(start, end) == n


# --- 30/4, 1/5 and Hùng Kings' day 2026 -----------------------------------


def test_reunification_and_labour_day_2026():
    assert not is_working_day(D(2026, 4, 30))
    assert not is_working_day(D(2026, 5, 1))
    # Wed 29/04 + 1 skips Thu 30/04, Fri 01/05 and the weekend.
    assert add_working_days(D(2026, 4, 29), 1) == D(2026, 5, 4)


def test_hung_kings_day_2026_observed_on_monday():
    # 10/3 lunar falls on Sun 26/04, observed Mon 27/04.
    assert not is_working_day(D(2026, 4, 27))
    assert add_working_days(D(2026, 4, 24), 1) == D(2026, 4, 28)
    # Fri 24/04 + 3: Tue 28, Wed 29, then Mon 04/05.
    assert add_working_days(D(2026, 4, 24), 3) == D(2026, 5, 4)


# --- National Day 2026 ----------------------------------------------------


def test_national_day_2026_and_extra_day():
    assert not is_working_day(D(2026, 9, 1))
    assert not is_working_day(D(2026, 9, 2))
    assert holiday_name(D(2026, 9, 2)) == "Quốc khánh"
    # Mon 31/08 is a substitute day off; Sat 22/08 is the make-up working day.
    assert not is_working_day(D(2026, 8, 31))
    assert is_working_day(D(2026, 8, 22))
    assert add_working_days(D(2026, 8, 28), 1) == D(2026, 9, 3)
    assert add_working_days(D(2026, 8, 21), 1) == D(2026, 8, 22)


def test_vietnam_cultural_day_2026():
    assert add_working_days(D(2026, 11, 23), 1) == D(2026, 11, 25)


# --- Admin overrides ------------------------------------------------------


def test_admin_day_off_is_skipped():
    DayOverride.objects.create(date=D(2026, 3, 10), kind=DayOverride.Kind.OFF, note="Nghỉ bù theo thông báo")
    assert not is_working_day(D(2026, 3, 10))
    assert add_working_days(D(2026, 3, 9), 1) == D(2026, 3, 11)
    assert working_days_between(D(2026, 3, 9), D(2026, 3, 11)) == 1
    assert holiday_name(D(2026, 3, 10)) == "Nghỉ bù theo thông báo"


def test_admin_day_off_without_note_has_default_name():
    DayOverride.objects.create(date=D(2026, 3, 10), kind=DayOverride.Kind.OFF)
    assert holiday_name(D(2026, 3, 10)) == "Ngày nghỉ bổ sung"


def test_admin_make_up_saturday_counts():
    DayOverride.objects.create(date=D(2026, 3, 14), kind=DayOverride.Kind.WORKING, note="Làm bù")
    assert is_working_day(D(2026, 3, 14))
    assert add_working_days(D(2026, 3, 13), 1) == D(2026, 3, 14)
    assert working_days_between(D(2026, 3, 13), D(2026, 3, 16)) == 2
    assert holiday_name(D(2026, 3, 14)) is None


def test_override_wins_over_statutory_holiday():
    DayOverride.objects.create(date=D(2026, 8, 31), kind=DayOverride.Kind.WORKING)
    DayOverride.objects.create(date=D(2026, 8, 22), kind=DayOverride.Kind.OFF)
    assert is_working_day(D(2026, 8, 31))
    assert not is_working_day(D(2026, 8, 22))
    assert add_working_days(D(2026, 8, 28), 1) == D(2026, 8, 31)
    # Statutory view is unchanged.
    assert not is_statutory_working_day(D(2026, 8, 31))
    assert is_statutory_working_day(D(2026, 8, 22))


def test_cache_invalidated_when_override_added_changed_deleted():
    day = D(2026, 3, 10)
    assert is_working_day(day)  # loads and caches the (empty) overrides
    override = DayOverride.objects.create(date=day, kind=DayOverride.Kind.OFF)
    assert not is_working_day(day)
    assert add_working_days(D(2026, 3, 9), 1) == D(2026, 3, 11)

    override.kind = DayOverride.Kind.WORKING
    override.save()
    assert is_working_day(day)

    override.kind = DayOverride.Kind.OFF
    override.save()
    assert not is_working_day(day)

    override.delete()
    assert is_working_day(day)
    assert add_working_days(D(2026, 3, 9), 1) == D(2026, 3, 10)


def test_queryset_update_needs_clear_cache():
    day = D(2026, 3, 10)
    DayOverride.objects.create(date=day, kind=DayOverride.Kind.OFF)
    assert not is_working_day(day)
    DayOverride.objects.filter(date=day).update(kind=DayOverride.Kind.WORKING)  # no signal
    assert not is_working_day(day)  # still cached
    clear_cache()
    assert is_working_day(day)


def test_overrides_are_cached(django_assert_num_queries):
    DayOverride.objects.create(date=D(2026, 3, 10), kind=DayOverride.Kind.OFF)
    clear_cache()
    with django_assert_num_queries(1):
        assert add_working_days(D(2026, 2, 9), 10) == D(2026, 3, 2)
        assert working_days_between(D(2025, 12, 31), D(2026, 12, 31)) == 249 - 1
        assert not is_working_day(D(2026, 3, 10))


def test_year_2026_working_day_count():
    # 2026 starts on a Thursday: 261 weekdays, minus the 13 statutory days off
    # falling on a weekday (all but Sun 26/04), plus the make-up Saturday 22/08.
    assert working_days_between(D(2025, 12, 31), D(2026, 12, 31)) == 261 - 13 + 1


# --- Model validation, admin, input checks -------------------------------


def test_clean_rejects_pointless_overrides():
    with pytest.raises(ValidationError):
        DayOverride(date=D(2026, 3, 8), kind=DayOverride.Kind.OFF).full_clean()  # Sunday
    with pytest.raises(ValidationError):
        DayOverride(date=D(2026, 3, 9), kind=DayOverride.Kind.WORKING).full_clean()  # Monday
    DayOverride(date=D(2026, 3, 9), kind=DayOverride.Kind.OFF).full_clean()
    DayOverride(date=D(2026, 3, 14), kind=DayOverride.Kind.WORKING).full_clean()


def test_day_override_registered_in_admin():
    assert DayOverride in admin.site._registry


def test_datetime_is_rejected():
    with pytest.raises(TypeError):
        is_working_day(datetime(2026, 3, 9, 8, 0))
    with pytest.raises(TypeError):
        add_working_days(D(2026, 3, 9), 1.5)
