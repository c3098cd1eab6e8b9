"""Four daily check-ins: one digest per person per check time, none on Sundays or holidays, never twice."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from qlvb.assignments import services as flow
from qlvb.assignments.services import Target
from qlvb.monitoring import scheduler
from qlvb.monitoring.models import CheckTime, Delivery, Notification
from tests.factories import register_doc, root_of

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = datetime(2026, 11, 30, 7, 31, tzinfo=HCM)
ARRIVED = datetime(2026, 11, 16, 8, 0, tzinfo=HCM)  # before every deadline below (a deadline is never before arrival)


@pytest.fixture
def work(demo):
    document = register_doc(demo.vanthu)
    flow.forward(actor=demo.giamdoc, assignment=root_of(document), targets=[Target("main", person=demo["tp.qlvt"])])


def digests(person=None):
    qs = Notification.objects.filter(kind="digest")
    return qs.filter(recipient=person) if person else qs


def test_one_digest_per_check_time(demo, work):
    scheduler.run_due(MONDAY)
    scheduler.run_due(MONDAY.replace(minute=45))  # the same 07:30 slot, called again
    assert digests(demo["tp.qlvt"]).count() == 1
    assert digests(demo.giamdoc).count() == 1  # the Director holds the first hop, in progress
    assert not digests(demo["cv.qlvt.long"]).exists()  # nothing open: no digest
    scheduler.run_due(MONDAY.replace(hour=11, minute=0))
    assert digests(demo["tp.qlvt"]).count() == 2
    assert "1 văn bản cần xử lý" in digests(demo["tp.qlvt"]).first().text


def test_no_digest_on_sunday_or_a_holiday(demo, work):
    scheduler.run_due(datetime(2026, 11, 29, 7, 31, tzinfo=HCM))  # Sunday
    scheduler.run_due(datetime(2026, 9, 2, 7, 31, tzinfo=HCM))  # National Day
    assert not digests().exists()


def test_restart_mid_run_finishes_without_duplicates(demo, work, monkeypatch):
    sent = []
    original = scheduler._send_digest

    def crash_after_first(person, row, today):
        if sent:
            raise SystemExit("worker killed")
        sent.append(person)
        original(person, row, today)

    monkeypatch.setattr(scheduler, "_send_digest", crash_after_first)
    with pytest.raises(SystemExit):
        scheduler.run_due(MONDAY)
    assert digests().count() == 1
    monkeypatch.setattr(scheduler, "_send_digest", original)
    scheduler.run_due(MONDAY.replace(minute=33))  # the restarted scheduler resumes the slot
    people = list(digests().values_list("recipient", flat=True))
    assert len(people) == len(set(people)) == Delivery.objects.filter(run__job="digest").count() >= 2


def test_check_times_are_configurable_and_late_slots_skipped(demo, work):
    CheckTime.objects.create(at=datetime(2026, 1, 1, 9, 0).time())
    scheduler.run_due(MONDAY)  # 07:30 is no longer a check time
    assert not digests().exists()
    scheduler.run_due(MONDAY.replace(hour=12))  # 09:00 missed by three hours: skipped, not sent late
    assert not digests().exists()
    scheduler.run_due(MONDAY.replace(hour=9, minute=5))
    assert digests().exists()


def test_overdue_reminder_once_a_day(demo):
    from datetime import date

    document = register_doc(demo.vanthu, arrived_at=ARRIVED, deadline=date(2026, 11, 27))
    scheduler.run_due(MONDAY)
    scheduler.run_due(MONDAY.replace(hour=11))
    reminders = Notification.objects.filter(recipient=demo.giamdoc, kind="overdue")
    assert reminders.count() == 1 and "27/11/2026" in reminders.get().text
    scheduler.run_due(datetime(2026, 12, 1, 7, 35, tzinfo=HCM))  # the next working day: reminded again
    assert reminders.count() == 2
    assert document.summary[:20] in reminders.first().text


def test_due_tomorrow_reminder(demo):
    from datetime import date

    register_doc(demo.vanthu, arrived_at=ARRIVED, deadline=date(2026, 12, 1))  # Tuesday
    scheduler.run_due(MONDAY)
    scheduler.run_due(MONDAY.replace(minute=50))
    assert Notification.objects.filter(recipient=demo.giamdoc, kind="due_tomorrow").count() == 1


def test_nightly_backup_is_queued_once_a_day_even_on_holidays(demo, settings, tmp_path,
                                                              django_capture_on_commit_callbacks):
    settings.QLVB_BACKUP_DIR = tmp_path / "backups"
    sunday_night = datetime(2026, 11, 29, 1, 35, tzinfo=HCM)
    with django_capture_on_commit_callbacks(execute=True):
        assert scheduler.run_due(sunday_night)["backup"] is True
        assert scheduler.run_due(sunday_night.replace(minute=50))["backup"] is False
    assert len(list(settings.QLVB_BACKUP_DIR.glob("qlvb-backup-*.tar"))) == 1
    assert scheduler.run_due(sunday_night.replace(hour=0))["backup"] is False  # before the backup time


def test_many_overdue_items_make_one_reminder_a_day(demo):
    from datetime import date

    register_doc(demo.vanthu, notation="1/A", arrived_at=ARRIVED, deadline=date(2026, 11, 20))
    register_doc(demo.vanthu, notation="2/A", arrived_at=ARRIVED, deadline=date(2026, 11, 27), summary="V/v báo cáo quý IV")
    register_doc(demo.vanthu, notation="3/A", arrived_at=ARRIVED, deadline=date(2026, 12, 1))  # due tomorrow: its own reminder
    scheduler.run_due(MONDAY)
    overdue = Notification.objects.get(recipient=demo.giamdoc, kind="overdue")
    assert overdue.text.startswith("2 văn bản quá hạn, lâu nhất từ 20/11/2026") and overdue.link.endswith("tab=overdue")
    assert Notification.objects.filter(recipient=demo.giamdoc, kind="due_tomorrow").count() == 1
    scheduler.run_due(MONDAY.replace(hour=16))
    assert Notification.objects.filter(recipient=demo.giamdoc, kind="overdue").count() == 1
